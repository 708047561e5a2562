"""The jieba tokens of a segment's paragraphs as word ids, made by the build's word-index
workers from the same cut as the word index and written with the segment
(`indexer.format.write_tokens`), so counting words and word n-grams (keywords, n-grams) needs
no segmenting when an index is opened.

The tokens are those the word index is made from (``indexer.analysis.cut`` over the folded
text of `folded.bin`). A word is a token holding a letter or a digit; every other token
(punctuation, spaces) and the end of each paragraph are a separator (`SEP`), so an n-gram never
spans them. Word ids number the words in the order they first occur.
"""

from __future__ import annotations

from array import array

import numpy as np

from indexer.analysis import _is_word

SEP = -1  # a separator in `ids`: punctuation, spaces, a paragraph's end


class TokenWriter:
    """Word ids of paragraphs added in order, each followed by a separator."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}  # a token → its word id, or SEP
        self.vocab: list[str] = []
        self.ids = array("i")
        self.lengths = array("i")

    def add(self, tokens: list[str]) -> None:
        """The next paragraph's tokens (``cut`` of its folded text)."""
        codes = list(map(self.index.get, tokens))  # known tokens at C speed
        if None in codes:  # tokens not seen before, numbered in order
            for i, code in enumerate(codes):
                if code is None:
                    codes[i] = self._code(tokens[i])
        codes.append(SEP)
        self.ids.extend(codes)
        self.lengths.append(len(codes))

    def _code(self, token: str) -> int:
        code = self.index.get(token)  # seen earlier in the same paragraph
        if code is None:
            code = self.index[token] = len(self.vocab) if _is_word(token) else SEP
            if code != SEP:
                self.vocab.append(token)
        return code

    def arrays(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """(`ids`, `lengths`, `vocab`): word ids (int32, SEP between runs of words), the
        positions of each paragraph (its tokens and its end), the words by id."""
        ids = np.frombuffer(self.ids, np.int32).copy() if self.ids else np.zeros(0, np.int32)
        lengths = np.frombuffer(self.lengths, np.int32).astype(np.int64)
        return ids, lengths, list(self.vocab)


def concatenate(parts: list[tuple[np.ndarray, np.ndarray, list[str]]]):
    """Consecutive runs of paragraphs, each with its own vocabulary, as one: the words keep
    the order they first occur in, run after run."""
    index: dict[str, int] = {}
    vocab: list[str] = []
    ids_out, lengths_out = [], []
    for ids, lengths, words in parts:
        remap = np.empty(len(words) + 1, np.int32)
        for k, word in enumerate(words):
            code = index.get(word)
            if code is None:
                code = index[word] = len(vocab)
                vocab.append(word)
            remap[k] = code
        remap[-1] = SEP  # ids of SEP (-1) index the last entry
        ids_out.append(remap[ids])
        lengths_out.append(lengths)
    ids = np.concatenate(ids_out) if ids_out else np.zeros(0, np.int32)
    lengths = np.concatenate(lengths_out) if lengths_out else np.zeros(0, np.int64)
    return ids, lengths.astype(np.int64), vocab


def gather(parts, order: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The paragraphs of several segments' token arrays in another order: `order` lists
    physical paragraph ids (segment after segment); words renumbered by first occurrence."""
    ids, lengths, vocab = concatenate(parts)
    starts = np.concatenate([[0], np.cumsum(lengths)])
    picked = lengths[order]
    total = int(picked.sum())
    offsets = np.repeat(starts[order] - np.concatenate([[0], np.cumsum(picked)[:-1]]), picked)
    ids = ids[offsets + np.arange(total)] if total else np.zeros(0, np.int32)
    words = ids[ids != SEP]
    seen, first = np.unique(words, return_index=True)
    by_first = seen[np.argsort(first, kind="stable")]
    renumber = np.full(len(vocab) + 1, SEP, np.int32)
    renumber[by_first] = np.arange(len(by_first), dtype=np.int32)
    return renumber[ids], picked, [vocab[int(k)] for k in by_first]
