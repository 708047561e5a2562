"""The sharded engine: one Ray actor per shard (`ShardServer`, an `Engine` over one shard
index), and `ClusterEngine`, which answers `search(SearchQuery) -> SearchResults` exactly as
one index of the same files would, by fanning out to every shard and merging.

Exactness. Every paragraph has its single-index id (`gpid`: the shard's report positions from
the cluster commit, then the paragraph within its report), and every report its single-index
date rank, so each shard orders its matches by the very keys one index sorts by (score or
date rank, then paragraph id) and the merge is a sort of the shards' top `limit` by them.
BM25 is scored with global statistics gathered before scoring, as Elasticsearch's
`dfs_query_then_fetch`: the paragraph count and the average length at open, each term's
paragraph frequency in a first round trip (cached per query string and mode, so paging and
repeated searches make one round trip per shard). Totals, reports, occurrences, facets, the
place tree and the timeline are exact sums: a report, and so each of its paragraphs, lives in
exactly one shard.

The research views (adoption, collocations, shared passages, keywords, …) merge their shards'
parts in `search.cluster_views`, asked through `fan_out`. What reads an engine's columns or
character index directly raises `ShardedUnsupported` (503, named), never answers from one shard.
"""

from __future__ import annotations

import math
import os
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np

from indexer import format as fmt
from indexer.cluster import init_ray
from indexer.format import CLUSTER, CODED, date_key, read_commit
from indexer.models import PARAGRAPH_FIELDS, REPORT_FIELDS, TOPIC_IDS, Paragraph, Report
from search.errors import (
    BaogaoError,
    IndexCorrupt,
    IndexMissing,
    ShardedUnsupported,
    ShardUnavailable,
)
from search.filters import Columns
from search.lift import lift_filters
from search.rank import K1, B
from search.reports import ReportTable
from search.results import FACETS, MAX_PER_PAGE, Hit, SearchQuery, SearchResults
from search.tally import Counted

DEADLINE = float(os.environ.get("BAOGAO_SHARD_DEADLINE", "30"))  # seconds a shard may take
# seconds a shard actor may take to open its shard (a large one, from a network file system)
OPEN_DEADLINE = float(os.environ.get("BAOGAO_SHARD_OPEN_DEADLINE", "600"))
DFS_CACHE = 4096  # (query string, mode) → each term's paragraph frequency


def cluster_target(index_dir: str | Path) -> str | None:
    """What identifies the current cluster commit, cheaply: the file's inode and mtime (a
    new commit is a new file, `os.replace`d in)."""
    try:
        st = os.stat(Path(index_dir) / CLUSTER)
    except OSError:
        return None
    return _identity(st)


def _identity(st: os.stat_result) -> str:
    return f"{CLUSTER}@{st.st_ino}:{st.st_mtime_ns}"


def _read_cluster(root: Path) -> tuple[str | None, dict | None]:
    """The cluster commit and its identity, read from one open file: an engine's `target`
    names the very commit it loaded, even when an update swaps in the next one meanwhile."""
    st, body = fmt.read_cluster_stat(root)
    return (None, None) if st is None else (_identity(st), body)


