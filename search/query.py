"""The query language, parsed to a small tree of frozen dataclasses.

Syntax: whitespace-separated terms are ANDed; ``"…"``, ``“…”`` and ``「…」`` quote a phrase
(one term, inner spaces and operators included, outer spaces stripped); ``OR`` or ``|``
between terms; ``NOT`` or a leading ``-`` negates; parentheses group; precedence
NOT > AND > OR (an explicit ``AND`` is accepted and ignored). ``district:``, ``year:``,
``type:``, ``level:`` and ``topic:`` (also with a full-width colon, field names in any case)
filter, with a bare or quoted value; any other ``name:`` is just part of a term.

``parse`` is total: it raises nothing but ``BadQuery``, and that only for the limits below.
Forgiving rules for everything else:

- an unbalanced quote runs to the end; a stray closing quote (``”`` ``」``) or ``)`` is ignored;
  an unclosed ``(`` is closed at the end; empty quotes and empty parentheses are dropped;
- a dangling operator (``a OR``, ``OR a``, ``a NOT``, a lone ``-`` or ``|``) is dropped, but a
  query made of nothing but the words ``OR``/``AND``/``NOT`` searches them as literal terms;
- a filter with an empty value (``district:``) is dropped; ``Not(Not(x))`` becomes ``x``;
- control characters, line breaks and lone surrogates act as spaces; invisible format
  characters (zero-width space, BOM, soft hyphen) are dropped;
- a query of only negations parses to them (e.g. ``Not(Term("a"))``); the engine decides what
  that matches; an empty query is ``MatchAll()``.

Terms are kept raw (not folded): the engine folds them. ``search.canonical.to_string``
gives a canonical, compact string that parses back to the same tree.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from indexer.fold import drop_invisible
from search.errors import BadQuery
from search.results import FILTER_FIELDS

FIELDS = FILTER_FIELDS
MAX_LENGTH = 1000
MAX_TERMS = 32
MAX_OR_BRANCHES = 16
MAX_DEPTH = 8

_QUOTES = {'"': '"', "“": "”", "「": "」"}
_STRAY_CLOSERS = frozenset("”」")
_DELIMITERS = frozenset("()|") | _QUOTES.keys() | _STRAY_CLOSERS
_KEYWORDS = frozenset({"OR", "AND", "NOT"})
_COLONS = ":："


@dataclass(frozen=True)
class Term:
    """A string to find as an exact substring of the folded paragraph (raw, not folded)."""

    text: str
    quoted: bool = False


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class Filter:
    """``field:value``; a year value stays a string, ``"2016"`` or ``"2016-2018"``."""

    field: str
    value: str


@dataclass(frozen=True)
class MatchAll:
    """The empty query."""


Node = Term | And | Or | Not | Filter | MatchAll


# ---------------------------------------------------------------- lexing


@dataclass(frozen=True)
class _Tok:
    kind: str  # WORD PHRASE FILTER KW LPAREN RPAREN OR MINUS
    text: str = ""
    field: str = ""


# Operators as Chinese input methods type them (（城中村 OR 棚户区）, 改革 －经济): their meaning.
_FULL_WIDTH_OPERATORS = str.maketrans({"（": "(", "）": ")", "｜": "|", "－": "-", "＂": '"'})


def _sanitize(q: str) -> str:
    """Control characters, line breaks and surrogates → space; format characters dropped;
    full-width operators read as operators (a term folds them to the same anyway)."""
    out = []
    for c in drop_invisible(q.translate(_FULL_WIDTH_OPERATORS)):
        cat = unicodedata.category(c)
        out.append(" " if cat in ("Cc", "Cs", "Zl", "Zp") else c)
    return "".join(out)


def _read_quoted(q: str, i: int) -> tuple[str, int]:
    """The text of a quote opened at ``q[i]`` and the index after it (to the end if unclosed)."""
    closer = _QUOTES[q[i]]
    end = q.find(closer, i + 1)
    if end < 0:
        return q[i + 1 :], len(q)
    return q[i + 1 : end], end + 1


def _filter_field(word: str) -> tuple[str, str] | None:
    """Split ``field:value`` when the field is known, else None."""
    for k, c in enumerate(word):
        if c in _COLONS:
            field = word[:k].lower()
            return (field, word[k + 1 :]) if field in FIELDS else None
    return None


def _in_word(q: str, j: int) -> bool:
    """Whether q[j] continues the word that starts at q[start]: a quote inside a word (推进“零碳
    园区”建设, pasted as written) is part of it, unless it opens a filter's value (district:"…")."""
    c = q[j]
    if c not in _DELIMITERS:
        return True
    return (c in _QUOTES or c in _STRAY_CLOSERS) and q[j - 1] not in _COLONS


