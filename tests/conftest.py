"""Shared fixtures: the bundled corpus, the reference corpus in ../shared, real indexes in tmp."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "corpus"
SHARED = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def bundled_corpus() -> Path:
    return BUNDLED


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """The reference corpus beside the project; tests that need it skip when it is absent."""
    if not (SHARED / "national").is_dir():
        pytest.skip(f"reference corpus not found at {SHARED} (clone the project beside ../shared)")
    return SHARED


@pytest.fixture(scope="session")
def shared_ingest(shared_corpus: Path):
    """The whole reference corpus, ingested once per test session."""
    from indexer.ingest import ingest

    return ingest([shared_corpus])


@pytest.fixture(scope="session")
def shared_index(shared_ingest, tmp_path_factory) -> Path:
    """A real index of the whole reference corpus, built once per test session."""
    from indexer.build import build_index

    index_dir = tmp_path_factory.mktemp("shared-index")
    build_index(shared_ingest.reports, index_dir)
    return index_dir


@pytest.fixture(scope="session")
def bundled_index(bundled_corpus: Path, tmp_path_factory) -> Path:
    """A real index of the bundled corpus, built once per test session; its folder."""
    from indexer.build import build_index
    from indexer.ingest import ingest

    index_dir = tmp_path_factory.mktemp("bundled-index")
    build_index(ingest([bundled_corpus]).reports, index_dir)
    return index_dir
