"""Whole-corpus computations in a worker process (`search.worker`): the same answers as in the
request's thread, the request's time budget applied there, a stuck or killed worker replaced
without holding the server, and no more computations waiting than it takes."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from search import budget
from search import concordance as kwic
from search.collocations import Steering, _collocations
from search.engine import Engine
from search.errors import ServerBusy, TimeBudgetExceeded
from search.results import SearchQuery
from search.worker import Worker
from search_app import create_app
from tests.messages import english_half

HERE = Path(__file__).resolve().parent
CASES = [
    (SearchQuery(q="改革"), 10, Steering()),
    (SearchQuery(q="发展", years=(2018,)), 5, Steering(pos=("n",))),
    (SearchQuery(q="最多跑一次 NEAR/10 改革"), 10, Steering(stop_default=False)),
    (SearchQuery(q="数字*改革"), 10, Steering(min_freq=3, stop=frozenset({"数字"}))),
    (SearchQuery(q="district:拱墅区 政府"), 50, Steering()),
]


def stuck(engine: Engine, seconds: float) -> None:
    """A task that never checks the budget (as a long C call would not)."""
    time.sleep(seconds)


def pid_of(engine: Engine) -> int:
    return os.getpid()


@pytest.fixture(scope="module")
def engine(bundled_index: Path):
    engine = Engine.open(bundled_index)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def worker(bundled_index: Path):
    """One worker for the module (a test that kills it leaves its successor to the next)."""
    with pytest.MonkeyPatch.context() as mp:
        # the worker imports this module's tasks (`stuck`, `pid_of`) by name, as pickled here
        mp.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))
        worker = Worker(bundled_index, nice=0)  # priority is not what these tests look at
        yield worker
        worker.close()


@pytest.mark.parametrize(("query", "span", "steering"), CASES, ids=[c[0].q for c in CASES])
def test_the_worker_answers_collocations_as_the_request_thread_does(
    engine, worker, query, span, steering
) -> None:
    here = _collocations(engine, query, span, 50, steering)
    there = worker.run(engine, _collocations, query, span, 50, steering)
    assert there == here
    assert here.items  # a list to compare


def test_the_worker_is_another_process(engine, worker) -> None:
    assert worker.run(engine, pid_of) not in (os.getpid(), None)
    assert worker.run(engine, pid_of) == worker.pid  # one worker, kept between tasks


@pytest.mark.parametrize("order", ["left", "right"])
@pytest.mark.parametrize(
    "q", ["改革", "最多跑一次 NEAR/10 改革", "数字*改革", "district:拱墅区 的"]
)
def test_the_worker_sorts_a_concordance_as_the_request_thread_does(
    engine, worker, q, order
) -> None:
    query = SearchQuery(q=q, per_page=None)
    here = kwic.sorted_table(engine, query, order, 20)
    assert worker.run(engine, kwic.sorted_table, query, order, 20) == here
    assert len(here) == kwic.concordance(engine, query, order, 20).occurrences > 0


URLS = [
    "/api/collocations?q=改革&span=20&pos=n&min_freq=3",
    "/api/concordance?q=改革&order=left&context=40&page=2",
    "/api/concordance?q=最多跑一次 NEAR/10 改革&order=right",
    "/concordance.csv?q=数字*改革&order=left",
    "/collocations.csv?q=发展",
    "/concordance?q=改革&order=right&coll=1",
]


@pytest.fixture(scope="module")
def clients(bundled_index: Path):
    """Test clients of an app computing in the request's thread and of one with a worker
    (each its own engine, so its own cache)."""
    config = {"INDEX_DIR": str(bundled_index), "TIME_LIMIT": None}  # a busy machine is slow
    plain = create_app(config)
    offloaded = create_app({**config, "WORKER": True})
    assert plain.extensions.get("baogao.worker") is None
    yield plain.test_client(), offloaded.test_client()
    offloaded.extensions["baogao.worker"].close()


@pytest.mark.parametrize("url", URLS)
def test_the_site_answers_the_same_with_a_worker(clients, url: str) -> None:
    answers = []
    for client in clients:
        resp = client.get(url)
        assert resp.status_code == 200
        if resp.is_json:
            body = resp.get_json()
            body.pop("took_ms")
            answers.append(body)
        else:
            answers.append(re.sub(r"[\d.]+ 毫秒", "", resp.get_data(as_text=True)))
    assert answers[0] == answers[1]
    assert "改革" in str(answers[0]) or "发展" in str(answers[0])


def test_the_budget_applies_in_the_worker(engine, worker) -> None:
    query = SearchQuery(q="改革")
    with budget.limit(1e-9), pytest.raises(TimeBudgetExceeded, match="秒的上限"):
        worker.run(engine, _collocations, query, 10, 50, Steering())


def test_a_stuck_worker_is_killed_at_the_budget_and_replaced(engine, worker) -> None:
    first = worker.run(engine, pid_of)
    with budget.limit(0.5), pytest.raises(TimeBudgetExceeded, match="0.5 秒的上限"):
        worker.run(engine, stuck, 600)  # would hold the request ten minutes
    with pytest.raises(ProcessLookupError):
        os.kill(first, 0)  # killed, not left running
    assert worker.run(engine, pid_of) not in (first, None)  # a fresh worker answers


def test_a_worker_still_starting_is_waited_for_not_killed(engine, bundled_index) -> None:
    worker = Worker(bundled_index, nice=0)
    try:
        worker.start()
        starting = worker.pid
        with budget.limit(0.01), pytest.raises(TimeBudgetExceeded):
            worker.run(engine, pid_of)  # it is still importing and loading jieba
        assert worker.run(engine, pid_of) == starting  # the same process, now ready
    finally:
        worker.close()


def gone(pid: int) -> bool:
    """No such process, or only its exit status left (a zombie)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_the_worker_ends_with_its_server(bundled_index: Path, tmp_path: Path) -> None:
    started = tmp_path / "started"
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(bundled_index), str(started)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=HERE.parent,
        env={**os.environ, "PYTHONPATH": str(HERE)},
    )
    pid = int(server.stdout.readline())
    while not started.exists():  # the worker is in its ten minutes' task
        assert server.poll() is None
        time.sleep(0.1)
    server.kill()  # no chance to close its worker
    server.wait()
    server.stdout.close()
    for _ in range(1200):  # it looks for its server every second
        if gone(pid):
            break
        time.sleep(0.1)
    assert gone(pid)


