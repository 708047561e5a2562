"""Drive `/api/search` of a `baogao serve` subprocess with 1 and 8 concurrent clients.

Loopback only. The server is started on a free port of 127.0.0.1 over the benchmark's index,
warmed with one pass of the query mix, then each client level runs for a bounded time and
request count, every client cycling through the query mix from its own offset over one
keep-alive connection. The clients share the machine (and its two cores) with the server.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.common import Query, load_queries, percentile

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
CLIENTS = (1, 8)
START_TIMEOUT = 120.0
MEMORY_SHARE = 0.6  # stop the load when the server holds more than this share of the RAM


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def query_path(query: Query) -> str:
    """The `/api/search` URL of one query of the mix (first page, 20 hits)."""
    params: list[tuple[str, str]] = [("q", query.q), ("mode", query.mode)]
    params += [("district", d) for d in query.districts]
    params += [("type", t) for t in query.types]
    if query.year_from is not None:
        params.append(("year_from", str(query.year_from)))
    if query.year_to is not None:
        params.append(("year_to", str(query.year_to)))
    params += [("page", "1"), ("per_page", "20")]
    return "/api/search?" + urlencode(params)


def _serve_command(index: Path, port: int) -> list[str]:
    script = Path(sys.executable).with_name("baogao")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "baogao"]
    return base + ["serve", "--index", str(index), "--host", HOST, "--port", str(port)]


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path)
    resp = conn.getresponse()
    return resp.status, resp.read()


def _wait_ready(port: int, proc: subprocess.Popen, path: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"baogao serve exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            status, _ = _get(conn, path)
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"baogao serve did not answer within {START_TIMEOUT:.0f} s")


def _client(
    port: int,
    paths: list[str],
    offset: int,
    stop_at: float,
    stop: threading.Event,
    budget: list[int],
    lock: threading.Lock,
    times: list[float],
    errors: list[str],
) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    i = offset
    while time.monotonic() < stop_at and not stop.is_set():
        with lock:
            if budget[0] <= 0:
                break
            budget[0] -= 1
        path = paths[i % len(paths)]
        i += 1
        t = time.perf_counter()
        try:
            status, body = _get(conn, path)
            elapsed = (time.perf_counter() - t) * 1000
            if status != 200 or "total" not in json.loads(body):
                errors.append(f"HTTP {status} for {path}")
            times.append(elapsed)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            errors.append(f"{type(exc).__name__} for {path}")
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
    conn.close()


def _watch_memory(pid: int, stop: threading.Event, done: threading.Event, why: list[str]) -> None:
    """Stop the load if the server's resident memory grows past MEMORY_SHARE of the RAM."""
    limit = _mem_total_mb() * MEMORY_SHARE
    while not done.wait(0.5):
        rss = _status_mb(pid, "VmRSS:")
        if limit and rss and rss > limit:
            why.append(f"stopped early: server RSS {rss:,.0f} MB passed {limit:,.0f} MB")
            stop.set()
            return


def _level(
    port: int, pid: int, paths: list[str], clients: int, seconds: float, max_requests: int
) -> dict:
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    budget = [max_requests]
    stop_at = time.monotonic() + seconds
    stop, done, why = threading.Event(), threading.Event(), []
    watcher = threading.Thread(target=_watch_memory, args=(pid, stop, done, why), daemon=True)
    watcher.start()
    step = max(1, len(paths) // clients)
    threads = [
        threading.Thread(
            target=_client,
            args=(port, paths, c * step, stop_at, stop, budget, lock, times, errors),
            daemon=True,
        )
        for c in range(clients)
    ]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t0
    done.set()
    watcher.join()
    times.sort()
    return {
        "clients": clients,
        "requests": len(times) + sum(1 for e in errors if not e.startswith("HTTP")),
        "seconds": elapsed,
        "rps": len(times) / elapsed if elapsed else 0.0,
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "p99_ms": percentile(times, 99),
        "errors": len(errors),
        "error_examples": errors[:3],
        "server_rss_mb": _status_mb(pid, "VmRSS:"),
        "stopped": why[0] if why else "",
    }


def _status_mb(pid: int, key: str) -> float | None:
    """A memory figure (VmRSS:, VmHWM:) of a process from /proc, in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _mem_total_mb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def measure(index: Path, queries_file: Path, quick: bool = False) -> dict:
    """Requests per second, latency percentiles and errors at each client level."""
    queries = load_queries(queries_file)
    paths = [query_path(q) for q in queries]
    seconds = 5.0 if quick else 20.0
    max_requests = 300 if quick else 5000
    port = free_port()
    # the server's log goes to a file: an unread pipe fills up with waitress's queue warnings
    # under load and then blocks the server
    log_file = (index.parent / "serve.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(
        _serve_command(index, port), stdout=log_file, stderr=subprocess.STDOUT, text=True
    )
    try:
        t0 = time.perf_counter()
        _wait_ready(port, proc, paths[0])
        ready = time.perf_counter() - t0
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        for path in paths:  # warm-up pass
            _get(conn, path)
        conn.close()
        runs = []
        for clients in CLIENTS:
            runs.append(_level(port, proc.pid, paths, clients, seconds, max_requests))
            if runs[-1]["stopped"]:
                break
        peak = _status_mb(proc.pid, "VmHWM:")
    except (RuntimeError, OSError, http.client.HTTPException) as exc:
        return {"skipped": f"could not measure: {exc}"}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log_file.close()
    return {
        "note": f"waitress with its default 8 threads; each level at most {seconds:.0f} s or "
        f"{max_requests:,} requests; keep-alive connections; first answer after "
        f"{ready:.1f} s; server peak RSS {peak or 0:,.0f} MB",
        "ready_seconds": ready,
        "server_peak_rss_mb": peak,
        "runs": runs,
    }
