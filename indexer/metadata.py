"""Stage 5, metadata: district, level, year, date, type, title and speaker of one report.

Read from the title block and header lines first, then the body text, then the file name; a
folder's MANIFEST.csv overrides what it states. What cannot be determined stays empty.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from indexer.models import Metadata
from indexer.places import LEVEL_RANK, NATIONAL, Gazetteer, Unit, gazetteer
from indexer.split import RawReport, parse_date
from indexer.years import (
    cover_year,
    filename_congress,
    national_speaker,
    parse_year,
    session_year,
    text_year,
)

__all__ = [
    "Inferred",
    "Place",
    "district_of",
    "hierarchy_of",
    "infer",
    "level_of",
    "place_of",
    "clean_title",
    "congress_kind",
    "read_manifest",
    "session_of",
    "type_of",
    "year_of",
]

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
_WHOLE = re.compile(r"全(省|市|县|区|州|旗|盟)")
_HEADER_PLACE_KEYS = ("标题", "发文单位", "发文机关", "发布机构", "发布单位")
_HEADER_LINE = re.compile(rf"^(?:{'|'.join(_HEADER_PLACE_KEYS)})[:：]\s*(.+)$", re.M)
_NATIONAL_HEAD = re.compile(r"全国人民代表大会|全国代表大会|国务院")
_NATIONAL_OPENING = re.compile(
    r"代表(?:中华人民共和国)?国务院|全国人民代表大会|全国代表大会|中央委员会委托|我代表中央"
    r"|我代表(?:中国共产党)?第[一二三四五六七八九十]+届中央委员会|受中共中央和国务院的委托"
)
# A government thanks its own congress: 在区人大、政协监督支持下 / 在市人大、市政协的监督下
_OWN_CONGRESS = re.compile(r"([省市县区州旗盟])人大、\1?政协")
_HEADER_DATE_KEYS = ("发布时间", "发表时间", "发布日期", "发文时间", "成文日期", "时间", "日期")


@dataclass(frozen=True, kw_only=True)
class Inferred(Metadata):
    """The metadata read from one report (fields as `indexer.models.Metadata` defines them),
    and why fields were left empty."""

    notes: tuple[tuple[str, str], ...] = ()  # (field, why it was left empty)


@dataclass(frozen=True)
class Place:
    """Where a report comes from: the issuing unit, its level and ancestors, or why not known."""

    district: str = ""
    level: str = ""
    province: str = ""
    city: str = ""
    note: str = ""  # why the place was left empty


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


def _most_named(
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
    """
    counts: Counter = Counter()
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
        if ranked and ranked[0][1] >= 5 and ranked[0][1] >= 3 * (ranked[1:] or [(0, 0)])[0][1]:
            break
    if not ranked or ranked[0][1] < 2:
        return None, "named at most once"
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        a, b = units[ranked[0][0]].name, units[ranked[1][0]].name
        return None, f"{a} and {b} named as often"
    return units[ranked[0][0]], ""


def _vouched(gaz: Gazetteer, unit: Unit, named: set[str], year: int | None) -> bool:
    if unit.level == "province" or "full:" + unit.code in named:
        return True
    parent = gaz.parent_of(unit, year)
    while parent is not None:
        if parent.code in named:
            return True
        parent = gaz.parent_of(parent, year)
    return False


