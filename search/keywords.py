"""Keywords: the words and word n-grams a target set of paragraphs uses more than a reference
set, scored as CQPweb and Sketch Engine report them; and the frequent n-grams of one set.

A set is the paragraphs a query selects (its filters, and its query string when it has one).
Items are jieba words (n = 1) or runs of n consecutive words (n = 2…4) not broken by
punctuation or a paragraph's end (``search.tokens``). With a (b) an item's occurrences in the
target (reference) and c (d) the items of that length in the target (reference):

    E1 = c·(a+b)/(c+d),  E2 = d·(a+b)/(c+d)
    LL = 2·(a·ln(a/E1) + b·ln(b/E2))              (a term with a zero count is 0)
    %DIFF = (a/c − b/d) / (b/d) · 100             (None, shown as ∞, when b = 0)
    log ratio = log2((a/c) / (b/d))               (b = 0 taken as 0.5)

log-likelihood after Rayson & Garside (2000), %DIFF after Gabrielatos & Marchi (2012), log
ratio after Hardie (2014). Items over-used in the target (a/c > b/d) with a ≥ `min_freq` are
listed, by LL unless asked otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from search.engine import Engine
from search.errors import BadQuery
from search.query import Filter, parse, walk
from search.results import SearchQuery
from search.selection import parse_year_range
from search.sharding import sharded
from search.tokens import MAX_N, token_table

SORTS = ("ll", "log_ratio", "pdiff", "target")
DEFAULT_MIN_FREQ = 3
TOP = 100
MAX_ROWS = 10_000


@dataclass(frozen=True)
class Keyword:
    word: str  # the word, or the n-gram's words separated by spaces
    target: int  # a
    reference: int  # b
    ll: float
    pdiff: float | None  # None: not in the reference (infinite)
    log_ratio: float


@dataclass(frozen=True)
class Keywords:
    n: int
    target_size: int  # c: items of length n in the target
    reference_size: int  # d
    target_paragraphs: int
    reference_paragraphs: int
    candidates: int  # items over-used with a ≥ min_freq, before the limit
    items: tuple[Keyword, ...]


@dataclass(frozen=True)
class NGram:
    word: str
    freq: int
    per_million: float
    reports: int


@dataclass(frozen=True)
class NGrams:
    n: int
    size: int
    paragraphs: int
    items: tuple[NGram, ...]


def set_mask(engine: Engine, query: SearchQuery) -> np.ndarray:
    """The paragraphs of a set: under the query's filters, and matching its string if any."""
    if query.q.strip():
        return engine.evaluate(query)[0]
    return engine.columns.filter_mask(query)


def check_query(q: str) -> None:
    """Raise the `BadQuery` that evaluating the query string `q` would (its limits, and a
    year typed in it that is none), without evaluating it: for a set a view does not count."""
    for node in walk(parse(q)):
        if isinstance(node, Filter) and node.field == "year":
            parse_year_range(node.value.strip())


def check_n(n: int) -> int:
    if not 1 <= n <= MAX_N:
        raise BadQuery(f"参数 n 须在 1 到 {MAX_N} 之间")
    return n


def keywords(
    engine: Engine,
    target: SearchQuery,
    reference: SearchQuery | None = None,
    n: int = 1,
    min_freq: int = DEFAULT_MIN_FREQ,
    sort: str = "ll",
    limit: int | None = TOP,
) -> Keywords:
    """The items over-used in `target` against `reference` (the whole index when None)."""
    check_n(n)
    if sort not in SORTS:
        raise BadQuery(f"参数 sort 须为 {'、'.join(SORTS)} 之一")
    if sharded(engine):  # the shards' counts, summed
        return engine.merged("sharded_keywords", target, reference, n, min_freq, sort, limit)
    table = token_table(engine)
    t_mask = set_mask(engine, target)
    a_all = table.counts(n, table.positions(t_mask))
    if reference is None:
        r_mask = np.ones(engine.n, bool)
        b_all = table.whole(n)
    else:
        r_mask = set_mask(engine, reference)
        b_all = table.counts(n, table.positions(r_mask))
    c, d = int(a_all.sum()), int(b_all.sum())
    if d == 0:  # nothing to compare with: no keyword, as with an empty target
        return Keywords(n, c, d, int(t_mask.sum()), int(r_mask.sum()), 0, ())
    chosen = np.flatnonzero(a_all >= max(1, min_freq))
    chosen = chosen[a_all[chosen] * d > b_all[chosen] * c]  # over-used: a/c > b/d
    a = a_all[chosen].astype(np.float64)
    b = b_all[chosen].astype(np.float64)
    items = ranked(a, b, c, d, sort, limit, lambda i: table.label(n, int(chosen[i])))
    return Keywords(n, c, d, int(t_mask.sum()), int(r_mask.sum()), int(chosen.size), items)


