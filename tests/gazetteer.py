"""The GB/T 2260 codes a place should get, read off the gazetteer's rows (not through
indexer.place), for the tests of every export that names a place."""

from __future__ import annotations

from indexer.places import gazetteer


def gazetteer_codes(name: str, level: str, province: str, city: str, year: int) -> set[str]:
    """Every code the gazetteer gives a unit of that name and level in force in `year` under
    the report's province and city (read off the rows, not through indexer.place)."""
    gaz = gazetteer()
    units = [u for u in gaz.units if u.name == name and u.level == level]
    fitting = [u for u in units if u.in_force(year)] or units
    out = set()
    for u in fitting:
        p, c = gaz.ancestors(u, year)
        if (not province or p == province) and (not city or level != "district" or c == city):
            out.add(u.code)
    return out
