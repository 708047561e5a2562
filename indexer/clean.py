"""Stage 2, clean: drop web chrome, licence notices and captions; lift header lines out.

Text first loses what no reader should see: literal escape sequences (the characters \\r\\n),
HTML entities (decoded with html.unescape), leaked CSS rules and mojibake (????, U+FFFD).

Then each line is judged prose or page clutter (``is_clutter``). A line holding a sentence — a
full stop, question or exclamation mark after Chinese text — is prose unless it is only page
fields. Without one, a line is clutter when it is
  - not text: no Chinese character at all (lone numbers, dates, rules of ====, |, >>);
  - a link run: two or more link separators (> » | ｜) between short items (breadcrumbs, menus),
    or 50+ characters without any punctuation (a page header run together into one line);
  - page fields: label：value pairs whose labels name page furniture (阅读, 评论, 来源, 发布时间,
    上一篇, 分享到 …), with little besides;
  - a registration or licence footer (ICP备, 公网安备, 版权所有, ©, 网站标识码);
  - tool-bar words: a short line mostly made of interface words (登录, 无障碍, 适老模式, 打印 …);
  - in a list: short unpunctuated lines in a row that are not numbered headings or meeting
    lines, standing between finished sentences — three at the head or foot of a page, five
    inside it (sidebars of other reports' titles, tag clouds, menus). At the head, the lines
    that end such a run and read as a title block (报告, 人民政府, a year) stay, and so do the
    two lines above a meeting line.
A prose line that ends in clutter ("…任务。扫一扫在手机打开当前页【关闭】") loses that tail. Short
headings pass because they are numbered or stand alone between sentences; a number inside an
unfinished sentence stays, and a list run must follow a finished sentence. A page that repeats
its report keeps the first copy.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from indexer.fold import drop_invisible

__all__ = ["Cleaned", "clean", "is_caption", "is_clutter", "normalize", "squeeze_spaces"]

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
_FOOTNOTE = re.compile(r"\[\s*\d{1,3}\s*\]")

# Lines that are page tool bars, share buttons and similar page furniture.
_CHROME_LINES = {
    "下载", "打印", "全屏", "收藏", "加大", "还原", "减小", "】", "【", "|", "×", ">",
    "分享", "分享：", "分享:", "分享到", "分享到:", "分享到：", "分享到微信",
    "打印本页", "关闭窗口", "关闭", "扫一扫在手机打开当前页", "》》点击图片进入专题《《",
    "相关报道：", "相关报道:", "相关文档：", "相关文档:", "相关附件>>", "相关链接>>",
    "阅读量：", "阅读量:", "首页", "Public domain", "false", "true", "↑",
    "正文：", "正文:",  # a crawler's marker before the text it saved
}  # fmt: skip
_PRINTER = re.compile(r"(?:\d{4}\s?年\s?\d{1,2}\s?月\s?\d{1,2}\s?日\s?印发?|共印\s?\d+\s?份)$")
_SUMMARY = re.compile(r"^内容摘要\s*[:：]\s*(.+)$")
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
    "原文链接", "原文地址", "网址", "URL", "来源URL", "来源网址", "发文单位", "内容摘要",
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
_HALF_WIDTH = frozenset(" \u3000,;:?!()")
_LEADING_FIELD = re.compile(
    rf"^\s*(?P<key>{'|'.join(_HEADER_KEYS)})\s*[:：]\s*(?P<value>\S{{1,24}}?)"
    r"(?:\s+|(?=各位代表|同志们|代表们|\d{4}年|[一二][〇○零Oo0一二三四五六七八九]{3}年))(?P<rest>.+)$"
)

# Text no reader should see.
_ESCAPES = re.compile(r"\\r\\n|\\n|\\r|\\t")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
_CSS = re.compile(r"[\w.#:\-\s,>]*\{[^{}\u3400-\u9fff]*:[^{}\u3400-\u9fff]*\}")
_MOJIBAKE = re.compile(r"[?\ufffd]*\ufffd[?\ufffd]*|\?{2,}|(?:锟斤拷)+|(?:烫烫)+|(?:屯屯)+")

# The prose-versus-clutter decision (see the module docstring).
_SENTENCE = re.compile(rf"[{HAN}][^。！？!?]*[。！？!?]")
_HAN_CHAR = re.compile(f"[{HAN}]")
_ENDS = frozenset("。！？!?")
_PUNCT = re.compile(r"[，。、；：！？,;:!?“”（）()《》]")
_LINK_SEP = re.compile(r"\s*(?:>{1,2}|»|›|\||｜)\s*")
_PAGE_FIELD = (
    r"(?:信息|稿件|文章)?来源|作者|(?:责任)?编辑|审核|校对|摄影|"
    r"(?:发布|发表|发文|更新|成文)(?:时间|日期)|时间|日期|"
    r"阅读(?:量|数|次数)?|浏览(?:量|次数)?|访问量|点击(?:量|数|率)?|评论(?:数)?|点赞|转发|收藏|"
    r"分享(?:到)?|字号|字体|文字大小|上一篇|下一篇|上一条|下一条|相关(?:文章|阅读|新闻|链接|报道|文档)|"
    r"(?:热门|推荐)(?:文章|阅读)|标签|关键词|TAG|Tags?|主办(?:单位)?|承办(?:单位)?|"
    r"技术支持|联系电话|电话|地址|邮编|网站标识码|标题|年份|索\s*引\s*号|发布机构|文号"
)
_FIELD = re.compile(
    rf"(?:{_PAGE_FIELD})\s*[：:]\s*(?:[^：:。！？]|(?<=\d):(?=\d)){{0,60}}?"
    rf"(?=\s*(?:{_PAGE_FIELD})\s*[：:]|$)"
)
_FIELD_WORD = re.compile(rf"^[【\[]?(?:{_PAGE_FIELD})[】\]]?$")
_FOOTER_MARK = re.compile(
    r"ICP[备證证]|公网安备|公網安備|版权所有|版權所有|Copyright|©|网站标识码|"
    r"建议使用.{0,30}浏览器|最佳分辨率|分辨率\s*\d"
)
_UI_WORDS = re.compile(
    r"首页|登录|注册|搜索|热搜词?|无障碍(?:阅读|浏览)?|适老(?:化|模式)?|长者模式|关怀版|繁简|繁體|"
    r"简体|English|打印(?:本页)?|关闭(?:当前)?(?:窗口|页面|本页)?|分享(?:到)?|收藏|字号|"
    r"返回顶部|顶部|微信|微博|QQ空间|扫一扫|手机(?:版|扫码)?|打开|当前页|朗读|进入|退出|"
    r"网站地图|联系我们|加大|减小|还原|默认|全屏|下载|更多|在线咨询|政务服务|智能问答"
)
_NUMBERED = re.compile(
    r"^(第[一二三四五六七八九十百]+[部章节篇]|[一二三四五六七八九十百]+、|"
    r"[（(][一二三四五六七八九十]+[)）]|\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[)）])"
)
_MEETING_LINE = re.compile(r"^[（(]|^—|\d{1,2}月\d{1,2}日|在.{2,40}(会议|大会|全会)上")
_TITLE_BLOCK = re.compile(
    r"报告|讲话|人民政府|委员会|\d{4}年|[一二][〇○零Oo0一二三四五六七八九]{3}年"
)
_QUOTES = re.compile(r"[《》“”‘’「」『』〈〉]")
_CLOSED = tuple("。！？；：…!?;:”’」』）)】")
_OPENING_PUNCT = tuple("，、。；：！？）」』”》,.;:)")
# This many short unpunctuated lines in a row make a list, not a title block: at the head or
# the foot of a page, or anywhere in it (where a sentence broken at its links has fewer).
_RUN_EDGE, _RUN = 3, 5
_SHORT = 40


def is_clutter(line: str) -> bool:
    """Whether one line is page clutter rather than report prose (see the module docstring)."""
    s = line.strip()
    if not s:
        return False
    if len(s) <= 60 and _PRINTER.search(s) and not re.search(r"[。！？!?]", s):
        return True  # a printer's line: "…秘书处 2026年1月28日印", "…印 共印700份"
    if _has_sentence(s):
        return _only_fields(s)
    if not _HAN_CHAR.search(s):  # a number, date or rule; dashes, quotes and brackets are text
        return (
            bool(re.search(r"[0-9A-Za-z=|>/#*_~.-]", s))
            and not _QUOTES.search(s)
            and not s.endswith(("：", ":"))  # "［5］ESI：" introduces a note
        )
    if _FOOTER_MARK.search(s) or _only_fields(s) or _FIELD_WORD.match(s):
        return True
    if len(_LINK_SEP.findall(s)) >= 2 and _HAN_CHAR.search(s):
        return True
    compact = re.sub(r"\s+", "", s)
    if len(compact) >= 50 and not _PUNCT.search(compact):
        return True
    if len(compact) <= _SHORT and not _NUMBERED.match(compact):
        han = len(_HAN_CHAR.findall(compact))
        covered = sum(len(_HAN_CHAR.findall(m)) for m in _UI_WORDS.findall(compact))
        return han > 0 and covered >= 0.6 * han
    return False


def _has_sentence(s: str) -> bool:
    """Chinese text ending in a full stop, question or exclamation mark (linear time)."""
    return not _ENDS.isdisjoint(s) and bool(_SENTENCE.search(s))


def _only_fields(s: str) -> bool:
    """A line made of page fields ("阅读：12 评论：0", "上一篇：…") with little prose besides."""
    if len(s) > 300 or ("：" not in s and ":" not in s):
        return False
    if not _FIELD.search(s):
        return False
    rest = _FIELD.sub("", s)
    return not _PUNCT.search(rest) and len(_HAN_CHAR.findall(rest)) <= 30


def _listish(line: str) -> bool:
    """A short line that could be an item of a link list: no sentence, not a heading or date."""
    if len(line) > 3 * _SHORT:
        return False
    s = re.sub(r"\s+", "", line)
    return (
        0 < len(s) <= _SHORT
        and not _PUNCT.search(s.strip("“”（）()《》"))
        and not _NUMBERED.match(s)
        and not _MEETING_LINE.search(s)
        and not s.startswith(_OPENING_PUNCT)
        and not s.startswith(("——", "—"))
    )


def _drop_clutter(lines: list[str], header: dict[str, str]) -> list[str]:
    """Drop clutter lines and list runs; trim clutter tails off prose lines."""
    keep = [True] * len(lines)
    prev_open = False  # whether the last kept text line stops mid-sentence
    for i, line in enumerate(lines):
        s = line.strip()
        if not s:
            continue
        if is_clutter(s) and not (prev_open and not _HAN_CHAR.search(s)):
            keep[i] = False
            prev_open = False  # a number after a dropped field ("阅读：" / "1258") is a counter
            if i < HEAD_LINES:
                for m in _HEADER_LINE.finditer(_compact(s)):
                    if m["value"]:
                        header.setdefault(m["key"], m["value"])
            continue
        lines[i] = _trim_tail(line)
        prev_open = not lines[i].strip().endswith(_CLOSED)
    nonblank = [i for i, line in enumerate(lines) if keep[i] and line.strip()]
    prose = [
        k for k, n in enumerate(nonblank) if len(lines[n]) > 3 * _SHORT or _has_sentence(lines[n])
    ]
    first_prose, last_prose = (prose[0], prose[-1]) if prose else (len(nonblank), -1)
    k = 0
    while k < len(nonblank):
        j = k
        while j < len(nonblank) and _listish(lines[nonblank[j]]):
            j += 1
        at_edge = k <= first_prose or j > last_prose
        if j - k < _RUN_EDGE:
            k = max(j, k + 1)
            continue
        before = lines[nonblank[k - 1]].strip() if k > 0 else ""
        after = lines[nonblank[j]].strip() if j < len(nonblank) else ""
        end = j - 2 if _MEETING_LINE.search(after) else j  # a title above its meeting line stays
        if (
            k <= first_prose
        ):  # at the head, the title block ends the run: 报告, 人民政府, 二〇二一年二月
            while end > k and _TITLE_BLOCK.search(lines[nonblank[end - 1]]):
                end -= 1
        if end - k >= (_RUN_EDGE if at_edge else _RUN):
            if (not before or before.endswith(_CLOSED)) and not after.startswith(_OPENING_PUNCT):
                for n in nonblank[k:end]:
                    keep[n] = False
        k = max(j, k + 1)
    return [line for i, line in enumerate(lines) if keep[i]]


def _trim_tail(line: str) -> str:
    """ "…圆满完成今年的各项任务。扫一扫在手机打开当前页【关闭当前页面】" → the sentence alone."""
    if line.endswith(("。", "！", "？")):
        return line
    end = max(line.rfind(c) for c in "。！？!?") + 1
    if 0 < end < len(line.rstrip()) and len(line) - end < 200 and is_clutter(line[end:]):
        return line[:end]
    return line


def _compact(line: str) -> str:
    return re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", line)


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


def normalize(text: str) -> str:
    """Unify line ends and width: drop zero-width characters, full-width digits → ASCII."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = drop_invisible(text).replace("\u00a0", " ").replace("\t", " ")
    return text.translate(_FULLWIDTH_ALNUM)


_SPACED_YEAR = re.compile(r"(?<![\d.,])[12](?=[\d ]{3,6}年)(?: ?\d){3}(?=年)")


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
        if parsed is not None and _has_sentence(line):
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


def clean(text: str) -> Cleaned:
    """Raw report text → prose lines (paragraph breaks untouched) and the page header fields."""
    text = normalize(unmangle(text))
    text = _FOOTNOTE.sub("", text)
    header: dict[str, str] = {}
    lines = [part for line in text.split("\n") for part in _split_title_block(line)]
    lines = [squeeze_spaces(line) for line in lines]
    lines = _strip_tail(lines)
    lines = _strip_head(lines, header)
    lines = [line for line in lines if line.strip() not in _CHROME_LINES]
    lines = _drop_clutter(lines, header)
    lines = _drop_repeat(lines)
    lines = _drop_captions(lines)
    body = "\n".join(lines).strip("\n")
    body = re.sub(r"\n{3,}", "\n\n", body)
    return Cleaned(text=body, header=header)
