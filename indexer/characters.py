"""The exact character index of a segment: the folded paragraphs (`folded.bin`) and the suffix
array over them (`sa.npy`), written by the build's parent process while its workers write
the word index."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import numpy as np

from indexer import format as fmt
from indexer.fold import fold


def clean_text(text: str) -> str:
    """A paragraph's text as indexed: on one line."""
    return text.replace("\n", " ")


def write_character_index(segment: Path, rows) -> tuple[np.ndarray, np.ndarray]:
    """Write the folded paragraphs of `rows` ((report, paragraph) pairs), one a line, and
    their suffix array; return each paragraph's start offset in the folded text (and the
    end) and its length in characters."""
    starts = np.empty(len(rows) + 1, fmt.COLUMNS["start"])
    chars = np.empty(len(rows), fmt.COLUMNS["chars"])
    offset = 0
    with open(fmt.folded_path(segment), "wb") as folded_out:
        for pid, (_, para) in enumerate(rows):
            text = clean_text(para.text)
            data = fold(text).encode("utf-8") + b"\n"
            folded_out.write(data)
            starts[pid] = offset
            chars[pid] = len(text)
            offset += len(data)
    starts[len(rows)] = offset
    folded_bytes = fmt.folded_path(segment).read_bytes()
    _save_array(fmt.suffixes_path(segment), suffix_array(folded_bytes))
    return starts, chars


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
