"""The one serialiser of the answer models (`search_app.answers`, `search_app.study_answers`):
JSON for the API (`respond`) and `baogao search --json` (`json_line`), the same bytes either
way, and CSV rows (`Table`) whose columns are the model's fields, its `place` spread to the
columns PLACE_COLUMNS as in every table, a rounded float with all its decimals, a null, list
or mapping as its `answers.Cell` says (the bulk exports and `baogao ingest --json` likewise,
from `search_app.export_answers`; the research views' CSVs from the row models of
`search_app.study_answers`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import orjson
from pydantic import BaseModel

from indexer.place import PLACE_COLUMNS
from search_app.answers import Cell, Decimals, Place


def to_json(answer: BaseModel, indent: bool = False) -> bytes:
    """The answer as compact UTF-8 JSON, keys in its model's order; an optional field left
    unset (the place fields of a trends answer without places) is not written. The bytes of
    pydantic's `model_dump_json(exclude_unset=True)` (tests/test_answers.py holds every
    answer to that), written by orjson from the validated instance: twice as fast on a page
    of hits, as the models have no serialiser, alias or computed field of their own."""
    return orjson.dumps(answer, default=_fields, option=orjson.OPT_INDENT_2 if indent else 0)


def _fields(model: BaseModel) -> dict:
    """A model's fields that were set, in its order, for orjson."""
    values = model.__dict__
    if len(model.model_fields_set) == len(values):
        return values
    return {k: v for k, v in values.items() if k in model.model_fields_set}


def respond(answer: BaseModel, status: int = 200):
    """The answer as the app's JSON response (pretty-printed in debug mode, as jsonify does)."""
    from flask import current_app

    body = to_json(answer, indent=current_app.debug) + b"\n"
    return current_app.response_class(body, status=status, mimetype=current_app.json.mimetype)


def json_line(answer: BaseModel) -> str:
    """The answer as one line of JSON Lines: the bytes the API would send."""
    return to_json(answer).decode()


@dataclass(frozen=True)
class Table:
    """The CSV of an answer model: a column per field in the model's order, but the fields
    `skip` (lists, the HTML excerpt); a `Place` field as the columns PLACE_COLUMNS; a field
    named otherwise in the CSV by `rename` (a hit's `url` is its `permalink`)."""

    model: type[BaseModel]
    skip: tuple[str, ...] = ()
    rename: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def fields(self) -> dict[str, bool]:
        return {name: True for name in self.model.model_fields if name not in self.skip}

    @cached_property
    def decimals(self) -> dict[str, int]:
        """The fields of a float kept to some decimals (`answers.rounded`), which a cell
        shows in full: 10.8000, not 10.8."""
        return self._marked(Decimals, "digits")

    @cached_property
    def formats(self) -> dict[str, Cell]:
        """The fields a cell writes otherwise than as they are (`answers.Cell`): a null,
        a list or a mapping."""
        return self._marked(Cell)

    def _marked(self, kind: type, attr: str = "") -> dict:
        return {
            name: getattr(meta, attr) if attr else meta
            for name, info in self.model.model_fields.items()
            for meta in info.metadata
            if isinstance(meta, kind)
        }

    @cached_property
    def places(self) -> frozenset[str]:
        """The fields that are a `Place`, spread to PLACE_COLUMNS (a field only named `place`,
        a text, stays one column)."""
        return frozenset(n for n, i in self.model.model_fields.items() if i.annotation is Place)

    @cached_property
    def columns(self) -> tuple[str, ...]:
        out: list[str] = []
        for name in self.fields:
            out.extend(PLACE_COLUMNS if name in self.places else (self.rename.get(name, name),))
        return tuple(out)

    def cells(self, answer: BaseModel) -> list:
        """The answer's values in the order of `columns`."""
        out: list = []
        for name, value in answer.model_dump(include=self.fields).items():
            cell = self.formats.get(name)
            if name in self.places:
                out.extend(value.values())
            elif value is None:
                out.append(cell.none if cell else None)
            elif name in self.decimals:
                out.append(f"{value:.{self.decimals[name]}f}")
            elif cell and isinstance(value, dict):
                out.append(cell.sep.join(f"{k}:{v}" for k, v in value.items()))
            elif cell and isinstance(value, list):
                out.append(cell.sep.join(map(str, value)))
            else:
                out.append(value)
        return out
