"""The year a report was delivered, from what its own text states.

Evidence in order of trust: the date of its title block; the national session its title or
meeting line names (through ``data/sessions.toml``); a year in its title, written in Arabic or
Chinese numerals (二〇一一, 二O一一, 二0一一, 二零一一); the session its opening sentence names;
what the body says of its own year ("2020年是…之年", "一、2019年工作回顾" → 2020). Page stamps,
a crawler's 年份 field and the file name come last: they date the page, not the report.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

from indexer.cn_dates import cn_number

__all__ = ["congress_year", "cover_year", "parse_year", "session_year", "sessions", "text_year"]

_DATA = Path(__file__).parent / "data" / "sessions.toml"
# Zero is written 〇, ○, 零, a Latin O or an Arabic 0 in Chinese-numeral years.
ZEROS = "〇○零Oo0"
_CN_YEAR = rf"[一二][{ZEROS}一二三四五六七八九]{{3}}"
_YEAR = re.compile(rf"(?<![\d{ZEROS}一二三四五六七八九十])(\d{{4}}|{_CN_YEAR})(?=\s?年)")
_N = r"[一二三四五六七八九十]+|\d{1,2}"
# Simplified or traditional: 第一届全国人民代表大会第一次会议 / 第一屆全國人民代表大會第一次會議
_NPC_NAME = r"[届屆]全[国國]人民代表大[会會]"
_MEETING = r"[会會][议議]"
_NPC = re.compile(rf"第?({_N}){_NPC_NAME}第?({_N})次(?:全体)?{_MEETING}")
_NPC_SHORT = re.compile(rf"({_N})届全国人大({_N})次会议")
_CONGRESS = re.compile(rf"中国共产党第({_N})次全国代表大会|党的第({_N})次全国代表大会")
_CONGRESS_SHORT = re.compile(rf"[（(_\s]({_N})大(?=[)）._\s]|$)")
_PLENUM = re.compile(rf"第?({_N})届中央委员会第({_N})次全体会议|(?:党的|中共)({_N})届({_N})中全会")
# The congress a report is delivered to: "我代表第十六届中央委员会向大会作报告" → the 17th.
_OUTGOING_CC = re.compile(rf"(?:我代表|我受)(?:中国共产党)?第?({_N})届中央委员会")
# A resolution's opening: "第二届全国人民代表大会第三次会议听取了…".
_RESOLUTION_OPENING = re.compile(
    rf"^\s*(?:中华人民共和国)?第?({_N}){_NPC_NAME}第?({_N})次{_MEETING}"
)
# The session a report is delivered to: "向第十届全国人民代表大会第一次会议报告", "向第四届全国人民
# 代表大会作政府工作报告" (its first session), "我们第一届全国人民代表大会第一次会议，在…".
_ADDRESSED = re.compile(
    rf"(?:向|请求|我们|我們)(?:本次)?第({_N}){_NPC_NAME}(?:第({_N})次{_MEETING})?(?=[^，。]{{0,3}}[作提报报请予，,])"
)
# The session since which a report counts: "第九届全国人民代表大会第一次会议以来的五年" (the
# next term's first session), "从去年三月第五届全国人民代表大会第一次会议闭幕到我们这次会议"
# (the next session).
_SINCE = re.compile(
    rf"第({_N}){_NPC_NAME}第({_N})次{_MEETING}(?:闭幕)?(以来的五年|[^。]{{0,6}}到(?:我们)?这次|到现在)"
)
_TERM_PAST = re.compile(rf"第({_N}){_NPC_NAME}期间")
_LAST_YEARS = re.compile(rf"去年(?:举行|召开)?的?({_N})届(?:全国)?人大({_N})次会议")
_OWN_CONGRESS_OPENING = re.compile(rf"^(?:同志们[！!：:，,]?\s*)?中国共产党第({_N})次全国代表大会")


@cache
def sessions() -> dict[str, dict[int, list[int] | int]]:
    """The session tables: npc (term → years), cpc_congress (n → year), cpc_plenum."""
    with _DATA.open("rb") as handle:
        raw = tomllib.load(handle)
    return {table: {int(k): v for k, v in rows.items()} for table, rows in raw.items()}


def _num(text: str) -> int:
    return cn_number(text)


def _nth(table: str, term: int, session: int) -> int | None:
    years = sessions()[table].get(term)
    if isinstance(years, list) and 1 <= session <= len(years):
        return years[session - 1]
    return None


def congress_year(n: int) -> int | None:
    """The year of the CPC's n-th national congress."""
    year = sessions()["cpc_congress"].get(n)
    return year if isinstance(year, int) else None


def national_speaker(kind: str, year: int | None) -> str:
    """Who delivered a national government work report or party congress report of `year`
    (the files themselves seldom say); empty when the session tables do not tell."""
    if not year:
        return ""
    if kind == "政府工作报告":
        return str(sessions()["work_report_speaker"].get(year, ""))
    if kind == "党代会报告":
        number = {y: n for n, y in sessions()["cpc_congress"].items()}.get(year)
        return str(sessions()["congress_report_speaker"].get(number, "")) if number else ""
    return ""


