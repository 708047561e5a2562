"""The research views on a sharded index, each answering as one index of the same files:
adoption (and so the event-history panel), collocations, shared passages, the reuse network,
dispersion, a passage's lineage and one term's trends by place.

Each view has a shard-side part (`shard_*`, run in a shard's actor by `ShardServer.run` over
that shard's engine) and a merge here on the front, which asks the shards through
`ClusterEngine.fan_out` only: no view reads a shard's columns. What makes each merge exact:

- adoption: a report, so each of its paragraphs, lives in one shard; each shard gives its
  cells per (place, year) — characters, mentions, its first mention by one-index paragraph
  id, its reports by one-index position — and the front sums them, keeps the lowest first
  mention and orders the reports, then builds the table as one index does
  (`search.adoption.table`); roll-up groups places by name, the same in every shard;
- collocations: windows never cross a paragraph, so the union of the windows is the union of
  the shards' unions: f_A, W, N, each candidate's count in the windows (jieba's, the near
  count f_AB) and in the filtered corpus (f_B) are sums over the shards. Equally frequent
  candidates keep the order one index first sees them in (each shard says where it first saw
  each word, in one-index paragraph ids), which decides the CANDIDATES cut. Two round trips:
  the candidates, then the chosen words' counts;
- shared passages: a passage is a longest match at its start that reaches past the previous
  passage's end. The longest match at a start is the longest of the shards' (each asked in
  its suffix array, leaving out the report itself); a start where the whole index's match
  reaches past the previous passage is such a start in the shard holding that match (its own
  previous passages end no later), so the shards' passages, merged by start, give the
  passages, and the reports holding one are those of the shards listing it. Two round trips:
  the report's text from its shard, then every shard's passages;
- the reuse network: one Ray task per shard finds the edges into the shard's reports, asking
  every shard's suffix array (`search.network.Corpus` of the whole sharded index);
- dispersion, lineage and trends by place: per report or per place and year, so each shard's
  part is whole or a sum; the front orders them as one index does.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from dataclasses import replace

import numpy as np

from indexer.analysis import words as jieba_words
from indexer.place import Place
from search import budget
from search.adoption import Cell, cells
from search.errors import ReportNotFound
from search.results import SearchQuery

WINDOWS_KEPT = 8  # a shard's unions of windows kept between the two rounds of collocations


# -- adoption --------------------------------------------------------------------------------


def shard_adoption(server, query: SearchQuery, level: str, rollup: bool) -> dict:
    if server.engine is None:
        return {}
    return cells(server.engine, query, level, rollup, server.gpid, server.gfirst)


def adoption_cells(engine, query: SearchQuery, level: str, rollup: bool) -> dict[tuple, Cell]:
    """`search.adoption.cells` of the whole index: the shards' cells added up."""
    merged: dict[tuple, Cell] = {}
    for part in engine.fan_out("adoption", query, level, rollup):
        for key, cell in part.items():
            if key in merged:
                merged[key].add(cell)
            else:
                merged[key] = cell
    return merged


# -- collocations ------------------------------------------------------------------------------


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


# -- shared passages ---------------------------------------------------------------------------


def _local_report(server, report_id: str) -> int | None:
    index = server.__dict__.get("_report_index")
    if index is None:
        index = {r["id"]: i for i, r in enumerate(server.engine.report_meta)}
        server._report_index = index
    return index.get(report_id)


def shard_report_texts(server, report_id: str) -> list[tuple[int, str, str]]:
    """(number, text, folded text) of each paragraph of a report this shard holds."""
    e = server.engine
    return [
        (int(e.columns.col["n"][pid]), e.words.stored(pid)["text"], e.chars.folded_text(pid))
        for pid in e.table.paragraph_ids(report_id)
    ]


def shard_reuse(server, report_id: str, folded: list[str], min_chars: int) -> list[list]:
    """For each of the report's paragraphs (`folded`), the shard's passages: (start, end,
    {report id: (one-index paragraph id, paragraph number)}) of the reports holding each,
    the report itself left out."""
    from search.reuse import _Finder

    e = server.engine
    if e is None:
        return [[] for _ in folded]
    finder = _Finder(e, _local_report(server, report_id))
    n_col = e.columns.col["n"]
    out = []
    for s in folded:
        found = []
        for start, end, ranges in finder.passages(s, min_chars):
            where = {
                e.report_meta[r]["id"]: (int(server.gpid[pid]), int(n_col[pid]))
                for r, pid in finder.where(ranges).items()
            }
            found.append((start, end, where))
        out.append(found)
    return out


