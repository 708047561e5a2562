"""The jieba words of every paragraph as one array of word ids, for counting words and word
n-grams over any set of paragraphs with NumPy.

The words are the build's (``indexer.analysis.cut`` over the folded text the character index
holds: jieba with the policy dictionary). Punctuation, spaces and the end of each paragraph
become a separator, so an n-gram never spans them. The table is made once per opened index, on
first use (it segments the whole corpus: about 2 s per 10,000 paragraphs), and kept with it.
"""

from __future__ import annotations

import threading
import weakref
from array import array

import numpy as np

from indexer.analysis import _is_word, cut

MAX_N = 4  # the longest n-gram counted
SEP = -1  # a separator in `ids`: punctuation, spaces, a paragraph's end


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
        index: dict[str, int] = {}
        vocab: list[str] = []
        ids = array("i")
        lengths = np.zeros(n, np.int64)
        for pid in range(n):
            row = []
            for token in cut(chars.folded_text(pid)):
                code = index.get(token)
                if code is None:
                    code = index[token] = len(vocab) if _is_word(token) else SEP
                    if code != SEP:
                        vocab.append(token)
                row.append(code)
            row.append(SEP)
            ids.extend(row)
            lengths[pid] = len(row)
        return cls(np.frombuffer(ids, np.int32).copy(), lengths, vocab)

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
    """The engine's token table, made on first use (one at a time)."""
    with _LOCK:
        table = _TABLES.get(engine)
        if table is None:
            table = _TABLES[engine] = TokenTable.of(engine.chars, engine.n)
        return table
