"""Every versioned file of an index is checked on open: a segment (`meta.json`), a commit or a
cluster commit of another format version is refused with one line, in Chinese, saying which
version it is and how to rebuild — by the engine, the CLI (search, status, --update) and the
site — never read as if it were of this version."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from baogao.cli import main
from indexer import format as fmt
from search.engine import Engine
from search.errors import IndexCorrupt
from search_app import create_app


def _bump(path: Path) -> int:
    """Rewrite the `format` of a JSON file to the next version; that version."""
    body = json.loads(path.read_text(encoding="utf-8"))
    body["format"] += 1
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return body["format"]


@pytest.fixture
def index(fixture_index: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "index"
    shutil.copytree(fixture_index, dest, symlinks=True)
    return dest


def _one_line(capsys) -> str:
    out, err = capsys.readouterr()
    assert out == ""
    (line,) = err.splitlines()
    return line


def test_a_segment_of_another_version_is_refused_with_how_to_rebuild(index, capsys) -> None:
    segment = index / fmt.read_current(index)["segments"][0]["name"]
    found = _bump(fmt.meta_path(segment))
    with pytest.raises(IndexCorrupt) as refused:
        Engine.open(index)
    message = str(refused.value)
    assert f"格式版本为 {found}" in message and f"第 {fmt.SEGMENT_FORMAT} 版" in message
    assert f"--index {index}" in message and "重建索引" in message
    assert main(["search", "改革", "--index", str(index)]) == IndexCorrupt.exit_code
    assert _one_line(capsys) == f"baogao: {message}"
    client = create_app({"INDEX_DIR": str(index)}).test_client()
    answer = client.get("/api/search?q=改革")
    assert answer.status_code == 503 and answer.json["error"]["message"] == message
    page = client.get("/search?q=改革")
    assert page.status_code == 503 and "重建索引" in page.get_data(as_text=True)


def test_a_commit_of_another_version_is_refused_by_search_and_update(
    index, fixture_corpus, capsys
) -> None:
    commit = os.readlink(index / fmt.CURRENT)
    found = _bump(index / commit)
    with pytest.raises(IndexCorrupt, match=f"提交.*格式版本为 {found}.*重建索引"):
        Engine.open(index)
    update = ["index", str(fixture_corpus), "--index", str(index), "--update"]
    assert main(update) == IndexCorrupt.exit_code
    assert "重建索引" in _one_line(capsys)
    assert os.readlink(index / fmt.CURRENT) == commit  # nothing written


def test_a_rebuild_replaces_an_index_of_another_version(index, fixture_corpus) -> None:
    _bump(index / os.readlink(index / fmt.CURRENT))
    assert main(["index", str(fixture_corpus), "--index", str(index)]) == 0
    Engine.open(index).close()


def test_a_cluster_commit_of_another_version_is_refused(tmp_path, capsys) -> None:
    from search.cluster import ClusterEngine

    root = tmp_path / "sharded"
    root.mkdir()
    fmt.write_cluster(root, {"time": "", "hash": fmt.HASH, "sources": [], "shards": []})
    assert fmt.read_cluster(root)["format"] == fmt.CLUSTER_FORMAT
    found = _bump(root / fmt.CLUSTER)
    with pytest.raises(IndexCorrupt, match=f"分片提交.*格式版本为 {found}.*重建索引"):
        ClusterEngine.open(root, local=True)
    assert main(["status", "--index", str(root)]) == IndexCorrupt.exit_code
    assert "重建索引" in _one_line(capsys)