def _blocks(text: str, size: int = 4000):
    """The text in blocks of whole lines (a place name never spans a line)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start + size)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _whole_word(text: str) -> str:
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


def _place(gaz: Gazetteer, unit: Unit, year: int | None) -> Place:
    province, city = gaz.ancestors(unit, year)
    return Place(unit.name, unit.level, province, city)


def place_of(
    raw: RawReport,
    text: str,
    header: dict[str, str] | None = None,
    filename: str = "",
    year: int | None = None,
) -> Place:
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
        return Place(NATIONAL, "national")
    if units:
        for k, first in enumerate(units):  # all must lie on one line of descent
            for other in units[k + 1 :]:
                a, b = first.unit, other.unit
                if not (gaz.is_within(a, b, year) or gaz.is_within(b, a, year) or _same(a, b)):
                    why = f"{first.source} names {a.name}, {other.source} names {b.name}"
                    return Place(note=why)
        unit = min((e.unit for e in units), key=lambda u: LEVEL_RANK[u.level])
        if not word or _fits(unit, word):
            return _place(gaz, unit, year)
        below, why = _most_named(gaz, text, year, lambda u: _fits(u, word), within=unit)
        if below is not None:
            return _place(gaz, below, year)
        return Place(note=f"names {unit.name} but speaks as a {word} government; {why}")
    if not word:
        own = _OWN_CONGRESS.search(text[:3000])
        word = own[1] if own else _whole_word(text)
    if word:
        unit, why = _most_named(gaz, text, year, lambda u: _fits(u, word))
        if unit is not None:
            return _place(gaz, unit, year)
        return Place(note=f"names only its level ({word}); {why}")
    # Nothing says who speaks: a unit named in full, repeatedly, the most specific first.
    for rank in ("district", "city", "province"):
        unit, _ = _most_named(gaz, text, year, lambda u, r=rank: u.level == r, strict=True)
        if unit is not None:
            return _place(gaz, unit, year)
    return Place(note="no place named")


def district_of(raw: RawReport, text: str) -> str:
    """The most specific administrative unit a report is about, from its title block and text."""
    return place_of(raw, text).district


def hierarchy_of(district: str, year: int | None = None) -> tuple[str, str]:
    """(province, city) above a unit given by its full name; both empty for 全国."""
    unit = gazetteer().named(district, year) if district != NATIONAL else None
    return gazetteer().ancestors(unit, year) if unit else ("", "")


def _year(text: str) -> int | None:
    m = re.search(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", text)
    return int(m[1]) if m else None


def session_of(kind: str, title: str) -> int | None:
    """The year a budget, plan or final-accounts report is delivered, from its title: the year
    of the draft it presents ("2025年预算执行情况和2026年预算草案" → 2026), the year after the
    accounts it closes ("2025年财政决算" → 2026)."""
    years = [int(y) for y in re.findall(r"(?<!\d)(20\d\d|19\d\d)\s?年", title)]
    if not years or kind not in ("预算报告", "计划报告", "决算报告"):
        return None
    if kind == "决算报告":
        return min(years) + 1
    # one year alone may be the year under review ("2025年预算执行情况的报告", mid-year)
    return max(years) if len(years) > 1 or "草案" in title else None


def year_of(
    raw: RawReport, header: dict[str, str], text: str, filename: str, kind: str = ""
) -> int | None:
    """The year a report was delivered, from its own text first (see indexer.years); for a
    budget, plan or final-accounts report of type `kind`, the session year its title implies.

    Page stamps (时间：, 发布时间：), a crawler's 年份 field and the file name date the page, not
    the report: they count only when the text says nothing.
    """
    if raw.date:
        return int(raw.date[:4])
    page_title = header.get("标题", "")  # the title a portal or crawler gave the page
    found = (
        session_year(f"{raw.meeting} {raw.title} {page_title}")
        or parse_year(raw.meeting)
        or session_of(kind, raw.title)
        or parse_year(raw.title)
        or parse_year(page_title)
        or cover_year(raw.body or text)
        or text_year(text)
    )
    if found:
        return found
    for key in (*_HEADER_DATE_KEYS, "年份"):
        if key in header and (year := _year(header[key])):
            return year
    stem = Path(filename).stem
    # "2014_二O一一年政府工作报告": the year the name gives its report before a listing prefix
    return filename_congress(stem) or parse_year(stem) or _year(stem)


# The reports delivered to a people's congress besides the government's work report, each known
# by its own title or by the opening sentence that presents it — never by a phrase several share
# (a budget report also thanks 市人大、市政协 for their support). Checked in this order.
_TITLED = "[^。；！？\n]"  # within one title or sentence
_KINDS: tuple[tuple[str, re.Pattern, re.Pattern], ...] = tuple(
    (kind, re.compile(title), re.compile(opening))
    for kind, title, opening in (
        (
            "决算报告",
            rf"决算(?:草案)?(?:情况)?的?报告|决算草案|决算(?:和|及){_TITLED}{{0,30}}报告$",
            rf"(?:报告|提交|提出|提请|现将){_TITLED}{{0,30}}决算(?:报告|草案|情况)"
            rf"|决算{_TITLED}{{0,10}}(?:报告如下|请予审议|请予审查)",
        ),
        (
            "预算报告",
            rf"预算{_TITLED}{{0,40}}预算(?:草案)?(?:（草案）)?的?报告|预算草案的?报告"
            rf"|预算执行情况的?报告|\d{{4}}年{_TITLED}{{0,8}}预算的报告",
            rf"(?:报告|提交|提出|提请|现将){_TITLED}{{0,40}}预算执行情况{_TITLED}{{0,40}}预算(?:草案)?"
            rf"|(?:报告|提交|提出|提请|现将){_TITLED}{{0,30}}预算草案",
        ),
        (
            "计划报告",
            rf"(?:国民经济和社会发展|经济和社会发展|经济社会发展)计划{_TITLED}{{0,40}}报告"
            rf"|计划草案的?报告",
            rf"(?:报告|提交|提请|现将){_TITLED}{{0,40}}(?:国民经济和社会发展|经济社会发展)计划",
        ),
        (
            "人大常委会工作报告",
            r"(?:人民代表大会|人大)常务委员会工作报告|人大常委会工作报告",
            rf"代表{_TITLED}{{0,20}}(?:人民代表大会|人大)常务?委员?会，?向大会(?:作|报告|提交)",
        ),
        (
            "法院工作报告",
            r"法院工作报告",
            rf"代表{_TITLED}{{0,20}}法院，?向大会(?:作|报告)",
        ),
        (
            "检察院工作报告",
            r"检察院工作报告",
            rf"代表{_TITLED}{{0,20}}检察院，?向大会(?:作|报告)",
        ),
    )
)
_NOT_KINDS = re.compile(r"审计|决议|通知|意见|办法")  # an audit report or a decision is not one


def congress_kind(title: str, opening: str = "") -> str:
    """预算报告, 决算报告, 计划报告, 人大常委会工作报告, 法院工作报告 or 检察院工作报告 when a
    report's title (else its opening sentences) says it is one; empty otherwise."""
    if title and not _NOT_KINDS.search(title):
        for kind, by_title, _ in _KINDS:
            if by_title.search(title):
                return kind
    if opening:
        first = opening[:300]
        for kind, _, by_opening in _KINDS:
            if by_opening.search(first):
                return kind
    return ""


