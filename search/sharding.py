"""Whether an engine is a sharded index's (`search.cluster.ClusterEngine`): the research views
ask it first and, when it is, take the answer merged from the shards' parts
(`engine.merged(view, …)`) instead of reading columns that a sharded front does not hold; and
what a sharded index does in fewer round trips than one call per item (`get_reports`)."""

from __future__ import annotations


def sharded(engine) -> bool:
    """True for a sharded index's engine (the class says so; a single `Engine` does not)."""
    return bool(getattr(type(engine), "sharded", False))


def get_reports(engine, report_ids: list[str]) -> list:
    """The reports `report_ids`, in order: on a sharded index in one round trip to each shard
    holding one, on one index one by one (each is a few reads there)."""
    if sharded(engine):
        return engine.get_reports(list(report_ids))
    return [engine.get_report(r) for r in report_ids]
