"""Places: the national gazetteer, place names found in text, and their level and ancestors.

The gazetteer (data/gazetteer.tsv, built by tools/build_gazetteer.py from GB/T 2260 snapshots)
holds one row per unit name and the years it was in force. Names are found by a longest-match
scan, so 高唐县 is never read as 唐县 and 米易县 never as 易县; a short form (驻马店 for
驻马店市, 徐水 for 徐水县/徐水区) is resolved by the year and by the parent named nearby.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = [
    "LEVEL_RANK",
    "NATIONAL",
    "Gazetteer",
    "Mention",
    "Unit",
    "gazetteer",
]

NATIONAL = "全国"
# After a two-character name, characters that make its level word an ordinary word instead:
# 县域, 县级, 县乡, 县区, 县市 (和县域经济 is 和 + 县域), 市场, 市民, 市域, 市级.
_WORD_AFTER = {"县": "域级乡区市直", "市": "场民域级区县直"}
LEVEL_RANK = {"district": 1, "city": 2, "province": 3, "national": 4}


@dataclass(frozen=True)
class Unit:
    """One name of one administrative unit and the years it was in force (None: open)."""

    code: str
    name: str
    short: str
    alone: bool  # the short form may stand alone; else (惠民, 徐水) it needs its parent named
    level: str  # province / city / district (county level)
    parent: str  # code of the unit above; empty for a province
    first: int | None
    last: int | None

    def in_force(self, year: int | None) -> bool:
        if year is None:
            return True
        started = self.first is None or self.first <= year
        return started and (self.last is None or year <= self.last)

    @property
    def suffix(self) -> str:
        """What follows the short form: 市, 县, 自治县, 壮族自治区 …"""
        return self.name[len(self.short) :] if self.short else self.name[-1]


@dataclass(frozen=True)
class Mention:
    """A place name found in a text: where, as written, and the units it may stand for."""

    start: int
    end: int
    text: str
    units: tuple[Unit, ...]
    full: bool  # written with its suffix (驻马店市), not the short form (驻马店)


class Gazetteer:
    """Every unit since 1980, indexed by full name and short form for a longest-match scan."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self.units = tuple(units)
        self._by_code: dict[str, list[Unit]] = {}
        self._full: dict[str, list[Unit]] = {}
        self._short: dict[str, list[Unit]] = {}
        for unit in self.units:
            self._by_code.setdefault(unit.code, []).append(unit)
            # 城区, 郊区, 矿区: names that are ordinary words are not looked for in text
            if len(unit.name) > 2 or not unit.name.endswith("区"):
                self._full.setdefault(unit.name, []).append(unit)
            if unit.short:
                self._short.setdefault(unit.short, []).append(unit)
        lengths: dict[str, set[int]] = {}
        for key in set(self._full) | set(self._short):
            lengths.setdefault(key[:2], set()).add(len(key))
        # first two characters → the lengths of the names starting with them, longest first
        self._lengths = {k: sorted(v, reverse=True) for k, v in lengths.items()}

    # --- finding names -------------------------------------------------------------------
    def find(self, text: str) -> list[Mention]:
        """Place names in text, left to right, each the longest name starting where it starts."""
        out = []
        text = text.replace("中华人民共和国", "　" * 7)  # 共和 there is not 共和县
        lengths, full, short = self._lengths, self._full, self._short
        i, n = 0, len(text)
        while i < n - 1:
            options = lengths.get(text[i : i + 2])
            if options is None:
                i += 1
                continue
            for length in options:
                word = text[i : i + length]
                after = text[i + 2 : i + 3]
                if length == 2 and after and after in _WORD_AFTER.get(word[1], ""):
                    continue  # 和县 in 和县域: the unit's word (县域, 县级) after a function word
                if word in full:
                    out.append(Mention(i, i + length, word, tuple(full[word]), True))
                    break
                if word in short:
                    out.append(Mention(i, i + length, word, tuple(short[word]), False))
                    break
            else:
                i += 1
                continue
            i = out[-1].end
        return out

    # --- resolving -----------------------------------------------------------------------
    def named(self, name: str, year: int | None = None) -> Unit | None:
        """The unit of this full name (驻马店市) in a year; its latest when the year is unknown."""
        units = tuple(self._full.get(name, ()))
        return self.resolve(Mention(0, len(name), name, units, True), year)

    def by_code(self, code: str, year: int | None = None) -> Unit | None:
        """The unit holding a code in a year (its latest name when the year is unknown)."""
        units = self._by_code.get(code, ())
        fitting = [u for u in units if u.in_force(year)] or list(units)
        return max(fitting, key=_recency) if fitting else None

    def parent_of(self, unit: Unit, year: int | None = None) -> Unit | None:
        return self.by_code(unit.parent, year) if unit.parent else None

    def ancestors(self, unit: Unit, year: int | None = None) -> tuple[str, str]:
        """(province, city) names for a unit: its own name at its own level, empty above none."""
        province = city = ""
        node: Unit | None = unit
        while node is not None:
            if node.level == "province":
                province = node.name
            elif node.level == "city":
                city = node.name
            node = self.parent_of(node, year)
        return province, city

    def _above(self, unit: Unit, year: int | None) -> set[str]:
        """Codes of the units above a unit."""
        codes = set()
        node = self.parent_of(unit, year)
        while node is not None:
            codes.add(node.code)
            node = self.parent_of(node, year)
        return codes

    def is_within(self, unit: Unit, other: Unit, year: int | None = None) -> bool:
        """Whether other is unit or one of its ancestors (compared by code)."""
        node: Unit | None = unit
        while node is not None:
            if node.code == other.code:
                return True
            node = self.parent_of(node, year)
        return False

    def resolve(
        self,
        mention: Mention,
        year: int | None = None,
        context: Iterable[Mention] = (),
    ) -> Unit | None:
        """The one unit a mention stands for, or None when it stays ambiguous.

        Candidates in force in the year (with no year, those in force today); then those with
        an ancestor named in the context (河北省保定市 before 唐县). Several codes that are one
        unit renumbered (清苑县 132431 under 保定地区, 130622 under 保定市) count as one.
        """
        candidates = [u for u in mention.units if u.in_force(year)] or list(mention.units)
        if not candidates:
            return None
        if len(candidates) > 1 and year is None:
            candidates = [u for u in candidates if u.last is None] or candidates
        if len(candidates) > 1:
            # the parent named nearby; not a name of the same stem (金华 beside 金华市)
            stem = mention.text[:2]
            others = {a.code for m in context if not m.text.startswith(stem) for a in m.units}
            named = [u for u in candidates if self._above(u, year) & others]
            candidates = named or candidates
        if len({self._place_key(u, year) for u in candidates}) != 1:
            return None
        return max(candidates, key=_recency)

    def _place_key(self, unit: Unit, year: int | None) -> tuple[str, str, str, str]:
        parent = self.parent_of(unit, year)
        above = (parent.short or parent.name) if parent else ""
        return (unit.name, unit.level, unit.code[:2], above)


def _recency(unit: Unit) -> tuple[int, int]:
    return (unit.last or 10_000, unit.first or 0)


def _year(value: str) -> int | None:
    return int(value) if value else None


@cache
def gazetteer() -> Gazetteer:
    """The bundled gazetteer, read once per process."""
    text = resources.files("indexer").joinpath("data/gazetteer.tsv").read_text(encoding="utf-8")
    units = []
    for line in text.splitlines()[1:]:
        code, name, short, alone, level, parent, first, last = line.split("\t")
        units.append(
            Unit(code, name, short, alone == "1", level, parent, _year(first), _year(last))
        )
    return Gazetteer(units)
