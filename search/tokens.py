"""The jieba words of every paragraph as one array of word ids, for counting words and word
n-grams over any set of paragraphs with NumPy.

The words are the build's (``indexer.analysis.cut`` over the folded text the character index
holds: jieba with the policy dictionary). Punctuation, spaces and the end of each paragraph
become a separator, so an n-gram never spans them. The build writes each segment's word ids
(``indexer.tokens``; `tokens.npz`, docs/FORMAT.md); the table is read from them on first use,
once per opened index, and kept with it. An index written before they were kept is segmented
instead (about 2 s per 10,000 paragraphs), with the same table.
"""

from __future__ import annotations

import threading
import weakref

import numpy as np

from indexer import format as fmt
from indexer import tokens as word_ids
from indexer.analysis import cut
from indexer.tokens import SEP, TokenWriter

MAX_N = 4  # the longest n-gram counted


class TokenTable:
    """Word ids of the whole index in paragraph order, with a separator after each paragraph."""

    def __init__(self, ids: np.ndarray, lengths: np.ndarray, vocab: list[str]):
        self.ids = ids  # int32, SEP between runs of words
        self.lengths = lengths  # positions per paragraph (its tokens and its end separator)
        self.vocab = vocab
        self._grams: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._whole: dict[int, np.ndarray] = {}
        self._lock = threading.RLock()  # grams(n) makes grams(n - 1)

    @classmethod
    def of(cls, chars, n: int) -> TokenTable:
        """Segment the `n` paragraphs of a character index (`folded_text(pid)`)."""
        writer = TokenWriter()
        for pid in range(n):
            writer.add(cut(chars.folded_text(pid)))
        return cls(*writer.arrays())

    @classmethod
    def read(cls, chars, n: int) -> TokenTable | None:
        """The table from the word ids the build wrote with each segment, in the index's
        paragraph order (None when a segment has none)."""
        parts = getattr(chars, "parts", None)
        if parts is None:  # one segment in its own order
            found = fmt.read_tokens(chars.folder)
            return None if found is None or len(found[1]) != n else cls(*found)
        found = [fmt.read_tokens(part.folder) for part in parts]
        if any(f is None for f in found):
            return None
        return cls(*word_ids.gather(found, chars.physical))

    def positions(self, mask: np.ndarray) -> np.ndarray:
        """A boolean per position: the positions of the paragraphs in `mask`."""
        return np.repeat(mask, self.lengths)

    def grams(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """(`codes`, `first`): the n-gram starting at each position as a dense code (D, the
        number of distinct n-grams, where none starts), and a position of each code (made
        on first use, from the (n-1)-grams)."""
        with self._lock:
            if n not in self._grams:
                self._grams[n] = self._make(n)
            return self._grams[n]

    def _make(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if n == 1 and (words := self._words()) is not None:
            return words
        ids = self.ids.astype(np.int64)
        if n == 1:
            valid, keys = ids != SEP, ids
        else:
            prev, prev_first = self.grams(n - 1)
            span = len(ids) - n + 1  # positions where an n-gram can start
            valid = np.zeros(len(ids), bool)
            keys = np.zeros(len(ids), np.int64)
            if span > 0:
                last = ids[n - 1 :]
                valid[:span] = (prev[:span] != len(prev_first)) & (last != SEP)
                keys[:span] = prev[:span].astype(np.int64) * len(self.vocab) + last
        distinct, first, inverse = np.unique(keys[valid], return_index=True, return_inverse=True)
        codes = np.full(len(ids), len(distinct), np.int32)
        codes[valid] = inverse
        return codes, np.flatnonzero(valid)[first]

    def _words(self) -> tuple[np.ndarray, np.ndarray] | None:
        """`grams(1)` without sorting, when the ids number the words in the order they first
        occur (as the build and the segmenter number them): the codes are the ids, and each
        first position is where the running maximum of the ids grows. None otherwise."""
        ids = self.ids
        top = np.maximum.accumulate(ids) if ids.size else ids
        grows = np.flatnonzero(ids > np.concatenate([[SEP], top[:-1]])) if ids.size else ids
        if len(grows) != len(self.vocab) or not np.array_equal(
            ids[grows], np.arange(len(self.vocab))
        ):
            return None
        codes = np.where(ids == SEP, len(self.vocab), ids).astype(np.int32)
        return codes, grows.astype(np.int64)

    def counts(self, n: int, where: np.ndarray | None = None) -> np.ndarray:
        """Occurrences of every n-gram code at the positions `where` (booleans; all when None)."""
        codes, first = self.grams(n)
        picked = codes if where is None else codes[where]
        return np.bincount(picked, minlength=len(first) + 1)[: len(first)]

    def whole(self, n: int) -> np.ndarray:
        """Occurrences of every n-gram code in the whole index (kept)."""
        with self._lock:
            if n not in self._whole:
                self._whole[n] = self.counts(n)
            return self._whole[n]

    def label(self, n: int, code: int) -> str:
        """The words of an n-gram, separated by spaces."""
        _, first = self.grams(n)
        start = int(first[code])
        return " ".join(self.vocab[int(i)] for i in self.ids[start : start + n])


_TABLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def token_table(engine) -> TokenTable:
    """The engine's token table, read (or made) on first use, one at a time."""
    with _LOCK:
        table = _TABLES.get(engine)
        if table is None:
            table = TokenTable.read(engine.chars, engine.n)
            if table is None:  # an index written before the build kept the word ids
                table = TokenTable.of(engine.chars, engine.n)
            _TABLES[engine] = table
        return table
