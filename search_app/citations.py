"""Citations of a report or of one paragraph: GB/T 7714-2015 (the Chinese standard for
references), BibTeX and RIS for reference managers. The issuing body follows the report's
type and place: 国务院 for national government reports, 中共中央 for national party congress
and plenary reports, 全国人民代表大会 for NPC resolutions, and the local government, party
committee or people's congress for a place's own."""

from __future__ import annotations

import re
from datetime import date as Date

from indexer.models import Metadata

GOVERNMENT = ("政府工作报告", "工作总结", "工作计划")
PARTY = ("党代会报告", "全会报告")
CONGRESS_BODIES = ("人大常委会工作报告", "法院工作报告", "检察院工作报告")
_BARE_TITLE = re.compile(r"(政府)?工作(报告|总结|计划|要点)([（(]摘要[)）])?|报告")
_YEAR_IN_TITLE = re.compile(r"\d{4}|[一二三四五六七八九〇零○OΟ0]{4}年")


def issuer(r: Metadata) -> str:
    """Who issued the report: 国务院, 中共中央, 全国人民代表大会, 拱墅区人民政府, …"""
    national = r.level == "national" or r.district == "全国"
    if r.type == "决议":
        return "全国人民代表大会" if national else f"{r.district}人民代表大会" if r.district else ""
    if r.type in PARTY:
        return "中共中央" if national else f"中共{r.district}委员会" if r.district else ""
    if r.type in CONGRESS_BODIES:  # the body names itself: 河南省高级人民法院工作报告
        named = re.match(r"^(.{2,30}?(?:常务委员会|人大常委会|法院|检察院))工作报告", r.title)
        return named[1] if named else ""
    if national:
        return "国务院"
    return f"{r.district}人民政府" if r.district else ""


def title(r: Metadata) -> str:
    """The title as cited: a bare 政府工作报告 gets its year and place (2017年拱墅区…)."""
    text = r.title or r.type or "报告"
    bare = not r.title or _BARE_TITLE.fullmatch(r.title)
    if r.year and bare and not _YEAR_IN_TITLE.search(text):
        place = "" if r.level == "national" or r.district == "全国" else r.district
        if place and place in text:
            place = ""
        text = f"{r.year}年{place}{text}"
    return text


def _kind(r: Metadata) -> str:
    return "Z" if r.type == "决议" else "R"


def _when(r: Metadata) -> str:
    return r.date or (str(r.year) if r.year else "")


def gbt7714(r: Metadata, url: str, today: Date, paragraph: int | None = None) -> str:
    """国务院. 2018年政府工作报告[R/OL]. (2018-03-05): 第12段[2026-11-30]. <url>."""
    head = f"{issuer(r) or '佚名'}. {title(r)}[{_kind(r)}/OL]."
    when = f"({_when(r)})" if _when(r) else ""
    where = f": 第{paragraph}段" if paragraph is not None else ""
    return f"{head} {when}{where}[{today.isoformat()}]. {url}."


def bibtex(r: Metadata, key: str, url: str, today: Date, paragraph: int | None = None) -> str:
    """A BibTeX @misc entry (biblatex reads its date and urldate too)."""
    fields = [
        ("author", f"{{{issuer(r) or '佚名'}}}"),
        ("title", f"{{{title(r)}}}"),
        ("year", str(r.year) if r.year else ""),
        ("date", r.date),
        ("type", r.type),
        ("howpublished", f"\\url{{{url}}}"),
        ("url", url),
        ("urldate", today.isoformat()),
        ("note", f"第{paragraph}段" if paragraph is not None else ""),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{key},\n{body}\n}}"


def ris(r: Metadata, url: str, today: Date, paragraph: int | None = None) -> str:
    """An RIS record (TY GOVDOC), as Zotero, EndNote and NoteExpress import it."""
    lines = [("TY", "GOVDOC"), ("AU", issuer(r) or "佚名"), ("TI", title(r))]
    if r.year:
        lines.append(("PY", str(r.year)))
    if r.date:
        lines.append(("DA", r.date.replace("-", "/")))
    if r.speaker:
        lines.append(("A2", r.speaker))
    lines += [("UR", url), ("Y2", today.isoformat().replace("-", "/"))]
    if paragraph is not None:
        lines.append(("N1", f"第{paragraph}段"))
    lines.append(("ER", ""))
    return "\r\n".join(f"{tag}  - {value}".rstrip() for tag, value in lines) + "\r\n"


def key(report_id: str, paragraph: int | None = None) -> str:
    return f"baogao-{report_id}" + (f"-p{paragraph}" if paragraph is not None else "")
