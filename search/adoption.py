"""Who said it first: for one query and one level (province, city or district), the first and
last year each place's own reports mention it, its mentions per year, the places with reports
that never do ("not yet"), the cumulative adoption curve, and the place × year panel for an
event-history model.

A place is an issuing place of that level (a province adopts when its own reports mention the
query, not its cities'), told apart by its whole chain (province, city, district), so two
counties of one name are two places. Only dated reports count. A mention is an occurrence of a
query term, as the search counts them; a query with no term to count (only filters or
negations: ``-改革``) has no occurrence, and its mentions are its matching paragraphs, as the
search counts them (`Adoption.mentions_count` says which).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from indexer.place import Place
from search.errors import BadQuery
from search.facet_table import PLACE_FIELDS
from search.matching import has_marks
from search.sharding import sharded
from search.trends import occurrences

LEVELS = PLACE_FIELDS  # the levels of places compared: province, city, district
MENTIONS = {True: "occurrences", False: "paragraphs"}  # by whether the query has a term to count


@dataclass(frozen=True)
class Adopter:
    place: Place  # coded as in its first year
    first_year: int
    first_report_id: str
    first_paragraph: int
    last_year: int
    mentions: dict[int, int]  # year → mentions, only years with one
    years: tuple[int, ...]  # years with a report of the place in the filters
    first_place: str = ""  # who issued the adopting report (a city or county when rolled up)


@dataclass(frozen=True)
class NotYet:
    place: Place  # coded as in its last year
    years: tuple[int, ...]


@dataclass(frozen=True)
class CurvePoint:
    year: int
    adopted: int  # places that mentioned the query this year or earlier
    places: int  # places in the table
    share: float


@dataclass(frozen=True)
class PanelRow:
    place: Place  # coded as in the row's year
    year: int
    report_ids: tuple[str, ...]
    chars: int
    mentions: int
    adopted: bool
    first_year: int | None


@dataclass(frozen=True)
class Adoption:
    q: str
    level: str
    places: tuple[Adopter, ...]  # by first year, then by name
    not_yet: tuple[NotYet, ...]
    curve: tuple[CurvePoint, ...]
    panel: tuple[PanelRow, ...]
    mentions_count: str = "occurrences"  # what a mention is: "occurrences", or "paragraphs" (a
    # query with no term to count)


def adoption(engine, query, rollup: bool = False) -> Adoption:
    """The adoption table of `query.q` at the one level in `query.levels`, under every other
    selection of `query`; with `rollup`, a place's reports are its own and those of the places
    under it (a province adopts when any of its own, its cities' or its counties' do)."""
    if len(query.levels) != 1 or query.levels[0] not in LEVELS:
        raise BadQuery(f"level 须为 {'、'.join(LEVELS)} 之一")
    level = query.levels[0]
    query = replace(query, page=1, per_page=None)
    rollup = rollup and level != "district"  # nothing lies under a county
    if sharded(engine):  # each shard's cells, merged
        found = engine.merged("adoption_cells", query, level, rollup)
    else:
        found = cells(engine, query, level, rollup)
    _, places = _place_groups(engine.columns.places, level, rollup)
    return table(query.q, level, places, found)


@dataclass
class Cell:
    """One (place, year) of an adoption table: what a shard adds up as one index would."""

    chars: int
    mentions: int
    first: tuple | None  # the first mention: (paragraph id in one index's order, report id,
    # paragraph number, issuing place); None when no paragraph mentions the query
    reports: list[tuple[int, str]]  # (position in one index's order, report id)

    def add(self, other: Cell) -> None:
        self.chars += other.chars
        self.mentions += other.mentions
        if other.first is not None and (self.first is None or other.first[0] < self.first[0]):
            self.first = other.first
        self.reports += other.reports


def cells(engine, query, level: str, rollup: bool, gpid=None, gpos=None) -> dict[tuple, Cell]:
    """(place, year) → Cell for the engine's paragraphs; `gpid` and `gpos`, when given, are
    the one-index paragraph ids and report positions of a shard's paragraphs and reports."""
    if rollup:  # every level counts, each paragraph standing for its place at `level`
        query = replace(query, levels=())
    lut, places = _place_groups(engine.columns.places, level, rollup)
    col = engine.columns.col
    place = lut[col["place"]]
    mask, ev, _ = engine.evaluate(query)
    scope = engine.columns.filter_mask(query) & (col["year"] != 0) & (place >= 0)
    universe = np.flatnonzero(scope)
    hits = np.flatnonzero(mask & scope)
    mentions = occurrences(engine, hits, ev.terms) if ev.terms else np.ones(hits.size, np.int64)

    # one key per (place, year), in place then year order
    year = col["year"].astype(np.int64)
    keys, inverse = np.unique(place[universe] * 10_000 + year[universe], return_inverse=True)
    chars = np.bincount(inverse, weights=col["chars"][universe], minlength=keys.size)
    hit_rows = np.searchsorted(keys, place[hits] * 10_000 + year[hits])
    per_key = np.bincount(hit_rows, weights=mentions, minlength=keys.size)
    rows_hit, first_index = np.unique(hit_rows, return_index=True)  # hits are in index order
    first_hit = dict(zip(rows_hit.tolist(), hits[first_index].tolist(), strict=True))
    reports = _reports_by_key(universe, inverse, col["report"], engine.report_meta, gpos)
    out = {}
    for row, k in enumerate(keys.tolist()):
        pid, first = first_hit.get(row), None
        if pid is not None:
            meta = engine.report_meta[int(col["report"][pid])]
            at = pid if gpid is None else int(gpid[pid])
            first = (at, meta["id"], int(col["n"][pid]), meta["district"])
        out[(places[k // 10_000], k % 10_000)] = Cell(
            int(chars[row]), int(per_key[row]), first, reports[row]
        )
    return out


def table(q: str, level: str, places: list[tuple], found: dict[tuple, Cell]) -> Adoption:
    """The adoption table of the cells, places in the order of `places` (the panel's)."""
    code = {p: i for i, p in enumerate(places)}
    keys = sorted(found, key=lambda k: (code[k[0]], k[1]))
    by_place: dict[tuple, list[tuple]] = {}
    for k in keys:
        by_place.setdefault(k[0], []).append(k)
    adopters, not_yet, panel = [], [], []
    for (province, city, district), rows in by_place.items():
        years = tuple(y for _, y in rows)
        hit_rows_of = [k for k in rows if found[k].first is not None]
        first = hit_rows_of[0][1] if hit_rows_of else None
        for k in rows:
            c, y = found[k], k[1]
            ids = tuple(rid for _, rid in sorted(c.reports))
            panel.append(
                PanelRow(
                    Place.of(district, level, province, city, y), y, ids, c.chars, c.mentions,
                    first is not None and y >= first, first,
                )
            )  # fmt: skip
        if first is None:
            not_yet.append(NotYet(Place.of(district, level, province, city, years[-1]), years))
            continue
        _, report_id, paragraph, issuer = found[hit_rows_of[0]].first
        adopters.append(
            Adopter(
                place=Place.of(district, level, province, city, first),
                first_year=first,
                first_report_id=report_id,
                first_paragraph=paragraph,
                last_year=hit_rows_of[-1][1],
                mentions={y: found[(p, y)].mentions for p, y in hit_rows_of},
                years=years,
                first_place=issuer,
            )
        )
    adopters.sort(key=lambda a: (a.first_year, a.place.name, a.place.province, a.place.city))
    not_yet.sort(key=lambda p: (p.place.name, p.place.province, p.place.city))
    return Adoption(
        q=q,
        level=level,
        places=tuple(adopters),
        not_yet=tuple(not_yet),
        curve=curve(adopters, len(adopters) + len(not_yet), np.array([y for _, y in keys])),
        panel=tuple(panel),
        mentions_count=MENTIONS[has_marks(q)],
    )


def _place_groups(places: list[tuple], level: str, rollup: bool) -> tuple[np.ndarray, list]:
    """For each place code, the code of the place it stands for in the table (-1: none), and
    those places as (province, city, name). Without `rollup` each place stands for itself; with
    it, for its province (level province) or its city (level city), when it has one."""
    if not rollup:
        return np.arange(max(len(places), 1), dtype=np.int64), list(places)
    groups: dict[tuple, int] = {}
    lut = np.full(max(len(places), 1), -1, np.int64)
    for code, (province, city, _) in enumerate(places):
        if not province or (level == "city" and not city):
            continue
        key = (province, "", province) if level == "province" else (province, city, city)
        lut[code] = groups.setdefault(key, len(groups))
    return lut, list(groups)


def curve(adopters, total: int, years) -> tuple[CurvePoint, ...]:
    """The share of the table's places that have mentioned the query by each year, over every
    year from the first with a report to the last."""
    if not total or not len(years):
        return ()
    firsts = sorted(a.first_year for a in adopters)
    out, i = [], 0
    for y in range(int(min(years)), int(max(years)) + 1):
        while i < len(firsts) and firsts[i] <= y:
            i += 1
        out.append(CurvePoint(y, i, total, i / total))
    return tuple(out)


def _reports_by_key(universe, inverse, report_col, report_meta, gpos=None) -> list[list]:
    """(position, id) of the reports behind each (place, year) key, in index order."""
    pairs = np.unique(inverse.astype(np.int64) << 32 | report_col[universe])
    out: list[list] = [[] for _ in range(int(inverse.max()) + 1 if inverse.size else 0)]
    for p in pairs.tolist():
        r = p & 0xFFFFFFFF
        out[p >> 32].append((r if gpos is None else int(gpos[r]), report_meta[r]["id"]))
    return out
