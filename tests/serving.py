"""A live `baogao serve` and clients for the tests that run real processes: the server on a
free loopback port, `baogao` as a subprocess, and API clients that tell which index answered."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

from search.engine import Engine
from search.results import SearchQuery
from search_app import create_app

ROOT = Path(__file__).resolve().parents[1]
# `python -m baogao` from the project folder: this checkout's code, whichever one the
# environment's `baogao` script was installed from.
BIN = (sys.executable, "-m", "baogao")
HOST = "127.0.0.1"
QUERIES = ("改革", "发展", '"最多跑一次"', "经济 OR 人民", "")
EXTRA = (
    "临平区政府工作报告\n\n各位代表：\n\n"
    "现在，我代表区人民政府向大会报告工作，请予审议。过去一年，我们坚持改革发展，经济稳步增长，"
    "人民生活持续改善，“最多跑一次”改革走在前列。\n\n"
    "新增的一份报告让两次构建的回答不同：改革、发展、经济、人民都在这一段里出现。\n"
)


def fingerprint(obj: dict) -> tuple:
    """What must not mix between generations: totals and the page's hits."""
    hits = tuple((h["report_id"], h["paragraph"]) for h in obj["hits"])
    return obj["total"], obj["reports"], obj["occurrences"], hits


def api_answers(index: Path) -> dict[str, tuple]:
    client = create_app({"INDEX_DIR": str(index)}).test_client()
    return {q: fingerprint(client.get("/api/search", query_string={"q": q}).json) for q in QUERIES}


def engine_answers(index: Path) -> list[tuple]:
    engine = Engine.open(index)
    out = []
    for q in QUERIES:
        res = engine.search(SearchQuery(q=q))
        out.append((res.total, res.reports, tuple((h.report_id, h.paragraph) for h in res.hits)))
    engine.close()
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """`baogao serve` as a subprocess on a free loopback port (this checkout's, unless `bin`
    names another `baogao` command, run from `cwd`)."""

    def __init__(
        self,
        index: Path,
        threads: int = 8,
        extra: tuple = (),
        start_timeout: float = 60,
        bin: tuple[str, ...] = BIN,
        cwd: Path = ROOT,
    ) -> None:
        self.port = free_port()
        cmd = [*bin, "serve", "--index", str(index), "--host", HOST]
        cmd += ["--port", str(self.port), "--threads", str(threads), *extra]
        # a file, not a pipe: an unread pipe fills with waitress's warnings and blocks the server
        self.log = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.proc = subprocess.Popen(cmd, stderr=self.log, text=True, cwd=cwd)
        deadline = time.monotonic() + start_timeout
        while True:
            assert self.proc.poll() is None, self.stop()
            try:
                socket.create_connection((HOST, self.port), timeout=1).close()
                return
            except OSError:
                assert time.monotonic() < deadline, "baogao serve did not start"
                time.sleep(0.1)

    def stop(self) -> str:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.seek(0)
        err = self.log.read()
        self.log.close()
        return err


LOOPBACK = {"0100007F", "0000000000000000FFFF00000100007F", "00000000000000000000000001000000"}


def listening(pid: int) -> list[str]:
    """The addresses (hex, as /proc/net/tcp* writes them) a process listens on."""
    inodes = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            next(lines)
            for line in lines:
                fields = line.split()
                if fields[3] == "0A":  # LISTEN
                    inodes[fields[9]] = fields[1]
    out = []
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:  # the process is gone, or not ours to read
        return out
    for fd in fds:
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            out.append(inodes[target[8:-1]])
    return out


def baogao(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*BIN, *args], capture_output=True, text=True, timeout=timeout, check=False, cwd=ROOT
    )


def messages(stderr: str) -> list[str]:
    """The lines baogao itself wrote to stderr (progress bars left out)."""
    return [line for line in stderr.splitlines() if line.startswith("baogao:")]


class Clients:
    """`count` clients asking the API in a loop while indexes change under the server; each
    answer is the old corpus's, the new one's, or a failure."""

    def __init__(self, port: int, old_answers: dict, new_answers: dict, count: int = 8):
        self.port, self.old, self.new = port, old_answers, new_answers
        self.seen: list[tuple[str, str]] = []  # (query, "old" | "new")
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._ask, args=(k,)) for k in range(count)]

    def start(self) -> None:
        for t in self._threads:
            t.start()

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=60)

    def kinds(self) -> list[str]:
        return [kind for _, kind in self.seen]

    def _ask(self, k: int) -> None:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        i = k
        while not self._stop.is_set():
            q = QUERIES[i % len(QUERIES)]
            i += 1
            try:
                conn.request("GET", "/api/search?q=" + quote(q))
                resp = conn.getresponse()
                body = resp.read()
            except (OSError, http.client.HTTPException) as exc:
                self.failures.append(f"{q}: {exc!r}")
                conn.close()
                conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
                continue
            if resp.status != 200:
                self.failures.append(f"{q}: HTTP {resp.status} {body[:200]!r}")
                continue
            got = fingerprint(json.loads(body))
            if got == self.old[q]:
                self.seen.append((q, "old"))
            elif got == self.new[q]:
                self.seen.append((q, "new"))
            else:
                self.failures.append(f"{q}: an answer of neither index: {got[:3]}")
        conn.close()
