"""Collocations against a brute-force count: the jieba words of the union of the windows
around every occurrence, their exact occurrences inside it and in the filtered corpus, and the
scores as the README defines them."""

from __future__ import annotations

import csv
import io
import math
from collections import Counter

import pytest

from indexer.analysis import words
from indexer.fold import fold
from search.collocations import (
    STOP_WORDS,
    Steering,
    collocations,
    keeps,
    log_dice,
    log_likelihood,
    near_counts,
    tag_of,
)
from search.engine import Engine
from search.results import SearchQuery

QUERIES = [
    ("最多跑一次", {}, 10),
    ("改革", {}, 10),
    ("发展", {"years": (2018,)}, 5),
    ("数字化改革", {}, 10),
    ("城中村", {}, 15),
    ("经济", {"districts": ("拱墅区",)}, 10),
    ("建设 OR 推进", {}, 8),
    ("数字*改革", {}, 10),
    ("最多跑一次 NEAR/10 改革", {}, 10),
    ("district:拱墅区 政府", {}, 10),
    ("创新", {}, 3),
    ("人民", {"year_from": 2017}, 10),
]


def brute_windows(engine: Engine, query: SearchQuery, span: int):
    """{(report, paragraph): (folded text, [window characters])} and f_A, from the hits."""
    out, f_a = {}, 0
    for hit in engine.iter_hits(query):
        text = fold(hit.text)
        inside = set()
        for s, e in hit.matches:
            inside |= set(range(max(0, s - span), s)) | set(range(e, min(len(text), e + span)))
            f_a += 1
        out[(hit.report_id, hit.paragraph)] = (text, inside)
    return out, f_a


def stretches(inside: set[int]) -> list[tuple[int, int]]:
    runs = []
    for i in sorted(inside):
        if runs and runs[-1][1] == i:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
    return [(s, e) for s, e in runs]


def brute_near(engine: Engine, query: SearchQuery, span: int, only=None):
    """f_AB of the words jieba finds in the windows' union at least twice (or of `only`), the
    words found so, f_A and W."""
    paragraphs, f_a = brute_windows(engine, query, span)
    seen: Counter = Counter()
    for text, inside in paragraphs.values():
        for s, e in stretches(inside):
            seen.update(words(text[s:e]))
    found = {word for word, n in seen.items() if n >= 2}
    near: Counter = Counter()
    for word in found if only is None else only:
        for text, inside in paragraphs.values():
            i = text.find(word)
            while i >= 0:  # non-overlapping occurrences, as str.count
                near[word] += all(j in inside for j in range(i, i + len(word)))
                i = text.find(word, i + len(word))
    w = sum(len(inside) for _, inside in paragraphs.values())
    return near, found, f_a, w


def brute_total(engine: Engine, query: SearchQuery, word: str) -> int:
    """The word's occurrences in the paragraphs passing the filters alone."""
    filters = " ".join(t for t in query.q.split() if ":" in t)
    filtered = SearchQuery(
        q=filters, **{k: v for k, v in vars(query).items() if k not in ("q", "page", "per_page")}
    )
    return sum(fold(h.text).count(word) for h in engine.iter_hits(filtered))


ENGINE_INDEXES = ("bundled", "shared")  # the `engine` fixture (conftest.py) opens each


def test_counts_near_the_match_equal_a_brute_force_count(engine: Engine) -> None:
    checked = 0
    for q, extra, span in QUERIES:
        query = SearchQuery(q=q, per_page=None, **extra)
        near, f_a = near_counts(engine, query, span)
        expected, found, brute_f_a, _ = brute_near(engine, query, span, only=list(near))
        assert set(near) == found if len(found) <= 1000 else set(near) < found, q
        assert all(near[w] == expected[w] for w in near), q
        assert f_a == brute_f_a == engine.search(query).occurrences
        checked += bool(near)
    assert checked >= 10


WIDE = [("创新", {}, 10), ("创新", {}, 50), ("政府", {}, 20), ("建设 OR 推进", {}, 50)]


def test_a_word_in_two_windows_counts_once_and_never_beyond_the_corpus(engine: Engine) -> None:
    """Every cell of the 2×2 table is a count, none negative: f_AB ≤ f_B, f_AB ≤ W, and the
    occurrences outside the windows fit in the characters outside them. (Counted once per
    window, 商业模式 was near 创新 8 times and in the corpus 4.)"""
    for q, extra, span in QUERIES + WIDE:
        query = SearchQuery(q=q, per_page=None, **extra)
        result = collocations(engine, query, span, limit=1000)
        _, _, f_a, w = brute_near(engine, query, span, only=())
        assert result.window_chars == w and result.occurrences == f_a
        n = result.corpus_chars
        for c in result.items:
            assert 0 <= c.near <= c.total, (q, c.word)
            assert c.near <= w and c.total - c.near <= n - w, (q, c.word)


