"""The search engine, with no HTTP in it: `search(SearchQuery) -> SearchResults`, `get_report`.

An `Engine` is one opened index generation, composed of the exact character index
(`charindex`), the Whoosh word index and stored fields (`wordindex`), per-paragraph columns
for filters and facets (`filters`, `facets`) and the ranking (`rank`). A query string is
parsed (`query`) to a tree whose every term is matched exactly in the character index (or, in
word mode, by its jieba words); the tree evaluates to a boolean mask over paragraphs
(`matching`). Here: opening and checking an index, and the answers.
"""

from __future__ import annotations

import gc
import logging
import warnings
import weakref
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from indexer.fold import fold_signature
from indexer.models import METADATA_FIELDS, PARAGRAPH_FIELDS, REPORT_FIELDS, Paragraph, Report
from search import patterns, store
from search.errors import BaogaoError, IndexCorrupt
from search.filters import Columns
from search.lift import lift_filters
from search.matching import Evaluation, Matching
from search.rank import Ranker
from search.reports import ReportTable
from search.results import MAX_PER_PAGE, Hit, SearchQuery, SearchResults
from search.segments import Logical, open_commit
from search.termcache import TermCache

log = logging.getLogger(__name__)


class Engine(Matching):
    """One opened index generation. Thread-safe; open once per process (see
    `search.holder.EngineHolder`)."""

    def __init__(self, view: Logical):
        self.path = view.root / view.name  # the commit (or generation) opened
        self.target = view.name
        self.meta = view.meta
        self.report_meta: list[dict] = self.meta["reports"]
        col = view.col
        self.n = int(self.meta["paragraphs"])
        self.columns = Columns(col, self.meta["vocab"], self.n)
        self.chars = view.chars
        self.words = view.words
        self.ranker = Ranker(col["chars"], col["report"], col["report_rank"])
        self.report_of = col["report"]  # paragraph id → report index
        self.added = col["added"]  # when each paragraph's report was added (UTC seconds, float)
        self.table = ReportTable(self.report_meta, col["report_rank"])
        # Close the word index's files when the engine is dropped. A finalizer, not __del__:
        # its callback runs before the collector finalizes the engine's garbage, so Whoosh's
        # open files are closed by it, never found unclosed (a ResourceWarning) first.
        self._closer = weakref.finalize(self, view.words.close)
        me = weakref.proxy(self)  # no cycle through the cache (see CharIndex)
        entries = view.cache_entries
        self._pattern_counts = TermCache(lambda p: patterns.counts(me.chars, p), entries)

    @classmethod
    def open(cls, index_dir: str | Path, commit: str | None = None) -> Engine:
        """The current generation (or the commit file `commit`), checked: IndexMissing when
        absent, IndexCorrupt when its files cannot be read or do not agree, so damage shows
        at open, not mid-request."""
        target = commit or store.current_target(index_dir) or ""
        with warnings.catch_warnings():
            # Whoosh leaves the files of a segment it failed to read open: close them now,
            # quietly, rather than whenever the garbage collector finds them.
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                return cls._open_checked(index_dir, commit)
            except BaogaoError:
                raise
            except Exception as exc:
                reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
            gc.collect()
        raise IndexCorrupt(
            f"index at {index_dir} is damaged ({target}: {reason}); "
            f"rebuild it with `baogao index PATH --index {index_dir}`"
        )

    @classmethod
    def _open_checked(cls, index_dir: str | Path, commit: str | None = None) -> Engine:
        engine = cls(open_commit(index_dir, commit))
        try:
            engine.verify()
        except Exception:
            engine.close()
            raise
        return engine

    def verify(self) -> None:
        """Cheap consistency checks between the files of the generation."""
        rebuild = f"rebuild it with `baogao index PATH --index {self.path.parent}`"
        if self.meta.get("fold") != fold_signature():
            raise IndexCorrupt(
                f"index at {self.path.parent} was built with another character fold (a "
                f"different OpenCC?); {rebuild}"
            )
        lengths = {name: self.n for name in self.columns.col}
        lengths.update(report_rank=len(self.report_meta))
        for name, expected in lengths.items():
            if len(self.columns.col[name]) != expected:
                got = len(self.columns.col[name])
                raise ValueError(f"column {name} holds {got} rows, not {expected}")
        self.chars.verify()
        self.words.verify()

    def close(self) -> None:
        self._closer()  # once: a later call, or the engine's collection, does nothing

    # -- answers --------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        mask, ev, selections = self.evaluate(query)
        pids = np.flatnonzero(mask)  # everything below works on the matches only
        total = int(pids.size)
        if query.per_page is None:
            page_pids = self._ordered(pids, ev, query.sort)
        else:
            per_page = max(0, min(int(query.per_page), MAX_PER_PAGE))  # 0: counts only
            first = (max(1, int(query.page)) - 1) * per_page
            limit = first + per_page
            page_pids = (
                self._ordered(pids, ev, query.sort, limit=limit)[first:] if per_page else pids[:0]
            )
        occurrences = int(self.marks(pids, ev.terms).sum()) if total else 0
        tally = self.columns.tally(pids, ascending=True)  # every count below
        reports = int(np.count_nonzero(tally.per_report())) if total else 0
        facets, places = self.columns.facets(query, ev.mask, pids, selections, tally)
        return SearchResults(
            query=query,
            total=total,
            reports=reports,
            occurrences=occurrences,
            hits=tuple(self._hit(int(p), ev) for p in page_pids),
            facets=facets,
            places=places,
            timeline=self.columns.timeline(tally),
            terms=tuple(str(t) for t in ev.terms),
        )

    def lift_filters(self, query: SearchQuery) -> SearchQuery:
        """The same search with filters typed in its string moved into its selections."""
        return lift_filters(query, self.columns)

    def iter_hits(self, query: SearchQuery) -> Iterator[Hit]:
        """Every hit in order, each read as it is needed: for CSV export and `--all`."""
        mask, ev, _ = self.evaluate(query)
        for p in self._ordered(np.flatnonzero(mask), ev, query.sort):
            yield self._hit(int(p), ev)

    def newest(self, query: SearchQuery, limit: int) -> list[tuple[Hit, float]]:
        """The `limit` matching paragraphs added last, each with when it was added (UTC
        seconds); ties (one update adds many) keep the query's own order."""
        mask, ev, _ = self.evaluate(query)
        pids = self._ordered(np.flatnonzero(mask), ev, query.sort)
        latest = pids[np.argsort(-self.added[pids], kind="stable")[: max(0, limit)]]
        return [(self._hit(int(p), ev), float(self.added[p])) for p in latest]

    def _ordered(self, pids: np.ndarray, ev: Evaluation, sort: str, limit: int | None = None):
        return self.ranker.ordered(pids, sort, self.counts, ev.words + ev.terms, limit)

    def _hit(self, pid: int, ev: Evaluation) -> Hit:
        stored = self.words.stored(pid)
        report = self.report_meta[int(self.columns.col["report"][pid])]
        return Hit(
            report_id=report["id"],
            paragraph=stored["n"],
            source=report["source"],
            section=stored["section"],
            text=stored["text"],
            heading=stored["heading"],
            topics=stored["topics"],
            topic_scores=tuple(stored.get("topic_scores", ())),
            matches=tuple(self.spans(pid, ev.terms)),
            **{name: report[name] for name in METADATA_FIELDS},
        )

    def reports(self, query: SearchQuery | None = None) -> list[dict]:
        """Every report's record in index order; with a query, the reports holding a
        paragraph that it matches (the same filters and query language as a search)."""
        if query is None:
            return self.table.records()
        mask, _, _ = self.evaluate(query)
        return self.table.records(np.unique(self.report_of[mask]))

    def get_report(self, report_id: str) -> Report:
        meta = self.table.meta(report_id)
        paragraphs = []
        for pid in self.table.paragraph_ids(report_id):
            stored = self.words.stored(pid)
            paragraphs.append(
                Paragraph(**{name: stored[name] for name in PARAGRAPH_FIELDS if name in stored})
            )
        return Report(**{name: meta[name] for name in REPORT_FIELDS}, paragraphs=tuple(paragraphs))
