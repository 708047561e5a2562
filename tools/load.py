"""Load on `baogao serve`: N concurrent clients for a bounded time on the bench query mix.

    python tools/load.py                                   16 clients, 60 s, the 200k index
    python tools/load.py --index DIR --clients 4 --seconds 3 --warmup 0 --json

The server is a `baogao serve` subprocess on a free port of 127.0.0.1 (loopback only). Each
client keeps one connection and cycles through bench/queries.txt from its own offset, asking
in turn for the JSON API page and the HTML results page of each query. After a warm-up (not
measured), requests are counted for `--seconds`; the server's resident memory is read from
/proc/<pid>/status once a second. Figures go into RELIABILITY.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
# `python -m baogao` from the project folder: this checkout's code, whichever one the
# environment's `baogao` script was installed from.
BIN = (sys.executable, "-m", "baogao")
DEFAULT_INDEX = ROOT / "bench" / "work" / "reliability" / "200000" / "index"
QUERIES = ROOT / "bench" / "queries.txt"


def machine() -> str:
    """One line naming the machine, for the figures."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = " " + line.split(":", 1)[1].strip()
                break
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        cpu += f", {kb / 1024**2:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    python = platform.python_version()
    return f"{os.cpu_count()} cores{cpu}, Linux {platform.release()}, Python {python}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def rss_kb(pid: int) -> int:
    """Resident set size of a process in kB, from /proc/<pid>/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@contextmanager
def serving(index: Path, threads: int = 8, timeout: float = 300.0) -> Iterator[tuple[int, int]]:
    """`baogao serve` over `index` on a free loopback port, until the block ends: (port, pid)."""
    port = free_port()
    cmd = [*BIN, "serve", "--index", str(index), "--host", HOST, "--port", str(port)]
    cmd += ["--threads", str(threads)]
    # stderr goes to a file: an unread pipe fills with waitress's queue warnings under load,
    # and the server then blocks on its next write
    log = tempfile.TemporaryFile("w+", encoding="utf-8")
    proc = subprocess.Popen(cmd, stderr=log, text=True, cwd=ROOT)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"baogao serve exited: {log.read().strip()}")
            try:
                with socket.create_connection((HOST, port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("baogao serve did not start in time") from None
                time.sleep(0.1)
        yield port, proc.pid
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def query_mix(path: Path = QUERIES) -> list[str]:
    """The request paths of the bench query mix: each query's API page and HTML page."""
    from bench.common import load_queries
    from bench.http_load import query_path

    paths = []
    for query in load_queries(path):
        api = query_path(query)
        paths += [api, api.replace("/api/search?", "/search?", 1)]
    return paths


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile of a sorted list."""
    if not values:
        return float("nan")
    k = max(0, -(-len(values) * p // 100) - 1)
    return values[min(int(k), len(values) - 1)]


@dataclass
class Tally:
    """What the clients saw in the measured window."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def client(port: int, paths: list[str], offset: int, stop: float, start: float, tally: Tally):
    """Requests in a loop over one keep-alive connection until `stop`; counted after `start`."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    i = offset
    while time.monotonic() < stop:
        path = paths[i % len(paths)]
        i += 1
        began = time.monotonic()
        error = ""
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                error = f"HTTP {resp.status} {path}"
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc} {path}"
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
        if began >= start:
            with tally.lock:
                tally.latencies.append(time.monotonic() - began)
                if error:
                    tally.errors.append(error)
    conn.close()


def run(index: Path, clients: int, seconds: float, warmup: float, threads: int) -> dict:
    paths = query_mix()
    with serving(index, threads=threads) as (port, pid):
        rss_open = rss_kb(pid)
        tally = Tally()
        now = time.monotonic()
        start, stop = now + warmup, now + warmup + seconds
        workers = [
            threading.Thread(
                target=client, args=(port, paths, k * len(paths) // clients, stop, start, tally)
            )
            for k in range(clients)
        ]
        for w in workers:
            w.start()
        samples: list[tuple[float, int]] = []
        done_per_s: list[int] = []  # requests completed in each second of the window
        while time.monotonic() < stop:
            samples.append((time.monotonic() - start, rss_kb(pid)))
            if time.monotonic() >= start:
                done_per_s.append(len(tally.latencies))
            time.sleep(1.0)
        for w in workers:
            w.join()
        samples.append((time.monotonic() - start, rss_kb(pid)))
    measured = [kb for t, kb in samples if t >= 0] or [samples[-1][1]]
    base = measured[0]
    lat = sorted(tally.latencies)
    return {
        "index": str(index),
        "machine": machine(),
        "clients": clients,
        "server_threads": threads,
        "seconds": seconds,
        "warmup_seconds": warmup,
        "paths_in_mix": len(paths),
        "requests": len(lat),
        "errors": len(tally.errors),
        "first_errors": tally.errors[:5],
        "throughput_rps": round(len(lat) / seconds, 1),
        "p50_ms": round(percentile(lat, 50) * 1000, 1),
        "p90_ms": round(percentile(lat, 90) * 1000, 1),
        "p99_ms": round(percentile(lat, 99) * 1000, 1),
        "max_ms": round(lat[-1] * 1000, 1) if lat else None,
        "rss_after_open_mb": round(rss_open / 1024, 1),
        "rss_after_warmup_mb": round(base / 1024, 1),
        "rss_end_mb": round(measured[-1] / 1024, 1),
        "rss_max_mb": round(max(measured) / 1024, 1),
        "rss_growth_pct": round(100 * (max(measured) - base) / base, 1) if base else None,
        "rss_samples_mb": [round(kb / 1024) for kb in measured[:: max(1, len(measured) // 12)]],
        "requests_per_second": [b - a for a, b in zip(done_per_s, done_per_s[1:], strict=False)],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=DEFAULT_INDEX)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=8, help="server threads (serve's default)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    from indexer.format import CURRENT

    if not (args.index / CURRENT).exists():
        print(f"load: no index at {args.index} (tools/reliability.py index)", file=sys.stderr)
        return 2
    if not 1 <= args.clients <= 64 or not 0 < args.seconds <= 600:
        print("load: at most 64 clients and 600 s", file=sys.stderr)
        return 2
    result = run(args.index, args.clients, args.seconds, args.warmup, args.threads)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key:>20}: {value}")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
