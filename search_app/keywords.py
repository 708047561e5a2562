"""/keywords: the words and n-grams one set of reports uses more than another (or the frequent
n-grams of one set), as a page, CSV and JSON (/api/keywords, /api/ngrams).

The target set is given by the search's own parameters (`province=浙江省`, `year_from=`, `q`, …)
and parsed by the search's parsers; the reference set by the same parameters prefixed `ref_`
(`ref_province=河南省`), the whole index when no `ref_` parameter has a value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask import Blueprint, Response, render_template, request

from search import keywords as kw
from search.errors import BadQuery
from search.results import SearchQuery
from search_app import get_engine as engine
from search_app import models
from search_app import study_answers as answers
from search_app.csvexport import stream
from search_app.fields import from_args
from search_app.serialize import Table, respond
from search_app.urls import query_args, url

bp = Blueprint("keywords", __name__)
KEYWORD_ROWS = Table(answers.KeywordRow)
NGRAM_ROWS = Table(answers.NGramRow)

REF = "ref_"
# The filters the page's form edits, each as (parameter, label); others ride along hidden.
FORM_FIELDS = (
    ("q", "检索式"),
    ("province", "省"),
    ("city", "市"),
    ("district", "区县"),
    ("year_from", "起始年"),
    ("year_to", "截止年"),
    ("type", "报告类型"),
)
SORT_LABELS = {"ll": "对数似然 LL", "log_ratio": "对数比", "pdiff": "%DIFF", "target": "目标频次"}
N_LABELS = {1: "词", 2: "二元组", 3: "三元组", 4: "四元组"}


@dataclass(frozen=True)
class KeywordsState:
    target: SearchQuery
    reference: SearchQuery | None  # None: the whole index
    view: str = "keywords"
    n: int = 1
    min_freq: int = kw.DEFAULT_MIN_FREQ
    sort: str = "ll"
    limit: int = kw.TOP

    def args(self, **changes) -> list[tuple[str, str]]:
        """The URL parameters of this state after `changes` (defaults left out)."""
        s = replace(self, **changes)
        out = _set_args(s.target)
        if s.reference is not None:
            out += [(REF + k, v) for k, v in _set_args(s.reference)]
        defaults = KeywordsState(SearchQuery(), None)
        for name in ("view", "n", "min_freq", "sort", "limit"):
            if getattr(s, name) != getattr(defaults, name):
                out.append((_PARAM.get(name, name), str(getattr(s, name))))
        return out


_PARAM = {"min_freq": "min"}


def _set_args(query: SearchQuery) -> list[tuple[str, str]]:
    return query_args(replace(query, sort="relevance"), paged=False)


def _set(args, prefix: str = "") -> SearchQuery:
    """A set's parameters (the reference set's prefixed `ref_`, and named so when refused).
    A reference set's query string is refused as the target's is, whether or not the view
    counts that set (the n-grams count the target alone), its message naming `ref_q`."""
    request = from_args(models.Matched, args, prefix=prefix)
    if prefix:
        try:
            kw.check_query(request.q)
        except BadQuery as exc:
            raise BadQuery(f"参数 {prefix}q：{exc}") from None
    return request.query(q=request.q, mode=request.mode, per_page=None)


def has_reference(args) -> bool:
    """Whether a `ref_` parameter has a value (none: the whole index is the reference)."""
    return any(k.startswith(REF) and v.strip() for k, v in args.items(multi=True))


def parse_keywords(args, view: str = "") -> KeywordsState:
    """The two sets and the page's own parameters (`view` forced by the API's two paths, which
    still refuse a `view` that is none of the page's)."""
    own = from_args(models.Keywords, args)
    view = view or own.view
    return KeywordsState(
        target=_set(args),
        reference=_set(args, REF) if has_reference(args) else None,
        view=view,
        n=own.n or (1 if view == "keywords" else 2),
        min_freq=own.min,
        sort=own.sort,
        limit=own.limit,
    )


def _answer(state: KeywordsState, limit: int | None):
    if state.view == "ngrams":
        return kw.ngrams(engine(), state.target, state.n, state.min_freq, limit)
    return kw.keywords(
        engine(), state.target, state.reference, state.n, state.min_freq, state.sort, limit
    )


