"""The per-term cache: a query mix larger than its dense entries answers exactly as an engine
that keeps every term, each array read-only and equal to a fresh count."""

from __future__ import annotations

import numpy as np
import pytest

from search.engine import Engine
from search.results import SearchQuery

QUERIES = ("发展", "改革", "经济", "人民", "政府", "我们", "创新", "发展 改革", "乡村*振兴")


@pytest.fixture(scope="module")
def small(bundled_index):
    """The bundled index opened with room for two dense arrays per cache."""
    mp = pytest.MonkeyPatch()
    mp.setattr("search.segments.CACHE_BYTES", 1)  # the fewest entries: two
    opened = Engine.open(bundled_index)
    mp.undo()
    yield opened
    opened.close()


def test_two_dense_entries(small):
    assert small.chars.counts._entries == 2


def test_counts_leaving_the_dense_entries_come_back_equal(small):
    terms = [w for q in QUERIES for w in q.replace("*", " ").split()] * 2
    for term in terms:
        got = small.chars.counts(term)
        fresh = type(small.chars)._counts(small.chars, term)
        assert got.dtype == fresh.dtype and np.array_equal(got, fresh), term
        assert not got.flags.writeable
    assert small.chars.counts._sparse  # some came back from their ids, not a new count


@pytest.mark.parametrize("mode", ["exact", "words"])
def test_answers_equal_an_engine_keeping_every_term(small, engine, mode):
    for _ in range(2):
        for q in QUERIES:
            query = SearchQuery(q=q, mode=mode, per_page=20)
            assert small.search(query) == engine.search(query), q
