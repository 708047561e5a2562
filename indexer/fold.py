"""Per-character, length-preserving normalization applied alike to paragraphs and queries.

Because ``fold`` maps every character to exactly one character, a span found in folded text
marks the same span in the text as ingested, and a substring of ``s`` folds to the matching
substring of ``fold(s)``. OpenCC is used one character at a time, never on running text: its
phrase-level conversion depends on context and would break exact matching.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import unicodedata

logger = logging.getLogger(__name__)

_TABLE: tuple[str, ...] | None = None
_LOCK = threading.Lock()

# Characters OpenCC sees (one per line); line breaks themselves are left out.
_CANDIDATE_END = 0x32400
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _candidates() -> list[str]:
    """Every non-surrogate, non-line-break code point below the end of CJK extension H."""
    return [
        chr(cp)
        for cp in range(0x20, _CANDIDATE_END)
        if not 0xD800 <= cp <= 0xDFFF and chr(cp) not in _LINE_BREAKS
    ]


def _opencc_single_chars(chars: list[str], config: str = "t2s") -> dict[str, str]:
    """Traditional → simplified for each character alone, keeping only 1→1 conversions."""
    from opencc import OpenCC

    converted = OpenCC(config).convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # a line grew or shrank: fall back to one call per char
        logger.warning("OpenCC batch misaligned; converting characters one by one")
        cc = OpenCC(config)
        converted = [cc.convert(c) for c in chars]
    return {c: o for c, o in zip(chars, converted, strict=True) if len(o) == 1 and o != c}


def _single_chars(chars: list[str]) -> dict[str, str]:
    """OpenCC's t2s, plus the variant characters its Hong Kong table adds (衞→卫, 敍→叙, 衹→只,
    粧→妆): they have one simplified form whatever the context. Characters whose simplified
    form depends on the word (著 → 着 or 著, 瞭 → 了 or 瞭, 覆 → 复 or 覆) stay as written."""
    table = _opencc_single_chars(chars)
    for c, o in _opencc_single_chars(chars, "hk2s").items():
        table.setdefault(c, o)
    return table


def _step(c: str, t2s: dict[str, str]) -> str:
    """One round of the single-character rules (width, space, script, compatibility, case)."""
    cp = ord(c)
    if 0xFF01 <= cp <= 0xFF5E:
        c = chr(cp - 0xFEE0)
    elif cp == 0x3000 or (c != " " and unicodedata.category(c) == "Zs"):
        c = " "
    elif 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F:
        nfc = unicodedata.normalize("NFC", c)  # CJK compatibility ideograph → unified one
        if len(nfc) == 1:
            c = nfc
    c = t2s.get(c, c)
    low = c.lower()
    return low if len(low) == 1 else c


def _fixpoint(c: str, t2s: dict[str, str]) -> str:
    """Apply ``_step`` until it no longer changes; on a cycle pick its smallest member."""
    seen = [c]
    while True:
        nxt = _step(seen[-1], t2s)
        if nxt == seen[-1]:
            return nxt
        if nxt in seen:
            return min(seen[seen.index(nxt) :])
        seen.append(nxt)


def _build_table() -> dict[int, str]:
    chars = _candidates()
    t2s = _single_chars(chars)
    table: dict[int, str] = {}
    for c in chars:
        f = _fixpoint(c, t2s)
        if f != c:
            table[ord(c)] = f
    logger.debug("fold table built: %d characters change", len(table))
    return table


def fold_table() -> tuple[str, ...]:
    """The ``str.translate`` table, built once on first use (a fraction of a second).

    A tuple indexed by code point is about twice as fast as a dict; code points past its end
    raise ``IndexError`` inside ``str.translate`` and are left unchanged.
    """
    global _TABLE
    if _TABLE is None:
        with _LOCK:
            if _TABLE is None:
                changes = _build_table()
                _TABLE = tuple(changes.get(cp, chr(cp)) for cp in range(_CANDIDATE_END))
    return _TABLE


def fold(text: str) -> str:
    """Fold ``text`` for matching: 報→报, １９５５→1955, ＰＭ２．５→pm2.5, U+3000→space, G→g.

    Length-preserving and per-character: ``fold(s) == "".join(fold(c) for c in s)``.
    """
    return text.translate(fold_table())


def fold_signature() -> str:
    """A digest of the fold table. An index records the one it was built with: queries folded
    by another table (say, after an OpenCC upgrade) could silently miss, so it must be rebuilt."""
    table = "".join(fold_table()).encode("utf-8", "surrogatepass")
    return hashlib.sha1(table).hexdigest()[:16]


def drop_invisible(text: str) -> str:
    """`text` without format characters (Unicode category Cf: zero-width spaces and joiners,
    BOMs, soft hyphens, bidirectional marks and isolates, invisible operators, tag characters).
    Ingestion and the query parser both use it, so neither keeps what the other drops."""
    invisible = {ord(c): None for c in set(text) if unicodedata.category(c) == "Cf"}
    return text.translate(invisible) if invisible else text


_T2S = None


def simplify(text: str) -> str:
    """`text` with its traditional characters turned simplified one at a time (OpenCC t2s)
    and nothing else changed (punctuation, width and case kept): what the metadata rules
    read, so a report in traditional characters (2020年江干區政府工作報告) is read like its
    simplified form. Only the characters the text holds are converted."""
    global _T2S
    han = [c for c in set(text) if ord(c) >= 0x3400]
    if not han:
        return text
    if _T2S is None:
        from opencc import OpenCC

        _T2S = OpenCC("t2s")
    converted = _T2S.convert("\n".join(han)).split("\n")
    if len(converted) != len(han):  # a line grew or shrank: one character at a time
        converted = [_T2S.convert(c) for c in han]
    changes = {c: o for c, o in zip(han, converted, strict=True) if len(o) == 1 and o != c}
    if not changes:
        return text
    return re.sub(f"[{''.join(changes)}]", lambda m: changes[m[0]], text)
