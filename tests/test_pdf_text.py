"""PDF text as printed: a page number set level with the last line of text is not text."""

from __future__ import annotations

from pathlib import Path

from indexer.formats import extract

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
