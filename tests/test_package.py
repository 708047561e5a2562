"""The package as a user installs it: a wheel built from the repository, installed (not
editable) into a fresh virtual environment, indexes a folder and serves a search page and the
JSON API from what the wheel carries — templates, static files and data included."""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Run in the fresh environment, from a folder outside the repository: everything it imports
# comes from the installed wheel (the dependencies from the project's own environment).
PROBE = """
import json, sys
from pathlib import Path
import baogao, search_app
from indexer.build import build_index
from indexer.ingest import ingest
from search_app import create_app

index = Path(sys.argv[2])
build_index(ingest([Path(sys.argv[1])]).reports, index)
client = create_app({"INDEX_DIR": str(index), "TESTING": True}).test_client()
page = client.get("/search?q=最多跑一次")
api = client.get("/api/search?q=最多跑一次")
css = client.get("/static/style.css")
print(json.dumps({
    "package": search_app.__file__,
    "page": [page.status_code, "最多跑一次" in page.get_data(as_text=True)],
    "api": [api.status_code, api.get_json()["total"]],
    "css": css.status_code,
}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # from a copy of the sources, so that no earlier build/ folder of the checkout leaks in
    src = out / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".*", "build", "index", "*.egg-info"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    (built,) = out.glob("baogao-*.whl")
    return built


def test_the_wheel_carries_templates_static_files_and_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, where in (("templates", "search_app/templates"), ("static", "search_app/static")):
        for f in (ROOT / folder).iterdir():
            assert f"{where}/{f.name}" in names, f"{f.name} is not in the wheel"
    for f in (ROOT / "indexer" / "data").iterdir():
        assert f"indexer/data/{f.name}" in names, f"{f.name} is not in the wheel"


def test_the_wheel_requires_the_html_cleaner_itself(wheel: Path) -> None:
    """`lxml.html.clean` (which the HTML reader's justext imports) lives in `lxml_html_clean`
    since lxml 5.2: the wheel requires it by name, so any pip installs a working HTML reader."""
    archive = zipfile.ZipFile(wheel)
    (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
    required = [
        line.split(":", 1)[1].strip()
        for line in archive.read(metadata).decode("utf-8").splitlines()
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    ]
    assert any(r.lower().replace("-", "_").startswith("lxml_html_clean") for r in required)
    assert any(r.startswith("trafilatura") for r in required)


def test_the_wheel_carries_every_module_of_the_packages(wheel: Path) -> None:
    """A package folder added to the code and not to pyproject.toml's list is in the wheel too."""
    names = set(zipfile.ZipFile(wheel).namelist())
    for top in ("baogao", "indexer", "search", "search_app"):
        for f in (ROOT / top).rglob("*.py"):
            rel = f.relative_to(ROOT).as_posix()
            assert rel in names, f"{rel} is not in the wheel"


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory) -> tuple[Path, Path]:
    """A fresh virtual environment with the wheel installed (not editable): its folder and
    its site-packages."""
    env_dir = tmp_path_factory.mktemp("installed") / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
        ).strip()
    )
    # the dependencies, from the project's environment (a plain path: its .pth files, among
    # them the editable install of the repository, are not read)
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
         str(wheel)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return env_dir, site


def test_an_installed_wheel_serves_a_search_page_and_the_api(
    installed: tuple[Path, Path], fixture_corpus: Path, tmp_path: Path
) -> None:
    env_dir, site = installed
    out = subprocess.run(
        [env_dir / "bin" / "python", "-c", PROBE, str(fixture_corpus), str(tmp_path / "index")],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["package"].startswith(str(site)), "search_app was not imported from the wheel"
    assert got["page"] == [200, True]
    assert got["api"][0] == 200 and got["api"][1] > 0
    assert got["css"] == 200


def test_the_installed_command_indexes_and_serves_over_http(
    installed: tuple[Path, Path], fixture_corpus: Path, tmp_path: Path
) -> None:
    """`baogao index` then `baogao serve` as the wheel installs the command: a search page,
    /api/search and a static file over HTTP from waitress."""
    from serving import HOST, Server

    command = installed[0] / "bin" / "baogao"
    index = tmp_path / "index"
    done = subprocess.run(
        [command, "index", fixture_corpus, "--index", index],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    server = Server(index, threads=2, bin=(str(command),), cwd=tmp_path)
    try:
        conn = http.client.HTTPConnection(HOST, server.port, timeout=60)
        got = {}
        for path in ("/search?q=最多跑一次", "/api/search?q=最多跑一次", "/static/style.css"):
            conn.request("GET", quote(path, safe="/?=&"))
            response = conn.getresponse()
            got[path] = (response.status, response.read().decode("utf-8"))
        conn.close()
    finally:
        log = server.stop()
    assert all(status == 200 for status, _ in got.values()), (got, log)
    assert "最多跑一次" in got["/search?q=最多跑一次"][1]
    assert json.loads(got["/api/search?q=最多跑一次"][1])["total"] > 0
