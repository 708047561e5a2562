"""Request parameters as typed fields of pydantic models: each field carries its limits (lengths,
ranges, choices), which validate the request and describe it in the OpenAPI document, and the
Chinese message a user reads when a value breaks them. `from_args` reads a query string (or
any mapping of names to values) into a model, once per request; a bad value raises `BadQuery`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Annotated, Any, Literal, TypeVar, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from search.errors import BadQuery, quoted
from search.facet_table import Facet
from search.filters import YEAR_MAX, YEAR_MIN, parse_year
from search.selection import YEAR_REFUSED

MAX_VALUES = 50  # values per repeatable parameter
MAX_VALUE_CHARS = 100
PLACEHOLDERS = re.compile(r"\{(name|value)\}")  # what a message's template may name


class Says:
    """The messages of one field, by what went wrong; `{name}` is the parameter's name."""

    def __init__(
        self, range: str = "", parse: str = "", long: str = "", many: str = "", choice: str = ""
    ):
        self.messages = {"range": range, "parse": parse or range, "long": long, "many": many}
        self.messages["choice"] = choice


DEFAULTS = {
    "range": "参数 {name} 须为 {lo} 到 {hi} 之间的整数",
    "long": "参数 {name} 的取值过长（最多 {max} 个字符）",
    "many": "参数 {name} 的取值过多（最多 {max} 个）",
    "choice": "参数 {name} 须为 {choices} 之一",
}
KINDS = {
    "string_too_long": "long",
    "string_too_short": "long",
    "too_long": "many",
    "greater_than_equal": "range",
    "less_than_equal": "range",
    "int_parsing": "parse",
    "int_type": "parse",
    "literal_error": "choice",
    "string_pattern_mismatch": "choice",
}


class Request(BaseModel):
    """A request's parameters: frozen, unknown names ignored (a page's other parameters)."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)


def _digits(raw: Any) -> Any:
    """An integer written in ASCII digits (a sign, spaces inside or `1e3` are refused); a
    number of more than nine digits stands for one past any limit."""
    if isinstance(raw, int):
        return raw
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit():
        raise PydanticCustomError("int_parsing", "not an integer in ASCII digits")
    digits = raw.lstrip("0")
    return int(digits or "0") if len(digits) <= 9 else 10**10


class BadValue(ValueError):
    """A value a validator refuses: its message's template (with `{name}` and `{value}`) and
    the value to name (one value of a repeated parameter)."""

    def __init__(self, template: str, value: Any) -> None:
        super().__init__(template)
        self.value = value


def _year(raw: Any) -> Any:
    if isinstance(raw, int):
        return raw
    try:
        return parse_year(str(raw))
    except BadQuery:
        raise BadValue(YEAR_REFUSED, raw) from None


def Count(lo: int, hi: int, range: str = "", parse: str = "", description: str = "") -> Any:  # noqa: N802
    """An integer from `lo` to `hi`."""
    return Annotated[
        int,
        Field(ge=lo, le=hi, description=description),
        BeforeValidator(_digits),
        Says(_fill(range or DEFAULTS["range"], lo, hi), _fill(parse, lo, hi)),
    ]


def _fill(template: str, lo: int, hi: int) -> str:
    return template.replace("{lo}", str(lo)).replace("{hi}", str(hi))


Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX), BeforeValidator(_year)]


def Text(max_chars: int, description: str = "", long: str = "") -> Any:  # noqa: N802
    return Annotated[
        str,
        Field(max_length=max_chars, description=description),
        Says(long=long or DEFAULTS["long"].replace("{max}", str(max_chars))),
    ]


def Values(
    item: Any = None,
    max_items: int = MAX_VALUES,
    description: str = "",
    many: str = "",
    choice: str = "",
) -> Any:
    """A repeatable parameter: its distinct non-empty values, in order."""
    item = item or Annotated[str, Field(max_length=MAX_VALUE_CHARS)]
    return Annotated[
        tuple[item, ...],
        Field(max_length=max_items, description=description),
        Says(
            long=DEFAULTS["long"].replace("{max}", str(MAX_VALUE_CHARS)),
            many=many or DEFAULTS["many"].replace("{max}", str(max_items)),
            choice=choice,
        ),
    ]


def Labelled(facet: Facet, max_items: int = MAX_VALUES) -> Any:  # noqa: N802
    """A facet of a fixed vocabulary, repeatable: values given as ids (any case), labels or
    aliases, as the facet resolves them."""

    def to_ids(values: Any) -> Any:
        out = []
        for v in values if isinstance(values, list | tuple) else [values]:
            key = facet.resolve(v) if isinstance(v, str) else None
            if key is None:
                choices = "、".join(facet.labels)
                raise BadValue(f"参数 {{name}} 的取值{{value}}未知，可选：{choices}", v)
            out.append(key)
        return tuple(dict.fromkeys(out))

    item = Literal[tuple(facet.labels)]  # type: ignore[valid-type]
    return Annotated[
        tuple[item, ...],
        Field(max_length=max_items, description=facet.help),
        BeforeValidator(to_ids),
        Says(many=DEFAULTS["many"].replace("{max}", str(max_items))),
    ]


def Label(facet: Facet, within: tuple[str, ...], description: str, unknown: str) -> Any:  # noqa: N802
    """One value of a facet's vocabulary, `within` those ids, given as the facet resolves it."""

    def to_id(value: Any) -> Any:
        key = facet.resolve(value) if isinstance(value, str) else None
        if key not in within:
            raise ValueError(unknown)
        return key

    item = Literal[within]  # type: ignore[valid-type]
    return Annotated[
        item, Field(description=description), BeforeValidator(to_id), Says(many=unknown)
    ]


