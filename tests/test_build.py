"""Building an index: stable identifiers, atomic generations, docnums in paragraph order."""

from __future__ import annotations

from pathlib import Path

from indexer import format as fmt
from indexer.build import build_index
from indexer.format import read_current
from indexer.ingest import ingest
from indexer.workers import balanced_bounds
from search.engine import Engine
from search.results import SearchQuery


def current_segment(index_dir: Path) -> Path:
    """The folder of the one segment the current commit names."""
    (segment,) = read_current(index_dir)["segments"]
    return index_dir / segment["name"]


def paragraph_keys(index_dir: Path) -> list[tuple[str, int, str]]:
    engine = Engine.open(index_dir)
    return [
        (r["id"], p.n, p.text)
        for r in engine.reports()
        for p in engine.get_report(r["id"]).paragraphs
    ]


def test_reindexing_an_unchanged_corpus_keeps_ids_and_paragraph_numbers(bundled_corpus, tmp_path):
    reports = ingest([bundled_corpus]).reports
    build_index(reports, tmp_path / "a")
    build_index(ingest([bundled_corpus]).reports, tmp_path / "b")
    first, second = paragraph_keys(tmp_path / "a"), paragraph_keys(tmp_path / "b")
    assert first == second
    assert len(first) == sum(len(r.paragraphs) for r in reports)


def test_a_rebuild_swaps_in_a_new_commit_and_keeps_the_previous_one(bundled_corpus, tmp_path):
    reports = ingest([bundled_corpus]).reports
    build_index(reports[:3], tmp_path)
    old = current_segment(tmp_path)
    old_engine = Engine.open(tmp_path)
    build_index(reports, tmp_path)
    new = current_segment(tmp_path)
    assert new != old and old.exists()  # a server still reading the old one is not cut off
    assert Engine.open(tmp_path).n == sum(len(r.paragraphs) for r in reports)
    assert old_engine.search(SearchQuery(q="改革")).total > 0


def test_whoosh_docnums_follow_paragraph_order(bundled_corpus, tmp_path):
    reports = ingest([bundled_corpus]).reports
    build_index(reports, tmp_path)
    engine = Engine.open(tmp_path)
    expected = [(r.id, p.n, p.text) for r in reports for p in r.paragraphs]
    with engine.words.ix.searcher() as searcher:
        stored = [(f["pid"], f["n"], f["text"]) for f in searcher.all_stored_fields()]
    report_ids = [r["id"] for r in engine.report_meta]
    stored = [(report_ids[engine.columns.col["report"][pid]], n, t) for pid, n, t in stored]
    engine.close()
    assert stored == expected


def test_balanced_bounds_cover_every_row_once():
    for lengths, parts in [([5] * 10, 2), ([1, 100, 1], 2), ([3], 2), ([], 2), ([1] * 7, 3)]:
        bounds = balanced_bounds(lengths, parts)
        covered = [i for a, b in bounds for i in range(a, b)]
        assert covered == list(range(len(lengths)))
        assert len(bounds) <= max(parts, 1)


def _processes_mentioning(text: str) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        if text in cmdline:
            pids.append(int(proc.name))
    return pids


def test_a_killed_build_leaves_no_worker_behind(bundled_corpus, tmp_path):
    """Worker processes die with the build, even when it is killed with SIGKILL."""
    import signal
    import subprocess
    import sys
    import time

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for k in range(8):  # distinct copies, so none is dropped as a duplicate
        for src in sorted(bundled_corpus.rglob("*.txt")):
            text = src.read_text(encoding="utf-8") + f"\n第{k}份副本。\n"
            (corpus / f"{k}_{src.name}").write_text(text, encoding="utf-8")
    index_dir = tmp_path / "index-being-killed"
    proc = subprocess.Popen(
        [sys.executable, "-m", "baogao", "index", str(corpus), "--index", str(index_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while len(_processes_mentioning(str(index_dir))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)  # until the workers have started
    assert proc.poll() is None, "the build ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while _processes_mentioning(str(index_dir)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_mentioning(str(index_dir)) == []


def test_a_replaced_engine_is_freed_without_waiting_for_the_garbage_collector(
    bundled_corpus, tmp_path
):
    """After a rebuild the old engine goes when its last user does, closing its files."""
    import gc
    import weakref

    from search.holder import EngineHolder

    reports = ingest([bundled_corpus]).reports
    build_index(reports, tmp_path)
    holder = EngineHolder(tmp_path)
    engine = holder.get()
    engine.search(SearchQuery(q="改革 最多跑一次", mode="words"))
    gone = weakref.ref(engine)
    gc.disable()
    try:
        del engine
        build_index(reports, tmp_path)
        assert holder.get() is not None
        assert gone() is None
    finally:
        gc.enable()


def test_an_index_built_with_another_fold_is_refused_with_a_clear_message(bundled_corpus, tmp_path):
    import json

    import pytest

    from search.errors import IndexCorrupt

    build_index(ingest([bundled_corpus]).reports, tmp_path)
    meta_path = fmt.meta_path(current_segment(tmp_path))
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["fold"] = "0" * 16
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(IndexCorrupt, match="another character fold"):
        Engine.open(tmp_path)


def test_each_paragraph_and_heading_is_cleaned_and_folded_once_per_build(
    bundled_corpus, tmp_path, monkeypatch
):
    """The parent cleans and folds each paragraph once, before the workers fork; the word
    index, the topics and the character index all take that text (the workers used to clean
    and fold each paragraph again, for the topics and for the words). Each heading path is
    folded once per paragraph too. Counted by wrapping the functions themselves in every
    module that holds them, forked workers included."""
    import multiprocessing
    import sys

    import indexer.analysis
    import indexer.characters
    import indexer.fold
    import indexer.topic_model
    import indexer.topics

    reports = ingest([bundled_corpus]).reports
    indexer.topics.load_taxonomy()  # once per process; its terms (政府工作报告) are folded
    paragraphs = [p for r in reports for p in r.paragraphs]
    cleaned = [indexer.characters.clean_text(p.text) for p in paragraphs]
    headings = {p.section for p in paragraphs} - {""}
    # A text that is also a heading path (a top-level heading's own text) is left out.
    kinds = {"text": set(cleaned) - headings, "heading": headings - set(cleaned)}
    kinds["raw"] = {p.text for p in paragraphs} - headings
    calls = {kind: multiprocessing.get_context("fork").Value("q", 0) for kind in kinds}

    def counting(original, wanted: tuple[str, ...]):
        def counted(text, *args, **kwargs):
            for kind in wanted:
                if text in kinds[kind]:
                    with calls[kind].get_lock():
                        calls[kind].value += 1
            return original(text, *args, **kwargs)

        return counted

    for name, original, wanted in (
        ("fold", indexer.fold.fold, ("text", "heading")),
        ("clean_text", indexer.characters.clean_text, ("raw",)),
    ):
        wrapper = counting(original, wanted)
        for module_name, module in list(sys.modules.items()):
            if module_name.startswith("indexer") and getattr(module, name, None) is original:
                monkeypatch.setattr(module, name, wrapper)
    build_index(reports, tmp_path)
    assert calls["raw"].value == sum(p.text in kinds["raw"] for p in paragraphs)
    assert calls["text"].value == sum(t in kinds["text"] for t in cleaned) > 300
    assert calls["heading"].value == sum(p.section in kinds["heading"] for p in paragraphs) > 100
