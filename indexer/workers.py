"""The word index of a segment, written by worker processes: each writes one Whoosh segment
over a contiguous slice of the paragraphs (their stored records, their jieba words, their
topics), and the parent commits the segments in order, so Whoosh document numbers equal
paragraph ids. The workers take each paragraph's text and folded text as the parent made them
(`indexer.characters.fold_paragraphs`): nothing is cleaned or folded twice."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from tqdm import tqdm
from whoosh import index as whoosh_index

from indexer import tokens, whoosh_adapter
from indexer.characters import FoldedParagraphs
from indexer.models import PARAGRAPH_FIELDS, Paragraph, Report
from indexer.postings import WordPostings

# Rows of the build in progress and their texts, shared with forked workers without pickling.
_ROWS: list[tuple[Report, Paragraph]] = []
_TEXTS: FoldedParagraphs | None = None
_DONE = None
_LABEL_BATCH = 512  # paragraphs labelled in one pass of the topic model


def write_word_index(
    ix,
    path: str,
    rows,
    texts: FoldedParagraphs,
    *,
    progress: bool,
    meanwhile: Callable[[], None] | None = None,
) -> tuple[list[tuple[str, ...]], tuple]:
    """Index `rows` (their `texts`) as one Whoosh segment per worker process, each over a
    contiguous slice, and commit the segments in order, so Whoosh docnums equal paragraph
    ids. Returns the topics of every paragraph (labelled in the workers too) and the word ids
    of every paragraph (`indexer.tokens`: ids, lengths, words), from the cut the word index
    is made of. `meanwhile` runs in a thread of this process while the workers write
    (started after they fork: no thread is forked)."""
    global _ROWS, _TEXTS, _DONE
    workers = max(1, min(os.cpu_count() or 1, 2, len(rows) // 200 or 1))
    bounds = balanced_bounds(texts.chars.tolist(), workers)
    _warm_shared_tables()
    ctx = multiprocessing.get_context("fork")
    _ROWS, _TEXTS, _DONE = rows, texts, ctx.Value("q", 0, lock=False)
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
        _ROWS, _TEXTS, _DONE = [], None, None
        bar.close()
    whoosh_adapter.commit_segments(ix, [seg for seg, _, _ in results if seg is not None])
    topics = [t for _, chunk, _ in results for t in chunk]
    return topics, tokens.concatenate([words for _, _, words in results])


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


def balanced_bounds(lengths: list[int], parts: int) -> list[tuple[int, int]]:
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
    """In a worker: write paragraphs first..end-1 as one segment; return it, their topics and
    their word ids."""
    from indexer.analysis import cut, words_among
    from indexer.topic_model import load_model

    topics_out = []
    word_ids = tokens.TokenWriter()
    if first == end:
        return None, topics_out, word_ids.arrays()
    ix = whoosh_index.open_dir(path)
    writer = whoosh_adapter.segment_writer(ix)
    postings = WordPostings()
    model = load_model()
    for a in range(first, end, _LABEL_BATCH):  # label a batch at once (array arithmetic)
        b = min(end, a + _LABEL_BATCH)
        folded = [_TEXTS.folded_text(pid) for pid in range(a, b)]
        labels = model.label_folded(folded, [_ROWS[pid][1].section for pid in range(a, b)])
        for pid, folded_text, (topics, scores) in zip(range(a, b), folded, labels, strict=True):
            para = _ROWS[pid][1]
            if para.topics:
                topics, scores = para.topics, para.topic_scores
            topics_out.append(topics)
            record = {name: getattr(para, name) for name in PARAGRAPH_FIELDS}
            record.update(text=_TEXTS.texts[pid], topics=tuple(topics), topic_scores=tuple(scores))
            writer.add_document(pid=pid, **record)  # stored fields; the words go in below
            cut_tokens = cut(folded_text)  # cut once: the word index's words and the word ids
            postings.add(pid - first, words_among(cut_tokens))  # segment-local document number
            word_ids.add(cut_tokens)
            _DONE.value += 1  # unlocked: a progress count, not a result
    postings.write(writer.fieldwriter, "words", ix.schema["words"])
    return whoosh_adapter.finish_segment(writer), topics_out, word_ids.arrays()
