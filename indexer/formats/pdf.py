"""PDF through PDFium (pypdfium2): the text layer line by line with each line's place on the
page, so that running headers, footers and page numbers can be told from the text and lines
can be joined back into paragraphs by their indents and gaps.

Lines are joined into a paragraph when the next line starts at the left margin and the line
before it runs to the right margin, on the same page or across a page break; the text layer's
own spaces are kept, none is added. What the layout cannot tell is left to the paragraph stage.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from indexer.formats.base import Extracted
from indexer.read import ReadError

__all__ = ["is_page_number", "read", "running_lines"]

_DASHES = r"\-—–－―~〜_\s"
_PAGE_NUMBER = re.compile(
    rf"[{_DASHES}]*(?:第\s*)?\d{{1,4}}(?:\s*页)?"
    rf"(?:\s*[/／]\s*\d{{1,4}}|\s*[,，]?\s*共\s*\d{{1,4}}\s*页)?[{_DASHES}]*"
    r"|(?i:page\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)"
    r"|[-—–－\s]*[ivxlc]{1,6}[-—–－\s]*"
)
_EDGE = 2  # lines at the top and at the bottom of a page that may be running lines
_SPACES = " \u3000\t\xa0"


@dataclass
class _Line:
    text: str
    page: int
    x0: float  # left of the first visible character
    x1: float  # right of the last one
    y: float  # baseline-ish: bottom of the first character (PDF y grows upwards)
    em: float  # the line's font size, from the loose box of its first character


def is_page_number(line: str) -> bool:
    """A page number as printed at a page's head or foot: 3, - 3 -, — 3 —, 第3页, 3/20."""
    return bool(_PAGE_NUMBER.fullmatch(line.strip(_SPACES)))


def _page_text(textpage) -> str:
    text = textpage.get_text_range()
    n = textpage.count_chars()
    if len(text) != n:  # chars the text view leaves out or adds: read them one by one
        codes = (pdfium_c.FPDFText_GetUnicode(textpage, i) for i in range(n))
        text = "".join(chr(c) if not 0xD800 <= c <= 0xDFFF else "" for c in codes)
    return text


# A page number the text layer puts on the line of the text beside it: "…协同发展。 — 13 —".
_GLUED_NUMBER = re.compile(
    r"(?<=\s)[—－─―]\s*\d{1,4}\s*[—－─―](?=\s|$)|(?<=\s)-\s\d{1,4}\s-(?=\s|$)"
)


_LINE = re.compile(r"[^\r\n]+")


def _runs(text: str) -> Iterator[re.Match]:
    """The page's lines as matches of its text, a glued page number split off as its own."""
    for m in _LINE.finditer(text):
        start = m.start()
        for g in _GLUED_NUMBER.finditer(m.group()):
            cut = m.start() + g.start()
            if cut > start:
                yield _LINE.match(text, start, cut)
            start = m.start() + g.end()
            yield _LINE.match(text, cut, start)
        if start < m.end():
            yield _LINE.match(text, start, m.end())


def _page_lines(page, number: int) -> list[_Line]:
    textpage = page.get_textpage()
    try:
        text = _page_text(textpage)
        lines: list[_Line] = []
        for m in _runs(text):
            raw = m.group()
            lead = len(raw) - len(raw.lstrip(_SPACES))
            if lead == len(raw):
                continue
            first = m.start() + lead
            last = m.start() + len(raw.rstrip(_SPACES)) - 1
            if last >= len(text) or first >= textpage.count_chars():
                continue
            left, bottom, _, _ = textpage.get_charbox(first)
            _, _, right, _ = textpage.get_charbox(last)
            _, lb, _, lt = textpage.get_charbox(first, loose=True)
            line = _Line(raw, number, left, right, bottom, max(lt - lb, 1.0))
            prev = lines[-1] if lines else None
            if is_page_number(raw) or (prev and is_page_number(prev.text)):
                pass  # a page number level with a text line stays a line of its own
            elif prev and abs(prev.y - line.y) < 0.3 * line.em and line.x0 >= prev.x1:
                # one visual line written as two runs ("公报      2018年第1期")
                prev.text, prev.x1 = f"{prev.text} {raw.strip(_SPACES)}", line.x1
                continue
            lines.append(line)
        return lines
    finally:
        textpage.close()