def reuse_passages(engine, report_id: str, min_chars: int, paragraph: int | None = None):
    """`search.reuse`'s passages of a report (or of its `paragraph`-th paragraph) on a sharded
    index, each with the indexes of the other reports holding it: [(Passage, [report])]."""
    from search.reuse import MAX_LISTED, Occurrence, Passage

    index = _report_index(engine)
    if report_id not in index:
        raise ReportNotFound(f"no report with id {report_id!r}")
    own = engine.shard_of(report_id)
    paragraphs = engine.fan_out("report_texts", report_id, shards=[own])[0]
    if paragraph is not None:
        if not 1 <= paragraph <= len(paragraphs):
            return []
        paragraphs = [paragraphs[paragraph - 1]]
    folded = [f for _, _, f in paragraphs]
    parts = engine.fan_out("reuse", report_id, folded, min_chars)
    out = []
    for k, (n, text, s) in enumerate(paragraphs):
        at_start: dict[int, list] = {}  # start → [end, where] of the longest shard match
        for part in parts:
            for start, end, where in part[k]:
                have = at_start.get(start)
                if have is None or end > have[0]:
                    at_start[start] = [end, dict(where)]
                elif end == have[0]:
                    have[1].update(where)
        max_end = 0
        for start in sorted(at_start):
            end, where = at_start[start]
            if end <= max_end:
                continue
            max_end = end
            ordered = sorted(where.items(), key=lambda item: item[1][0])
            listed = []
            for rid, (_, number) in ordered[:MAX_LISTED]:
                meta = engine.report_meta[index[rid]]
                listed.append(
                    Occurrence(
                        report_id=rid,
                        paragraph=number,
                        place=Place.of_report(meta),
                        year=meta["year"],
                    )
                )
            shown, matched = text[start:end], s[start:end]
            passage = Passage(n, start, end, shown, matched, len(where), tuple(listed))
            out.append((passage, [index[rid] for rid, _ in ordered]))
    return out


# -- dispersion, a passage's lineage, one term by place -----------------------------------------


def shard_dispersion(server, query: SearchQuery):
    from search.dispersion import dispersion

    return None if server.engine is None else dispersion(server.engine, query)


def sharded_dispersion(engine, query: SearchQuery):
    """`search.dispersion.dispersion` of the whole index: a report's positions come whole
    from its shard; the reports in one index's order, the profile over all of them."""
    from search.dispersion import Dispersion, profile

    index = _report_index(engine)
    parts = [p for p in engine.fan_out("dispersion", query) if p is not None]
    items = sorted((r for p in parts for r in p.reports), key=lambda r: index[r.report_id])
    every = [p for r in items for p in r.positions]
    query = replace(query, page=1, per_page=None)
    return Dispersion(query, len(every), tuple(items), profile(every))


def shard_lineage(server, text: str, filters: SearchQuery | None):
    from search.lineage import lineage

    return None if server.engine is None else lineage(server.engine, text, filters)


def sharded_lineage(engine, text: str, filters: SearchQuery | None):
    """`search.lineage.lineage` of the whole index: every shard's holders in date order."""
    from indexer.fold import fold
    from indexer.segments import date_key
    from search.lineage import Lineage, check

    folded = check(fold(text).strip())
    index = _report_index(engine)
    parts = [p for p in engine.fan_out("lineage", text, filters) if p is not None]
    holders = [h for p in parts for h in p.holders]

    def rank(h) -> tuple:
        record = engine.report_meta[index[h.report_id]]
        return date_key(record), record["id"]

    return Lineage(folded, tuple(sorted(holders, key=rank)))


