"""Stage 2, clean: drop web chrome, licence notices and captions; lift header lines out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Cleaned", "clean", "is_caption", "normalize", "squeeze_spaces"]

HAN = r"\u3400-\u9fff\uf900-\ufaff"
# Chinese characters and the full-width punctuation that stands between them.
CJK = (
    HAN
    + r"\u3001-\u3003\u3008-\u3011\u3014-\u301f\uff01-\uff0f\uff1a-\uff20"
    + r"\u2014\u2026\u201c\u201d\u2018\u2019"
)

_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)} | {
    c: c - 0xFEE0 for c in [*range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
}
_FOOTNOTE = re.compile(r"\[\s*\d{1,3}\s*\]")

# Lines that are page tool bars, share buttons and similar page furniture.
_CHROME_LINES = {
    "下载", "打印", "全屏", "收藏", "加大", "还原", "减小", "】", "【", "|", "×", ">",
    "分享", "分享：", "分享:", "分享到", "分享到:", "分享到：", "分享到微信",
    "打印本页", "关闭窗口", "关闭", "扫一扫在手机打开当前页", "》》点击图片进入专题《《",
    "相关报道：", "相关报道:", "相关文档：", "相关文档:", "相关附件>>", "相关链接>>",
    "阅读量：", "阅读量:", "首页", "Public domain", "false", "true", "↑",
}  # fmt: skip
_FONT_BAR = re.compile(r"^【字[号体][：:]")
_BREADCRUMB = re.compile(r"^(您的位置|当前位置|您现在的位置)\s*[：:]?")
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
_HEADER_KEYS = (
    "发布时间", "发表时间", "发布日期", "发文时间", "成文日期", "信息来源", "来源", "时间",
    "索引号", "发布机构", "主题分类", "文号", "发文机关", "作者", "浏览次数", "标题", "年份",
)  # fmt: skip
_HEADER_LINE = re.compile(
    r"(?P<key>"
    + "|".join(_HEADER_KEYS)
    + r")\s*[:：]\s*(?P<value>.*?)\s*(?=("
    + "|".join(_HEADER_KEYS)
    + r")\s*[:：]|$)"
)
_DATETIME = re.compile(
    r"^\d{4}[-年/.]\d{1,2}[-月/.]\d{1,2}日?\s*(\d{1,2}[:时]\d{1,2}(分|:\d{1,2})?)?$"
)
HEAD_LINES = 30


@dataclass(frozen=True)
class Cleaned:
    """Prose text with page furniture removed, and the header fields lifted out of it."""

    text: str
    header: dict[str, str] = field(default_factory=dict)


def normalize(text: str) -> str:
    """Unify line ends and width: drop zero-width characters, full-width digits → ASCII."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text).replace("\u00a0", " ").replace("\t", " ")
    return text.translate(_FULLWIDTH_ALNUM)


def squeeze_spaces(line: str) -> str:
    """Remove spaces that extraction put inside Chinese text; keep those between Latin words."""
    line = line.strip(" \u3000")
    # A lone ideographic space inside a line is a space; runs of two or more separate paragraphs.
    line = re.sub(r"(?<!\u3000)\u3000(?!\u3000)", " ", line)
    line = re.sub(rf"(?<=[{CJK}]) +(?=[{CJK}0-9A-Za-z(（])", "", line)
    line = re.sub(rf"(?<=[{CJK}0-9A-Za-z%)）]) +(?=[{CJK}])", "", line)
    line = re.sub(r" {2,}", " ", line)
    # Half-width punctuation standing in Chinese text becomes full-width.
    line = re.sub(rf"(?<=[{HAN}“”）]),(?!\d)|(?<!\d),(?=[{HAN}“”（])", "，", line)
    line = re.sub(rf"(?<=[{HAN}”）]);|;(?=[{HAN}“（])", "；", line)
    line = re.sub(rf"(?<=[{HAN}”）]):(?!\d)", "：", line)
    line = re.sub(rf"(?<=[{HAN}”）])\?", "？", line)
    line = re.sub(rf"(?<=[{HAN}”）])!", "！", line)
    line = re.sub(rf"\(([^()\n]*[{HAN}][^()\n]*)\)", r"（\1）", line)
    return line


