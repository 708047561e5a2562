"""Dispersion: where in each report a query's occurrences stand, as a fraction of the report.

A report's text is its paragraphs in order (their folded characters, which the fold keeps as
many as the text's); an occurrence starting at character `s` of a paragraph that follows `o`
characters of earlier paragraphs stands at (o + s) / L, L the report's characters: 0 is the
report's first character, 1 its end. The occurrences are the search's marks (overlapping
occurrences of two terms count once), so their number is the search's occurrence count.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from indexer.place import Place
from search.engine import Engine
from search.results import SearchQuery
from search.sharding import sharded

BINS = 10  # the overall profile: occurrences per tenth of a report


@dataclass(frozen=True)
class ReportDispersion:
    report_id: str
    place: Place
    year: int | None
    chars: int
    positions: tuple[float, ...]  # in order, each in [0, 1)


@dataclass(frozen=True)
class Dispersion:
    query: SearchQuery
    occurrences: int
    reports: tuple[ReportDispersion, ...]  # in the index's order (by report)
    profile: tuple[int, ...]  # occurrences per tenth of a report, over every report


def dispersion(engine: Engine, query: SearchQuery) -> Dispersion:
    """The position of every occurrence of `query` in the reports under its filters."""
    if sharded(engine):  # each report's positions from its shard
        return engine.merged("sharded_dispersion", query)
    query = replace(query, page=1, per_page=None)
    mask, ev, _ = engine.evaluate(query)
    pids = np.flatnonzero(mask)
    col = engine.columns.col
    chars = col["chars"].astype(np.int64)
    before = np.cumsum(chars) - chars  # characters of the index before each paragraph
    by_report: dict[int, list[float]] = {}
    for pid in pids if ev.terms else ():
        report = int(col["report"][pid])
        meta = engine.report_meta[report]
        first = meta["first"]
        length = int(chars[first : first + meta["count"]].sum())
        offset = int(before[pid] - before[first])
        spans = engine.spans(int(pid), ev.terms)
        by_report.setdefault(report, []).extend((offset + s) / length for s, _ in spans)
    items = []
    for report in sorted(by_report):
        meta = engine.report_meta[report]
        first = meta["first"]
        items.append(
            ReportDispersion(
                report_id=meta["id"],
                place=Place.of_report(meta),
                year=meta["year"],
                chars=int(chars[first : first + meta["count"]].sum()),
                positions=tuple(by_report[report]),
            )
        )
    every = [p for r in items for p in r.positions]
    return Dispersion(query, len(every), tuple(items), profile(every))


def profile(positions: list[float]) -> tuple[int, ...]:
    """Occurrences per tenth of a report."""
    counts = np.bincount(
        np.minimum((np.array(positions) * BINS).astype(int), BINS - 1), minlength=BINS
    )
    return tuple(int(c) for c in counts[:BINS])
