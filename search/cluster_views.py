"""The research views on a sharded index that count per place, year or report, each
answering as one index of the same files: adoption (and so the event-history panel),
dispersion, a passage's lineage and one term's trends by place.

Each view has a shard-side part (`shard_*`, run in a shard's actor over that shard's engine)
and a merge (asked through `ClusterEngine.merged`, found by `search.cluster_parts`) that asks
the shards through `ClusterEngine.fan_out` only: no view reads a shard's columns. What makes
each merge exact:

- adoption: a report, so each of its paragraphs, lives in one shard; each shard gives its
  cells per (place, year) — characters, mentions, its first mention by one-index paragraph
  id, its reports by one-index position — and the front sums them, keeps the lowest first
  mention and orders the reports, then builds the table as one index does
  (`search.adoption.table`); roll-up groups places by name, the same in every shard;
- dispersion, lineage and trends by place: per report or per place and year, so each shard's
  part is whole or a sum; the front orders them as one index does.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from search.adoption import Cell, cells
from search.results import SearchQuery

# -- adoption --------------------------------------------------------------------------------


def shard_adoption(server, query: SearchQuery, level: str, rollup: bool) -> dict:
    if server.engine is None:
        return {}
    return cells(server.engine, query, level, rollup, server.gpid, server.gfirst)


def adoption_cells(engine, query: SearchQuery, level: str, rollup: bool) -> dict[tuple, Cell]:
    """`search.adoption.cells` of the whole index: the shards' cells added up."""
    merged: dict[tuple, Cell] = {}
    for part in engine.fan_out("adoption", query, level, rollup):
        for key, cell in part.items():
            if key in merged:
                merged[key].add(cell)
            else:
                merged[key] = cell
    return merged


# -- dispersion, a passage's lineage, one term by place -----------------------------------------


def shard_dispersion(server, query: SearchQuery):
    from search.dispersion import dispersion

    return None if server.engine is None else dispersion(server.engine, query)


def sharded_dispersion(engine, query: SearchQuery):
    """`search.dispersion.dispersion` of the whole index: a report's positions come whole
    from its shard; the reports in one index's order, the profile over all of them."""
    from search.dispersion import Dispersion, profile

    index = report_index(engine)
    parts = [p for p in engine.fan_out("dispersion", query) if p is not None]
    items = sorted((r for p in parts for r in p.reports), key=lambda r: index[r.report_id])
    every = [p for r in items for p in r.positions]
    query = replace(query, page=1, per_page=None)
    return Dispersion(query, len(every), tuple(items), profile(every))


def shard_lineage(server, text: str, filters: SearchQuery | None):
    from search.lineage import lineage

    return None if server.engine is None else lineage(server.engine, text, filters)


def sharded_lineage(engine, text: str, filters: SearchQuery | None):
    """`search.lineage.lineage` of the whole index: every shard's holders in date order."""
    from indexer.fold import fold
    from indexer.segments import date_key
    from search.lineage import Lineage, check

    folded = check(fold(text).strip())
    index = report_index(engine)
    parts = [p for p in engine.fan_out("lineage", text, filters) if p is not None]
    holders = [h for p in parts for h in p.holders]

    def rank(h) -> tuple:
        record = engine.report_meta[index[h.report_id]]
        return date_key(record), record["id"]

    return Lineage(folded, tuple(sorted(holders, key=rank)))


def shard_place_trends(server, q: str, filters: SearchQuery, level: str) -> dict:
    """A shard's counts of `q` per place in the scope and year: {place: {year: [occurrences,
    paragraphs, reports, characters]}}, and the years with characters in the scope."""
    from search.trends import occurrences

    e = server.engine
    if e is None:
        return {"years": [], "places": {}}
    col, places = e.columns.col, e.columns.places
    scoped = filters if not level else replace(filters, levels=(level,))
    scope = e.columns.filter_mask(scoped) & (col["year"] != 0)
    years = np.flatnonzero(np.bincount(col["year"][scope], weights=col["chars"][scope]))
    mask, ev, _ = e.evaluate(replace(scoped, q=q, page=1, per_page=None))
    universe = np.flatnonzero(scope)
    hits = np.flatnonzero(mask & scope)
    occ = occurrences(e, hits, ev.terms)
    out: dict[tuple, dict] = {}
    for code in np.unique(col["place"][universe]).tolist():
        rows = out.setdefault(places[code], {})
        u = universe[col["place"][universe] == code]
        for y in np.unique(col["year"][u]).tolist():
            rows[y] = [0, 0, 0, int(col["chars"][u][col["year"][u] == y].sum())]
        h = col["place"][hits] == code
        pids, o = hits[h], occ[h]
        for y in np.unique(col["year"][pids]).tolist():
            at = col["year"][pids] == y
            row = rows[y]
            row[0] = int(o[at].sum())
            row[1] = int(at.sum())
            row[2] = int(np.unique(col["report"][pids[at]]).size)
    return {"years": years.tolist(), "places": out}


def sharded_place_trends(engine, q: str, filters: SearchQuery, names: tuple, level: str):
    """`search.trends.place_trends` of the whole index: the shards' counts per place and
    year summed (a report lives in one shard), places in one index's order."""
    from search.trends import MAX_MULTIPLES, PlaceTrend, PlaceTrends, YearCount, trend_place

    parts = engine.fan_out("place_trends", q, filters, level)
    years = sorted({y for p in parts for y in p["years"]})
    summed: dict[tuple, dict] = {}
    for part in parts:
        for place, rows in part["places"].items():
            have = summed.setdefault(place, {})
            for y, row in rows.items():
                cell = have.setdefault(y, [0, 0, 0, 0])
                for i in range(4):
                    cell[i] += row[i]
    code = {p: i for i, p in enumerate(engine.columns.places)}
    in_scope = sorted(summed, key=code.__getitem__)
    unknown: list[str] = []
    if level:
        chosen = in_scope
    else:
        chosen = []
        for name in names:
            found = [p for p in in_scope if p[2] == name]
            chosen.extend(found)
            if not found:
                unknown.append(name)
    out = []
    for place in dict.fromkeys(chosen):
        rows = summed[place]
        counts = tuple(YearCount(y, *rows.get(y, (0, 0, 0, 0))) for y in years)
        out.append(PlaceTrend(trend_place(place, counts), counts))
    left_out = 0
    if level and len(out) > MAX_MULTIPLES:
        keep = sorted(out, key=lambda p: -p.occurrences)[:MAX_MULTIPLES]
        left_out = len(out) - len(keep)
        out = [p for p in out if p in keep]
    return PlaceTrends(q, filters, tuple(out), tuple(years), tuple(unknown), left_out)


def report_index(engine) -> dict[str, int]:
    """Report id → its position in one index's order (the front's report table)."""
    index = engine.__dict__.get("_report_index")
    if index is None:
        index = engine._report_index = {r["id"]: i for i, r in enumerate(engine.report_meta)}
    return index
