"""The canonical query string: ``to_string(tree)`` is a compact string that ``parse`` turns
back into the same tree (quotes only where a bare word would lex differently)."""

from __future__ import annotations

from search.lexer import DELIMITERS, QUOTES, Tok, lex, sanitize
from search.query import And, Filter, Gap, MatchAll, Near, Node, Not, Or, Term


def _quote(text: str) -> str:
    for opener, closer in QUOTES.items():
        if closer not in text:
            return f"{opener}{text}{closer}"
    return '"' + text.replace('"', "＂") + '"'  # folds back to '"'; not produced by parse


def _is_bare(text: str) -> bool:
    """True when ``text`` lexes back as one plain word (and not as a gap)."""
    return (
        bool(text)
        and sanitize(text) == text
        and sum(1 for part in text.split("*") if part) < 2  # else it would lex as a gap
        and lex(text) == [Tok("WORD", text)]
    )


def _value(value: str) -> str:
    bare = (
        value
        and not any(c.isspace() or c in DELIMITERS for c in value)
        and sanitize(value) == value
    )
    return value if bare else _quote(value)


def _atom(node: Node) -> str:
    """``node`` as an operand of ``-`` or of AND."""
    s = to_string(node)
    return f"({s})" if isinstance(node, Or | And | Near) else s


def _join(parts: list[str]) -> str:
    """Join AND operands with a space except beside a parenthesis (a quote inside a word
    belongs to the word, so quoted operands are spaced too)."""
    parts = [p for p in parts if p]
    if not parts:
        return ""
    out = parts[0]
    for p in parts[1:]:
        glued = out[-1] == ")" or p[0] == "("
        out += p if glued else " " + p
    return out


def to_string(node: Node) -> str:
    """A canonical, compact query string that ``parse`` turns back into ``node``."""
    if isinstance(node, MatchAll):
        return ""
    if isinstance(node, Term):
        return node.text if not node.quoted and _is_bare(node.text) else _quote(node.text)
    if isinstance(node, Gap):
        text = "*".join(node.parts)
        # a leading star is dropped by the parser but keeps a word that starts like a quote,
        # a dash or a filter (*"*0, *-a*b) one word
        return text if lex(text) == [Tok("WORD", text)] else "*" + text
    if isinstance(node, Near):
        return f"{to_string(node.left)} NEAR/{node.distance} {to_string(node.right)}"
    if isinstance(node, Filter):
        return f"{node.field}:{_value(node.value)}"
    if isinstance(node, Not):
        return "-" + _atom(node.child)
    if isinstance(node, And):
        return _join([_atom(c) if isinstance(c, Or) else to_string(c) for c in node.children])
    if isinstance(node, Or):
        return "|".join(_atom(c) if isinstance(c, Or) else to_string(c) for c in node.children)
    raise TypeError(f"not a query node: {node!r}")
