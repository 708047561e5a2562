"""Argument types of the command line, and the mark that keeps a query such as `-经济` from
being read as an option."""

from __future__ import annotations

import argparse

# A query such as -经济 (NOT 经济) reaches argparse behind this mark, so it is not an option.
LITERAL = "\x00"


def protect_queries(argv: list[str]) -> list[str]:
    """Mark arguments like `-经济` (a dash and a non-ASCII character) as literal text."""
    return [LITERAL + a if len(a) > 1 and a[0] == "-" and not a[1].isascii() else a for a in argv]


def undecodable(value: str) -> bool:
    """True when an argument held bytes that are not UTF-8: Python keeps each such byte as a
    lone surrogate (U+DC80–U+DCFF), which no search can match and no output can write."""
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def shown(value: str) -> str:
    """An argument as it can be printed: each byte that is not UTF-8 as U+FFFD."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def count(value: str) -> int:
    """A number of hits, 0 or more."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {n}")
    return n


def seconds(value: str) -> float:
    """A time limit in seconds, 0 or more (0: none)."""
    try:
        limit = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not limit >= 0 or limit == float("inf"):
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds, not {value}")
    return limit


def shards(value: str) -> int:
    """A number of shards, 1 to the cluster's maximum."""
    from indexer.cluster import MAX_SHARDS

    try:
        n = int(value)
    except ValueError:
        n = 0
    if not 1 <= n <= MAX_SHARDS:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_SHARDS}")
    return n


def port(value: str) -> int:
    """A TCP port number, 1–65535."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"port must be between 1 and 65535, not {number}")
    return number
