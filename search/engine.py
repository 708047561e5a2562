"""The search engine, with no HTTP in it: `search(SearchQuery) -> SearchResults`, `get_report`.

An `Engine` is one opened index generation, composed of the exact character index
(`charindex`), the Whoosh word index and stored fields (`wordindex`), per-paragraph columns
for filters and facets (`filters`) and the ranking (`rank`). A query string is parsed
(`query`) to a tree whose every term is matched exactly in the character index (or, in word
mode, by its jieba words); the tree evaluates to a boolean mask over paragraphs.
"""

from __future__ import annotations

import gc
import logging
import warnings
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from indexer.analysis import words as jieba_words
from indexer.fold import fold, fold_signature
from indexer.models import METADATA_FIELDS, PARAGRAPH_FIELDS, REPORT_FIELDS, Paragraph, Report
from search import budget, evaluations, patterns, store
from search import query as ql
from search.charindex import can_overlap, merge_spans
from search.errors import BadQuery, BaogaoError, IndexCorrupt
from search.filters import Columns
from search.lift import lift_filters
from search.rank import Ranker
from search.reports import ReportTable
from search.results import MAX_PER_PAGE, MODES, SORTS, Hit, SearchQuery, SearchResults
from search.segments import Logical, open_commit

log = logging.getLogger(__name__)


@dataclass
class Evaluation:
    """The paragraphs matching the query string, and the strings that mark and rank them."""

    mask: np.ndarray
    terms: list[patterns.Marker] = field(default_factory=list)  # folded strings or patterns,
    # marked and counted
    words: list[str] = field(default_factory=list)  # the terms' jieba words: ranking only


class Engine:
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
        self._pattern_counts = lru_cache(maxsize=entries)(lambda p: patterns.counts(me.chars, p))

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

    # -- evaluation of the query tree ---------------------------------------------------

    def evaluate(self, query: SearchQuery) -> tuple[np.ndarray, Evaluation, dict]:
        """The final mask, the term evaluation and the facet selection masks of a query."""
        if query.mode not in MODES:
            raise BadQuery(f"参数 mode 须为 {'、'.join(MODES)} 之一")
        if query.sort not in SORTS:
            raise BadQuery(f"参数 sort 须为 {'、'.join(SORTS)} 之一")
        kept = evaluations.kept()
        key = (id(self), replace(query, page=1, per_page=None, sort=SORTS[0]))  # what matches
        if kept is not None and key in kept:
            mask, ev, selections = kept[key]
            return mask.copy(), ev, selections
        tree = ql.parse(query.q)
        ev = Evaluation(mask=np.zeros(0, bool))
        ev.mask = self._evaluate(tree, query.mode, ev)
        selections = self.columns.selection_masks(query)
        mask = ev.mask.copy()
        for m in selections.values():
            mask &= m
        if kept is not None:
            kept[key] = (mask.copy(), ev, selections)
        return mask, ev, selections

    def _evaluate(self, node, mode: str, ev: Evaluation, negated: bool = False) -> np.ndarray:
        budget.check()
        if isinstance(node, ql.MatchAll):
            return np.ones(self.n, bool)
        if isinstance(node, ql.Term):
            return self._term_mask(node.text, mode, ev, record=not negated)
        if isinstance(node, ql.And):
            mask = np.ones(self.n, bool)
            for child in node.children:
                mask &= self._evaluate(child, mode, ev, negated)
            return mask
        if isinstance(node, ql.Or):
            mask = np.zeros(self.n, bool)
            for child in node.children:
                mask |= self._evaluate(child, mode, ev, negated)
            return mask
        if isinstance(node, ql.Not):
            return ~self._evaluate(node.child, mode, ev, not negated)
        if isinstance(node, ql.Filter):
            return self.columns.field_mask(node.field, node.value)
        if isinstance(node, ql.Gap | ql.Near):
            marker = patterns.compile_node(node)
            if marker is None:
                return np.ones(self.n, bool) if isinstance(node, ql.Gap) else np.zeros(self.n, bool)
            if not negated and marker not in ev.terms:
                ev.terms.append(marker)
            return self.counts(marker) > 0
        raise BadQuery(f"无法检索的查询成分：{type(node).__name__}")

    def _term_mask(self, text: str, mode: str, ev: Evaluation, record: bool) -> np.ndarray:
        folded = fold(text).strip()
        if not folded:
            return np.ones(self.n, bool)
        words = tuple(jieba_words(folded)) if mode == "words" or record else ()
        if mode == "words" and words:
            mask = self.words.docs(words)
            marked = words  # word mode marks and counts every word of the term
        else:
            mask = self.chars.counts(folded) > 0
            marked = (folded,)
        if record:
            for w in marked:
                if w not in ev.terms:
                    ev.terms.append(w)
            for w in words:  # single characters of a longer term say little for ranking
                if len(w) > 1 and w not in ev.words and w not in marked:
                    ev.words.append(w)
        return mask

    def counts(self, marker: patterns.Marker) -> np.ndarray:
        """Occurrences per paragraph of a folded term or a pattern (cached, read-only)."""
        if isinstance(marker, str):
            return self.chars.counts(marker)
        return self._pattern_counts(marker)

    def spans(self, pid: int, markers, folded: str | None = None) -> list[tuple[int, int]]:
        """The marks of paragraph `pid` (whose `folded` text the caller may hold already):
        every occurrence of each marker, occurrences of different markers that overlap
        merged into one stretch."""
        text = self.chars.folded_text(pid) if folded is None else folded
        return merge_spans(patterns.marker_spans(text, markers))

    def marks(self, pids: np.ndarray, markers) -> np.ndarray:
        """How many marks each of the paragraphs `pids` holds: each marker's occurrences,
        except where occurrences of two markers overlap (发展改革 and 发展): once, as marked.
        What the search, the concordance, trends and adoption all count."""
        out = np.zeros(pids.size, np.int64)
        for m in markers:
            out += self.counts(m)[pids]
        clashing = [m for m in markers if any(can_overlap(m, o) for o in markers if o is not m)]
        if len(clashing) >= 2 and pids.size:
            present = sum((self.counts(m)[pids] > 0).astype(np.int32) for m in clashing)
            for i in np.flatnonzero(present >= 2):
                budget.check()
                out[i] = len(self.spans(int(pids[i]), markers))
        return out

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
