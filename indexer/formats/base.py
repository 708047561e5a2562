"""What every format reader returns, and the rule the Word and web-page readers share for
telling a table that lays out a text from a table of data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Extracted", "holds_prose"]

_PROSE = re.compile(r"[\u3400-\u9fff][^。！？]{3,}[。！？]")


@dataclass(frozen=True)
class Extracted:
    """A file's text, one paragraph or title line a line (blank lines where the file leaves a
    gap), and header fields the file states outside its text (标题, 发布日期), keyed as the
    clean stage keys the header lines it lifts out of a text."""

    text: str
    header: dict[str, str] = field(default_factory=dict)
    reader: str = ""  # the converter that read a .doc (antiword or catdoc)
    pages: int = 0  # pages of a PDF, for the ingest speed in pages a second


def holds_prose(text: str) -> bool:
    """True for a table cell holding a sentence of prose: its table lays out a text (a report in
    a table, a portal's page) rather than tabulating data, and is read as its paragraphs."""
    return bool(_PROSE.search(text))
