"""What a query was understood as, in words, and hints where a query likely meant something
else: lower-case operators, a + or a trailing * taken literally, a space inside quotes, a
query of only operators, an unknown topic, and typed filters that contradict the page's."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from indexer.fold import fold
from indexer.models import LEVEL_LABELS, TOPIC_LABELS
from search import query as ql
from search.errors import BadQuery
from search.filters import resolve_level, resolve_topics
from search.results import SearchQuery

FIELD_NAMES = {
    "province": "省",
    "city": "市",
    "district": "发布地",
    "year": "年份",
    "type": "类型",
    "level": "级别",
    "topic": "主题",
}


def understood(q: str) -> str:
    """The parsed query in words: 「改革」且「开放」, 「城中村」或「棚户区」, 非「经济」."""
    try:
        tree = ql.parse(q)
    except BadQuery:
        return ""
    words = _words(tree)
    if any(isinstance(node, ql.Gap) for node in ql.walk(tree)):
        words += f"（…为同一句内的 0–{ql.GAP_MAX} 个字）"
    return words


def _words(node: ql.Node) -> str:
    """Every kind of node of the query tree in words (a new kind is a TypeError here, which the
    tests reach for each member of `ql.Node`)."""
    match node:
        case ql.MatchAll():
            return "全部段落"
        case ql.Term(text=text):
            return f"「{text}」"
        case ql.Gap(parts=parts):
            return "「" + "」…「".join(parts) + "」"
        case ql.Near(left=left, right=right, distance=distance):
            return f"{_words(left)}与{_words(right)}相距 {distance} 字以内"
        case ql.Filter(field=name, value=value):
            return f"{FIELD_NAMES.get(name, name)}为「{value}」"
        case ql.Not(child=child):
            return f"非{_part(child)}"
        case ql.And(children=children):
            return "且".join(_part(c) for c in children)
        case ql.Or(children=children):
            return "或".join(_part(c) for c in children)
    raise TypeError(f"a query node with no words: {node!r}")


def _part(node: ql.Node) -> str:
    """A node's words inside a larger one: compound nodes in brackets."""
    compound = isinstance(node, ql.And | ql.Or | ql.Near)
    return f"（{_words(node)}）" if compound else _words(node)


def search_hints(engine, query: SearchQuery) -> list[str]:
    """The hints on a search's query, as the search page, the API and `baogao search --json`
    give them (another written form suggested only where the index holds it more often)."""
    return hints(query.q, query, lambda term: _occurrences(engine, term))


def _occurrences(engine, term: str) -> int:
    """Occurrences of one exact term in the whole index, read from the character index's
    counts: a hint compares two written forms and needs no search, facets or ranking."""
    folded = fold(term).strip()
    return int(engine.counts(folded).sum()) if folded else 0


def hints(q: str, query: SearchQuery, count=None) -> list[str]:
    """Plain-language notes on a query that probably meant something else; `count(term)`, when
    given, says how often a term occurs (to suggest another written form only where it is
    the corpus's own)."""
    out = []
    words = q.split()
    if any(w in ("and", "or", "not") for w in words):
        out.append("小写的 and / or / not 按原文检索；表示“且、或、非”请用大写 AND / OR / NOT。")
    if re.search(r"\S\+\S", q):
        out.append("“+” 按原文检索；要同时包含两个词，请用空格分开，如 改革 开放。")
    if re.search(r"\*(\s|$)", q):
        out.append(
            "末尾的 “*” 按原文检索（* 只在两段文字之间表示间隔，如 乡村*振兴）；"
            "精确检索本就包含更长的词，检索 改革 即可找到 改革开放。"
        )
    for phrase in re.findall(r'["“「＂]([^"”」＂]*\s[^"”」＂]*)["”」＂]', q):
        joined = "".join(phrase.split())
        out.append(f"引号内按原文精确匹配，空格也算；原文里多半写作「{joined}」。")
    try:
        tree = ql.parse(q)
    except BadQuery:
        return out
    for node in ql.walk(tree):
        if not (isinstance(node, ql.Term) and count and (reading := _mainland_reading(node.text))):
            continue
        if (more := count(reading)) > count(node.text):
            out.append(
                f"「{node.text}」按原字检索；本库原文多写作「{reading}」（{more:,} 处），"
                f"两种写法都要可检索 {node.text} OR {reading}。"
            )
    if q.strip() and isinstance(tree, ql.MatchAll):
        out.append("检索式里没有可检索的词，下面是全部段落。")
    for node in ql.walk(tree):
        if isinstance(node, ql.Filter):
            out.extend(_filter_hints(node, query))
    return out


@lru_cache(maxsize=1)
def _tw2s():
    from opencc import OpenCC

    return OpenCC("tw2sp")


@lru_cache(maxsize=4096)
def _mainland_reading(text: str) -> str:
    """The word's mainland form by OpenCC's Taiwan phrase table, when it differs by more than
    the per-character fold (沿著 → 沿着, 瞭解 → 了解, 反覆 → 反复); "" when there is none."""
    folded = fold(text)
    reading = fold(_tw2s().convert(text))
    if reading == folded or len(reading) != len(folded):
        return ""
    return reading


def _filter_hints(node: ql.Filter, query: SearchQuery) -> list[str]:
    if node.field == "topic":
        (topic,) = resolve_topics([node.value])
        if topic not in TOPIC_LABELS:
            return [f"没有主题「{node.value}」{_did_you_mean(node.value, TOPIC_LABELS)}"]
    if node.field == "level":
        if resolve_level(node.value) not in LEVEL_LABELS:
            return [f"没有级别「{node.value}」{_did_you_mean(node.value, LEVEL_LABELS)}"]
    selected = {
        "province": query.provinces,
        "city": query.cities,
        "district": query.districts,
        "type": query.types,
    }.get(node.field, ())
    if selected and node.value not in selected:
        name = FIELD_NAMES[node.field]
        return [
            f"检索式中的 {node.field}:{node.value} 与页面上选中的{name}（{'、'.join(selected)}）"
            "同时生效，两者都要满足。"
        ]
    return []


def _did_you_mean(value: str, labels: dict[str, str]) -> str:
    names = list(labels.values())
    close = [n for n in names if value in n] or difflib.get_close_matches(value, names, n=2)
    return f"，是否要找 {'、'.join(close)}？" if close else f"。可选：{'、'.join(names)}。"
