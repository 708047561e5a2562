"""What the commands print: ingestion summaries, skipped files, what an update did and search
hits, for a terminal or as JSON Lines."""

from __future__ import annotations

import sys
from collections import Counter


def by_format(result) -> str:
    """Files read by format, most first: "pdf 12, html 3, text 1"."""
    ranked = sorted(result.formats.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{fmt} {n}" for fmt, n in ranked) or "none"


def print_problems(result) -> None:
    """One line on stderr per file that ingestion skipped, with the reason."""
    for problem in result.problems:
        print(f"skipped {problem.source}: {problem.reason}", file=sys.stderr)


def print_update(stats) -> None:
    """What `index --update` did: a line per file added, changed and removed, then the totals.
    `stats` is one index's `indexer.update.UpdateStats` (its new commit and segments) or a
    sharded index's `indexer.cluster_update.ClusterUpdate` (the shards given a new commit)."""
    for label in ("added", "changed", "removed"):
        for source in getattr(stats, label):
            print(f"{label} {source}")
    sharded = hasattr(stats, "touched")
    kept = f"{stats.shards} shards" if sharded else f"{stats.segments} segments"
    if not (stats.published if sharded else stats.commit):
        print(f"no change: {kept}, index left as it was")
        return
    merged = f"{stats.merged} segments merged"
    if sharded:
        where = f"{len(stats.touched)} of {kept} given a new commit; {merged};"
    else:
        where = f"{merged}; {kept} in {stats.commit}"
    print(
        f"updated: {len(stats.added)} files added, {len(stats.changed)} changed, "
        f"{len(stats.removed)} removed; {stats.reports_added} reports written "
        f"({stats.paragraphs_written} paragraphs), {stats.reports_removed} marked deleted; "
        f"{where} in {stats.seconds:.1f} s"
    )


def print_ingest_json(result) -> None:
    """One JSON object per report (its record, the place as one `place` object, as in every
    answer), paragraphs included, then one per skipped file."""
    from search_app.answers import fields_of
    from search_app.export_answers import IngestedReport, IngestParagraph, Skipped
    from search_app.serialize import json_line

    for report in result.reports:
        paragraphs = [
            IngestParagraph(paragraph=p.n, section=p.section, text=p.text)
            for p in report.paragraphs
        ]
        record = {**fields_of(report, IngestedReport), "paragraphs": paragraphs}
        print(json_line(IngestedReport(**record)))
    for problem in result.problems:  # one object per skipped file, after the reports
        print(json_line(Skipped(skipped=problem.source, reason=problem.reason)))


def print_ingest_summary(result) -> None:
    """A line per report, the totals, the readers used and why any field was left empty."""
    for report in result.reports:
        print(
            f"{report.id}\t{report.district or '?'}\t{report.year or '?'}\t"
            f"{report.type or '?'}\t{report.title or '?'}\t{len(report.paragraphs)}"
        )
    paragraphs = sum(len(r.paragraphs) for r in result.reports)
    empty = Counter(name for r in result.reports for name in r.missing)
    tally = ", ".join(f"{name} {n}" for name, n in empty.most_common()) or "none"
    print(
        f"files read: {result.files_read}, reports: {len(result.reports)}, "
        f"paragraphs: {paragraphs}, files skipped: {len(result.problems)}, "
        f"fields left empty: {tally}"
    )
    print(f"files by format: {by_format(result)}")
    for source, reader in sorted(result.readers.items()):
        print(f"read {source} with {reader}")
    why = Counter(item for r in result.reports for item in r.why_empty.items())
    for (name, reason), n in sorted(why.items(), key=lambda kv: (kv[0][0], -kv[1])):
        print(f"{name} left empty ({n}): {reason}")
    for problem in result.problems:
        print(f"skipped {problem.source}: {problem.reason}")
    for report in result.reports:
        if report.missing:
            reasons = report.why_empty
            fields = [f"{f} ({reasons[f]})" if f in reasons else f for f in report.missing]
            print(f"{report.id} ({report.source}): left empty: {', '.join(fields)}")


def print_results(results, color: bool) -> None:
    """The counts, then each hit's place and an excerpt with its matches marked (in red on a
    terminal, in 【】 elsewhere)."""
    from search_app.highlight import excerpt_bounds

    print(
        f"{results.query.q}: {results.total} 段 · {results.reports} 份报告 · "
        f"{results.occurrences} 处"
    )
    on, off = ("\033[1;31m", "\033[0m") if color else ("【", "】")
    for hit in results.hits:
        spans = hit.matches
        start, end = excerpt_bounds(hit.text, spans)
        out, pos = [], start
        for s, e in spans:
            if e <= start or s >= end:
                continue
            out += [hit.text[pos:s], on, hit.text[s:e], off]
            pos = e
        out.append(hit.text[pos:end])
        print(f"\n{hit.title} · {hit.district} · {hit.year or '?'} · 第{hit.paragraph}段")
        print("  " + ("…" if start else "") + "".join(out) + ("…" if end < len(hit.text) else ""))