def parse_year(text: str) -> int | None:
    """The first year written "2011年" or "二O一一年" (any zero: 〇 ○ 零 O 0), or None."""
    for m in _YEAR.finditer(text):
        year = cn_number(m[1]) if not m[1].isdigit() else int(m[1])
        if 1800 <= year <= 2199:
            return year
    return None


def session_year(text: str) -> int | None:
    """The year of the first national session named: NPC session, CPC congress or plenum."""
    found: list[tuple[int, int]] = []
    for pattern in (_NPC, _NPC_SHORT):
        for m in pattern.finditer(text):
            if year := _nth("npc", _num(m[1]), _num(m[2])):
                found.append((m.start(), year))
    for m in _CONGRESS.finditer(text):
        if year := congress_year(_num(m[1] or m[2])):
            found.append((m.start(), year))
    for m in _PLENUM.finditer(text):
        term, session = (m[1], m[2]) if m[1] else (m[3], m[4])
        if year := _nth("cpc_plenum", _num(term), _num(session)):
            found.append((m.start(), year))
    return min(found)[1] if found else None


def text_year(text: str) -> int | None:
    """The delivery year the body states of itself, or None when it does not."""
    opening = text[:600]
    if m := _RESOLUTION_OPENING.match(opening):
        if year := _nth("npc", _num(m[1]), _num(m[2])):
            return year
    if m := _ADDRESSED.search(opening):
        if year := _nth("npc", _num(m[1]), _num(m[2] or "1")):
            return year
    for m in _SINCE.finditer(opening):
        term, session = _num(m[1]), _num(m[2])
        five = "五年" in opening[m.start() : m.end() + 30]
        nxt = (term + 1, 1) if five else (term, session + 1)
        if year := _nth("npc", *nxt):
            return year
    if (m := _TERM_PAST.search(opening)) and "过去五年" in opening:
        if year := _nth("npc", _num(m[1]) + 1, 1):
            return year
    if m := _LAST_YEARS.search(text[:3000]):
        if year := _nth("npc", _num(m[1]), _num(m[2])):
            return year + 1
    if m := _OWN_CONGRESS_OPENING.match(opening):
        if year := congress_year(_num(m[1])):
            return year
    if m := _OUTGOING_CC.search(opening):
        if year := congress_year(_num(m[1]) + 1):
            return year
    y = rf"(\d{{4}}|{_CN_YEAR})"
    if m := re.match(rf"{y}年是", opening):  # a plan: "2020年是…之年"
        return parse_year(m[1] + "年")
    # A review of the year before: "一、2010年及“十一五”工作回顾", "刚刚过去的2016年".
    m = (
        re.search(rf"(?:^|\n|[一二三四五六七八九十]、){y}年[^。\n]{{0,12}}工作的?回顾", text)
        or re.search(rf"刚刚过去的{y}年|首先报告{y}年的?工作", opening)
        or re.search(rf"(?:过去一年|一年来)[^。\n]{{0,4}}工作回顾\s*\n\s*{y}年，", opening)
    )
    if m:
        year = parse_year(next(g for g in m.groups() if g) + "年")
        return year + 1 if year else None
    # A plan or budget for the year it is presented in: "关于一九五八年度国民经济计划（草案）".
    if m := re.search(rf"关于{y}(?:、{y})?年度?(?:国民经济计划|国家预算)", opening):
        return parse_year(m[1] + "年")
    # A review of a five-year plan: "“九五”时期国民经济和社会发展的回顾", "“六五”计划执行情况的
    # 回顾" → the year after the plan's five.
    if m := re.search(
        r"“([一二三四五六七八九]|十[一二三四五]?)五”(?:时期|计划)[^。\n]{0,16}回顾", text
    ):
        start = sessions()["five_year_plan"].get(_num(m[1]))
        return start + 5 if isinstance(start, int) else None
    # A plan names its own year: "做好2020年工作", "2020年…主要预期目标".
    m = re.search(rf"做好{y}年[^。\d]{{0,6}}工作|{y}年[^。]{{0,12}}主要预期目标", text)
    if m:
        return parse_year(next(g for g in m.groups() if g) + "年")
    return None


_COVER_DATE = re.compile(
    rf"^\s*(\d{{4}}|{_CN_YEAR})\s?年\s?(?:\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s?月\s*$"
)


def cover_year(text: str, lines: int = 40) -> int | None:
    """The year of a cover that gives only a year and a month on a line of its own
    ("2026年1月", "二〇二六年一月"), among the first lines of a text."""
    for line in text.split("\n", lines)[:lines]:
        if m := _COVER_DATE.match(line):
            return parse_year(m[1] + "年")
    return None


def filename_congress(stem: str) -> int | None:
    """A congress named in a file name: "…第三次全国代表大会…", "…_(十三大)"."""
    m = _CONGRESS_SHORT.search(stem)
    if m:
        return congress_year(_num(m[1]))
    m = re.search(rf"第({_N})次全国代表大会", stem)
    return congress_year(_num(m[1])) if m else None
