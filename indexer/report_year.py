"""The year and date a report was delivered: its own text first (`indexer.years`), then the
page's stamps and the file name."""

from __future__ import annotations

import re
from pathlib import Path

from indexer.split import RawReport, parse_date
from indexer.years import (
    cover_year,
    filename_congress,
    parse_year,
    session_year,
    text_year,
)

HEADER_DATE_KEYS = ("发布时间", "发表时间", "发布日期", "发文时间", "成文日期", "时间", "日期")


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
    for key in (*HEADER_DATE_KEYS, "年份"):
        if key in header and (year := _year(header[key])):
            return year
    stem = Path(filename).stem
    # "2014_二O一一年政府工作报告": the year the name gives its report before a listing prefix
    return filename_congress(stem) or parse_year(stem) or _year(stem)


def header_date(value: str) -> str:
    m = re.search(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", value)
    if m:
        return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
    return parse_date(value)
