"""The Whoosh schema: one document per paragraph."""

from __future__ import annotations

from whoosh.fields import STORED, FieldType, Schema
from whoosh.formats import Existence

from indexer.analysis import jieba_analyzer
from indexer.models import PARAGRAPH_FIELDS

# Stored per paragraph: its id and its record (report metadata lives in meta.json, once).
STORED_FIELDS = ("pid", *PARAGRAPH_FIELDS)


def make_schema() -> Schema:
    """The paragraph record stored, plus `words`: the folded text segmented by jieba for word
    search. Only `words` is indexed: filters, facets and sorting read per-paragraph numpy
    columns, and exact substring matching is served by the suffix array built beside the
    Whoosh index (see indexer/store.py), so indexing the metadata again would be wasted work.
    Word mode asks only which paragraphs hold a word (ranking counts occurrences in the
    character index), so `words` keeps no frequencies, positions or lengths (`Existence`)."""
    fields = {name: STORED() for name in STORED_FIELDS}
    words = FieldType(Existence(), analyzer=jieba_analyzer(), scorable=False, stored=False)
    return Schema(words=words, **fields)
