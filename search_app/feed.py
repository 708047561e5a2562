"""The Atom feed of a search: `/search.atom?<the parameters of /search>` lists the newest
matching paragraphs by when they were added, so a feed reader shows new mentions of a watched
phrase after each `baogao index --update`. Written from a template (autoescaped XML)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from flask import Blueprint, Response, render_template, request

from search_app import get_engine, params
from search_app.highlight import snippet
from search_app.urls import export_url, report_url, search_url

bp = Blueprint("feed", __name__)
ENTRIES = 50


def atom_time(seconds: float) -> str:
    """RFC 3339 in UTC, to the second (the order of entries keeps the fraction)."""
    return datetime.fromtimestamp(int(seconds), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@bp.get("/search.atom")
def search_atom():
    state = params.parse_search(request.args, paged=False)
    query = state.query
    eng = get_engine()
    newest = eng.newest(query, ENTRIES)
    entries = [
        {
            "title": f"{hit.title or hit.report_id} · {hit.district or '地区不详'} · "
            f"{hit.year or '年份不详'} · 第{hit.paragraph}段",
            "id": report_url(hit.report_id, paragraph=hit.paragraph, external=True),
            "url": report_url(hit.report_id, query.q, hit.paragraph, query.mode, external=True),
            "updated": atom_time(added),
            "district": hit.district,
            "summary": summary(hit),
        }
        for hit, added in newest
    ]
    updated = max((added for _, added in newest), default=float(eng.added.max(initial=0)))
    host = request.host_url.rstrip("/")
    body = render_template(
        "feed.atom.xml",
        q=query.q,
        self_url=host + feed_url(query),  # the id: the search's own URL, percent-encoded
        page_url=host + search_url(query),
        updated=atom_time(updated),
        entries=entries,
    )
    return Response(_XML_FORBIDDEN.sub("", body), mimetype="application/atom+xml")


# Characters XML 1.0 does not allow, escaped or not (a form feed from a PDF's page break, a
# stray control character in a file or in the query): one would make the whole feed unreadable.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def summary(hit) -> str:
    """The entry's HTML: the report's line, then the marked excerpt (escaped in snippet)."""
    where = f"{hit.district or '地区不详'} · {hit.year or '年份不详'}"
    line = f"{hit.title} · {where} · 第{hit.paragraph}段"
    return f"<p>{html.escape(line)}</p><p>{snippet(hit.text, hit.matches)}</p>"


def feed_url(query) -> str:
    """The feed of the same search (the results page links it)."""
    return export_url(query, "feed.search_atom")
