"""Whoosh analysis: jieba words for word search and ranking, single characters for exact phrases.

Both tokenizers fold the text first; ``fold`` keeps the length, so token offsets index the
text as ingested. Positions are token ordinals (jieba) or character offsets (characters), so a
Whoosh phrase query over consecutive positions means consecutive words or characters, which is
where jieba's bundled ``ChineseAnalyzer`` goes wrong (it stores character offsets as positions).

The words are jieba's (0.42.1, default mode, HMM on, the policy-term dictionary), cut by
jieba-rs (``rjieba``) about fifteen times faster: jieba-rs cuts a run such as ``2-3`` or
``pm_2.5`` whole where jieba splits it at the punctuation, and ``_as_jieba`` splits it the
same way. ``tests/test_analysis.py`` checks the words equal Python jieba's (``jieba_tokenizer``)
on the bundled corpus; ``tools/segmenter_identity.py`` does so on a whole corpus.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh.analysis import Token, Tokenizer

from indexer.fold import fold

if TYPE_CHECKING:
    import jieba
    import rjieba

USERDICT = Path(__file__).parent / "data" / "userdict.txt"

_SEGMENTER: rjieba.Jieba | None = None
_JIEBA: jieba.Tokenizer | None = None
_LOCK = threading.Lock()

# jieba's finalseg.re_skip: how jieba cuts a run of letters, digits and ``+#&._%-`` that its
# dictionary does not hold (``2-3`` → 2 - 3, ``pm_2.5`` → pm _ 2.5, ``1.4l`` → 1.4 l).
_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
_HAN = re.compile(r"[\u4e00-\u9fd5]")  # jieba's Han range
_MARKS = re.compile(r"[+#&._%\-]")  # the characters such a run holds besides letters and digits
# Cuts of equal probability (划划划: 划|划划 or 划划|划; 一步一步一步) are told apart differently
# by the two; they arise where one to four Han characters come three times in a row, and
# such a text (4 paragraphs in 11,422 of the reference corpus) is cut by jieba itself.
_REPEAT = re.compile(r"([\u4e00-\u9fd5]{1,4})\1\1")
# Han characters jieba-rs counts as Han and jieba does not (extension A, the end of the
# unified block, compatibility ideographs, extensions B and later): jieba breaks a run at
# them, jieba-rs does not, so the words around them differ; such a text is cut by jieba.
_OTHER_HAN = re.compile("[\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def _dictionary() -> Iterator[tuple[str, int | None]]:
    """The policy terms (folded like text) and their frequencies, None when not given."""
    for line in USERDICT.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        yield fold(parts[0]), freq


def _load_segmenter() -> rjieba.Jieba:
    import rjieba

    seg = rjieba.Jieba()
    for word, freq in _dictionary():
        seg.add_word(word, freq, None)
    return seg


def segmenter() -> rjieba.Jieba:
    """The shared jieba-rs segmenter with the policy terms, loaded on first use (half a second)."""
    global _SEGMENTER
    if _SEGMENTER is None:
        with _LOCK:
            if _SEGMENTER is None:
                _SEGMENTER = _load_segmenter()
    return _SEGMENTER


def _load_jieba() -> jieba.Tokenizer:
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    for word, freq in _dictionary():
        tk.add_word(word, freq)
    return tk


def jieba_tokenizer() -> jieba.Tokenizer:
    """Python jieba with the policy terms: the reference the words must equal (tests and
    ``tools/segmenter_identity.py``); loaded on first use (about a second)."""
    global _JIEBA
    if _JIEBA is None:
        with _LOCK:
            if _JIEBA is None:
                _JIEBA = _load_jieba()
    return _JIEBA


def _as_jieba(tokens: Iterable[str], seg: rjieba.Jieba) -> Iterator[str]:
    """jieba-rs tokens cut as jieba cuts them: a token of several characters with no Han
    character that is not a dictionary word comes, in jieba, from splitting a run with
    ``_SKIP``; split it the same way (a piece jieba itself made splits into itself)."""
    for token in tokens:
        if len(token) > 1 and not _HAN.search(token) and not seg.has_word(token):
            yield from (piece for piece in _SKIP.split(token) if piece)
        else:
            yield token


def _tokens(folded: str, distinct: bool = False) -> list[str] | set[str]:
    """jieba's tokens of already folded text (all of them, or the distinct ones)."""
    if _REPEAT.search(folded) or _OTHER_HAN.search(folded):
        if _LINE_BREAK.search(folded):  # only the lines that need it go to jieba
            tokens = _by_line(folded)
        else:
            tokens = jieba_tokenizer().cut(folded)
        return set(tokens) if distinct else list(tokens)
    seg = segmenter()
    tokens = set(seg.cut(folded)) if distinct else seg.cut(folded)
    if not _MARKS.search(folded):
        return tokens
    return set(_as_jieba(tokens, seg)) if distinct else list(_as_jieba(tokens, seg))


