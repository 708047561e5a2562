"""The sharded engine: `ClusterEngine` answers `search(SearchQuery) -> SearchResults` and the
rest of the engine interface exactly as one index of the same files would, by asking every
shard's actor once (`_call`) and merging. The pieces, each in its module:

- `search.cluster_layout`: reading the cluster commit and what the front needs of each shard;
- `search.cluster_shard`: the shard's side (`ShardServer`, held by a Ray actor);
- `search.cluster_merge`: the merges of hits, counts, the concordance and trends;
- `search.cluster_parts`: the research views' shard parts and merges (`fan_out`, `merged`).

Exactness. Every paragraph has its single-index id and every report its single-index date
rank, so each shard orders its matches by the very keys one index sorts by, and the merge is
a sort of the shards' top `limit`. BM25 is scored with global statistics gathered before
scoring, as Elasticsearch's `dfs_query_then_fetch`: the paragraph count and the average length
at open, each term's paragraph frequency in a first round trip (cached per query string and
mode). Totals, facets, the place tree and the timeline are exact sums: a report lives in
exactly one shard. What reads an engine's columns or character index directly raises
`ShardedUnsupported` (503, named), never answers from one shard.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from indexer import format as fmt
from indexer.cluster import init_ray
from indexer.format import CLUSTER
from indexer.models import Report
from search import budget, cluster_actors, cluster_merge
from search.cluster_front import FrontColumns, Latest, refusal, report_of
from search.cluster_layout import codes, layout, read_cluster_commit
from search.cluster_shard import ShardServer
from search.errors import (
    BaogaoError,
    IndexCorrupt,
    IndexMissing,
    ShardedUnsupported,
    ShardUnavailable,
)
from search.lift import lift_filters
from search.reports import ReportTable
from search.results import FACETS, MAX_PER_PAGE, Hit, SearchQuery, SearchResults

DEADLINE = float(os.environ.get("BAOGAO_SHARD_DEADLINE", "30"))  # seconds a shard may take
# seconds a shard actor may take to open its shard (a large one, from a network file system)
OPEN_DEADLINE = float(os.environ.get("BAOGAO_SHARD_OPEN_DEADLINE", "600"))
DFS_CACHE = 4096  # (query string, mode) → each term's paragraph frequency


class ClusterEngine:
    """A sharded index answering as one index: `search`, `lift_filters`, `iter_hits`,
    `reports`, `get_report`, the report table; every other engine attribute refuses with a
    503 naming what is not shard-aware yet."""

    sharded = True  # views that are not shard-aware check this and refuse by name
    shared = False  # whether its shard actors are the named ones every front shares

    def __init__(self, index_dir: str | Path, servers: list, names: list[str], ray=None):
        self.index_dir = Path(index_dir)
        self._ray = ray
        self._servers, self._names = servers, names
        self._dfs: OrderedDict = OrderedDict()
        self._divisors: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    # -- opening --------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        index_dir: str | Path,
        *,
        address: str | None = None,
        local: bool = False,
        shared: bool = False,
    ):
        """The sharded index at `index_dir`: one Ray actor per shard (restarted when it
        dies), private to this process or, `shared`, the named actors every front of this
        cluster commit shares (`search.cluster_actors`); with `local`, the shards' engines in
        this process (for tests)."""
        root = Path(index_dir).resolve()
        try:
            target, cluster = read_cluster_commit(root)
            if cluster is None:
                raise IndexMissing(f"no sharded index at {index_dir}")
            shape = layout(root, cluster)
        except fmt.VersionMismatch as exc:
            raise IndexCorrupt(str(exc)) from None
        names = [s["name"] for s in cluster["shards"]]
        args = [
            (str(root / s["name"]), s["commit"], shape["gfirst"][k], shape["grank"][k])
            for k, s in enumerate(cluster["shards"])
        ]
        if local:
            servers, ray = [ShardServer(*a) for a in args], None
        else:
            ray = init_ray(address)
            servers = cluster_actors.start(ray, root, cluster, args, shared=shared)
        engine = cls(root, servers, names, ray)
        engine.shared = shared and not local
        engine.target = target
        engine.path = root / CLUSTER
        engine.cluster = cluster
        engine.meta = shape["meta"]
        engine.report_meta = shape["meta"]["reports"]
        engine.n = shape["meta"]["paragraphs"]
        engine.table = ReportTable(engine.report_meta, shape["report_rank"])
        engine.columns = FrontColumns(engine, shape["meta"]["vocab"], engine.n)
        engine._shard_of_report = shape["shard_of_report"]
        engine._avg = shape["chars"] / engine.n if engine.n else 1.0
        # every shard opened (or a named 503 now); a restarted actor reopens the same commit,
        # so its codes stay those asked here
        engine._codes = [
            codes(v, engine.meta["vocab"]) for v in engine._call("vocab", deadline=OPEN_DEADLINE)
        ]
        return engine

    def close(self) -> None:
        """Let go of the shards: private actors end now; shared ones stay for the other
        fronts (`search.cluster_actors` says when they end)."""
        if self._ray is not None and not self.shared:
            for server in self._servers:
                self._ray.kill(server)
        self._servers = []

    # -- fan-out ----------------------------------------------------------------------------

    def _call(
        self, method: str, *args, shards: list[int] | None = None, deadline: float | None = None
    ) -> list:
        """`method(*args)` on every shard (or those listed), in one round trip each, within
        `deadline` seconds (DEADLINE by default) for them all."""
        chosen = range(len(self._servers)) if shards is None else shards
        left = budget.remaining()  # each shard keeps to what is left of the request's budget
        if self._ray is None:
            return [self._servers[k].within(left, method, *args) for k in chosen]
        ray = self._ray
        refs = {k: self._servers[k].within.remote(left, method, *args) for k in chosen}
        deadline = time.monotonic() + (DEADLINE if deadline is None else deadline)
        out = []
        for k, ref in refs.items():
            try:
                out.append(ray.get(ref, timeout=max(0.0, deadline - time.monotonic())))
            except ray.exceptions.RayTaskError as exc:
                cause = getattr(exc, "cause", None)
                if isinstance(cause, BaogaoError):
                    raise cause from None
                raise
            except ray.exceptions.RayError as exc:  # died, restarting, timed out, node lost
                raise ShardUnavailable(
                    f"分片 {self._names[k]} 暂不可用（{type(exc).__name__}），请稍后再试"
                ) from None
        return out

    def fan_out(self, name: str, *args, shards: list[int] | None = None) -> list:
        """A view's shard-side part (`shard_<name>`, `search.cluster_parts`) on every shard (or
        those listed), one round trip each."""
        return self._call("run", name, *args, shards=shards)

    def merged(self, view: str, *args):
        """A research view's answer merged from its shards' parts (`search.cluster_parts`)
        (the view modules ask the engine, so they never import the merges)."""
        from search.cluster_parts import merge

        return merge(view)(self, *args)

    def shard_of(self, report_id: str) -> int:
        """The shard holding a report."""
        return self._shard_of_report[report_id]

    # -- answers --------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        if query.per_page is None:
            first, limit = 0, None
        else:
            per_page = max(0, min(int(query.per_page), MAX_PER_PAGE))
            first = (max(1, int(query.page)) - 1) * per_page
            limit = first + per_page if per_page else 0
        stats = {"n": self.n, "avg": self._avg, "df": ()}
        if query.sort == "relevance" and limit != 0:
            stats["df"] = self._global_dfs(query)
        parts = self._call("search", query, limit, stats)
        terms = next((p["terms"] for p in parts if p["terms"] is not None), None)
        if terms is None:  # every shard empty: the terms are the query's all the same
            terms = ()
        counted = cluster_merge.summed_counts(parts, self.meta["vocab"], self._codes)
        facets = {name: self.columns.facet_counts(name, counted, query) for name in FACETS}
        return SearchResults(
            query=query,
            total=sum(p["total"] for p in parts),
            reports=sum(p["reports"] for p in parts),
            occurrences=sum(p["occurrences"] for p in parts),
            hits=cluster_merge.hits_page(parts, first, limit),
            facets=facets,
            places=self.columns.tree_of(counted.values("place"), query),
            timeline=self.columns.timeline(counted),
            terms=terms,
        )

    def _global_dfs(self, query: SearchQuery) -> tuple[int, ...]:
        """Each ranking term's paragraph frequency over every shard (dfs_query_then_fetch's
        first phase), cached per query string and mode: it does not depend on filters."""
        key = (query.q, query.mode)
        with self._lock:
            if key in self._dfs:
                self._dfs.move_to_end(key)
                return self._dfs[key]
        dfs = cluster_merge.summed_dfs(self._call("dfs", replace(query, sort="relevance")))
        with self._lock:
            self._dfs[key] = dfs
            while len(self._dfs) > DFS_CACHE:
                self._dfs.popitem(last=False)
        return dfs

    def lift_filters(self, query: SearchQuery) -> SearchQuery:
        return lift_filters(query, self.columns)

    def newest(self, query: SearchQuery, limit: int) -> list[tuple[Hit, float]]:
        """As `Engine.newest`: the `limit` matches added last, each with when it was added;
        ties (one build adds many) in the query's own order, across every shard."""
        stats = {"n": self.n, "avg": self._avg, "df": ()}
        if query.sort == "relevance":
            stats["df"] = self._global_dfs(query)
        parts = self._call("newest", query, limit, stats)
        merged = sorted((item for part in parts for item in part), key=lambda item: item[0])
        return [(hit, added) for _, hit, added in merged[: max(0, limit)]]

    @property
    def added(self) -> Latest:
        """What the feed asks of `Engine.added` on an empty answer: its maximum, no more."""
        return Latest(max(self._call("latest"), default=0))

    def iter_hits(self, query: SearchQuery) -> Iterator[Hit]:
        """Every hit in order (evaluated now, so a bad query fails before the first)."""
        return iter(self.search(replace(query, per_page=None, page=1)).hits)

    def reports(self, query: SearchQuery | None = None) -> list[dict]:
        if query is None:
            return self.table.records()
        ids = {i for part in self._call("report_ids", query) for i in part}
        index = {r["id"]: i for i, r in enumerate(self.report_meta)}
        return self.table.records(sorted(index[i] for i in ids))

    def get_report(self, report_id: str) -> Report:
        meta = self.table.meta(report_id)  # ReportNotFound before any round trip
        k = self._shard_of_report[report_id]
        return report_of(meta, self._call("paragraphs", report_id, shards=[k])[0])

    def get_reports(self, report_ids: list[str]) -> list[Report]:
        """Several reports, in order, in one round trip to each shard holding one of them
        (the bulk exports)."""
        metas = [self.table.meta(r) for r in report_ids]  # ReportNotFound before any trip
        shards = sorted({self._shard_of_report[r] for r in report_ids})
        stored: dict[str, list[dict]] = {}
        for part in self._call("paragraphs_of", list(report_ids), shards=shards):
            stored.update(part)
        return [report_of(meta, stored[meta["id"]]) for meta in metas]

    def matched_spans(self, report: Report, q: str, mode: str) -> dict[int, list]:
        """The reader's marks: paragraph number → spans, asked of the report's shard."""
        if not q:
            return {}
        k = self._shard_of_report[report.id]
        return self._call("matched_spans", report.id, q, mode, shards=[k])[0]

    def concordance(self, query: SearchQuery, order: str = "text", context: int = 20):
        """`search.concordance.concordance` over the whole index: each shard's first rows in
        one index's order (with their sort keys), merged as a k-way merge of sorted streams."""
        from search.concordance import check

        check(order, context)
        if query.per_page is None:
            first, last = 0, None
        else:
            first = (max(1, query.page) - 1) * query.per_page
            last = first + query.per_page
        parts = self._call("concordance", query, order, context, last)
        return cluster_merge.concordance(query, order, context, parts, first, last)

    def trends(self, terms, filters: SearchQuery):
        """`search.trends.trends` over the whole index: every shard's counts per year summed."""
        return cluster_merge.trends(filters, self._call("trends", tuple(terms), filters))

    def chars_by_year_district(self, query: SearchQuery) -> dict:
        """The timeline's divisor (see `Columns.chars_by_year_district`), summed over shards;
        it depends on the selections only, so it is cached per selection."""
        key = replace(query, q="", sort="relevance", mode="exact", page=1, per_page=None)
        with self._lock:
            if key in self._divisors:
                return self._divisors[key]
        total: dict = {}
        for part in self._call("chars_by_year_district", key):
            for k, v in part.items():
                total[k] = total.get(k, 0) + v
        with self._lock:
            self._divisors[key] = total
            while len(self._divisors) > DFS_CACHE:
                self._divisors.popitem(last=False)
        return total

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        raise ShardedUnsupported(refusal(name))
