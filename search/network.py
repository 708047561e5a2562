"""Who repeated whom: for every report, the passages of at least `min_chars` folded characters
it shares with earlier reports, as directed edges earlier report → later report.

Two reports share a passage of at least N characters exactly when they share a string of N
characters, so for each N-character window of a report's paragraphs the suffix array of the
character index gives every other report holding it (two binary searches, then the paragraphs
of the occurrences outside the report). For each earlier report found, the passages are the
maximal strings of the later report that stand verbatim in the earlier one's text (for each
start, the longest match there, kept when it reaches past the previous passage's end); `chars`
is the characters of the later report they cover. "Earlier" is the index's date order (year,
date, then report id), the order of `report_rank`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from search.errors import IndexNeedsOptimize

log = logging.getLogger(__name__)

MIN_CHARS = 15


@dataclass(frozen=True)
class Edge:
    source: int  # report index of the earlier report
    target: int  # of the later one
    chars: int  # characters of the target covered by the passages
    passages: tuple[str, ...]  # folded, in the target's order


def _texts(engine, report: int) -> list[str]:
    meta = engine.report_meta[report]
    return [
        engine.chars.folded_text(p) for p in range(meta["first"], meta["first"] + meta["count"])
    ]


class _Windows:
    """The other reports holding each N-character window of a report."""

    def __init__(self, engine):
        if not hasattr(engine.chars, "sa"):
            raise IndexNeedsOptimize(
                "转载网络需要单一段的索引：请先运行 baogao optimize 合并索引段"
            )
        self.ci = engine.chars
        self.sa = np.asarray(engine.chars.sa)  # a plain view: item access without memmap's cost
        self.text = engine.chars.text
        self.report_col = engine.columns.col["report"]
        self.starts = engine.chars.starts
        self._pairs: dict[str, tuple[int, int]] = {}  # suffixes starting with two characters

    def _range(self, window: str) -> tuple[int, int]:
        """The suffixes starting with `window`: two binary searches (as CharIndex.sa_range)
        within those starting with its first two characters."""
        pair = window[:2]
        if pair not in self._pairs:
            self._pairs[pair] = self.ci.sa_range(pair.encode("utf-8"))
        lo, hi = self._pairs[pair]
        return self.ci.sa_range(window.encode("utf-8"), lo, hi)

    def partners(self, engine, report: int, n: int) -> dict[int, list[tuple[int, int]]]:
        """Every other report sharing a string of `n` characters with `report`, with the
        (paragraph index, start) of each window of `report` it holds."""
        meta = engine.report_meta[report]
        a = int(self.starts[meta["first"]])
        b = int(self.starts[meta["first"] + meta["count"]])
        found: dict[int, list[tuple[int, int]]] = {}
        holders: dict[str, list[int]] = {}  # a window seen before: its other reports
        for k, text in enumerate(_texts(engine, report)):
            for i in range(len(text) - n + 1):
                window = text[i : i + n]
                others = holders.get(window)
                if others is None:
                    lo, hi = self._range(window)
                    pos = self.sa[lo:hi]
                    outside = pos[(pos < a) | (pos >= b)].astype(np.int64)
                    others = holders[window] = (
                        np.unique(self.report_col[self.ci.docs_of(outside)]).tolist()
                        if outside.size
                        else []
                    )
                for r in others:
                    found.setdefault(r, []).append((k, i))
        return found


def shared_passages(
    later: list[str], earlier: list[str], n: int, starts: list[tuple[int, int]] | None = None
) -> list[tuple[int, int, int]]:
    """(paragraph index, start, end) of the maximal passages of `later` (its paragraphs' texts)
    of at least `n` characters standing verbatim in a paragraph of `earlier`; `starts`, when
    given, are the (paragraph index, start) of every n-character window of `later` that
    `earlier` holds (in order): only there can a passage start."""
    joined = "\n".join(earlier)  # a paragraph holds no line break, so no match spans two
    if starts is None:
        starts = [
            (k, i) for k, s in enumerate(later) for i in range(len(s) - n + 1)
            if s[i : i + n] in joined
        ]  # fmt: skip
    out = []
    last_k, last_i, prev, max_end = -1, -1, 0, 0
    for k, i in starts:
        s = later[k]
        if k != last_k:
            prev, max_end = 0, 0
        best = prev - 1 if (k, i - 1) == (last_k, last_i) and prev - 1 >= n else n
        while i + best < len(s) and s[i : i + best + 1] in joined:
            best += 1
        last_k, last_i, prev = k, i, best
        if i + best > max_end:
            out.append((k, i, i + best))
            max_end = i + best
    return out


def _covered(spans: list[tuple[int, int, int]]) -> int:
    total, last = 0, (-1, 0)
    for k, start, end in spans:  # in order of paragraph, then start
        begin = max(start, last[1]) if k == last[0] else start
        total += max(0, end - begin)
        last = (k, max(end, last[1]) if k == last[0] else end)
    return total


def edges(engine, min_chars: int = MIN_CHARS, reports: list[int] | None = None) -> Iterator[Edge]:
    """The edges into each of `reports` (all by default) from the earlier reports it shares a
    passage of at least `min_chars` characters with, in the order of `reports`."""
    if min_chars < 2:
        raise ValueError("min_chars must be at least 2")
    windows = _Windows(engine)
    rank = engine.columns.col["report_rank"]
    for target in range(len(engine.report_meta)) if reports is None else reports:
        found = windows.partners(engine, target, min_chars)
        sources = sorted(s for s in found if rank[s] < rank[target])
        if not sources:
            continue
        later = _texts(engine, target)
        for source in sources:
            spans = shared_passages(later, _texts(engine, source), min_chars, found[source])
            if spans:
                texts = tuple(later[k][s:e] for k, s, e in spans)
                yield Edge(source, target, _covered(spans), texts)
