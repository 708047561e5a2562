"""The requests, one model per endpoint family: what each parameter may be (its limits are the
fields'), read once per request by `fields.from_args` and turned into what the engine takes
(`SearchQuery`, the concordance's steering, …). The OpenAPI document describes these models."""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated, Any, Literal, TypeVar

from pydantic import Field, create_model, model_validator
from pydantic.json_schema import SkipJsonSchema

from indexer.fold import fold
from search import collocations as colloc
from search import concordance as kwic
from search import keywords as kw
from search import query as ql
from search.adoption import LEVELS
from search.facet_table import BY_NAME, Facet
from search.facet_table import FACETS as FACET_TABLE
from search.lineage import MAX_CHARS as PASSAGE_CHARS
from search.results import MODES, SORTS, SearchQuery
from search.reuse import MIN_CHARS
from search.tokens import MAX_N
from search.trends import MAX_PLACES, MAX_TERMS
from search_app.fields import (
    Count,
    Flag,
    Label,
    Labelled,
    OneOf,
    Request,
    Says,
    Text,
    Values,
    Year,
)

MAX_PAGE_HTML = 500
MAX_PAGE_API = 1000
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
PER_CHOICES = ("", "10k")
M = TypeVar("M", bound=Request)
SEPARATORS = re.compile(r"[\s,，、;；]+")  # between the words of `stop` and places of `place`
PAGE_RANGE = "参数 {name} 须在 1 到 {hi} 之间"
NOT_POSITIVE = "参数 {name} 须为正整数，而不是{value}"
TOO_LONG = f"查询过长（最多 {ql.MAX_LENGTH} 个字符）"
QUERY = Text(ql.MAX_LENGTH, "检索式（见 README 的检索语法）", long=TOO_LONG)
MODE = OneOf(MODES, "匹配方式：exact 逐字，words 按词")


def _facet(facet: Facet) -> tuple:
    """The field of a facet's URL parameter, as the facet table describes it."""
    if facet.year:
        return Values(Year, description=facet.help), ()
    return (Labelled(facet) if facet.labels else Values(description=facet.help)), ()


Facets = create_model("Facets", __base__=Request, **{f.name: _facet(f) for f in FACET_TABLE})


class Filters(Facets):
    """Which paragraphs count: the facets' selections and the years."""

    year_from: Annotated[Year | None, Field(description="起始年份（含）")] = None
    year_to: Annotated[Year | None, Field(description="结束年份（含）")] = None

    def query(self, **fields) -> SearchQuery:
        """The engine's search of these filters (and `fields`: q, sort, paging)."""
        lo, hi = self.year_from, self.year_to
        if lo is not None and hi is not None and lo > hi:
            lo, hi = hi, lo
        selected = {f.selection: getattr(self, f.name) for f in FACET_TABLE}
        selected["years"] = tuple(sorted(set(self.year)))
        if not isinstance(self.level, tuple):  # one level only (adoption)
            selected["levels"] = (self.level,) if self.level else ()
        return SearchQuery(**selected, year_from=lo, year_to=hi, **fields)


class Matched(Filters):
    """The filters and a query string, matched exactly or by words (the target of /keywords,
    /dispersion)."""

    q: QUERY = ""
    mode: MODE = MODES[0]


def Page(last: int) -> Any:  # noqa: N802
    return Count(1, last, PAGE_RANGE + "；如需全部结果，请下载 CSV", NOT_POSITIVE, "页码，从 1 起")


class Paging(Request):
    page: Page(MAX_PAGE_API) = 1
    per_page: Count(1, MAX_PER_PAGE, PAGE_RANGE, NOT_POSITIVE, "每页条数，默认 20") = (
        DEFAULT_PER_PAGE
    )


@cache
def paged_to(model: type[M], last: int) -> type[M]:
    """`model` with pages ending at `last` (the site's pages end before the API's)."""
    if last == MAX_PAGE_API:
        return model
    return create_model(model.__name__, __base__=model, page=(Page(last), 1))


class Search(Paging, Matched):
    """/search and /api/search (and what every export of a search takes)."""

    sort: OneOf(SORTS, "排序") = SORTS[0]
    per: SkipJsonSchema[OneOf(PER_CHOICES)] = ""  # the timeline's scale (a page's only)

    def search(self, paged: bool = True) -> SearchQuery:
        return self.query(
            q=self.q,
            sort=self.sort,
            mode=self.mode,
            page=self.page if paged else 1,
            per_page=self.per_page if paged else None,
        )


class Concordance(Search):
    """/concordance, /api/concordance (and, with the steering, /api/collocations)."""

    order: OneOf(kwic.ORDERS, "排序：原文顺序、左语境、右语境、年份、地区") = kwic.ORDERS[0]
    context: Count(0, kwic.MAX_CONTEXT, description="两侧语境字数") = kwic.DEFAULT_CONTEXT
    span: Count(1, colloc.MAX_SPAN, description="搭配词的窗口（字）") = colloc.DEFAULT_SPAN
    coll: SkipJsonSchema[str] = ""  # the page shows the collocations too (not "" nor "0")
    min_freq: Count(
        1, colloc.MAX_MIN_FREQ, description=f"最低邻近次数（f_AB），默认 {colloc.MIN_NEAR}"
    ) = colloc.MIN_NEAR
    stop: Values(description="停用词：不列的词，空格、逗号或顿号分隔，可重复") = ()
    stop_default: Flag("0：不用内置的虚词停用词表（默认 1）") = "1"
    pos: Values(
        Annotated[
            Literal[tuple(colloc.POS_TAGS)],  # type: ignore[valid-type]
            Field(),
        ],
        description="词性（jieba 标记，可重复）：只列这些词性的词；"
        "一个标记含以它开头的标记（n 含 nr、ns、nz）",
        choice="参数 pos 须为 jieba 词性标记之一（如 n、v、a），不是{value}",
    ) = ()

    def steering(self) -> colloc.Steering:
        stop = frozenset(fold(w) for v in self.stop for w in SEPARATORS.split(v) if w)
        return colloc.Steering(
            min_freq=self.min_freq,
            stop=stop,
            stop_default=self.stop_default != "0",
            pos=self.pos,
        )

    @property
    def collocations(self) -> bool:
        return self.coll not in ("", "0")


