"""What every format reader returns."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Extracted"]


@dataclass(frozen=True)
class Extracted:
    """A file's text, one paragraph or title line a line (blank lines where the file leaves a
    gap), and header fields the file states outside its text (标题, 发布日期), keyed as the
    clean stage keys the header lines it lifts out of a text."""

    text: str
    header: dict[str, str] = field(default_factory=dict)
    reader: str = ""  # the converter that read a .doc (antiword or catdoc)
    pages: int = 0  # pages of a PDF, for the ingest speed in pages a second
