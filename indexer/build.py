"""Build an index from ingested reports: Whoosh for words, ranking and stored fields; a suffix
array over the folded text for exact substring matching of any length."""

from __future__ import annotations

import errno
import json
import logging
import multiprocessing
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from tqdm import tqdm
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from indexer import segments, store
from indexer.fold import fold, fold_signature
from indexer.models import LEVELS, PARAGRAPH_FIELDS, REPORT_TYPES, TOPIC_IDS, Paragraph, Report
from indexer.postings import WordPostings
from indexer.schema import make_schema
from indexer.segments import date_key
from indexer.segments import vocab as _vocab

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildStats:
    reports: int
    paragraphs: int
    chars: int
    seconds: float
    bytes_on_disk: int
    path: Path


def _date_key(report: Report) -> str:
    """Sort key for newest/oldest: the date, else the year, else last."""
    return date_key(report.meta())


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
    current = segments.read_current(index_dir)
    if current is None or not files:
        return {}
    root, known, out = Path(index_dir), current.get("files", {}), {}
    try:
        for seg in current["segments"]:
            meta = json.loads((root / seg["name"] / "meta.json").read_text(encoding="utf-8"))
            with np.load(root / seg["name"] / "columns.npz") as npz:
                added = npz["added"] if "added" in npz.files else None
            deleted = set(seg["deleted"])
            for r, rec in enumerate(meta["reports"]):
                src = rec["source"]
                if added is None or r in deleted or not rec["count"]:
                    continue
                if src in files and files[src] == known.get(src):
                    out[rec["id"]] = float(added[rec["first"]])
    except (OSError, ValueError, KeyError):  # an unreadable old index: every report is new
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

    districts = _vocab(r.district for r in reports)
    places = sorted({(r.province, r.city, r.district) for r in reports})
    p_code = {v: i for i, v in enumerate(places)}
    types = _vocab((r.type for r in reports), REPORT_TYPES)
    levels = _vocab((r.level for r in reports), LEVELS)
    d_code = {v: i for i, v in enumerate(districts)}
    t_code = {v: i for i, v in enumerate(types)}
    l_code = {v: i for i, v in enumerate(levels)}
    topic_bit = {t: 1 << i for i, t in enumerate(TOPIC_IDS)}

    col_report = np.empty(n_paragraphs, np.int32)
    col_n = np.empty(n_paragraphs, np.int32)
    col_district = np.empty(n_paragraphs, np.int16)
    col_place = np.empty(n_paragraphs, np.int32)
    col_type = np.empty(n_paragraphs, np.int8)
    col_level = np.empty(n_paragraphs, np.int8)
    col_year = np.empty(n_paragraphs, np.int16)
    col_topics = np.zeros(n_paragraphs, np.uint32)
    col_added = np.empty(n_paragraphs, np.float64)

    (tmp / "whoosh").mkdir()
    ix = whoosh_index.create_in(str(tmp / "whoosh"), make_schema())
    rows = [(report, para) for report in reports for para in report.paragraphs]
    characters = {}  # the character index is written by the parent while the workers run

    def write_characters() -> None:
        characters["start"], characters["chars"] = _write_character_index(tmp, rows)

    topics_of = _write_segments(
        ix, str(tmp / "whoosh"), rows, progress=progress, meanwhile=write_characters
    )
    col_start, col_chars = characters["start"], characters["chars"]

    report_meta = []
    pid = 0
    for r_idx, report in enumerate(reports):
        first = pid
        for para in report.paragraphs:
            col_report[pid] = r_idx
            col_n[pid] = para.n
            col_district[pid] = d_code[report.district]
            col_place[pid] = p_code[(report.province, report.city, report.district)]
            col_type[pid] = t_code[report.type]
            col_level[pid] = l_code[report.level]
            col_year[pid] = report.year or 0
            col_topics[pid] = sum(topic_bit.get(t, 0) for t in topics_of[pid])
            col_added[pid] = now if added is None else added[r_idx]
            pid += 1
        meta = report.meta()
        meta.update(
            first=first,
            count=pid - first,
            chars=int(col_chars[first:pid].sum()) if pid > first else 0,
            date_key=_date_key(report),
        )
        report_meta.append(meta)
    _check_docnums(ix, n_paragraphs)

    order = sorted(range(len(reports)), key=lambda i: (report_meta[i]["date_key"], reports[i].id))
    report_rank = np.empty(len(reports), np.int32)
    report_rank[order] = np.arange(len(reports), dtype=np.int32)
    np.savez(
        tmp / "columns.npz",
        report=col_report,
        n=col_n,
        district=col_district,
        place=col_place,
        type=col_type,
        level=col_level,
        year=col_year,
        topics=col_topics,
        chars=col_chars,
        start=col_start,
        added=col_added,
        report_rank=report_rank,
    )
    meta = {
        "format": store.FORMAT_VERSION,
        "fold": fold_signature(),
        "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "sources": list(sources),
        "vocab": {
            "district": districts,
            "place": [list(p) for p in places],  # (province, city, district) of each place code
            "type": types,
            "level": levels,
            "topic": TOPIC_IDS,
        },
        "reports": report_meta,
        "paragraphs": n_paragraphs,
        "chars": int(col_chars.sum()),
    }
    (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    size = sum(f.stat().st_size for f in tmp.rglob("*") if f.is_file())
    return BuildStats(
        reports=len(reports),
        paragraphs=n_paragraphs,
        chars=int(col_chars.sum()),
        seconds=time.perf_counter() - started,
        bytes_on_disk=size,
        path=tmp,
    )


def _save_array(path: Path, array: np.ndarray) -> None:
    """np.save, with the reason for a short write: numpy reports only the byte counts."""
    try:
        np.save(path, array)
    except OSError as exc:
        if exc.errno is None and shutil.disk_usage(path.parent).free < array.nbytes:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path)) from exc
        raise


