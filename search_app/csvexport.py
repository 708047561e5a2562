"""Every matching paragraph as CSV, streamed (no cap): UTF-8 with a BOM so spreadsheet
programs read Chinese, and cells that a spreadsheet would take for a formula neutralised."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from urllib.parse import quote

from search.engine import Engine
from search.results import Hit, SearchQuery
from search_app import answers
from search_app.answering import hit_answer
from search_app.serialize import Table

# A hit's record and its permalink (the place's code: at the report's year); no marks or excerpt
HITS = Table(answers.Hit, ("matches", "topics", "topic_scores", "snippet"), {"url": "permalink"})
COLUMNS = HITS.columns
BATCH = 200

# OWASP's CSV injection guidance: a cell that starts with = + - @, a tab or a carriage return
# (or a full-width = + - @, which some spreadsheets take the same way) can run as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# ... except a plain number, which a spreadsheet reads as a number: -3, +86, -2.6%, -1,234.5, -1e3
NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?%?")


def neutralise(value: object) -> str:
    """A cell as text; one a spreadsheet would run as a formula gets a leading apostrophe,
    a number such as -2.6% stays as it is."""
    text = "" if value is None else str(value)
    if not text.startswith(FORMULA_STARTS) or _is_number(text):
        return text
    return "'" + text


def _is_number(text: str) -> bool:
    return any(c.isdigit() for c in text) and NUMBER.fullmatch(text) is not None


def row(hit: Hit, query: SearchQuery) -> list:
    return HITS.cells(hit_answer(hit, query, snippet=False))


def rows(engine: Engine, query: SearchQuery) -> Iterator[str]:
    """The search's CSV in chunks, evaluated before the first chunk is asked for."""
    return stream(COLUMNS, engine.iter_hits(query), lambda hit: row(hit, query))


def stream(columns, items: Iterator, cells) -> Iterator[str]:
    """A CSV of `items` (one row of `cells(item)` each) in chunks: UTF-8 with a BOM, formula-like
    cells neutralised. The first item is read now, so a bad query raises here, while the
    response can still be an error."""
    items = primed(items)

    def chunks() -> Iterator[str]:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        buf.write("\ufeff")
        writer.writerow(columns)
        for n, item in enumerate(items, 1):
            writer.writerow([neutralise(v) for v in cells(item)])
            if n % BATCH == 0:
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
        yield buf.getvalue()

    return chunks()


def primed(items) -> Iterator:
    """`items` with its first item read now: a streamed answer whose items come from a lazy
    search (a generator) meets a bad query here, while the response can still be a 400,
    rather than inside the stream after the 200 is sent."""
    items = iter(items)
    first = next(items, _END)
    return items if first is _END else _chain(first, items)


_END = object()


def _chain(first, rest: Iterator) -> Iterator:
    yield first
    yield from rest


def disposition(q: str) -> str:
    """attachment; a readable file name from the query (RFC 5987 for the Chinese)."""
    name = f"baogao-{q[:40]}.csv" if q else "baogao.csv"
    return f"attachment; filename=\"baogao.csv\"; filename*=UTF-8''{quote(name, safe='')}"
