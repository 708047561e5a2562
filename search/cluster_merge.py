"""The front's merges of a sharded search, concordance and trends: the shards' parts (see
`search.cluster_shard.ShardServer`) made into the very answer one index gives.

- hits: each shard sends its first `limit` matches with their one-index sort keys (score or
  date rank, then one-index paragraph id); the page is a sort of them all by those keys;
- counts (facets, the place tree, the timeline): a report, so each of its paragraphs, lives
  in exactly one shard, so one index's counts are the shards' counts summed, once each
  shard's codes are translated into the whole index's (`search.cluster_layout.codes`);
- the concordance: each shard's rows already in one index's order with their sort keys, so
  a k-way merge of sorted streams gives one index's rows;
- trends: counts per year, summed.
"""

from __future__ import annotations

import heapq
import itertools

import numpy as np

from indexer.format import CODED
from indexer.models import TOPIC_IDS
from search.results import Hit, SearchQuery
from search.tally import Counted


def hits_page(parts: list[dict], first: int, limit: int | None) -> tuple[Hit, ...]:
    """Hits `first` to `limit` of the whole index, from each shard's first `limit`."""
    keys = [p["keys"] for p in parts if p["keys"] is not None]
    if not keys:
        return ()
    hits = [h for p in parts for h in p["hits"]]
    primary = np.concatenate([k[0] for k in keys])
    gpid = np.concatenate([k[1] for k in keys])
    order = np.lexsort((gpid, primary))[first:limit]
    return tuple(hits[int(i)] for i in order)


def summed_counts(parts: list[dict], vocab: dict, codes: list[dict]) -> Counted:
    """The shards' counts summed in the whole index's codes: what one index counts."""
    sizes = {name: len(vocab[name]) for name in CODED}
    summed = {name: np.zeros(size, np.int64) for name, size in sizes.items()}
    summed["topic"] = np.zeros(len(TOPIC_IDS), np.int64)
    years, timeline = np.zeros(0, np.int64), []
    nd = sizes["district"]
    for k, part in enumerate(parts):
        counts = part["counts"]
        if counts is None:
            continue
        for name in CODED:
            local = counts[name]
            ours = codes[k][name][: len(local)]
            summed[name] += np.bincount(ours, weights=local, minlength=sizes[name]).astype(np.int64)
        summed["topic"] += counts["topic"]
        year = counts["year"]
        if len(year) > len(years):
            year, years = years, year.copy()
        years[: len(year)] += year
        if counts["timeline"] is not None:
            y, d, n = counts["timeline"]
            timeline.append((y * nd + codes[k]["district"][d], n))
    summed["year"] = years
    if timeline:
        keys, inverse = np.unique(np.concatenate([t[0] for t in timeline]), return_inverse=True)
        per_key = np.bincount(inverse, weights=np.concatenate([t[1] for t in timeline]))
        summed["timeline"] = (keys, per_key.astype(np.int64))
    else:
        summed["timeline"] = (np.zeros(0, np.int64), np.zeros(0, np.int64))
    return Counted(summed)


def summed_dfs(parts: list[list[int]]) -> tuple[int, ...]:
    """Each ranking term's paragraph frequency over every shard (an empty shard sends none)."""
    lengths = {len(p) for p in parts if p}
    if not lengths:
        return ()
    size = lengths.pop()
    return tuple(sum(p[i] for p in parts if p) for i in range(size))


def concordance(query: SearchQuery, order: str, context: int, parts: list[dict], first, last):
    """The concordance rows `first` to `last` of the whole index: the shards' sorted streams
    of rows merged by their one-index keys."""
    from search.concordance import Concordance

    streams = [zip(p["keys"], p["rows"], strict=True) for p in parts]
    merged = heapq.merge(*streams, key=lambda kr: kr[0])
    rows = [row for _, row in itertools.islice(merged, first, last)]
    return Concordance(
        query=query,
        order=order,
        context=context,
        occurrences=sum(p["occurrences"] for p in parts),
        paragraphs=sum(p["paragraphs"] for p in parts),
        reports=sum(p["reports"] for p in parts),
        rows=tuple(rows),
    )


def trends(filters: SearchQuery, parts: list):
    """`search.trends.trends` of the whole index: every shard's counts per year summed
    (None: an empty shard)."""
    from search.trends import TermTrend, Trends, YearCount

    parts = [p for p in parts if p is not None]
    chars: dict[int, int] = {}
    for part in parts:
        for year, c in zip(part.years, part.chars, strict=True):
            chars[year] = chars.get(year, 0) + c
    years = sorted(chars)
    out = []
    for i, q in enumerate(parts[0].terms if parts else ()):
        sums = {y: [0, 0, 0] for y in years}
        for part in parts:
            for row in part.terms[i].years:
                s = sums[row.year]
                s[0], s[1], s[2] = (
                    s[0] + row.occurrences,
                    s[1] + row.paragraphs,
                    s[2] + row.reports,
                )
        rows = tuple(YearCount(y, *sums[y], chars[y]) for y in years)
        out.append(TermTrend(q.q, rows))
    return Trends(
        filters=filters,
        terms=tuple(out),
        years=tuple(years),
        chars=tuple(chars[y] for y in years),
    )
