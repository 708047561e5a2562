"""The concordance (keyword in context): one row per occurrence of the query's marked terms in
the matching paragraphs, with its left and right context cut at the paragraph's ends.

The occurrences are exactly the search's: the spans of every marked term (or NEAR/gap
pattern) in every matching paragraph, so the row count equals `SearchResults.occurrences`; the
paragraphs and reports counted are the search's too (`total`, `reports`), so a query with
nothing to mark (only negations, ``-改革``) matches paragraphs and has no row.
Orders are total: ties go to (paragraph id, start, end), i.e. report and position.

- ``text``: corpus order (report, paragraph, position);
- ``left``: by the left context read from the match outwards (CQPweb's "sort on 1L"), i.e.
  by the reversed left context; ``right``: by the right context;
- ``year``: oldest first, undated last; ``place``: by district, unknown last.

The sort keys are the folded contexts (what the search matches: simplified characters,
half-width letters and digits), cut at ``context`` characters as shown.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from indexer.models import METADATA_FIELDS, Metadata
from search import budget
from search.charindex import find_all
from search.engine import Engine, Evaluation
from search.errors import BadQuery
from search.results import SearchQuery
from search.worker import Worker

ORDERS = ("text", "left", "right", "year", "place")
DEFAULT_CONTEXT = 20
MAX_CONTEXT = 100
CACHED = 16  # sorted occurrence tables and collocations kept per engine

Occurrence = tuple[int, int, int]  # (paragraph id, start, end)


@dataclass(frozen=True, kw_only=True)
class Row(Metadata):
    """One occurrence: `text[start:end]` of the paragraph, with its context."""

    report_id: str
    paragraph: int
    start: int
    end: int
    left: str
    match: str
    right: str


@dataclass(frozen=True)
class Concordance:
    query: SearchQuery
    order: str
    context: int
    occurrences: int  # the rows: the search's occurrences
    paragraphs: int  # the search's matching paragraphs and their reports, as /search counts
    reports: int  # them (a query of only negations matches paragraphs but has no occurrence)
    rows: tuple[Row, ...]  # the page asked for (every row when query.per_page is None)


def check(order: str, context: int) -> None:
    if order not in ORDERS:
        raise BadQuery(f"参数 order 须为 {'、'.join(ORDERS)} 之一")
    if not 0 <= context <= MAX_CONTEXT:
        raise BadQuery(f"参数 context 须为 0 到 {MAX_CONTEXT} 之间的整数")


def concordance(
    engine: Engine,
    query: SearchQuery,
    order: str = "text",
    context: int = DEFAULT_CONTEXT,
    worker: Worker | None = None,
) -> Concordance:
    """The rows of one page of the concordance of `query` (its filters, page and per_page);
    a table sorted by context is made by `worker`'s process when given (`search.worker`)."""
    check(order, context)
    if hasattr(type(engine), "concordance"):  # a sharded index: the shards' rows merged
        return engine.concordance(query, order, context)
    mask, ev, _ = engine.evaluate(query)
    pids = np.flatnonzero(mask)
    per_pid = _per_paragraph(engine, ev, pids)
    total = int(per_pid.sum())
    if query.per_page is None:
        first, last = 0, total
    else:
        first = (max(1, query.page) - 1) * query.per_page
        last = min(total, first + query.per_page)
    occ = _page(engine, ev, pids, per_pid, query, order, context, first, last, worker)
    report_of = engine.columns.col["report"]
    return Concordance(
        query=query,
        order=order,
        context=context,
        occurrences=total,
        paragraphs=int(pids.size),
        reports=int(np.unique(report_of[pids]).size),
        rows=tuple(_rows(engine, occ, context)),
    )


def iter_rows(
    engine: Engine,
    query: SearchQuery,
    order: str = "text",
    context: int = DEFAULT_CONTEXT,
    worker: Worker | None = None,
) -> Iterator[Row]:
    """Every row in order, read as needed (for the CSV); the query is evaluated at once (and
    a table sorted by context made, by `worker`'s process when given)."""
    check(order, context)
    if hasattr(type(engine), "concordance"):
        return iter(engine.concordance(replace(query, per_page=None), order, context).rows)
    mask, ev, _ = engine.evaluate(query)
    pids = np.flatnonzero(mask)
    if order in ("text", "year", "place"):
        per_pid = _per_paragraph(engine, ev, pids)
        occ = _walk(engine, ev, _ordered_pids(engine, pids, per_pid, order))
    else:
        occ = iter(_sorted_table(engine, ev, query, order, context, pids, worker))
    return _stream(engine, occ, context)


def _stream(engine: Engine, occ: Iterator[Occurrence], context: int) -> Iterator[Row]:
    batch: list[Occurrence] = []
    for o in occ:
        batch.append(o)
        if len(batch) == 500:
            yield from _rows(engine, batch, context)
            batch = []
    yield from _rows(engine, batch, context)


def all_occurrences(engine: Engine, query: SearchQuery) -> tuple[Evaluation, list[Occurrence]]:
    """Every occurrence of the query in corpus order (for collocations)."""
    mask, ev, _ = engine.evaluate(query)
    pids = np.flatnonzero(mask)
    per_pid = _per_paragraph(engine, ev, pids)
    return ev, list(_walk(engine, ev, pids[per_pid > 0]))


# ---------------------------------------------------------------- occurrences in order


