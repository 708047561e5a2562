"""`baogao index --update` and `baogao optimize` on a sharded index: the shards touched are
updated as Ray tasks and one cluster commit is published, after which the index answers
exactly as a full sharded rebuild and as one index of the same files; an update killed at
any point leaves the previous cluster commit answering whole. On the bundled corpus (one of
its files holds three reports, which live in two shards of three). Skipped without Ray."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cluster_queries import variants
from serving import EXTRA, ROOT

from indexer import format as fmt
from indexer.build import build_index
from indexer.cluster import CLUSTER, read_cluster, shard_of
from indexer.ingest import ingest
from indexer.segments import read_current
from search.cluster import ClusterEngine
from search.engine import Engine
from search.errors import BadQuery
from search.results import SearchQuery

SHARDS = 3
MULTI = "hangzhou/001_84e35802d34e009f.txt"  # three reports, in shards 1, 1 and 0 of three
CHANGED = ("hangzhou/003_21005e00cf82ecb8.txt", MULTI)
REMOVED = "hangzhou/004_4e54d764820ff8e8.txt"
ADDED = ("hangzhou/999_extra.txt", "hangzhou/005_gbk.txt")
QUERIES = ("改革", "发展", '"最多跑一次"', "经济 OR 人民", "", "新增 NEAR/20 报告")


@pytest.fixture(scope="module")
def two_corpora(bundled_corpus: Path, fixture_corpus: Path, tmp_path_factory):
    """The bundled corpus, and a copy with two files changed, one removed and two added."""
    root = tmp_path_factory.mktemp("cluster-update")
    old, new = root / "old", root / "new"
    shutil.copytree(bundled_corpus, old)
    shutil.copytree(bundled_corpus, new)
    for name in CHANGED:
        with open(new / name, "a", encoding="utf-8") as fh:
            fh.write("\n\n新增的一段：改革发展的报告在更新后多了这一段，经济和人民都在其中。\n")
    (new / REMOVED).unlink()
    (new / ADDED[0]).write_text(EXTRA, encoding="utf-8")
    shutil.copy(fixture_corpus / "hangzhou" / "005_gbk.txt", new / ADDED[1])
    return old, new


def _build(corpus: Path, index: Path, shards: int | None = None) -> Path:
    from indexer.cluster import build_sharded

    result = ingest([corpus])
    if shards is None:
        build_index(result.reports, index, files=result.digests)
    else:
        build_sharded(result.reports, index, shards, files=result.digests)
    return index


@pytest.fixture(scope="module")
def built(bundled_sharded, two_corpora, tmp_path_factory) -> dict:
    """Built once: a sharded index of the old corpus (the session's of the bundled corpus, of
    which it is a copy; copied by each test that changes it), a sharded rebuild and one index
    of the new one, and the answers of the two corpora."""
    old, new = two_corpora
    root = tmp_path_factory.mktemp("cluster-update-built")
    out = {
        "old": bundled_sharded(SHARDS),
        "new": _build(new, root / "new", SHARDS),
        "single": _build(new, root / "single"),
    }
    out["want"] = {"old": _answers(out["old"]), "new": _answers(out["new"])}
    return out


def _copy(index: Path, dest: Path) -> Path:
    shutil.copytree(index, dest, symlinks=True)
    return dest


def _answers(index: Path) -> list:
    """Whole first pages of a few queries, each shard opened in this process at the commit
    the cluster commit names."""
    engine = ClusterEngine.open(index, local=True)
    try:
        return [engine.search(SearchQuery(q=q, per_page=10)) for q in QUERIES]
    finally:
        engine.close()


def test_an_updated_sharded_index_answers_as_a_rebuild_and_as_one_index(
    built, two_corpora, tmp_path
):
    from indexer.cluster_optimize import optimize_sharded
    from indexer.cluster_update import update_sharded
    from indexer.update import update_index
    from search.concordance import concordance
    from search.trends import trends

    old, new = two_corpora
    assert len({shard_of(r.id, SHARDS) for r in ingest([old]).reports if r.source == MULTI}) == 2
    single_updated = _build(old, tmp_path / "single-updated")  # built first: an older time
    index = _copy(built["old"], tmp_path / "updated")
    before = read_cluster(index)

    stats, _ = update_sharded([new], index)
    assert stats.published
    assert sorted(stats.changed) == sorted(CHANGED) and stats.removed == [REMOVED]
    assert sorted(stats.added) == sorted(ADDED)
    after = read_cluster(index)
    assert after != before
    for entry in after["shards"]:  # each shard an ordinary index at the commit named
        assert read_current(index / entry["name"])["name"] == entry["commit"]

    rebuilt, single = built["new"], built["single"]
    update_index([new], single_updated)

    engines = {
        "updated": ClusterEngine.open(index, local=True),
        "rebuilt": ClusterEngine.open(rebuilt, local=True),
    }
    one, one_updated = Engine.open(single), Engine.open(single_updated)
    try:
        assert engines["updated"].reports() == one.reports()
        cases = variants(one)
        assert len(cases) >= 200
        for name, engine in engines.items():
            for query in cases:
                try:
                    want = one.search(query)
                except BadQuery:
                    continue
                assert engine.search(query) == want, (name, query)
            for record in one.reports():
                assert engine.get_report(record["id"]) == one.get_report(record["id"])
            for q, order in (("改革", "left"), ("经济 OR 人民", "text"), ("发展", "year")):
                query = SearchQuery(q=q, per_page=None)
                assert concordance(engine, query, order, 10) == concordance(one, query, order, 10)
            terms = ("改革", "新增", "发展 NEAR/5 经济")
            assert trends(engine, terms, SearchQuery()) == trends(one, terms, SearchQuery())
        # the feed: an update's reports are the newest, as in one index updated the same way
        assert len({t for _, t in one_updated.newest(SearchQuery(), one.n)}) == 2
        for q in ("改革", "新增", ""):
            query = SearchQuery(q=q)
            got = [hit for hit, _ in engines["updated"].newest(query, 15)]
            assert got == [hit for hit, _ in one_updated.newest(query, 15)], q
    finally:
        one.close(), one_updated.close()

    # nothing changed: no cluster commit; then optimize merges each shard into one segment
    body = (index / CLUSTER).read_bytes()
    again, _ = update_sharded([new], index)
    assert not again.published and (index / CLUSTER).read_bytes() == body
    optimize_sharded(index)
    for entry in read_cluster(index)["shards"]:
        assert len(read_current(index / entry["name"])["segments"]) <= 1
    assert _answers(index) == built["want"]["new"]


def test_a_shard_count_other_than_the_index_s_is_refused(built, two_corpora, runner, tmp_path):
    _, new = two_corpora
    index = _copy(built["old"], tmp_path / "i")
    body = (index / CLUSTER).read_bytes()
    done = runner("index", new, "--index", index, "--update", "--shards", "2")
    assert done.exit_code == 2 and "3 shards" in done.stderr
    assert (index / CLUSTER).read_bytes() == body


def test_an_update_stopped_before_or_after_its_cluster_commit_leaves_one_whole_answer(
    built, two_corpora, tmp_path, monkeypatch
):
    """Stopped once every shard has its new commit but before the cluster commit is swapped
    in (the shards' `current` ahead of what the cluster commit names), the previous cluster
    commit answers whole, in this process and on restarted shard actors; stopped right after
    the swap, the new one does. The next update completes either way; so does an optimize."""
    import indexer.cluster_optimize as co
    import indexer.cluster_publish as cp
    import indexer.cluster_update as cu

    old, new = two_corpora
    index = _copy(built["old"], tmp_path / "i")
    want_old, want_new = built["want"]["old"], built["want"]["new"]
    body = (index / CLUSTER).read_bytes()

    class Killed(BaseException):
        pass

    def killed(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(cp, "write_cluster", killed)
    with pytest.raises(Killed):
        cu.update_sharded([new], index)
    monkeypatch.undo()
    assert (index / CLUSTER).read_bytes() == body
    named = {e["name"]: e["commit"] for e in read_cluster(index)["shards"]}
    ahead = [n for n, c in named.items() if read_current(index / n)["name"] != c]
    assert ahead  # the shards moved on; the cluster commit did not
    assert _answers(index) == want_old
    served = ClusterEngine.open(index)  # shard actors on Ray open the commits named too
    try:
        assert [served.search(SearchQuery(q=q, per_page=10)) for q in QUERIES] == want_old
    finally:
        served.close()

    monkeypatch.setattr(cp, "point_current", killed)
    with pytest.raises(Killed):
        cu.update_sharded([new], index)
    monkeypatch.undo()
    assert (index / CLUSTER).read_bytes() != body
    assert _answers(index) == want_new
    cu.update_sharded([old], index)
    assert _answers(index) == want_old
    for entry in read_cluster(index)["shards"]:
        assert read_current(index / entry["name"])["name"] == entry["commit"]

    # an optimize stopped before its cluster commit, then run whole
    body = (index / CLUSTER).read_bytes()
    monkeypatch.setattr(cp, "write_cluster", killed)
    with pytest.raises(Killed):
        co.optimize_sharded(index)
    monkeypatch.undo()
    assert (index / CLUSTER).read_bytes() == body and _answers(index) == want_old
    co.optimize_sharded(index)
    assert (index / CLUSTER).read_bytes() != body and _answers(index) == want_old


def _kill_when(args: list[str], env: dict, ready, limit: float) -> bool:
    """Run `baogao ARGS`; SIGKILL it as soon as `ready()` holds (or after `limit` s). True
    when it had finished before."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "baogao", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env=env,
    )
    started = time.monotonic()
    while proc.poll() is None and not ready() and time.monotonic() - started < limit:
        time.sleep(0.005)
    if proc.poll() is not None:
        return True
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return False