def keyword_answer(k: kw.Keyword) -> answers.Keyword:
    return answers.Keyword(
        word=k.word,
        target=k.target,
        reference=k.reference,
        ll=k.ll,
        pdiff=k.pdiff,
        log_ratio=k.log_ratio,
    )


def ngram_answer(g: kw.NGram) -> answers.NGram:
    return answers.NGram(word=g.word, freq=g.freq, per_million=g.per_million, reports=g.reports)


def _url(endpoint: str, state: KeywordsState, **changes) -> str:
    return url(endpoint, state.args(**changes))


@bp.get("/keywords", endpoint="page")
def page():
    state = parse_keywords(request.args)
    result = _answer(state, state.limit)
    return render_template(
        "keywords.html",
        state=state,
        result=result,
        fields=_form_fields(state),
        hidden=_hidden(state),
        ns=[(n, label, _url("keywords.page", state, n=n)) for n, label in N_LABELS.items()],
        views=[
            ("keywords", "关键词", _url("keywords.page", state, view="keywords", n=1)),
            ("ngrams", "高频 n 元组", _url("keywords.page", state, view="ngrams", n=2)),
        ],
        sorts=[
            (s, label, _url("keywords.page", state, sort=s)) for s, label in SORT_LABELS.items()
        ],
        csv_url=_url("keywords.csv", state),
        json_url=_url("keywords.api" if state.view == "keywords" else "keywords.api_ngrams", state),
    )


def _form_fields(state: KeywordsState) -> list[dict]:
    """The editable filters of both sets: name, label, and the values in force (one box each,
    at least one)."""
    out = []
    for prefix, query in (("", state.target), (REF, state.reference or SearchQuery())):
        args = _set_args(query)
        for name, label in FORM_FIELDS:
            values = [v for k, v in args if k == name] or [""]
            out.extend(
                {"set": prefix, "name": prefix + name, "label": label, "value": v} for v in values
            )
    return out


def _hidden(state: KeywordsState) -> list[tuple[str, str]]:
    """The parameters in force that the form has no box for."""
    boxed = {name for name, _ in FORM_FIELDS} | {REF + name for name, _ in FORM_FIELDS}
    return [(k, v) for k, v in state.args() if k not in boxed]


@bp.get("/keywords.csv", endpoint="csv")
def csv():
    state = parse_keywords(request.args)
    result = _answer(state, None)
    ngrams = state.view == "ngrams"
    table, model = (NGRAM_ROWS, ngram_answer) if ngrams else (KEYWORD_ROWS, keyword_answer)
    rows = (table.model(n=state.n, **model(item).model_dump()) for item in result.items)
    name = "baogao-ngrams.csv" if ngrams else "baogao-keywords.csv"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(stream(table.columns, rows, table.cells), mimetype="text/csv", headers=headers)


def _dict(args: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in args:
        out.setdefault(k, []).append(v)
    return out


@bp.get("/api/keywords", endpoint="api")
def api():
    state = parse_keywords(request.args, "keywords")
    result = kw.keywords(
        engine(), state.target, state.reference, state.n, state.min_freq, state.sort, state.limit
    )
    reference = None if state.reference is None else _dict(_set_args(state.reference))
    return respond(
        answers.Keywords(
            target=_dict(_set_args(state.target)),
            reference=reference,
            n=result.n,
            min=state.min_freq,
            sort=state.sort,
            target_size=result.target_size,
            reference_size=result.reference_size,
            target_paragraphs=result.target_paragraphs,
            reference_paragraphs=result.reference_paragraphs,
            candidates=result.candidates,
            rows=[keyword_answer(k) for k in result.items],
        )
    )


@bp.get("/api/ngrams", endpoint="api_ngrams")
def api_ngrams():
    state = parse_keywords(request.args, "ngrams")
    result = kw.ngrams(engine(), state.target, state.n, state.min_freq, state.limit)
    return respond(
        answers.NGrams(
            target=_dict(_set_args(state.target)),
            n=result.n,
            min=state.min_freq,
            size=result.size,
            paragraphs=result.paragraphs,
            rows=[ngram_answer(g) for g in result.items],
        )
    )
