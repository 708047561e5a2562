"""The query language: table of parses, limits, and properties (total, round-trips)."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from search.canonical import to_string
from search.errors import BadQuery
from search.query import (
    MAX_LENGTH,
    MAX_NEAR,
    And,
    Filter,
    MatchAll,
    Near,
    Node,
    Not,
    Or,
    Term,
    parse,
)

a, b, c = Term("a"), Term("b"), Term("c")


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("最多跑一次", Term("最多跑一次")),
        ("最多跑一次 放管服", And((Term("最多跑一次"), Term("放管服")))),
        ('"政府 工作报告"', Term("政府 工作报告", quoted=True)),
        ("“a OR b”", Term("a OR b", quoted=True)),
        ("「(a) -b」", Term("(a) -b", quoted=True)),
        ('" a b "', Term("a b", quoted=True)),
        ("a OR b", Or((a, b))),
        ("a|b", Or((a, b))),
        ("a b OR c", Or((And((a, b)), c))),
        ("a (b OR c)", And((a, Or((b, c))))),
        ("a -b", And((a, Not(b)))),
        ("a NOT b", And((a, Not(b)))),
        ("NOT a OR b", Or((Not(a), b))),
        ("-(a b)", Not(And((a, b)))),
        ("--a", a),
        ("a AND b", And((a, b))),
        ("a-b", Term("a-b")),
        ("or and not", And((Term("or"), Term("and"), Term("not")))),
        ("PM2.5 G20 5G", And((Term("PM2.5"), Term("G20"), Term("5G")))),
        ("http://example.com", Term("http://example.com")),
        ("district:上城区", Filter("district", "上城区")),
        ("year:2016-2018 a", And((Filter("year", "2016-2018"), a))),
        ('type:"政府 工作报告"', Filter("type", "政府 工作报告")),
        ("Level：区县", Filter("level", "区县")),
        ("-topic:环保", Not(Filter("topic", "环保"))),
        ("", MatchAll()),
        ("   ", MatchAll()),
        # forgiving rules
        ('"unclosed phrase', Term("unclosed phrase", quoted=True)),
        ("a) b", And((a, b))),
        ("(a b", And((a, b))),
        ("()", MatchAll()),
        ('""', MatchAll()),
        ("year:", MatchAll()),
        ("a”b」", Term("a”b」")),  # no space: searched as written
        ("推进“零碳园区”建设", Term("推进“零碳园区”建设")),
        ("“零碳园区”建设", And((Term("零碳园区", quoted=True), Term("建设")))),
        ('district:"拱墅区" a', And((Filter("district", "拱墅区"), a))),
        ("（a OR b）c", And((Or((a, b)), c))),
        ("a ｜ b", Or((a, b))),
        ("a －b", And((a, Not(b)))),
        ("＂a b＂", Term("a b", quoted=True)),
        ("OR", Term("OR", quoted=True)),
        ("NOT", Term("NOT", quoted=True)),
        ("-", MatchAll()),
        ("|", MatchAll()),
        ("a OR", a),
        ("OR a", a),
        ("a NOT", a),
        ("a - b", And((a, b))),
        ("a OR OR b", Or((a, b))),
        ("-a", Not(a)),
        ("a\x00b\ud800c\u200bd", And((a, b, Term("cd")))),
        ("a\nb\tc", And((a, b, c))),
    ],
)
def test_parse(query: str, tree: Node) -> None:
    assert parse(query) == tree
    assert parse(to_string(tree)) == tree


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("a" * (MAX_LENGTH + 1), "查询过长（最多 1000 个字符）"),
        ("x" * 10_000, "查询过长（最多 1000 个字符）"),
        (" ".join(f"t{i}" for i in range(33)), "检索词过多（最多 32 个）"),
        ("|".join(f"t{i}" for i in range(17)), "OR 分支过多（最多 16 个）"),
        ("(" * 9 + "a", "括号嵌套过深（最多 8 层）"),
        ("(((((((((a)))))))))", "括号嵌套过深（最多 8 层）"),
        ("改革 NEAR/101 开放", "NEAR 的距离最多 100 个字符"),
        (b"\xe6\x94\xb9", "查询必须是文本"),
    ],
    ids=[
        "too long",
        "10,000 chars",
        "33 terms",
        "17 OR branches",
        "depth 9",
        "depth 9 closed",
        "NEAR/101",
        "bytes",
    ],
)
def test_limits_raise_bad_query_with_a_chinese_line(query: str, message: str) -> None:
    """One line, in Chinese only (each had an English half: "… / too many terms")."""
    with pytest.raises(BadQuery) as err:
        parse(query)
    assert str(err.value) == message


@pytest.mark.parametrize(
    "query",
    [
        "a" * MAX_LENGTH,
        " ".join(f"t{i}" for i in range(32)),
        "|".join(f"t{i}" for i in range(16)),
        "(" * 8 + "a",
    ],
    ids=["1000 chars", "32 terms", "16 OR branches", "depth 8"],
)
def test_limits_are_inclusive(query: str) -> None:
    parse(query)


# Distances written with any number of digits: small and huge numbers, leading zeros, up to
# the 1000 characters a query may hold.
DISTANCES = st.one_of(
    st.integers(0, 2 * MAX_NEAR).map(str),
    st.integers(0, 10**60).map(str),
    st.text("0123456789", min_size=1, max_size=980),
    st.builds(lambda zeros, n: "0" * zeros + str(n), st.integers(1, 30), st.integers(0, 200)),
)


@settings(max_examples=300)
@given(DISTANCES)
@example("9999999999")  # ten digits: read as a literal word, 200 with no hits and no message
@example("0" * 20 + "101")
@example("0" * 20 + "100")
def test_a_near_distance_of_any_length_is_read_or_refused(digits: str) -> None:
    """`NEAR/n` is a NEAR up to MAX_NEAR and refused past it, however many digits `n` has."""
    query = f"改革 NEAR/{digits} 开放"
    if int(digits) > MAX_NEAR:
        with pytest.raises(BadQuery) as err:
            parse(query)
        assert str(err.value) == f"NEAR 的距离最多 {MAX_NEAR} 个字符"
    else:
        assert parse(query) == Near(Term("改革"), Term("开放"), int(digits))


ANY_CHAR = st.one_of(
    st.characters(),
    st.characters(categories=["Cs", "Cc", "Cf", "Zl", "Zp", "Zs"]),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4E20),
)
SYNTAX = st.sampled_from(
    ['"', "“", "”", "「", "」", "(", ")", "|", "-", " ", " OR ", " NOT ", " AND ", "OR", "NOT"]
    + ["district:", "year：", "TYPE:", "level:", "topic:", "http:", "a", "b", "最多", "跑一次"]
    + ["*", " NEAR/3 ", "NEAR/10", " NEAR/101 "]
)
QUERIES = st.one_of(
    st.text(ANY_CHAR, max_size=80),
    st.lists(SYNTAX | ANY_CHAR, max_size=40).map("".join),
)


def _parse_or_none(query: str) -> Node | None:
    try:
        return parse(query)
    except BadQuery as err:
        assert str(err) and "\n" not in str(err)
        return None


@settings(max_examples=400)
@given(QUERIES)
def test_parse_is_total_and_round_trips(query: str) -> None:
    tree = _parse_or_none(query)
    if tree is None:
        return
    canonical = to_string(tree)
    if len(canonical) <= MAX_LENGTH:  # closing an unclosed quote can add a character
        assert parse(canonical) == tree
        assert to_string(parse(canonical)) == canonical


@settings(max_examples=20)
@given(st.text(ANY_CHAR, min_size=900, max_size=10_000))
def test_long_arbitrary_text_gives_a_tree_or_bad_query(query: str) -> None:
    _parse_or_none(query)


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("(" * 5000, None),
        (")" * 999 + "a", a),
        ("-" * 999 + "a", Not(a)),
        ("NOT " * 249 + "a", Not(a)),
        ("(" * 8 + "a" + ")" * 500, a),
    ],
    ids=["5000 open", "999 close", "999 minus", "249 NOT", "depth 8 then strays"],
)
def test_pathological_inputs(query: str, tree: Node | None) -> None:
    assert _parse_or_none(query) == tree


# -- one parse per request ------------------------------------------------------------------


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The query strings the parser reads from now on, one entry per parse."""
    import search.query as ql

    seen: list[str] = []

    class Counted(ql._Parser):
        def __init__(self, toks) -> None:
            seen.append(" ".join(t.text for t in toks))
            super().__init__(toks)

    monkeypatch.setattr(ql, "_Parser", Counted)
    return seen


@pytest.mark.parametrize(
    "url",
    [
        "/search?q={q}",  # the engine, the reading of the query, its hints
        "/concordance?q={q}&coll=1",  # the concordance, then collocations' filters
        "/api/collocations?q={q}",
        "/trends?q={q}",
    ],
)
def test_a_request_parses_its_query_once(client, parses, url) -> None:
    q = f"(改革 OR 发展) 经济 -人民 {len(url)}{url[1:4]}"  # a query not parsed before
    response = client.get(url.format(q=q))
    assert response.status_code == 200
    assert len(parses) == 1, parses
    client.get(url.format(q=q))
    assert len(parses) == 1, parses  # nor on the next request for it
