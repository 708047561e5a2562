"""A report's place: the unit that issued it, its level and ancestors, from its own words
about itself (title, meeting line, speaker line, 我代表, header, file name); the places its body
names most decide only when those words name a level alone (`place_mentions`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from indexer.place import Place
from indexer.place_mentions import most_named, whole_word
from indexer.places import LEVEL_RANK, NATIONAL, Gazetteer, Unit, gazetteer
from indexer.split import RawReport

# The level word a government uses of itself: 我代表县人民政府, 在县第十六届人民代表大会, 区委.
_LEVEL_WORD = r"自治区|自治州|自治县|自治旗|[省市县区州旗盟]"
_BARE_LEVEL = re.compile(
    rf"^(?:中国共产党)?({_LEVEL_WORD})(?=人民政府|政府|委|人大|第|[一二三四五六七八九十]+届|$)"
)
_SESSION = re.compile(r"第?[一二三四五六七八九十〇零\d]+届|人民代表大会|代表大会|人大|全体|常委")
_MEETING_LINE = re.compile(r"代表大会|全体（扩大）会议|全体会议|人大[一二三四五六七八九十]+次会议")
_SPEAKER_TITLE = re.compile(
    r"(?P<who>[\u4e00-\u9fff]{0,30}?)(?:人民政府)?(?:代理|代)?"
    r"(?P<title>省长|市长|县长|区长|州长|旗长|盟长|主席)\s*[\u4e00-\u9fff·]{2,8}$"
)
_TITLE_LEVEL = {
    "省长": "省", "市长": "市", "县长": "县", "区长": "区", "州长": "州", "旗长": "旗",
    "盟长": "盟", "主席": "自治区",
}  # fmt: skip
# A first line that is a title though no title block was found: "2017年大连市政府工作报告"
_TITLE_LINE = re.compile(r"^[^。，！？：:；]{2,40}(?:报告|总结|计划|要点)$")
_SELF = re.compile(
    r"我代表(?P<who>[^，,。；;：:、\s]{1,40})"
    r"|受(?P<deputer>[^，,。；;：:、\s]{0,20}?(?:人民政府|政府))(?:的)?委托"  # 受市人民政府委托
)
_HEADER_PLACE_KEYS = ("标题", "发文单位", "发文机关", "发布机构", "发布单位")
_HEADER_LINE = re.compile(rf"^(?:{'|'.join(_HEADER_PLACE_KEYS)})[:：]\s*(.+)$", re.M)
_NATIONAL_HEAD = re.compile(r"全国人民代表大会|全国代表大会|国务院")
_NATIONAL_OPENING = re.compile(
    r"代表(?:中华人民共和国)?国务院|全国人民代表大会|全国代表大会|中央委员会委托|我代表中央"
    r"|我代表(?:中国共产党)?第[一二三四五六七八九十]+届中央委员会|受中共中央和国务院的委托"
)
# A government thanks its own congress: 在区人大、政协监督支持下 / 在市人大、市政协的监督下
_OWN_CONGRESS = re.compile(r"([省市县区州旗盟])人大、\1?政协")


class Placing(NamedTuple):
    """Where a report comes from (`place`, empty when not known) and why it was left empty."""

    place: Place
    note: str = ""


@dataclass(frozen=True)
class _Evidence:
    source: str  # title, meeting line, speaker line, 我代表, header, file name
    unit: Unit | None = None
    level_word: str = ""  # 县 in 我代表县人民政府


def level_of(district: str) -> str:
    """national / province / city / district for an administrative unit's full name."""
    if not district:
        return ""
    if district in (NATIONAL, "中国", "中华人民共和国"):
        return "national"
    unit = gazetteer().named(district)
    if unit is not None:
        return unit.level
    if district.endswith(("区", "县", "旗")) and not district.endswith("自治区"):
        return "district"
    if district.endswith(("市", "州", "盟")):
        return "city"
    return ""


def _fits(unit: Unit, word: str) -> bool:
    """Whether a unit is a government of the level it calls itself (县 → 徐水县, not 保定市)."""
    if word in ("省", "自治区"):
        return unit.level == "province"
    if word == "区":
        return unit.name.endswith(word) and unit.level == "district"
    return unit.name.endswith(word)


def _unit(gaz: Gazetteer, text: str, year: int | None) -> Unit | None:
    """The most specific unit a short text names, when all it names lie on one line of descent.
    Short forms that may be words (共和 of 共和县) do not count here."""
    mentions = [m for m in gaz.find(text) if m.full or all(u.alone for u in m.units)]
    units = [u for m in mentions if (u := gaz.resolve(m, year, mentions))]
    if not units:
        return None
    deepest = min(units, key=lambda u: LEVEL_RANK[u.level])
    if all(gaz.is_within(deepest, u, year) or _same(deepest, u) for u in units):
        return deepest
    return None


def _same(a: Unit, b: Unit) -> bool:
    same_name = a.name == b.name and a.level == b.level and a.code[:2] == b.code[:2]
    return a.code == b.code or same_name


def _level_word(who: str, gaz: Gazetteer) -> str:
    """县 for "县人民政府" / "中国共产党县第十次" / "区委"; empty when a place is named."""
    if gaz.find(who):
        return ""
    m = _BARE_LEVEL.match(who)
    return m[1] if m else ""


