"""Each line judged prose or page clutter (`is_clutter`), and the clutter dropped.

A line holding a sentence — a full stop, question or exclamation mark after Chinese text — is
prose unless it is only page fields. Without one, a line is clutter when it is
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
unfinished sentence stays, and a list run must follow a finished sentence.
"""

from __future__ import annotations

import re

from indexer.cleantext import HAN_CHAR, has_sentence
from indexer.page_head import HEAD_LINES, HEADER_LINE

_PRINTER = re.compile(r"(?:\d{4}\s?年\s?\d{1,2}\s?月\s?\d{1,2}\s?日\s?印发?|共印\s?\d+\s?份)$")
# The prose-versus-clutter decision (see the module docstring).
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
    if has_sentence(s):
        return _only_fields(s)
    if not HAN_CHAR.search(s):  # a number, date or rule; dashes, quotes and brackets are text
        return (
            bool(re.search(r"[0-9A-Za-z=|>/#*_~.-]", s))
            and not _QUOTES.search(s)
            and not s.endswith(("：", ":"))  # "［5］ESI：" introduces a note
        )
    if _FOOTER_MARK.search(s) or _only_fields(s) or _FIELD_WORD.match(s):
        return True
    if len(_LINK_SEP.findall(s)) >= 2 and HAN_CHAR.search(s):
        return True
    compact = re.sub(r"\s+", "", s)
    if len(compact) >= 50 and not _PUNCT.search(compact):
        return True
    if len(compact) <= _SHORT and not _NUMBERED.match(compact):
        han = len(HAN_CHAR.findall(compact))
        covered = sum(len(HAN_CHAR.findall(m)) for m in _UI_WORDS.findall(compact))
        return han > 0 and covered >= 0.6 * han
    return False


def _only_fields(s: str) -> bool:
    """A line made of page fields ("阅读：12 评论：0", "上一篇：…") with little prose besides."""
    if len(s) > 300 or ("：" not in s and ":" not in s):
        return False
    if not _FIELD.search(s):
        return False
    rest = _FIELD.sub("", s)
    return not _PUNCT.search(rest) and len(HAN_CHAR.findall(rest)) <= 30


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


def drop_clutter(lines: list[str], header: dict[str, str]) -> list[str]:
    """Drop clutter lines and list runs; trim clutter tails off prose lines."""
    keep = [True] * len(lines)
    prev_open = False  # whether the last kept text line stops mid-sentence
    for i, line in enumerate(lines):
        s = line.strip()
        if not s:
            continue
        if is_clutter(s) and not (prev_open and not HAN_CHAR.search(s)):
            keep[i] = False
            prev_open = False  # a number after a dropped field ("阅读：" / "1258") is a counter
            if i < HEAD_LINES:
                for m in HEADER_LINE.finditer(compact(s)):
                    if m["value"]:
                        header.setdefault(m["key"], m["value"])
            continue
        lines[i] = _trim_tail(line)
        prev_open = not lines[i].strip().endswith(_CLOSED)
    nonblank = [i for i, line in enumerate(lines) if keep[i] and line.strip()]
    prose = [
        k for k, n in enumerate(nonblank) if len(lines[n]) > 3 * _SHORT or has_sentence(lines[n])
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


def compact(line: str) -> str:
    return re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", line)