def test_a_killed_update_process_leaves_the_previous_cluster_commit_answering(
    ray_local, built, two_corpora, tmp_path
):
    """SIGKILL of `baogao index --update` (joined to this Ray): while it ingests, while a
    shard writes its segment, once a shard has committed. Each time the cluster commit on
    disk answers whole — the previous one, or the new one when it was swapped in — and the
    next update completes from it, removing what the killed run left."""
    from indexer.cluster_update import update_sharded

    old, new = two_corpora
    index = _copy(built["old"], tmp_path / "i")
    want = built["want"]
    env = dict(os.environ, RAY_ADDRESS=ray_local.get_runtime_context().gcs_address)
    shard_dirs = [index / e["name"] for e in read_cluster(index)["shards"]]

    def writing() -> bool:
        return any(p.name.startswith(fmt.TMP_PREFIX) for d in shard_dirs for p in d.iterdir())

    def committed_count() -> int:
        return sum(
            1 for d in shard_dirs for p in d.iterdir() if p.name.startswith(fmt.COMMIT_PREFIX)
        )

    state, kills = "old", 0
    for trigger in ("ingest", "segment", "commit"):
        target = new if state == "old" else old
        body = (index / CLUSTER).read_bytes()
        commits = committed_count()
        ready = {
            "ingest": lambda: False,
            "segment": writing,
            "commit": lambda c=commits: committed_count() > c,
        }[trigger]
        args = ["index", str(target), "--index", str(index), "--update"]
        kills += not _kill_when(args, env, ready, 1.5 if trigger == "ingest" else 120)
        swapped = (index / CLUSTER).read_bytes() != body
        other = "new" if state == "old" else "old"
        assert _answers(index) == want[other if swapped else state], trigger
        update_sharded([target], index)  # the next run completes (here, to save a start)
        state = other
        assert _answers(index) == want[state]
    assert kills == 3  # each run was killed, none had finished
    cluster = json.loads((index / CLUSTER).read_text(encoding="utf-8"))
    for entry in cluster["shards"]:  # what killed runs left is gone once a run completes
        commits = [
            p.name
            for p in (index / entry["name"]).iterdir()
            if p.name.startswith(fmt.COMMIT_PREFIX)
        ]
        assert entry["commit"] in commits and len(commits) <= 2


def test_a_server_picks_up_a_new_cluster_commit_whole_and_the_old_one_still_answers(
    built, two_corpora, tmp_path
):
    """The engine a request took keeps answering from its cluster commit while an update
    lands (the previous commit's shard commits are kept); the next request's engine is the new
    cluster commit's, every shard of it."""
    from indexer.cluster import init_ray
    from indexer.cluster_update import update_sharded
    from search.cluster_actors import stop
    from search.holder import EngineHolder

    _, new = two_corpora
    index = _copy(built["old"], tmp_path / "i")
    holder = EngineHolder(index)
    first = holder.get()

    def answers(engine) -> list:
        return [engine.search(SearchQuery(q=q, per_page=10)) for q in QUERIES]

    try:
        assert answers(first) == built["want"]["old"]
        update_sharded([new], index)
        second = holder.get()
        assert second is not first
        assert answers(second) == built["want"]["new"]
        assert answers(first) == built["want"]["old"]  # a request begun before: whole, old
        assert holder.get() is second
    finally:
        first.close()
        holder.get().close()
        stop(init_ray(), index)  # the shared actors of both commits, which outlive a front
