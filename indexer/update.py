"""`baogao index --update`: compare the folders with the current commit by content hash and
commit only the difference: a new segment with the reports of new and changed files, and
deletion marks on the reports of changed and removed files. Unchanged reports keep their
ids, paragraph numbers and segments; the commit lists the live reports in the order a full
rebuild of the same folders would give them."""

from __future__ import annotations

import errno
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from indexer import format as fmt
from indexer import segments, store
from indexer.ingest import ingest_file, scan
from indexer.merge import merge
from indexer.models import IngestResult, Report


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


@dataclass
class Change:
    """What differs between the folders and an index: the files as scanned (in a full
    rebuild's order), the sources added, changed and removed, and the reports of the new and
    changed files (a changed file that now gives no report maps to none)."""

    files: list[tuple[str, str]]  # (source, content hash), in scan order
    added: list[str]
    changed: list[str]
    removed: list[str]
    fresh: dict[str, list[Report]]

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    @property
    def gone(self) -> set[str]:
        """Sources whose indexed reports are deleted: the removed and the changed."""
        return set(self.removed) | set(self.changed)


def check_paths(paths: Sequence[str | Path]) -> None:
    """A mistyped or unmounted path must not read as "every file removed"."""
    for given in paths:
        if not Path(given).exists():
            raise FileNotFoundError(errno.ENOENT, "no such file or folder", str(given))


def compare(
    paths: Sequence[str | Path], known: dict[str, str], live: Iterable[str], result: IngestResult
) -> Change:
    """Scan `paths`, compare each file's hash with `known` (source → hash of the indexed
    files; `live` the sources holding live reports), and ingest the new and changed files."""
    files = scan(paths, result)
    for problem in result.problems:
        if problem.reason.startswith("cannot list folder"):
            raise PermissionError(errno.EACCES, problem.reason, problem.source)
    live = list(live)
    held = set(live)
    found: list[tuple[str, str]] = []  # (source, digest) of every file, in scan order
    fresh: dict[str, list[Report]] = {}
    for f in files:  # each file read once: hashed, and parsed when new or changed
        found.append((f.source, f.digest))
        if f.source not in held or known.get(f.source) != f.digest:
            fresh[f.source] = ingest_file(f, result)
    wanted = dict(found)
    removed = [src for src in live if src not in wanted]
    changed = [src for src in live if src in wanted and known.get(src) != wanted[src]]
    added = [src for src, _ in found if src not in held]
    # A new file that gives no report (the reason is in `result.problems`) adds nothing.
    added = [src for src in added if fresh[src]]
    for src in [src for src in fresh if src not in changed and not fresh[src]]:
        del fresh[src]
    return Change(found, added, changed, removed, fresh)


def refuse_emptying(change: Change, live: Iterable[str], held: int, paths, result) -> None:
    """NothingLeft when the update would remove every report of the index."""
    gone = change.gone
    live = list(live)
    if live and not any(change.fresh.values()) and all(src in gone for src in live):
        raise NothingLeft(
            f"no reports found in {', '.join(str(p) for p in paths)}: the update would "
            f"remove all {held} reports of the index; the index is left as it was",
            result,
        )


def live_sources(root: Path, commit: dict) -> dict[str, list[list[int]]]:
    """Source → the [segment, report] of its live reports in `commit`, in the commit's order."""
    metas = [_meta(root / s["name"]) for s in commit["segments"]]
    live: dict[str, list[list[int]]] = {}
    for s, r in commit["order"]:
        live.setdefault(metas[s]["reports"][r]["source"], []).append([s, r])
    return live


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
    started = time.perf_counter()
    root = Path(index_dir)
    stats, result = UpdateStats(), IngestResult()
    check_paths(paths)
    with segments.locked(root):
        current = fmt.read_current(root) or {"segments": [], "order": [], "files": {}}
        live = live_sources(root, current)
        change = compare(paths, current["files"], live, result)
        stats.added, stats.changed, stats.removed = change.added, change.changed, change.removed
        refuse_emptying(change, live, len(current["order"]), paths, result)
        if not change:
            stats.segments, stats.seconds = len(current["segments"]), time.perf_counter() - started
            return stats, result
        apply_change(
            root,
            current,
            change.files,
            change.fresh,
            change.gone,
            stats,
            now=store.added_now(),
            sources=[str(p) for p in paths],
            progress=progress,
            merge_budget=merge_budget,
        )
    stats.seconds = time.perf_counter() - started
    return stats, result


def apply_change(
    root: Path,
    base: dict,
    files: Sequence[tuple[str, str]],
    fresh: dict[str, list[Report]],
    gone: set[str],
    stats: UpdateStats,
    *,
    now: float,
    sources: Sequence[str],
    progress: bool = False,
    merge_budget: int | None = segments.CHEAP_MERGE,
    keep: int = 2,
) -> None:
    """Commit the change to the index at `root` on top of its commit `base`: deletion marks
    on the live reports of the `gone` sources, one new segment with the `fresh` reports (each
    added at `now`), the live reports in the order of `files`, a merge when the tiered policy
    asks for one. Nothing is committed (`stats.commit` stays None) when the change leaves the
    index as it was. The caller holds the index's lock."""
    from indexer.build import write_segment  # the build pulls in the workers

    segs = [dict(s, deleted=set(s["deleted"])) for s in base["segments"]]
    metas = [_meta(root / s["name"]) for s in segs]
    live = live_sources(root, base)
    for src in gone:
        for s, r in live.get(src, ()):
            segs[s]["deleted"].add(r)
            segs[s]["live_paragraphs"] -= metas[s]["reports"][r]["count"]
            stats.reports_removed += 1
    new_reports, new_of = [], {}
    for src, _ in files:
        if src in fresh:
            new_of[src] = list(range(len(new_reports), len(new_reports) + len(fresh[src])))
            new_reports.extend(fresh[src])
    segs = [dict(s, deleted=sorted(s["deleted"])) for s in segs]
    if new_reports:
        tmp = store.new_build_dir(root)
        written = write_segment(new_reports, tmp, progress=progress, added=[now] * len(new_reports))
        segs.append(segments.entry(segments.publish_segment(tmp).name, written))
        stats.reports_added, stats.paragraphs_written = written.reports, written.paragraphs
    order, digests = [], {}
    for src, digest in files:
        held = [[len(segs) - 1, i] for i in new_of[src]] if src in fresh else live.get(src, [])
        order += held
        if held:
            digests[src] = digest
    if not (stats.reports_removed or new_reports) and order == base["order"]:
        stats.segments = len(segs)
        return
    if merge_budget is not None:
        chosen = segments.plan_merge([s["live_paragraphs"] for s in segs], merge_budget)
        if chosen:
            segs, order = merge(root, segs, order, chosen)
            stats.merged = len(chosen)
    stats.commit = segments.commit(root, segs, order, digests, sources, keep=keep)
    stats.segments = len(segs)


def _meta(path: Path) -> dict:
    return fmt.read_meta(path)
