"""Build an index from ingested reports: one segment holding Whoosh for words, ranking and
stored fields (`indexer/workers.py`), a suffix array over the folded text for exact matching
of any length (`indexer/characters.py`), and the columns and report records of
`indexer/format/`."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from indexer import format as fmt
from indexer import segments, store
from indexer.characters import fold_paragraphs, write_character_index
from indexer.fold import fold_signature
from indexer.models import TOPIC_IDS, Report
from indexer.schema import make_schema
from indexer.workers import write_word_index

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildStats:
    reports: int
    paragraphs: int
    chars: int
    seconds: float
    bytes_on_disk: int
    path: Path


def build_index(
    reports: Sequence[Report],
    index_dir: str | Path,
    *,
    progress: bool = False,
    sources: Sequence[str] = (),
    files: dict[str, str] | None = None,
) -> BuildStats:
    """Index `reports` as the one segment of a new commit under `index_dir` (a full rebuild);
    `files` (source → content hash) lets a later `--update` see which files changed."""
    with segments.locked(index_dir):
        tmp = store.new_build_dir(index_dir)
        known = _added_before(index_dir, files or {})
        now = store.added_now()
        added = [known.get(r.id, now) for r in reports]
        stats = write_segment(reports, tmp, progress=progress, sources=sources, added=added)
        seg = segments.publish_segment(tmp)
        order = [[0, i] for i in range(len(reports))]
        segments.commit(index_dir, [segments.entry(seg.name, stats)], order, files or {}, sources)
    return replace(stats, path=seg)


def _added_before(index_dir: str | Path, files: dict[str, str]) -> dict[str, float]:
    """When each report of a file unchanged since the current commit was added (report id →
    UTC seconds): a rebuild keeps those times, so a feed shows only what is new."""
    root, out = Path(index_dir), {}
    try:
        current = fmt.read_current(index_dir)
        if current is None or not files:
            return {}
        known = current.get("files", {})
        for seg in current["segments"]:
            meta = fmt.read_meta(root / seg["name"])
            added = fmt.read_columns(root / seg["name"], ["added"]).get("added")
            deleted = set(seg["deleted"])
            for r, rec in enumerate(meta["reports"]):
                src = rec["source"]
                if added is None or r in deleted or not rec["count"]:
                    continue
                if src in files and files[src] == known.get(src):
                    out[rec["id"]] = float(added[rec["first"]])
    except (OSError, ValueError, KeyError):  # an unreadable or old index: every report is new
        return {}
    return out


def write_segment(
    reports: Sequence[Report],
    tmp: Path,
    *,
    progress: bool = False,
    sources: Sequence[str] = (),
    added: Sequence[float] | None = None,
) -> BuildStats:
    """Write `reports` as one segment into the empty folder `tmp`; `added` is each report's
    time of addition (UTC seconds; now when not given)."""
    started = time.perf_counter()
    now = store.added_now()
    n_paragraphs = sum(len(r.paragraphs) for r in reports)
    records = [r.meta() for r in reports]
    vocabs = fmt.vocabularies(records)
    code = fmt.codes(vocabs)
    topic_bit = {t: 1 << i for i, t in enumerate(TOPIC_IDS)}
    per_paragraph = ("report", "n", *fmt.CODED, "year", "topics", "added")
    col = {name: np.zeros(n_paragraphs, fmt.COLUMNS[name]) for name in per_paragraph}

    whoosh_dir = fmt.whoosh_dir(tmp)
    whoosh_dir.mkdir()
    ix = whoosh_index.create_in(str(whoosh_dir), make_schema())
    rows = [(report, para) for report in reports for para in report.paragraphs]
    texts = fold_paragraphs(rows)  # once, before the workers fork: they share it
    topics_of, word_ids = write_word_index(
        ix,
        str(whoosh_dir),
        rows,
        texts,
        progress=progress,
        meanwhile=lambda: write_character_index(tmp, texts),  # by the parent meanwhile
    )
    fmt.write_tokens(tmp, *word_ids)
    col["start"], col["chars"] = texts.start, texts.chars

    pid = 0
    for r_idx, (report, rec) in enumerate(zip(reports, records, strict=True)):
        first = pid
        place = (report.province, report.city, report.district)
        for para in report.paragraphs:
            col["report"][pid] = r_idx
            col["n"][pid] = para.n
            col["district"][pid] = code["district"][report.district]
            col["place"][pid] = code["place"][place]
            col["type"][pid] = code["type"][report.type]
            col["level"][pid] = code["level"][report.level]
            col["year"][pid] = report.year or 0
            col["topics"][pid] = sum(topic_bit.get(t, 0) for t in topics_of[pid])
            col["added"][pid] = now if added is None else added[r_idx]
            pid += 1
        rec.update(
            first=first,
            count=pid - first,
            chars=int(col["chars"][first:pid].sum()) if pid > first else 0,
        )
        rec["date_key"] = fmt.date_key(rec)
    _check_docnums(ix, n_paragraphs)

    order = sorted(range(len(reports)), key=lambda i: (records[i]["date_key"], reports[i].id))
    report_rank = np.empty(len(reports), fmt.COLUMNS["report_rank"])
    report_rank[order] = np.arange(len(reports), dtype=report_rank.dtype)
    col["report_rank"] = report_rank
    fmt.write_columns(tmp, col)
    chars = int(col["chars"].sum())
    fmt.write_meta(
        tmp,
        {
            "fold": fold_signature(),
            "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "sources": list(sources),
            "vocab": vocabs,
            "reports": records,
            "paragraphs": n_paragraphs,
            "chars": chars,
        },
    )
    size = sum(f.stat().st_size for f in tmp.rglob("*") if f.is_file())
    return BuildStats(
        reports=len(reports),
        paragraphs=n_paragraphs,
        chars=chars,
        seconds=time.perf_counter() - started,
        bytes_on_disk=size,
        path=tmp,
    )


def _check_docnums(ix, expected: int) -> None:
    """The engine addresses paragraphs by Whoosh docnum: it must equal the paragraph id."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        if reader.doc_count_all() != expected:
            raise RuntimeError(f"index holds {reader.doc_count_all()} documents, not {expected}")
        for docnum in {0, expected // 2, expected - 1} if expected else ():
            if reader.stored_fields(docnum)["pid"] != docnum:
                raise RuntimeError("Whoosh document numbers do not follow paragraph order")
