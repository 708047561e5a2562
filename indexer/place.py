"""A place as every answer names it: `Place` (name, GB/T 2260 code, level, province, city),
made from a report's metadata (`Place.of_report`) or from the index's place table
(`Place.of_tree`), the code read from the gazetteer (`indexer.places`) for the name, level,
province and city in the report's year (`place_code`). Tables (every CSV, the panel, pandas)
give a place as the columns PLACE_COLUMNS; JSON as one object under the key `place`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from indexer.places import NATIONAL, Unit, gazetteer

__all__ = ["PLACE_COLUMNS", "Place", "place_code", "province_code"]

# A place in a table: its fields in `Place` order, its name as `place` (JSON nests the same
# five as "place": {name, code, level, province, city}).
PLACE_COLUMNS = ("place", "code", "level", "province", "city")


@dataclass(frozen=True)
class Place:
    """A place as every answer names it: the issuing unit's full name, its GB/T 2260 code
    ("" when the gazetteer has none: 全国, a name it does not hold or cannot tell apart), its
    level (national, province, city, district) and the province and city above it (its own
    name at its own level: 杭州市's city is 杭州市; empty where there is none)."""

    name: str = ""
    code: str = ""
    level: str = ""
    province: str = ""
    city: str = ""

    def cells(self) -> tuple[str, str, str, str, str]:
        """Its values in the order of PLACE_COLUMNS."""
        return (self.name, self.code, self.level, self.province, self.city)

    @classmethod
    def of(
        cls, name: str, level: str, province: str = "", city: str = "", year: int | None = None
    ) -> Place:
        """The place `name` of `level` under `province` and `city`, coded as in `year` (one
        value per such place: every search's place tree and page of hits asks again)."""
        return _place(cls, name, level, province, city, year)

    @classmethod
    def of_tree(cls, province: str, city: str, name: str, year: int | None = None) -> Place:
        """A place of the index's place table, (province, city, name): its level is where it
        stands in that chain (a province's or city's own name repeats at its level)."""
        if name == NATIONAL:
            level = "national"
        elif not name:
            level = ""
        else:
            level = "province" if name == province else "city" if name == city else "district"
        return cls.of(name, level, province, city, year)

    @classmethod
    def of_report(cls, meta: object) -> Place:
        """The issuing place of a report from its metadata: a `Metadata` (a report, hit or
        concordance row) or a record of the report table (keys district, level, province,
        city, year), coded as in the report's year."""
        get = meta.get if isinstance(meta, Mapping) else lambda k, d=None: getattr(meta, k, d)
        return cls.of(
            get("district", ""), get("level", ""), get("province", ""), get("city", ""),
            get("year"),
        )  # fmt: skip


_CODED_LEVELS = ("province", "city", "district")


@lru_cache(maxsize=1 << 16)
def _place(cls: type[Place], name: str, level: str, province: str, city: str, year) -> Place:
    return cls(name, place_code(name, level, province, city, year), level, province, city)


@cache
def _by_name() -> dict[str, tuple[Unit, ...]]:
    out: dict[str, list[Unit]] = {}
    for unit in gazetteer().units:
        out.setdefault(unit.name, []).append(unit)
    return {name: tuple(units) for name, units in out.items()}


@lru_cache(maxsize=65536)
def place_code(name: str, level: str, province: str, city: str, year: int | None) -> str:
    """The GB/T 2260 code of the unit `name` of `level` under `province` and `city` in `year`.

    The gazetteer's unit of that full name and level in force in the year whose province and
    city (where given) are these; "" for a name the gazetteer does not hold, a national place,
    or a name still ambiguous after that; with no year, the code in force today. Codes change
    when units are renumbered (江干区 330104 until 2021), so the year matters."""
    if level not in _CODED_LEVELS or not name:
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
    if codes:  # renumbered in the year itself: the code in force at its end (no year: today)
        current = [u for u in matching if u.last is None or (year is not None and u.last > year)]
        if len({u.code for u in current}) == 1:
            return current[0].code
    return ""


def province_code(province: str, year: int | None) -> str:
    """The code of a province in `year` (the panel gives it beside each place's own)."""
    return place_code(province, "province", province, "", year)
