"""Write a report text as the files people have: a PDF with running headers and page numbers,
a Word document with headings and a table, a portal's web page in UTF-8 or GBK. The tests and
`python -m bench.formats` build their PDF, DOCX and HTML versions of the bundled reports here,
so that no binary fixture is kept in git.

Each line of the text becomes a paragraph of the document and each blank line an empty one
(a gap in a PDF), so that a reader that restores the document's paragraphs gives back the
text the line-based text version holds.

This module writes the Word document and turns a file or a folder into any of the formats; the
PDF writer is bench/convert_pdf.py and the web page writer bench/convert_html.py (both names
importable from here).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from bench.convert_html import heading_level_of, to_html
from bench.convert_pdf import PdfLayout, cjk_font, to_pdf

__all__ = ["PdfLayout", "cjk_font", "to_docx", "to_html", "to_pdf"]

_HEADER_FIELDS = re.compile(
    r"^(发布时间|来源|索\s*引\s*号|成文日期|发布机构|主题分类|文号)\s*[:：|]"
)


def to_docx(text: str, title: str = "", nested: bool = False) -> bytes:
    """The text as a Word document: numbered headings as Heading 1–3, header fields as a
    two-column table, and the first long paragraph inside a one-cell table (as some offices
    lay out their documents); with `nested`, all of it inside the one cell of a table, the
    two tables nested in that cell."""
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    box = document.add_table(rows=1, cols=1).cell(0, 0) if nested else document
    fields: list[tuple[str, str]] = []
    boxed = False
    for line in text.replace("\r", "").split("\n"):
        line = line.strip()
        if _HEADER_FIELDS.match(line):
            if "|" in line:
                cells = [c.strip() for c in line.strip("| ").split("|")]
                fields += list(zip(cells[::2], cells[1::2], strict=False))
            else:
                found = re.findall(r"(\S+?)\s*[:：]\s*(\S+(?:\s\d\S*)?)", line)
                fields += found
            continue
        if fields:
            table = box.add_table(rows=0, cols=2)
            for key, value in fields:
                row = table.add_row().cells
                row[0].text, row[1].text = key, value
            fields = []
        level = heading_level_of(line)
        if level:
            box.add_paragraph(line, style=f"Heading {level}")
        elif not boxed and len(line) > 200:
            box.add_table(rows=1, cols=1).cell(0, 0).text = line
            boxed = True
        else:
            box.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


FORMATS = ("pdf", "docx", "html", "html-gbk")


def convert_file(data: bytes, name: str, fmt: str, font: Path | None = None) -> tuple[bytes, str]:
    """One text report file as `fmt` (see FORMATS; also "docx-nested" and "html-table", laid out
    in nested tables): its bytes and its new file name. The page title and date of a web page,
    and the title of a Word file, are the text version's own."""
    from indexer.ingest import ingest_bytes
    from indexer.read import decode

    text = decode(data)
    stem = name.rsplit(".", 1)[0]
    if fmt == "pdf":
        if font is None:
            raise ValueError("a PDF needs a CJK font (fonts-wqy-zenhei or fonts-noto-cjk)")
        return to_pdf(text, font).data, f"{stem}.pdf"
    first = ingest_bytes(data, name)[0]
    if fmt in ("docx", "docx-nested"):
        return to_docx(text, first.title, nested=fmt == "docx-nested"), f"{stem}.docx"
    encoding = "gbk" if fmt == "html-gbk" else "utf-8"
    page = to_html(text, first.title, first.date, _OTHERS, encoding, tables=fmt == "html-table")
    return page, f"{stem}.html"


# A sidebar of other reports' titles, as portals list them beside a report.
_OTHERS = (
    "2017年拱墅区政府工作报告",
    "2016年拱墅区政府工作报告",
    "关于印发拱墅区2018年重点工作任务分解的通知",
    "拱墅区2017年国民经济和社会发展统计公报",
)


def convert_corpus(src: Path, dest: Path, fmt: str, font: Path | None = None) -> list[Path]:
    """Every report file under src written as `fmt` under dest, keeping the folder layout."""
    out = []
    for path in sorted(p for p in src.rglob("*") if p.is_file() and not p.name.startswith(".")):
        data, name = convert_file(path.read_bytes(), path.name, fmt, font)
        target = dest / path.relative_to(src).parent / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        out.append(target)
    return out
