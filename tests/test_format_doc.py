"""docs/FORMAT.md describes what the writer produces: every file of an index folder and of a
segment, every key of a commit, of meta.json and of a report record, and every column of
columns.npz with its dtype — read off a real index built and then updated, so a new file,
key or column the writer starts to produce fails here until the document says what it is."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from indexer import format as fmt
from indexer.update import update_index

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "FORMAT.md").read_text(encoding="utf-8")


def _table_keys(heading: str) -> dict[str, list[str]]:
    """The rows of the first table under `heading`: first cell (without backticks) → the rest."""
    section = DOC.split(heading, 1)[1]
    rows: dict[str, list[str]] = {}
    started = False
    for line in section.splitlines():
        if line.startswith("|"):
            started = True
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not set(cells[0]) <= set("-") and cells[0] not in ("name", "key", "file", "column"):
                rows[cells[0].strip("`")] = [c.strip("`") for c in cells[1:]]
        elif started:
            break
    return rows


def _generic(name: str) -> str:
    """A file name as the document writes its kind: `commit-NNNNNN.json`, `seg-*`."""
    if re.fullmatch(r"commit-\d{6,}\.json", name):
        return "commit-NNNNNN.json"
    if name.startswith("seg-"):
        return "seg-<time>-<nanoseconds>/"
    return name


@pytest.fixture(scope="module")
def updated_index(fixture_corpus: Path, tmp_path_factory) -> Path:
    """An index of the fixture corpus, then updated with one file changed and one removed, so
    that the commit holds two segments and deletion marks."""
    corpus = tmp_path_factory.mktemp("corpus")
    shutil.copytree(fixture_corpus, corpus, dirs_exist_ok=True)
    index = tmp_path_factory.mktemp("index")
    update_index([corpus], index, merge_budget=0)  # into an empty folder: a first build
    files = sorted(corpus.rglob("*.txt"))
    files[0].write_text(files[0].read_text(encoding="utf-8") + "\n新增一段关于数字经济的内容。\n")
    files[-1].unlink()
    update_index([corpus], index, merge_budget=0)
    return index


def _commit(index: Path) -> dict:
    return json.loads((index / "current").read_text(encoding="utf-8"))


def test_every_file_of_the_index_folder_is_described(updated_index: Path) -> None:
    described = _table_keys("## The folder")
    for path in updated_index.iterdir():
        assert _generic(path.name) in described, f"{path.name} is not in docs/FORMAT.md"


def test_every_key_of_a_commit_and_of_its_segments_is_described(updated_index: Path) -> None:
    commit = _commit(updated_index)
    assert len(commit["segments"]) > 1 and any(s["deleted"] for s in commit["segments"])
    assert set(commit) <= set(_table_keys("## A commit"))
    segment_keys = set(_table_keys("Each entry of `segments`"))
    for seg in commit["segments"]:
        assert set(seg) <= segment_keys, set(seg) - segment_keys


def test_every_file_key_and_column_of_a_segment_is_described(updated_index: Path) -> None:
    files = _table_keys("## A segment")
    meta_keys = _table_keys("### `meta.json`")
    record_keys = _table_keys("Each record of `reports`")
    columns = _table_keys("### `columns.npz`")
    for seg in _commit(updated_index)["segments"]:
        path = updated_index / seg["name"]
        for f in path.iterdir():
            name = f.name + ("/" if f.is_dir() else "")
            assert name in files, f"{name} is not in docs/FORMAT.md"
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        assert set(meta) <= set(meta_keys), set(meta) - set(meta_keys)
        for vocab in meta["vocab"]:
            assert f"`{vocab}`" in DOC.split("`vocab` holds", 1)[1].split("\n\n", 1)[0]
        for record in meta["reports"]:
            assert set(record) <= set(record_keys), set(record) - set(record_keys)
        with np.load(path / "columns.npz") as npz:
            for name in npz.files:
                assert name in columns, f"column {name} is not in docs/FORMAT.md"
                assert columns[name][0] == npz[name].dtype.name, (name, npz[name].dtype)
        assert np.load(path / "sa.npy", mmap_mode="r").dtype.name in files["sa.npy"][0]
        arrays = _table_keys("### `tokens.npz`")
        with np.load(path / fmt.TOKENS) as npz:
            assert sorted(npz.files) == sorted(arrays)
            for name in npz.files:
                assert arrays[name][0] == npz[name].dtype.name, (name, npz[name].dtype)


def test_every_file_and_key_of_a_sharded_index_is_described(sharded) -> None:
    index = sharded(3)
    described = _table_keys("## A sharded index")
    for path in index.iterdir():
        name = path.name + ("/" if path.is_dir() else "")
        kind = "shard-NNN/" if re.fullmatch(r"shard-\d{3}/", name) else name
        assert kind in described, f"{path.name} is not in docs/FORMAT.md"
    cluster = json.loads((index / "cluster.json").read_text(encoding="utf-8"))
    assert set(cluster) <= set(_table_keys("### The cluster commit")), set(cluster)
    shard_keys = set(_table_keys("Each entry of `shards`"))
    for entry in cluster["shards"]:
        assert set(entry) <= shard_keys, set(entry) - shard_keys
        shard = index / entry["name"]  # an ordinary index, described above
        for path in shard.iterdir():
            assert _generic(path.name) in _table_keys("## The folder"), path.name
