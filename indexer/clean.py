"""Stage 2, clean: raw report text in, prose lines and the page's header fields out.

The stage in order, each step one job (and one module where the job is large):

1. text repair (`cleantext`): literal escape sequences, HTML entities, leaked CSS rules and
   mojibake undone; footnote marks ([1]) dropped; a title block run into one line
   ("政府工作报告——2025年2月21日在…会议上") split back into its lines;
2. the page's tail: a Wikisource licence notice, and footers (责任编辑：, 相关链接, 扫一扫…) in
   the second half of the page, cut off with everything after them;
3. the page's head (`page_head`): tool bars, breadcrumbs and header lines removed, their
   fields (来源, 发布时间, 索引号 …) lifted out into `Cleaned.header`;
4. clutter (`clutter`): each remaining line judged prose or page furniture, the furniture
   dropped (its module says how a line is judged);
5. a page holding its report twice keeps the first copy;
6. photo captions and credits (…本报记者 戴冰摄, （区委宣传部 供图）) dropped, with the caption
   text standing on the line before a credit.

Paragraph breaks are left as they are (at most one blank line between paragraphs): the next
stage, split, reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.cleantext import normalize, squeeze_spaces, unmangle
from indexer.clutter import drop_clutter, is_clutter
from indexer.page_head import CHROME_LINES, strip_head

__all__ = ["Cleaned", "clean", "is_caption", "is_clutter", "normalize", "squeeze_spaces"]

_FOOTNOTE = re.compile(r"\[\s*\d{1,3}\s*\]")

# From these lines on, the rest of a page is footer.
_FOOTER = re.compile(
    r"^(Produced By|责任编辑\s*[：:]|编辑\s*[：:]|扫一扫在手机打开当前页|相关报道[：:]?$|"
    r"相关文档[：:]?$|相关附件|相关链接|[（(]来源[：:][^）)]*[）)]$)"
)
# Wikisource licence notices at the end of a page.
_NOTICE = re.compile(r"^(本作品(是|来自)|这部作品在|這部作品在|此作品)")
_CAPTION = re.compile(
    r"(记者|通讯员|摄影|图/)[^。；，]{0,16}摄\s*[)）]?$|[（(][^（）()]{1,20}供图[)）]$|^图为|^▲"
    r"|^[^，。：；、]{2,24}作政府工作报告$"  # an uncredited caption: "省长赵刚作政府工作报告"
)


def _drop_repeat(lines: list[str]) -> list[str]:
    """A page holding its report twice keeps the first copy (with the copy's title lines cut)."""
    first: dict[str, int] = {}
    start = twin = None  # where the second copy's first sentence is, and its twin in the first
    repeats = fresh = 0
    for i, line in enumerate(lines):
        s = line.strip()
        if len(s) < 15 or not ("。" in s or "！" in s or "？" in s):
            continue
        if s in first:
            if start is None:
                start, twin = i, first[s]
            repeats += 1
        elif start is not None:
            fresh += 1
        first.setdefault(s, i)
    # The rest of the page repeats what came before: a second copy, not a quoted line.
    if start is None or twin is None or repeats < 2 or repeats < 4 * fresh:
        return lines
    cut, shift = start, start - twin
    while cut - 1 - shift >= 0 and (
        not lines[cut - 1].strip() or lines[cut - 1].strip() == lines[cut - 1 - shift].strip()
    ):
        cut -= 1
    return lines[:cut]


def _split_title_block(line: str) -> list[str]:
    """Split a title block run into one line: "政府工作报告——2025年2月21日在…会议上…市长李跃勇"."""
    s = line.strip()
    if len(s) > 140 or "日" not in s or "。" in s:
        return [line]
    m = re.match(
        rf"^(?P<title>[^，。：:；、\d]{{2,40}}?)(?:——|--|—)?(?P<date>{_DATE_HEAD})"
        rf"(?P<meeting>在?.{{2,50}}?(?:会议|大会|全会)(?:上|通过)(?:的报告)?)"
        r"(?P<speaker>.{0,30})$",
        s,
    )
    if not m or not m["title"].endswith(("报告", "工作报告", "讲话")):
        return [line]
    out = [m["title"], f"——{m['date']}{m['meeting']}"]
    if m["speaker"].strip():
        out.append(m["speaker"].strip())
    return out


_DATE_HEAD = r"(?:\d{4}|[一二][〇○零Oo0一二三四五六七八九]{3})年\d{1,2}月\d{1,2}日"


@dataclass(frozen=True)
class Cleaned:
    """Prose text with page furniture removed, and the header fields lifted out of it."""

    text: str
    header: dict[str, str] = field(default_factory=dict)


def is_caption(line: str) -> bool:
    """A photo caption or photo credit line, e.g. "（区委宣传部 供图）", "…本报记者 戴冰摄"."""
    return len(line) < 160 and bool(_CAPTION.search(line.strip()))


def _strip_tail(lines: list[str]) -> list[str]:
    """Cut the Wikisource notice and page footers off the end."""
    n = len(lines)
    cut = n
    for i, line in enumerate(lines):
        s = line.strip()
        if _NOTICE.match(s) or (i >= n * 0.5 and _FOOTER.match(s)):
            cut = i
            break
    return lines[:cut]


def _drop_captions(lines: list[str]) -> list[str]:
    """Drop photo captions, with the caption text standing on the line before a credit line."""
    out: list[str] = []
    for line in lines:
        s = line.strip()
        if is_caption(s):
            if re.fullmatch(r"[（(][^（）()]{1,20}(供图|摄)[)）]", s):
                while out and not out[-1].strip():
                    out.pop()
                if out and len(out[-1].strip()) < 60 and not re.search(r"[。！？；：]$", out[-1]):
                    out.pop()
            continue
        out.append(line)
    return out


def clean(text: str) -> Cleaned:
    """Raw report text → prose lines (paragraph breaks untouched) and the page header fields."""
    text = normalize(unmangle(text))
    text = _FOOTNOTE.sub("", text)
    header: dict[str, str] = {}
    lines = [part for line in text.split("\n") for part in _split_title_block(line)]
    lines = [squeeze_spaces(line) for line in lines]
    lines = _strip_tail(lines)
    lines = strip_head(lines, header)
    lines = [line for line in lines if line.strip() not in CHROME_LINES]
    lines = drop_clutter(lines, header)
    lines = _drop_repeat(lines)
    lines = _drop_captions(lines)
    body = "\n".join(lines).strip("\n")
    body = re.sub(r"\n{3,}", "\n\n", body)
    return Cleaned(text=body, header=header)
