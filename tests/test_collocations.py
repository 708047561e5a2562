"""Collocations against a brute-force count: the jieba words in the windows around every
occurrence, their count in the filtered corpus, and the scores as the README defines them."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest

from indexer.analysis import words
from indexer.fold import fold
from search.collocations import collocations, log_dice, log_likelihood, near_counts
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


def brute_near(engine: Engine, query: SearchQuery, span: int) -> Counter:
    counts: Counter = Counter()
    for hit in engine.iter_hits(query):
        text = fold(hit.text)
        for s, e in hit.matches:
            counts.update(words(text[max(0, s - span) : s]))
            counts.update(words(text[e : e + span]))
    return counts


def brute_total(engine: Engine, query: SearchQuery, word: str) -> int:
    """The word's occurrences in the paragraphs passing the filters alone."""
    filters = " ".join(t for t in query.q.split() if ":" in t)
    filtered = SearchQuery(
        q=filters, **{k: v for k, v in vars(query).items() if k not in ("q", "page", "per_page")}
    )
    return sum(fold(h.text).count(word) for h in engine.iter_hits(filtered))


@pytest.fixture(scope="module", params=["bundled", "shared"])
def engine(request, bundled_index: Path) -> Engine:
    if request.param == "bundled":
        return Engine.open(bundled_index)
    return Engine.open(request.getfixturevalue("shared_index"))


def test_counts_near_the_match_equal_a_brute_force_count(engine: Engine) -> None:
    checked = 0
    for q, extra, span in QUERIES:
        query = SearchQuery(q=q, per_page=None, **extra)
        near, f_a = near_counts(engine, query, span)
        assert near == brute_near(engine, query, span), q
        assert f_a == engine.search(query).occurrences
        checked += bool(near)
    assert checked >= 10


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
                log_likelihood(c.near, f_a, c.total, result.corpus_chars)
            )
        dice = [c.log_dice for c in result.items]
        assert dice == sorted(dice, reverse=True)


def test_log_likelihood_of_independent_words_is_near_zero() -> None:
    # f_AB as expected under independence (f_A·f_B/N): no association
    assert abs(log_likelihood(10, 100, 1000, 10_000)) < 1e-9
    assert log_likelihood(50, 100, 1000, 10_000) > 10
    assert log_dice(10, 10, 10) == 14
