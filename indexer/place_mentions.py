"""Which place a report's body names most: the evidence of last resort for the issuing unit,
when the report's own words about itself name only its level or nothing (`report_place`)."""

from __future__ import annotations

import re
from collections import Counter

from indexer.places import Gazetteer, Unit

_WHOLE = re.compile(r"全(省|市|县|区|州|旗|盟)")


def most_named(
    gaz: Gazetteer,
    text: str,
    year: int | None,
    keep,
    within: Unit | None = None,
    strict: bool = False,
) -> tuple[Unit | None, str]:
    """The unit the body names most among those kept, when it is named twice and most.

    A short form that is also a word or a person's name (惠民 of 惠民生, 徐水; see the gazetteer's
    alone column) counts for a county or city only when the text also names the unit in full or
    names its city or province: ordinary words seldom come so accompanied. The body is read a
    block at a time; reading stops once one unit clearly leads (five times, three times as
    often as any other). Strict: only a unit named in full at least once counts.

    A unit whose city and province the text never names, and that does not clearly lead, is
    not taken when the text names provinces or cities of another province in full as often
    as it names the unit: a partner county or a project's site named in passing.
    """
    counts: Counter = Counter()
    provinces: Counter = Counter()  # full names of provinces and cities, by province code
    units: dict[str, Unit] = {}
    seen: dict[str, object] = {}
    resolved: dict[str, Unit | None] = {}
    named: set[str] = set()  # codes of every unit named, and "full:" codes named unmistakably
    for block in _blocks(text):
        mentions = gaz.find(block)
        for m in mentions:
            seen.setdefault(m.text, m)
        context = list(seen.values())
        tried: set[str] = set()  # an ambiguous name is tried again once per block
        for m in mentions:
            if resolved.get(m.text) is None and m.text not in tried:
                tried.add(m.text)
                resolved[m.text] = gaz.resolve(m, year, context)
            unit = resolved[m.text]
            if unit is None or not unit.in_force(year):
                continue
            named.add(unit.code)
            if m.full and unit.level != "district":  # 浙江省, 杭州市: where the text stands
                provinces[unit.code[:2]] += 1
            if m.full or (unit.alone and not strict):
                named.add("full:" + unit.code)
            if not keep(unit) or (within is not None and not gaz.is_within(unit, within, year)):
                continue
            counts[unit.code] += 1
            units[unit.code] = unit
        ranked = [
            (c, n)
            for c, n in counts.most_common()
            if (("full:" + c in named) if strict else _vouched(gaz, units[c], named, year))
        ]
        if ranked and _leads(ranked):
            break
    if not ranked or ranked[0][1] < 2:
        return None, "named at most once"
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        a, b = units[ranked[0][0]].name, units[ranked[1][0]].name
        return None, f"{a} and {b} named as often"
    top, times = units[ranked[0][0]], ranked[0][1]
    elsewhere = sum(n for code, n in provinces.items() if code != top.code[:2])
    if (
        within is None
        and elsewhere >= times
        and not _leads(ranked)
        and not _parent_named(gaz, top, named, year)
    ):
        # a place of another province named in passing (a partner county, a project's site)
        # in a report whose own places lie elsewhere
        return None, f"{top.name} named {times} times, never its province or city"
    return top, ""


def _leads(ranked: list[tuple[str, int]]) -> bool:
    """Whether the most named unit leads clearly: five times, three times as often as any other."""
    second = ranked[1][1] if len(ranked) > 1 else 0
    return ranked[0][1] >= 5 and ranked[0][1] >= 3 * second


def _parent_named(gaz: Gazetteer, unit: Unit, named: set[str], year: int | None) -> bool:
    """Whether the text names the unit's city or province (a province has none above it)."""
    if unit.level == "province":
        return True
    parent = gaz.parent_of(unit, year)
    while parent is not None:
        if parent.code in named:
            return True
        parent = gaz.parent_of(parent, year)
    return False


def _vouched(gaz: Gazetteer, unit: Unit, named: set[str], year: int | None) -> bool:
    return "full:" + unit.code in named or _parent_named(gaz, unit, named, year)


def _blocks(text: str, size: int = 4000):
    """The text in blocks of whole lines (a place name never spans a line)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start + size)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def whole_word(text: str) -> str:
    """The lowest level of 全县/全区 … 全市 … 全省 used twice (or the only one used): a county
    report also speaks of 全市 and 全省 (rankings, the city's plans), a province report seldom
    of 全县."""
    whole = Counter(_WHOLE.findall(text))
    if len(whole) == 1:
        return next(iter(whole))
    for words in (("县", "区", "旗"), ("市", "州", "盟"), ("省",)):
        found = [(whole[w], w) for w in words if whole[w] >= 2]
        if found:
            return max(found)[1]
    return ""
