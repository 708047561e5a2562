"""A passage's lineage: every report holding a string verbatim (folded), in date order, so the
first is its earliest source and the rest its later copies. Exact, from the character index;
the search's filters narrow the reports looked at."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indexer.fold import fold
from indexer.place import Place
from search.errors import BadQuery
from search.results import SearchQuery
from search.sharding import sharded

MIN_CHARS, MAX_CHARS = 2, 1000


@dataclass(frozen=True)
class Holder:
    report_id: str
    place: Place
    year: int | None
    date: str
    title: str
    paragraph: int  # the first paragraph holding the passage
    occurrences: int


@dataclass(frozen=True)
class Lineage:
    text: str  # folded
    holders: tuple[Holder, ...]  # in date order (year, date, report id), the earliest first


def check(folded: str) -> str:
    """The folded passage, when it is one to look for."""
    if not MIN_CHARS <= len(folded) <= MAX_CHARS or "\n" in folded:
        raise BadQuery(f"段落文字须为一段之内的 {MIN_CHARS} 到 {MAX_CHARS} 个字")
    return folded


def lineage(engine, text: str, filters: SearchQuery | None = None) -> Lineage:
    if sharded(engine):  # every shard's holders, in date order
        return engine.merged("sharded_lineage", text, filters)
    folded = check(fold(text).strip())
    counts = engine.chars.counts(folded)
    mask = counts > 0
    if filters is not None:
        mask &= engine.columns.filter_mask(filters)
    pids = np.flatnonzero(mask)
    report_of = engine.columns.col["report"]
    reports, first = np.unique(report_of[pids], return_index=True)  # pids ascend: first pid
    per_report = np.bincount(
        report_of[pids], weights=counts[pids], minlength=len(engine.report_meta)
    )
    rank = engine.columns.col["report_rank"]
    holders = []
    for k in np.argsort(rank[reports], kind="stable"):
        r, pid = int(reports[k]), int(pids[first[k]])
        meta = engine.report_meta[r]
        holders.append(
            Holder(
                report_id=meta["id"], place=Place.of_report(meta), year=meta["year"],
                date=meta["date"], title=meta["title"],
                paragraph=int(engine.columns.col["n"][pid]), occurrences=int(per_report[r]),
            )
        )  # fmt: skip
    return Lineage(folded, tuple(holders))
