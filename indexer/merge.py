"""Merging segments: the live reports of some segments written again as one segment, their
deletion marks dropped, each paragraph keeping when it was added. A merge is a commit."""

from __future__ import annotations

from pathlib import Path

from whoosh import index as whoosh_index

from indexer import format as fmt
from indexer import segments, store
from indexer.models import PARAGRAPH_FIELDS, REPORT_FIELDS, Paragraph, Report


def merge(
    root: Path, segs: list[dict], order: list[list[int]], chosen: list[int]
) -> tuple[list[dict], list[list[int]]]:
    """`segs` and `order` with the segments `chosen` replaced by one holding their live
    reports (in `order`'s order); segments with no live report are simply dropped."""
    from indexer.build import write_segment  # the build pulls in the workers: only when merging

    chosen_set = set(chosen)
    picked = [(s, r) for s, r in order if s in chosen_set]
    reports, added = _read_reports(root, segs, picked)
    kept = [i for i in range(len(segs)) if i not in chosen_set]
    remap = {old: new for new, old in enumerate(kept)}
    out_segs = [segs[i] for i in kept]
    position = {tuple(sr): k for k, sr in enumerate(picked)}
    if reports:
        tmp = store.new_build_dir(root)
        stats = write_segment(reports, tmp, added=added)
        out_segs.append(segments.entry(segments.publish_segment(tmp).name, stats))
    merged = len(kept)
    out_order = [[merged, position[(s, r)]] if s in chosen_set else [remap[s], r] for s, r in order]
    return out_segs, out_order


def _read_reports(root: Path, segs: list[dict], picked) -> tuple[list[Report], list[int]]:
    """The reports (s, r) as written, with their paragraphs' stored fields and `added`."""
    reports, added = [], []
    opened: dict[int, tuple] = {}
    try:
        for s, r in picked:
            if s not in opened:
                path = root / segs[s]["name"]
                meta = fmt.read_meta(path)
                when = fmt.read_columns(path, ["added"]).get("added")
                ix = whoosh_index.open_dir(str(fmt.whoosh_dir(path)))
                opened[s] = (meta, when, ix, ix.searcher())
            meta, when, _, searcher = opened[s]
            rec = meta["reports"][r]
            first, count = rec["first"], rec["count"]
            paragraphs = []
            for pid in range(first, first + count):
                stored = searcher.stored_fields(pid)
                fields = {name: stored[name] for name in PARAGRAPH_FIELDS if name in stored}
                fields["topics"] = tuple(fields["topics"])
                paragraphs.append(Paragraph(**fields))
            reports.append(
                Report(**{name: rec[name] for name in REPORT_FIELDS}, paragraphs=tuple(paragraphs))
            )
            added.append(float(when[first]) if when is not None and count else 0)
    finally:
        for _, _, ix, searcher in opened.values():
            searcher.close()
            ix.close()
    return reports, added


def optimize(index_dir: str | Path) -> tuple[int, int]:
    """Merge every segment of the current commit into one (dropping deleted paragraphs) and
    commit it; (segments before, after). Nothing is written when there is one clean segment."""
    root = Path(index_dir)
    with segments.locked(root):
        current = fmt.read_current(root)
        if current is None:
            raise FileNotFoundError(f"no index at {index_dir}")
        segs = current["segments"]
        if len(segs) == 1 and not segs[0]["deleted"]:
            return 1, 1
        out_segs, order = merge(root, segs, current["order"], list(range(len(segs))))
        segments.commit(root, out_segs, order, current["files"], current.get("sources", ()))
    return len(segs), len(out_segs)
