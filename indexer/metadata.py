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

from indexer.split import RawReport, parse_date
from indexer.years import filename_congress, parse_year, session_year, text_year

__all__ = [
    "Metadata",
    "district_of",
    "infer",
    "level_of",
    "read_manifest",
    "type_of",
    "year_of",
]

PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省",
    "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省",
    "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省",
    "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
    "香港特别行政区", "澳门特别行政区",
)  # fmt: skip
# Districts of the bundled sample (Hangzhou), recognised also when named without their suffix.
DISTRICTS = (
    "上城区", "下城区", "江干区", "拱墅区", "西湖区", "滨江区", "萧山区", "余杭区", "富阳区",
    "临安区", "钱塘区", "临平区",
)  # fmt: skip
CITIES = ("杭州市",)
_MUNICIPALITY_SHORT = {"北京", "天津", "上海", "重庆"}


def _short(name: str) -> str:
    for suffix in (
        "壮族自治区",
        "回族自治区",
        "维吾尔自治区",
        "自治区",
        "特别行政区",
        "省",
        "市",
        "区",
    ):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


_PLACES = {_short(n): n for n in (*PROVINCES, *CITIES, *DISTRICTS)}
# 第十四届 / 十四届 / 第七次: the session that follows an administrative unit's name
_UNIT_BEFORE_SESSION = re.compile(
    r"([\u4e00-\u9fff]{2,12}?(?:自治区|特别行政区|区|县|市|省|州|盟))(?=第?[一二三四五六七八九十]+[届次])"
)
_HEADER_DATE_KEYS = ("发布时间", "发表时间", "发布日期", "发文时间", "成文日期", "时间", "日期")


@dataclass(frozen=True)
class Metadata:
    """What is known about one report; empty string / None for what is not."""

    district: str = ""
    level: str = ""
    year: int | None = None
    date: str = ""
    type: str = ""
    title: str = ""
    speaker: str = ""


def level_of(district: str) -> str:
    """national / province / city / district for an administrative unit's full name."""
    if not district:
        return ""
    if district in ("全国", "中国", "中华人民共和国"):
        return "national"
    if district in PROVINCES:
        return "province"
    if district.endswith(("区", "县", "旗")) and not district.endswith("自治区"):
        return "district"
    if district.endswith(("市", "州", "盟")):
        return "city"
    return ""


def _unit(name: str) -> str:
    """The most specific unit in a name like 杭州市拱墅区 → 拱墅区."""
    name = re.sub(r"^.*[在日的]", "", name).removeprefix("中国共产党")
    parts = [p for p in re.split(r"(?<=[省市])(?=[\u4e00-\u9fff]{2,}[区县市])", name) if p]
    unit = parts[-1] if parts else name
    return _PLACES.get(_short(unit), unit)


def district_of(raw: RawReport, text: str) -> str:
    """The most specific administrative unit a report is about, from its title block and text."""
    head = f"{raw.meeting} {raw.title}"
    opening = text[:600]
    if re.search(r"全国人民代表大会|全国代表大会|国务院", head) or re.search(
        r"我代表国务院|全国人民代表大会|中央委员会委托|我代表中央", opening
    ):
        return "全国"
    for m in _UNIT_BEFORE_SESSION.finditer(head):
        return _unit(m[1])
    title_place = re.search(r"\d{4}年([\u4e00-\u9fff]{2,9}?(?:省|市|区|县|自治区))", raw.title)
    if title_place:
        return _unit(title_place[1])
    counts = Counter()
    for short, full in _PLACES.items():
        counts[full] = len(re.findall(short, text))
    # The most specific unit named repeatedly: a district over its city over its province.
    for rank in ("district", "city", "province"):
        found = [(n, name) for name, n in counts.items() if n >= 2 and level_of(name) == rank]
        if found:
            return max(found)[1]
    return ""


def _year(text: str) -> int | None:
    m = re.search(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", text)
    return int(m[1]) if m else None


def year_of(raw: RawReport, header: dict[str, str], text: str, filename: str) -> int | None:
    """The year a report was delivered, from its own text first (see indexer.years).

    Page stamps (时间：, 发布时间：), a crawler's 年份 field and the file name date the page, not
    the report: they count only when the text says nothing.
    """
    if raw.date:
        return int(raw.date[:4])
    page_title = header.get("标题", "")  # the title a portal or crawler gave the page
    found = (
        session_year(f"{raw.meeting} {raw.title} {page_title}")
        or parse_year(raw.meeting)
        or parse_year(raw.title)
        or parse_year(page_title)
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


def type_of(raw: RawReport, text: str, filename: str) -> str:
    """One of 政府工作报告, 党代会报告, 全会报告, 工作总结, 工作计划, 决议 — or empty."""
    head = f"{raw.title} {raw.meeting}"
    opening = text[:800]
    if "决议" in raw.title or re.search(r"关于.{0,12}的决议", head):
        return "决议"
    if "会议通过" in head and not raw.title.endswith("报告"):  # a report "会议通过" stays a report
        return "决议"
    if re.search(r"全体（扩大）会议|全体会议|全会上", head) or "向全会报告工作" in opening:
        return "全会报告"
    if re.search(r"中国共产党.{0,12}代表大会|党代会", head) or re.search(
        r"我代表.{0,20}委员会向大会作?报告|委员会委托，?向大会作报告", opening
    ):
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
        }
        out[name] = {k: v for k, v in fields.items() if v}
    return out


def infer(
    raw: RawReport,
    text: str,
    header: dict[str, str] | None = None,
    filename: str = "",
    manifest: dict[str, str] | None = None,
) -> Metadata:
    """All metadata of one report; the manifest row, when given, overrides what it states."""
    header = header or {}
    district = district_of(raw, text)
    if not raw.title and header.get("标题"):
        raw = replace(raw, title=header["标题"])  # the page's title, when the text has none
    date = raw.date
    if not date:
        for key in _HEADER_DATE_KEYS:
            if key in header and (date := _header_date(header[key])):
                break
    meta = Metadata(
        district=district,
        level=level_of(district),
        year=year_of(raw, header, text, filename),
        date=date,
        type=type_of(raw, text, filename),
        title=raw.title,
        speaker=raw.speaker,
    )
    if manifest:
        changes: dict = {k: v for k, v in manifest.items() if k in ("district", "level", "title")}
        if manifest.get("year", "").isdigit():
            changes["year"] = int(manifest["year"])
        if "district" in changes and "level" not in changes:
            changes["level"] = level_of(changes["district"])
        meta = replace(meta, **changes)
    if meta.date and meta.year and int(meta.date[:4]) != meta.year:
        meta = replace(meta, date="")  # a date that contradicts the stated year is not kept
    if not meta.title and meta.year and meta.district and meta.type:
        where = "" if meta.district == "全国" else meta.district
        meta = replace(meta, title=f"{meta.year}年{where}{meta.type}")
    return meta


def _header_date(value: str) -> str:
    m = re.search(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", value)
    if m:
        return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
    return parse_date(value)
