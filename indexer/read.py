"""Stage 1, read: raw bytes → text, or a reason why the file is not a readable report."""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = [
    "ReadError",
    "check_prose",
    "decode",
    "has_sentence",
    "html_to_text",
    "looks_like_html",
    "read_text",
]

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# A sentence of Chinese prose: a Chinese character, at least eight more characters on the same
# line, then a full stop. Found run by run (see has_sentence): one regex search would be
# quadratic on a long line without a full stop.
_SENTENCE_START = re.compile(r"[\u3400-\u9fff]")
_STOPS = re.compile(r"[\n。！？!?]")
# Control characters of a binary file; not \x0b, the line break Word writes within a paragraph
# (Shift+Enter) into the text it exports and copies
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
MIN_HAN = 60


class ReadError(ValueError):
    """The bytes are not a readable report; the message says why."""


def decode(data: bytes) -> str:
    """Decode strictly: BOM first, then UTF-8, then GB18030 (a superset of GBK and GB2312)."""
    if not data.strip():
        raise ReadError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ReadError(f"undecodable {encoding} text") from exc
    if b"\x00" in data:
        raise ReadError("binary file (NUL bytes)")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if len(_CONTROL.findall(text)) > max(3, len(text) // 1000):
            raise ReadError("binary file (control characters)")
        return text
    raise ReadError("undecodable: neither UTF-8 nor GB18030/GBK")


def looks_like_html(text: str) -> bool:
    """True for an HTML document rather than plain text."""
    head = text.lstrip()[:2000].lower()
    return head.startswith(("<!doctype html", "<html")) or bool(
        re.search(r"<(html|body|head)\b", head)
    )


class _TextExtractor(HTMLParser):
    _BLOCK = {
        "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
        "section", "article", "table", "ul", "ol", "title", "td", "header", "footer",
    }  # fmt: skip
    _SKIP = {"script", "style", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(html: str) -> str:
    """The visible text of an HTML page, one block element per line, markup dropped."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def has_sentence(text: str) -> bool:
    """True when the text holds a sentence of Chinese prose; linear in the length of the text."""
    start = 0
    for stop in _STOPS.finditer(text):
        if stop.group() != "\n" and _SENTENCE_START.search(text, start, stop.start() - 8):
            return True
        start = stop.end()
    return False


def read_text(data: bytes, name: str = "") -> str:
    """Bytes of a report file → its text; raises ReadError for empty, binary or non-prose files."""
    text = decode(data)
    if name.lower().endswith((".html", ".htm")) or looks_like_html(text):
        text = html_to_text(text)
    return check_prose(re.sub(r"\r\n?|\x0b", "\n", text))


def check_prose(text: str) -> str:
    """The text itself when it holds Chinese prose; raises ReadError saying what it lacks."""
    han = len(_HAN.findall(text))
    if han < MIN_HAN:
        raise ReadError(f"no Chinese prose ({han} Chinese characters)")
    if not has_sentence(text):
        raise ReadError(f"no Chinese prose ({han} Chinese characters but no sentence ending in 。)")
    return text
