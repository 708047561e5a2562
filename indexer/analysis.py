"""Whoosh analysis: jieba words for word search and ranking, single characters for exact phrases.

Both tokenizers fold the text first; ``fold`` keeps the length, so token offsets index the
text as ingested. Positions are token ordinals (jieba) or character offsets (characters), so a
Whoosh phrase query over consecutive positions means consecutive words or characters, which is
where jieba's bundled ``ChineseAnalyzer`` goes wrong (it stores character offsets as positions).
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh.analysis import Token, Tokenizer

from indexer.fold import fold

if TYPE_CHECKING:
    import jieba

USERDICT = Path(__file__).parent / "data" / "userdict.txt"

_JIEBA: jieba.Tokenizer | None = None
_LOCK = threading.Lock()


def _load_jieba() -> jieba.Tokenizer:
    """A private jieba tokenizer with the policy-term dictionary (entries folded like text)."""
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    for line in USERDICT.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tk.add_word(fold(parts[0]), freq)
    return tk


def jieba_tokenizer() -> jieba.Tokenizer:
    """The shared jieba tokenizer, loaded on first use (about a second)."""
    global _JIEBA
    if _JIEBA is None:
        with _LOCK:
            if _JIEBA is None:
                _JIEBA = _load_jieba()
    return _JIEBA


@lru_cache(maxsize=65536)
def _is_word(text: str) -> bool:
    """True when ``text`` holds a letter or a digit (not only spaces, punctuation, symbols)."""
    return any(unicodedata.category(c)[0] in "LN" for c in text)


def _segments(folded: str) -> Iterator[tuple[str, int, int]]:
    """``(word, start, end)`` for each jieba word of already folded text."""
    for word, start, end in jieba_tokenizer().tokenize(folded, mode="default"):
        if _is_word(word):
            yield word, start, end


def words(text: str) -> list[str]:
    """The jieba words of ``text`` (folded first; spaces and punctuation left out)."""
    return [w for w, _, _ in _segments(fold(text))]


class _FoldingTokenizer(Tokenizer):
    """Shared ``__call__`` honouring Whoosh's arguments the way ``RegexTokenizer`` does."""

    def _spans(self, folded: str) -> Iterator[tuple[int, int, int]]:
        """``(position offset, start, end)`` of each token in ``folded``."""
        raise NotImplementedError

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        assert isinstance(value, str), f"{value!r} is not a str"
        folded = fold(value)
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = value
            t.text = folded
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return
        for pos, start, end in self._spans(folded):
            t.text = folded[start:end]
            t.boost = 1.0
            if keeporiginal:
                t.original = value[start:end]
            t.stopped = False
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t


class JiebaTokenizer(_FoldingTokenizer):
    """jieba words of the folded text; positions are consecutive word ordinals."""

    def _spans(self, folded: str) -> Iterator[tuple[int, int, int]]:
        for pos, (_, start, end) in enumerate(_segments(folded)):
            yield pos, start, end


def jieba_analyzer() -> JiebaTokenizer:
    """Analyzer of the word field (folding already lowercases, so no LowercaseFilter)."""
    return JiebaTokenizer()