def is_caption(line: str) -> bool:
    """A photo caption or photo credit line, e.g. "（区委宣传部 供图）", "…本报记者 戴冰摄"."""
    return len(line) < 160 and bool(_CAPTION.search(line.strip()))


def _parse_header(line: str) -> dict[str, str] | None:
    compact = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", line)
    if "|" in compact:  # a table row: 索 引 号 | H001/2021-48336 | 成文日期 | 2021-07-07 |
        cells = [c.strip() for c in compact.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0] in _HEADER_KEYS:
            return {cells[i]: cells[i + 1] for i in range(0, len(cells) - 1, 2)}
        return None
    found = {m["key"]: m["value"] for m in _HEADER_LINE.finditer(compact)}
    if found and re.match(rf"^({'|'.join(_HEADER_KEYS)})\s*[:：]", compact):
        return found
    return None


def _strip_head(lines: list[str], header: dict[str, str]) -> list[str]:
    """Remove tool bars, breadcrumbs, header lines and duplicated title lines from the page head."""
    out: list[str] = []
    i = 0
    seen: set[str] = set()
    while i < len(lines):
        line = lines[i].strip()
        in_head = i < HEAD_LINES
        if in_head and _FONT_BAR.match(line):
            while i < len(lines) and lines[i].strip() != "】" and i < HEAD_LINES + 10:
                i += 1
            i += 1
            continue
        if in_head and (_BREADCRUMB.match(line) or (line == "首页" and _next_is_crumb(lines, i))):
            i = _skip_breadcrumb(lines, i)
            continue
        parsed = _parse_header(line) if in_head else None
        if parsed is not None:
            for key, value in parsed.items():
                if not value and i + 1 < len(lines) and _is_header_value(lines[i + 1]):
                    value = lines[i + 1].strip()
                    i += 1
                if value:
                    header.setdefault(key, value)
            i += 1
            continue
        if in_head and _DATETIME.match(line):
            header.setdefault("时间", line)
            i += 1
            continue
        if in_head and line in seen and len(line) > 4 and not re.search(r"[。！？：!?:]$", line):
            # a title repeated by the page template
            i += 1
            continue
        if in_head and line:
            seen.add(line)
        out.append(lines[i])
        i += 1
    return out


def _is_header_value(line: str) -> bool:
    line = line.strip()
    return (
        0 < len(line) <= 30
        and line not in _CHROME_LINES
        and not _FONT_BAR.match(line)
        and not re.search("[。，！？]", line)
    )


def _next_is_crumb(lines: list[str], i: int) -> bool:
    return i + 1 < len(lines) and lines[i + 1].strip().startswith(">")


def _skip_breadcrumb(lines: list[str], i: int) -> int:
    """Skip "您的位置: 首页 > 栏目" spread over one or several lines; return the next index."""
    last = ""
    first = _BREADCRUMB.sub("", lines[i].strip())
    if ">" in first:
        last = first.rsplit(">", 1)[1].strip()
    i += 1
    while i < len(lines):
        line = lines[i].strip()
        if line == "首页" or line.startswith(">") or line.endswith(">"):
            last = line.rsplit(">", 1)[1].strip() if ">" in line else ""
            i += 1
        elif not last and len(line) <= 20 and not re.search("[。，：:]", line):
            last = line  # the crumb after a lone ">"
            i += 1
        else:
            break
    if last and i < len(lines) and lines[i].strip() == last:
        i += 1  # the page title repeating the last crumb
    return i


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
    text = normalize(text)
    text = _FOOTNOTE.sub("", text)
    header: dict[str, str] = {}
    lines = [squeeze_spaces(line) for line in text.split("\n")]
    lines = _strip_tail(lines)
    lines = _strip_head(lines, header)
    lines = [line for line in lines if line.strip() not in _CHROME_LINES]
    lines = _drop_captions(lines)
    body = "\n".join(lines).strip("\n")
    body = re.sub(r"\n{3,}", "\n\n", body)
    return Cleaned(text=body, header=header)
