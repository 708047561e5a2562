"""Matching statistics against the other reports, the engine of `search.reuse`.

For every start position of a paragraph's folded text, the longest string starting there that
occurs in another report is found by binary searches in the suffix array (its matching
statistic; the one at i+1 is at least the one at i less one, so each position costs a few
searches: gallop, then halve). A passage is such a longest match not inside the previous one:
maximal on both sides. Nothing is compared document to document.

An index of several segments (after `--update`) asks each segment's suffix array (`Part`: one
segment as seen from one report), leaving out deleted paragraphs and the report's own, so its
answers are those of the same index optimized. `Finder` is one report's view of them all.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from search import budget
from search.charindex import CharIndex
from search.segments import MultiChars

PROBE = 64  # occurrences looked at before the rest when asking "is one in another report?"


class Part:
    """One segment's suffix array as seen from one report: its occurrences in paragraphs
    deleted since or in the report itself do not count as "elsewhere"."""

    def __init__(self, ci, logical: np.ndarray | None, own: range):
        self.ci = ci
        self.sa = np.asarray(ci.sa)  # a plain view: item access without memmap's cost
        self._plain = SimpleNamespace(sa=self.sa, text=ci.text)  # what sa_range reads
        self.logical = logical  # this segment's paragraph → logical id, -1 when deleted
        starts = np.asarray(ci.starts)  # barred paragraphs as runs of bytes
        if logical is None:  # the whole index, in logical order: only the report is barred
            edges = np.array([own.start, own.stop] if own else [], np.int64)
        else:
            barred = (logical < 0) | ((logical >= own.start) & (logical < own.stop))
            edges = np.flatnonzero(np.diff(np.concatenate([[0], barred.astype(np.int8), [0]])))
        self.barred_lo, self.barred_hi = starts[edges[0::2]], starts[edges[1::2]]

    def sa_range(self, pat: bytes, lo: int, hi: int) -> tuple[int, int]:
        """CharIndex.sa_range over the plain view (the searches are most of the work)."""
        return CharIndex.sa_range(self._plain, pat, lo, hi)

    def _outside(self, lo: int, hi: int) -> bool:
        pos = self.sa[lo:hi]
        if not len(self.barred_lo):
            return len(pos) > 0
        k = np.searchsorted(self.barred_lo, pos, side="right") - 1
        inside = (k >= 0) & (pos < self.barred_hi[np.maximum(k, 0)])
        return bool(not np.all(inside))

    def elsewhere(self, lo: int, hi: int) -> bool:
        """Whether an occurrence in [lo, hi) lies in a live paragraph of another report."""
        if hi - lo > PROBE and self._outside(lo, lo + PROBE):
            return True
        return hi > lo and self._outside(lo, hi)

    def docs(self, lo: int, hi: int) -> np.ndarray:
        """The logical paragraph ids of the live occurrences in [lo, hi)."""
        docs = self.ci.docs_of(self.sa[lo:hi].astype(np.int64)).astype(np.int64)
        if self.logical is None:
            return docs
        docs = self.logical[docs]
        return docs[docs >= 0]


def segments(chars) -> list[tuple[object, np.ndarray | None]]:
    """Each segment's character index with its paragraphs' logical ids (None: in order)."""
    if isinstance(chars, MultiChars):
        return chars.logical_parts()
    return [(chars, None)]


Ranges = tuple[tuple[int, int], ...]  # a suffix array range in each segment


class Finder:
    """Matching statistics of folded strings against the other reports of one report, asked
    of every segment's suffix array: an index after `--update` answers as after optimize."""

    def __init__(self, engine, own_report: int | None):
        own = range(0)  # None: a shard that does not hold the report (every report is other)
        if own_report is not None:
            meta = engine.report_meta[own_report]
            own = range(meta["first"], meta["first"] + meta["count"])
        self.parts = [Part(ci, logical, own) for ci, logical in segments(engine.chars)]
        self.report_col = engine.columns.col["report"]
        self.own = -1 if own_report is None else own_report
        self._prefix: dict[str, Ranges] = {}  # ranges of first characters and pairs

    def _narrow(self, pat: str, ranges: Ranges) -> Ranges:
        data = pat.encode("utf-8")
        return tuple(
            part.sa_range(data, lo, hi) if hi > lo else (lo, lo)
            for part, (lo, hi) in zip(self.parts, ranges, strict=True)
        )

    def _start(self, s: str, i: int) -> Ranges:
        """The suffixes starting with s[i:i+2], found within those starting with s[i] (both
        kept: a paragraph repeats its characters, so most searches start in a small range)."""
        pair = s[i : i + 2]
        if pair not in self._prefix:
            one = s[i]
            if one not in self._prefix:
                whole = tuple((0, len(part.sa)) for part in self.parts)
                self._prefix[one] = self._narrow(one, whole)
            self._prefix[pair] = self._narrow(pair, self._prefix[one])
        return self._prefix[pair]

    def _check(self, s: str, i: int, length: int, ranges: Ranges) -> Ranges | None:
        r = self._narrow(s[i : i + length], ranges)
        return r if any(p.elsewhere(*x) for p, x in zip(self.parts, r, strict=True)) else None

    def passages(self, s: str, min_chars: int) -> list[tuple[int, int, Ranges]]:
        """(start, end, ranges) of every maximal passage of `s` found in another report, with
        the suffix array ranges of its occurrences. Checks the request's time budget at each
        start position (`search.budget`)."""
        n = len(s)
        out, prev, max_end = [], 0, 0
        for i in range(n - min_chars + 1):
            budget.check()
            best = prev - 1
            if best >= min_chars:  # a part of the previous match: known to be elsewhere
                ranges = self._narrow(s[i : i + best], self._start(s, i))
            else:
                r = self._check(s, i, min_chars, self._start(s, i))
                if r is None:
                    prev = 0
                    continue
                best, ranges = min_chars, r
            fail, step = None, 1
            while best < n - i:  # gallop, then halve: the match is monotone in its length
                cand = min(best + step, n - i)
                r = self._check(s, i, cand, ranges)
                if r is None:
                    fail = cand
                    break
                best, ranges, step = cand, r, step * 2
            while fail is not None and fail - best > 1:
                mid = (best + fail) // 2
                r = self._check(s, i, mid, ranges)
                if r is None:
                    fail = mid
                else:
                    best, ranges = mid, r
            prev = best
            if i + best > max_end:
                out.append((i, i + best, ranges))
                max_end = i + best
        return out

    def where(self, ranges: Ranges) -> dict[int, int]:
        """Other report → its first paragraph id among the occurrences in `ranges`."""
        found = [p.docs(lo, hi) for p, (lo, hi) in zip(self.parts, ranges, strict=True)]
        docs = np.sort(np.concatenate(found))
        reports = self.report_col[docs]
        keep = reports != self.own
        reports, docs = reports[keep], docs[keep]
        uniq, first = np.unique(reports, return_index=True)
        order = np.argsort(docs[first], kind="stable")
        return {int(uniq[k]): int(docs[first][k]) for k in order}
