"""Citations of a report or of one paragraph: GB/T 7714-2015 (the Chinese standard for
references), BibTeX and RIS for reference managers, all from one description (`Cited`).

GB/T 7714-2015 for an online report: 主要责任者. 题名[R/OL]. 出版地: 出版者, 出版年(发布日期):
引文位置[引用日期]. 获取和访问路径. The issuing body follows the report's type and place (国务院,
中共中央 and 全国人民代表大会 nationally; a place's government, party committee or people's
congress, named with its city or province: 杭州市拱墅区人民政府, as 鼓楼区 alone is four places)
and publishes its own report in its seat. What the report itself does not say is supplied in
square brackets, as the standard asks (§7): a title made up from the year and place, an unknown
place or publisher. The address is the page the report was published on when known, else this
site's permalink."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as Date

from indexer.models import Metadata

GOVERNMENT = ("政府工作报告", "工作总结", "工作计划")
PARTY = ("党代会报告", "全会报告")
CONGRESS_BODIES = ("人大常委会工作报告", "法院工作报告", "检察院工作报告")
_BARE_TITLE = re.compile(r"(政府)?工作(报告|总结|计划|要点)([（(]摘要[)）])?|报告")
_YEAR_IN_TITLE = re.compile(r"\d{4}|[一二三四五六七八九〇零○OΟ0]{4}年")
NATIONAL_SEAT = "北京"
FOUNDED = 1949  # national bodies sat in Beijing from the People's Republic on
# Where each province's government sits (a municipality sits in itself).
CAPITALS = {
    "河北省": "石家庄", "山西省": "太原", "内蒙古自治区": "呼和浩特", "辽宁省": "沈阳",
    "吉林省": "长春", "黑龙江省": "哈尔滨", "江苏省": "南京", "浙江省": "杭州", "安徽省": "合肥",
    "福建省": "福州", "江西省": "南昌", "山东省": "济南", "河南省": "郑州", "湖北省": "武汉",
    "湖南省": "长沙", "广东省": "广州", "广西壮族自治区": "南宁", "海南省": "海口",
    "四川省": "成都", "贵州省": "贵阳", "云南省": "昆明", "西藏自治区": "拉萨", "陕西省": "西安",
    "甘肃省": "兰州", "青海省": "西宁", "宁夏回族自治区": "银川", "新疆维吾尔自治区": "乌鲁木齐",
    "台湾省": "台北", "北京市": "北京", "天津市": "天津", "上海市": "上海", "重庆市": "重庆",
    "香港特别行政区": "香港", "澳门特别行政区": "澳门",
}  # fmt: skip
UNKNOWN_AUTHOR = "佚名"
UNKNOWN_PLACE = "[出版地不详]"
UNKNOWN_PUBLISHER = "[出版者不详]"
UNKNOWN_YEAR = "[出版年不详]"


def _national(r: Metadata) -> bool:
    return r.level == "national" or r.district == "全国"


def full_place(r: Metadata) -> str:
    """The issuing place with the unit above it where the name alone is not unique: a county
    or district with its city (杭州市拱墅区), or its province when no city stands between
    (北京市东城区, 河南省济源市); cities and provinces are unique by name."""
    place = r.district
    if not place or _national(r) or r.level in ("province", "city"):
        return place
    parent = r.city if r.city and r.city != place else r.province if r.province != place else ""
    return place if not parent or place.startswith(parent) else parent + place


def issuer(r: Metadata) -> str:
    """Who issued the report: 国务院, 中共中央, 全国人民代表大会, 杭州市拱墅区人民政府, …"""
    place = full_place(r)
    if r.type == "决议":
        return "全国人民代表大会" if _national(r) else f"{place}人民代表大会" if place else ""
    if r.type in PARTY:
        return "中共中央" if _national(r) else f"中共{place}委员会" if place else ""
    if r.type in CONGRESS_BODIES:  # the body names itself: 河南省高级人民法院工作报告
        named = re.match(r"^(.{2,30}?(?:常务委员会|人大常委会|法院|检察院))工作报告", r.title)
        return named[1] if named else ""
    if _national(r):
        return "国务院"
    return f"{place}人民政府" if place else ""


def seat(r: Metadata) -> str:
    """出版地: the city where the issuing body sits, as GB/T 7714 names it (杭州, not 杭州市);
    a county or county-level city sits in itself; empty when not known."""
    if _national(r):
        return NATIONAL_SEAT if r.year is None or r.year >= FOUNDED else ""
    if r.level == "province":
        return CAPITALS.get(r.district, "")
    if r.level == "district" and r.district.endswith("区"):  # a city's district: the city
        where = r.city or r.province
        return CAPITALS.get(where, "") if where == r.province else where.removesuffix("市")
    if r.level in ("city", "district") and r.district:
        return r.district.removesuffix("市") if len(r.district) > 2 else r.district
    return ""


def title(r: Metadata) -> str:
    """The title as shown: a bare 政府工作报告 gets its year and place (2017年拱墅区…)."""
    supplied, text = _title(r)
    return supplied + text


def cited_title(r: Metadata) -> str:
    """The title as cited, with what the report does not say in square brackets: a bare
    政府工作报告 becomes [2017年拱墅区]政府工作报告; a report with no title at all, [2017年
    拱墅区政府工作报告]."""
    supplied, text = _title(r)
    if not r.title:
        return f"[{supplied}{text}]"
    return f"[{supplied}]{text}" if supplied else text


def _title(r: Metadata) -> tuple[str, str]:
    """(what is supplied before the title, the title or the report's type)."""
    text = r.title or r.type or "报告"
    if not r.year or (r.title and not _BARE_TITLE.fullmatch(r.title)):
        return "", text
    if _YEAR_IN_TITLE.search(text):
        return "", text
    place = "" if _national(r) or r.district in text else r.district
    return f"{r.year}年{place}", text


@dataclass(frozen=True)
class Cited:
    """What every format says of one report or paragraph."""

    author: str
    title: str  # with supplied parts in [ ]
    kind: str  # GB/T 7714 type code: R report, Z other
    place: str  # 出版地, or "" unknown
    publisher: str
    year: int | None
    date: str
    paragraph: int | None
    url: str
    today: Date
    type: str = ""  # the report's type (政府工作报告 …)
    speaker: str = ""


def describe(
    r: Metadata,
    permalink: str,
    today: Date,
    paragraph: int | None = None,
    source_url: str = "",
) -> Cited:
    """One report (or paragraph) described for citing; the address is the published page
    when known (`source_url`), this site's permalink otherwise."""
    body = issuer(r)
    return Cited(
        author=body,
        title=cited_title(r),
        kind="Z" if r.type == "决议" else "R",
        place=seat(r) if body else "",
        publisher=body,
        year=r.year,
        date=r.date,
        paragraph=paragraph,
        url=source_url or permalink,
        today=today,
        type=r.type,
        speaker=r.speaker,
    )


def gbt7714(c: Cited) -> str:
    """杭州市拱墅区人民政府. [2017年拱墅区]政府工作报告[R/OL]. 杭州: 杭州市拱墅区人民政府,
    2017(2017-02-09): 第5段[2026-11-30]. <url>."""
    year = str(c.year) if c.year else UNKNOWN_YEAR
    when = f"({c.date})" if c.date and c.date != year else ""
    where = f": 第{c.paragraph}段" if c.paragraph is not None else ""
    publication = f"{c.place or UNKNOWN_PLACE}: {c.publisher or UNKNOWN_PUBLISHER}, {year}"
    head = f"{c.author or UNKNOWN_AUTHOR}. {c.title}[{c.kind}/OL]."
    return f"{head} {publication}{when}{where}[{c.today.isoformat()}]. {c.url}."


def bibtex(c: Cited, key: str) -> str:
    """A BibTeX @misc entry; biblatex reads date, urldate, location; the gbt7714 styles read
    mark and medium (and print [R/OL])."""
    fields = [
        ("author", f"{{{c.author or UNKNOWN_AUTHOR}}}"),
        ("title", f"{{{c.title}}}"),
        ("address", c.place),
        ("location", c.place),
        ("publisher", c.publisher),
        ("year", str(c.year) if c.year else ""),
        ("date", c.date),
        ("type", c.type),
        ("mark", c.kind),
        ("medium", "OL"),
        ("howpublished", f"\\url{{{c.url}}}"),
        ("url", c.url),
        ("urldate", c.today.isoformat()),
        ("note", f"第{c.paragraph}段" if c.paragraph is not None else ""),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{key},\n{body}\n}}"


def ris(c: Cited) -> str:
    """An RIS record (TY GOVDOC), as Zotero, EndNote and NoteExpress import it."""
    lines = [("TY", "GOVDOC"), ("AU", c.author or UNKNOWN_AUTHOR), ("TI", c.title)]
    if c.year:
        lines.append(("PY", str(c.year)))
    if c.date:
        lines.append(("DA", c.date.replace("-", "/")))
    if c.speaker:
        lines.append(("A2", c.speaker))
    if c.place:
        lines.append(("CY", c.place))
    if c.publisher:
        lines.append(("PB", c.publisher))
    lines += [("UR", c.url), ("Y2", c.today.isoformat().replace("-", "/"))]
    if c.paragraph is not None:
        lines.append(("N1", f"第{c.paragraph}段"))
    lines.append(("ER", ""))
    return "\r\n".join(f"{tag}  - {value}".rstrip() for tag, value in lines) + "\r\n"


def key(report_id: str, paragraph: int | None = None) -> str:
    return f"baogao-{report_id}" + (f"-p{paragraph}" if paragraph is not None else "")
