"""Updates and merges are commits: a server answers from one commit per request, never a
mix, while updates land; an update or a merge killed at any point (SIGKILL) leaves the
previous commit answering whole."""

from __future__ import annotations

import random
import signal
import subprocess
import time
from pathlib import Path

from indexer import format as fmt
from indexer.format import read_current
from tests.serving import BIN, ROOT, Clients, Server, baogao, engine_answers


def test_updates_while_serving_never_fail_or_mix(two_corpora, tmp_path: Path) -> None:
    old, new, old_answers, new_answers = two_corpora
    index = tmp_path / "index"
    assert baogao("index", str(old), "--index", str(index)).returncode == 0
    server = Server(index)
    clients = Clients(server.port, old_answers, new_answers)
    marks = []
    try:
        clients.start()
        time.sleep(1)
        for corpus in (new, old):  # a report added, then removed
            done = baogao("index", str(corpus), "--index", str(index), "--update", timeout=120)
            assert done.returncode == 0, done.stderr
            assert "updated:" in done.stdout
            time.sleep(1.5)
            marks.append(len(clients.seen))
    finally:
        clients.stop()
        server_err = server.stop()
    assert clients.failures == []
    assert "Traceback" not in server_err
    seen = clients.kinds()
    print(f"updates while serving: {len(seen)} responses, {seen.count('new')} new, 0 failed")
    assert len(seen) > 100
    assert "new" in seen[marks[0] : marks[1]]  # each update was picked up while serving
    assert seen[-8:] == ["old"] * 8


def killed(args: list[str], delay: float) -> bool:
    """Run `baogao ARGS`, SIGKILL it after `delay` s; True when it had finished already."""
    proc = subprocess.Popen(
        [*BIN, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT
    )
    try:
        proc.wait(timeout=delay)
        return True
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return False


def test_killed_updates_and_merges_leave_the_previous_commit_answering(two_corpora, tmp_path):
    old, new, _, _ = two_corpora
    index = tmp_path / "index"
    assert baogao("index", str(old), "--index", str(index)).returncode == 0
    want = {"old": engine_answers(index)}
    started = time.monotonic()
    assert baogao("index", str(new), "--index", str(index), "--update").returncode == 0
    took = time.monotonic() - started  # kill within a run of about this length
    want["new"] = engine_answers(index)
    rng = random.Random(12)
    kills, state = 0, "new"
    for step in range(8):
        other = "old" if state == "new" else "new"
        merging = step in (3, 6)
        if merging:
            args = ["optimize", "--index", str(index)]
        else:
            args = ["index", str(old if state == "new" else new), "--index", str(index), "--update"]
        before = read_current(index)["name"]
        kills += not killed(args, rng.uniform(0.05, 0.8) * took)
        got = engine_answers(index)  # whole: the previous commit, or the finished one
        if read_current(index)["name"] == before:
            assert got == want[state]
        else:
            assert got == want[state if merging else other]
        done = baogao(*args)  # whatever was killed, the next run completes
        assert done.returncode == 0, done.stderr
        state = state if merging else other
        assert engine_answers(index) == want[state]
        if merging:
            assert len(read_current(index)["segments"]) == 1
    assert kills >= 3
    leftovers = [p.name for p in index.iterdir() if p.name.startswith(fmt.TMP_PREFIX)]
    assert len(leftovers) <= 1  # each run removes the leftovers of killed ones