def noted_and_stuck(engine: Engine, note: str, seconds: float) -> None:
    Path(note).touch()
    time.sleep(seconds)


SERVER = """import sys
from search.engine import Engine
from search.worker import Worker
from test_worker import noted_and_stuck, pid_of
engine = Engine.open(sys.argv[1])
worker = Worker(sys.argv[1], nice=0)
print(worker.run(engine, pid_of), flush=True)
worker.run(engine, noted_and_stuck, sys.argv[2], 600)
"""


def test_a_killed_worker_is_replaced(engine, worker) -> None:
    query = (SearchQuery(q="改革"), 10, 50, Steering())
    os.kill(worker.run(engine, pid_of), signal.SIGKILL)
    try:
        answer = worker.run(engine, _collocations, *query)
    except ServerBusy as exc:  # the task reached the worker as it died: refused, once
        assert "进程意外退出" in str(exc)
        assert not english_half(str(exc))
        answer = worker.run(engine, _collocations, *query)
    assert answer == _collocations(engine, *query)


def test_computations_beyond_those_the_worker_takes_are_refused(engine, worker) -> None:
    worker = Worker(worker.index_dir, nice=0, waiting=1)  # one computation, none waiting
    worker.run(engine, pid_of)  # started: the stuck task below runs at once
    outcome: list[BaseException] = []

    def hold() -> None:
        with budget.limit(1), pytest.raises(TimeBudgetExceeded) as raised:
            worker.run(engine, stuck, 600)
        outcome.append(raised.value)

    thread = threading.Thread(target=hold)
    thread.start()
    refused = None
    try:
        while thread.is_alive() and refused is None:  # until the stuck task holds the worker
            try:
                worker.run(engine, pid_of)
            except ServerBusy as exc:
                refused = str(exc)
    finally:
        thread.join()
        worker.close()
    assert refused is not None and "其他全库计算" in refused
    assert not english_half(refused)  # Chinese only: it had "… / busy with other …"
    assert len(outcome) == 1  # the stuck task itself ended at its budget