def _key(line: _Line) -> str:
    return re.sub(r"\d+", "#", re.sub(rf"[{_SPACES}]+", "", line.text))


def running_lines(pages: list[list[_Line]]) -> set[int]:
    """ids of the lines that are page furniture: page numbers at a page's head or foot, and
    lines repeating at the head or foot of most pages (digits aside: 2018年第1期, — 3 —)."""
    edges: list[list[_Line]] = []
    for lines in pages:
        by_height = sorted(lines, key=lambda ln: -ln.y)
        edges.append(by_height[:_EDGE] + by_height[-_EDGE:] if len(by_height) > _EDGE else lines)
    seen = Counter(key for edge in edges for key in {_key(ln) for ln in edge})
    enough = max(2, len(pages) // 2)
    out: set[int] = set()
    for edge in edges:
        for line in edge:
            if is_page_number(line.text) or (len(pages) > 1 and seen[_key(line)] >= enough):
                out.add(id(line))
    return out


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Body lines in reading order → paragraphs, with "" where the page leaves a blank line."""
    if not lines:
        return []
    em = statistics.median(ln.em for ln in lines)
    pitches = [
        a.y - b.y for a, b in zip(lines, lines[1:], strict=False) if a.page == b.page and a.y > b.y
    ]
    pitch = statistics.median(pitches) if pitches else 1.5 * em
    left: dict[int, float] = {}
    right: dict[int, float] = {}
    for ln in lines:
        left[ln.page] = min(left.get(ln.page, ln.x0), ln.x0)
        right[ln.page] = max(right.get(ln.page, ln.x1), ln.x1)
    parts: list[tuple[str, bool | None]] = []  # (paragraph, gap before it; None: not known)
    current, gap_before = lines[0].text.lstrip(_SPACES), False
    for prev, line in zip(lines, lines[1:], strict=False):
        indented = line.x0 > left[line.page] + 0.8 * em
        short = prev.x1 < right[prev.page] - 1.5 * em
        same_page = line.page == prev.page
        gap = same_page and prev.y - line.y > 1.6 * pitch
        if indented or short or gap:
            parts.append((current.strip(_SPACES), gap_before))
            current, gap_before = line.text.lstrip(_SPACES), gap if same_page else None
        else:
            current += line.text
    parts.append((current.strip(_SPACES), gap_before))
    # A page break hides whether paragraphs are spaced: do as the pages mostly do.
    gaps = Counter(g for _, g in parts[1:] if g is not None)
    spaced = gaps[True] > gaps[False]
    out: list[str] = []
    for text, gap in parts:
        if out and (gap or (gap is None and spaced)):
            out.append("")
        out.append(text)
    return out


def _open(data: bytes) -> pdfium.PdfDocument:
    if data.rfind(b"%%EOF") < 0:
        raise ReadError("damaged PDF: truncated (no end-of-file marker)")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise ReadError("encrypted PDF: needs a password; save it unprotected first") from exc
        if "security" in message.lower():
            raise ReadError("encrypted PDF: unsupported protection") from exc
        raise ReadError(f"damaged PDF: cannot be opened ({message.rstrip('.')})") from exc


def read(data: bytes) -> Extracted:
    """A PDF's text in reading order without page furniture; ReadError for a scan, an
    encrypted or a damaged file."""
    doc = _open(data)
    try:
        pages: list[list[_Line]] = []
        for number in range(len(doc)):
            try:
                page = doc[number]
            except pdfium.PdfiumError as exc:
                raise ReadError(f"damaged PDF: page {number + 1} cannot be read") from exc
            try:
                pages.append(_page_lines(page, number))
            finally:
                page.close()
    finally:
        doc.close()
    if not any(pages):
        raise ReadError("no text layer: a scan; OCR it first")
    furniture = running_lines(pages)
    body = [ln for lines in pages for ln in lines if id(ln) not in furniture]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(_paragraphs(body))).strip()
    return Extracted(text, pages=len(pages))
