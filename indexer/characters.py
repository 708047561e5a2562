"""The exact character index of a segment: the folded paragraphs (`folded.bin`) and the suffix
array over them (`sa.npy`). The parent process cleans and folds each paragraph once, before
the build's workers fork (`fold_paragraphs`); the workers take the folded text from there for
the word index and the topics while the parent writes the suffix array."""

from __future__ import annotations

import errno
import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer import format as fmt
from indexer.fold import fold


def clean_text(text: str) -> str:
    """A paragraph's text as indexed: on one line."""
    return text.replace("\n", " ")


@dataclass(frozen=True)
class FoldedParagraphs:
    """The paragraphs of a build as indexed: each one's text (`clean_text`, what is stored) and
    its folded text, the lines of `folded` (the bytes of `folded.bin`): paragraph `pid` is
    `folded[start[pid]:start[pid + 1] - 1]`, `chars[pid]` characters long."""

    texts: list[str]
    folded: bytes
    start: np.ndarray
    chars: np.ndarray

    def folded_text(self, pid: int) -> str:
        """The folded text of paragraph `pid`."""
        return str(memoryview(self.folded)[self.start[pid] : self.start[pid + 1] - 1], "utf-8")


def fold_paragraphs(rows) -> FoldedParagraphs:
    """Clean and fold each paragraph of `rows` ((report, paragraph) pairs) once."""
    texts = [clean_text(para.text) for _, para in rows]
    start = np.empty(len(texts) + 1, fmt.COLUMNS["start"])
    chars = np.empty(len(texts), fmt.COLUMNS["chars"])
    out = io.BytesIO()  # its value is handed over, not copied
    for pid, text in enumerate(texts):
        start[pid] = out.tell()
        out.write(fold(text).encode("utf-8"))
        out.write(b"\n")
        chars[pid] = len(text)
    start[len(texts)] = out.tell()
    return FoldedParagraphs(texts, out.getvalue(), start, chars)


def write_character_index(segment: Path, paragraphs: FoldedParagraphs) -> None:
    """Write the folded paragraphs, one a line, and their suffix array."""
    with open(fmt.folded_path(segment), "wb") as out:
        out.write(paragraphs.folded)
    _save_array(fmt.suffixes_path(segment), suffix_array(paragraphs.folded))


def suffix_array(data: bytes) -> np.ndarray:
    """The sorted suffixes of `data` that start a character (UTF-8 lead bytes only).

    A pattern always starts at a character, so suffixes starting inside one are never
    matched; dropping them keeps the array sorted and cuts it to about a third for Chinese."""
    if not data:
        return np.empty(0, np.int32)
    from pydivsufsort import divsufsort

    sa = divsufsort(data)
    lead = (np.frombuffer(data, np.uint8) & 0xC0) != 0x80
    return sa[lead[sa]]


def _save_array(path: Path, array: np.ndarray) -> None:
    """np.save, with the reason for a short write: numpy reports only the byte counts."""
    try:
        np.save(path, array)
    except OSError as exc:
        if exc.errno is None and shutil.disk_usage(path.parent).free < array.nbytes:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path)) from exc
        raise
