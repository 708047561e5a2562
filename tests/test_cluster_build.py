"""`baogao index --shards N`: N ordinary shard indexes under one folder, reports assigned by a
stable hash of their id, one cluster commit naming each shard's commit; built as Ray tasks
on a local Ray bound to 127.0.0.1 (skipped when Ray is not installed)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from indexer import format as fmt
from indexer.cluster import CLUSTER, read_cluster, shard_name, shard_of
from indexer.format import read_current
from search.engine import Engine
from tests.serving import LOOPBACK, listening


def test_every_report_is_in_the_shard_its_id_hashes_to_and_each_shard_is_an_index(
    sharded, cluster_ingest, cluster_single
):
    index = sharded(3)
    cluster = read_cluster(index)
    assert [s["name"] for s in cluster["shards"]] == [shard_name(k) for k in range(3)]
    ids = [r.id for r in cluster_ingest.reports]
    seen: set[str] = set()
    paragraphs = 0
    for k, entry in enumerate(cluster["shards"]):
        shard = index / entry["name"]
        assert read_current(shard)["name"] == entry["commit"]  # the commit it names
        engine = Engine.open(shard)  # an ordinary index, opened by the single engine
        try:
            mine = [r["id"] for r in engine.reports()]
            assert all(shard_of(i, 3) == k for i in mine)
            assert [ids[p] for p in entry["positions"]] == mine  # one index's order kept
            assert entry["reports"] == len(mine) and entry["paragraphs"] == engine.n
            paragraphs += engine.n
            seen.update(mine)
        finally:
            engine.close()
    assert seen == set(ids)
    single = Engine.open(cluster_single)
    try:
        assert paragraphs == single.n
    finally:
        single.close()


def test_the_shard_of_a_report_depends_on_its_id_only():
    # fixed values: a change of hash would move every report of every sharded index
    assert [shard_of(f"r{i:015x}", 7) for i in range(8)] == [2, 4, 5, 0, 6, 1, 4, 1]
    digest = hashlib.blake2b(b"r0123456789abcde", digest_size=8).digest()
    assert shard_of("r0123456789abcde", 7) == int.from_bytes(digest, "big") % 7
    assert {shard_of(f"r{i:015x}", 3) for i in range(100)} == {0, 1, 2}


def test_the_command_builds_a_sharded_index_and_refuses_to_mix_kinds(
    ray_local, runner, fixture_corpus, tmp_path
):
    index = tmp_path / "sharded"
    done = runner("index", fixture_corpus, "--index", index, "--shards", "2")
    assert done.exit_code == 0, done.stderr
    assert "into 2 shards" in done.stdout
    assert (index / CLUSTER).is_file() and not (index / fmt.CURRENT).exists()
    assert not [p for p in os.listdir(index) if p.endswith(".tmp")]  # swapped in, whole
    body = json.loads((index / CLUSTER).read_text(encoding="utf-8"))
    assert body["format"] == 1 and body["hash"] == "blake2b-64" and len(body["shards"]) == 2

    status = runner("status", "--index", index)
    assert status.exit_code == 0 and "sharded, 2 shards" in status.stdout

    # a single build into the sharded folder: refused; an update and an optimize of the same
    # files: nothing to do, nothing written
    refused = runner("index", fixture_corpus, "--index", index)
    assert refused.exit_code == 1 and "sharded index" in refused.stderr
    same = runner("index", fixture_corpus, "--index", index, "--update")
    assert same.exit_code == 0 and "no change: 2 shards" in same.stdout, same.stderr
    assert runner("optimize", "--index", index).exit_code == 0
    assert not (index / fmt.CURRENT).exists()
    assert json.loads((index / CLUSTER).read_text(encoding="utf-8")) == body

    # and a sharded build into a single index's folder
    single = tmp_path / "single"
    assert runner("index", fixture_corpus, "--index", single).exit_code == 0
    refused = runner("index", fixture_corpus, "--index", single, "--shards", "2")
    assert refused.exit_code == 2 and "single index" in refused.stderr
    assert not (single / CLUSTER).exists()


def test_a_shard_count_out_of_range_is_refused(runner, fixture_corpus, tmp_path: Path):
    for bad in ("0", "x", "257"):
        done = runner("index", fixture_corpus, "--index", tmp_path / "i", "--shards", bad)
        assert done.exit_code == 2 and "--shards" in done.stderr


def test_without_shards_the_index_is_a_single_one(runner, fixture_corpus, tmp_path: Path):
    done = runner("index", fixture_corpus, "--index", tmp_path / "i")
    assert done.exit_code == 0
    assert (tmp_path / "i" / fmt.CURRENT).exists() and not (tmp_path / "i" / CLUSTER).exists()


def test_every_shard_of_seven_is_at_the_commit_the_cluster_commit_names(sharded):
    cluster = read_cluster(sharded(7))
    assert len(cluster["shards"]) == 7
    for entry in cluster["shards"]:
        assert read_current(sharded(7) / entry["name"])["name"] == entry["commit"]


def test_without_ray_a_sharded_build_says_how_to_install_it(
    runner, fixture_corpus, tmp_path: Path, monkeypatch
):
    monkeypatch.setitem(__import__("sys").modules, "ray", None)  # as if not installed
    done = runner("index", fixture_corpus, "--index", tmp_path / "i", "--shards", "2")
    assert done.exit_code == 2 and "pip install 'baogao[cluster]'" in done.stderr
    assert not (tmp_path / "i" / CLUSTER).exists()


def test_the_local_ray_keeps_to_the_loopback_address(ray_local):
    """A local Ray answers at 127.0.0.1 and no process of its session listens on another
    address (Ray otherwise swaps 127.0.0.1 for the machine's outward address)."""
    import subprocess

    assert ray_local.util.get_node_ip_address() == "127.0.0.1"
    gcs = ray_local.get_runtime_context().gcs_address
    assert gcs.startswith("127.0.0.1:"), gcs
    session = ray_local._private.worker._global_node.session_name
    pids = set(
        subprocess.run(["pgrep", "-f", session], capture_output=True, text=True).stdout.split()
    )
    assert pids, "the session's processes are visible"
    owned = [address for pid in pids for address in listening(int(pid))]
    assert owned, "the session's servers are found"
    outward = [local for local in owned if local.split(":")[0] not in LOOPBACK]
    assert not outward, f"Ray listens beyond 127.0.0.1: {outward}"
