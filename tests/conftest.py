"""Shared fixtures: the bundled corpus, the committed fixture corpus, the reference corpus in
../shared, real indexes in tmp, and the web app, its test client and a CLI runner over them."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis fails an example that takes over 200 ms by default: a wall-clock assertion that
# trips on a loaded machine. Speed is measured in bench/, so examples have no deadline.
settings.register_profile("baogao", deadline=None)
settings.load_profile("baogao")

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "corpus"
SHARED = ROOT.parent / "shared" / "corpus"
FIXTURES = Path(__file__).resolve().parent / "data" / "corpus"


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
def fixture_corpus() -> Path:
    """The small committed corpus in tests/data/corpus (see tests/data/corpus.README.md)."""
    return FIXTURES


@pytest.fixture(scope="session")
def fixture_ingest(fixture_corpus: Path):
    """The committed fixture corpus, ingested once per test session."""
    from indexer.ingest import ingest

    return ingest([fixture_corpus])


@pytest.fixture(scope="session")
def fixture_index(fixture_ingest, tmp_path_factory) -> Path:
    """A real index of the committed fixture corpus, built once per test session."""
    from indexer.build import build_index

    index_dir = tmp_path_factory.mktemp("fixture-index")
    build_index(fixture_ingest.reports, index_dir)
    return index_dir


@pytest.fixture(scope="session")
def bundled_index(bundled_corpus: Path, tmp_path_factory) -> Path:
    """A real index of the bundled corpus, built once per test session; its folder."""
    from indexer.build import build_index
    from indexer.ingest import ingest

    index_dir = tmp_path_factory.mktemp("bundled-index")
    build_index(ingest([bundled_corpus]).reports, index_dir)
    return index_dir


@pytest.fixture(scope="module")
def app(bundled_index: Path):
    """The web app over the session's index of the bundled corpus."""
    from search_app import create_app

    return create_app({"INDEX_DIR": str(bundled_index)})


@pytest.fixture(scope="module")
def client(app):
    """A Flask test client of `app`."""
    return app.test_client()


@dataclass(frozen=True)
class CliResult:
    """What one `baogao` command did: its exit code and what it wrote."""

    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str) -> CliResult:
    """Run `baogao ARGS` in this process (argparse's exits included), capturing its output."""
    from baogao.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return CliResult(int(code or 0), out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def runner() -> Callable[..., CliResult]:
    """`runner("search", "改革", "--index", path)` runs the CLI in process: a CliResult."""
    return run_cli