def OneOf(choices: tuple[str, ...], description: str = "", choice: str = "") -> Any:  # noqa: N802
    """One value of `choices` (absent or empty: the first)."""
    listed = "、".join(c or "（空）" for c in choices)
    item = Literal[tuple(choices)]  # type: ignore[valid-type]
    choice = choice or DEFAULTS["choice"].replace("{choices}", listed)
    return Annotated[item, Field(description=description), Says(choice=choice)]


def Flag(description: str = "") -> Any:  # noqa: N802
    """0 or 1 (absent: 0)."""
    return OneOf(("0", "1"), description, "参数 {name} 须为 0 或 1")


M = TypeVar("M", bound=Request)


def _many(model: type[Request], name: str) -> bool:
    annotation = model.model_fields[name].annotation
    return getattr(annotation, "__origin__", None) is tuple


def from_args(model: type[M], args: Mapping, drop: tuple[str, ...] = (), prefix: str = "") -> M:
    """The model of a query string (werkzeug's MultiDict, or any mapping of names to a value
    or a list of values): values stripped, empty ones left out, repeated ones once. With a
    `prefix`, each parameter is read as `prefix` + its name (the reference set's `ref_year`)
    and a message names it so."""
    data: dict[str, Any] = {}
    for key, many, one_only in _plan(model):
        if key in drop or prefix + key not in args:
            continue
        values = [v.strip() if isinstance(v, str) else v for v in _getlist(args, prefix + key)]
        values = [v for v in values if v != ""]
        if many:
            if values:
                data[key] = list(dict.fromkeys(values))
        elif values:
            data[key] = values[0]
            if one_only and len(set(values)) > 1:  # a parameter that takes one value only
                raise BadQuery(one_only.replace("{name}", prefix + key))
    return validate(model, data, prefix)


@cache
def _plan(model: type[Request]) -> tuple[tuple[str, bool, str], ...]:
    """Each parameter of `model`: its name, whether it repeats, and (for one that takes a
    single value only) what several values are told."""
    return tuple(
        (
            field.alias or name,
            _many(model, name),
            _says(field.metadata, field.annotation).messages["many"],
        )
        for name, field in model.model_fields.items()
    )


def _getlist(args: Mapping, key: str) -> list:
    if hasattr(args, "getlist"):
        return args.getlist(key)
    value = args.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def validate(model: type[M], data: dict, prefix: str = "") -> M:
    """`model` of `data`, or `BadQuery` with the message of the first value that breaks its
    field's limits (naming the parameter with `prefix` before its name)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise BadQuery(message(model, exc.errors(include_url=False)[0], prefix)) from None


def message(model: type[Request], error: dict, prefix: str = "") -> str:
    name = str(error["loc"][0]) if error["loc"] else ""
    field = model.model_fields.get(name)
    if field is None:  # a model-wide rule (model_validator): its message is whole
        return str(error.get("ctx", {}).get("error", error["msg"]))
    key = prefix + (field.alias or name)
    kind = KINDS.get(error["type"], "value")
    # a value of a repeatable parameter (loc: name, index) is told by its item's own limits
    says = _says(field.metadata, field.annotation, item=len(error["loc"]) > 1)
    value = error.get("input")
    if kind == "value":
        cause = error.get("ctx", {}).get("error", error["msg"])
        text, value = str(cause), getattr(cause, "value", value)
    elif kind == "choice":
        text = says.messages["choice"] or DEFAULTS["choice"].replace("{choices}", _expected(error))
    else:
        text = says.messages.get(kind) or DEFAULTS.get(kind, "参数 {name} 有误")
        for bound in ("max_length", "ge", "le"):
            text = text.replace("{max}", str(error.get("ctx", {}).get(bound, "")))
    if prefix and "{name}" not in text:  # a message of its own (q's), named all the same
        text = "参数 {name}：" + text
    # one pass over the template: a value repeated in the message is never read as a template
    return PLACEHOLDERS.sub(lambda m: key if m[1] == "name" else quoted(value), text)


def _says(metadata: list, annotation: Any, item: bool = False) -> Says:
    """A field's messages: in its own metadata, or in that of the type it makes optional or
    repeats; for one value of a repeatable field (`item`), the item's own first. Each kind of
    message is the first one given."""
    own = [m for m in metadata if isinstance(m, Says)]
    inner = [
        m for arg in get_args(annotation) for m in getattr(arg, "__metadata__", ())
        if isinstance(m, Says)
    ]  # fmt: skip
    found = inner + own if item else own + inner
    says = Says()
    for kind in says.messages:
        says.messages[kind] = next((s.messages[kind] for s in found if s.messages[kind]), "")
    return says


def _expected(error: dict) -> str:
    return str(error.get("ctx", {}).get("expected", "")).replace("'", "").replace(" or ", "、")
