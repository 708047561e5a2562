"""The adoption table as an event-history panel for a discrete-time model: one row per place
and year with a report while the place is at risk, `event` 1 in its adoption year, the place
leaving the risk set after it; place codes (GB/T 2260, at each year) and covariate-ready
columns; and the codebook that describes every column, written once here for the CSV, the
page and the file that goes with the CSV.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.place import province_code
from search.adoption import Adoption
from search.matching import has_marks


@dataclass(frozen=True)
class EventRow:
    place: str
    code: str
    level: str
    province: str
    province_code: str
    city: str
    year: int
    event: int
    at_risk: int
    adopted_cum: int
    first_year: int | None
    reports: int
    report_ids: tuple[str, ...]
    chars: int
    mentions: int


# (column, type, meaning): the codebook, in the CSV's column order
CODEBOOK = (
    ("place", "text", "地区名称：该层级的发布地（rollup=1 时为省或市本身，含其下各级报告）"),
    ("code", "text", "GB/T 2260 行政区划代码，取该年有效的代码；查不到或全国性报告为空"),
    ("level", "text", "层级：province、city 或 district"),
    ("province", "text", "所属省级地区名称"),
    ("province_code", "text", "所属省级地区的 GB/T 2260 代码（该年）"),
    ("city", "text", "所属地级市名称（省本身或省直辖县级单位为空）"),
    ("year", "integer", "年份：该地区在筛选范围内有报告的年份（没有报告的年份不成行）"),
    ("event", "0/1", "1：该地区首次提及检索式的年份（采纳年）；其余为 0"),
    ("at_risk", "0/1", "1：尚未采纳或正当采纳年（风险集内）；默认只输出 at_risk=1 的行"),
    ("adopted_cum", "0/1", "累计采纳：该年或更早已提及为 1（旧版面板的 adopted 列）"),
    ("first_year", "integer", "采纳年；从未提及为空（右删失）"),
    ("reports", "integer", "该地区该年的报告数"),
    ("report_ids", "text", "这些报告的编号，以分号分隔"),
    ("chars", "integer", "这些报告的字数（协变量：篇幅）"),
    (
        "mentions",
        "integer",
        "这些报告中检索式出现的次数（检索式没有可计数的词，即只有排除条件或"
        "筛选条件时，为匹配的段落数）",
    ),
)
COLUMNS = tuple(name for name, _, _ in CODEBOOK)


def event_panel(table: Adoption, every_year: bool = False) -> list[EventRow]:
    """The panel of an adoption table: at-risk rows only, or every place-year (`every_year`)."""
    out = []
    for r in table.panel:
        first = r.first_year
        at_risk = first is None or r.year <= first
        if not (at_risk or every_year):
            continue
        out.append(
            EventRow(
                place=r.place.name,
                code=r.place.code,
                level=r.place.level,
                province=r.place.province,
                province_code=province_code(r.place.province, r.year) if r.place.province else "",
                city=r.place.city,
                year=r.year,
                event=int(first is not None and r.year == first),
                at_risk=int(at_risk),
                adopted_cum=int(r.adopted),
                first_year=first,
                reports=len(r.report_ids),
                report_ids=r.report_ids,
                chars=r.chars,
                mentions=r.mentions,
            )
        )
    return out


def _query_line(q: str) -> str:
    """The query, and what its mentions count when that is paragraphs."""
    if not q:
        return "（无：按段落计）"
    return q if has_marks(q) else f"{q}（没有可计数的词：按段落计）"


def codebook_markdown(q: str, level: str, rollup: bool, filters: str, url: str = "") -> str:
    """The codebook as a Markdown file, with what the panel was made from."""
    lines = [
        "# baogao 事件史面板：变量说明（codebook）",
        "",
        f"- 检索式：{_query_line(q)}",
        f"- 层级：{level}{'，含下级报告（rollup=1）' if rollup else ''}",
        f"- 筛选：{filters or '（无）'}",
    ]
    if url:
        lines.append(f"- 来源：{url}")
    lines += [
        "",
        "每行一个地区-年份；地区在采纳年（event=1）之后退出风险集，不再成行。",
        "离散时间事件史模型可直接以 event 为因变量、以 year、chars、reports 等为协变量。",
        "",
        "| 列 | 类型 | 含义 |",
        "|---|---|---|",
    ]
    lines += [f"| {name} | {kind} | {meaning} |" for name, kind, meaning in CODEBOOK]
    return "\n".join(lines) + "\n"