def _clean_text(text: str) -> str:
    return text.replace("\n", " ")


def _write_character_index(tmp: Path, rows) -> tuple[np.ndarray, np.ndarray]:
    """Write `folded.bin` (the folded paragraphs, one a line) and its suffix array `sa.npy`;
    return each paragraph's start offset in `folded.bin` (and the end) and its length."""
    starts = np.empty(len(rows) + 1, np.int64)
    chars = np.empty(len(rows), np.int32)
    offset = 0
    with open(tmp / "folded.bin", "wb") as folded_out:
        for pid, (_, para) in enumerate(rows):
            text = _clean_text(para.text)
            data = fold(text).encode("utf-8") + b"\n"
            folded_out.write(data)
            starts[pid] = offset
            chars[pid] = len(text)
            offset += len(data)
    starts[len(rows)] = offset
    folded_bytes = (tmp / "folded.bin").read_bytes()
    _save_array(tmp / "sa.npy", _suffix_array(folded_bytes))
    return starts, chars


# Rows of the build in progress, shared with forked workers without pickling them.
_ROWS: list[tuple[Report, Paragraph]] = []
_DONE = None
_LABEL_BATCH = 512  # paragraphs labelled in one pass of the topic model


def _write_segments(
    ix, path: str, rows, *, progress: bool, meanwhile: Callable[[], None] | None = None
) -> list[tuple[str, ...]]:
    """Index `rows` as one Whoosh segment per worker process, each over a contiguous slice,
    and commit the segments in order, so Whoosh docnums equal paragraph ids. Returns the
    topics of every paragraph (labelled in the workers too). `meanwhile` runs in a thread of
    this process while the workers write (started after they fork: no thread is forked)."""
    global _ROWS, _DONE
    workers = max(1, min(os.cpu_count() or 1, 2, len(rows) // 200 or 1))
    bounds = _balanced_bounds([len(p.text) for _, p in rows], workers)
    _warm_shared_tables()
    ctx = multiprocessing.get_context("fork")
    _ROWS, _DONE = rows, ctx.Value("q", 0, lock=False)
    bar = tqdm(
        total=len(rows), unit="para", file=sys.stderr, disable=None if progress else True, delay=1
    )
    try:
        with (
            ProcessPoolExecutor(
                workers, mp_context=ctx, initializer=_die_with_parent, initargs=(os.getpid(),)
            ) as pool,
            ThreadPoolExecutor(1) as side,
        ):
            futures = [pool.submit(_segment_worker, path, a, b) for a, b in bounds]
            beside = side.submit(meanwhile) if meanwhile else None  # the workers have forked
            while not all(f.done() for f in futures):
                time.sleep(0.2)
                bar.update(_DONE.value - bar.n)
            results = [f.result() for f in futures]
            bar.update(len(rows) - bar.n)
            if beside is not None:
                beside.result()
    finally:
        _ROWS, _DONE = [], None
        bar.close()
    writer = SegmentWriter(ix)
    writer._close_segment()
    writer._commit_toc([segment for segment, _ in results if segment is not None])
    writer._finish()
    return [topics for _, chunk in results for topics in chunk]


def _warm_shared_tables() -> None:
    """Load what every worker needs (the fold table, the segmenter, the topic taxonomy) once,
    here, so the forked workers share it instead of each loading its own."""
    from indexer.analysis import segmenter
    from indexer.fold import fold_table
    from indexer.topic_model import load_model
    from indexer.topics import load_taxonomy

    fold_table()
    segmenter()
    load_taxonomy()
    load_model()


def _die_with_parent(parent: int) -> None:
    """In a worker: exit when the build process dies (even by SIGKILL), never linger."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass

    def watch() -> None:  # elsewhere, and for a parent that died before prctl took effect
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _balanced_bounds(lengths: list[int], parts: int) -> list[tuple[int, int]]:
    """Cut 0..len(lengths) into `parts` contiguous slices of about equal text length."""
    total = sum(lengths) or 1
    bounds, start, acc, k = [], 0, 0, 1
    for i, n in enumerate(lengths):
        acc += n
        if k < parts and acc >= total * k / parts:
            bounds.append((start, i + 1))
            start, k = i + 1, k + 1
    bounds.append((start, len(lengths)))
    return [(a, b) for a, b in bounds if b > a] or [(0, 0)]


def _segment_worker(path: str, first: int, end: int):
    """In a worker: write paragraphs first..end-1 as one segment; return it and their topics."""
    from indexer.analysis import word_set
    from indexer.topic_model import load_model

    topics_out = []
    if first == end:
        return None, topics_out
    ix = whoosh_index.open_dir(path)
    # Not compound: Whoosh copies each file of a compound segment into memory for every
    # searcher it opens (one per serving thread); separate files are read on demand.
    writer = SegmentWriter(ix, _lk=False, compound=False)
    postings = WordPostings()
    model = load_model()
    labelled: list = []
    for pid in range(first, end):
        report, para = _ROWS[pid]
        text = _clean_text(para.text)
        if pid - first == len(labelled):  # label the next batch at once (array arithmetic)
            batch = [_ROWS[i][1] for i in range(pid, min(end, pid + _LABEL_BATCH))]
            labelled += model.label(
                [_clean_text(p.text) for p in batch], [p.section for p in batch]
            )
        topics, scores = labelled[pid - first]
        if para.topics:
            topics, scores = para.topics, para.topic_scores
        topics_out.append(topics)
        record = {name: getattr(para, name) for name in PARAGRAPH_FIELDS}
        record.update(text=text, topics=tuple(topics), topic_scores=tuple(scores))
        writer.add_document(pid=pid, **record)  # stored fields; the words go in below
        postings.add(pid - first, word_set(fold(text)))  # segment-local document number
        _DONE.value += 1  # unlocked: a progress count, not a result
    postings.write(writer.fieldwriter, "words", ix.schema["words"])
    return writer._finalize_segment(), topics_out


def _suffix_array(data: bytes) -> np.ndarray:
    """The sorted suffixes of `data` that start a character (UTF-8 lead bytes only).

    A pattern always starts at a character, so suffixes starting inside one are never
    matched; dropping them keeps the array sorted and cuts it to about a third for Chinese."""
    if not data:
        return np.empty(0, np.int32)
    from pydivsufsort import divsufsort

    sa = divsufsort(data)
    lead = (np.frombuffer(data, np.uint8) & 0xC0) != 0x80
    return sa[lead[sa]]


def _check_docnums(ix, expected: int) -> None:
    """The engine addresses paragraphs by Whoosh docnum: it must equal the paragraph id."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        if reader.doc_count_all() != expected:
            raise RuntimeError(f"index holds {reader.doc_count_all()} documents, not {expected}")
        for docnum in {0, expected // 2, expected - 1} if expected else ():
            if reader.stored_fields(docnum)["pid"] != docnum:
                raise RuntimeError("Whoosh document numbers do not follow paragraph order")
