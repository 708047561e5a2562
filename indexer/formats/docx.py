"""Word .docx through python-docx: paragraphs and headings in document order, tables too.

A table that lays out a text rather than tabulating data — a cell holds prose (a sentence;
some offices lay a whole report out in a table) or another table — gives its cells' paragraphs
as paragraphs, and the tables nested in them as tables; a table of short cells (索引号 |
H001/… | 成文日期 | 2021-07-07) gives a line a row, cells joined by " | " as header tables are
written in text.

A .docx is a zip: its parts are unpacked, counting what they really unpack to, before
python-docx reads them, and a file that unpacks to more than the limits is skipped (python-docx
holds every part in memory, and an XML tree takes some 30 times its text: a 200 MB
document.xml took 100 s and 5.9 GB). XML nested deeper than lxml's limit is skipped too.
"""

from __future__ import annotations

import io
import re
import zipfile

from indexer.formats.base import Extracted, holds_prose
from indexer.read import ReadError

__all__ = ["MAX_DEPTH", "MAX_UNPACKED", "MAX_XML", "read"]

MAX_UNPACKED = 256 * 2**20  # bytes of all parts unpacked, pictures included
MAX_XML = 16 * 2**20  # bytes of the XML parts unpacked (10 times the longest report's: 1.5 MB)
MAX_DEPTH = 256  # levels of XML elements: lxml's limit without its huge_tree option
_CHUNK = 2**20
_HAN = re.compile(r"[\u3400-\u9fff]")


def _mb(n: int) -> str:
    return f"{n / 2**20:.0f} MB"


def _check_unpacked(data: bytes) -> None:
    """ReadError when the zip's parts unpack to more than the limits: first by the sizes the zip
    declares, then by the bytes each part really unpacks to, read a chunk at a time."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ReadError("not a Word document: the .docx holds no document part") from exc
    with archive:
        members = archive.infolist()
        for info in members:
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise ReadError(f"not a Word document: {_name(info)} is not deflated")
        total = xml = 0
        for info in members:
            total += info.file_size
            xml += info.file_size if info.filename.endswith((".xml", ".rels")) else 0
        if total > MAX_UNPACKED or xml > MAX_XML:
            raise ReadError(_too_large(total, xml))
        total = xml = 0
        for info in members:
            is_xml = info.filename.endswith((".xml", ".rels"))
            try:
                with archive.open(info) as part:
                    while chunk := part.read(_CHUNK):
                        total += len(chunk)
                        xml += len(chunk) if is_xml else 0
                        if total > MAX_UNPACKED or xml > MAX_XML:
                            raise ReadError(_too_large(total, xml, declared=False))
            except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
                raise ReadError(f"damaged Word document: {_name(info)} does not unpack") from exc


def _name(info: zipfile.ZipInfo) -> str:
    return " ".join(info.filename.split())[:100]  # on the reason's one line


def _too_large(total: int, xml: int, declared: bool = True) -> str:
    what = "says it unpacks" if declared else "unpacks"
    if xml > MAX_XML:
        return f"Word document too large: its XML {what} to over {_mb(MAX_XML)}"
    return f"Word document too large: it {what} to over {_mb(MAX_UNPACKED)}"


def _cells(table) -> list[list]:
    rows = []
    for row in table.rows:
        cells: list = []
        for cell in row.cells:  # a merged cell repeats in every column it spans
            if not cells or cell._tc is not cells[-1]._tc:
                cells.append(cell)
        rows.append(cells)
    return rows


def _table_lines(table) -> list[str]:
    from docx.table import Table

    rows = _cells(table)
    cells = [cell for row in rows for cell in row]
    if any(cell.tables or holds_prose(cell.text) for cell in cells):
        lines = []
        for cell in cells:
            for block in cell.iter_inner_content():
                lines.extend(_table_lines(block) if isinstance(block, Table) else [block.text])
        return lines
    return [" | ".join(c.text.strip() for c in row) for row in rows if any(c.text for c in row)]


def _is_too_deep(exc: Exception) -> bool:
    from lxml import etree

    return isinstance(exc, etree.XMLSyntaxError) and "Excessive depth" in str(exc)


def read(data: bytes) -> Extracted:
    """A .docx's text, a paragraph a line (empty paragraphs as blank lines), and its title."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    _check_unpacked(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError("not a Word document: the .docx holds no document part") from exc
    except Exception as exc:  # lxml's XMLSyntaxError and kin: a damaged document
        if _is_too_deep(exc):
            raise ReadError(f"Word document nested too deep: XML over {MAX_DEPTH} levels") from exc
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
