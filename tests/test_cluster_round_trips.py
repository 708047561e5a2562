"""A request to a sharded index costs one round trip per shard: the fan-out's cost is counted
in round trips (a bare Ray call to 2 actors is about 3 ms here), so a second trip per request
doubles it. The shards are served in this process (`local=True`), each call counted."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from search.cluster import ClusterEngine
from search.results import SearchQuery


class Counted:
    """A shard server whose every call is counted by method name."""

    def __init__(self, server, calls: Counter):
        self._server, self._calls = server, calls

    def __getattr__(self, name):
        method = getattr(self._server, name)

        def call(*args):
            # `within(budget, method, *args)` is how the front asks: counted as that method
            self._calls[args[1] if name == "within" else name] += 1
            return method(*args)

        return call


@pytest.fixture
def counted(bundled_sharded):
    engine = ClusterEngine.open(bundled_sharded(2), local=True)
    calls: Counter = Counter()
    engine._servers = [Counted(s, calls) for s in engine._servers]
    yield engine, calls
    engine.close()


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_a_search_asks_each_shard_once(counted, sort):
    engine, calls = counted
    query = SearchQuery(q="改革", sort=sort, per_page=10)
    engine.search(query)  # the first relevance search also gathers the terms' frequencies
    calls.clear()
    results = engine.search(replace(query, page=2))
    assert dict(calls) == {"search": 2}
    assert results.total > 10
