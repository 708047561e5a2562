"""Stage 1 for every kind of file: bytes of a PDF, a Word document, a web page or a text file →
text for the clean stage, plus header evidence the file itself states (a page's title and
date), or a ReadError saying in one line why the file is skipped.

One module per format, each `read(data) -> Extracted`; `extract` picks by the file's name and,
for files named otherwise, by its first bytes.
"""

from __future__ import annotations

import re
import tempfile

from indexer.formats.base import Extracted
from indexer.read import ReadError, check_prose, read_text

__all__ = ["FORMATS", "Extracted", "ReadError", "extract", "format_of"]

# suffix → format name (the ingest summary counts files by these names)
FORMATS = {
    ".txt": "text",
    ".text": "text",
    "": "text",
    ".htm": "html",
    ".html": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".doc": "doc",
}

_BLANK = re.compile(rb"\s*")

# first bytes → format: what a file is, whatever it is named
_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\xd0\xcf\x11\xe0", "doc"),  # an OLE compound file: Word 97–2003
    (b"PK\x03\x04", "docx"),  # a zip: Office Open XML
    (b"{\\rtf", "rtf"),
)


def format_of(name: str, data: bytes = b"") -> str:
    """The format of a file by its name's suffix; a PDF or Word file misnamed, and a Word
    file that is really another kind (portals serve RTF, web pages and .docx as .doc), are
    known by their first bytes. Empty string for a suffix baogao does not read."""
    suffix = name[name.rfind(".") :].lower() if "." in name.lstrip(".") else ""
    fmt = FORMATS.get(suffix, "")
    if fmt not in ("text", "doc", "docx"):
        return fmt
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    for magic, found in _MAGIC:
        if head.startswith(magic) and (fmt != "text" or found in ("pdf", "doc")):
            return found
    if fmt != "text" and head.startswith(b"<"):
        return "html"
    return fmt


def _own_name(reason: str, name: str) -> str:
    """A reason with the temporary copy a converter was given (antiword names the file it
    reads) replaced by the user's file name."""
    temp = re.escape(tempfile.gettempdir().rstrip("/"))
    return re.sub(rf"{temp}/[^\s'\"]+", lambda _: name or "the file", reason)


def extract(data: bytes, name: str = "") -> Extracted:
    """Bytes of one file → its text and header evidence; raises ReadError to skip the file."""
    if _BLANK.fullmatch(data):
        raise ReadError("empty file")
    fmt = format_of(name, data)
    if fmt in ("", "text"):
        return Extracted(read_text(data, name))
    if fmt == "rtf":
        raise ReadError(f"{name or 'the file'} is rich text (RTF): save it as .docx or text")
    if fmt == "pdf":
        from indexer.formats import pdf as reader
    elif fmt == "docx":
        from indexer.formats import docx as reader
    elif fmt == "doc":
        from indexer.formats import doc as reader
    else:
        from indexer.formats import html as reader
    try:
        extracted = reader.read(data)
    except ReadError as exc:
        raise ReadError(_own_name(str(exc), name)) from exc
    check_prose(extracted.text)
    return extracted
