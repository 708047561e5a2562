"""GB/T 2260 codes of the places reports name, from the bundled gazetteer, at a given year.

A report names its issuing place (`district`: 河北省, 保定市, 徐水区 …) with its province and city.
The code is that of the gazetteer's unit of that full name and level in force in the year
whose province and city (where the report gives them) are the report's; a name the gazetteer
does not hold, a national report, or a name still ambiguous after that gets "" (no code).
Codes change when units are renumbered (江干区 330104 until 2021), so the year matters.
"""

from __future__ import annotations

from functools import cache, lru_cache

from indexer.places import Unit, gazetteer

LEVELS = ("province", "city", "district")


@cache
def _by_name() -> dict[str, tuple[Unit, ...]]:
    out: dict[str, list[Unit]] = {}
    for unit in gazetteer().units:
        out.setdefault(unit.name, []).append(unit)
    return {name: tuple(units) for name, units in out.items()}


@lru_cache(maxsize=65536)
def place_code(name: str, level: str, province: str, city: str, year: int | None) -> str:
    """The code of the unit `name` of `level` under `province` and `city` in `year` ("" when
    the gazetteer has no such unit, or several)."""
    if level not in LEVELS or not name:
        return ""
    gaz = gazetteer()
    units = [u for u in _by_name().get(name, ()) if u.level == level]
    fitting = [u for u in units if u.in_force(year)] or units
    matching = []
    for unit in fitting:
        above_province, above_city = gaz.ancestors(unit, year)
        if province and above_province != province:
            continue
        if city and level == "district" and above_city != city:
            continue
        matching.append(unit)
    codes = {u.code for u in matching}
    if len(codes) == 1:
        return codes.pop()
    if codes and year is not None:  # renumbered in the year itself: the code in force at its end
        current = [u for u in matching if u.last is None or u.last > year]
        if len({u.code for u in current}) == 1:
            return current[0].code
    return ""


def province_code(province: str, year: int | None) -> str:
    return place_code(province, "province", province, "", year)


def code_of(record) -> str:
    """The code of a report's issuing place in its year; `record` a Hit, Row or report (its
    fields or keys district, level, province, city, year)."""
    get = record.get if isinstance(record, dict) else lambda k: getattr(record, k)
    return place_code(get("district"), get("level"), get("province"), get("city"), get("year"))
