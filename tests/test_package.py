"""The package as a user installs it: a wheel built from the repository, installed (not
editable) into a fresh virtual environment, indexes a folder and serves a search page and the
JSON API from what the wheel carries — templates, static files and data included."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

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


def test_an_installed_wheel_serves_a_search_page_and_the_api(
    wheel: Path, fixture_corpus: Path, tmp_path: Path
) -> None:
    env_dir = tmp_path / "venv"
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
    out = subprocess.run(
        [python, "-c", PROBE, str(fixture_corpus), str(tmp_path / "index")],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["package"].startswith(str(site)), "search_app was not imported from the wheel"
    assert got["page"] == [200, True]
    assert got["api"][0] == 200 and got["api"][1] > 0
    assert got["css"] == 200
