"""Whole-corpus computations in a process of their own.

A computation over every occurrence of a common word (the collocations of 的: seconds of
jieba segmentation, counting and NumPy) holds the interpreter's lock for most of its time, in
long C calls; in the server's process every other request would wait behind it. A `Worker`
runs such computations in one separate process that opens the same index (its files are
memory-mapped, so shared) at a lower CPU priority, one at a time:

- the request's time budget (`search.budget`) goes with the computation and is checked
  there; when no answer comes within the budget and `GRACE` seconds (the worker is stuck in
  C code, or was killed), the worker is killed and started afresh and the request answers
  503 (`TimeBudgetExceeded`); a worker still starting (opening the index, loading jieba) is
  waited for within the budget, never killed for being slow;
- one computation runs and at most `WAITING` − 1 wait: a request beyond them is refused at
  once (`ServerBusy`, 503), so such requests never take all of a server's threads;
- the worker computes over the commit the caller's engine has opened; when it cannot (an
  update has replaced it meanwhile), the computation runs in the caller's process.

`run(worker, engine, fn, *args)` is `fn(engine, *args)`, in the worker when there is one.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from search import budget
from search.errors import BaogaoError, ServerBusy

log = logging.getLogger(__name__)

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent  # the folder holding this `search` package
GRACE = 2.0  # seconds past the budget before a silent worker is killed
NICE = 10  # the worker's niceness: the server's own threads come first for the CPU
WAITING = 2  # computations running or waiting at once; more are refused


class Worker:
    """One worker process over the index at `index_dir`, started on first use (or `start`)
    and again after it dies or is killed."""

    def __init__(self, index_dir: str | Path, nice: int = NICE, waiting: int = WAITING):
        self.index_dir = str(index_dir)
        self.nice = nice
        self._slots = threading.BoundedSemaphore(waiting)
        self._lock = threading.Lock()  # one computation at a time
        self._proc: subprocess.Popen | None = None
        self._conn: Connection | None = None
        self._ready = False

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def start(self) -> None:
        """Start the worker now (it opens the index and loads jieba before its first task)."""
        with self._lock:
            self._ensure()

    def close(self) -> None:
        with self._lock:
            self._stop()

    def run(self, engine, fn: Callable[..., T], *args: Any) -> T:
        """`fn(engine, *args)` computed by the worker (`fn` and the arguments are pickled:
        a module-level function and plain values), within the current time budget."""
        if not self._slots.acquire(blocking=False):
            raise ServerBusy("服务器正在进行其他全库计算（如搭配词），请稍后再试")
        try:
            left = budget.remaining()
            if not self._lock.acquire(timeout=-1 if left is None else left[0]):
                raise budget.exceeded()
            try:
                status, value = self._call(engine.target, fn, args)
            finally:
                self._lock.release()
        finally:
            self._slots.release()
        if status == "stale":  # the worker cannot open the caller's commit
            return fn(engine, *args)
        if status == "error":
            raise value
        return value

    def _call(self, target: str, fn, args) -> tuple[str, Any]:
        left = budget.remaining()  # after the wait for the lock
        if left is not None and left[0] <= 0:
            raise budget.exceeded()
        self._ensure()
        assert self._conn is not None
        try:
            if not self._ready:  # booting: wait for it, never kill it for being slow to start
                if not self._conn.poll(None if left is None else left[0]):
                    raise budget.exceeded()
                self._ready = self._conn.recv() == ("ready", None)
                left = budget.remaining()
            self._conn.send((target, left, fn, args))
            if self._conn.poll(None if left is None else left[0] + GRACE):
                return self._conn.recv()
        except (EOFError, OSError):  # the worker died (killed, out of memory)
            log.warning("the worker process %s died; starting another", self.pid)
            self._stop()
            raise ServerBusy("全库计算进程意外退出，已重启，请稍后再试") from None
        log.warning("the worker process %s did not answer in time; killing it", self.pid)
        self._stop()
        raise budget.exceeded()

    def _ensure(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            return
        self._stop()
        # A new interpreter (`python -m search.worker`), not a fork of the server, whose
        # threads may hold locks a forked child would inherit; this checkout's code first.
        mine, theirs = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), env.get("PYTHONPATH"))))
        command = [sys.executable, "-m", "search.worker", self.index_dir]
        command += [str(theirs.fileno()), str(self.nice)]
        try:
            proc = subprocess.Popen(
                command, pass_fds=(theirs.fileno(),), env=env, stdin=subprocess.DEVNULL
            )
        except OSError:
            mine.close()
            raise
        finally:
            theirs.close()
        self._proc, self._conn = proc, Connection(mine.detach())
        self._ready = False  # until the worker says so

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None


def run(worker: Worker | None, engine, fn: Callable[..., T], *args: Any) -> T:
    """`fn(engine, *args)`: in `worker`'s process when there is one, else here."""
    if worker is None:
        return fn(engine, *args)
    return worker.run(engine, fn, *args)


def serve(conn: Connection, index_dir: str, nice: int) -> None:
    """The worker process: answer (target, budget left, fn, args) with ("ok", value),
    ("error", exception) or ("stale", None) until the server closes its end."""
    from indexer.analysis import jieba_tokenizer, words

    try:
        os.nice(nice)
    except (AttributeError, OSError):  # no os.nice (Windows), or not permitted
        pass
    threading.Thread(target=_end_with, args=(os.getppid(),), daemon=True).start()
    words("预热")  # jieba-rs and the Python jieba some texts need: loaded before the first task
    jieba_tokenizer()
    engines = _Engines(index_dir)
    try:
        conn.send(("ready", None))
    except (EOFError, OSError):
        return
    while True:
        try:
            target, left, fn, args = conn.recv()
        except (EOFError, OSError):
            return
        except Exception as exc:  # a task that does not unpickle here
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
            continue
        try:
            engine = engines.get(target)
            if engine is None:
                reply: tuple[str, Any] = ("stale", None)
            else:
                with budget.limit(*left) if left else budget.limit(None):
                    reply = ("ok", fn(engine, *args))
        except BaogaoError as exc:
            reply = ("error", exc)
        except Exception as exc:  # a defect: logged here, a 500 there
            log.exception("the worker's task failed")
            reply = ("error", RuntimeError(f"{type(exc).__name__}: {exc}"))
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return


def _end_with(server: int) -> None:
    """End this process once the server that started it is gone (killed mid-task, its task
    would otherwise run on to its own end)."""
    while os.getppid() == server:
        time.sleep(1)
    os._exit(0)


class _Engines:
    """The worker's engine: the index's current commit, reopened when the server asks for
    another one (after an update)."""

    def __init__(self, index_dir: str):
        self.index_dir = index_dir
        self.engine = None

    def get(self, target: str):
        """The engine of commit `target`, or None when the index's current commit is another
        one (the caller's engine is older, or newer, than what opens now)."""
        from search.engine import Engine

        if self.engine is None or self.engine.target != target:
            if self.engine is not None:
                self.engine.close()
                self.engine = None
            self.engine = Engine.open(self.index_dir)
        return self.engine if self.engine.target == target else None


if __name__ == "__main__":  # python -m search.worker INDEX_DIR FD NICE (started by Worker)
    serve(Connection(int(sys.argv[2])), sys.argv[1], int(sys.argv[3]))
