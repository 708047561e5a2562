"""Every JSON answer is its answer model's serialisation: the body an endpoint sends, read by
the model /api/openapi.json names for it and written again (by the one serialiser, and by
pydantic's own), is the same bytes (keys, their order, every value and number format). A view
that wrote a dict of its own, an extra or missing key, a float unrounded or another JSON writer
would change them. The same holds for `baogao search --json`, whose lines are the API's bytes,
and for the CSV rows, whose columns are the model's fields."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest

from search_app import answers, openapi
from search_app.csvexport import HITS
from search_app.kwic import COLLOCATES, ROWS
from search_app.serialize import to_json

ROOT = Path(__file__).resolve().parent.parent
MODEL = {entry[0]: entry[4] for entry in openapi.API}  # path: its answer model

# Several requests per endpoint: pages, empty answers, optional fields set and unset.
REQUESTS = {
    "/api/search": ["q=改革", "q=改革&per_page=3&page=2", "q=", "q=经济 OR 发展&mode=words",
                    "q=不存在的词语", "q=改革&district=拱墅区&topic=reform"],
    "/api/reports": ["", "q=改革&per_page=2&page=2", "level=province"],
    "/api/reports/{report_id}": ["", "page=2&per_page=3"],
    "/api/concordance": ["q=改革", "q=改革&order=left&context=10&page=2", "q=不存在的词语"],
    "/api/collocations": ["q=改革", "q=改革&pos=n&min_freq=1"],
    "/api/trends": ["q=改革&q=创新", "q=改革&each=district", "q=改革&place=拱墅区"],
    "/api/adoption": ["q=改革", "q=数字经济&rollup=1"],
    "/api/reports/{report_id}/reuse": ["", "p=3&min=20"],
    "/api/keywords": ["", "district=拱墅区&ref_district=上城区&n=2"],
    "/api/ngrams": ["n=2"],
    "/api/passage": ["text=全面深化改革"],
    "/api/dispersion": ["q=改革"],
}  # fmt: skip


def _round_trip(model, body: bytes) -> bytes:
    """The body read by `model` and written again, by the app's serialiser and by pydantic's
    own, which must agree (the serialiser writes with orjson for speed)."""
    answer = model.model_validate_json(body)
    written = to_json(answer)
    assert written == answer.model_dump_json(exclude_unset=True).encode()
    return written + b"\n"


@pytest.fixture(scope="module")
def report_id(client) -> str:
    return client.get("/api/reports").get_json()["reports"][0]["id"]


def test_every_endpoint_is_asked(client) -> None:
    assert set(REQUESTS) == set(MODEL)


@pytest.mark.parametrize("path", sorted(REQUESTS))
def test_every_answer_is_its_models_serialisation(client, report_id, path: str) -> None:
    model = MODEL[path]
    for args in REQUESTS[path]:
        url = path.replace("{report_id}", report_id) + (f"?{args}" if args else "")
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data()
        assert body == _round_trip(model, body), url


@pytest.mark.parametrize(
    ("url", "status"),
    [("/api/search?q=改革&page=99999", 400), ("/api/reports/nope", 404), ("/api/nowhere", 404)],
)
def test_every_error_is_the_error_models_serialisation(client, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.get_data() == _round_trip(answers.Error, response.get_data())


def test_the_cli_writes_the_apis_bytes(runner, bundled_index) -> None:
    """`baogao search --json`: each line the serialisation of `Results` (or, for a refused
    query, of `Refused`), written as the API writes."""
    queries = bundled_index.parent / "answers-queries.txt"
    queries.write_text("改革\n最多跑一次\nyear:abc\n\n", encoding="utf-8")
    result = runner("search", "--queries", queries, "--index", bundled_index, "--json")
    lines = [line.encode() for line in result.stdout.splitlines()]
    assert len(lines) == 4
    for line in lines:
        model = answers.Refused if b'"error"' in line[:200] else answers.Results
        assert line + b"\n" == _round_trip(model, line)
    assert b'"hits":[{"report_id"' in lines[0]


@pytest.mark.parametrize(
    ("url", "table"),
    [("/search.csv?q=改革", HITS), ("/concordance.csv?q=改革", ROWS),
     ("/collocations.csv?q=改革", COLLOCATES)],
)  # fmt: skip
def test_a_csv_has_its_models_fields_as_columns(client, url: str, table) -> None:
    """The header is the model's fields (the place as place, code, level, province, city),
    and every row has a cell for each."""
    rows = list(csv.reader(io.StringIO(client.get(url).get_data(as_text=True).lstrip("\ufeff"))))
    want = []
    for f in table.model.model_fields:
        if f not in table.skip:
            place = ["place", "code", "level", "province", "city"]
            want.extend(place if f == "place" else [table.rename.get(f, f)])
    assert rows[0] == want
    assert len(rows) > 2 and {len(r) for r in rows} == {len(want)}


def test_no_view_writes_json_of_its_own() -> None:
    """Only the serialiser writes an answer: no module of the web face or the CLI calls
    `jsonify` or `json.dumps` but for the OpenAPI document itself."""
    allowed = {("search_app/api.py", "jsonify")}
    found = set()
    for folder in ("search_app", "baogao"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                called = node.func if isinstance(node, ast.Call) else None
                attr = getattr(called, "attr", None) or getattr(called, "id", None)
                if attr in ("jsonify", "dumps") and name != "search_app/serialize.py":
                    found.add((name, attr))
    assert found <= allowed, found - allowed
