"""The same words elsewhere: the passages of a paragraph (of at least `min_chars` folded
characters) that stand verbatim in other reports, found in the character index.

For every start position of the paragraph's folded text, the longest string starting there
that occurs in another report is found by binary searches in the suffix array (its matching
statistic; the one at i+1 is at least the one at i less one, so each position costs a few
searches). A passage is such a longest match not inside the previous one: maximal on both
sides. Nothing is compared document to document. An index of several segments (after
`--update`) asks each segment's suffix array, leaving out deleted paragraphs, so its answers
are those of the same index optimized.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from search.charindex import CharIndex
from search.errors import ReportNotFound
from search.segments import MultiChars
from search.sharding import sharded

MIN_CHARS = 15
MAX_LISTED = 200  # other reports listed per passage (all of them are counted)
PROBE = 64  # occurrences looked at before the rest when asking "is one in another report?"


@dataclass(frozen=True)
class Occurrence:
    """Another report holding a passage, at its first paragraph holding it."""

    report_id: str
    paragraph: int
    district: str
    province: str
    city: str
    year: int | None


@dataclass(frozen=True)
class Passage:
    paragraph: int  # its paragraph's number in this report
    start: int  # character offsets in the paragraph's text (the fold keeps offsets)
    end: int
    text: str  # as the report reads (full-width, upper case, traditional characters kept)
    folded: str  # as matched
    reports: int  # other reports holding it
    elsewhere: tuple[Occurrence, ...]  # the first MAX_LISTED of them, in index order

    @property
    def chars(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class SharedReport:
    """Another report and what it shares with this one: characters of this report covered by
    passages it also holds."""

    report_id: str
    district: str
    province: str
    city: str
    year: int | None
    chars: int
    passages: tuple[Passage, ...]


@dataclass(frozen=True)
class ReportReuse:
    report_id: str
    min_chars: int
    passages: tuple[Passage, ...]  # in paragraph order
    shared: tuple[SharedReport, ...]  # most characters shared first


class _Part:
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


def _segments(chars) -> list[tuple[object, np.ndarray | None]]:
    """Each segment's character index with its paragraphs' logical ids (None: in order)."""
    if isinstance(chars, MultiChars):
        return chars.logical_parts()
    return [(chars, None)]


Ranges = tuple[tuple[int, int], ...]  # a suffix array range in each segment


class _Finder:
    """Matching statistics of folded strings against the other reports of one report, asked
    of every segment's suffix array: an index after `--update` answers as after optimize."""

    def __init__(self, engine, own_report: int | None):
        own = range(0)  # None: a shard that does not hold the report (every report is other)
        if own_report is not None:
            meta = engine.report_meta[own_report]
            own = range(meta["first"], meta["first"] + meta["count"])
        self.parts = [_Part(ci, logical, own) for ci, logical in _segments(engine.chars)]
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
        the suffix array ranges of its occurrences."""
        n = len(s)
        out, prev, max_end = [], 0, 0
        for i in range(n - min_chars + 1):
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


def _occurrence(engine, report: int, pid: int) -> Occurrence:
    meta = engine.report_meta[report]
    return Occurrence(
        report_id=meta["id"],
        paragraph=int(engine.columns.col["n"][pid]),
        district=meta["district"],
        province=meta.get("province", ""),
        city=meta.get("city", ""),
        year=meta["year"],
    )


def _paragraph(engine, finder: _Finder, pid: int, min_chars: int):
    """The passages of paragraph `pid`, each with where it stands: {report: pid}. Found in
    the folded text; quoted in the paragraph's own (the fold keeps every offset)."""
    s = engine.chars.folded_text(pid)
    stored = engine.words.stored(pid)
    text, n = stored["text"], stored["n"]
    for start, end, ranges in finder.passages(s, min_chars):
        where = finder.where(ranges)
        listed = tuple(_occurrence(engine, r, p) for r, p in list(where.items())[:MAX_LISTED])
        passage = Passage(n, start, end, text[start:end], s[start:end], len(where), listed)
        yield passage, where


def _report(engine, report_id: str) -> tuple[int, range]:
    """A report's index in the report table and its paragraph ids."""
    for i, r in enumerate(engine.report_meta):
        if r["id"] == report_id:
            return i, range(r["first"], r["first"] + r["count"])
    raise ReportNotFound(f"no report with id {report_id!r}")


def paragraph_reuse(engine, report_id: str, n: int, min_chars: int = MIN_CHARS) -> list[Passage]:
    """The passages of paragraph `n` of a report that stand verbatim in other reports."""
    if sharded(engine):  # every shard's suffix array asked
        return [p for p, _ in engine.merged("reuse_passages", report_id, min_chars, n)]
    own, pids = _report(engine, report_id)
    if not 1 <= n <= len(pids):
        return []
    finder = _Finder(engine, own)
    return [p for p, _ in _paragraph(engine, finder, pids[n - 1], min_chars)]


def report_reuse(engine, report_id: str, min_chars: int = MIN_CHARS) -> ReportReuse:
    """Every passage of a report found in other reports, and the other reports ranked by the
    characters of this report their shared passages cover."""
    if sharded(engine):  # every shard's suffix array asked
        found = engine.merged("reuse_passages", report_id, min_chars)
    else:
        own, pids = _report(engine, report_id)
        finder = _Finder(engine, own)
        found = [
            (passage, list(where))
            for pid in pids
            for passage, where in _paragraph(engine, finder, pid, min_chars)
        ]
    return assemble(engine.report_meta, report_id, min_chars, found)


def assemble(report_meta, report_id: str, min_chars: int, found) -> ReportReuse:
    """The report's passages, each with the other reports holding it (report indexes in the
    index's order of first paragraphs), as a ReportReuse."""
    passages, by_report = [], {}
    for passage, where in found:
        passages.append(passage)
        for r in where:
            by_report.setdefault(r, []).append(passage)
    shared = []
    for r, held in by_report.items():
        meta = report_meta[r]
        shared.append(
            SharedReport(
                report_id=meta["id"],
                district=meta["district"],
                province=meta.get("province", ""),
                city=meta.get("city", ""),
                year=meta["year"],
                chars=_covered(held),
                passages=tuple(held),
            )
        )
    shared.sort(key=lambda s: (-s.chars, s.report_id))
    return ReportReuse(report_id, min_chars, tuple(passages), tuple(shared))


def _covered(passages: list[Passage]) -> int:
    """Characters covered by the passages (they may overlap within a paragraph)."""
    total, last = 0, (None, 0)
    for p in sorted(passages, key=lambda p: (p.paragraph, p.start)):
        para, end = last
        start = max(p.start, end) if para == p.paragraph else p.start
        if p.end > start:
            total += p.end - start
        last = (p.paragraph, max(end, p.end) if para == p.paragraph else p.end)
    return total
