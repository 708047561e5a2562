"""baogao from Python, for notebooks and scripts: the JSON API's answers, without a server.

    import baogao
    idx = baogao.open("index")
    hits = idx.search("最多跑一次", district="拱墅区", year_from=2016)
    hits["total"], hits.to_pandas()

Each method takes its endpoint's query parameters as keyword arguments (a list or tuple for a
parameter given several times, such as `district=["拱墅区", "上城区"]`) and returns that
endpoint's JSON answer as a dict: the request goes through the very parsers, engine calls and
serialisers that answer over HTTP, in this process. A bad request raises the exception the HTTP
API reports as its error code (`search.errors.BadQuery` with the same Chinese message, …).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from indexer.place import PLACE_COLUMNS
from search.errors import BaogaoError

Value = str | int | float | bool | None


def _codes() -> dict[str, type[BaogaoError]]:
    """Every error class of the engine by its JSON code, subclasses included."""
    found, todo = {}, [BaogaoError]
    while todo:
        cls = todo.pop()
        found.setdefault(cls.code, cls)
        todo.extend(cls.__subclasses__())
    return found


class Answer(dict):
    """An endpoint's JSON answer, with `to_pandas()` for its table (`table` names it)."""

    def __init__(self, data: dict, table: str, rows: list[dict] | None = None) -> None:
        super().__init__(data)
        self.table = table
        self._rows = rows

    def rows(self, table: str | None = None) -> list[dict]:
        """The records of `table` (by default the answer's main table)."""
        if table is None and self._rows is not None:
            return self._rows
        return list(self[table or self.table])

    def to_pandas(self, table: str | None = None):
        """The records of `table` as a pandas DataFrame (pandas is optional: `pip install
        pandas`), a record's `place` as the columns every CSV export has (PLACE_COLUMNS:
        place, code, level, province, city)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_pandas() needs pandas: pip install pandas") from exc
        return pd.DataFrame.from_records([_flat(r) for r in self.rows(table)])


def _flat(record: dict) -> dict:
    """A record with its `place` object spread into PLACE_COLUMNS, where it stood."""
    place = record.get("place")
    if not isinstance(place, dict):
        return record
    out: dict = {}
    for key, value in record.items():
        if key == "place":
            out.update(zip(PLACE_COLUMNS, place.values(), strict=True))
        else:
            out[key] = value
    return out


class Index:
    """One baogao index, opened for reading. `base_url` is what the answers' `url` fields
    start with (the address the site is served at, for links that work in a paper)."""

    def __init__(self, path: str | Path, base_url: str = "http://127.0.0.1:5000") -> None:
        from search_app import create_app

        self.path = Path(path)
        self.base_url = base_url.rstrip("/")
        self._client = create_app({"INDEX_DIR": str(self.path)}).test_client()
        self._errors = _codes()

    def _get(self, path: str, params: dict[str, Any]) -> dict:
        pairs: list[tuple[str, str]] = []
        for name, value in params.items():
            values = value if isinstance(value, list | tuple) else [value]
            pairs.extend((name, _text(v)) for v in values if v is not None)
        response = self._client.get(path, query_string=pairs, base_url=self.base_url)
        body = response.get_json()
        if response.status_code != 200:
            error = (body or {}).get("error", {})
            cls = self._errors.get(error.get("code"), BaogaoError)
            raise cls(error.get("message") or f"HTTP {response.status_code}")
        return body

    def search(self, q: str = "", **params: Value | Iterable[Value]) -> Answer:
        """`/api/search`: totals, facets and a page of hits (`to_pandas()`: the hits)."""
        return Answer(self._get("/api/search", {"q": q, **params}), "hits")

    def reports(self, q: str = "", **params: Value | Iterable[Value]) -> Answer:
        """`/api/reports`: the reports (holding a paragraph that `q` and the filters match)."""
        return Answer(self._get("/api/reports", {"q": q, **params}), "reports")

    def report(self, report_id: str, **params: Value) -> Answer:
        """`/api/reports/<id>`: one report's record and a page of its paragraphs."""
        return Answer(self._get(f"/api/reports/{report_id}", params), "paragraphs")

    def concordance(self, q: str, **params: Value | Iterable[Value]) -> Answer:
        """`/api/concordance`: one row per occurrence (`order=`, `context=`, paging)."""
        return Answer(self._get("/api/concordance", {"q": q, **params}), "rows")

    def collocations(self, q: str, **params: Value | Iterable[Value]) -> Answer:
        """`/api/collocations`: the words near the matches, with logDice and LL."""
        return Answer(self._get("/api/collocations", {"q": q, **params}), "collocates")

    def trends(self, *terms: str, **params: Value | Iterable[Value]) -> Answer:
        """`/api/trends?q=…&q=…`: each term by year (`to_pandas()`: one row per term and
        year, with the characters of that year's reports in the filters)."""
        data = self._get("/api/trends", {"q": list(terms), **params})
        rows = [{"q": t["q"], **y} for t in data["terms"] for y in t["years"]]
        return Answer(data, "terms", rows)

    def adoption(self, q: str, **params: Value | Iterable[Value]) -> Answer:
        """`/api/adoption`: the first year each place's own reports mention `q`
        (`to_pandas()`: the places; `to_pandas("panel")`: the place-year panel)."""
        return Answer(self._get("/api/adoption", {"q": q, **params}), "places")

    def keywords(self, **params: Value | Iterable[Value]) -> Answer:
        """`/api/keywords`: the words (or `n=2…4` n-grams) the target set (the filters) uses
        more than the reference set (the same filters prefixed `ref_`), with LL, %DIFF and
        log ratio."""
        return Answer(self._get("/api/keywords", params), "rows")

    def ngrams(self, n: int = 2, **params: Value | Iterable[Value]) -> Answer:
        """`/api/ngrams`: the most frequent n-grams of the reports in the filters."""
        return Answer(self._get("/api/ngrams", {"n": n, **params}), "rows")

    def dispersion(self, q: str, **params: Value | Iterable[Value]) -> Answer:
        """`/api/dispersion`: where in each report `q` stands (`to_pandas()`: one row per
        occurrence, its position a fraction of the report)."""
        data = self._get("/api/dispersion", {"q": q, **params})
        rows = [
            {**{k: v for k, v in r.items() if k != "positions"}, "position": p}
            for r in data["reports"]
            for p in r["positions"]
        ]
        return Answer(data, "reports", rows)

    def reuse(self, report_id: str, **params: Value) -> Answer:
        """`/api/reports/<id>/reuse`: passages the report shares verbatim with others."""
        return Answer(self._get(f"/api/reports/{report_id}/reuse", params), "passages")


def _text(value: Value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def open(path: str | Path = "index", base_url: str = "http://127.0.0.1:5000") -> Index:
    """The index at `path` (what `baogao index … --index PATH` wrote)."""
    return Index(path, base_url)
