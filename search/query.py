"""The query language, parsed to a small tree of frozen dataclasses.

Syntax: whitespace-separated terms are ANDed; ``"…"``, ``“…”`` and ``「…」`` quote a phrase
(one term, inner spaces and operators included, outer spaces stripped); ``OR`` or ``|``
between terms; ``NOT`` or a leading ``-`` negates; parentheses group; precedence
NOT > AND > OR (an explicit ``AND`` is accepted and ignored). ``district:``, ``year:``,
``type:``, ``level:`` and ``topic:`` (also with a full-width colon, field names in any case)
filter, with a bare or quoted value; any other ``name:`` is just part of a term.

Proximity and gaps: ``a NEAR/n b`` (``n`` up to ``MAX_NEAR``; a larger one, written with any
number of digits, is refused) finds ``a`` and ``b`` in one paragraph with at most ``n``
characters between the end of one and the start of the other, in either order
(``a NEAR/5 b NEAR/3 c`` is ``a NEAR/5 b`` AND ``b NEAR/3 c``); a bare word with
``*`` inside (``乡村*振兴``) is a ``Gap``: its parts in order, each pair ``0``–``GAP_MAX``
characters apart, none of them a sentence end ``。！？；``. A ``*`` inside quotes, or with
nothing on one side (``乡村*``), is literal; a ``NEAR/n`` next to anything but a term or a gap
acts as AND.

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

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from search.errors import BadQuery
from search.lexer import FIELDS as FIELDS
from search.lexer import Tok, lex, sanitize

MAX_NEAR = 100
GAP_MAX = 4
MAX_LENGTH = 1000
MAX_TERMS = 32
MAX_OR_BRANCHES = 16
MAX_DEPTH = 8


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


@dataclass(frozen=True)
class Gap:
    """Exact parts in order, each next one starting 0 to ``GAP_MAX`` characters after the
    previous ends, with no sentence end between (``乡村*振兴``); raw, not folded."""

    parts: tuple[str, ...]


@dataclass(frozen=True)
class Near:
    """``left`` and ``right`` at most ``distance`` characters apart, in either order."""

    left: Term | Gap
    right: Term | Gap
    distance: int


Node = Term | And | Or | Not | Filter | MatchAll | Gap | Near


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
        raise BadQuery(f"OR 分支过多（最多 {MAX_OR_BRANCHES} 个）")
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


def _word(text: str) -> Term | Gap:
    """A bare word: a ``Gap`` when ``*`` separates two or more non-empty parts; otherwise a
    term, its stars kept literally (``乡村*`` searches ``乡村*``)."""
    parts = tuple(p for p in text.split("*") if p)
    return Gap(parts) if len(parts) >= 2 else Term(text)


def _distance(digits: str) -> int:
    """The distance of ``NEAR/digits``; ``BadQuery`` past ``MAX_NEAR``, however many digits
    (leading zeros aside) it is written with."""
    digits = digits.lstrip("0") or "0"
    if len(digits) > len(str(MAX_NEAR)) or int(digits) > MAX_NEAR:
        raise BadQuery(f"NEAR 的距离最多 {MAX_NEAR} 个字符")
    return int(digits)


def _negate(node: Node) -> Node:
    return node.child if isinstance(node, Not) else Not(node)


class _Parser:
    """Recursive descent over the tokens; depth is bounded by ``MAX_DEPTH`` parentheses."""

    def __init__(self, toks: list[Tok]) -> None:
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
        last: Node | None = None
        while True:
            kind = self.peek()
            if kind is None or kind in ("RPAREN", "OR"):
                break
            if kind == "KW" and self.toks[self.i].text == "OR":
                break
            if kind == "KW" and self.toks[self.i].text == "AND":
                self.i += 1
                continue
            if kind == "NEAR":
                last = self.near(depth, parts, last)
                continue
            last = self.unary(depth)
            parts.append(last)
        return _and(parts)

    def near(self, depth: int, parts: list[Node | None], last: Node | None) -> Node | None:
        """``last NEAR/n right``: replaces ``last`` in ``parts`` with a ``Near``; the right
        operand is returned as the new last one (so NEARs chain as ANDed pairs)."""
        distance = _distance(self.toks[self.i].text[5:])
        self.i += 1
        right = self.unary(depth)
        if isinstance(last, Term | Gap) and isinstance(right, Term | Gap):
            if parts and parts[-1] is last:
                parts.pop()
            parts.append(Near(last, right, distance))
        else:
            parts.append(right)
        return right

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
        if kind is None or kind in ("RPAREN", "OR", "KW", "NEAR"):
            return None  # a dangling operator: the caller drops it
        tok = self.toks[self.i]
        self.i += 1
        if kind == "WORD":
            return _word(tok.text)
        if kind == "PHRASE":
            return Term(tok.text, quoted=True)
        if kind == "FILTER":
            return Filter(tok.field, tok.text)
        # LPAREN
        if depth + 1 > MAX_DEPTH:
            raise BadQuery(f"括号嵌套过深（最多 {MAX_DEPTH} 层）")
        node = self.or_expr(depth + 1)
        if self.peek() == "RPAREN":
            self.i += 1
        return node


def parse(q: str) -> Node:
    """Parse a query string to a tree; raises only ``BadQuery``, and only for the limits.

    A string is parsed once: the tree (immutable) is kept for the next caller, so the engine,
    the page's reading of the query and its hints, and the views' filters share one parse of
    a request's query (and of the queries asked lately)."""
    if not isinstance(q, str):
        raise BadQuery("查询必须是文本")
    if len(q) > 2 * MAX_LENGTH:  # too long to keep (and most likely refused)
        return _parse.__wrapped__(q)
    return _parse(q)


@lru_cache(maxsize=512)
def _parse(q: str) -> Node:
    q = sanitize(q).strip()
    if len(q) > MAX_LENGTH:
        raise BadQuery(f"查询过长（最多 {MAX_LENGTH} 个字符）")
    parser = _Parser(lex(q))
    node = None
    while parser.i < len(parser.toks):  # a dangling OR/NOT leaves tokens: keep going
        before = parser.i
        node = _and([node, parser.or_expr(0)])
        if parser.i == before:
            parser.i += 1
    if node is None:
        return MatchAll()
    count = sum(1 for n in walk(node) if isinstance(n, Term | Filter | Gap))
    if count > MAX_TERMS:
        raise BadQuery(f"检索词过多（最多 {MAX_TERMS} 个）")
    return node


# ---------------------------------------------------------------- reading the tree


def walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, And | Or):
        for c in node.children:
            yield from walk(c)
    elif isinstance(node, Not):
        yield from walk(node.child)
    elif isinstance(node, Near):
        yield from walk(node.left)
        yield from walk(node.right)
