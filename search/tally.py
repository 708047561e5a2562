"""Counts over one set of matching paragraphs, as facets, the place tree and the timeline need
them (`Tally`), or given by the shards of a sharded index (`Counted`)."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from indexer.models import TOPIC_IDS


class Columns(Protocol):
    """What a tally reads of `search.filters.Columns` (named here, not imported: the columns
    make tallies, so importing them back would be a cycle)."""

    col: dict[str, np.ndarray]
    vocab: dict[str, list[str]]

    def by_report(self) -> dict[str, np.ndarray] | None: ...


class Tally:
    """Counts over one set of paragraphs: per value of a column, as facets, the place tree
    and the timeline need them. A report-level column is counted through the matches per
    report (one pass over the ids for all of them), a paragraph-level one directly."""

    def __init__(self, columns: Columns, pids: np.ndarray, ascending: bool = False):
        self.columns, self.pids, self.ascending = columns, pids, ascending
        self._by_report = columns.by_report()
        self._per_report: np.ndarray | None = None

    def per_report(self) -> np.ndarray:
        """Matching paragraphs per report."""
        if self._per_report is None:
            bounds = self._by_report.get("bounds") if self._by_report else None
            if bounds is not None and self.ascending:
                self._per_report = np.diff(np.searchsorted(self.pids, bounds))
            else:
                reports = len(self.columns.col["report_rank"])
                report = self.columns.col["report"][self.pids]
                self._per_report = np.bincount(report, minlength=reports)
        return self._per_report

    def values(self, name: str, minlength: int = 0) -> np.ndarray:
        """Paragraphs per value of column `name` (int64, indexed by value)."""
        by_report = self._by_report is not None
        col = self._by_report if by_report else self.columns.col
        rows = slice(None) if by_report else self.pids  # per report: every report, weighted
        keys = col[name][rows]
        if not keys.size:
            return np.zeros(minlength, np.int64)
        if not by_report:
            return np.bincount(keys, minlength=minlength)
        return np.bincount(keys, weights=self.per_report(), minlength=minlength).astype(np.int64)

    def year_district(self) -> tuple[np.ndarray, np.ndarray]:
        """The (year * len(district vocabulary) + district) keys with a match in a known
        year, ascending, and the paragraphs of each."""
        nd = len(self.columns.vocab["district"])
        if self._by_report is not None:
            per_report = self.per_report()
            rows = np.flatnonzero(per_report)
            year, district = self._by_report["year"][rows], self._by_report["district"][rows]
            weights = per_report[rows]
        else:
            col = self.columns.col
            year, district = col["year"][self.pids], col["district"][self.pids]
            weights = np.ones(len(self.pids), np.int64)
        known = year != 0
        keys = year[known].astype(np.int64) * nd + district[known]
        unique, inverse = np.unique(keys, return_inverse=True)
        counts = np.bincount(inverse, weights=weights[known], minlength=len(unique))
        return unique, counts.astype(np.int64)

    def topics(self) -> list[int]:
        """Paragraphs per topic (a paragraph counts under each of its topics), TOPIC_IDS order."""
        bits = self.columns.col["topics"][self.pids]
        combos = np.bincount(bits) if bits.size else np.zeros(0, np.int64)
        present = np.flatnonzero(combos)
        has = (present[:, None] >> np.arange(len(TOPIC_IDS))) & 1  # combination × topic
        return (combos[present] @ has).tolist()


class Counted(Tally):
    """A tally whose counts are given, not taken from ids: the sums of a sharded index's
    shards, counted by each shard as `Tally` counts (the same arrays, in the whole index's
    codes), for `Columns.facet_counts`, `timeline` and `tree_of`."""

    def __init__(self, counts: dict[str, np.ndarray | tuple[np.ndarray, np.ndarray]]):
        self.counts = counts

    def values(self, name: str, minlength: int = 0) -> np.ndarray:
        counts = self.counts[name]
        if len(counts) < minlength:
            counts = np.concatenate([counts, np.zeros(minlength - len(counts), np.int64)])
        return counts

    def year_district(self) -> tuple[np.ndarray, np.ndarray]:
        return self.counts["timeline"]

    def topics(self) -> list[int]:
        return [int(c) for c in self.counts["topic"]]
