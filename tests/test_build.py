"""Building an index: stable identifiers, atomic generations, docnums in paragraph order."""

from __future__ import annotations

from pathlib import Path

from indexer.build import _balanced_bounds, build_index
from indexer.ingest import ingest
from indexer.store import current_generation
from search_app.engine import Engine, SearchQuery


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


def test_a_rebuild_swaps_in_a_new_generation_and_keeps_the_previous_one(bundled_corpus, tmp_path):
    reports = ingest([bundled_corpus]).reports
    build_index(reports[:3], tmp_path)
    old = current_generation(tmp_path)
    old_engine = Engine.open(tmp_path)
    build_index(reports, tmp_path)
    new = current_generation(tmp_path)
    assert new != old and old.exists()  # a server still reading the old one is not cut off
    assert Engine.open(tmp_path).n == sum(len(r.paragraphs) for r in reports)
    assert old_engine.search(SearchQuery(q="改革")).total > 0


def test_whoosh_docnums_follow_paragraph_order(bundled_corpus, tmp_path):
    reports = ingest([bundled_corpus]).reports
    build_index(reports, tmp_path)
    engine = Engine.open(tmp_path)
    expected = [(r.id, p.n) for r in reports for p in r.paragraphs]
    searcher = engine.ix.searcher()
    stored = [(f["report_id"], f["n"]) for f in searcher.all_stored_fields()]
    assert stored == expected


def test_balanced_bounds_cover_every_row_once():
    for lengths, parts in [([5] * 10, 2), ([1, 100, 1], 2), ([3], 2), ([], 2), ([1] * 7, 3)]:
        bounds = _balanced_bounds(lengths, parts)
        covered = [i for a, b in bounds for i in range(a, b)]
        assert covered == list(range(len(lengths)))
        assert len(bounds) <= max(parts, 1)
