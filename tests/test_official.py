"""official/: 14 reports as governments published them (PDF, Word, web pages); their place,
level, year and type as LABELS.csv states.

LABELS.csv holds the right answers and is read here only, to check what ingestion found.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from indexer.ingest import ingest
from indexer.models import IngestResult

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def official(shared_corpus: Path) -> tuple[IngestResult, dict[str, dict[str, str]]]:
    folder = shared_corpus / "official"
    with (folder / "LABELS.csv").open(encoding="utf-8-sig", newline="") as handle:
        labels = {row["file"]: row for row in csv.DictReader(handle)}
    return ingest([folder]), labels


def _report(result: IngestResult, source: str):
    (report,) = [r for r in result.reports if r.source == source]
    return report


def test_14_files_give_exactly_14_reports(official: tuple) -> None:
    result, labels = official
    assert len(labels) == 14
    assert sorted(r.source for r in result.reports) == sorted(labels)
    assert [p.source for p in result.problems] == ["LABELS.csv"]


def test_place_level_year_and_type_equal_the_labels(official: tuple) -> None:
    result, labels = official
    got = {r.source: (r.district, r.level, r.year, r.type) for r in result.reports}
    want = {
        name: (row["district"], row["level"], int(row["year"]), row["type"])
        for name, row in labels.items()
    }
    assert got == want


@pytest.mark.parametrize(
    ("source", "title"),
    [
        # two lines, the contents list of the budget book above them
        ("guangzhou_2025.pdf", "关于广州市2025年预算执行情况和2026年预算草案的报告"),
        # three lines under the session papers' masthead
        (
            "chengde_2025_budget_report.docx",
            "关于承德市2025年市本级预算和市总预算执行情况与2026年市本级预算和市总预算草案的报告（书面）",
        ),
        (
            "weihai_2025_budget_execution_report.pdf",
            "关于2025年威海市和市级预算执行情况与2026年威海市和市级预算草案的报告",
        ),
        ("heilongjiang_2022.pdf", "黑龙江省人民政府关于2022年财政决算的报告"),
        (
            "wuxi_2025_budget_report.html",
            "关于无锡市2025年预算执行情况与2026年预算草案的报告（摘要）",
        ),
        # the page's title without the portal's name or the table's pipes
        ("zhanjiang_2025_budget_report.html", "湛江市2025年预算执行情况和2026年预算草案的报告"),
        ("zibo_2025_budget_summary.html", "淄博市财政局2025年工作总结和2026年工作计划"),
    ],
)
def test_titles_read_whole(official: tuple, source: str, title: str) -> None:
    assert _report(official[0], source).title == title


@pytest.mark.parametrize(
    ("source", "speaker", "date"),
    [
        ("2025年河南省政府工作报告.docx", "王凯", "2025-01-18"),  # not 王凯作政府工作报告
        ("guangzhou_2025.pdf", "广州市财政局局长 姚露", "2026-01-19"),
        ("beijing_2025_budget_report.pdf", "北京市财政局局长 韩杰", "2026-01-25"),  # ———
        ("weihai_2025_budget_execution_report.pdf", "威海市财政局局长 宋忠勇", "2026-01-14"),  # ──
        ("heilongjiang_2022.pdf", "黑龙江省财政厅厅长 孟祥会", "2023-08-30"),  # —
    ],
)
def test_speakers_and_dates_of_the_title_block(
    official: tuple, source: str, speaker: str, date: str
) -> None:
    report = _report(official[0], source)
    assert (report.speaker, report.date) == (speaker, date)


def test_a_contents_list_before_the_report_is_not_part_of_it(official: tuple) -> None:
    report = _report(official[0], "heilongjiang_2022.pdf")
    title, meeting, speaker, opening = (p.text for p in report.paragraphs[:4])
    assert (title, speaker) == (report.title, "黑龙江省财政厅厅长孟祥会")
    assert "在黑龙江省第十四届人民代表大会常务委员会第六次会议上" in meeting
    assert opening.startswith("主任、各位副主任")
    assert not any(
        p.text.startswith("第二部分2022年黑龙江省财政决算报表") for p in report.paragraphs[:5]
    )


@pytest.fixture(scope="module")
def official_client(official: tuple, tmp_path_factory: pytest.TempPathFactory):
    from indexer.build import build_index
    from search_app import create_app

    index_dir = tmp_path_factory.mktemp("official-index")
    build_index(official[0].reports, index_dir)
    return create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client()


def test_the_type_facet_and_filter_list_the_new_types(official: tuple, official_client) -> None:
    data = official_client.get("/api/search?q=预算").get_json()
    counts = {i["value"]: i["count"] for i in data["facets"]["type"]}
    assert {"预算报告", "决算报告"} <= set(counts)
    sources = {r.id: r.source for r in official[0].reports}
    for url in ("/api/search?q=预算&type=决算报告", "/api/search?q=预算 type:决算"):
        hits = official_client.get(url + "&per_page=100").get_json()["hits"]
        assert {sources[h["report_id"]] for h in hits} == {
            "fuxin_2025_final_budget_report.html",
            "heilongjiang_2022.pdf",
        }


def test_the_api_description_lists_every_type(official_client) -> None:
    spec = official_client.get("/api/openapi.json").get_json()
    (param,) = [p for p in spec["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "type"]
    for kind in ("预算报告", "决算报告", "计划报告", "人大常委会工作报告", "法院工作报告"):
        assert kind in param["description"]


PDFS = [
    "guangzhou_2025.pdf",
    "weihai_2025_budget_execution_report.pdf",
    "tianjin_2025_budget_report.pdf",
    "heilongjiang_2022.pdf",
    "beijing_2025_budget_report.pdf",
    "baoding_2025_budget_report.pdf",
]
_NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、])"
)


def _pdf_lines(path: Path) -> list[str]:
    """The lines of a PDF as an independent extractor prints them: poppler's pdftotext where
    installed (Debian's poppler-utils, as CI has it), else PDFium's raw text layer, without
    the ingestion's layout rules either way."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        done = subprocess.run(
            [pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
        )
        return done.stdout.decode("utf-8").splitlines()
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path.read_bytes())
    lines: list[str] = []
    for page in doc:
        textpage = page.get_textpage()
        lines += textpage.get_text_range().splitlines()
        textpage.close()
    doc.close()
    return lines


