"""The head of a page: tool bars, breadcrumbs, header lines (来源：, 发布时间：, a table of
索引号 | 成文日期 …) and title lines a template repeats, removed, the header fields lifted out."""

from __future__ import annotations

import re

from indexer.cleantext import has_sentence

# Lines that are page tool bars, share buttons and similar page furniture.
CHROME_LINES = {
    "下载", "打印", "全屏", "收藏", "加大", "还原", "减小", "】", "【", "|", "×", ">",
    "分享", "分享：", "分享:", "分享到", "分享到:", "分享到：", "分享到微信",
    "打印本页", "关闭窗口", "关闭", "扫一扫在手机打开当前页", "》》点击图片进入专题《《",
    "相关报道：", "相关报道:", "相关文档：", "相关文档:", "相关附件>>", "相关链接>>",
    "阅读量：", "阅读量:", "首页", "Public domain", "false", "true", "↑",
    "正文：", "正文:",  # a crawler's marker before the text it saved
}  # fmt: skip
_SUMMARY = re.compile(r"^内容摘要\s*[:：]\s*(.+)$")
_FONT_BAR = re.compile(r"^【字[号体][：:]")
_BREADCRUMB = re.compile(r"^(您的位置|当前位置|您现在的位置)\s*[：:]?")
HEADER_KEYS = (
    "发布时间", "发表时间", "发布日期", "发文时间", "成文日期", "信息来源", "来源", "时间",
    "索引号", "发布机构", "主题分类", "文号", "发文机关", "作者", "浏览次数", "标题", "年份",
    "原文链接", "原文地址", "网址", "URL", "来源URL", "来源网址", "发文单位", "内容摘要",
)  # fmt: skip
HEADER_LINE = re.compile(
    r"(?P<key>"
    + "|".join(HEADER_KEYS)
    + r")\s*[:：]\s*(?P<value>.*?)\s*(?=("
    + "|".join(HEADER_KEYS)
    + r")\s*[:：]|$)"
)
_DATETIME = re.compile(
    r"^\d{4}[-年/.]\d{1,2}[-月/.]\d{1,2}日?\s*(\d{1,2}[:时]\d{1,2}(分|:\d{1,2})?)?$"
)
HEAD_LINES = 30
_LEADING_FIELD = re.compile(
    rf"^\s*(?P<key>{'|'.join(HEADER_KEYS)})\s*[:：]\s*(?P<value>\S{{1,24}}?)"
    r"(?:\s+|(?=各位代表|同志们|代表们|\d{4}年|[一二][〇○零Oo0一二三四五六七八九]{3}年))(?P<rest>.+)$"
)


def _parse_header(line: str) -> dict[str, str] | None:
    compact = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", line)
    if "|" in compact:  # a table row: 索 引 号 | H001/2021-48336 | 成文日期 | 2021-07-07 |
        cells = [c.strip() for c in compact.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0] in HEADER_KEYS:
            return {cells[i]: cells[i + 1] for i in range(0, len(cells) - 1, 2)}
        return None
    found = {m["key"]: m["value"] for m in HEADER_LINE.finditer(compact)}
    if found and re.match(rf"^({'|'.join(HEADER_KEYS)})\s*[:：]", compact):
        return found
    return None


def strip_head(lines: list[str], header: dict[str, str]) -> list[str]:
    """Remove tool bars, breadcrumbs, header lines and duplicated title lines from the page head."""
    out: list[str] = []
    i = 0
    seen: set[str] = set()
    while i < len(lines):
        line = lines[i].strip()
        in_head = i < HEAD_LINES
        if in_head and _FONT_BAR.match(line):
            if line.endswith("】"):  # 【字号：大 中 小】 on one line
                i += 1
                continue
            while i < len(lines) and lines[i].strip() != "】" and i < HEAD_LINES + 10:
                i += 1
            i += 1
            continue
        if in_head and (_BREADCRUMB.match(line) or (line == "首页" and _next_is_crumb(lines, i))):
            i = _skip_breadcrumb(lines, i)
            continue
        if in_head and (summary := _SUMMARY.match(line)):
            header.setdefault("内容摘要", summary[1])  # a crawler's abstract: sentences, all of it
            i += 1
            continue
        parsed = _parse_header(line) if in_head else None
        if parsed is not None and has_sentence(line):
            # "来源：新华社 各位代表：现在，…": a source line run into the report keeps the report
            field = _LEADING_FIELD.match(line)
            if field:
                header.setdefault(field["key"], field["value"])
                lines[i] = field["rest"]
                continue
            parsed = None
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
        if (
            in_head
            and line in seen
            and len(line) > 4
            and not re.search(r"[。！？：!?:]$", line)
            and not _opens_title_block(lines, i)
        ):
            # a title repeated by the page template
            i += 1
            continue
        if in_head and line:
            seen.add(line)
        out.append(lines[i])
        i += 1
    return out


_DATED_LINE = re.compile(
    r"^[（(]?\s*(?:[—―─-]{1,3}\s*)?(?:\d{4}年\d{1,2}月\d{1,2}日|在.{2,50}(?:会议|大会|全会)上)"
)


def _opens_title_block(lines: list[str], i: int) -> bool:
    """Whether line i is a meeting line or the title right above one: a gazette's contents
    list names each report, and a session's meeting line repeats; neither is a template's."""
    if _DATED_LINE.match(lines[i].strip()):
        return True
    j = i + 1
    while j < len(lines) and not lines[j].strip():
        j += 1
    return j < len(lines) and bool(_DATED_LINE.match(lines[j].strip()))


def _is_header_value(line: str) -> bool:
    line = line.strip()
    return (
        0 < len(line) <= 30
        and line not in CHROME_LINES
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
