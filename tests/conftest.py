"""Shared fixtures: the bundled corpus, the committed fixture corpus, the reference corpus in
../shared, real indexes in tmp, and the web app, its test client and a CLI runner over them."""

from __future__ import annotations

import contextlib
import io
import itertools
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


def _has_shared() -> bool:
    """Whether the reference corpus is beside the project (../shared/corpus)."""
    return (SHARED / "national").is_dir()


@pytest.fixture(scope="session")
def bundled_corpus() -> Path:
    return BUNDLED


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """The reference corpus beside the project; tests that need it skip when it is absent."""
    if not _has_shared():
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
def cjk_font() -> Path:
    """A font file with Chinese glyphs for writing test PDFs; tests that need one skip without."""
    from bench.convert import cjk_font as find

    font = find()
    if font is None:
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-zenhei or fonts-noto-cjk)")
    return font


def _converted(fmt: str, request, tmp_path_factory):
    """The committed fixture corpus written as PDF, DOCX or HTML files, then ingested."""
    from bench.convert import convert_corpus
    from indexer.ingest import ingest

    font = request.getfixturevalue("cjk_font") if fmt == "pdf" else None
    folder = tmp_path_factory.mktemp(f"fixture-{fmt}")
    convert_corpus(FIXTURES, folder, fmt, font)
    return ingest([folder])


def _index_of(ingested, tmp_path_factory, name: str) -> Path:
    from indexer.build import build_index

    index_dir = tmp_path_factory.mktemp(name)
    build_index(ingested.reports, index_dir)
    return index_dir


@pytest.fixture(scope="session")
def pdf_ingest(request, tmp_path_factory):
    return _converted("pdf", request, tmp_path_factory)


@pytest.fixture(scope="session")
def docx_ingest(request, tmp_path_factory):
    return _converted("docx", request, tmp_path_factory)


@pytest.fixture(scope="session")
def html_ingest(request, tmp_path_factory):
    return _converted("html-gbk", request, tmp_path_factory)


@pytest.fixture(scope="session")
def pdf_index(pdf_ingest, tmp_path_factory) -> Path:
    return _index_of(pdf_ingest, tmp_path_factory, "pdf-index")


@pytest.fixture(scope="session")
def docx_index(docx_ingest, tmp_path_factory) -> Path:
    return _index_of(docx_ingest, tmp_path_factory, "docx-index")


@pytest.fixture(scope="session")
def html_index(html_ingest, tmp_path_factory) -> Path:
    return _index_of(html_ingest, tmp_path_factory, "html-index")


@pytest.fixture(scope="session")
def bundled_index(bundled_corpus: Path, tmp_path_factory) -> Path:
    """A real index of the bundled corpus, built once per test session; its folder."""
    from indexer.build import build_index
    from indexer.ingest import ingest

    index_dir = tmp_path_factory.mktemp("bundled-index")
    build_index(ingest([bundled_corpus]).reports, index_dir)
    return index_dir


def pytest_generate_tests(metafunc) -> None:
    """A test asking for `engine` in a module that sets ENGINE_INDEXES (names of index fixtures,
    `"bundled"` for `bundled_index`) runs once on each of those indexes."""
    names = getattr(metafunc.module, "ENGINE_INDEXES", None)
    if names and "engine" in metafunc.fixturenames:
        metafunc.parametrize("engine", names, indirect=True, scope="module")


@pytest.fixture(scope="module")
def engine(request):
    """An Engine over the index fixture `<name>_index` (the module's ENGINE_INDEXES; the bundled
    corpus's when it sets none), open for the module. `shared` skips when ../shared is absent."""
    from search.engine import Engine

    opened = Engine.open(request.getfixturevalue(f"{getattr(request, 'param', 'bundled')}_index"))
    yield opened
    opened.close()


def make_app(index: str | Path, **config):
    """The web app over the index folder `index`, with any other settings (`TIME_LIMIT=…`)."""
    from search_app import create_app

    return create_app({"INDEX_DIR": str(index), **config})


@pytest.fixture(scope="module")
def app(bundled_index: Path):
    """The web app over the session's index of the bundled corpus."""
    return make_app(bundled_index)


@pytest.fixture(scope="module")
def client(app):
    """A Flask test client of `app`."""
    return app.test_client()


@pytest.fixture
def one_second(monkeypatch) -> None:
    """Every build and update of the test within one second of the clock: the times of
    addition they write (`indexer.store.added_now`) are a tenth of a second apart."""
    ticks = itertools.count()
    monkeypatch.setattr("indexer.store.added_now", lambda: 1_700_000_000.0 + 0.1 * next(ticks))


@pytest.fixture(scope="session")
def client_of() -> Callable[..., object]:
    """`client_of(index, **config)`: a test client of a new app over another index folder."""
    return lambda index, **config: make_app(index, **config).test_client()


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