EACH = "参数 each 须为 province、city、district 之一（省、市、区县）"
SHOWS = {
    "occurrences": "出现次数",
    "paragraphs": "段落数",
    "reports": "报告数",
    "per10k": "每万字次数",
}


class Trends(Filters):
    """/trends, /api/trends and their files: several terms, or one term in several places."""

    q: Values(
        Text(ql.MAX_LENGTH, long=TOO_LONG),
        MAX_TERMS,
        f"检索式，可重复（最多 {MAX_TERMS} 个）",
        many=f"最多比较 {MAX_TERMS} 个检索词",
    ) = ()
    mode: MODE = MODES[0]
    show: OneOf(tuple(SHOWS), "图中显示的计数") = "occurrences"
    place: Values(
        max_items=MAX_PLACES,
        description="一个检索词在这些地区（各地自己的报告）逐年的情况，"
        f"可重复或以顿号分隔（最多 {MAX_PLACES} 个）",
        many=f"最多比较 {MAX_PLACES} 个地区",
    ) = ()
    each: OneOf(
        ("", *LEVELS), "一个检索词在这一级的每个地区逐年的情况（小多图；与 place 只取其一）", EACH
    ) = ""

    @property
    def places(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p for v in self.place for p in SEPARATORS.split(v) if p))

    @model_validator(mode="after")
    def _one_way(self) -> Trends:
        if len(self.places) > MAX_PLACES:
            raise ValueError(f"最多比较 {MAX_PLACES} 个地区")
        if self.places and self.each:
            raise ValueError("参数 place 与 each 只能给一个")
        if (self.places or self.each) and len(self.q) > 1:
            raise ValueError("按地区比较时只能有一个检索词")
        return self


class TrendsChart(Trends):
    chart: Count(
        0, 9999, "参数 chart 须为图的序号（从 0 起）", description="第几张图（从 0 起）"
    ) = 0


ADOPTION_LEVEL = "参数 level 须为 province、city、district 之一（省、市、区县）"


class Adoption(Filters):
    """/adoption, /api/adoption and its files: who first mentioned `q`, at one level."""

    q: QUERY = ""
    mode: MODE = MODES[0]
    level: (
        Label(
            BY_NAME["level"],
            LEVELS,
            "比较哪一级的地区：province 省、city 市、district 区县（只取一个）；"
            "不给则取已提及地区最多的一级",
            ADOPTION_LEVEL,
        )
        | None
    ) = None
    rollup: Flag("1：含下级地区的报告") = "0"


class Panel(Adoption):
    all: Flag("1：保留采纳后的年份（以 at_risk 区分）") = "0"


MIN_MIN, MAX_MIN = 6, 1000
MAX_PARAGRAPH = 1_000_000
PASSAGE_LENGTH = f"段落文字须为一段之内的 2 到 {PASSAGE_CHARS} 个字"


class Reuse(Request):
    min: Count(
        MIN_MIN, MAX_MIN, "参数 {name} 须为 {lo} 到 {hi} 之间的整数（字数）", description="最短字数"
    ) = MIN_CHARS
    p: (
        Count(
            1,
            MAX_PARAGRAPH,
            "参数 {name} 须为 {lo} 到 {hi} 之间的段落编号",
            "参数 {name} 须为段落编号（正整数）",
            "只看这一段",
        )
        | None
    ) = None


class Passage(Filters):
    """/passage and /api/passage: the reports holding `text` verbatim."""

    text: Annotated[
        str,
        Field(min_length=2, max_length=PASSAGE_CHARS, description="一段文字（不跨段落）"),
        Says(long=PASSAGE_LENGTH),
    ] = ""


VIEWS = ("keywords", "ngrams")
MAX_LIMIT = 1000
MAX_MIN_FREQ = 100_000


class Keywords(Request):
    """/keywords and its files: the target set is a `Matched`, the reference set the same
    parameters prefixed `ref_`."""

    n: Count(1, MAX_N, description="1：词；2–4：连续 n 个词的组合") | None = None
    min: Count(1, MAX_MIN_FREQ, description="目标集中的最低频次") = kw.DEFAULT_MIN_FREQ
    limit: Count(1, MAX_LIMIT, description="最多返回的行数，默认 100") = kw.TOP
    sort: OneOf(kw.SORTS, "排序依据，默认 ll") = kw.SORTS[0]
    view: OneOf(VIEWS, "keywords：关键词；ngrams：高频 n 元组") = VIEWS[0]


MAX_IDS = 1000
REPORT_ID = r"^[a-z0-9-]{1,200}$"


class Export(Search):
    """/export/*: the reports of a search, or those named by `id`."""

    id: Values(
        Annotated[str, Field(pattern=REPORT_ID)],
        MAX_IDS,
        "报告编号，可重复（最多 1000 个）；给出时不看筛选",
        many=f"参数 id 最多 {MAX_IDS} 个",
        choice="报告编号{value}不合格式",
    ) = ()
