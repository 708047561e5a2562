"""Word .docx through python-docx: paragraphs and headings in document order, tables too.

A table whose cells hold prose (a sentence; some offices lay a whole report out in a table)
gives its cells' paragraphs as paragraphs; a table of short cells (索引号 | H001/… | 成文日期 |
2021-07-07) gives a line a row, cells joined by " | " as header tables are written in text.
"""

from __future__ import annotations

import io
import re
import zipfile

from indexer.formats.base import Extracted
from indexer.read import ReadError

__all__ = ["read"]

_PROSE = re.compile(r"[\u3400-\u9fff][^。！？]{3,}[。！？]")
_HAN = re.compile(r"[\u3400-\u9fff]")


def _table_lines(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list = []
        for cell in row.cells:  # a merged cell repeats in every column it spans
            if not cells or cell._tc is not cells[-1]._tc:
                cells.append(cell)
        rows.append(cells)
    texts = [cell.text for row in rows for cell in row]
    if any(_PROSE.search(t) for t in texts):
        return [p.text for row in rows for cell in row for p in cell.paragraphs]
    return [" | ".join(c.text.strip() for c in row) for row in rows if any(c.text for c in row)]


def read(data: bytes) -> Extracted:
    """A .docx's text, a paragraph a line (empty paragraphs as blank lines), and its title."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError("not a Word document: the .docx holds no document part") from exc
    except Exception as exc:  # lxml's XMLSyntaxError and kin: a damaged document
        raise ReadError(f"damaged Word document ({type(exc).__name__})") from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
        else:
            lines.append(block.text)
    header = {}
    title = (document.core_properties.title or "").strip()
    if len(_HAN.findall(title)) >= 4:
        header["标题"] = title
    return Extracted("\n".join(lines), header)