# jieba cuts a text into blocks at every character outside its Han-and-letters class and
# segments each block alone, so a text cut line by line is cut as a whole ("\r\n", one token
# to jieba, is not split).
_LINE_BREAK = re.compile(r"(?<!\r)\n")


def _by_line(folded: str) -> list[str]:
    """The lines that need jieba cut by it, each run of the others by jieba-rs at once."""
    tokens: list[str] = []
    run: list[str] = []
    for line in _LINE_BREAK.split(folded):
        if _REPEAT.search(line) or _OTHER_HAN.search(line):
            if run:
                tokens.extend(_tokens("\n".join(run)))
                tokens.append("\n")
                run = []
            tokens.extend(jieba_tokenizer().cut(line))
            tokens.append("\n")
        else:
            run.append(line)
    if run:
        tokens.extend(_tokens("\n".join(run)))
    elif tokens:
        tokens.pop()  # the "\n" after the last line
    return [t for t in tokens if t]


def cut(folded: str) -> list[str]:
    """jieba's tokens of already folded text, punctuation and spaces included."""
    return _tokens(folded)


@lru_cache(maxsize=65536)
def _is_word(text: str) -> bool:
    """True when ``text`` holds a letter or a digit (not only spaces, punctuation, symbols)."""
    return any(unicodedata.category(c)[0] in "LN" for c in text)


def _segments(folded: str) -> Iterator[tuple[str, int, int]]:
    """``(word, start, end)`` for each jieba word of already folded text."""
    end = 0
    for token in cut(folded):
        start, end = end, end + len(token)
        if _is_word(token):
            yield token, start, end


def words(text: str) -> list[str]:
    """The jieba words of ``text`` (folded first; spaces and punctuation left out)."""
    return [w for w in cut(fold(text)) if _is_word(w)]


def word_set(folded: str) -> set[str]:
    """The distinct jieba words of already folded text: what the word index holds (the same
    as ``set(words(text))``, each distinct token checked once)."""
    return _words_among(_tokens(folded, distinct=True))


def words_among(tokens: list[str]) -> set[str]:
    """The distinct words among the tokens ``cut`` gave: ``word_set`` of their text."""
    return _words_among(set(tokens))


def _words_among(tokens: set[str]) -> set[str]:
    new = tokens - _SEEN
    if not new:
        return tokens - _NOT_WORDS
    not_words = {t for t in new if not _is_word(t)}
    if len(_SEEN) < 1_000_000:  # both only grow (so threads may share them), up to a bound
        _NOT_WORDS.update(not_words)  # first: a token in _SEEN is classified
        _SEEN.update(new)
    return tokens - _NOT_WORDS - not_words


# The tokens word_set has classified, and those that are not words (punctuation, spaces):
# set differences instead of a call per token.
_SEEN: set[str] = set()
_NOT_WORDS: set[str] = set()


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
