"""Excerpts and marks: escaped text and our own <mark>s, exactly as nh3 would pass them."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from search_app import highlight

ANY_CHAR = st.one_of(st.characters(), st.characters(categories=["Cc", "Cf", "Co", "Cn", "Zs"]))


def _spans(draw_text: str, cuts: list[int]) -> list[tuple[int, int]]:
    points = sorted(c % (len(draw_text) + 1) for c in cuts)
    return [(a, b) for a, b in zip(points[::2], points[1::2], strict=False) if a < b]


def test_every_character_is_marked_as_nh3_passes_it():
    """mark() skips nh3 for text free of the characters nh3 rewrites: every other character,
    escaped, between marks or not, comes out of nh3 unchanged."""
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    for i in range(0, len(chars), 997):
        text = "".join(chars[i : i + 997])
        for spans in ([], [(0, 3), (10, 11), (500, 900)], [(5, 6), (6, 7)]):
            got = highlight.mark(text, spans)
            assert highlight.clean(got) == got
    for c in chars:  # alone (first and last), marked or not
        for text, spans in ((c, []), (c, [(0, 1)])):
            got = highlight.mark(text, spans)
            assert highlight.clean(got) == got, hex(ord(c))
    for text in (
        "\ufeff\ufeff",
        "\0\ufeff",
        "\ufeff\0\ufeff前",
    ):  # nh3 drops one leading BOM a pass
        got = highlight.mark(text, [])
        assert highlight.clean(got) == got, repr(text)
    for c in "\0\r\"'\xa0\ufeff":
        text = f"{c}前{c}后"
        assert highlight.mark(text, [(1, 2)]) == highlight.clean(
            f"{html.escape(c)}<mark>前</mark>{html.escape(c + '后')}"
        )


@settings(max_examples=300)
@given(
    st.text(ANY_CHAR.filter(lambda c: not 0xD800 <= ord(c) < 0xE000)), st.lists(st.integers(0, 400))
)
def test_marks_and_excerpts_are_what_nh3_leaves(text, cuts):
    spans = _spans(text, cuts)
    got = highlight.mark(text, spans)
    assert highlight.clean(got) == got
    excerpt = highlight.snippet(text, spans)
    assert highlight.clean(excerpt.strip("…")) == excerpt.strip("…")
