"""A query evaluated once per request: inside `once()`, the engine keeps each query's
evaluation (its mask, marked terms and facet selections) and hands it again to every answer
that asks for the same matches, so a page built from several answers (the concordance: its
rows, its facet counts and its collocations) parses and matches its query once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_KEPT: ContextVar[dict | None] = ContextVar("baogao_evaluations", default=None)


@contextmanager
def once() -> Iterator[None]:
    """Evaluations made inside the block are kept until it ends (and only for its thread)."""
    token = _KEPT.set({})
    try:
        yield
    finally:
        _KEPT.reset(token)


def kept() -> dict | None:
    """The evaluations kept by the enclosing `once()`, or None outside one."""
    return _KEPT.get()
