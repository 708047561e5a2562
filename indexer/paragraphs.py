"""Stage 4, paragraphs: repair paragraphs broken by page and line breaks, and find the headings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.clean import is_caption
from indexer.models import Paragraph

__all__ = ["Block", "heading_level", "parse_paragraphs", "split_blocks"]

# Punctuation after which a line may end a paragraph.
TERMINAL = tuple("。！？；：…!?;:”’」』）)】")
# A line starting with one of these continues the sentence of the line before.
CONTINUATION = tuple("，、。；：！？）」』”》,.;:)")
_CN = "一二三四五六七八九十百"
_BARE = r"(?=.)[二三四五六七八九]?十?[一二三四五六七八九]?$"  # a lone section number: 一, 十二
_LEVELS = (
    (1, re.compile(rf"^(第[{_CN}]+[部章节篇]|[{_CN}]+、|{_BARE})")),
    (2, re.compile(rf"^[（(][{_CN}]+[)）]")),
    (3, re.compile(r"^(\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[)）])")),
)
_MAX_HEADING = 40  # characters; a numbered line longer than this is a numbered paragraph
_WRAPPED_ITEM = 28  # a numbered 1. / （1） line this long, with a comma, is an item's first line
_MAX_TITLE_LINE = 24  # an unnumbered, unpunctuated line up to this length may be a heading


@dataclass(frozen=True)
class Block:
    """A repaired paragraph before numbering: its text and heading level (0 for prose)."""

    text: str
    level: int = 0


def heading_level(line: str) -> int:
    """Heading level of a numbered line: 1 for 一、, 2 for （一）, 3 for 1. ; 0 if not numbered."""
    for level, pattern in _LEVELS:
        if pattern.match(line):
            return level
    return 0


def _numbered_heading(line: str) -> int:
    level = heading_level(line)
    if not level or len(line) > _MAX_HEADING:
        return 0
    if level == 3 and len(line) >= _WRAPPED_ITEM and re.search(r"[，,]", line):
        return 0  # "（4）税收事务预算增长13,598万元，主要是税务系统人员类": an item's first line
    # "（一）经济运行顶住压力、稳中有进。" is a heading; "1. 坚持…。推动…。" is a paragraph.
    body = line.rstrip("。") if level < 3 else line
    if re.search(r"[。！？；]", body):
        return 0  # numbered list items (1. …。) are paragraphs
    return level


def _is_title_line(line: str) -> bool:
    return len(line) <= _MAX_TITLE_LINE and not re.search(r"[，。！？；：,;:、“”]", line)


_CLOSING_QUOTES = tuple("”’」』")
_STOPS = tuple("。！？…!?；;")


def _ends_sentence(text: str) -> bool:
    """Whether a text ends a sentence: a closing quote does only after a full stop
    (“…。” does; “放管服” closes a term and the sentence goes on)."""
    if text.endswith(_CLOSING_QUOTES):
        return text.rstrip("”’」』").endswith(_STOPS)
    return text.endswith(TERMINAL)


def _join(left: str, right: str) -> str:
    if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum():
        return f"{left} {right}"
    return left + right


# A long line holding several paragraphs: a numbered section starts after a full stop, e.g.
# "…打造区域性消费中心城市。（五）聚焦区域联动，…" or "…任务。二、2024年重点工作" (but not
# the enumeration "…。一、二、三产业分别增长…").
_INLINE_SECTION = re.compile(
    rf"(?<=[。！？])(?=(?:[（(][{_CN}]{{1,3}}[)）]|[{_CN}]{{1,3}}、(?![{_CN}]))[^\n，。、]{{2}})"
)


_SECTION_AFTER_STOP = re.compile(rf"[。！？][（({_CN}]")


def _lines(text: str) -> list[tuple[str, bool]]:
    """Non-empty lines, each with whether a paragraph break (blank line or indent) precedes it."""
    out: list[tuple[str, bool]] = []
    broken = True
    for raw in text.split("\n"):
        # Text without line breaks separates its paragraphs by ideographic-space indents only.
        parts = re.split(r"\u3000{2,}", raw)
        if _SECTION_AFTER_STOP.search(raw):
            parts = [p for part in parts for p in _INLINE_SECTION.split(part)]
        for k, part in enumerate(parts):
            part = part.strip(" \u3000\t")
            if not part:
                broken = True
                continue
            if not is_caption(part):
                out.append((part, broken or k > 0))
            broken = False
    return out


def split_blocks(text: str) -> list[Block]:
    """Cleaned body text → paragraphs and headings, with mid-sentence breaks repaired.

    Where blank lines separate paragraphs, a single line break never ends one (it is a
    line-wrapped link or a page break); elsewhere a line continues the paragraph before it
    when that one stops mid-sentence or the line starts with closing punctuation.
    """
    lines = _lines(text)
    breaks = sum(broken for _, broken in lines[1:])
    blank_mode = breaks > 0 and breaks >= 0.25 * (len(lines) - 1)
    blocks: list[Block] = []
    buf = ""
    buf_level = 0
    closed = True  # whether the last finished block ended a sentence (or was a heading)

    def flush() -> None:
        nonlocal buf, buf_level, closed
        if buf:
            blocks.append(Block(buf, buf_level))
            closed = buf_level > 0 or buf.endswith(TERMINAL)
        buf, buf_level = "", 0

    for k, (line, broken) in enumerate(lines):
        # A numbered line starts a block, unless it is wrapped inside a blank-line paragraph.
        numbered = bool(heading_level(line)) and (broken or not blank_mode)
        level = _numbered_heading(line) if numbered else 0
        if buf and not buf_level and not numbered:
            open_sentence = not _ends_sentence(buf)
            wrapped = blank_mode and not broken
            if wrapped or open_sentence or line.startswith(CONTINUATION):
                buf = _join(buf, line)
                continue
        flush()
        alone = not blank_mode or (broken and (k + 1 == len(lines) or lines[k + 1][1]))
        if not level and closed and alone and _is_title_line(line):
            level = 4  # an unnumbered short title line
        buf, buf_level = line, level
        if level:
            flush()
    flush()
    return blocks


def parse_paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Cleaned body text → numbered paragraphs, each with the heading path of its section."""
    stack: list[tuple[int, str]] = []
    out: list[Paragraph] = []
    for n, block in enumerate(split_blocks(text), start=1):
        if block.level:
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            stack.append((block.level, block.text))
        section = " > ".join(title for _, title in stack)
        out.append(Paragraph(n=n, text=block.text, section=section, heading=bool(block.level)))
    return tuple(out)
