"""Where a sharded index's shard actors live, and how long.

A front (`baogao serve`, a gunicorn or waitress worker: whatever holds an `EngineHolder`) asks
Ray for the actors of the cluster commit it opens by name: one detached actor per shard, named
after the shard, in a Ray namespace made of the index's resolved path and the cluster commit's
content (`namespace`). `get_if_exists` makes the first front create them and every other front
on the same Ray cluster join the same actors, so N fronts cost one set of shard actors, not N.

Lifetime. The actors are detached: an actor owned by one front would die with that front
(Ray fate-shares an actor with its creator) and take the other fronts' shards with it. So they
outlive every front, and are ended in two ways:

- a new cluster commit (after `--update` or `optimize`) has another namespace, so the first
  front that opens it creates new actors; opening retires the actors of the index's other
  commits after `DRAIN` seconds (BAOGAO_SHARD_DRAIN, 120 by default), time for the requests
  already running on them to end and for every front to notice the new commit;
- `baogao cluster stop --index IDX` ends them all (`stop`).

A one-shot command (`baogao search`) holds private actors that end with it (`shared=False`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from pathlib import Path

from search.cluster_layout import commit_digest
from search.cluster_shard import ShardServer

log = logging.getLogger(__name__)

DRAIN = float(os.environ.get("BAOGAO_SHARD_DRAIN", "120"))  # seconds an old commit's actors live on
PREFIX = "baogao-"
# restarted when their process dies, at the commit the cluster commit names; calls retried on
# the restarted actor; no CPU reserved (a request's cost is mostly memory reads)
OPTIONS = {"max_restarts": -1, "max_task_retries": -1, "max_concurrency": 8, "num_cpus": 0}


def index_key(root: str | Path) -> str:
    """The index's part of its actors' namespace: its resolved path, hashed."""
    path = str(Path(root).resolve()).encode("utf-8")
    return hashlib.blake2b(path, digest_size=8).hexdigest()


def namespace(root: str | Path, cluster: dict) -> str:
    """The Ray namespace of the shard actors of this cluster commit of this index."""
    return f"{PREFIX}{index_key(root)}-{commit_digest(cluster)}"


def start(ray, root: Path, cluster: dict, args: list[tuple], *, shared: bool) -> list:
    """One actor per shard of `cluster` (its constructor's `args`): shared ones, created by
    the first front and joined by the others, or private ones owned by this process."""
    actor = ray.remote(ShardServer)
    if not shared:
        return [actor.options(**OPTIONS).remote(*a) for a in args]
    space = namespace(root, cluster)
    shared_options = {**OPTIONS, "namespace": space, "lifetime": "detached", "get_if_exists": True}
    handles = [
        actor.options(**shared_options, name=s["name"]).remote(*a)
        for s, a in zip(cluster["shards"], args, strict=True)
    ]
    others = [entry for entry in listing(ray, root) if entry[0] != space]
    if others:
        timer = threading.Timer(DRAIN, retire, (ray, others))
        timer.daemon = True
        timer.start()
    return handles


def listing(ray, root: str | Path) -> list[tuple[str, str]]:
    """(namespace, shard name) of every shared actor of the index, of every cluster commit."""
    mine = f"{PREFIX}{index_key(root)}-"
    found = ray.util.list_named_actors(all_namespaces=True)
    return sorted((a["namespace"], a["name"]) for a in found if a["namespace"].startswith(mine))


def retire(ray, actors: list[tuple[str, str]]) -> int:
    """End the named actors (those already gone are skipped); how many were ended."""
    ended = 0
    for space, name in actors:
        try:
            ray.kill(ray.get_actor(name, namespace=space), no_restart=True)
            ended += 1
        except ValueError:  # gone already
            continue
        except Exception as exc:  # Ray shut down meanwhile: nothing left to end
            log.info("could not end shard actor %s/%s: %s", space, name, exc)
    return ended


def stop(ray, root: str | Path) -> int:
    """End every shared shard actor of the index, of every cluster commit."""
    return retire(ray, listing(ray, root))


def describe(ray, root: str | Path, timeout: float = 30.0) -> list[dict]:
    """Each shared actor of the index: its shard, namespace, whether it serves the current
    cluster commit, and (when it answers within `timeout`) its Ray actor id and process."""
    from indexer.format import read_cluster

    cluster = read_cluster(root)
    current = namespace(root, cluster) if cluster is not None else None
    out = []
    for space, name in listing(ray, root):
        row = {"shard": name, "namespace": space, "current": space == current}
        try:
            ident = ray.get(ray.get_actor(name, namespace=space).ident.remote(), timeout=timeout)
        except Exception:  # dead, restarting, gone meanwhile
            ident = {}
        row["actor"], row["pid"] = ident.get("actor"), ident.get("pid")
        out.append(row)
    return out
