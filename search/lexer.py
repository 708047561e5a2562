"""Lexing of the query language: a query string → tokens (see ``search.query`` for the syntax).

Tokens are words, quoted phrases, ``field:value`` filters, the keywords ``OR``/``AND``/``NOT``,
``NEAR/n``, parentheses, ``|`` and a leading ``-``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from indexer.fold import drop_invisible
from search.results import FILTER_FIELDS

FIELDS = FILTER_FIELDS  # the fields `name:value` may filter
QUOTES = {'"': '"', "“": "”", "「": "」"}
STRAY_CLOSERS = frozenset("”」")
DELIMITERS = frozenset("()|") | QUOTES.keys() | STRAY_CLOSERS
KEYWORDS = frozenset({"OR", "AND", "NOT"})
COLONS = ":："
NEAR = re.compile(r"NEAR/([0-9]+)")  # `a NEAR/10 b`, any number of digits: the parser checks it


@dataclass(frozen=True)
class Tok:
    kind: str  # WORD PHRASE FILTER KW NEAR LPAREN RPAREN OR MINUS
    text: str = ""
    field: str = ""


# Operators as Chinese input methods type them (（城中村 OR 棚户区）, 改革 －经济): their meaning.
_FULL_WIDTH_OPERATORS = str.maketrans({"（": "(", "）": ")", "｜": "|", "－": "-", "＂": '"'})


def sanitize(q: str) -> str:
    """Control characters, line breaks and surrogates → space; format characters dropped
    (as ingestion drops them); full-width operators read as operators (a term folds them to
    the same characters anyway)."""
    out = []
    for c in drop_invisible(q.translate(_FULL_WIDTH_OPERATORS)):
        cat = unicodedata.category(c)
        out.append(" " if cat in ("Cc", "Cs", "Zl", "Zp") else c)
    return "".join(out)


def read_quoted(q: str, i: int) -> tuple[str, int]:
    """The text of a quote opened at ``q[i]`` and the index after it (to the end if unclosed)."""
    closer = QUOTES[q[i]]
    end = q.find(closer, i + 1)
    if end < 0:
        return q[i + 1 :], len(q)
    return q[i + 1 : end], end + 1


def filter_field(word: str) -> tuple[str, str] | None:
    """Split ``field:value`` when the field is known, else None."""
    for k, c in enumerate(word):
        if c in COLONS:
            field = word[:k].lower()
            return (field, word[k + 1 :]) if field in FIELDS else None
    return None


def in_word(q: str, j: int) -> bool:
    """Whether q[j] continues the word before it: a quote inside a word (推进“零碳园区”建设,
    pasted as written) is part of it, unless it opens a filter's value (district:"…")."""
    c = q[j]
    if c not in DELIMITERS:
        return True
    return (c in QUOTES or c in STRAY_CLOSERS) and q[j - 1] not in COLONS


def lex(q: str) -> list[Tok]:
    toks: list[Tok] = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace() or c in STRAY_CLOSERS:
            i += 1
        elif c == "(":
            toks.append(Tok("LPAREN"))
            i += 1
        elif c == ")":
            toks.append(Tok("RPAREN"))
            i += 1
        elif c == "|":
            toks.append(Tok("OR"))
            i += 1
        elif c in QUOTES:
            text, i = read_quoted(q, i)
            text = text.strip()
            if text:
                toks.append(Tok("PHRASE", text))
        elif c == "-":
            if i + 1 < n and not q[i + 1].isspace():
                toks.append(Tok("MINUS"))
            i += 1
        else:
            j = i
            while j < n and not q[j].isspace() and (j == i or in_word(q, j)):
                j += 1
            word, i = q[i:j], j
            split = filter_field(word)
            if split is None:
                kind = "KW" if word in KEYWORDS else "NEAR" if NEAR.fullmatch(word) else "WORD"
                toks.append(Tok(kind, word))
                continue
            field, value = split
            if not value and i < n and q[i] in QUOTES:
                value, i = read_quoted(q, i)
            value = value.strip()
            if value:
                toks.append(Tok("FILTER", value, field))
    return tidy(toks)


def tidy(toks: list[Tok]) -> list[Tok]:
    """Drop unmatched ``)``; make keywords (``NEAR/n`` too) literal when the query holds
    nothing else."""
    kept: list[Tok] = []
    depth = 0
    for t in toks:
        if t.kind == "LPAREN":
            depth += 1
        elif t.kind == "RPAREN":
            if depth == 0:
                continue
            depth -= 1
        kept.append(t)
    if not any(t.kind in ("WORD", "PHRASE", "FILTER") for t in kept):
        kept = [Tok("PHRASE", t.text) if t.kind in ("KW", "NEAR") else t for t in kept]
    return kept
