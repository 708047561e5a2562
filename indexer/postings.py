"""The word postings of one Whoosh segment, gathered per paragraph and written in one pass.

Word mode reads only which paragraphs hold a word (``search.wordindex``: document
frequencies and document numbers), so the ``words`` field is Whoosh's ``Existence`` format:
no frequencies, positions or field lengths. Whoosh's own path (an analyzer yielding a token
object per word, a posting pool sorted on disk, a call per posting) cost more than the
segmentation itself; here each paragraph adds its distinct words, and the postings are
sorted with numpy and handed to Whoosh's postings writer a block at a time
(`indexer/whoosh_adapter.py`). The files written are ordinary Whoosh segment files.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

import numpy as np

from indexer.whoosh_adapter import write_ids


class WordPostings:
    """Distinct words per document, in increasing document order."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}  # word → id, in order of first appearance
        self._terms = array("I")  # word ids, document after document
        self._docs = array("I")  # each document once, in order
        self._counts = array("I")  # how many distinct words each document holds

    def add(self, doc: int, words: Iterable[str]) -> None:
        """Add the distinct `words` of document `doc` (greater than every earlier one)."""
        ids = self._ids
        terms = [ids.setdefault(w, len(ids)) for w in words]
        self._terms.extend(terms)
        self._docs.append(doc)
        self._counts.append(len(terms))

    def sorted_postings(self, blocklimit: int) -> Iterable[tuple[str, list[int], list[int]]]:
        """``(word, document numbers, their deltas)`` for every word, words in Whoosh's (UTF-8)
        order; deltas restart at every block of `blocklimit` postings, as Whoosh stores them."""
        words = list(self._ids)
        if not words:
            return
        order = sorted(range(len(words)), key=words.__getitem__)  # code point order = UTF-8's
        rank = np.empty(len(words), np.int64)
        rank[order] = np.arange(len(words))
        counts = np.frombuffer(self._counts, np.uint32)
        term_rank = rank[np.frombuffer(self._terms, np.uint32)]
        by_word = np.argsort(term_rank, kind="stable")  # stable: documents stay in order
        docs = np.repeat(np.frombuffer(self._docs, np.uint32).astype(np.int64), counts)[by_word]
        per_word = np.bincount(term_rank, minlength=len(words))
        del term_rank, by_word
        ends = np.cumsum(per_word)
        within = np.arange(len(docs)) - np.repeat(ends - per_word, per_word)
        deltas = np.diff(docs, prepend=0)
        block_start = within % blocklimit == 0
        deltas[block_start] = docs[block_start]
        del within, block_start
        start = 0
        for word_id, end in zip(order, ends.tolist(), strict=True):  # lists a word at a time
            yield words[word_id], docs[start:end].tolist(), deltas[start:end].tolist()
            start = end

    def write(self, fieldwriter, fieldname: str, fieldobj) -> None:
        """Write the postings of `fieldname` through a segment writer's field writer
        (`SegmentWriter.fieldwriter`) before the segment is finished."""
        write_ids(fieldwriter, fieldname, fieldobj, self.sorted_postings)
