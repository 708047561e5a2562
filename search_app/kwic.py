"""The concordance (keyword in context) and collocations: the page `/concordance`, its CSV
`/concordance.csv` and the JSON of `/api/concordance` and `/api/collocations`. They take the
search's parameters (same filters, facets and paging; the CSV and the collocations, which do
not page, ignore page and per_page) plus `order`, `context`, `span`, `coll`."""

from __future__ import annotations

import time
from dataclasses import replace

from flask import (
    Blueprint,
    Response,
    render_template,
    request,
    stream_with_context,
)

from search import collocations as coll
from search import concordance as kwic
from search import evaluations
from search import query as ql
from search.canonical import to_string
from search.concordance import Row
from search.matching import has_marks
from search.results import SearchQuery
from search_app import answers, csvexport, facets, get_worker, pages, params
from search_app import get_engine as engine
from search_app.answering import paging
from search_app.params import ORDER_LABELS, ConcordanceState
from search_app.serialize import Table, respond
from search_app.urls import (
    Target,
    concordance_url,
    query_args,
    report_url,
    results_url,
    url,
)

bp = Blueprint("concordance", __name__)

ROWS = Table(answers.ConcordanceRow, rename={"url": "permalink"})
COLLOCATES = Table(answers.Collocate)
CONTEXT_CHOICES = (10, 20, 40, 100)
NEGATIONS_ONLY = (
    "只有排除条件的检索式（如 -改革）找的是不含这些词的段落：匹配 {paragraphs:,} 段、"
    "{reports:,} 份报告，但其中没有可标出的出现位置，语境（KWIC）因此没有可显示的行；"
    "这些段落请在段落结果中查看。"
)


def _state(max_page: int = params.MAX_PAGE_HTML, paged: bool = True) -> ConcordanceState:
    """The request's state; what does not page (`paged=False`: the CSV, the collocations)
    ignores page and per_page, as /search.csv does."""
    return params.parse_concordance(request.args, max_page, paged)


def sidebar_target(state: ConcordanceState) -> Target:
    """The concordance's sidebar, paging and forms lead back to it, its own parameters kept."""
    return Target("concordance.page", tuple(state.own_args()))


def row_url(row: Row, query: SearchQuery, external: bool = False) -> str:
    return report_url(row.report_id, query.q, row.paragraph, query.mode, external=external)


def negations_note(q: str, con: kwic.Concordance) -> str | None:
    """What a query of only negations (``-改革``, ``NOT 改革 -开放``) is told: it matches the
    search's paragraphs, but nothing in them is an occurrence to show in context."""
    if has_marks(q) or not any(isinstance(n, ql.Not) for n in ql.walk(ql.parse(q))):
        return None
    return NEGATIONS_ONLY.format(paragraphs=con.paragraphs, reports=con.reports)


def with_word(q: str, word: str) -> str:
    """The query AND one more word: the search for a phrase and its collocate."""
    tree = ql.parse(q)
    if isinstance(tree, ql.MatchAll):
        children: tuple = ()
    else:  # an OR (or any other node) stays one clause: (a OR b) word, not a b word
        children = tree.children if isinstance(tree, ql.And) else (tree,)
    return to_string(ql.And((*children, ql.Term(word))))


@bp.get("/concordance")
def page():
    state = _state()
    query = state.query
    started = time.perf_counter()
    eng = engine()
    with evaluations.once():  # rows, facets and collocations from one evaluation
        con = kwic.concordance(eng, query, state.order, state.context, get_worker())
        results = eng.search(replace(query, page=1, per_page=1))  # facets and totals
        colls = _collocations(eng, state) if state.collocations else None
    results = replace(results, query=query)
    took_ms = (time.perf_counter() - started) * 1000
    target = sidebar_target(state)
    context = pages.search_context(eng, results, state.per, took_ms, target)
    own = state.own_args()
    paged = replace(results, total=con.occurrences)
    context.update(
        con=con,
        note=negations_note(query.q, con),
        state=state,
        rows=[{"row": r, "url": row_url(r, query)} for r in con.rows],
        pages=pages.pagination(query, paged.total, state.per, target),
        orders=[
            {
                "label": label,
                "url": concordance_url(query, state.per, state.own_args(order=o)),
                "selected": state.order == o,
            }
            for o, label in ORDER_LABELS.items()
        ],
        contexts=[
            {
                "label": str(c),
                "url": concordance_url(query, state.per, state.own_args(context=c)),
                "selected": state.context == c,
            }
            for c in CONTEXT_CHOICES
        ],
        results_url=results_url(query, state.per),
        csv_url=_export("concordance.csv_export", query, own, paged=False),
        json_url=_export("concordance.api_concordance", query, own),
        colls=colls,
        coll_rows=_collocate_rows(colls, query) if colls else [],
        coll_url=concordance_url(
            query, state.per, state.own_args(coll=not state.collocations), page=query.page
        ),
        coll_json_url=_export("concordance.api_collocations", query, own, paged=False),
        coll_csv_url=_export("concordance.collocations_csv", query, own, paged=False),
        coll_hidden=[*query_args(query, paged=False), *_form_free(own)],
        pos_choices=POS_CHOICES,
        stop_words=" ".join(sorted(coll.STOP_WORDS)),
        facets=facets.sidebar(results, state.per, target),
    )
    return render_template("concordance.html", **context)