def test_scores_follow_the_documented_formulas(engine: Engine) -> None:
    for q, extra, span in QUERIES[:6]:
        query = SearchQuery(q=q, per_page=None, **extra)
        result = collocations(engine, query, span)
        near, f_a = near_counts(engine, query, span)
        assert result.occurrences == f_a
        for c in result.items[:8]:
            assert c.near == near[c.word] >= 2
            assert c.total == brute_total(engine, query, c.word), (q, c.word)
            assert c.log_dice == pytest.approx(14 + math.log2(2 * c.near / (f_a + c.total)))
            assert c.log_likelihood == pytest.approx(
                log_likelihood(c.near, result.window_chars, c.total, result.corpus_chars)
            )
        dice = [c.log_dice for c in result.items]
        assert dice == sorted(dice, reverse=True)


def test_log_likelihood_of_independent_words_is_near_zero() -> None:
    # f_AB as expected under independence (f_A·f_B/N): no association
    assert abs(log_likelihood(10, 100, 1000, 10_000)) < 1e-9
    assert log_likelihood(50, 100, 1000, 10_000) > 10
    assert log_dice(10, 10, 10) == 14


# -- steering: minimum frequency, stop list, part of speech, CSV --------------------------


def _by_word(result) -> dict:
    return {c.word: c for c in result.items}


def test_steering_keeps_the_counts_and_only_drops_words(engine: Engine) -> None:
    """min_freq, the stop lists and pos only choose among the collocates: a word kept has the
    near and total counts of the unsteered list, and the near count stays within the total."""
    query = SearchQuery(q="发展", per_page=None)
    plain = _by_word(collocations(engine, query, 10, 1000, Steering(stop_default=False)))
    assert STOP_WORDS & set(plain), "the function words are near 发展 when kept"
    steered = {
        "min_freq": Steering(min_freq=5, stop_default=False),
        "default stop list": Steering(),
        "own stop list": Steering(stop=frozenset({"经济", "社会"}), stop_default=False),
        "nouns": Steering(pos=("n",)),
        "verbs and adjectives": Steering(pos=("v", "a"), stop_default=False),
    }
    for name, steering in steered.items():
        got = _by_word(collocations(engine, query, 10, 1000, steering))
        assert got, name
        for word, c in got.items():
            if word in plain:  # else past the plain list's CANDIDATES, which filters free
                assert (c.near, c.total) == (plain[word].near, plain[word].total), (name, word)
            assert c.near <= c.total
            assert c.near >= steering.min_freq
            assert word not in steering.stopped(), (name, word)
            if steering.pos:
                assert tag_of(word).startswith(steering.pos), (name, word, tag_of(word))
        # every word of the plain list that the steering allows is listed
        allowed = {
            w
            for w, c in plain.items()
            if c.near >= steering.min_freq and keeps(steering, steering.stopped(), w)
        }
        assert allowed <= set(got), (name, allowed - set(got))


def test_tags_are_jieba_possegs_for_the_dictionarys_words(engine: Engine) -> None:
    """The tag of a collocate is the one jieba.posseg's dictionary gives it; a policy term of
    the project's dictionary, which jieba has no tag for, is nz."""
    import jieba.posseg

    table = jieba.posseg.dt.word_tag_tab
    query = SearchQuery(q="改革", per_page=None)
    found = collocations(engine, query, 10, 1000, Steering(stop_default=False)).items
    known = [c.word for c in found if c.word in table]
    assert len(known) >= 20
    assert [tag_of(w) for w in known] == [table[w] for w in known]
    assert tag_of("最多跑一次") == "nz" and tag_of("的") == "uj"


def test_steering_parameters_on_the_api_csv_and_page(client) -> None:
    base = "q=发展&span=10"
    api = client.get(f"/api/collocations?{base}&pos=n&min_freq=3&stop=经济 社会").get_json()
    assert api["pos"] == ["n"] and api["min_freq"] == 3 and api["stop"] == ["社会", "经济"]
    assert api["collocates"] and all(c["pos"].startswith("n") for c in api["collocates"])
    assert all(c["near"] >= 3 and c["word"] not in ("经济", "社会") for c in api["collocates"])
    assert all(c["near"] <= c["total"] for c in api["collocates"])
    kept = client.get(f"/api/collocations?{base}&stop_default=0").get_json()["collocates"]
    assert "的" in {c["word"] for c in kept}
    default = client.get(f"/api/collocations?{base}").get_json()["collocates"]
    assert not STOP_WORDS & {c["word"] for c in default}
    response = client.get(f"/collocations.csv?{base}&pos=n&min_freq=3&stop=经济,社会")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [r["word"] for r in rows] == [c["word"] for c in api["collocates"]]
    assert [int(r["near"]) for r in rows] == [c["near"] for c in api["collocates"]]
    assert [r["pos"] for r in rows] == [c["pos"] for c in api["collocates"]]
    html = client.get(f"/concordance?{base}&coll=1&pos=n&stop_default=0&min_freq=3").get_data(
        as_text=True
    )
    assert 'name="min_freq" min="1" value="3"' in html
    assert 'name="pos" value="n" checked' in html
    assert 'name="stop_default" value="0" checked' in html
    assert "/collocations.csv?" in html
    for bad in ("pos=nonsense", "min_freq=0", "stop_default=2", "min_freq=" + "9" * 5000):
        assert client.get(f"/api/collocations?{base}&{bad}").status_code == 400, bad
        assert client.get(f"/collocations.csv?{base}&{bad}").status_code == 400, bad
