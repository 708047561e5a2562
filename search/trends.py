"""Terms compared over time: for each of a few queries, its occurrences, matching paragraphs
and reports per year, and occurrences per 10,000 characters of the reports in the filters.

The filters are those of one `SearchQuery` (its selections, and its mode: each term is matched
exactly or by words as that search would match it, so a term's counts over the years add up to
the search's of its dated reports); each term is a query string of its own. A year is listed
when a report in the filters has it, so a year without any is a gap in a chart, not a zero;
undated reports are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from indexer.place import Place
from search.results import SearchQuery
from search.sharding import sharded

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
    filters: SearchQuery  # the selections and mode shared by every term (its q is ignored)
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


# -- one term in several places ---------------------------------------------------------------

MAX_PLACES = 10  # places named with place=
MAX_MULTIPLES = 60  # small multiples of a level: the places with the most occurrences


@dataclass(frozen=True)
class PlaceTrend:
    place: Place  # coded as in its last year with a report
    years: tuple[YearCount, ...]  # every year of the whole scope; chars 0: no report there

    @property
    def occurrences(self) -> int:
        return sum(y.occurrences for y in self.years)


def trend_place(place: tuple[str, str, str], years: tuple[YearCount, ...]) -> Place:
    """A place of the index's place table (province, city, name), coded as in its last year
    with a report in the scope."""
    last = max((y.year for y in years if y.chars), default=None)
    return Place.of_tree(*place, year=last)


@dataclass(frozen=True)
class PlaceTrends:
    q: str
    filters: SearchQuery
    places: tuple[PlaceTrend, ...]
    years: tuple[int, ...]  # years with a report in the filters (any place)
    unknown: tuple[str, ...] = ()  # names asked for that no report in the filters has
    left_out: int = 0  # places of the level beyond MAX_MULTIPLES


def place_trends(
    engine, q: str, filters: SearchQuery, names: tuple[str, ...] = (), level: str = ""
) -> PlaceTrends:
    """One query's counts per year in each place named (a place is the place field of its own
    reports: 拱墅区, 杭州市, 浙江省), or in every place of `level` under the filters (the
    MAX_MULTIPLES with the most occurrences). Each place's divisor is its own reports'
    characters that year. The query is evaluated once."""
    if sharded(engine):  # the shards' counts per place, summed
        return engine.merged("sharded_place_trends", q, filters, names, level)
    col = engine.columns.col
    places = engine.columns.places
    scoped = filters if not level else replace(filters, levels=(level,))
    scope = engine.columns.filter_mask(scoped) & (col["year"] != 0)
    years = np.flatnonzero(np.bincount(col["year"][scope], weights=col["chars"][scope]))
    mask, ev, _ = engine.evaluate(replace(scoped, q=q, page=1, per_page=None))
    universe = np.flatnonzero(scope)
    hits = np.flatnonzero(mask & scope)
    occ = occurrences(engine, hits, ev.terms)
    in_scope = np.unique(col["place"][universe])
    unknown: list[str] = []
    if level:
        codes = [int(c) for c in in_scope]
    else:
        codes = []
        for name in names:
            found = [int(c) for c in in_scope if places[c][2] == name]
            codes.extend(found)
            if not found:
                unknown.append(name)
    n = int(col["year"].max(initial=0)) + 1
    out = []
    for code in dict.fromkeys(codes):
        u = universe[col["place"][universe] == code]
        h = col["place"][hits] == code
        pids, o = hits[h], occ[h]
        year_chars = np.bincount(col["year"][u], weights=col["chars"][u], minlength=n)
        occ_by_year = np.bincount(col["year"][pids], weights=o, minlength=n)
        paragraphs = np.bincount(col["year"][pids], minlength=n)
        pairs = np.unique(col["year"][pids].astype(np.int64) << 32 | col["report"][pids])
        reports = np.bincount((pairs >> 32).astype(np.int64), minlength=n)
        rows = tuple(
            YearCount(
                int(y), int(occ_by_year[y]), int(paragraphs[y]), int(reports[y]),
                int(year_chars[y]),
            )
            for y in years
        )  # fmt: skip
        out.append(PlaceTrend(trend_place(places[code], rows), rows))
    left_out = 0
    if level and len(out) > MAX_MULTIPLES:
        keep = sorted(out, key=lambda p: -p.occurrences)[:MAX_MULTIPLES]
        left_out = len(out) - len(keep)
        out = [p for p in out if p in keep]
    return PlaceTrends(
        q, filters, tuple(out), tuple(int(y) for y in years), tuple(unknown), left_out
    )
