"""A time budget per request: the long loops of the engine call `check()`, which raises
`TimeBudgetExceeded` once the deadline set by `limit` (or `start`) has passed.

The deadline lives in a context variable, so each thread of a server (each request) has its
own; with none set, `check()` costs one lookup and never raises.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from search.errors import TimeBudgetExceeded

_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("baogao_deadline", default=None)


def start(seconds: float | None) -> None:
    """Give the work that follows in this context `seconds` (None: no limit)."""
    _DEADLINE.set(None if seconds is None else (time.monotonic() + seconds, seconds))


@contextmanager
def limit(seconds: float | None, named: float | None = None) -> Iterator[None]:
    """`start(seconds)` for the block, the previous budget restored after it (the message
    names `named` seconds when given: what is left of a request's budget elsewhere)."""
    shown = seconds if named is None else named
    token = _DEADLINE.set(None if seconds is None else (time.monotonic() + seconds, shown))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def remaining() -> tuple[float, float] | None:
    """The seconds left of the current budget (0 when spent) and the budget's seconds; None
    with no budget."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return None
    return max(0.0, deadline[0] - time.monotonic()), deadline[1]


def check() -> None:
    """Raise `TimeBudgetExceeded` when the current budget is spent."""
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline[0]:
        raise exceeded()


def exceeded() -> TimeBudgetExceeded:
    """The error of a spent budget (the current one's seconds named)."""
    deadline = _DEADLINE.get()
    named = f" {deadline[1]:g} 秒的" if deadline is not None else "时间"
    return TimeBudgetExceeded(
        f"查询用时超过{named}上限，已停止；请缩小范围（加筛选条件、"
        "减少 OR 分支、缩短 NEAR 距离或用更长的检索词）后再试"
    )
