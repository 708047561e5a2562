"""The index's table of reports (`meta.json`): each report's record by id, its paragraphs'
ids, and each place's reports in date order."""

from __future__ import annotations

import numpy as np

from indexer.models import REPORT_FIELDS
from search.errors import no_report


class ReportTable:
    def __init__(self, records: list[dict], report_rank: np.ndarray):
        self._records = records  # as built: the record plus first, count, chars, date_key
        self._index = {r["id"]: i for i, r in enumerate(records)}
        self._rank = report_rank  # each report's place in date order

    def meta(self, report_id: str) -> dict:
        """The stored record of one report; ReportNotFound when there is none."""
        try:
            return self._records[self._index[report_id]]
        except KeyError:
            raise no_report(report_id) from None

    def record(self, report_id: str) -> dict:
        """One report's public record: its fields, paragraph_count and chars."""
        return public(self.meta(report_id))

    def records(self, indices=None) -> list[dict]:
        """The public records of the reports at `indices` (every report when None)."""
        chosen = range(len(self._records)) if indices is None else indices
        return [public(self._records[int(i)]) for i in chosen]

    def paragraph_ids(self, report_id: str) -> range:
        """The paragraph ids of one report, in order."""
        meta = self.meta(report_id)
        return range(meta["first"], meta["first"] + meta["count"])

    def neighbours(self, report_id: str) -> tuple[dict | None, dict | None]:
        """The same place's previous and next report in date order (None at either end)."""
        district = self.meta(report_id)["district"]
        same = [i for i, r in enumerate(self._records) if r["district"] == district]
        same.sort(key=lambda i: int(self._rank[i]))
        at = same.index(self._index[report_id])
        before = public(self._records[same[at - 1]]) if at > 0 else None
        after = public(self._records[same[at + 1]]) if at + 1 < len(same) else None
        return before, after


def public(r: dict) -> dict:
    out = {k: r[k] for k in REPORT_FIELDS}
    out["paragraph_count"] = r["count"]
    out["chars"] = r["chars"]
    return out
