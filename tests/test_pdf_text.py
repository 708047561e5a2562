"""PDF text as printed: a page number set level with the last line of text is not text; a
gazette holding several documents gives each as its own report."""

from __future__ import annotations

from pathlib import Path

from bench.convert import to_pdf
from indexer.formats import extract
from indexer.ingest import ingest_bytes

PROSE = "全市财政部门坚持稳中求进工作总基调，加强财政资源统筹，持续优化支出结构。"
LAST = ["深入推进京津冀协同发展。", "支持建设强大国内市场。", "持续保障和改善民生。"]


def _pdf_with_page_numbers_beside_text(font: Path, pages: int = 3) -> bytes:
    """Pages of prose whose last line shares its baseline with the page number (— 13 —)."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.add_font("cjk", fname=str(font))
    pdf.set_font("cjk", size=12)
    for number in range(13, 13 + pages):
        pdf.add_page()
        y = 100
        for _ in range(6):
            pdf.text(80, y, PROSE)
            y += 24
        pdf.text(80, y, LAST[number - 13])
        pdf.text(400, y, f"— {number} —")  # the same baseline as the text line
    data = bytes(pdf.output())
    for loaded in pdf.fonts.values():
        loaded.ttfont.close()
    return data


def test_a_page_number_on_a_text_lines_baseline_is_not_text(cjk_font: Path) -> None:
    text = extract(_pdf_with_page_numbers_beside_text(cjk_font), "a.pdf").text
    assert all(line in text for line in LAST)
    assert "13" not in text and "—" not in text


def _items(topic: str, n: int = 3) -> str:
    return "".join(
        f"{topic}第{k}项工作稳步推进，全市上下坚持稳中求进，经济运行稳中有进，民生保障扎实有力。"
        for k in range(1, n + 1)
    )


MEETING = "——2026年1月20日在驻马店市第五届人民代表大会第六次会议上"
ADOPTED = "（2026年1月23日驻马店市第五届人民代表大会第六次会议通过）"
SESSION = "驻马店市第五届人民代表大会第六次会议"
TITLES = [
    "2026年驻马店市政府工作报告",
    "关于驻马店市2025年国民经济和社会发展计划执行情况与2026年计划草案的报告",
    "关于驻马店市2025年预算执行情况和2026年预算草案的报告",
    f"{SESSION}关于政府工作报告的决议",
    f"{SESSION}关于2026年预算的决议",
]
GAZETTE = [
    "驻马店市人民政府公报", "2026年第1期（总第200期）", "", "目  录", "", *TITLES, "",
    TITLES[0], MEETING, "驻马店市市长 张三", "", "各位代表：",
    "现在，我代表市人民政府，向大会报告工作，请予审议。", "一、2025年工作回顾",
    _items("产业发展", 4), "二、2026年工作安排", _items("城乡建设"), "",
    "关于驻马店市2025年国民经济和社会发展计划", "执行情况与2026年计划草案的报告", MEETING,
    "驻马店市发展和改革委员会主任 李四", "", "各位代表：",
    "受市人民政府委托，现将2025年国民经济和社会发展计划执行情况与2026年计划草案提请大会审查。",
    _items("计划执行"), "",
    "关于驻马店市2025年预算执行情况和", "2026年预算草案的报告", MEETING, "驻马店市财政局局长 王五",
    "", "各位代表：", "受市人民政府委托，向大会报告2025年预算执行情况和2026年预算草案，请予审议。",
    _items("预算执行"), "",
    TITLES[3], ADOPTED, "",
    f"{SESSION}听取和审议了市长张三所作的政府工作报告。会议决定批准这个报告。", "",
    TITLES[4], ADOPTED, "",
    f"{SESSION}审查了2025年预算执行情况和2026年预算草案的报告。会议决定批准2026年市级预算。",
]  # fmt: skip


def test_a_gazette_gives_each_document_as_its_own_report(cjk_font: Path) -> None:
    layout = to_pdf("\n".join(GAZETTE), cjk_font, "驻马店市人民政府公报 2026年第1期")
    reports = ingest_bytes(layout.data, "gazette.pdf")
    assert [r.title for r in reports] == TITLES
    assert [r.type for r in reports] == ["政府工作报告", "计划报告", "预算报告", "决议", "决议"]
    assert {(r.district, r.year) for r in reports} == {("驻马店市", 2026)}
    assert [r.speaker for r in reports[:3]] == [
        "张三",
        "驻马店市发展和改革委员会主任 李四",
        "驻马店市财政局局长 王五",
    ]
    text = [p.text for r in reports for p in r.paragraphs]
    assert not [t for t in text if "公报" in t or "目" in t.replace(" ", "")[:2] or t in TITLES]
    assert reports[0].paragraphs[-1].text.startswith("城乡建设第1项")
    assert reports[3].paragraphs[0].text.startswith(f"{SESSION}听取和审议了")