def shard_place_trends(server, q: str, filters: SearchQuery, level: str) -> dict:
    """A shard's counts of `q` per place in the scope and year: {place: {year: [occurrences,
    paragraphs, reports, characters]}}, and the years with characters in the scope."""
    from search.trends import occurrences

    e = server.engine
    if e is None:
        return {"years": [], "places": {}}
    col, places = e.columns.col, e.columns.places
    scoped = filters if not level else replace(filters, levels=(level,))
    scope = e.columns.filter_mask(scoped) & (col["year"] != 0)
    years = np.flatnonzero(np.bincount(col["year"][scope], weights=col["chars"][scope]))
    mask, ev, _ = e.evaluate(replace(scoped, q=q, page=1, per_page=None))
    universe = np.flatnonzero(scope)
    hits = np.flatnonzero(mask & scope)
    occ = occurrences(e, hits, ev.terms)
    out: dict[tuple, dict] = {}
    for code in np.unique(col["place"][universe]).tolist():
        rows = out.setdefault(places[code], {})
        u = universe[col["place"][universe] == code]
        for y in np.unique(col["year"][u]).tolist():
            rows[y] = [0, 0, 0, int(col["chars"][u][col["year"][u] == y].sum())]
        h = col["place"][hits] == code
        pids, o = hits[h], occ[h]
        for y in np.unique(col["year"][pids]).tolist():
            at = col["year"][pids] == y
            row = rows[y]
            row[0] = int(o[at].sum())
            row[1] = int(at.sum())
            row[2] = int(np.unique(col["report"][pids[at]]).size)
    return {"years": years.tolist(), "places": out}


def sharded_place_trends(engine, q: str, filters: SearchQuery, names: tuple, level: str):
    """`search.trends.place_trends` of the whole index: the shards' counts per place and
    year summed (a report lives in one shard), places in one index's order."""
    from search.trends import MAX_MULTIPLES, PlaceTrend, PlaceTrends, YearCount, trend_place

    parts = engine.fan_out("place_trends", q, filters, level)
    years = sorted({y for p in parts for y in p["years"]})
    summed: dict[tuple, dict] = {}
    for part in parts:
        for place, rows in part["places"].items():
            have = summed.setdefault(place, {})
            for y, row in rows.items():
                cell = have.setdefault(y, [0, 0, 0, 0])
                for i in range(4):
                    cell[i] += row[i]
    code = {p: i for i, p in enumerate(engine.columns.places)}
    in_scope = sorted(summed, key=code.__getitem__)
    unknown: list[str] = []
    if level:
        chosen = in_scope
    else:
        chosen = []
        for name in names:
            found = [p for p in in_scope if p[2] == name]
            chosen.extend(found)
            if not found:
                unknown.append(name)
    out = []
    for place in dict.fromkeys(chosen):
        rows = summed[place]
        counts = tuple(YearCount(y, *rows.get(y, (0, 0, 0, 0))) for y in years)
        out.append(PlaceTrend(trend_place(place, counts), counts))
    left_out = 0
    if level and len(out) > MAX_MULTIPLES:
        keep = sorted(out, key=lambda p: -p.occurrences)[:MAX_MULTIPLES]
        left_out = len(out) - len(keep)
        out = [p for p in out if p in keep]
    return PlaceTrends(q, filters, tuple(out), tuple(years), tuple(unknown), left_out)


def _report_index(engine) -> dict[str, int]:
    """Report id → its position in one index's order (the front's report table)."""
    index = engine.__dict__.get("_report_index")
    if index is None:
        index = engine._report_index = {r["id"]: i for i, r in enumerate(engine.report_meta)}
    return index


# -- keywords and n-grams ------------------------------------------------------------------------

# One index numbers its words in the order it first meets them (paragraph by paragraph) and
# its n-grams in the order of their words' numbers (`search.tokens`); equally scored items
# keep that order. Each shard says once where it first meets each of its words, in one-index
# paragraph ids; the front keeps the order of every word of the index.


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
    from search.keywords import MAX_ROWS, Keyword, Keywords, scores

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
    ll, pdiff, lr = scores(a, b, c, d)
    key = {"ll": ll, "log_ratio": lr, "pdiff": np.where(b > 0, pdiff, np.inf), "target": a}[sort]
    order = np.lexsort((-a, -key))
    if limit is not None:
        order = order[: min(limit, MAX_ROWS)]
    items = tuple(
        Keyword(
            word=chosen[i],
            target=int(a[i]),
            reference=int(b[i]),
            ll=float(ll[i]),
            pdiff=float(pdiff[i]) if b[i] > 0 else None,
            log_ratio=float(lr[i]),
        )
        for i in order
    )
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
