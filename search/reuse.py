"""The same words elsewhere: the passages of a paragraph (of at least `min_chars` folded
characters) that stand verbatim in other reports, found in the character index
(`search.reuse_finder`: matching statistics in the suffix array), each with the other reports
holding it (`Occurrence`, at their first paragraph holding it) and, for a whole report, the
reports it shares most with (`SharedReport`). An index after `--update` answers as the same
index optimized.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.place import Place
from search.errors import no_report
from search.reuse_finder import Finder
from search.sharding import sharded

MIN_CHARS = 15
MAX_LISTED = 200  # other reports listed per passage (all of them are counted)


@dataclass(frozen=True)
class Occurrence:
    """Another report holding a passage, at its first paragraph holding it."""

    report_id: str
    paragraph: int
    place: Place
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
    place: Place
    year: int | None
    chars: int
    passages: tuple[Passage, ...]


@dataclass(frozen=True)
class ReportReuse:
    report_id: str
    min_chars: int
    passages: tuple[Passage, ...]  # in paragraph order
    shared: tuple[SharedReport, ...]  # most characters shared first


def _occurrence(engine, report: int, pid: int) -> Occurrence:
    meta = engine.report_meta[report]
    return Occurrence(
        report_id=meta["id"],
        paragraph=int(engine.columns.col["n"][pid]),
        place=Place.of_report(meta),
        year=meta["year"],
    )


def _paragraph(engine, finder: Finder, pid: int, min_chars: int):
    """The passages of paragraph `pid`, each with where it stands: {report: pid}. Found in
    the folded text; quoted in the paragraph's own (the fold keeps every offset). Within the
    request's time budget: the finder checks it (`search.budget`)."""
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
    raise no_report(report_id)


def paragraph_reuse(engine, report_id: str, n: int, min_chars: int = MIN_CHARS) -> list[Passage]:
    """The passages of paragraph `n` of a report that stand verbatim in other reports."""
    if sharded(engine):  # every shard's suffix array asked
        return [p for p, _ in engine.merged("reuse_passages", report_id, min_chars, n)]
    own, pids = _report(engine, report_id)
    if not 1 <= n <= len(pids):
        return []
    finder = Finder(engine, own)
    return [p for p, _ in _paragraph(engine, finder, pids[n - 1], min_chars)]


def report_reuse(engine, report_id: str, min_chars: int = MIN_CHARS) -> ReportReuse:
    """Every passage of a report found in other reports, and the other reports ranked by the
    characters of this report their shared passages cover."""
    if sharded(engine):  # every shard's suffix array asked
        found = engine.merged("reuse_passages", report_id, min_chars)
    else:
        own, pids = _report(engine, report_id)
        finder = Finder(engine, own)
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
                place=Place.of_report(meta),
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