@pytest.fixture(scope="session")
def placed_index(bundled_corpus: Path, tmp_path_factory) -> Path:
    """A real index of the bundled paragraphs dealt out over the places of tests/placed.py; the
    last report ends with a copy of one paragraph of the first."""
    from indexer.build import build_index
    from indexer.ingest import ingest
    from indexer.models import Paragraph, Report
    from tests.placed import COPIED, PLACED

    texts = [p.text for r in ingest([bundled_corpus]).reports for p in r.paragraphs]
    chunks = [texts[i :: len(PLACED)] for i in range(len(PLACED))]
    chunks[-1].append(chunks[COPIED[0]][COPIED[1]])
    reports = [
        Report(
            id=f"r{i:02d}",
            source=f"placed/{i}.txt",
            district=district,
            province=province,
            city=city,
            level=level,
            year=year or None,
            paragraphs=tuple(Paragraph(n, t) for n, t in enumerate(chunks[i], 1)),
        )
        for i, (district, province, city, level, year) in enumerate(PLACED)
    ]
    index_dir = tmp_path_factory.mktemp("placed-index")
    build_index(reports, index_dir)
    return index_dir


@pytest.fixture(scope="session")
def two_corpora(bundled_corpus: Path, tmp_path_factory) -> tuple[Path, Path, dict, dict]:
    """corpus/ and a copy with one extra report; the API answers of an index of each (the
    rebuild and update tests serve one while the other is indexed)."""
    import shutil

    from indexer.build import build_index
    from indexer.ingest import ingest
    from tests.serving import EXTRA, QUERIES, api_answers

    root = tmp_path_factory.mktemp("two-corpora")
    old, new = root / "old", root / "new"
    shutil.copytree(bundled_corpus, old)
    shutil.copytree(bundled_corpus, new)
    (new / "hangzhou" / "999_extra.txt").write_text(EXTRA, encoding="utf-8")
    expected = []
    for corpus in (old, new):
        index = root / f"index-{corpus.name}"
        build_index(ingest([corpus]).reports, index)
        expected.append(api_answers(index))
    assert all(expected[0][q] != expected[1][q] for q in QUERIES)
    return old, new, expected[0], expected[1]


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium for the browser tests (see tests/browsing.py)."""
    from tests.browsing import chromium

    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    """A desktop-width page that fails its test on any console error."""
    from tests.browsing import checked_page

    with checked_page(browser, locale="zh-CN") as pg:
        yield pg


# -- a sharded index on Ray (the `cluster` extra) -------------------------------------------


@pytest.fixture(scope="session")
def ray_local():
    """One Ray for the session: RAY_ADDRESS when set, else a local one with 2 CPUs bound to
    127.0.0.1 and no dashboard. Skips when Ray is not installed."""
    import os

    from indexer.cluster import local_only

    if not os.environ.get("RAY_ADDRESS"):
        local_only()  # before `ray` is first imported
    pytest.importorskip(
        "ray", reason="Ray is not installed: `pip install -e '.[cluster]'` runs the cluster tests"
    )
    from indexer.cluster import init_ray

    ray = init_ray()
    yield ray
    ray.shutdown()


@pytest.fixture(scope="session")
def cluster_ingest(request):
    """The reference corpus ingested (the committed fixture corpus when ../shared is absent):
    the session's `shared_ingest` (or `fixture_ingest`), not an ingest of its own."""
    return request.getfixturevalue("shared_ingest" if _has_shared() else "fixture_ingest")


@pytest.fixture(scope="session")
def cluster_single(request) -> Path:
    """One index of `cluster_ingest`, what every sharded index must answer exactly as: the
    session's `shared_index` (or `fixture_index`), the same build of the same reports."""
    return request.getfixturevalue("shared_index" if _has_shared() else "fixture_index")


@pytest.fixture(scope="session")
def sharded(ray_local, cluster_ingest, tmp_path_factory) -> Callable[[int], Path]:
    """`sharded(n)`: a sharded index of `cluster_ingest` with n shards, built once a session."""
    from indexer.cluster import build_sharded

    built: dict[int, Path] = {}

    def get(n: int) -> Path:
        if n not in built:
            index_dir = tmp_path_factory.mktemp(f"cluster-{n}")
            build_sharded(cluster_ingest.reports, index_dir, n, files=cluster_ingest.digests)
            built[n] = index_dir
        return built[n]

    return get


@pytest.fixture(scope="session")
def bundled_sharded(ray_local, bundled_corpus: Path, tmp_path_factory) -> Callable[[int], Path]:
    """`bundled_sharded(n)`: a sharded index of the bundled corpus with n shards (its files'
    hashes recorded, so an update can follow), built once a session; tests that change it
    change a copy."""
    from indexer.cluster import build_sharded
    from indexer.ingest import ingest

    built: dict[int, Path] = {}

    def get(n: int) -> Path:
        if n not in built:
            result = ingest([bundled_corpus])
            index_dir = tmp_path_factory.mktemp(f"bundled-sharded-{n}")
            build_sharded(result.reports, index_dir, n, files=result.digests)
            built[n] = index_dir
        return built[n]

    return get
