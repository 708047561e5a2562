"""Raw UTF-8 request URIs for waitress.

Why a patch: curl and scripts send `GET /api/search?q=最多跑一次` with the query as raw UTF-8
bytes, where browsers percent-encode it. waitress answers such a request "400 Bad URI", and its
parser offers no hook or setting to accept it, so `baogao serve` wraps `waitress.parser.split_uri`
to percent-encode every byte above 0x7F before waitress splits the URI. The application then sees
exactly what a browser would have sent. Applied once, by `baogao serve`, never at import.
"""

from __future__ import annotations

import re


def accept_raw_utf8_uris() -> None:
    """Percent-encode the non-ASCII bytes of a request URI before waitress splits it
    (idempotent: a second call leaves the first wrapper in place)."""
    from waitress import parser

    if getattr(parser.split_uri, "accepts_raw_utf8", False):
        return
    split_uri = parser.split_uri

    def split_quoted(uri: bytes):
        return split_uri(re.sub(rb"[\x80-\xff]", lambda m: b"%%%02X" % m[0][0], uri))

    split_quoted.accepts_raw_utf8 = True
    parser.split_uri = split_quoted
