"""Shared passages of a report on a sharded index (`search.reuse` on shards), as one index
finds them.

A passage is a longest match at its start that reaches past the previous passage's end. The
longest match at a start is the longest of the shards' (each asked in its suffix array,
leaving out the report itself); a start where the whole index's match reaches past the
previous passage is such a start in the shard holding that match (its own previous passages
end no later), so the shards' passages, merged by start, give the passages, and the reports
holding one are those of the shards listing it. Two round trips: the report's text from its
shard, then every shard's passages. (The reuse network over every report is
`search.cluster_network`: one Ray task per shard, asking every shard's suffix array.)
"""

from __future__ import annotations

from indexer.place import Place
from search.cluster_views import report_index
from search.errors import no_report


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
    from search.reuse_finder import Finder

    e = server.engine
    if e is None:
        return [[] for _ in folded]
    finder = Finder(e, _local_report(server, report_id))
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

    index = report_index(engine)
    if report_id not in index:
        raise no_report(report_id)
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
