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
