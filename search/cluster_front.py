"""What a sharded index's front holds in place of an engine's columns: the whole index's
vocabularies (for parsing and lifting filters) over no column at all, so that code reading a
column on a sharded index is refused by name (`ShardedUnsupported`, a 503) instead of
answering from part of the index; and a report rebuilt from its shard's stored paragraphs.
"""

from __future__ import annotations

import weakref

from indexer.models import PARAGRAPH_FIELDS, REPORT_FIELDS, Paragraph, Report
from search.errors import ShardedUnsupported
from search.filters import Columns
from search.results import SearchQuery


class FrontColumns(Columns):
    """The vocabularies of the whole sharded index, for parsing and lifting filters; no
    column (`_Refused`), except the timeline's divisor, summed over the shards."""

    def __init__(self, engine, vocab: dict, n: int):
        super().__init__(_Refused(), vocab, n)
        self._engine = weakref.proxy(engine)

    def chars_by_year_district(self, query: SearchQuery | None = None) -> dict:
        return self._engine.chars_by_year_district(query or SearchQuery())


class Latest:
    """The newest paragraph's time of addition, as `Engine.added.max(initial=0)` gives it;
    no per-paragraph column."""

    def __init__(self, value: float):
        self._value = value

    def max(self, initial: float = 0) -> float:
        return max(self._value, initial)

    def __getitem__(self, _):
        raise ShardedUnsupported(refusal("列 added"))


class _Refused(dict):
    """The front's column table: it holds no column, and says so instead of a wrong answer."""

    def __missing__(self, name):
        raise ShardedUnsupported(refusal(f"列 {name}"))


def refusal(what: str) -> str:
    return (
        f"分片索引尚不支持此功能（{what}）：请在单一索引上使用，"
        "或用 `baogao index PATH --index IDX`（不加 --shards）建立索引"
    )


def report_of(meta: dict, stored: list[dict]) -> Report:
    paragraphs = tuple(Paragraph(**{n: s[n] for n in PARAGRAPH_FIELDS}) for s in stored)
    return Report(**{name: meta[name] for name in REPORT_FIELDS}, paragraphs=paragraphs)
