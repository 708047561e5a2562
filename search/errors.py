"""The one small exception hierarchy shared by the engine, the CLI and the web app, and how
their messages repeat what a user typed (`quoted`)."""

import unicodedata


class BaogaoError(Exception):
    """Base class: its message is one line, fit to show a user."""

    code = "error"
    exit_code = 1
    http_status = 500


class BadQuery(BaogaoError):
    code = "bad_query"
    exit_code = 2
    http_status = 400


class IndexMissing(BaogaoError):
    code = "index_missing"
    exit_code = 3
    http_status = 503


class IndexCorrupt(BaogaoError):
    """The index exists but cannot be read: damaged files or a mismatch between them."""

    code = "index_corrupt"
    exit_code = 5
    http_status = 503


class ReportNotFound(BaogaoError):
    code = "not_found"
    exit_code = 4
    http_status = 404


class TimeBudgetExceeded(BaogaoError):
    """A request ran past its time budget (`search.budget`); the server is not at fault, and
    the same query with a narrower scope may answer."""

    code = "time_limit"
    exit_code = 6
    http_status = 503


class ShardUnavailable(BaogaoError):
    """A shard of a sharded index did not answer within the deadline (its actor died and is
    restarting, or its machine is gone): the whole answer is refused, never a partial one."""

    code = "shard_unavailable"
    exit_code = 8
    http_status = 503


class ShardedUnsupported(BaogaoError):
    """A view that is not shard-aware yet, asked of a sharded index: refused, not answered
    from part of the index."""

    code = "sharded_unsupported"
    exit_code = 7
    http_status = 503


class ServerBusy(BaogaoError):
    """A whole-corpus computation refused at once: the worker process that runs them
    (`search.worker`) already has as many waiting as it takes, or it died."""

    code = "busy"
    exit_code = 9
    http_status = 503


QUOTED_MAX = 40  # characters of a user's value that a message repeats


def quoted(value: object, limit: int = QUOTED_MAX) -> str:
    """A user's value as a message repeats it: in 「」, cut to `limit` characters (then …),
    each character that would not show (control and format characters, line breaks, lone
    surrogates, private or unassigned code points) written once as its escape: NUL is
    \\x00, a zero-width space \\u200b."""
    text = str(value)
    shown = "".join(_visible(c) for c in text[:limit])
    return f"「{shown}{'…' if len(text) > limit else ''}」"


_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def _visible(c: str) -> str:
    if unicodedata.category(c) not in _HIDDEN:
        return c
    code = ord(c)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def no_report(report_id: str) -> ReportNotFound:
    """The error of a report id the index does not hold (or that no report could have)."""
    return ReportNotFound(f"没有编号为{quoted(report_id)}的报告")
