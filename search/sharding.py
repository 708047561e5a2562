"""Whether an engine is a sharded index's (`search.cluster.ClusterEngine`): the research views
ask it first and, when it is, take the answer merged from the shards' parts
(`engine.merged(view, …)`) instead of reading columns that a sharded front does not hold."""

from __future__ import annotations


def sharded(engine) -> bool:
    """True for a sharded index's engine (the class says so; a single `Engine` does not)."""
    return bool(getattr(type(engine), "sharded", False))