def _lex(q: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace() or c in _STRAY_CLOSERS:
            i += 1
        elif c == "(":
            toks.append(_Tok("LPAREN"))
            i += 1
        elif c == ")":
            toks.append(_Tok("RPAREN"))
            i += 1
        elif c == "|":
            toks.append(_Tok("OR"))
            i += 1
        elif c in _QUOTES:
            text, i = _read_quoted(q, i)
            text = text.strip()
            if text:
                toks.append(_Tok("PHRASE", text))
        elif c == "-":
            if i + 1 < n and not q[i + 1].isspace():
                toks.append(_Tok("MINUS"))
            i += 1
        else:
            j = i
            while j < n and not q[j].isspace() and _in_word(q, j):
                j += 1
            word, i = q[i:j], j
            split = _filter_field(word)
            if split is None:
                toks.append(_Tok("KW" if word in _KEYWORDS else "WORD", word))
                continue
            field, value = split
            if not value and i < n and q[i] in _QUOTES:
                value, i = _read_quoted(q, i)
            value = value.strip()
            if value:
                toks.append(_Tok("FILTER", value, field))
    return _tidy(toks)


def _tidy(toks: list[_Tok]) -> list[_Tok]:
    """Drop unmatched ``)``; make keywords literal when the query holds nothing else."""
    kept: list[_Tok] = []
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
        kept = [_Tok("PHRASE", t.text) if t.kind == "KW" else t for t in kept]
    return kept


# ---------------------------------------------------------------- parsing


def _flatten(kind: type, children: list[Node | None]) -> list[Node]:
    """The children, with nested nodes of the same kind spliced in and empty ones dropped."""
    flat: list[Node] = []
    for c in children:
        if isinstance(c, kind):
            flat.extend(c.children)
        elif c is not None:
            flat.append(c)
    return flat


def _and(children: list[Node | None]) -> Node | None:
    flat = _flatten(And, children)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def _or(children: list[Node | None]) -> Node | None:
    flat = _flatten(Or, children)
    if not flat:
        return None
    if len(flat) > MAX_OR_BRANCHES:
        raise BadQuery(f"OR 分支过多（最多 {MAX_OR_BRANCHES} 个）/ too many OR branches")
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


def _negate(node: Node) -> Node:
    return node.child if isinstance(node, Not) else Not(node)


class _Parser:
    """Recursive descent over the tokens; depth is bounded by ``MAX_DEPTH`` parentheses."""

    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i].kind if self.i < len(self.toks) else None

    def or_expr(self, depth: int) -> Node | None:
        branches = [self.and_expr(depth)]
        while self.peek() == "OR" or (self.peek() == "KW" and self.toks[self.i].text == "OR"):
            self.i += 1
            branches.append(self.and_expr(depth))
        return _or(branches)

    def and_expr(self, depth: int) -> Node | None:
        parts: list[Node | None] = []
        while True:
            kind = self.peek()
            if kind is None or kind in ("RPAREN", "OR"):
                break
            if kind == "KW" and self.toks[self.i].text == "OR":
                break
            if kind == "KW" and self.toks[self.i].text == "AND":
                self.i += 1
                continue
            parts.append(self.unary(depth))
        return _and(parts)

    def unary(self, depth: int) -> Node | None:
        negations = 0
        while self.peek() == "MINUS" or (self.peek() == "KW" and self.toks[self.i].text == "NOT"):
            negations += 1
            self.i += 1
        node = self.primary(depth)
        if node is None:
            return None
        return _negate(node) if negations % 2 else node

    def primary(self, depth: int) -> Node | None:
        kind = self.peek()
        if kind is None or kind in ("RPAREN", "OR", "KW"):
            return None  # a dangling operator: the caller drops it
        tok = self.toks[self.i]
        self.i += 1
        if kind == "WORD":
            return Term(tok.text)
        if kind == "PHRASE":
            return Term(tok.text, quoted=True)
        if kind == "FILTER":
            return Filter(tok.field, tok.text)
        # LPAREN
        if depth + 1 > MAX_DEPTH:
            raise BadQuery(f"括号嵌套过深（最多 {MAX_DEPTH} 层）/ parentheses nested too deep")
        node = self.or_expr(depth + 1)
        if self.peek() == "RPAREN":
            self.i += 1
        return node


def parse(q: str) -> Node:
    """Parse a query string to a tree; raises only ``BadQuery``, and only for the limits."""
    if not isinstance(q, str):
        raise BadQuery("查询必须是文本 / query must be text")
    q = _sanitize(q).strip()
    if len(q) > MAX_LENGTH:
        raise BadQuery(f"查询过长（最多 {MAX_LENGTH} 个字符）/ query too long")
    parser = _Parser(_lex(q))
    node = None
    while parser.i < len(parser.toks):  # a dangling OR/NOT leaves tokens: keep going
        before = parser.i
        node = _and([node, parser.or_expr(0)])
        if parser.i == before:
            parser.i += 1
    if node is None:
        return MatchAll()
    count = sum(1 for n in walk(node) if isinstance(n, Term | Filter))
    if count > MAX_TERMS:
        raise BadQuery(f"检索词过多（最多 {MAX_TERMS} 个）/ too many terms")
    return node


# ---------------------------------------------------------------- reading the tree


def walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, And | Or):
        for c in node.children:
            yield from walk(c)
    elif isinstance(node, Not):
        yield from walk(node.child)
