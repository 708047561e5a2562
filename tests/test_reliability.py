"""Faults and load: rebuilding while serving, builds killed with SIGKILL, a full disk, a corrupt
or missing index, a port in use, and a short load smoke test. Real processes, real indexes.

The long versions (more kills, 16 clients for 60 s on the 200k-paragraph corpus) are run by
tools/reliability.py and tools/load.py; their figures are in RELIABILITY.md.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from baogao.cli import main
from indexer import format as fmt
from indexer.build import build_index
from indexer.ingest import ingest
from search_app import create_app
from tests.serving import (
    BIN,
    HOST,
    ROOT,
    Clients,
    Server,
    baogao,
    engine_answers,
    free_port,
    messages,
)

# -- rebuild while serving (`two_corpora`: conftest.py) -------------------------------------


def test_rebuilds_while_serving_never_fail_or_mix(two_corpora, tmp_path: Path) -> None:
    old, new, old_answers, new_answers = two_corpora
    index = tmp_path / "index"
    build_index(ingest([old]).reports, index)
    server = Server(index)
    clients = Clients(server.port, old_answers, new_answers)
    try:
        clients.start()
        time.sleep(1)
        swaps = []
        for corpus in (new, old):
            done = baogao("index", str(corpus), "--index", str(index), timeout=120)
            assert done.returncode == 0, done.stderr
            swaps.append(len(clients.seen))
            time.sleep(1.5)
    finally:
        clients.stop()
        server_err = server.stop()
    assert clients.failures == []
    assert "Traceback" not in server_err
    kinds = clients.kinds()
    print(f"rebuilds while serving: {len(kinds)} responses, {kinds.count('new')} new, 0 failed")
    assert len(kinds) > 100
    assert "new" in kinds[swaps[0] :]  # the first rebuild was picked up while serving
    assert kinds[-8:] == ["old"] * 8  # and the second one too


# -- builds killed with SIGKILL -------------------------------------------------------------


def kill_build(corpus: Path, index: Path, delay: float) -> bool:
    """Start `baogao index`, SIGKILL it `delay` s after its build folder appears; True when
    the build had already finished."""
    before = set(index.glob(fmt.tmp_pattern()))
    proc = subprocess.Popen(
        [*BIN, "index", str(corpus), "--index", str(index)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while proc.poll() is None and not set(index.glob(fmt.tmp_pattern())) - before:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(delay)
    finished = proc.poll() is not None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    lingering = processes_using(index)
    for pid in lingering:  # a build's worker processes must die with it
        os.kill(pid, signal.SIGKILL)
    assert lingering == []
    return finished


def build_seconds(corpus: Path, index: Path) -> float:
    """How long a whole `baogao index` runs after its build folder appears (the kill window)."""
    before = set(index.glob(fmt.tmp_pattern()))
    cmd = [*BIN, "index", str(corpus), "--index", str(index)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while proc.poll() is None and not set(index.glob(fmt.tmp_pattern())) - before:
        time.sleep(0.01)
    started = time.monotonic()
    assert proc.wait(timeout=300) == 0
    return time.monotonic() - started


def processes_using(index: Path, wait: float = 3.0) -> list[int]:
    """Processes whose command line names `index`, once those that are exiting have gone."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for proc in Path("/proc").iterdir():
            try:
                cmdline = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            if proc.name.isdigit() and str(index).encode() in cmdline.split(b"\0"):
                found.append(int(proc.name))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def check_kills(corpus: Path, index: Path, runs: int, window: float, seed: int) -> list[bool]:
    """SIGKILL `runs` builds at random moments; after each the index answers as before.
    Returns whether each build had finished when the signal came."""
    expected = engine_answers(index)
    rng = random.Random(seed)
    outcomes = []
    for _ in range(runs):
        outcomes.append(kill_build(corpus, index, rng.uniform(0, window)))
        assert engine_answers(index) == expected  # the previous index answers as before
    return outcomes


