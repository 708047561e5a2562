"""Terms compared over time: for each of a few queries, its occurrences, matching paragraphs
and reports per year, and occurrences per 10,000 characters of the reports in the filters.

The filters are those of one `SearchQuery` (its selections); each term is a query string of its
own. A year is listed when a report in the filters has it, so a year without any is a gap in a
chart, not a zero; undated reports are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from search.results import SearchQuery

MAX_TERMS = 5


def occurrences(engine, pids: np.ndarray, terms) -> np.ndarray:
    """Occurrences of the query's counted terms in each of the paragraphs `pids`, as the
    search counts them (its marks)."""
    return engine.marks(pids, terms)


@dataclass(frozen=True)
class YearCount:
    year: int
    occurrences: int
    paragraphs: int
    reports: int
    chars: int  # characters of the paragraphs in the filters that year: the divisor

    @property
    def per10k(self) -> float:
        return self.occurrences / self.chars * 10_000 if self.chars else 0.0


@dataclass(frozen=True)
class TermTrend:
    q: str
    years: tuple[YearCount, ...]  # every year with a report in the filters, ascending

    @property
    def occurrences(self) -> int:
        return sum(y.occurrences for y in self.years)


@dataclass(frozen=True)
class Trends:
    filters: SearchQuery  # the selections shared by every term (its q is ignored)
    terms: tuple[TermTrend, ...]
    years: tuple[int, ...]  # years with a report in the filters
    chars: tuple[int, ...]  # their divisors, in the same order


def trends(engine, terms: list[str] | tuple[str, ...], filters: SearchQuery) -> Trends:
    """Counts per year of every term within the filters of `filters` (up to MAX_TERMS)."""
    if hasattr(type(engine), "trends"):  # a sharded index: each shard's counts, summed
        return engine.trends(terms, filters)
    col = engine.columns.col
    scope = engine.columns.filter_mask(filters) & (col["year"] != 0)
    year_chars = np.bincount(col["year"][scope], weights=col["chars"][scope])
    years = np.flatnonzero(year_chars)
    out = []
    for q in terms[:MAX_TERMS]:
        mask, ev, _ = engine.evaluate(replace(filters, q=q, page=1, per_page=None))
        pids = np.flatnonzero(mask & scope)
        year = col["year"][pids]
        occ = occurrences(engine, pids, ev.terms)
        n = len(year_chars)
        occ_by_year = np.bincount(year, weights=occ, minlength=n)
        paragraphs = np.bincount(year, minlength=n)
        pairs = np.unique(year.astype(np.int64) << 32 | col["report"][pids])
        reports = np.bincount((pairs >> 32).astype(np.int64), minlength=n)
        rows = tuple(
            YearCount(
                int(y),
                int(occ_by_year[y]),
                int(paragraphs[y]),
                int(reports[y]),
                int(year_chars[y]),
            )
            for y in years
        )
        out.append(TermTrend(q, rows))
    return Trends(
        filters=filters,
        terms=tuple(out),
        years=tuple(int(y) for y in years),
        chars=tuple(int(year_chars[y]) for y in years),
    )
