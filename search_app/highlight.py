"""Excerpts and marks built from verified match offsets: escaped text plus our own <mark>s,
then passed through nh3 allowing only `mark`."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import nh3

from search.charindex import merge_spans

SENTENCE_ENDS = "。！？；!?;"
Span = tuple[int, int]
# The only characters whose escaped form nh3 writes otherwise (NUL dropped, CR made LF, quotes
# unescaped, no-break space as &nbsp;, a byte order mark dropped at the start; a lone
# surrogate it refuses): a fragment free of them
# comes out of nh3 unchanged (tests/test_highlight.py checks every character), so it skips
# the parse.
_NH3_CHANGES = re.compile("[\0\r\"'\xa0\ufeff\ud800-\udfff]")
_ESCAPED = re.compile("[&<>\"']")  # what html.escape changes: a window without any is kept
_SENTENCE_END = re.compile(f"[{re.escape(SENTENCE_ENDS)}]")


def excerpt_bounds(text: str, spans: Sequence[Span], max_chars: int = 160) -> Span:
    """A window of whole sentences around the first match, grown while it fits `max_chars`."""
    if len(text) <= max_chars:
        return 0, len(text)
    first_start, first_end = spans[0] if spans else (0, 0)
    start = _sentence_start(text, first_start)
    if first_end - start > max_chars:  # the sentence before the match is too long: cut inside
        start = max(0, first_start - max_chars // 3)
    end = _sentence_end(text, max(first_end, start + 1))
    while end < len(text) and end - start < max_chars:
        nxt = _sentence_end(text, end + 1)
        if nxt - start > max_chars:
            break
        end = nxt
    if end - start > max_chars:
        end = max(first_end, start + max_chars)
    for s, e in spans:  # never cut a mark: a window ending inside one takes it whole
        if s < end < e:
            end = e
    return start, min(end, len(text))


def _sentence_start(text: str, pos: int) -> int:
    """The start of the sentence holding `pos`: just after the last sentence end before it."""
    return max(text.rfind(end, 0, pos) for end in SENTENCE_ENDS) + 1


def _sentence_end(text: str, pos: int) -> int:
    """Just after the first sentence end at or after `pos` - 1 (`pos` itself when the text
    starts with one there), or the text's end."""
    i = min(pos, len(text))
    if i == len(text) or (i == 0 and text[0] in SENTENCE_ENDS):
        return i
    found = _SENTENCE_END.search(text, max(i, 1) - 1)
    return found.end() if found else len(text)


def mark(text: str, spans: Sequence[Span], start: int = 0, end: int | None = None) -> str:
    """HTML of text[start:end] with every span (clipped to the window) inside <mark>."""
    return _mark(text, merge_spans(spans), start, len(text) if end is None else end)


def _mark(text: str, merged: list[Span], start: int, end: int) -> str:
    """`mark` of spans already merged."""
    escape = html.escape if _ESCAPED.search(text, start, end) else str
    out = []
    pos = start
    for s, e in merged:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    fragment = "".join(out)
    return clean(fragment) if _NH3_CHANGES.search(text, start, end) else fragment


def snippet(text: str, spans: Sequence[Span], max_chars: int = 160) -> str:
    """The excerpt HTML shown for a hit: whole sentences around the matches, marks exact."""
    merged = merge_spans(spans)
    start, end = excerpt_bounds(text, merged, max_chars)
    body = _mark(text, merged, start, end)
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")


def clean(fragment: str) -> str:
    """nh3's sanitising, repeated until it changes nothing: one pass drops one leading byte order
    mark only (and a dropped NUL can bring another to the front), so a single pass is not a
    fixed point and a page could show what a second reading removes."""
    while True:
        out = nh3.clean(fragment, tags={"mark"}, attributes={}, strip_comments=True)
        if out == fragment:
            return out
        fragment = out
