"""zhumadian/: 25 reports as a crawler saved them; their year and type as LABELS.csv states.

LABELS.csv holds the right answers and is read here only, to check what ingestion found.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from indexer.ingest import ingest
from indexer.models import IngestResult

pytestmark = pytest.mark.shared

# Clutter as a reader sees it, written without the cleaning code's rules.
NAV = re.compile(r"首页\s*[>»|]|[>»]\s*\S{2,8}\s*[>»]|当前位置|您的位置|您现在的位置")
COUNTER = re.compile(r"(阅读|浏览|点击|评论|访问)(量|数|次数)?\s*[：:]\s*\d")
FOOTER = re.compile(r"ICP备|公网安备|版权所有|Copyright|网站标识码|主办单位|技术支持")
WIDGET = re.compile(
    r"分享到|打印本页|关闭窗口|关闭当前页|扫一扫在手机|无障碍(阅读|浏览)|进入适老模式|繁简|登录注册|热搜词"
)
NEIGHBOURS = re.compile(r"^(上一篇|下一篇|相关文章|相关阅读|相关链接)")
STAMP = re.compile(r"(发布时间|发布日期|信息来源|来源)\s*[：:]")
CRAWLER = re.compile(r"^(标题|年份)\s*[：:]|={5,}")
ESCAPED = re.compile(r"\\[rnt]|&(?:[a-zA-Z]{2,8}|#\d{2,6});|\ufffd|\?{2,}|\{[^{}]*:[^{}]*\}")


def clutter(text: str) -> str:
    """The kind of clutter a paragraph is, or the empty string for prose."""
    for kind, pattern in [
        ("navigation or breadcrumb", NAV),
        ("counter", COUNTER),
        ("footer", FOOTER),
        ("widget", WIDGET),
        ("previous/next", NEIGHBOURS),
        ("page stamp", STAMP),
        ("crawler header", CRAWLER),
        ("escape, entity or mojibake", ESCAPED),
    ]:
        if pattern.search(text):
            return kind
    if not re.search(r"[\u4e00-\u9fff]", text):
        return "lone number or date"
    return ""


@pytest.fixture(scope="module")
def zhumadian(shared_corpus: Path) -> tuple[IngestResult, dict[str, dict[str, str]]]:
    folder = shared_corpus / "zhumadian"
    with (folder / "LABELS.csv").open(encoding="utf-8-sig", newline="") as handle:
        labels = {row["file"]: row for row in csv.DictReader(handle)}
    return ingest([folder]), labels


def test_25_files_give_exactly_25_reports(zhumadian: tuple) -> None:
    result, labels = zhumadian
    assert len(labels) == 25
    assert sorted(r.source for r in result.reports) == sorted(labels)
    assert result.problems == [] or all("MANIFEST" not in p.source for p in result.problems)


def test_year_and_type_equal_the_labels(zhumadian: tuple) -> None:
    result, labels = zhumadian
    got = {r.source: (r.year, r.type) for r in result.reports}
    want = {name: (int(row["year"]), row["type"]) for name, row in labels.items()}
    assert got == want


def test_a_listing_year_in_the_crawler_header_is_not_the_report_year(zhumadian: tuple) -> None:
    result, _ = zhumadian
    years = {r.source: r.year for r in result.reports}
    assert years["2014_二O一一年政府工作报告.txt"] == 2011
    assert years["2014_二O一二年政府工作报告.txt"] == 2012
    assert years["2014_二O一三年政府工作报告.txt"] == 2013


def test_no_clutter_paragraph(zhumadian: tuple) -> None:
    result, _ = zhumadian
    found = [
        (r.source, p.n, clutter(p.text), p.text[:50])
        for r in result.reports
        for p in r.paragraphs
        if clutter(p.text)
    ]
    assert found == []


def test_no_paragraph_repeats_the_crawler_header(zhumadian: tuple) -> None:
    result, _ = zhumadian
    for report in result.reports:
        for p in report.paragraphs:
            assert not p.text.startswith(("标题：", "年份：")), (report.source, p.n)
            assert "=====" not in p.text


def test_real_short_headings_survive(zhumadian: tuple) -> None:
    result, _ = zhumadian
    texts = {r.source: [p.text for p in r.paragraphs] for r in result.reports}
    assert "一、2001年工作回顾" in texts["2002_二00二年政府工作报告.txt"]
    assert "一、2002年工作完成情况" in texts["2003_二00三年政府工作报告.txt"]
    assert "四、加强政府自身建设" in texts["2021_二O二一年政府工作报告.txt"]


def test_the_portal_page_keeps_its_report_whole(zhumadian: tuple) -> None:
    result, _ = zhumadian
    (report,) = [r for r in result.reports if r.source.startswith("2003_")]
    text = "\n".join(p.text for p in report.paragraphs)
    assert text.startswith("一、2002年工作完成情况")
    assert text.endswith("圆满完成今年的各项任务。")
    assert report.date == "2003-02-21"  # the page's stamp, agreeing with the text's year
