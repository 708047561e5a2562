"""Every matching paragraph as CSV, streamed (no cap): UTF-8 with a BOM so spreadsheet
programs read Chinese, and cells that a spreadsheet would take for a formula neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from urllib.parse import quote

from search.engine import Engine
from search.placecodes import code_of
from search.results import HIT_FIELDS, Hit, SearchQuery
from search_app.urls import report_url

COLUMNS = (*HIT_FIELDS, "code", "permalink")  # code: GB/T 2260, at the report's year
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 200


def neutralise(value: object) -> str:
    """A cell as text; one starting like a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def row(hit: Hit, query: SearchQuery) -> list:
    permalink = report_url(hit.report_id, query.q, hit.paragraph, query.mode, external=True)
    return [getattr(hit, name) for name in HIT_FIELDS] + [code_of(hit), permalink]


def rows(engine: Engine, query: SearchQuery) -> Iterator[str]:
    """The search's CSV in chunks, evaluated before the first chunk is asked for."""
    return stream(COLUMNS, engine.iter_hits(query), lambda hit: row(hit, query))


def stream(columns, items: Iterator, cells) -> Iterator[str]:
    """A CSV of `items` (one row of `cells(item)` each) in chunks: UTF-8 with a BOM, formula-like
    cells neutralised. The first item is read now, so a bad query raises here, while the
    response can still be an error."""
    items = iter(items)
    first = next(items, None)

    def chunks() -> Iterator[str]:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        buf.write("\ufeff")
        writer.writerow(columns)
        for n, item in enumerate(_chain(first, items), 1):
            writer.writerow([neutralise(v) for v in cells(item)])
            if n % BATCH == 0:
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
        yield buf.getvalue()

    return chunks()


def _chain(first, rest: Iterator) -> Iterator:
    if first is not None:
        yield first
        yield from rest


def disposition(q: str) -> str:
    """attachment; a readable file name from the query (RFC 5987 for the Chinese)."""
    name = f"baogao-{q[:40]}.csv" if q else "baogao.csv"
    return f"attachment; filename=\"baogao.csv\"; filename*=UTF-8''{quote(name, safe='')}"