def type_of(raw: RawReport, text: str, filename: str) -> str:
    """One of REPORT_TYPES (indexer.models) but 其他, or empty."""
    head = f"{raw.title} {raw.meeting}"
    opening = text[:800]
    if "决议" in raw.title or re.search(r"关于.{0,12}的决议", head):
        return "决议"
    if kind := congress_kind(raw.title):
        return kind
    if "会议通过" in head and not raw.title.endswith("报告"):  # a report "会议通过" stays a report
        return "决议"
    if re.search(r"全体（扩大）会议|全体会议|全会上", head) or "向全会报告工作" in opening:
        return "全会报告"
    if re.search(r"中国共产党.{0,12}代表大会|党代会", head):
        return "党代会报告"
    if "政府工作报告" not in raw.title and (kind := congress_kind("", opening)):
        return kind
    if re.search(r"我代表.{0,20}委员会向大会作?报告|委员会委托，?向大会作报告", opening):
        return "党代会报告"
    if "政府工作报告" in raw.title or re.search(
        r"代表.{0,10}(人民政府|国务院)，?向大会(作|报告)|向大会作政府工作报告", opening
    ):
        return "政府工作报告"
    if re.search(r"人民代表大会", head) and re.search(r"(总理|省长|市长|区长|县长|主席)", head):
        return "政府工作报告"
    if re.search(r"工作总结", raw.title) or re.search(
        r"回顾上半年|上半年[^。]{0,10}工作总结", text
    ):
        return "工作总结"
    if re.search(r"工作计划|工作要点", raw.title) or (
        re.search(r"主要预期目标", text) and not re.search(r"一年来|过去一年|回顾", text)
    ):
        return "工作计划"
    # A district or city government reviewing its year before the people's congress.
    if re.search(r"在[区市县]?人大、[区市县]?政协(的)?监督支持下", opening):
        return "政府工作报告"
    name = Path(filename).stem
    for cue, kind in (
        ("决议", "决议"),
        ("resolution", "决议"),
        ("政府工作报告", "政府工作报告"),
        ("cpc_congress", "党代会报告"),
        ("党代会", "党代会报告"),
        ("全会", "全会报告"),
        ("工作总结", "工作总结"),
        ("工作计划", "工作计划"),
    ):
        if cue in name:
            return kind
    return ""


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """MANIFEST.csv → {file name: {field: value}} with region mapped to district."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        name = (row.get("file") or "").strip()
        if not name:
            continue
        fields = {
            "district": (row.get("region") or row.get("district") or "").strip(),
            "level": (row.get("level") or "").strip(),
            "year": (row.get("year") or "").strip(),
            "title": (row.get("title") or "").strip(),
            "url": (row.get("url") or row.get("source_url") or "").strip(),
        }
        out[name] = {k: v for k, v in fields.items() if v}
    return out


def infer(
    raw: RawReport,
    text: str,
    header: dict[str, str] | None = None,
    filename: str = "",
    manifest: dict[str, str] | None = None,
) -> Inferred:
    """All metadata of one report; the manifest row, when given, overrides what it states."""
    header = header or {}
    if page_title := clean_title(header.get("标题", "")):
        header = {**header, "标题": page_title}
        if not raw.title or (_BARE_TITLE.fullmatch(raw.title) and raw.title in page_title):
            raw = replace(raw, title=page_title)  # the page's title, when the text has none
    date = raw.date
    if not date:
        for key in _HEADER_DATE_KEYS:
            if key in header and (date := _header_date(header[key])):
                break
    kind = type_of(raw, text, filename)
    meta = Inferred(
        year=year_of(raw, header, text, filename, kind),
        date=date,
        type=kind,
        title=raw.title,
        speaker=raw.speaker,
    )
    place = place_of(raw, text, header, filename, meta.year)
    notes = (("district", place.note), ("level", place.note)) if place.note else ()
    meta = replace(
        meta,
        district=place.district,
        level=place.level,
        province=place.province,
        city=place.city,
        notes=meta.notes + notes,
    )
    if manifest:
        changes: dict = {k: v for k, v in manifest.items() if k in ("district", "level", "title")}
        if manifest.get("year", "").isdigit():
            changes["year"] = int(manifest["year"])
        if "district" in changes and "level" not in changes:
            changes["level"] = level_of(changes["district"])
        if "district" in changes:
            year = changes.get("year", meta.year)
            changes["province"], changes["city"] = hierarchy_of(changes["district"], year)
            changes["notes"] = tuple(n for n in meta.notes if n[0] not in ("district", "level"))
        meta = replace(meta, **changes)
    if not meta.speaker and meta.district == NATIONAL:
        meta = replace(meta, speaker=national_speaker(meta.type, meta.year))
    if meta.date and meta.year and int(meta.date[:4]) != meta.year:
        meta = replace(meta, date="")  # a date that contradicts the stated year is not kept
    if not meta.title and meta.year and meta.district and meta.type:
        where = "" if meta.district == "全国" else meta.district
        meta = replace(meta, title=f"{meta.year}年{where}{meta.type}")
    return meta


# A heading that names only a kind of report: never a report's whole title when a fuller one exists.
_BARE_TITLE = re.compile(
    r"(?:政府)?工作报告|预算报告|决算报告|报告|第[一二三四五六七八九十]+部分.{0,8}"
)
# A portal's name after a page title: "…的报告_湛江市人民政府门户网站", "… _ 财政报告 _ …网站".
_TITLE_SEP = re.compile(r"\s*[_|｜]\s*|\s+-\s+")


def clean_title(title: str) -> str:
    """A page's title as the report's: table pipes and a portal's suffix taken off (the first
    part that names more than a site)."""
    parts = [p.strip() for p in _TITLE_SEP.split(title) if p.strip()]
    return parts[0] if parts else ""


def _header_date(value: str) -> str:
    m = re.search(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", value)
    if m:
        return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
    return parse_date(value)
