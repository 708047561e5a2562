"""docs/CLUSTER.md stays true to the product: it is linked from the README, every `baogao`
command it shows is one the command line accepts, and its Kubernetes manifests parse, with
every Ray pod mounting the one shared volume at the same path (the shards must reach every
machine by the same path)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from baogao.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "CLUSTER.md").read_text(encoding="utf-8")


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", DOC, flags=re.S)


def test_the_readme_links_the_deployment_guide():
    assert "(docs/CLUSTER.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_the_guide_shows_is_accepted():
    parser = build_parser()
    commands = []
    for block in _blocks("sh"):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if " -- baogao " in line:
                line = line.split(" -- ", 1)[1]
            if line.startswith("baogao "):
                commands.append(shlex.split(line)[1:])
    assert len(commands) >= 7
    for argv in commands:
        parser.parse_args(argv)  # argparse exits on an unknown option


def test_the_kuberay_manifests_mount_one_shared_volume_everywhere():
    yaml = pytest.importorskip("yaml")
    docs = [d for block in _blocks("yaml") for d in yaml.safe_load_all(block)]
    kinds = {d["kind"]: d for d in docs}
    claim = kinds["PersistentVolumeClaim"]
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    spec = kinds["RayCluster"]["spec"]
    pods = [spec["headGroupSpec"]["template"]["spec"]]
    pods += [g["template"]["spec"] for g in spec["workerGroupSpecs"]]
    for pod in pods:
        volumes = {v["name"]: v for v in pod["volumes"]}
        for container in pod["containers"]:
            mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
            assert mounts == {"shards": "/data/baogao"}
            name = volumes["shards"]["persistentVolumeClaim"]["claimName"]
            assert name == claim["metadata"]["name"]
            env = {e["name"]: e for e in container["env"]}
            assert env["RAY_AUTH_MODE"]["value"] == "token" and "RAY_AUTH_TOKEN" in env
