"""Keywords and n-grams on a sharded index (`search.keywords` on shards), as one index
counts and orders them.

Counts are sums over the shards (a report lives in one shard). One index numbers its words in
the order it first meets them (paragraph by paragraph) and its n-grams in the order of their
words' numbers (`search.tokens`); equally scored items keep that order. Each shard says once
where it first meets each of its words, in one-index paragraph ids; the front keeps the order
of every word of the index. Keywords take two round trips (the target's items, then the
candidates' counts in the reference), n-grams one.
"""

from __future__ import annotations

import numpy as np

from search.results import SearchQuery


def shard_first_seen(server) -> dict[str, tuple[int, int]]:
    """Each word of the shard's token table → (one-index paragraph id, token position)."""
    from search.tokens import token_table

    if server.engine is None:
        return {}
    seen = server.__dict__.get("_first_seen")
    if seen is None:
        table = token_table(server.engine)
        ids = table.ids
        words, at = np.unique(ids[ids >= 0], return_index=True)
        flat = np.flatnonzero(ids >= 0)[at]
        ends = np.cumsum(table.lengths)
        pid = np.searchsorted(ends, flat, side="right")
        pos = flat - (ends[pid] - table.lengths[pid])
        seen = {
            table.vocab[int(w)]: (int(server.gpid[p]), int(k))
            for w, p, k in zip(words.tolist(), pid.tolist(), pos.tolist(), strict=True)
        }
        server._first_seen = seen
    return seen


def _labelled(table, n: int, counts: np.ndarray, codes: np.ndarray) -> dict[str, int]:
    return {table.label(n, int(k)): int(counts[k]) for k in codes}


def _gram_codes(server, table, n: int, labels: list[str]) -> np.ndarray:
    """The shard's code of each n-gram label (-1: not in the shard), found as the table makes
    its codes: each n-gram's key is its (n-1)-gram's code times the vocabulary size plus its
    last word's id, and the codes number the keys in order."""
    words = server.__dict__.get("_word_ids")
    if words is None:
        words = server._word_ids = {w: i for i, w in enumerate(table.vocab)}
    split = [label.split(" ") for label in labels]
    ids = np.array([[words.get(w, -1) for w in parts] for parts in split], np.int64)
    ids = ids.reshape(len(labels), n)
    known = (ids >= 0).all(axis=1)
    codes = np.where(known, ids[:, 0], -1)
    for k in range(2, n + 1):
        prev, _ = table.grams(k - 1)
        _, first = table.grams(k)
        keys = prev[first].astype(np.int64) * len(table.vocab) + table.ids[first + k - 1]
        if not len(keys):
            return np.full(len(labels), -1, np.int64)
        wanted = np.maximum(codes, 0) * len(table.vocab) + ids[:, k - 1]
        at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        codes = np.where(known & (codes >= 0) & (keys[at] == wanted), at, -1)
    return codes


def shard_keyword_targets(server, target: SearchQuery, reference, n: int) -> dict:
    """Round one of keywords in a shard: each item's count in the target (a > 0), c, d, the
    paragraphs of both sets, and where the shard first meets the items' words."""
    from search.keywords import set_mask
    from search.tokens import token_table

    e = server.engine
    if e is None:
        return {"a": {}, "c": 0, "d": 0, "t": 0, "r": 0}
    table = token_table(e)
    t_mask = set_mask(e, target)
    a_all = table.counts(n, table.positions(t_mask))
    if reference is None:
        r_mask, b_all = np.ones(e.n, bool), table.whole(n)
    else:
        r_mask = set_mask(e, reference)
        b_all = table.counts(n, table.positions(r_mask))
    return {
        "a": _labelled(table, n, a_all, np.flatnonzero(a_all)),
        "c": int(a_all.sum()),
        "d": int(b_all.sum()),
        "t": int(t_mask.sum()),
        "r": int(r_mask.sum()),
    }


def shard_keyword_references(server, reference, n: int, labels: list[str]) -> list[int]:
    """Round two: each item's count in the reference set."""
    from search.keywords import set_mask
    from search.tokens import token_table

    e = server.engine
    if e is None:
        return [0] * len(labels)
    table = token_table(e)
    if reference is None:
        b_all = table.whole(n)
    else:
        b_all = table.counts(n, table.positions(set_mask(e, reference)))
    codes = _gram_codes(server, table, n, labels)
    return [int(b_all[c]) if c >= 0 else 0 for c in codes.tolist()]


