"""Exports and answers that do not page ignore page and per_page, whatever their values: every
download (CSV, ZIP, BibTeX, RIS, text, JSON Lines, Atom, SVG, Markdown) gives what it gives
without them, and so does every API endpoint whose description lists no `page`. Over a real
index of the bundled corpus."""

from __future__ import annotations

import io
import json
import re
import zipfile

from search_app import openapi

# a download is a route whose path ends in a file's extension (/search.<fmt>: bib and ris)
DOWNLOAD = re.compile(r"\.(\w+|<fmt>)$")
FORMATS = {"<fmt>": ("bib", "ris")}
PAGING = ("page=0", "page=2", "page=-1", "page=abc", "per_page=5", "per_page=0", "per_page=100000")
QUERY = "q=改革"


def downloads(app) -> list[str]:
    """Every download route of the app's blueprints (the API's description is no download)."""
    out = []
    for rule in app.url_map.iter_rules():
        path = rule.rule
        if path.startswith(("/static", "/api/")) or not DOWNLOAD.search(path):
            continue
        fmt = DOWNLOAD.search(path).group(1)
        out += [path.replace("<fmt>", f) for f in FORMATS.get(fmt, (fmt,))]
    return sorted(out)


def test_the_downloads_are_found(app) -> None:
    found = set(downloads(app))
    described = {p.replace("{fmt}", f) for p, *_ in openapi.DOWNLOADS for f in ("bib", "ris")}
    assert found == described  # every download found, and each one described
    assert {"/concordance.csv", "/collocations.csv", "/search.csv", "/search.bib"} <= found


def body(response) -> object:
    """What a response says, up to what changes between two identical requests: a ZIP's
    members (not their times), JSON without its timing."""
    data = response.get_data()
    if response.mimetype == "application/zip":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return {name: z.read(name) for name in z.namelist()}
    if response.mimetype == "application/json":
        answer = json.loads(data)
        answer.pop("took_ms", None)
        return answer
    return data


def same_without_paging(client, url: str) -> None:
    """`url` answers 200, and the same with any paging parameter added."""
    plain = client.get(url)
    assert plain.status_code == 200, url
    for paging in PAGING:
        paged = client.get(f"{url}&{paging}")
        assert paged.status_code == 200, (url, paging, paged.get_data(as_text=True)[:200])
        assert body(paged) == body(plain), (url, paging)


def test_every_download_ignores_paging(client, app) -> None:
    """/concordance.csv gives every row with page=2 or per_page=5, and page=0 is no error."""
    for path in downloads(app):
        same_without_paging(client, f"{path}?{QUERY}")


def unpaged_api(report_id: str) -> list[str]:
    """Every API endpoint whose description lists no page parameter, with example values."""
    out = []
    for path, _, _, params, *_ in openapi.API:
        names = {p["name"] for p in params()}
        if "page" in names:
            continue
        query = "text=改革开放" if path == "/api/passage" else QUERY
        out.append(path.replace("{report_id}", report_id) + "?" + query)
    return out


def test_the_unpaged_api_is_found() -> None:
    found = unpaged_api("r")
    assert "/api/collocations?q=改革" in found and "/api/trends?q=改革" in found
    assert not any(u.startswith(("/api/search?", "/api/concordance?")) for u in found)


def test_an_answer_that_does_not_page_ignores_paging(client, engine) -> None:
    """/api/collocations gives its 50 collocates with per_page=10, and page=0 is no error."""
    for url in unpaged_api(engine.report_meta[0]["id"]):
        same_without_paging(client, url)


def test_collocations_give_every_collocate_whatever_per_page(client) -> None:
    full = client.get(f"/api/collocations?{QUERY}").get_json()["collocates"]
    assert len(full) > 10
    assert client.get(f"/api/collocations?{QUERY}&per_page=10").get_json()["collocates"] == full
    csv_lines = client.get(f"/collocations.csv?{QUERY}&per_page=10").get_data(as_text=True)
    assert len(csv_lines.strip().splitlines()) == len(full) + 1
