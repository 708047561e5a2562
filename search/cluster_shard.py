"""The shard side of a sharded index: `ShardServer`, one shard's `Engine` held by a Ray actor
(the same code runs in-process for tests), answering the front's fan-out with its part of
each answer in one round trip: its counts in its own codes, its first hits with their
one-index sort keys, its concordance rows with their merge keys, its trends and reports.

Every paragraph carries its one-index id (`gpid`, from the report positions the cluster
commit records) and every report its one-index date rank (`grank`), so a shard sorts its
matches by the very keys one index sorts by, and the front's merge is a sort of the shards'
parts by them. BM25 is scored here with the whole cluster's statistics, which the front
gathers first (`dfs`) and passes in (`stats`).
"""

from __future__ import annotations

import math
import os
from dataclasses import replace
from pathlib import Path

import numpy as np

from indexer.format import CODED
from search import budget
from search.cluster_layout import named_commit
from search.errors import ReportNotFound
from search.rank import K1, B
from search.results import SearchQuery


class ShardServer:
    """One shard's engine, held by a Ray actor; the same code runs in-process for tests.

    `gfirst[r]` is the single-index paragraph id of local report r's first paragraph,
    `grank[r]` its single-index date rank."""

    def __init__(self, shard_dir: str, commit: str, gfirst, grank):
        from search.engine import Engine

        # the commit the cluster commit names, whatever `current` says: an update of the
        # shards that was killed before its cluster commit leaves `current` ahead of it
        self.commit = commit
        named = named_commit(Path(shard_dir), commit)
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

    def within(self, left: tuple[float, float] | None, method: str, *args):
        """`method(*args)` within what is left of the asking request's time budget (`left`:
        seconds left and the budget's seconds, None: no budget), so that a shard stops a
        costly request as one index does instead of working on after the front answered."""
        if left is None:
            return getattr(self, method)(*args)
        with budget.limit(*left):
            return getattr(self, method)(*args)

    def ping(self) -> int:
        return os.getpid()

    def ident(self) -> dict:
        """Who answers: the Ray actor's id (None in-process), its process, its shard commit."""
        actor = None
        try:
            import ray

            if ray.is_initialized():
                actor = ray.get_runtime_context().get_actor_id()
        except ImportError:
            pass
        return {"actor": actor, "pid": os.getpid(), "commit": self.commit}

    def run(self, name: str, *args):
        """The shard-side part `shard_<name>` of a view's merge (`search.cluster_parts`)."""
        from search.cluster_parts import shard_part

        return shard_part(name)(self, *args)

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

    def paragraphs_of(self, report_ids: list[str]) -> dict[str, list[dict]]:
        """The stored paragraphs of each of `report_ids` that this shard holds."""
        e = self.engine
        out: dict[str, list[dict]] = {}
        if e is None:
            return out
        for report_id in report_ids:
            try:
                pids = e.table.paragraph_ids(report_id)
            except ReportNotFound:  # another shard's
                continue
            out[report_id] = [e.words.stored(pid) for pid in pids]
        return out

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
