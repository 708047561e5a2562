"""The only place HTML is marked safe: excerpts and paragraphs built by `highlight`
(escaped text plus our own <mark>s, passed through nh3 allowing only `mark`)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from search_app import highlight


def excerpt(text: str, spans: Sequence[tuple[int, int]]) -> Markup:
    """A hit's excerpt: whole sentences around the matches, every match marked."""
    return Markup(highlight.snippet(text, spans))


def marked(text: str, spans: Sequence[tuple[int, int]]) -> Markup:
    """A whole paragraph with the spans marked."""
    return Markup(highlight.mark(text, spans))