def test_killed_builds_of_the_bundled_corpus_leave_the_index_serving(
    bundled_corpus: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    build_index(ingest([bundled_corpus]).reports, index)
    expected = engine_answers(index)
    # the build itself takes about 2 s here: kills land before, during and after the swap
    check_kills(bundled_corpus, index, runs=4, window=2.2, seed=3)
    done = baogao("index", str(bundled_corpus), "--index", str(index))
    assert done.returncode == 0, done.stderr
    assert list(index.glob(fmt.tmp_pattern())) == []  # the next build removes the leftovers
    assert list(index.glob(f"{fmt.LINK_TMP_PREFIX}*")) == []
    assert engine_answers(index) == expected


@pytest.mark.shared
def test_killed_builds_of_the_shared_corpus_leave_the_index_serving(
    shared_index: Path, shared_corpus: Path, tmp_path: Path
) -> None:
    from indexer import store

    index = tmp_path / "index"
    shutil.copytree(shared_index, index, symlinks=True)
    # kills within the first half of a real build's time land mid-build on any machine (the
    # bundled corpus's test above also kills around the swap)
    window = build_seconds(shared_corpus, index) / 2
    outcomes = check_kills(shared_corpus, index, runs=3, window=window, seed=7)
    assert not any(outcomes)
    assert list(
        index.glob(fmt.tmp_pattern())
    )  # each build removes earlier leftovers; the last stays
    fresh = store.new_build_dir(index)  # what the next build does first
    assert list(index.glob(fmt.tmp_pattern())) == [fresh]


# -- clear failures -------------------------------------------------------------------------


def corrupt_copy(index: Path, dest: Path, how: str) -> Path:
    shutil.copytree(index, dest, symlinks=True)
    commit = dest / os.readlink(dest / fmt.CURRENT)
    gen = dest / json.loads(commit.read_text(encoding="utf-8"))["segments"][0]["name"]
    if how == "commit truncated":
        commit.write_bytes(commit.read_bytes()[:40])
    elif how == "meta truncated":
        data = fmt.meta_path(gen).read_bytes()
        fmt.meta_path(gen).write_bytes(data[: len(data) // 2])
    elif how == "meta garbled":
        fmt.meta_path(gen).write_bytes(bytes(random.Random(1).randrange(256) for _ in range(999)))
    elif how == "meta wrong shape":
        fmt.meta_path(gen).write_text(f'{{"format": {fmt.SEGMENT_FORMAT}}}', encoding="utf-8")
    elif how == "whoosh segment truncated":
        for seg in fmt.whoosh_dir(gen).glob("MAIN_*"):  # every file of every segment
            seg.write_bytes(seg.read_bytes()[:100])
    elif how == "columns truncated":
        data = (gen / fmt.COLUMNS_FILE).read_bytes()
        (gen / fmt.COLUMNS_FILE).write_bytes(data[: len(data) // 3])
    elif how == "suffix array truncated":
        data = fmt.suffixes_path(gen).read_bytes()
        fmt.suffixes_path(gen).write_bytes(data[: len(data) // 2])
    elif how == "folded text truncated":
        data = fmt.folded_path(gen).read_bytes()
        fmt.folded_path(gen).write_bytes(data[: len(data) - 100])
    elif how == "current dangling":
        (dest / fmt.CURRENT).unlink()
        (dest / fmt.CURRENT).symlink_to(f"{fmt.LEGACY_PREFIX}missing")
    elif how == "meta missing":
        fmt.meta_path(gen).unlink()
    return dest


CORRUPTIONS = (
    "commit truncated",
    "meta truncated",
    "meta garbled",
    "meta wrong shape",
    "whoosh segment truncated",
    "columns truncated",
    "suffix array truncated",
    "folded text truncated",
    "current dangling",
    "meta missing",
)


@pytest.mark.parametrize("how", CORRUPTIONS)
def test_corrupt_index_gives_one_line_and_a_nonzero_exit(bundled_index, tmp_path, capsys, how):
    index = corrupt_copy(bundled_index, tmp_path / "index", how)
    for argv in (["search", "改革"], ["status"]):
        assert main([*argv, "--index", str(index)]) in (3, 5)
        out, err = capsys.readouterr()
        assert out == ""
        (line,) = err.splitlines()
        assert line.startswith("baogao: ") and str(index) in line
        assert ("damaged" in line) or ("no index" in line) or ("incomplete" in line)


@pytest.mark.parametrize("how", ["whoosh segment truncated", "meta garbled"])
def test_corrupt_index_is_a_503_page_and_serve_refuses(
    bundled_index, tmp_path, capsys, monkeypatch, how
) -> None:
    import waitress

    index = corrupt_copy(bundled_index, tmp_path / "index", how)
    client = create_app({"INDEX_DIR": str(index)}).test_client()
    assert client.get("/search?q=改革").status_code == 503
    assert client.get("/api/search?q=改革").json["error"]["code"] == "index_corrupt"
    monkeypatch.setattr(waitress, "create_server", lambda *a, **k: pytest.fail("listened"))
    assert main(["serve", "--index", str(index), "--port", str(free_port())]) == 5
    (line,) = capsys.readouterr().err.splitlines()
    assert "damaged" in line


def test_corrupt_index_in_a_real_process_prints_no_traceback(bundled_index, tmp_path) -> None:
    index = corrupt_copy(bundled_index, tmp_path / "index", "whoosh segment truncated")
    done = baogao("search", "改革", "--index", str(index))
    assert done.returncode == 5 and "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1


@pytest.mark.parametrize("argv", [["search", "改革"], ["status"], ["serve"]])
def test_missing_index_gives_one_line_and_exit_3(tmp_path, capsys, argv) -> None:
    assert main([*argv, "--index", str(tmp_path / "nowhere")]) == 3
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("baogao: no index at ")


def test_port_in_use_gives_one_line_and_exit_1(bundled_index, capsys) -> None:
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--index", str(bundled_index), "--port", str(port)]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line == f"baogao: cannot listen on 127.0.0.1:{port}: Address already in use"


def test_unwritable_index_folder_gives_one_line(bundled_corpus, tmp_path, capsys) -> None:
    (tmp_path / "file").write_text("not a folder")
    assert main(["index", str(bundled_corpus), "--index", str(tmp_path / "file" / "ix")]) == 1
    (line,) = messages(capsys.readouterr().err)
    assert "index build failed" in line and "Not a directory" in line


@pytest.fixture
def small_disk(tmp_path: Path):
    """A tmpfs of 2 MB mounted in tmp_path (root only): room for the bundled index (1.4 MB)
    but not for a second one; unmounted afterwards."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs to fill needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_full_disk_during_a_build_leaves_the_index_as_it_was(
    bundled_index: Path, bundled_corpus: Path, small_disk: Path
) -> None:
    index = small_disk / "index"
    shutil.copytree(bundled_index, index, symlinks=True)
    expected = engine_answers(index)
    done = baogao("index", str(bundled_corpus), "--index", str(index))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    (line,) = messages(done.stderr)
    assert "No space left on device" in line and "left as it was" in line
    assert engine_answers(index) == expected
    assert list(index.glob(fmt.tmp_pattern())) == []  # the failed build's folder is removed


# -- load smoke test ------------------------------------------------------------------------


def test_load_smoke_has_no_errors(bundled_index: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "load.py"), "--index", str(bundled_index)]
        + ["--clients", "4", "--seconds", "3", "--warmup", "0", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    result = json.loads(done.stdout)
    assert result["errors"] == 0 and result["requests"] > 0, result["first_errors"]
    assert done.returncode == 0


@pytest.mark.parametrize("port", ["99999", "0", "-1", "http"])
def test_serve_refuses_an_impossible_port_with_a_message(bundled_index, runner, port):
    out = runner("serve", "--index", bundled_index, "--port", port)
    assert out.exit_code == 2
    assert "port" in out.stderr and "Traceback" not in out.stderr


def _raw(port: int, request: bytes) -> tuple[bytes, bytes]:
    """The status line and the body of the answer to one raw request."""
    with socket.create_connection((HOST, port), timeout=30) as sock:
        sock.sendall(request)
        response = b""
        while chunk := sock.recv(65536):
            response += chunk
    head, _, body = response.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0], body


def test_requests_waitress_refuses_are_answered_in_chinese(bundled_index) -> None:
    """A request waitress cannot read never reaches the site: the server's own answer says
    what is wrong in Chinese (it was English text), its status unchanged."""
    server = Server(bundled_index)
    try:
        chunked = b"Transfer-Encoding: chunked\r\n\r\nzz\r\n"  # not a chunk size
        status, body = _raw(server.port, b"POST /api/search HTTP/1.1\r\nHost: x\r\n" + chunked)
        assert status.split(b" ")[1] == b"400", status
        assert body.decode("utf-8").strip() == "请求无法读取（不合 HTTP 格式），请检查网址"
    finally:
        server.stop()
    # a URL over the 256 KB header limit (answered before the whole request is read, so
    # the connection may be reset under the answer): the same replacement, asked directly
    from waitress.utilities import RequestHeaderFieldsTooLarge

    from baogao.waitress_errors import answer_refusals_in_chinese

    answer_refusals_in_chinese()
    status, headers, body = RequestHeaderFieldsTooLarge("exceeds max_header").to_response()
    assert status == "431 Request Header Fields Too Large"
    assert body.decode("utf-8").startswith("网址或请求头过长（最多 256 KB）")


def test_a_url_with_raw_utf8_is_read_as_browsers_send_it(bundled_index) -> None:
    """curl sends `?q=最多跑一次` as raw UTF-8 bytes; the server reads it as if percent-encoded."""
    server = Server(bundled_index)
    try:
        raw = "/api/search?q=最多跑一次&district=拱墅区".encode()
        with socket.create_connection((HOST, server.port), timeout=30) as sock:
            sock.sendall(b"GET " + raw + b" HTTP/1.0\r\nHost: localhost\r\n\r\n")
            response = b""
            while chunk := sock.recv(65536):
                response += chunk
        head, _, body = response.partition(b"\r\n\r\n")
        assert head.split(b" ")[1] == b"200", head
        answer = json.loads(body)
        assert answer["query"] == "最多跑一次" and answer["total"] > 0
        assert {h["place"]["name"] for h in answer["hits"]} == {"拱墅区"}
    finally:
        server.stop()