def _collocations(eng, state: ConcordanceState) -> coll.Collocations:
    return coll.collocations(
        eng, state.query, state.span, steering=state.steering, worker=get_worker()
    )


POS_CHOICES = (
    ("n", "名词"),
    ("v", "动词"),
    ("vn", "名动词"),
    ("a", "形容词"),
    ("d", "副词"),
    ("ns", "地名"),
    ("nz", "专名（含政策术语）"),
    ("m", "数词"),
    ("i", "成语"),
    ("l", "习用语"),
)
STEERING_FIELDS = ("span", "min_freq", "stop", "stop_default", "pos")


def _form_free(own: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The concordance's own parameters the collocations form has no field for."""
    return [(k, v) for k, v in own if k not in STEERING_FIELDS]


def _export(endpoint: str, query: SearchQuery, own, paged: bool = True, external=False) -> str:
    """The CSV or JSON of the same concordance (or, with no `own`, a search), by endpoint."""
    args = query_args(query, paged=paged) + [a for a in own if a[0] != "coll"]
    return url(endpoint, args, _external=external)


def _collocate_rows(colls: coll.Collocations, query: SearchQuery, external: bool = False):
    """Each collocate with the search for the query and the word together."""
    out = []
    for c in colls.items:
        both = replace(query, q=with_word(query.q, c.word), page=1)
        url = _export("views.search", both, (), external=True) if external else None
        out.append({"item": c, "url": url or results_url(both)})
    return out


@bp.get("/concordance.csv")
def csv_export():
    state = _state(paged=False)
    query = state.query
    rows = kwic.iter_rows(engine(), query, state.order, state.context, get_worker())

    def cells(row: Row) -> list:
        return ROWS.cells(row_answer(row, state.query))

    chunks = csvexport.stream(ROWS.columns, rows, cells)  # evaluated now: errors before the 200
    disposition = csvexport.disposition(state.query.q).replace("baogao", "baogao-kwic")
    return Response(
        stream_with_context(chunks),
        mimetype="text/csv",
        headers={"Content-Disposition": disposition},
    )


@bp.get("/api/concordance")
def api_concordance():
    state = _state(params.MAX_PAGE_API)
    query = state.query
    started = time.perf_counter()
    con = kwic.concordance(engine(), query, state.order, state.context, get_worker())
    took_ms = (time.perf_counter() - started) * 1000
    note = negations_note(query.q, con)
    return respond(
        answers.Concordance(
            query=query.q,
            order=state.order,
            context=state.context,
            occurrences=con.occurrences,
            paragraphs=con.paragraphs,
            reports=con.reports,
            **({"note": note} if note else {}),
            took_ms=took_ms,
            rows=[row_answer(r, query) for r in con.rows],
            total=con.occurrences,
            **paging(con.occurrences, query.page, query.per_page),
        )
    )


def row_answer(row: Row, query: SearchQuery) -> answers.ConcordanceRow:
    return answers.ConcordanceRow(
        **answers.fields_of(row, answers.ConcordanceRow), url=row_url(row, query, external=True)
    )


def _collocates(colls: coll.Collocations, query: SearchQuery) -> list[answers.Collocate]:
    return [
        answers.Collocate(
            word=r["item"].word,
            pos=coll.tag_of(r["item"].word),
            near=r["item"].near,
            total=r["item"].total,
            log_dice=r["item"].log_dice,
            log_likelihood=r["item"].log_likelihood,
            url=r["url"],
        )
        for r in _collocate_rows(colls, query, external=True)
    ]


@bp.get("/collocations.csv")
def collocations_csv():
    """Every collocate of the list, as /api/collocations gives it, with its tag."""
    state = _state(paged=False)
    rows = _collocates(_collocations(engine(), state), state.query)
    chunks = csvexport.stream(COLLOCATES.columns, iter(rows), COLLOCATES.cells)
    disposition = csvexport.disposition(state.query.q).replace("baogao", "baogao-collocations")
    return Response(chunks, mimetype="text/csv", headers={"Content-Disposition": disposition})


@bp.get("/api/collocations")
def api_collocations():
    state = _state(paged=False)
    started = time.perf_counter()
    colls = _collocations(engine(), state)
    took_ms = (time.perf_counter() - started) * 1000
    steering = state.steering
    return respond(
        answers.Collocations(
            query=state.query.q,
            span=colls.span,
            min_freq=steering.min_freq,
            stop=sorted(steering.stop),
            stop_default=steering.stop_default,
            pos=steering.pos,
            occurrences=colls.occurrences,
            corpus_chars=colls.corpus_chars,
            took_ms=took_ms,
            collocates=_collocates(colls, state.query),
        )
    )
