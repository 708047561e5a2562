"""Where a sharded index finds a research view's two halves: the shard-side part
`shard_<name>` that a shard's actor runs (`ShardServer.run`), and the merge the front runs
(`ClusterEngine.merged`), by name, in the modules that hold them. The view modules
(`search.adoption`, `search.keywords`, …) ask the engine for a merge by name, so they never
import these modules, and the imports run one way.
"""

from __future__ import annotations

from collections.abc import Callable

from search import cluster_collocations, cluster_keywords, cluster_passages, cluster_views

MODULES = (cluster_views, cluster_passages, cluster_collocations, cluster_keywords)


def _find(name: str) -> Callable:
    for module in MODULES:
        found = getattr(module, name, None)
        if callable(found):
            return found
    raise AttributeError(f"no sharded view part {name!r}")


def shard_part(name: str) -> Callable:
    """The shard-side part `shard_<name>(server, *args)`."""
    return _find(f"shard_{name}")


def merge(view: str) -> Callable:
    """The merge `view(engine, *args)` of a research view."""
    return _find(view)