class ShardServer:
    """One shard's engine, held by a Ray actor; the same code runs in-process for tests.

    `gfirst[r]` is the single-index paragraph id of local report r's first paragraph,
    `grank[r]` its single-index date rank."""

    def __init__(self, shard_dir: str, commit: str, gfirst, grank):
        from search.engine import Engine

        # the commit the cluster commit names, whatever `current` says: an update of the
        # shards that was killed before its cluster commit leaves `current` ahead of it
        named = _named_commit(Path(shard_dir), commit)
        self.engine = Engine.open(shard_dir, commit) if named["segments"] else None
        self._pid_of: dict | None = None  # (report id, paragraph number) → paragraph id
        self.gfirst = np.asarray(gfirst, np.int64)
        self.grank = np.asarray(grank, np.int64)
        if self.engine is not None:
            e = self.engine
            report = e.columns.col["report"]
            first = np.array([r["first"] for r in e.report_meta], np.int64)
            self.gpid = self.gfirst[report] + (np.arange(e.n) - first[report])
            self.grank_of = self.grank[report]
            self.chars = e.columns.col["chars"].astype(np.float64)

    def ping(self) -> int:
        return os.getpid()

    def run(self, name: str, *args):
        """The shard-side part `shard_<name>` of a merge in `search.cluster_views`."""
        from search import cluster_views

        return getattr(cluster_views, f"shard_{name}")(self, *args)

    def latest(self) -> float:
        """When the shard's newest paragraph was added (0 when it holds none)."""
        return 0 if self.engine is None else float(self.engine.added.max(initial=0))

    def dfs(self, query: SearchQuery) -> list[int]:
        """Each ranking term of `query` with the paragraphs holding it in this shard."""
        if self.engine is None:
            return []
        _, ev, _ = self.engine.evaluate(query)
        return [int(np.count_nonzero(self.engine.counts(t))) for t in ev.words + ev.terms]

    def vocab(self) -> dict | None:
        """The shard's coded vocabularies, which its counts are indexed by (None: empty)."""
        if self.engine is None:
            return None
        return {name: self.engine.columns.vocab[name] for name in CODED}

    def search(self, query: SearchQuery, limit: int | None, stats: dict) -> dict:
        """This shard's part of a search, in one answer of numpy arrays: its counts (per
        value of each facet, in its own codes; per year and district for the timeline), and
        its first `limit` hits (all when None) with their global sort keys."""
        e = self.engine
        if e is None:
            return {"total": 0, "reports": 0, "occurrences": 0, "counts": None,
                    "terms": None, "keys": None, "hits": []}  # fmt: skip
        mask, ev, selections = e.evaluate(query)
        all_pids = pids = np.flatnonzero(mask)
        total = int(pids.size)
        primary = np.zeros(total) if limit == 0 else self._primary(query, pids, ev, stats)
        gpid = self.gpid[pids]
        if limit is not None and limit < total:
            if limit == 0:
                keep = np.zeros(0, np.int64)
            else:
                kth = np.partition(primary, limit - 1)[limit - 1]
                keep = np.flatnonzero(primary <= kth)
            pids, primary, gpid = pids[keep], primary[keep], gpid[keep]
        order = np.lexsort((gpid, primary))[:limit]
        chosen = pids[order]
        occurrences = int(e.marks(all_pids, ev.terms).sum()) if total else 0
        columns = e.columns
        matches = columns.tally(all_pids, ascending=True)
        tallies = {id(all_pids): matches}

        def tally(name: str):
            ids = columns._ignoring(name, ev.mask, all_pids, selections)
            if id(ids) not in tallies:
                tallies[id(ids)] = columns.tally(ids, ascending=True)
            return tallies[id(ids)]

        keys, per_key = matches.year_district()
        nd = len(columns.vocab["district"])
        counts = {name: tally(name).values(name) for name in ("district", "type", "level", "year")}
        counts["topic"] = np.array(tally("topic").topics(), np.int64)
        counts["place"] = tally("district").values("place")
        counts["timeline"] = np.stack([keys // nd, keys % nd, per_key]) if keys.size else None
        return {
            "total": total,
            "reports": int(np.count_nonzero(matches.per_report())) if total else 0,
            "occurrences": occurrences,
            "counts": counts,
            "terms": tuple(str(t) for t in ev.terms),
            "keys": (primary[order], gpid[order]),
            "hits": [e._hit(int(p), ev) for p in chosen],
        }

    def _primary(self, query: SearchQuery, pids: np.ndarray, ev, stats: dict) -> np.ndarray:
        """The first sort key of one index's order (`search.rank.Ranker.ordered`); ties go
        to the one-index paragraph id."""
        terms = ev.words + ev.terms
        if query.sort == "relevance" and terms and pids.size:
            return -self._scores(pids, terms, stats)
        if query.sort == "oldest":
            return self.grank_of[pids].astype(np.float64)
        return -self.grank_of[pids].astype(np.float64)

    def newest(self, query: SearchQuery, limit: int, stats: dict) -> list:
        """This shard's `limit` matches added last, ties in the query's order: (sort key,
        hit, when added) each."""
        e = self.engine
        if e is None or limit <= 0:
            return []
        mask, ev, _ = e.evaluate(query)
        pids = np.flatnonzero(mask)
        primary, gpid, added = self._primary(query, pids, ev, stats), self.gpid[pids], e.added[pids]
        order = np.lexsort((gpid, primary, -added))[:limit]
        return [
            (
                (-float(added[i]), float(primary[i]), int(gpid[i])),
                e._hit(int(pids[i]), ev),
                float(added[i]),
            )
            for i in order
        ]

    def _scores(self, pids: np.ndarray, terms, stats: dict) -> np.ndarray:
        """BM25 as `search.rank.Ranker.scores`, over the whole cluster's statistics."""
        norm = K1 * (1 - B + B * self.chars[pids] / max(stats["avg"], 1.0))
        score = np.zeros(pids.size)
        n, dfs = stats["n"], stats["df"]
        for i, term in enumerate(terms):
            df = dfs[i]
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            tf = self.engine.counts(term)[pids].astype(np.float64)
            score += idf * tf * (K1 + 1) / (tf + norm)
        return score

    def trends(self, terms, filters: SearchQuery):
        from search.trends import trends

        if self.engine is None:
            return None
        return trends(self.engine, terms, filters)

    def concordance(self, query: SearchQuery, order: str, context: int, last: int | None):
        """This shard's first `last` concordance rows (all when None) in its own order, which
        is one index's order restricted to the shard, each with its one-index sort key."""
        from search.concordance import concordance

        if self.engine is None:
            return {"occurrences": 0, "paragraphs": 0, "reports": 0, "rows": (), "keys": []}
        con = concordance(self.engine, replace(query, page=1, per_page=last), order, context)
        if self._pid_of is None:
            e = self.engine
            ids = [r["id"] for r in e.report_meta]
            report, n = e.columns.col["report"], e.columns.col["n"]
            self._pid_of = {(ids[report[p]], int(n[p])): p for p in range(e.n)}
        keys = []
        for row in con.rows:
            pid = self._pid_of[(row.report_id, row.paragraph)]
            tail = (int(self.gpid[pid]), row.start, row.end)
            if order == "year":
                keys.append((not row.year, row.year or 0, *tail))
            elif order == "place":
                keys.append((row.district == "", row.district, *tail))
            elif order in ("left", "right"):
                folded = self.engine.chars.folded_text(pid)
                s, e_ = row.start, row.end
                around = (
                    folded[max(0, s - context) : s][::-1]
                    if order == "left"
                    else folded[e_ : e_ + context]
                )
                keys.append((around, *tail))
            else:
                keys.append(tail)
        return {
            "occurrences": con.occurrences,
            "paragraphs": con.paragraphs,
            "reports": con.reports,
            "rows": con.rows,
            "keys": keys,
        }

    def chars_by_year_district(self, query: SearchQuery) -> dict:
        return {} if self.engine is None else self.engine.columns.chars_by_year_district(query)

    def report_ids(self, query: SearchQuery) -> list[str]:
        """The reports holding a paragraph that `query` matches."""
        if self.engine is None:
            return []
        mask, _, _ = self.engine.evaluate(query)
        return [
            self.engine.report_meta[int(r)]["id"] for r in np.unique(self.engine.report_of[mask])
        ]

    def paragraphs(self, report_id: str) -> list[dict]:
        e = self.engine
        if e is None:
            return []
        return [e.words.stored(pid) for pid in e.table.paragraph_ids(report_id)]

    def matched_spans(self, report_id: str, q: str, mode: str) -> dict[int, list]:
        e = self.engine
        mask, ev, _ = e.evaluate(SearchQuery(q=q, mode=mode))
        if not ev.terms:
            return {}
        out = {}
        for pid in e.table.paragraph_ids(report_id):
            if mask[pid]:
                out[int(e.columns.col["n"][pid])] = e.spans(pid, ev.terms)
        return out


class _FrontColumns(Columns):
    """The vocabularies of the whole sharded index, for parsing and lifting filters; no
    column (`_Refused`), except the timeline's divisor, summed over the shards."""

    def __init__(self, engine: ClusterEngine, vocab: dict, n: int):
        super().__init__(_Refused(), vocab, n)
        self._engine = weakref.proxy(engine)

    def chars_by_year_district(self, query: SearchQuery | None = None) -> dict:
        return self._engine.chars_by_year_district(query or SearchQuery())


class _Latest:
    """The newest paragraph's time of addition, as `Engine.added.max(initial=0)` gives it;
    no per-paragraph column."""

    def __init__(self, value: float):
        self._value = value

    def max(self, initial: float = 0) -> float:
        return max(self._value, initial)

    def __getitem__(self, _):
        raise ShardedUnsupported(_refusal("列 added"))


class _Refused(dict):
    """The front's column table: it holds no column, and says so instead of a wrong answer."""

    def __missing__(self, name):
        raise ShardedUnsupported(_refusal(f"列 {name}"))


def _refusal(what: str) -> str:
    return (
        f"分片索引尚不支持此功能（{what}）：请在单一索引上使用，"
        "或用 `baogao index PATH --index IDX`（不加 --shards）建立索引"
    )


class ClusterEngine:
    """A sharded index answering as one index: `search`, `lift_filters`, `iter_hits`,
    `reports`, `get_report`, the report table; every other engine attribute refuses with a
    503 naming what is not shard-aware yet."""

    sharded = True  # views that are not shard-aware check this and refuse by name

    def __init__(self, index_dir: str | Path, servers: list, names: list[str], ray=None):
        self.index_dir = Path(index_dir)
        self._ray = ray
        self._servers, self._names = servers, names
        self._dfs: OrderedDict = OrderedDict()
        self._divisors: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    # -- opening --------------------------------------------------------------------------

    @classmethod
    def open(cls, index_dir: str | Path, *, address: str | None = None, local: bool = False):
        """The sharded index at `index_dir`: one Ray actor per shard (restarted when it
        dies), or, with `local`, the shards' engines in this process (for tests)."""
        root = Path(index_dir)
        try:
            target, cluster = _read_cluster(root)
            if cluster is None:
                raise IndexMissing(f"no sharded index at {index_dir}")
            layout = _layout(root, cluster)
        except fmt.VersionMismatch as exc:
            raise IndexCorrupt(str(exc)) from None
        names = [s["name"] for s in cluster["shards"]]
        args = [
            (str(root / s["name"]), s["commit"], layout["gfirst"][k], layout["grank"][k])
            for k, s in enumerate(cluster["shards"])
        ]
        if local:
            servers, ray = [ShardServer(*a) for a in args], None
        else:
            ray = init_ray(address)
            actor = ray.remote(ShardServer).options(
                max_restarts=-1, max_task_retries=-1, max_concurrency=8, num_cpus=0
            )
            servers = [actor.remote(*a) for a in args]
        engine = cls(root, servers, names, ray)
        engine.target = target
        engine.path = root / CLUSTER
        engine.cluster = cluster
        engine.meta = layout["meta"]
        engine.report_meta = layout["meta"]["reports"]
        engine.n = layout["meta"]["paragraphs"]
        engine.table = ReportTable(engine.report_meta, layout["report_rank"])
        engine.columns = _FrontColumns(engine, layout["meta"]["vocab"], engine.n)
        engine._shard_of_report = layout["shard_of_report"]
        engine._avg = layout["chars"] / engine.n if engine.n else 1.0
        # every shard opened (or a named 503 now); a restarted actor reopens the same commit,
        # so its codes stay those asked here
        engine._codes = [
            _codes(v, engine.meta["vocab"]) for v in engine._call("vocab", deadline=OPEN_DEADLINE)
        ]
        return engine

    def close(self) -> None:
        if self._ray is not None:
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
        if self._ray is None:
            return [getattr(self._servers[k], method)(*args) for k in chosen]
        ray = self._ray
        refs = {k: getattr(self._servers[k], method).remote(*args) for k in chosen}
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
        """A view's shard-side part (`search.cluster_views.shard_<name>`) on every shard (or
        those listed), one round trip each."""
        return self._call("run", name, *args, shards=shards)

    def merged(self, view: str, *args):
        """A research view's answer merged from its shards' parts: `search.cluster_views.<view>`
        (the view modules ask the engine, so they never import the merges)."""
        from search import cluster_views

        return getattr(cluster_views, view)(self, *args)

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
        keys = [p["keys"] for p in parts if p["keys"] is not None]
        hits = [h for p in parts for h in p["hits"]]
        if keys:
            primary = np.concatenate([k[0] for k in keys])
            gpid = np.concatenate([k[1] for k in keys])
            order = np.lexsort((gpid, primary))[first:limit]
            page = tuple(hits[int(i)] for i in order)
        else:
            page = ()
        terms = next((p["terms"] for p in parts if p["terms"] is not None), None)
        if terms is None:  # every shard empty: the terms are the query's all the same
            terms = ()
        counted = self._counted(parts)
        facets = {name: self.columns.facet_counts(name, counted, query) for name in FACETS}
        return SearchResults(
            query=query,
            total=sum(p["total"] for p in parts),
            reports=sum(p["reports"] for p in parts),
            occurrences=sum(p["occurrences"] for p in parts),
            hits=page,
            facets=facets,
            places=self.columns.tree_of(counted.values("place"), query),
            timeline=self.columns.timeline(counted),
            terms=terms,
        )

    def _counted(self, parts: list[dict]) -> Counted:
        """The shards' counts summed in the whole index's codes: what one index counts."""
        vocab = self.meta["vocab"]
        sizes = {name: len(vocab[name]) for name in CODED}
        summed = {name: np.zeros(size, np.int64) for name, size in sizes.items()}
        summed["topic"] = np.zeros(len(TOPIC_IDS), np.int64)
        years, timeline = np.zeros(0, np.int64), []
        nd = sizes["district"]
        for k, part in enumerate(parts):
            counts = part["counts"]
            if counts is None:
                continue
            for name in CODED:
                local = counts[name]
                codes = self._codes[k][name][: len(local)]
                summed[name] += np.bincount(codes, weights=local, minlength=sizes[name]).astype(
                    np.int64
                )
            summed["topic"] += counts["topic"]
            year = counts["year"]
            if len(year) > len(years):
                year, years = years, year.copy()
            years[: len(year)] += year
            if counts["timeline"] is not None:
                y, d, n = counts["timeline"]
                timeline.append((y * nd + self._codes[k]["district"][d], n))
        summed["year"] = years
        if timeline:
            keys, inverse = np.unique(np.concatenate([t[0] for t in timeline]), return_inverse=True)
            per_key = np.bincount(inverse, weights=np.concatenate([t[1] for t in timeline]))
            summed["timeline"] = (keys, per_key.astype(np.int64))
        else:
            summed["timeline"] = (np.zeros(0, np.int64), np.zeros(0, np.int64))
        return Counted(summed)

    def _global_dfs(self, query: SearchQuery) -> tuple[int, ...]:
        """Each ranking term's paragraph frequency over every shard (dfs_query_then_fetch's
        first phase), cached per query string and mode: it does not depend on filters."""
        key = (query.q, query.mode)
        with self._lock:
            if key in self._dfs:
                self._dfs.move_to_end(key)
                return self._dfs[key]
        parts = self._call("dfs", replace(query, sort="relevance"))
        lengths = {len(p) for p in parts if p}
        if not lengths:
            dfs: tuple[int, ...] = ()
        else:
            size = lengths.pop()
            dfs = tuple(sum(p[i] for p in parts if p) for i in range(size))
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
    def added(self) -> _Latest:
        """What the feed asks of `Engine.added` on an empty answer: its maximum, no more."""
        return _Latest(max(self._call("latest"), default=0))

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
        stored = self._call("paragraphs", report_id, shards=[k])[0]
        paragraphs = tuple(Paragraph(**{n: s[n] for n in PARAGRAPH_FIELDS}) for s in stored)
        return Report(**{name: meta[name] for name in REPORT_FIELDS}, paragraphs=paragraphs)

    def matched_spans(self, report: Report, q: str, mode: str) -> dict[int, list]:
        """The reader's marks: paragraph number → spans, asked of the report's shard."""
        if not q:
            return {}
        k = self._shard_of_report[report.id]
        return self._call("matched_spans", report.id, q, mode, shards=[k])[0]

    def concordance(self, query: SearchQuery, order: str = "text", context: int = 20):
        """`search.concordance.concordance` over the whole index: each shard's first rows in
        one index's order (with their sort keys), merged as a k-way merge of sorted streams."""
        import heapq
        import itertools

        from search.concordance import Concordance, check

        check(order, context)
        if query.per_page is None:
            first, last = 0, None
        else:
            first = (max(1, query.page) - 1) * query.per_page
            last = first + query.per_page
        parts = self._call("concordance", query, order, context, last)
        streams = [zip(p["keys"], p["rows"], strict=True) for p in parts]
        merged = heapq.merge(*streams, key=lambda kr: kr[0])
        rows = [row for _, row in itertools.islice(merged, first, last)]
        return Concordance(
            query=query,
            order=order,
            context=context,
            occurrences=sum(p["occurrences"] for p in parts),
            paragraphs=sum(p["paragraphs"] for p in parts),
            reports=sum(p["reports"] for p in parts),
            rows=tuple(rows),
        )

    def trends(self, terms, filters: SearchQuery):
        """`search.trends.trends` over the whole index: every shard's counts per year summed
        (a report, so each of its paragraphs, lives in one shard)."""
        from search.trends import TermTrend, Trends, YearCount

        parts = [p for p in self._call("trends", tuple(terms), filters) if p is not None]
        chars: dict[int, int] = {}
        for part in parts:
            for year, c in zip(part.years, part.chars, strict=True):
                chars[year] = chars.get(year, 0) + c
        years = sorted(chars)
        out = []
        for i, q in enumerate(parts[0].terms if parts else ()):
            sums = {y: [0, 0, 0] for y in years}
            for part in parts:
                for row in part.terms[i].years:
                    s = sums[row.year]
                    s[0], s[1], s[2] = (
                        s[0] + row.occurrences,
                        s[1] + row.paragraphs,
                        s[2] + row.reports,
                    )
            rows = tuple(YearCount(y, *sums[y], chars[y]) for y in years)
            out.append(TermTrend(q.q, rows))
        return Trends(
            filters=filters,
            terms=tuple(out),
            years=tuple(years),
            chars=tuple(chars[y] for y in years),
        )

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
        raise ShardedUnsupported(_refusal(name))


def _layout(root: Path, cluster: dict) -> dict:
    """What the front needs of every shard, read from the shards' meta.json: the records of
    every report in single-index order, the merged vocabularies, each local report's
    single-index first paragraph and date rank."""
    shards = cluster["shards"]
    n_reports = sum(len(s["positions"]) for s in shards)
    records: list[dict | None] = [None] * n_reports
    where: list[tuple[int, int]] = [(0, 0)] * n_reports
    chars = 0
    for k, s in enumerate(shards):
        current = _named_commit(root / s["name"], s["commit"])
        metas = [fmt.read_meta(root / s["name"] / seg["name"]) for seg in current["segments"]]
        local = [metas[g]["reports"][r] for g, r in current["order"]]  # the shard's own order
        chars += sum(int(rec["chars"]) for rec in local)
        if len(local) != len(s["positions"]):
            raise IndexMissing(f"shard {s['name']} of {root} does not match {CLUSTER}")
        for r, (pos, rec) in enumerate(zip(s["positions"], local, strict=True)):
            records[pos] = dict(rec)
            where[pos] = (k, r)
    first = 0
    gfirst = [np.zeros(len(s["positions"]), np.int64) for s in shards]
    for pos, rec in enumerate(records):
        k, r = where[pos]
        gfirst[k][r] = first
        rec["first"] = first
        first += rec["count"]
    order = sorted(range(n_reports), key=lambda i: (date_key(records[i]), records[i]["id"]))
    report_rank = np.empty(n_reports, np.int32)
    report_rank[order] = np.arange(n_reports, dtype=np.int32)
    grank = [np.zeros(len(s["positions"]), np.int64) for s in shards]
    for pos in range(n_reports):
        k, r = where[pos]
        grank[k][r] = report_rank[pos]
    meta = {
        "format": None,
        "built": cluster.get("time", ""),
        "sources": cluster.get("sources", []),
        "vocab": fmt.vocabularies(records),
        "reports": records,
        "paragraphs": first,
        "chars": chars,
        "segments": len(shards),
        "shards": len(shards),
    }
    return {
        "meta": meta,
        "gfirst": gfirst,
        "grank": grank,
        "report_rank": report_rank,
        "chars": chars,
        "shard_of_report": {rec["id"]: where[pos][0] for pos, rec in enumerate(records)},
    }


def _named_commit(shard_dir: Path, name: str) -> dict:
    """A shard's commit named by the cluster commit; IndexMissing when it is gone."""
    try:
        return read_commit(shard_dir, name)
    except fmt.VersionMismatch as exc:
        raise IndexCorrupt(str(exc)) from None
    except (OSError, ValueError):
        raise IndexMissing(f"shard {shard_dir} has lost {name}, which {CLUSTER} names") from None


def _codes(local: dict | None, merged: dict) -> dict[str, np.ndarray]:
    """Each of a shard's codes (district, place, type, level) as the whole index's code."""
    if local is None:
        return {name: np.zeros(0, np.int64) for name in CODED}
    out = {}
    for name in CODED:
        key = (lambda v: tuple(v)) if name == "place" else (lambda v: v)
        index = {key(v): i for i, v in enumerate(merged[name])}
        out[name] = np.array([index[key(v)] for v in local[name]], np.int64)
    return out
