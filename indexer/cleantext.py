"""Text no reader should see, undone, and text as one writes it: literal escape sequences
(the characters \\r\\n), HTML entities, leaked CSS rules and mojibake removed; line ends, widths
and the spaces extraction put inside Chinese text unified."""

from __future__ import annotations

import html
import re

from indexer.fold import drop_invisible

HAN = r"\u3400-\u9fff\uf900-\ufaff"
# Chinese characters and the full-width punctuation that stands between them.
CJK = (
    HAN
    + r"\u3001-\u3003\u3008-\u3011\u3014-\u301f\uff01-\uff0f\uff1a-\uff20"
    + r"\u2014\u2026\u201c\u201d\u2018\u2019"
)

_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)} | {
    c: c - 0xFEE0 for c in [*range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
}
_HALF_WIDTH = frozenset(" \u3000,;:?!()")

# Text no reader should see.
_ESCAPES = re.compile(r"\\r\\n|\\n|\\r|\\t")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
_CSS = re.compile(r"[\w.#:\-\s,>]*\{[^{}\u3400-\u9fff]*:[^{}\u3400-\u9fff]*\}")
_MOJIBAKE = re.compile(r"[?\ufffd]*\ufffd[?\ufffd]*|\?{2,}|(?:锟斤拷)+|(?:烫烫)+|(?:屯屯)+")

_SENTENCE = re.compile(rf"[{HAN}][^。！？!?]*[。！？!?]")
HAN_CHAR = re.compile(f"[{HAN}]")
_ENDS = frozenset("。！？!?")
_SPACED_YEAR = re.compile(r"(?<![\d.,])[12](?=[\d ]{3,6}年)(?: ?\d){3}(?=年)")


def has_sentence(s: str) -> bool:
    """Chinese text ending in a full stop, question or exclamation mark (linear time)."""
    return not _ENDS.isdisjoint(s) and bool(_SENTENCE.search(s))


def normalize(text: str) -> str:
    """Unify line ends and width: drop zero-width characters, full-width digits → ASCII."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = drop_invisible(text).replace("\u00a0", " ").replace("\t", " ")
    return text.translate(_FULLWIDTH_ALNUM)


def squeeze_spaces(line: str) -> str:
    """Remove spaces that extraction put inside Chinese text; keep those between Latin words."""
    line = line.strip(" \u3000")
    if _HALF_WIDTH.isdisjoint(line):
        return line  # nothing to squeeze or widen (most lines of prose)
    # A lone ideographic space inside a line is a space; runs of two or more separate paragraphs.
    line = re.sub(r"(?<!\u3000)\u3000(?!\u3000)", " ", line)
    line = re.sub(rf"(?<=[{CJK}]) +(?=[{CJK}0-9A-Za-z(（])", "", line)
    line = re.sub(rf"(?<=[{CJK}0-9A-Za-z%)）]) +(?=[{CJK}])", "", line)
    line = re.sub(r" {2,}", " ", line)
    # A year the extraction spaced out: "2 016年" → "2016年".
    line = _SPACED_YEAR.sub(lambda m: m[0].replace(" ", ""), line)
    # Half-width punctuation standing in Chinese text becomes full-width.
    line = re.sub(rf"(?<=[{HAN}“”）]),(?!\d)|(?<!\d),(?=[{HAN}“”（])", "，", line)
    line = re.sub(rf"(?<=[{HAN}”）]);|;(?=[{HAN}“（])", "；", line)
    line = re.sub(rf"(?<=[{HAN}”）]):(?!\d)", "：", line)
    line = re.sub(rf"(?<=[{HAN}”）])\?", "？", line)
    line = re.sub(rf"(?<=[{HAN}”）])!", "！", line)
    line = re.sub(rf"\(([^()\n]*[{HAN}][^()\n]*)\)", r"（\1）", line)
    return line


def unmangle(text: str) -> str:
    """Undo what pages and crawlers did to text: escape sequences, entities, CSS, mojibake."""
    if "\\" in text:
        text = _ESCAPES.sub(lambda m: "\n" if "n" in m[0] or "r" in m[0] else " ", text)
    for _ in range(2):  # "&amp;nbsp;" is escaped twice
        if "&" not in text:
            break
        text = _ENTITY.sub(lambda m: html.unescape(m[0]), text)
    if "{" in text:
        text = _CSS.sub("", text)
    if "??" in text or "\ufffd" in text or "锟斤拷" in text or "烫烫" in text or "屯屯" in text:
        text = _MOJIBAKE.sub("", text)
    return text