def ranked(
    a: np.ndarray,
    b: np.ndarray,
    c: int,
    d: int,
    sort: str,
    limit: int | None,
    word: Callable[[int], str],
) -> tuple[Keyword, ...]:
    """The keywords of candidates counted `a` in the target (of `c` items) and `b` in the
    reference (of `d`), by `sort` then the target's count, the first `limit`; `word(i)` is
    candidate i's word. One index and a sharded one rank alike."""
    ll, pdiff, lr = scores(a, b, c, d)
    key = {"ll": ll, "log_ratio": lr, "pdiff": np.where(b > 0, pdiff, np.inf), "target": a}[sort]
    order = np.lexsort((-a, -key))  # by the score, then the target's count
    if limit is not None:
        order = order[: min(limit, MAX_ROWS)]
    return tuple(
        Keyword(
            word=word(i),
            target=int(a[i]),
            reference=int(b[i]),
            ll=float(ll[i]),
            pdiff=float(pdiff[i]) if b[i] > 0 else None,
            log_ratio=float(lr[i]),
        )
        for i in order
    )


def scores(a: np.ndarray, b: np.ndarray, c: int, d: int):
    """(LL, %DIFF, log ratio) of counts `a` in a set of `c` items against `b` in `d`."""
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        ll = 2 * (_xlog(a, e1) + _xlog(b, e2))
        pdiff = np.where(b > 0, (a / c - b / d) / (b / d) * 100, np.nan)
    lr = np.log2((a / c) / (np.where(b > 0, b, 0.5) / d))
    return ll, pdiff, lr


def _xlog(x: np.ndarray, e: np.ndarray) -> np.ndarray:
    return np.where(x > 0, x * np.log(np.where(x > 0, x, 1) / np.where(e > 0, e, 1)), 0.0)


def ngrams(
    engine: Engine, query: SearchQuery, n: int = 2, min_freq: int = 2, limit: int | None = TOP
) -> NGrams:
    """The most frequent items of length `n` in one set, with the reports they occur in."""
    check_n(n)
    if sharded(engine):  # the shards' counts, summed
        return engine.merged("sharded_ngrams", query, n, min_freq, limit)
    table = token_table(engine)
    mask = set_mask(engine, query)
    where = table.positions(mask)
    counts = table.counts(n, where)
    size = int(counts.sum())
    chosen = np.flatnonzero(counts >= max(1, min_freq))
    order = chosen[np.lexsort((chosen, -counts[chosen]))]
    if limit is not None:
        order = order[: min(limit, MAX_ROWS)]
    reports = _reports(engine, table, n, where, order)
    items = tuple(
        NGram(
            table.label(n, int(k)),
            int(counts[k]),
            counts[k] / size * 1e6 if size else 0.0,
            reports.get(int(k), 0),
        )
        for k in order
    )
    return NGrams(n, size, int(mask.sum()), items)


def _reports(engine: Engine, table, n: int, where: np.ndarray, codes: np.ndarray) -> dict:
    """How many reports of the set hold each of `codes`."""
    if not codes.size:
        return {}
    grams, _ = table.grams(n)
    report_at = np.repeat(engine.report_of, table.lengths)
    picked = where & np.isin(grams, codes)
    pairs = np.unique(
        grams[picked].astype(np.int64) * (len(engine.report_meta) + 1) + report_at[picked]
    )
    found = np.bincount(pairs // (len(engine.report_meta) + 1))
    return {int(k): int(found[k]) for k in codes if k < len(found)}
