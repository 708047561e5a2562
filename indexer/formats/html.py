"""Web pages through trafilatura, a main-content extractor: the article without the portal's
menus, sidebars, share buttons, footers and scripts, its title and headings kept as lines.

The charset is the page's own: a byte-order mark, else the <meta> charset, else UTF-8 and then
GB18030 (which reads GB2312 and GBK pages). The page's title and date become header evidence
(标题, 发布日期) for the metadata rules.
"""

from __future__ import annotations

import codecs
import re

from indexer.formats.base import Extracted
from indexer.read import ReadError, decode

__all__ = ["page_charset", "read"]

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


def read(data: bytes) -> Extracted:
    """The page's report text and its title and date; ReadError for a page with no body."""
    import trafilatura

    page = _decode(data)
    doc = trafilatura.bare_extraction(
        page,
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
