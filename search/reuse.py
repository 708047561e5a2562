"""The same words elsewhere: the passages of a paragraph (of at least `min_chars` folded
characters) that stand verbatim in other reports, found in the character index.

For every start position of the paragraph's folded text, the longest string starting there
that occurs in another report is found by binary searches in the suffix array (its matching
statistic; the one at i+1 is at least the one at i less one, so each position costs a few
searches). A passage is such a longest match not inside the previous one: maximal on both
sides. Nothing is compared document to document.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from search.errors import IndexNeedsOptimize, ReportNotFound

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
    text: str  # folded
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


class _Finder:
    """Matching statistics of folded strings against the other reports of one report."""

    def __init__(self, engine, own_report: int):
        if not hasattr(engine.chars, "sa"):  # one suffix array over every live paragraph
            raise IndexNeedsOptimize(
                "共享段落需要单一段的索引：请先运行 baogao optimize 合并索引段"
            )
        self.ci = engine.chars
        self.sa = np.asarray(engine.chars.sa)  # a plain view: item access without memmap's cost
        self.report_col = engine.columns.col["report"]
        self.own = own_report
        meta = engine.report_meta[own_report]
        starts = engine.chars.starts  # the report's paragraphs are one run of bytes
        self.own_bytes = int(starts[meta["first"]]), int(starts[meta["first"] + meta["count"]])
        self._prefix: dict[str, tuple[int, int]] = {}  # ranges of first characters and pairs

    def _start(self, s: str, i: int) -> tuple[int, int]:
        """The suffixes starting with s[i:i+2], found within those starting with s[i] (both
        kept: a paragraph repeats its characters, so most searches start in a small range)."""
        pair = s[i : i + 2]
        if pair not in self._prefix:
            one = s[i]
            if one not in self._prefix:
                self._prefix[one] = self.ci.sa_range(one.encode("utf-8"), 0, len(self.sa))
            self._prefix[pair] = self.ci.sa_range(pair.encode("utf-8"), *self._prefix[one])
        return self._prefix[pair]

    def _outside(self, lo: int, hi: int) -> bool:
        pos = self.sa[lo:hi]
        a, b = self.own_bytes
        return bool(np.any((pos < a) | (pos >= b)))

    def _elsewhere(self, lo: int, hi: int) -> bool:
        """Whether an occurrence in [lo, hi) lies outside this report's bytes."""
        if hi - lo > PROBE and self._outside(lo, lo + PROBE):
            return True
        return hi > lo and self._outside(lo, hi)

    def _check(self, s: str, i: int, length: int, lo: int, hi: int):
        r = self.ci.sa_range(s[i : i + length].encode("utf-8"), lo, hi)
        return r if self._elsewhere(*r) else None

    def passages(self, s: str, min_chars: int) -> list[tuple[int, int, int, int]]:
        """(start, end, lo, hi) of every maximal passage of `s` found in another report, with
        the suffix array range of its occurrences."""
        n = len(s)
        out, prev, max_end = [], 0, 0
        for i in range(n - min_chars + 1):
            best = prev - 1
            if best >= min_chars:  # a part of the previous match: known to be elsewhere
                lo, hi = self.ci.sa_range(s[i : i + best].encode("utf-8"), *self._start(s, i))
            else:
                r = self._check(s, i, min_chars, *self._start(s, i))
                if r is None:
                    prev = 0
                    continue
                best, (lo, hi) = min_chars, r
            fail, step = None, 1
            while best < n - i:  # gallop, then halve: the match is monotone in its length
                cand = min(best + step, n - i)
                r = self._check(s, i, cand, lo, hi)
                if r is None:
                    fail = cand
                    break
                best, (lo, hi), step = cand, r, step * 2
            while fail is not None and fail - best > 1:
                mid = (best + fail) // 2
                r = self._check(s, i, mid, lo, hi)
                if r is None:
                    fail = mid
                else:
                    best, (lo, hi) = mid, r
            prev = best
            if i + best > max_end:
                out.append((i, i + best, lo, hi))
                max_end = i + best
        return out

    def where(self, lo: int, hi: int) -> dict[int, int]:
        """Other report → its first paragraph id among the occurrences in [lo, hi)."""
        docs = np.sort(self.ci.docs_of(self.sa[lo:hi].astype(np.int64)))
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
    """The passages of paragraph `pid`, each with where it stands: {report: pid}."""
    s = engine.chars.folded_text(pid)
    n = int(engine.columns.col["n"][pid])
    for start, end, lo, hi in finder.passages(s, min_chars):
        where = finder.where(lo, hi)
        listed = tuple(_occurrence(engine, r, p) for r, p in list(where.items())[:MAX_LISTED])
        yield Passage(n, start, end, s[start:end], len(where), listed), where


def _report(engine, report_id: str) -> tuple[int, range]:
    """A report's index in the report table and its paragraph ids."""
    for i, r in enumerate(engine.report_meta):
        if r["id"] == report_id:
            return i, range(r["first"], r["first"] + r["count"])
    raise ReportNotFound(f"no report with id {report_id!r}")


def paragraph_reuse(engine, report_id: str, n: int, min_chars: int = MIN_CHARS) -> list[Passage]:
    """The passages of paragraph `n` of a report that stand verbatim in other reports."""
    own, pids = _report(engine, report_id)
    if not 1 <= n <= len(pids):
        return []
    finder = _Finder(engine, own)
    return [p for p, _ in _paragraph(engine, finder, pids[n - 1], min_chars)]


def report_reuse(engine, report_id: str, min_chars: int = MIN_CHARS) -> ReportReuse:
    """Every passage of a report found in other reports, and the other reports ranked by the
    characters of this report their shared passages cover."""
    own, pids = _report(engine, report_id)
    finder = _Finder(engine, own)
    passages, by_report = [], {}
    for pid in pids:
        for passage, where in _paragraph(engine, finder, pid, min_chars):
            passages.append(passage)
            for r in where:
                by_report.setdefault(r, []).append(passage)
    shared = []
    for r, held in by_report.items():
        meta = engine.report_meta[r]
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
