"""The Whoosh schema: one document per paragraph."""

from __future__ import annotations

from whoosh.fields import BOOLEAN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from indexer.analysis import jieba_analyzer


def make_schema() -> Schema:
    """Stored metadata and text, plus `words`: the folded text segmented by jieba for word
    search and BM25F ranking. Exact substring matching is served by the suffix array that is
    built beside it (see indexer/store.py)."""
    return Schema(
        pid=NUMERIC(stored=True, bits=32),
        report_id=ID(stored=True),
        n=NUMERIC(stored=True, bits=32),
        district=ID(stored=True),
        level=ID(stored=True),
        year=NUMERIC(stored=True, bits=32),
        date=ID(stored=True),
        type=ID(stored=True),
        title=STORED(),
        section=STORED(),
        source=STORED(),
        text=STORED(),
        heading=BOOLEAN(stored=True),
        topics=KEYWORD(stored=True, commas=True),
        words=TEXT(analyzer=jieba_analyzer(), phrase=False),
    )
