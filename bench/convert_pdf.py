"""Write a report text as an A4 PDF with a running header and page numbers (fpdf2), and find a
font with Chinese glyphs to write it in. `to_pdf` also says where each page break falls inside a
paragraph, so that tests can check a reader joins the paragraph again. Used through
bench/convert.py."""

from __future__ import annotations

import logging
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

# TrueType first: fpdf2 embeds these best; the OpenType Noto fonts work too.
_FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)


def cjk_font() -> Path | None:
    """A font file with Chinese glyphs from Debian's fonts-wqy-zenhei or fonts-noto-cjk."""
    for path in _FONT_PATHS:
        if Path(path).is_file():
            return Path(path)
    try:
        found = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=20
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    files = sorted(line.split(":")[0].strip() for line in found.splitlines())
    files = [f for f in files if f.endswith((".ttf", ".ttc", ".otf"))]
    return Path(files[0]) if files else None


@dataclass
class PdfLayout:
    """A PDF and where its pages break: (the line before, the line after) for each page break
    inside a paragraph."""

    data: bytes
    pages: int
    breaks: list[tuple[str, str]] = field(default_factory=list)


def _wrapped(pdf, line: str, width: float) -> list[str]:
    from fpdf.enums import WrapMode

    parts = pdf.multi_cell(
        w=width, h=18, text=line, dry_run=True, output="LINES", wrapmode=WrapMode.CHAR
    )
    # fpdf2 drops a space where it wraps; a PDF keeps it as the line's last character
    out, pos = [], 0
    for part in parts:
        found = line.find(part, pos) if part else -1
        pos = found + len(part) if found >= 0 else pos
        if found >= 0 and line[pos : pos + 1] == " ":
            part, pos = part + " ", pos + 1
        out.append(part)
    return out


def to_pdf(
    text: str,
    font: Path,
    running_header: str = "拱墅区人民政府公报 2018年第1期",
    lines_per_page: int = 36,
) -> PdfLayout:
    """The text as an A4 PDF: paragraphs with a two-character first-line indent, a running
    header at the head of every page and "— N —" at its foot."""
    from fpdf import FPDF

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "BDF NOT subset"
    measure, pdf = (FPDF(format="A4", unit="pt") for _ in range(2))
    for doc in (measure, pdf):
        doc.set_auto_page_break(False)
        doc.add_font("cjk", fname=str(font))
        doc.set_font("cjk", size=12)
    measure.add_page()  # fpdf2 measures lines on a page
    width = pdf.w - 144
    rows: list[tuple[str, bool, bool]] = []  # (line, starts a paragraph, ends one)
    for line in text.replace("\r", "").split("\n"):
        if not line.strip():
            rows.append(("", True, True))
            continue
        wrapped = _wrapped(measure, "\u3000\u3000" + line.strip(), width)
        for k, part in enumerate(wrapped):
            rows.append((part, k == 0, k == len(wrapped) - 1))
    pages = [rows[i : i + lines_per_page] for i in range(0, len(rows), lines_per_page)]
    layout = PdfLayout(b"", len(pages))
    for number, page in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font_size(9)
        pdf.set_xy(72, 40)
        pdf.cell(w=width, h=12, text=running_header, align="C")
        pdf.set_font_size(12)
        for k, (part, _, _) in enumerate(page):
            if not part:
                continue
            pdf.set_xy(72, 80 + 18 * k)
            pdf.cell(h=18, text=part)
        pdf.set_font_size(10)
        pdf.set_xy(72, pdf.h - 50)
        pdf.cell(w=width, h=12, text=f"— {number} —", align="C")
        if number < len(pages) and not page[-1][2]:
            layout.breaks.append((page[-1][0], pages[number][0][0]))
    layout.data = bytes(pdf.output())
    for doc in (measure, pdf):  # fpdf2 leaves the font file open
        for loaded in doc.fonts.values():
            if getattr(loaded, "ttfont", None) is not None:
                loaded.ttfont.close()
    return layout
