"""`baogao index --update`: compare the folders with the current commit by content hash and
commit only the difference: a new segment with the reports of new and changed files, and
deletion marks on the reports of changed and removed files. Unchanged reports keep their
ids, paragraph numbers and segments; the commit lists the live reports in the order a full
rebuild of the same folders would give them."""

from __future__ import annotations

import errno
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from indexer import format as fmt
from indexer import segments, store
from indexer.ingest import ingest_file, scan
from indexer.merge import merge
from indexer.models import IngestResult


class NothingLeft(ValueError):
    """An update that would leave the index with no report: refused, nothing written (an
    emptied or wrong folder must not wipe an index; a full `baogao index` says the same)."""

    def __init__(self, message: str, result: IngestResult):
        super().__init__(message)
        self.result = result  # what was read, with the reason each file was skipped


@dataclass
class UpdateStats:
    added: list[str] = field(default_factory=list)  # sources of new files
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    reports_added: int = 0
    reports_removed: int = 0
    paragraphs_written: int = 0
    segments: int = 0  # in the commit made (or the current one when nothing changed)
    merged: int = 0  # segments merged away
    commit: str | None = None  # None: nothing changed, nothing committed
    seconds: float = 0.0


def update_index(
    paths: Sequence[str | Path],
    index_dir: str | Path,
    *,
    progress: bool = False,
    merge_budget: int | None = segments.CHEAP_MERGE,
) -> tuple[UpdateStats, IngestResult]:
    """Bring the index at `index_dir` in line with the files under `paths`; merge segments
    when the tiered policy asks for a merge of at most `merge_budget` paragraphs (None: no
    merging)."""
    from indexer.build import write_segment  # the build pulls in the workers

    started = time.perf_counter()
    root = Path(index_dir)
    stats, result = UpdateStats(), IngestResult()
    for given in paths:  # a mistyped or unmounted path must not read as "every file removed"
        if not Path(given).exists():
            raise FileNotFoundError(errno.ENOENT, "no such file or folder", str(given))
    with segments.locked(root):
        current = fmt.read_current(root) or {"segments": [], "order": [], "files": {}}
        files = scan(paths, result)
        for problem in result.problems:
            if problem.reason.startswith("cannot list folder"):
                raise PermissionError(errno.EACCES, problem.reason, problem.source)
        segs = [dict(s, deleted=set(s["deleted"])) for s in current["segments"]]
        metas = [fmt.read_meta(root / s["name"]) for s in segs]
        live: dict[str, list[list[int]]] = {}
        for s, r in current["order"]:
            live.setdefault(metas[s]["reports"][r]["source"], []).append([s, r])
        known = current["files"]
        found: list[tuple[str, str]] = []  # (source, digest) of every file, in order
        new_reports, new_of = [], {}
        for f in files:  # each file read once: hashed, and parsed when new or changed
            found.append((f.source, f.digest))
            if f.source not in live or known.get(f.source) != f.digest:
                reports = ingest_file(f, result)
                new_of[f.source] = list(range(len(new_reports), len(new_reports) + len(reports)))
                new_reports.extend(reports)
        wanted = dict(found)
        stats.removed = [src for src in live if src not in wanted]
        stats.changed = [src for src in live if src in wanted and known.get(src) != wanted[src]]
        stats.added = [src for src, _ in found if src not in live]
        fresh = set(stats.changed) | set(stats.added)
        # A new file that gives no report (the reason is in `result.problems`) adds nothing.
        stats.added = [src for src in stats.added if new_of[src]]
        gone = set(stats.removed) | set(stats.changed)
        if live and not new_reports and all(src in gone for src in live):
            held = len(current["order"])
            raise NothingLeft(
                f"no reports found in {', '.join(str(p) for p in paths)}: the update would "
                f"remove all {held} reports of the index; the index is left as it was",
                result,
            )
        for src in (*stats.removed, *stats.changed):
            for s, r in live[src]:
                segs[s]["deleted"].add(r)
                segs[s]["live_paragraphs"] -= metas[s]["reports"][r]["count"]
                stats.reports_removed += 1
        if not (stats.added or stats.changed or stats.removed):
            stats.segments, stats.seconds = len(segs), time.perf_counter() - started
            return stats, result
        segs = [dict(s, deleted=sorted(s["deleted"])) for s in segs]
        if new_reports:
            tmp = store.new_build_dir(root)
            now = store.added_now()
            written = write_segment(
                new_reports, tmp, progress=progress, added=[now] * len(new_reports)
            )
            segs.append(segments.entry(segments.publish_segment(tmp).name, written))
            stats.reports_added, stats.paragraphs_written = written.reports, written.paragraphs
        order, digests = [], {}
        for source, digest in found:
            if source in fresh:
                held = [[len(segs) - 1, i] for i in new_of[source]]
            else:
                held = live.get(source, [])
            order += held
            if held:
                digests[source] = digest
        if merge_budget is not None:
            chosen = segments.plan_merge([s["live_paragraphs"] for s in segs], merge_budget)
            if chosen:
                segs, order = merge(root, segs, order, chosen)
                stats.merged = len(chosen)
        stats.commit = segments.commit(root, segs, order, digests, [str(p) for p in paths])
        stats.segments = len(segs)
    stats.seconds = time.perf_counter() - started
    return stats, result
