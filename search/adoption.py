"""Who said it first: for one query and one level (province, city or district), the first and
last year each place's own reports mention it, its mentions per year, the places with reports
that never do ("not yet"), the cumulative adoption curve, and the place × year panel for an
event-history model.

A place is an issuing place of that level (a province adopts when its own reports mention the
query, not its cities'), told apart by its whole chain (province, city, district), so two
counties of one name are two places. Only dated reports count. A mention is an occurrence of a
query term; a query with no term to count (only filters or negations) counts paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from search.errors import BadQuery, ShardedUnsupported
from search.facet_table import PLACE_FIELDS
from search.trends import occurrences

LEVELS = PLACE_FIELDS  # the levels of places compared: province, city, district


@dataclass(frozen=True)
class Adopter:
    place: str
    province: str
    city: str
    first_year: int
    first_report_id: str
    first_paragraph: int
    last_year: int
    mentions: dict[int, int]  # year → mentions, only years with one
    years: tuple[int, ...]  # years with a report of the place in the filters
    first_place: str = ""  # who issued the adopting report (a city or county when rolled up)


@dataclass(frozen=True)
class NotYet:
    place: str
    province: str
    city: str
    years: tuple[int, ...]


@dataclass(frozen=True)
class CurvePoint:
    year: int
    adopted: int  # places that mentioned the query this year or earlier
    places: int  # places in the table
    share: float


@dataclass(frozen=True)
class PanelRow:
    place: str
    province: str
    city: str
    level: str
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


def adoption(engine, query, rollup: bool = False) -> Adoption:
    """The adoption table of `query.q` at the one level in `query.levels`, under every other
    selection of `query`; with `rollup`, a place's reports are its own and those of the places
    under it (a province adopts when any of its own, its cities' or its counties' do)."""
    if len(query.levels) != 1 or query.levels[0] not in LEVELS:
        raise BadQuery(f"level 须为 {'、'.join(LEVELS)} 之一")
    level = query.levels[0]
    if getattr(type(engine), "sharded", False):  # a sharded index: codes and roll-up not merged yet
        raise ShardedUnsupported("分片索引尚不支持此功能：谁先提出（采纳表与面板）")
    query = replace(query, page=1, per_page=None)
    rollup = rollup and level != "district"  # nothing lies under a county
    if rollup:  # every level counts, each paragraph standing for its place at `level`
        query = replace(query, levels=())
    lut, places = _place_groups(engine.columns.places, level, rollup)
    col = dict(engine.columns.col)
    col["place"] = lut[col["place"]]
    mask, ev, _ = engine.evaluate(query)
    scope = engine.columns.filter_mask(query) & (col["year"] != 0) & (col["place"] >= 0)
    universe = np.flatnonzero(scope)
    hits = np.flatnonzero(mask & scope)
    mentions = occurrences(engine, hits, ev.terms) if ev.terms else np.ones(hits.size, np.int64)

    # one key per (place, year): the panel's rows, in place then year order
    year = col["year"].astype(np.int64)
    key_all = col["place"][universe].astype(np.int64) * 10_000 + year[universe]
    keys, inverse = np.unique(key_all, return_inverse=True)
    chars = np.bincount(inverse, weights=col["chars"][universe], minlength=keys.size)
    hit_rows = np.searchsorted(keys, col["place"][hits].astype(np.int64) * 10_000 + year[hits])
    per_key = np.bincount(hit_rows, weights=mentions, minlength=keys.size)
    hit_any = np.bincount(hit_rows, minlength=keys.size) > 0
    rows_hit, first_index = np.unique(hit_rows, return_index=True)  # hits are in index order
    first_hit = dict(zip(rows_hit.tolist(), hits[first_index].tolist(), strict=True))
    reports = _reports_by_key(universe, inverse, col["report"], engine.report_meta)

    by_place: dict[int, list[int]] = {}
    for row, k in enumerate(keys.tolist()):
        by_place.setdefault(k // 10_000, []).append(row)
    adopters, not_yet, panel = [], [], []
    for code, rows in by_place.items():
        province, city, district = places[code]
        years = tuple(int(keys[r] % 10_000) for r in rows)
        hit_rows_of = [r for r in rows if hit_any[r]]
        first = int(keys[hit_rows_of[0]] % 10_000) if hit_rows_of else None
        for r, y in zip(rows, years, strict=True):
            panel.append(
                PanelRow(
                    district, province, city, level, y, reports[r], int(chars[r]),
                    int(per_key[r]), first is not None and y >= first, first,
                )
            )  # fmt: skip
        if first is None:
            not_yet.append(NotYet(district, province, city, years))
            continue
        pid = first_hit[hit_rows_of[0]]
        first_report = engine.report_meta[int(col["report"][pid])]
        adopters.append(
            Adopter(
                place=district,
                province=province,
                city=city,
                first_year=first,
                first_report_id=first_report["id"],
                first_paragraph=int(col["n"][pid]),
                last_year=int(keys[hit_rows_of[-1]] % 10_000),
                mentions={int(keys[r] % 10_000): int(per_key[r]) for r in hit_rows_of},
                years=years,
                first_place=first_report["district"],
            )
        )
    adopters.sort(key=lambda a: (a.first_year, a.place, a.province, a.city))
    not_yet.sort(key=lambda p: (p.place, p.province, p.city))
    return Adoption(
        q=query.q,
        level=level,
        places=tuple(adopters),
        not_yet=tuple(not_yet),
        curve=curve(adopters, len(adopters) + len(not_yet), keys % 10_000),
        panel=tuple(panel),
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


def _reports_by_key(universe, inverse, report_col, report_meta) -> list[tuple[str, ...]]:
    """The ids of the reports behind each (place, year) key, in index order."""
    pairs = np.unique(inverse.astype(np.int64) << 32 | report_col[universe])
    out: list[list[str]] = [[] for _ in range(int(inverse.max()) + 1 if inverse.size else 0)]
    for p in pairs.tolist():
        out[p >> 32].append(report_meta[p & 0xFFFFFFFF]["id"])
    return [tuple(ids) for ids in out]