def _per_paragraph(engine: Engine, ev: Evaluation, pids: np.ndarray) -> np.ndarray:
    return engine.marks(pids, ev.terms)


def _walk(engine: Engine, ev: Evaluation, pids) -> Iterator[Occurrence]:
    for pid in pids:
        budget.check()
        pid = int(pid)
        for s, e in engine.spans(pid, ev.terms):
            yield pid, s, e


def _ordered_pids(engine: Engine, pids, per_pid, order: str) -> np.ndarray:
    """The paragraphs holding occurrences, in a paragraph-level order (ties: paragraph id)."""
    pids = pids[per_pid > 0]
    if order == "text" or not pids.size:
        return pids
    reports = engine.columns.col["report"][pids]
    rank = _report_rank(engine, order)
    return pids[np.lexsort((pids, rank[reports]))]


def _report_rank(engine: Engine, order: str) -> np.ndarray:
    """Each report's place in the year or place order (ties: index order)."""
    meta = engine.report_meta
    if order == "year":
        keys = [(r["year"] is None or r["year"] == 0, r["year"] or 0) for r in meta]
    else:
        keys = [(r["district"] == "", r["district"]) for r in meta]
    order_ = sorted(range(len(meta)), key=lambda i: (keys[i], i))
    rank = np.empty(len(meta), np.int64)
    rank[order_] = np.arange(len(meta))
    return rank


def _page(
    engine, ev, pids, per_pid, query, order, context, first, last, worker=None
) -> list[Occurrence]:
    if first >= last:
        return []
    if order in ("left", "right"):
        return _sorted_table(engine, ev, query, order, context, pids, worker)[first:last]
    ordered = _ordered_pids(engine, pids, per_pid, order)
    ends = np.cumsum(per_pid[np.searchsorted(pids, ordered)])  # pids are sorted
    i = int(np.searchsorted(ends, first, side="right"))  # the paragraph holding row `first`
    skip = first - (int(ends[i - 1]) if i else 0)
    out: list[Occurrence] = []
    for o in _walk(engine, ev, ordered[i:]):
        if skip:
            skip -= 1
            continue
        out.append(o)
        if len(out) == last - first:
            break
    return out


def _sorted_table(engine, ev, query, order, context, pids, worker=None) -> list[Occurrence]:
    """Every occurrence sorted by its left or right context (cached for paging)."""
    key = (replace(query, page=1, per_page=None), order, context)
    if worker is None:
        return cached(engine, key, lambda: _sort_table(engine, ev, order, context, pids))
    return cached(engine, key, lambda: worker.run(engine, sorted_table, key[0], order, context))


def sorted_table(engine: Engine, query: SearchQuery, order: str, context: int):
    """`_sort_table` of the query's matching paragraphs, the query evaluated afresh (what a
    worker process computes: the evaluation stays with the caller)."""
    mask, ev, _ = engine.evaluate(query)
    return _sort_table(engine, ev, order, context, np.flatnonzero(mask))


def _sort_table(engine, ev, order, context, pids) -> list[Occurrence]:
    occ, keys = [], []
    spans = _spans_in(engine, ev.terms)
    for pid in pids:
        budget.check()
        pid = int(pid)
        text = engine.chars.folded_text(pid)
        for s, e in spans(pid, text):
            occ.append((pid, s, e))
            if order == "left":
                keys.append(text[max(0, s - context) : s][::-1])
            else:
                keys.append(text[e : e + context])
    if not occ:
        return []
    # A stable sort of the keys alone: the rows come in (paragraph, start) order, so ties
    # keep it. NumPy compares strings by code point, as Python does (the folded text holds
    # no NUL, the padding NumPy gives shorter strings).
    ranked = np.argsort(np.array(keys), kind="stable")
    return [occ[i] for i in ranked.tolist()]


def _spans_in(engine: Engine, terms):
    """`engine.spans` for paragraphs whose folded text is at hand; one plain term (the
    common case) is found directly: its non-overlapping occurrences are its marks."""
    if len(terms) == 1 and isinstance(terms[0], str):
        return lambda pid, text: find_all(text, terms[0])
    return lambda pid, text: engine.spans(pid, terms, text)


_LOCK = threading.Lock()
_CACHES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _cache(engine: Engine) -> OrderedDict:
    with _LOCK:
        return _CACHES.setdefault(engine, OrderedDict())


def cached(engine: Engine, key, compute):
    """`compute()` remembered under `key` for this engine (the last CACHED entries), so
    paging through a sorted concordance or reloading collocations does not redo the work."""
    cache = _cache(engine)
    with _LOCK:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    value = compute()
    with _LOCK:
        cache[key] = value
        while len(cache) > CACHED:
            cache.popitem(last=False)
    return value


# ---------------------------------------------------------------- rows


def _rows(engine: Engine, occ, context: int) -> Iterator[Row]:
    """Rows for occurrences, each paragraph's stored text read once in a run."""
    stored_pid, text, report = -1, "", {}
    for pid, s, e in occ:
        if pid != stored_pid:
            stored = engine.words.stored(pid)
            text, n = stored["text"], stored["n"]
            report = engine.report_meta[int(engine.columns.col["report"][pid])]
            stored_pid = pid
        yield Row(
            report_id=report["id"],
            paragraph=n,
            start=s,
            end=e,
            left=text[max(0, s - context) : s],
            match=text[s:e],
            right=text[e : e + context],
            **{name: report[name] for name in METADATA_FIELDS},
        )