def _wrapped_phrases(path: Path, count: int = 20) -> list[str]:
    """Phrases across the line breaks of a PDF's prose as an independent extractor gives its
    lines (six characters either side): lines of prose (a comma in them, no numbering) that
    break between two Chinese characters."""
    lines = _pdf_lines(path)
    found = []
    for before, after in zip(lines, lines[1:], strict=False):
        b, a = before.strip(), after.strip()
        if len(b) < 18 or not re.search("[，、]", b) or _NUMBERING.match(b) or _NUMBERING.match(a):
            continue
        if re.fullmatch(r"[\u4e00-\u9fff]{6}", b[-6:]) and re.fullmatch(
            r"[\u4e00-\u9fff]{6}", a[:6]
        ):
            found.append(b[-6:] + a[:6])
    step = max(1, len(found) // count)
    return found[::step][:count]


@pytest.mark.parametrize("source", PDFS)
def test_phrases_wrapped_over_pdf_lines_stand_whole_in_one_paragraph(
    official: tuple, shared_corpus: Path, source: str
) -> None:
    phrases = _wrapped_phrases(shared_corpus / "official" / source)
    assert len(phrases) >= 10
    texts = [p.text for p in _report(official[0], source).paragraphs]
    assert [p for p in phrases if not any(p in t for t in texts)] == []


def test_no_page_number_or_printers_line_inside_a_paragraph(official: tuple) -> None:
    printed = re.compile(r"[—－─]\s*\d{1,3}\s*[—－─]|共印\s*\d+\s*份|\d日印$")
    found = [
        (r.source, p.n, p.text[-40:])
        for r in official[0].reports
        for p in r.paragraphs
        if printed.search(p.text)
    ]
    assert found == []


def test_footnote_markers_in_a_pdfs_sentences_are_not_text(official: tuple) -> None:
    """guangzhou_2025.pdf sets its footnote markers small and raised: "2,183 亿元 ²，可比增长
    3%³"; read as text they made 支出 5.5 亿元 into 支出45.5亿元."""
    report = _report(official[0], "guangzhou_2025.pdf")
    text = "\n".join(p.text for p in report.paragraphs)
    assert "2025年全市一般公共预算收入2,183亿元，可比增长3%，完成预算的100.3%。" in text
    assert "区域间转移性支出5.5亿元后，总支出3,637.7亿元" in text
    assert "政府性基金预算收入1,000亿元，下降22%" in text
    assert "达到1,706.1万人次。具体险种" in text
    assert "（一）一般公共预算执行情况" in [p.text for p in report.paragraphs if p.heading]


def _independent_blocks(path: Path) -> list[str]:
    """The text blocks of a Word file or web page as read without the ingestion: a .docx's
    `<w:p>` runs straight from its XML, a page's block elements through lxml alone."""
    import zipfile

    from lxml import etree, html

    data = path.read_bytes()
    if path.suffix == ".docx":
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
        return ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in root.iter(f"{w}p")]
    charset = re.search(rb"charset=[\"']?([\w-]+)", data[:4000])
    encoding = charset[1].decode() if charset else "utf-8"
    tree = html.fromstring(
        data.decode("gb18030" if encoding.lower().startswith("gb") else encoding, "replace")
    )
    return [el.text_content() for el in tree.iter("p", "div", "td", "li", "span") if len(el) == 0]


OTHERS = [
    "2025年河南省政府工作报告.docx",
    "2025年重庆市政府工作报告.docx",
    "chengde_2025_budget_report.docx",
    "fuxin_2025_final_budget_report.html",
    "sanming_2018_budget_report.html",
    "wuxi_2025_budget_report.html",
    "zhanjiang_2025_budget_report.html",
    "zibo_2025_budget_summary.html",
]


@pytest.mark.parametrize("source", OTHERS)
def test_phrases_of_word_files_and_web_pages_stand_whole_in_one_paragraph(
    official: tuple, shared_corpus: Path, source: str
) -> None:
    """Twenty phrases of twelve Chinese characters from the prose of each file, read by an
    independent reader, each whole in one paragraph of its report."""
    runs = [
        m[0]
        for block in _independent_blocks(shared_corpus / "official" / source)
        if len(block.strip()) >= 40 and re.search("[，。]", block)
        for m in re.finditer(r"[\u4e00-\u9fff]{12}", re.sub(r"\s+", "", block))
    ]
    assert len(runs) >= 20
    phrases = runs[:: max(1, len(runs) // 20)][:20]
    texts = [p.text for p in _report(official[0], source).paragraphs]
    assert [p for p in phrases if not any(p in t for t in texts)] == []