def _one_index_order(engine, labels: list[str]) -> list[str]:
    """The labels in one index's code order: by their words' numbers, word by word."""
    rank = engine.__dict__.get("_word_rank")
    if rank is None:
        seen: dict[str, tuple] = {}
        for part in engine.fan_out("first_seen"):
            for w, at in part.items():
                if w not in seen or at < seen[w]:
                    seen[w] = at
        rank = engine._word_rank = {w: i for i, w in enumerate(sorted(seen, key=seen.get))}
    return sorted(labels, key=lambda label: tuple(rank[w] for w in label.split(" ")))


def sharded_keywords(engine, target, reference, n: int, min_freq: int, sort: str, limit):
    """`search.keywords.keywords` of the whole index: counts summed over the shards, in
    two round trips (the target's items, then the candidates' counts in the reference)."""
    from search.keywords import Keywords, ranked

    parts = engine.fan_out("keyword_targets", target, reference, n)
    c, d = sum(p["c"] for p in parts), sum(p["d"] for p in parts)
    t_par, r_par = sum(p["t"] for p in parts), sum(p["r"] for p in parts)
    if d == 0:
        return Keywords(n, c, d, t_par, r_par, 0, ())
    a_of: dict[str, int] = {}
    for part in parts:
        for label, a in part["a"].items():
            a_of[label] = a_of.get(label, 0) + a
    labels = _one_index_order(engine, [w for w, a in a_of.items() if a >= max(1, min_freq)])
    b_of = [0] * len(labels)
    if labels:
        for part in engine.fan_out("keyword_references", reference, n, labels):
            b_of = [x + y for x, y in zip(b_of, part, strict=True)]
    keep = [i for i, label in enumerate(labels) if a_of[label] * d > b_of[i] * c]
    chosen = [labels[i] for i in keep]
    a = np.array([a_of[w] for w in chosen], np.float64)
    b = np.array([b_of[i] for i in keep], np.float64)
    items = ranked(a, b, c, d, sort, limit, chosen.__getitem__)
    return Keywords(n, c, d, t_par, r_par, len(chosen), items)


def shard_ngrams(server, query: SearchQuery, n: int) -> dict:
    """An n-gram count of a set in a shard: each item's count and reports, the set's size and
    paragraphs, where the shard first meets the items' words."""
    from search.keywords import _reports, set_mask
    from search.tokens import token_table

    e = server.engine
    if e is None:
        return {"counts": {}, "size": 0, "paragraphs": 0}
    table = token_table(e)
    mask = set_mask(e, query)
    where = table.positions(mask)
    counts = table.counts(n, where)
    codes = np.flatnonzero(counts)
    reports = _reports(e, table, n, where, codes)
    found = {table.label(n, int(k)): (int(counts[k]), reports.get(int(k), 0)) for k in codes}
    return {"counts": found, "size": int(counts.sum()), "paragraphs": int(mask.sum())}


def sharded_ngrams(engine, query: SearchQuery, n: int, min_freq: int, limit):
    """`search.keywords.ngrams` of the whole index: counts and reports summed (a report
    lives in one shard), equally frequent items in one index's order."""
    from search.keywords import MAX_ROWS, NGram, NGrams

    parts = engine.fan_out("ngrams", query, n)
    size = sum(p["size"] for p in parts)
    totals: dict[str, list[int]] = {}
    for part in parts:
        for label, (count, reports) in part["counts"].items():
            have = totals.setdefault(label, [0, 0])
            have[0] += count
            have[1] += reports
    chosen = _one_index_order(engine, [w for w, (c, _) in totals.items() if c >= max(1, min_freq)])
    ordered = sorted(chosen, key=lambda w: -totals[w][0])  # stable: one index's order on ties
    if limit is not None:
        ordered = ordered[: min(limit, MAX_ROWS)]
    items = tuple(
        NGram(w, totals[w][0], np.float64(totals[w][0] / size * 1e6 if size else 0.0), totals[w][1])
        for w in ordered
    )
    return NGrams(n, size, sum(p["paragraphs"] for p in parts), items)
