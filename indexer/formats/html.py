"""Web pages through trafilatura, a main-content extractor: the article without the portal's
menus, sidebars, share buttons, footers and scripts, its title and headings kept as lines.

The charset is the page's own: a byte-order mark, else the <meta> charset, else UTF-8 and then
GB18030 (which reads GB2312 and GBK pages). The page's title and date become header evidence
(标题, 发布日期) for the metadata rules.

The page is parsed here, with lxml's huge_tree option (elements nested up to 2048 deep rather
than 256: portals nest tables in tables) and then handed to trafilatura, less what a browser
does not show (<template>, the hidden attribute: trafilatura keeps both) and with its layout
tables — a cell holding prose or another table, as portals lay pages out — turned into blocks,
so that their paragraphs stay paragraphs; tables of data stay tables, read as rows.
"""

from __future__ import annotations

import codecs
import re

from indexer.formats.base import Extracted, holds_prose
from indexer.read import ReadError, decode

__all__ = ["MAX_DEPTH", "page_charset", "read"]

MAX_DEPTH = 2048  # levels of elements: libxml2's limit with huge_tree

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}


def page_charset(data: bytes) -> str | None:
    """The charset the page declares in a <meta> tag, widened (GB2312 and GBK → GB18030);
    None when it declares none or one Python does not know."""
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    name = _WIDER.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode(data: bytes) -> str:
    charset = page_charset(data)
    if charset and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode(charset)
        except UnicodeDecodeError:
            pass  # a page that lies about its charset: guess as for text
    return decode(data)


def _without_title(text: str, title: str) -> str:
    """The text without its first line when that repeats the page's title: the title is header
    evidence already. Kept when a meeting or date line follows it (the report's title block)."""
    first, _, rest = text.partition("\n")
    if re.sub(r"\s+", "", first) != re.sub(r"\s+", "", title):
        return text
    if rest.lstrip().startswith(("—", "(", "（")):
        return text
    return rest


def _parse(page: str):
    """The page's element tree, as trafilatura parses it but for the depth it reads."""
    import lxml.html
    from trafilatura.utils import repair_faulty_html

    page = repair_faulty_html(page, page[:50].lower())
    parser = lxml.html.HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
    )
    try:
        tree = lxml.html.fromstring(page, parser=parser)
    except ValueError:  # a string with an encoding declaration
        tree = lxml.html.fromstring(page.encode("utf-8", "surrogatepass"), parser=parser)
    except Exception as exc:  # lxml's ParserError: an empty document
        raise ReadError("web page without report text (no body)") from exc
    if any("Excessive depth" in e.message for e in parser.error_log):
        raise ReadError(f"web page nested too deep: over {MAX_DEPTH} levels of elements")
    return tree


def _is_layout(table) -> bool:
    """A table that lays a text out: a cell holds another table or a sentence of prose."""
    if table.get("role") == "presentation":
        return True
    cells = table.xpath("./tr/td | ./tr/th | ./*/tr/td | ./*/tr/th")
    return any(next(c.iter("table"), None) is not None for c in cells) or any(
        holds_prose(c.text_content()) for c in cells
    )


def _rendered(tree):
    """The tree without what a browser does not render, its layout tables made blocks."""
    for element in tree.xpath("//template | //*[@hidden][not(@hidden='until-found')]"):
        element.drop_tree()
    for table in tree.xpath("//table"):
        if _is_layout(table):
            parts = table.xpath("./*[self::tbody or self::thead or self::tfoot]")
            rows = table.xpath("./tr | ./*/tr")
            cells = [c for row in rows for c in row if c.tag in ("td", "th")]
            for element in (table, *table.xpath("./caption"), *parts, *rows, *cells):
                element.tag = "div"
    return tree


def read(data: bytes) -> Extracted:
    """The page's report text and its title and date; ReadError for a page with no body."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        _rendered(_parse(_decode(data))),
        include_comments=False,
        include_tables=True,
        include_formatting=False,
        deduplicate=False,
        with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (getattr(doc, "text", None) or "").strip()
    if not text:
        raise ReadError("web page without report text (no body)")
    header = {}
    if doc.title:
        header["标题"] = doc.title.strip()
        text = _without_title(text, header["标题"])
    if doc.date:
        header["发布日期"] = doc.date
    return Extracted(text, header)
