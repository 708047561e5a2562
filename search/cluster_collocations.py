"""Collocations on a sharded index (`search.collocations` on shards), as one index counts
them.

Windows never cross a paragraph, so the union of the windows is the union of the shards'
unions: f_A, W, N, each candidate's count in the windows (jieba's, the near count f_AB) and
in the filtered corpus (f_B) are sums over the shards. Equally frequent candidates keep the
order one index first sees them in (each shard says where it first saw each word, in
one-index paragraph ids), which decides the CANDIDATES cut. Two round trips: the candidates,
then the chosen words' counts. A shard keeps its last unions of windows between the two.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict

from indexer.analysis import words as jieba_words
from search import budget
from search.results import SearchQuery

WINDOWS_KEPT = 8  # a shard's unions of windows kept between the two rounds of collocations

_WINDOWS_LOCK = threading.Lock()


def _windows(server, query: SearchQuery, span: int):
    """The shard's union of the windows of `query` (kept for the second round)."""
    from search.collocations import union_of_windows

    kept = server.__dict__.setdefault("_windows", OrderedDict())
    key = (query, span)
    with _WINDOWS_LOCK:
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
    windows = union_of_windows(server.engine, query, span)
    with _WINDOWS_LOCK:
        kept[key] = windows
        while len(kept) > WINDOWS_KEPT:
            kept.popitem(last=False)
    return windows


def shard_collocation_candidates(server, query: SearchQuery, span: int) -> dict:
    """Round one in a shard: jieba's count of each word in the windows, where the shard first
    sees it (one-index paragraph id, start of the stretch, place in the stretch), f_A, W, N."""
    from search.collocations import filter_mask

    e = server.engine
    if e is None:
        return {"found": {}, "first": {}, "occurrences": 0, "window_chars": 0, "chars": 0}
    windows = _windows(server, query, span)
    found: Counter = Counter()
    first: dict[str, tuple[int, int, int]] = {}
    text, last = "", -1
    for k, (pid, s, end) in enumerate(windows.stretches):
        if k % 2000 == 0:
            budget.check()
        if pid != last:
            text, last = e.chars.folded_text(pid), pid
        words = [w for w in jieba_words(text[s:end]) if "\n" not in w]
        found.update(words)
        for i, w in enumerate(words):
            if w not in first:
                first[w] = (int(server.gpid[pid]), s, i)
    mask = filter_mask(e, query)
    return {
        "found": dict(found),
        "first": first,
        "occurrences": windows.occurrences,
        "window_chars": windows.chars,
        "chars": int(e.columns.col["chars"][mask].sum()),
    }


def shard_collocation_counts(server, query: SearchQuery, span: int, words: list[str]):
    """Round two in a shard: each word's (near count f_AB, corpus count f_B)."""
    from search.collocations import corpus_count, filter_mask, near_count

    e = server.engine
    if e is None:
        return [(0, 0)] * len(words)
    windows = _windows(server, query, span)
    mask = filter_mask(e, query)
    everything = bool(mask.all())
    return [(near_count(e, w, windows), corpus_count(e, w, mask, everything)) for w in words]


def collocations(engine, query: SearchQuery, span: int, limit: int, steering):
    """`search.collocations._collocations` over the whole index (see the module's docstring)."""
    from search.collocations import (
        CANDIDATES,
        MIN_NEAR,
        Collocate,
        Collocations,
        keeps,
        log_dice,
        log_likelihood,
    )

    parts = engine.fan_out("collocation_candidates", query, span)
    totals: dict[str, int] = {}
    first: dict[str, tuple] = {}
    for part in parts:
        for w, c in part["found"].items():
            totals[w] = totals.get(w, 0) + c
        for w, at in part["first"].items():
            if w not in first or at < first[w]:
                first[w] = at
    found = Counter({w: totals[w] for w in sorted(totals, key=first.__getitem__)})
    f_a = sum(p["occurrences"] for p in parts)
    w_chars = sum(p["window_chars"] for p in parts)
    n = sum(p["chars"] for p in parts)
    stopped = steering.stopped()
    floor = min(MIN_NEAR, steering.min_freq)
    chosen = []
    for word, seen in found.most_common():
        if seen < floor or len(chosen) == CANDIDATES:
            break
        if keeps(steering, stopped, word):
            chosen.append(word)
    counts = [[0, 0] for _ in chosen]
    if chosen:
        for part in engine.fan_out("collocation_counts", query, span, chosen):
            for have, (near, total) in zip(counts, part, strict=True):
                have[0] += near
                have[1] += total
    items = [
        Collocate(w, f_ab, f_b, log_dice(f_ab, f_a, f_b), log_likelihood(f_ab, w_chars, f_b, n))
        for w, (f_ab, f_b) in zip(chosen, counts, strict=True)
        if f_ab >= steering.min_freq
    ]
    items.sort(key=lambda c: (-c.log_dice, -c.near, c.word))
    return Collocations(query, span, f_a, n, w_chars, tuple(items[:limit]))
