"""Keywords and n-grams against a brute-force count: every paragraph of each set segmented on
its own, n-grams taken within runs of words, and the scores computed as the README defines
them, for ten pairs of sets."""

from __future__ import annotations

import csv
import io
import math
from collections import Counter

import pytest

from indexer.analysis import _is_word, cut
from indexer.fold import fold
from search.engine import Engine
from search.keywords import keywords, ngrams
from search.results import SearchQuery

Q = SearchQuery
PAIRS = [  # (target, reference or None for the whole index, n, min_freq)
    (Q(year_from=2019), None, 1, 3),
    (Q(year_from=2019), Q(year_to=2018), 1, 3),
    (Q(districts=("拱墅区",)), Q(districts=("萧山区",)), 1, 2),
    (Q(districts=("上城区",)), None, 2, 3),
    (Q(years=(2016,)), Q(years=(2020,)), 2, 2),
    (Q(q="数字"), None, 1, 2),
    (Q(districts=("江干区",)), Q(districts=("拱墅区",), years=(2018,)), 3, 2),
    (Q(year_to=2017), Q(year_from=2018), 1, 1),
    (Q(), Q(districts=("萧山区",)), 1, 3),
    (Q(provinces=("浙江省",)), Q(q="改革"), 4, 2),
]


def grams(text: str, n: int) -> list[str]:
    """The n-grams of one paragraph: n consecutive words with no punctuation between them."""
    out, run = [], []
    for token in [*cut(fold(text)), "。"]:
        if _is_word(token):
            run.append(token)
            continue
        out += [" ".join(run[i : i + n]) for i in range(len(run) - n + 1)]
        run = []
    return out


def brute_counts(engine: Engine, query: SearchQuery | None, n: int) -> Counter:
    counts: Counter = Counter()
    for hit in engine.iter_hits(query or Q()):
        counts.update(grams(hit.text, n))
    return counts


def brute_rows(target: Counter, reference: Counter, min_freq: int) -> dict[str, tuple]:
    c, d = sum(target.values()), sum(reference.values())
    rows = {}
    for word, a in target.items():
        b = reference.get(word, 0)
        if a < min_freq or a / c <= b / d:
            continue
        e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
        ll = 2 * (a * math.log(a / e1) + (b * math.log(b / e2) if b else 0))
        pdiff = (a / c - b / d) / (b / d) * 100 if b else None
        log_ratio = math.log2((a / c) / ((b or 0.5) / d))
        rows[word] = (a, b, ll, pdiff, log_ratio)
    return rows


ENGINE_INDEXES = ("bundled", "shared")  # the `engine` fixture (conftest.py) opens each


@pytest.mark.parametrize(("target", "reference", "n", "min_freq"), PAIRS)
def test_keywords_equal_a_brute_force_count(engine, target, reference, n, min_freq) -> None:
    result = keywords(engine, target, reference, n, min_freq, limit=None)
    t, r = brute_counts(engine, target, n), brute_counts(engine, reference, n)
    assert (result.target_size, result.reference_size) == (sum(t.values()), sum(r.values()))
    expected = brute_rows(t, r, min_freq)
    got = {k.word: k for k in result.items}
    assert set(got) == set(expected)
    assert result.candidates == len(expected)
    for word, (a, b, ll, pdiff, log_ratio) in expected.items():
        k = got[word]
        assert (k.target, k.reference) == (a, b), word
        assert k.ll == pytest.approx(ll, rel=1e-9, abs=1e-9)
        assert k.log_ratio == pytest.approx(log_ratio, rel=1e-9)
        assert (k.pdiff is None) == (pdiff is None)
        if pdiff is not None:
            assert k.pdiff == pytest.approx(pdiff, rel=1e-9)
    lls = [k.ll for k in result.items]
    assert lls == sorted(lls, reverse=True)


@pytest.mark.parametrize("sort", ["log_ratio", "pdiff", "target"])
def test_keywords_sort_by_the_score_asked_for(engine, sort) -> None:
    result = keywords(engine, Q(year_from=2019), None, 1, 2, sort=sort, limit=30)
    inf = float("inf")
    values = [inf if getattr(k, sort) is None else getattr(k, sort) for k in result.items]
    assert values == sorted(values, reverse=True)


@pytest.mark.parametrize(
    ("query", "n"), [(Q(), 2), (Q(districts=("拱墅区",)), 3), (Q(q="改革"), 1)]
)
def test_frequent_ngrams_equal_a_brute_force_count(engine, query, n) -> None:
    result = ngrams(engine, query, n, min_freq=2, limit=None)
    counts = brute_counts(engine, query, n)
    reports: dict[str, set] = {}
    for hit in engine.iter_hits(query):
        for g in grams(hit.text, n):
            reports.setdefault(g, set()).add(hit.report_id)
    assert result.size == sum(counts.values())
    assert {g.word: g.freq for g in result.items} == {w: f for w, f in counts.items() if f >= 2}
    assert all(g.reports == len(reports[g.word]) for g in result.items)
    freqs = [g.freq for g in result.items]
    assert freqs == sorted(freqs, reverse=True)


def test_api_takes_the_reference_set_from_ref_parameters(client, app) -> None:
    from search_app import get_engine

    body = client.get("/api/keywords?district=拱墅区&ref_district=萧山区&n=2&min=2").get_json()
    with app.app_context():
        expected = keywords(get_engine(), Q(districts=("拱墅区",)), Q(districts=("萧山区",)), 2, 2)
    assert body["target"] == {"district": ["拱墅区"]}
    assert body["reference"] == {"district": ["萧山区"]}
    assert [r["word"] for r in body["rows"]] == [k.word for k in expected.items]
    assert set(body["rows"][0]) == {"word", "target", "reference", "ll", "pdiff", "log_ratio"}
    whole = client.get("/api/keywords?district=拱墅区").get_json()
    assert whole["reference"] is None
    with app.app_context():
        assert whole["reference_paragraphs"] == get_engine().n


def test_csv_holds_every_row_of_the_answer(client) -> None:
    page = client.get("/api/keywords?year_from=2019&min=2&limit=1000").get_json()
    response = client.get("/keywords.csv?year_from=2019&min=2")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [r["word"] for r in rows] == [r["word"] for r in page["rows"]]
    assert [int(r["target"]) for r in rows] == [r["target"] for r in page["rows"]]


@pytest.mark.parametrize(
    "url",
    ["/api/keywords?n=5", "/api/keywords?sort=x", "/keywords?min=0"],
)
def test_bad_parameters_are_refused(client, url) -> None:
    assert client.get(url).status_code == 400


def test_an_empty_reference_set_gives_no_keyword_not_an_error(client) -> None:
    """A reference set no report falls in (a valid year without reports) is an empty answer,
    as an empty target is, and the page says which set to widen."""
    page = client.get("/api/keywords?ref_year=1999")
    assert page.status_code == 200
    assert page.get_json()["reference_size"] == 0 and page.get_json()["rows"] == []
    html = client.get("/keywords?ref_year=1999").get_data(as_text=True)
    assert "参照集中没有词语" in html


def test_page_shows_both_sets_and_the_rows(client) -> None:
    html = client.get("/keywords?district=拱墅区&ref_district=萧山区").get_data(as_text=True)
    assert 'name="ref_district" value="萧山区"' in html
    assert 'name="district" value="拱墅区"' in html
    assert "keywords-table" in html
    ngram_page = client.get("/keywords?view=ngrams&n=3").get_data(as_text=True)
    assert "高频 n 元组" in ngram_page and "keywords-table" in ngram_page