def _meeting_who(line: str) -> str:
    """徐水县 in "2010年2月4日在徐水县第十四届人民代表大会第四次会议上"."""
    m = _SESSION.search(line)
    if not m:
        return ""
    before = line[: m.start()]
    before = re.split(r"在|日|——|—", before)[-1]
    return before.removeprefix("中国共产党").strip()


def _evidence(
    gaz: Gazetteer,
    raw: RawReport,
    text: str,
    header: dict[str, str],
    filename: str,
    year: int | None,
) -> list[_Evidence]:
    """What the report says of its own place, most trusted first."""
    opening = text[:1000]
    # the body's first lines before paragraphs were joined: title, meeting and header lines
    first_lines = [s for s in (raw.body or text)[:1000].split("\n")[:5] if 0 < len(s) < 160]
    out = []
    title = raw.title or next((s for s in first_lines[:1] if _TITLE_LINE.match(s)), "")
    if title:
        out.append(_Evidence("title", _unit(gaz, title, year)))
    for line in (raw.meeting, *(s for s in first_lines if _MEETING_LINE.search(s))):
        if line and (who := _meeting_who(line)):
            out.append(_Evidence("meeting line", _unit(gaz, who, year), _level_word(who, gaz)))
    # the speaker line ends the title block: "徐水县人民政府县长 王建国", "县长 李四"
    for line in (raw.meeting, *(s for s in first_lines if len(s) <= 60)):
        for m in _SPEAKER_TITLE.finditer(line.strip()):
            unit = _unit(gaz, m["who"], year) if m["who"] else None
            word = "" if unit else _TITLE_LEVEL[m["title"]]
            out.append(_Evidence("speaker line", unit, word))
    for m in _SELF.finditer(opening):
        who = m["who"] or m["deputer"]
        unit = _unit(gaz, who, year)
        out.append(_Evidence("我代表", unit, "" if unit else _level_word(who, gaz)))
    headers = [v for k, v in header.items() if k in _HEADER_PLACE_KEYS]
    headers += _HEADER_LINE.findall("\n".join(first_lines))
    for value in headers:
        out.append(_Evidence("header", _unit(gaz, value, year)))
    if filename:
        out.append(_Evidence("file name", _unit(gaz, Path(filename).stem, year)))
    return [e for e in out if e.unit or e.level_word]


def _place(gaz: Gazetteer, unit: Unit, year: int | None) -> Placing:
    province, city = gaz.ancestors(unit, year)
    return Placing(Place.of(unit.name, unit.level, province, city, year))


def place_of(
    raw: RawReport,
    text: str,
    header: dict[str, str] | None = None,
    filename: str = "",
    year: int | None = None,
) -> Placing:
    """The unit that issued a report, from its own words about itself; other places named in
    the body never make it theirs. Empty, with the reason in note, when the evidence is missing
    or disagrees."""
    gaz = gazetteer()
    evidence = _evidence(gaz, raw, text, header or {}, filename, year)
    units = [e for e in evidence if e.unit]
    word = next((e.level_word for e in evidence if e.level_word), "")
    local = any(e.source != "file name" for e in units)
    if not local and (
        _NATIONAL_HEAD.search(f"{raw.meeting} {raw.title}") or _NATIONAL_OPENING.search(text[:600])
    ):
        return Placing(Place(NATIONAL, "", "national"))
    if units:
        for k, first in enumerate(units):  # all must lie on one line of descent
            for other in units[k + 1 :]:
                a, b = first.unit, other.unit
                if not (gaz.is_within(a, b, year) or gaz.is_within(b, a, year) or _same(a, b)):
                    why = f"{first.source} names {a.name}, {other.source} names {b.name}"
                    return Placing(Place(), why)
        unit = min((e.unit for e in units), key=lambda u: LEVEL_RANK[u.level])
        if not word or _fits(unit, word):
            return _place(gaz, unit, year)
        below, why = most_named(gaz, text, year, lambda u: _fits(u, word), within=unit)
        if below is not None:
            return _place(gaz, below, year)
        return Placing(Place(), f"names {unit.name} but speaks as a {word} government; {why}")
    if not word:
        own = _OWN_CONGRESS.search(text[:3000])
        word = own[1] if own else whole_word(text)
    if word:
        unit, why = most_named(gaz, text, year, lambda u: _fits(u, word))
        if unit is not None:
            return _place(gaz, unit, year)
        return Placing(Place(), f"names only its level ({word}); {why}")
    # Nothing says who speaks: a unit named in full, repeatedly, the most specific first.
    for rank in ("district", "city", "province"):
        unit, _ = most_named(gaz, text, year, lambda u, r=rank: u.level == r, strict=True)
        if unit is not None:
            return _place(gaz, unit, year)
    return Placing(Place(), "no place named")


def district_of(raw: RawReport, text: str) -> str:
    """The most specific administrative unit a report is about, from its title block and text."""
    return place_of(raw, text).place.name


def hierarchy_of(district: str, year: int | None = None) -> tuple[str, str]:
    """(province, city) above a unit given by its full name; both empty for 全国."""
    unit = gazetteer().named(district, year) if district != NATIONAL else None
    return gazetteer().ancestors(unit, year) if unit else ("", "")
