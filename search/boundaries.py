"""Where the jieba words of each paragraph start and end, as the build segmented it.

`words.bin` holds a byte per character of `folded.bin` (the "\\n" after each paragraph
included): `WORD_START` on the first character of a word, `WORD_END` on the character after
its last. Spaces and punctuation are not words. The words are the word index's: the
paragraph segmented whole, with the project's dictionary (`indexer.analysis.Segmented`).
"""

from __future__ import annotations

import mmap
from pathlib import Path

import numpy as np

from indexer.analysis import WORD_END, WORD_START


class WordBoundaries:
    def __init__(self, generation: Path, chars: np.ndarray):
        self.first = np.zeros(len(chars) + 1, np.int64)  # each paragraph's first byte
        np.cumsum(chars.astype(np.int64) + 1, out=self.first[1:])
        with open(generation / "words.bin", "rb") as fh:
            self.flags = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if len(chars) else b""

    def verify(self) -> None:
        if len(self.flags) != int(self.first[-1]):
            raise ValueError(f"words.bin holds {len(self.flags)} bytes, not {int(self.first[-1])}")

    def words_within(self, pid: int, text: str, lo: int, hi: int) -> list[str]:
        """The words of paragraph `pid` (its folded `text`) lying wholly in `text[lo:hi]`."""
        base = int(self.first[pid])
        flags = self.flags[base + lo : base + hi + 1]
        out, start = [], -1
        for i, f in enumerate(flags):
            if f & WORD_END and start >= 0:
                out.append(text[lo + start : lo + i])
                start = -1
            if f & WORD_START:
                start = i
        return out
