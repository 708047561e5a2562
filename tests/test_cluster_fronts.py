"""Several fronts of one sharded index share one set of shard actors: two `baogao serve`
processes joining the tests' Ray (bound to 127.0.0.1) hold the very same actors (by Ray actor
id and process) and answer as one index; killing one front leaves the other answering; a new
cluster commit gets actors of its own and the previous commit's end after the drain;
`baogao cluster stop` ends them all. Skipped without Ray."""

from __future__ import annotations

import http.client
import json
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from indexer.format import shard_name
from tests.serving import HOST, LOOPBACK, Server, api_answers, listening

URLS = (
    "/api/search?q=" + quote("改革"),
    "/api/search?q=" + quote("发展 OR 经济") + "&sort=oldest&page=2",
    "/api/concordance?q=" + quote("改革") + "&order=left",
)


@pytest.fixture(scope="module")
def pair(ray_local, bundled_corpus: Path, tmp_path_factory) -> tuple[Path, Path]:
    """A 2-shard index and one index of the bundled corpus."""
    from indexer.build import build_index
    from indexer.cluster import build_sharded
    from indexer.ingest import ingest

    result = ingest([bundled_corpus])
    root = tmp_path_factory.mktemp("cluster-fronts")
    build_sharded(result.reports, root / "sharded", 2, files=result.digests)
    build_index(result.reports, root / "single", files=result.digests)
    return root / "sharded", root / "single"


def _get(port: int, url: str) -> tuple[int, dict]:
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        conn.request("GET", url, headers={"Host": "localhost"})  # the links as the test client's
        response = conn.getresponse()
        body = json.loads(response.read())
    finally:
        conn.close()
    body.pop("took_ms", None)
    return response.status, body


def _front(index: Path, gcs: str) -> Server:
    """`baogao serve` of the sharded index, joining the tests' Ray as a driver."""
    return Server(index, extra=("--ray", gcs), start_timeout=600)


def test_two_fronts_share_one_set_of_shard_actors_and_outlive_each_other(pair, ray_local, runner):
    from search.cluster_actors import describe
    from search_app import create_app

    sharded, single = pair
    one = create_app({"INDEX_DIR": str(single)}).test_client()
    want = {}
    for url in URLS:
        response = one.get(url)
        want[url] = {k: v for k, v in response.json.items() if k != "took_ms"}
    gcs = ray_local.get_runtime_context().gcs_address
    assert gcs.startswith("127.0.0.1:")

    first = _front(sharded, gcs)
    second = None
    try:
        actors = describe(ray_local, sharded)
        assert [a["shard"] for a in actors] == [shard_name(0), shard_name(1)]
        assert all(a["current"] and a["actor"] and a["pid"] for a in actors), actors
        assert len({a["namespace"] for a in actors}) == 1
        sockets = listening(first.proc.pid)  # the front joined Ray as a driver: loopback only
        assert sockets and all(a.split(":")[0] in LOOPBACK for a in sockets), sockets

        second = _front(sharded, gcs)
        assert describe(ray_local, sharded) == actors  # joined: the same actors, none new
        for url in URLS:
            assert _get(first.port, url) == (200, want[url]) == _get(second.port, url), url

        first.proc.kill()  # SIGKILL: no goodbye from the front that created the actors
        first.proc.wait()
        for url in URLS:
            assert _get(second.port, url) == (200, want[url]), url
        assert describe(ray_local, sharded) == actors  # the same actors, the same processes

        done = runner("cluster", "status", "--index", sharded, "--ray", gcs)
        assert done.exit_code == 0 and done.stdout.count("\tcurrent\t") == 2, done
        done = runner("cluster", "stop", "--index", sharded, "--ray", gcs)
        assert done.exit_code == 0 and "ended 2 shard actor(s)" in done.stdout, done
        assert describe(ray_local, sharded) == []
        status, body = _get(second.port, URLS[0])  # stopped under a running front: the 503
        assert status == 503 and body["error"]["code"] == "shard_unavailable", body
    finally:
        first.stop()
        if second is not None:
            second.stop()


def test_the_cluster_command_needs_a_ray_cluster_and_a_sharded_index(pair, runner, monkeypatch):
    sharded, single = pair
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    done = runner("cluster", "stop", "--index", sharded)
    assert done.exit_code == 2 and "--ray ADDRESS" in done.stderr
    done = runner("cluster", "status", "--index", single, "--ray", "127.0.0.1:1")
    assert done.exit_code == 2 and "not a sharded index" in done.stderr


def test_a_new_cluster_commit_gets_new_actors_and_the_old_ones_end_after_the_drain(
    ray_local, two_corpora, tmp_path, monkeypatch
):
    import search.cluster_actors as actors
    from indexer.cluster import build_sharded
    from indexer.cluster_update import update_sharded
    from indexer.ingest import ingest

    old, new, want_old, want_new = two_corpora
    index = tmp_path / "sharded"
    result = ingest([old])
    build_sharded(result.reports, index, 2, files=result.digests)
    monkeypatch.setattr(actors, "DRAIN", 0.5)
    try:
        assert api_answers(index) == want_old
        before = {space for space, _ in actors.listing(ray_local, index)}
        assert len(before) == 1
        update_sharded([new], index)
        assert api_answers(index) == want_new
        limit = time.monotonic() + 120
        while time.monotonic() < limit:
            now = {space for space, _ in actors.listing(ray_local, index)}
            if len(now) == 1 and now != before:
                break
            time.sleep(0.2)
        assert len(now) == 1 and now != before, (before, now)
        shards = [a["shard"] for a in actors.describe(ray_local, index)]
        assert shards == [shard_name(0), shard_name(1)]
    finally:
        actors.stop(ray_local, index)
