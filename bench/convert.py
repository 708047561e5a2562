"""Write a report text as the files people have: a PDF with running headers and page numbers,
a Word document with headings and a table, a portal's web page in UTF-8 or GBK. The tests and
`python -m bench.formats` build their PDF, DOCX and HTML versions of the bundled reports here,
so that no binary fixture is kept in git.

Each line of the text becomes a paragraph of the document and each blank line an empty one
(a gap in a PDF), so that a reader that restores the document's paragraphs gives back the
text the line-based text version holds.
"""

from __future__ import annotations

import html
import io
import logging
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["PdfLayout", "cjk_font", "to_docx", "to_html", "to_pdf"]

# TrueType first: fpdf2 embeds these best; the OpenType Noto fonts work too.
_FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)
_HEADER_FIELDS = re.compile(
    r"^(发布时间|来源|索\s*引\s*号|成文日期|发布机构|主题分类|文号)\s*[:：|]"
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


def _is_heading(line: str) -> int:
    from indexer.paragraphs import heading_level

    level = heading_level(line)
    return level if level and len(line) <= 40 and not re.search("[。；]", line) else 0


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
        level = _is_heading(line)
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


_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta charset="{charset}">
<title>{title}_杭州市拱墅区人民政府</title>
{pubdate}
<link rel="stylesheet" href="/css/site.css">
<script>var _hmt = _hmt || []; document.write("<p>统计代码加载中，请稍候。</p>");</script>
</head>
<body>
<div class="topbar"><a href="/">首页</a> | <a href="/wza">无障碍</a> |
<a href="/old">适老模式</a></div>
<nav class="menu"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/zwfw">政务服务</a></li><li><a href="/hdjl">互动交流</a></li></ul></nav>
<div class="crumb">您现在的位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt;
<a href="/zfgzbg">政府工作报告</a></div>
<div class="main">
<article class="content">
<h1>{title}</h1>
<div class="info">{dateline}浏览次数：<span>2871</span></div>
{body}
</article>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
</div>
<aside class="sidebar"><h3>相关报告</h3><ul>
{sidebar}
</ul></aside>
<footer><p>主办：杭州市拱墅区人民政府办公室 | 技术支持：某某网络公司</p>
<p>Copyright © 2018 杭州市拱墅区人民政府 版权所有</p>
<p>浙ICP备12345678号-1　浙公网安备 33010502000001号　网站标识码：3301050001</p></footer>
<script src="/js/share.js"></script>
<script>window.onload = function () {{ console.log("页面加载完成。"); }};</script>
</body></html>
"""


# The same page laid out in tables, as many government portals still are: the article's
# paragraphs in a cell of a table nested in a cell of the page's table.
_TABLE_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta charset="{charset}">
<title>{title}_杭州市拱墅区人民政府</title>
{pubdate}
<script>var _hmt = _hmt || []; document.write("<p>统计代码加载中，请稍候。</p>");</script>
</head>
<body>
<table width="1000" border="0" cellspacing="0" cellpadding="0" align="center">
<tr><td colspan="2" class="topbar"><a href="/">首页</a> | <a href="/wza">无障碍</a> |
<a href="/old">适老模式</a></td></tr>
<tr><td colspan="2"><table class="menu"><tr><td><a href="/">首页</a></td>
<td><a href="/zwgk">政务公开</a></td><td><a href="/zwfw">政务服务</a></td>
<td><a href="/hdjl">互动交流</a></td></tr></table></td></tr>
<tr><td colspan="2" class="crumb">您现在的位置：<a href="/">首页</a> &gt;
<a href="/zwgk">政务公开</a> &gt; <a href="/zfgzbg">政府工作报告</a></td></tr>
<tr><td width="740" valign="top">
<table width="100%" border="0" cellspacing="0" cellpadding="0">
<tr><td class="title" align="center"><h1>{title}</h1></td></tr>
<tr><td class="info" align="center">{dateline}浏览次数：<span>2871</span></td></tr>
<tr><td class="content">
{body}
</td></tr>
<tr><td class="share">分享到：<a href="#">微信</a> <a href="#">微博</a>
<a href="#">QQ空间</a></td></tr>
</table></td>
<td width="260" valign="top" class="sidebar"><table><tr><td><h3>相关报告</h3></td></tr>
{sidebar}
</table></td></tr>
<tr><td colspan="2" class="footer"><p>主办：杭州市拱墅区人民政府办公室 | 技术支持：某某网络公司</p>
<p>Copyright © 2018 杭州市拱墅区人民政府 版权所有</p>
<p>浙ICP备12345678号-1　浙公网安备 33010502000001号　网站标识码：3301050001</p></td></tr>
</table>
<script src="/js/share.js"></script>
<script>window.onload = function () {{ console.log("页面加载完成。"); }};</script>
</body></html>
"""


def to_html(
    text: str,
    title: str,
    date: str = "",
    others: Sequence[str] = (),
    encoding: str = "utf-8",
    tables: bool = False,
) -> bytes:
    """The text as a portal's page: menu, breadcrumb, share buttons, a sidebar listing other
    reports' titles, a footer and scripts around an article whose paragraphs are the text's
    lines (numbered lines as <h2>/<h3>), its title in <title> and <h1>, its date in a meta tag;
    with `tables`, the page laid out in nested tables."""
    body: list[str] = []
    for line in text.replace("\r", "").split("\n"):
        line = line.strip()
        if not line:
            continue
        level = _is_heading(line)
        tag = f"h{min(level, 2) + 1}" if level else "p"
        body.append(f"<{tag}>{html.escape(line, quote=False)}</{tag}>")
    item = '<li><a href="/r/{}">{}</a></li>'
    if tables:
        item = f"<tr><td>{item[4:-5]}</td></tr>"
    sidebar = "\n".join(item.format(i, html.escape(t)) for i, t in enumerate(others))
    charset = "gbk" if encoding.lower() in ("gbk", "gb2312", "gb18030") else encoding
    page = (_TABLE_PAGE if tables else _PAGE).format(
        charset=charset,
        title=html.escape(title),
        pubdate=f'<meta name="PubDate" content="{date}">' if date else "",
        dateline=f"发布日期：{date}　　" if date else "",
        body="\n".join(body),
        sidebar=sidebar,
    )
    return page.encode(encoding, errors="xmlcharrefreplace")


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
