"""Power-loss safety: a commit never names a file that is not on disk. The system calls of a
real `baogao index`, `baogao index --update` and `baogao optimize` are traced (strace -f -y)
and their order checked: every file and folder of each segment the new commit names is
fsynced, and the index folder holding the segment's name too, before the commit file is
created; the index folder is fsynced again after `current` is swapped."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from indexer.segments import read_current

ROOT = Path(__file__).resolve().parents[1]
STRACE = shutil.which("strace") or "/usr/bin/strace"
CALLS = "fsync,fdatasync,openat,rename,renameat,renameat2"
# `1234 fsync(5</idx/seg-…/sa.npy>) = 0`, `1234 openat(AT_FDCWD</x>, "/idx/.commit-…", …`
LINE = re.compile(
    r"^(?P<pid>\d+)\s+(?:<\.\.\. (?P<resumed>\w+) resumed>|(?P<call>\w+)\()(?P<rest>.*)$"
)
FD_PATH = re.compile(r"^\d+<(?P<path>[^>]*)>")
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


@pytest.fixture(scope="module")
def strace() -> str:
    if not Path(STRACE).exists():
        pytest.skip("strace is not installed (apt-get install strace)")
    probe = subprocess.run(
        [STRACE, "-f", "-e", "trace=fsync", "true"], capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        reason = probe.stderr.strip().splitlines()[-1:] or ["unknown error"]
        pytest.skip(f"strace cannot trace here (ptrace not allowed?): {reason[0]}")
    return STRACE


@dataclass(frozen=True)
class Event:
    call: str  # fsync, create (an openat with O_CREAT) or rename
    path: str  # the file or folder synced or created, or the rename's target
    source: str = ""  # a rename's source


def traced(strace: str, tmp_path: Path, *args: str) -> list[Event]:
    """Run `baogao ARGS` under strace; its fsyncs (at completion), creations and renames."""
    log = tmp_path / f"strace-{len(list(tmp_path.glob('strace-*')))}.log"
    done = subprocess.run(
        [strace, "-f", "-y", "-qq", "-o", str(log), "-e", f"trace={CALLS}"]
        + [sys.executable, "-m", "baogao", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    events, pending = [], {}
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        m = LINE.match(line)
        if not m:
            continue
        pid, rest = m["pid"], m["rest"]
        if m["call"]:
            call = m["call"]
            if "<unfinished ...>" in rest:  # a call another thread interrupted: seen at its end
                pending[pid] = (call, rest)
                continue
        else:
            call, head = pending.pop(pid, (m["resumed"], ""))
            rest = head.replace("<unfinished ...>", "") + rest
        if not re.search(r"\)\s+=\s+\d", rest):  # failed calls do nothing
            continue
        if call in ("fsync", "fdatasync"):
            fd = FD_PATH.match(rest)
            if fd:
                events.append(Event("fsync", fd["path"]))
        elif call == "openat" and "O_CREAT" in rest:
            names = QUOTED.findall(rest)
            if names:
                events.append(Event("create", os.path.basename(names[0])))
        elif call.startswith("rename"):
            names = QUOTED.findall(rest)
            if len(names) == 2:
                events.append(Event("rename", names[1], names[0]))
    return events


def check_order(events: list[Event], index: Path, before: set[str]) -> None:
    """The new commit's own segments, every file and folder in them, and the index folder
    were fsynced before the commit file was created; the folder again after the swap."""
    root = os.path.realpath(index)
    commit = read_current(index)
    created = [
        i for i, e in enumerate(events) if e.call == "create" and e.path == f".{commit['name']}.tmp"
    ]
    assert created, f"no creation of the commit file {commit['name']} was traced"
    cut = created[0]
    synced = {e.path for e in events[:cut] if e.call == "fsync"}
    new = [s["name"] for s in commit["segments"] if s["name"] not in before]
    assert new, "the command wrote no segment"
    for name in new:
        seg = Path(root) / name
        wanted = {str(seg)} | {str(p) for p in seg.rglob("*")}
        assert len(wanted) > 5
        missing = sorted(wanted - synced)
        assert not missing, f"not fsynced before {commit['name']} was written: {missing}"
        published = max(
            i
            for i, e in enumerate(events[:cut])
            if e.call == "rename" and os.path.basename(e.path) == name
        )
        assert any(e.call == "fsync" and e.path == root for e in events[published:cut]), (
            f"the index folder was not fsynced between publishing {name} and the commit"
        )
    swapped = [
        i for i, e in enumerate(events) if e.call == "rename" and e.path.endswith("/current")
    ]
    assert swapped and swapped[-1] > cut
    assert any(e.call == "fsync" and e.path == root for e in events[swapped[-1] :]), (
        "the index folder was not fsynced after `current` was swapped"
    )


@pytest.fixture
def corpus(bundled_corpus: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for f in sorted(bundled_corpus.rglob("*.txt"))[:3]:
        shutil.copy(f, folder / f.name)
    return folder


def segment_names(index: Path) -> set[str]:
    current = read_current(index)
    return {s["name"] for s in current["segments"]} if current else set()


def test_a_full_build_syncs_its_segment_before_committing(strace, corpus, tmp_path):
    index = tmp_path / "index"
    events = traced(strace, tmp_path, "index", str(corpus), "--index", str(index))
    check_order(events, index, set())


def test_an_update_syncs_its_segment_before_committing(strace, corpus, tmp_path, bundled_corpus):
    index = tmp_path / "index"
    build = [sys.executable, "-m", "baogao", "index", str(corpus), "--index", str(index)]
    subprocess.run(build, capture_output=True, check=True, cwd=ROOT)
    for f in sorted(bundled_corpus.rglob("*.txt"))[3:]:
        shutil.copy(f, corpus / f.name)
    before = segment_names(index)
    events = traced(strace, tmp_path, "index", str(corpus), "--index", str(index), "--update")
    check_order(events, index, before)
    assert len(read_current(index)["segments"]) == 2


def test_optimize_syncs_the_merged_segment_before_committing(
    strace, corpus, tmp_path, bundled_corpus
):
    index = tmp_path / "index"
    build = [sys.executable, "-m", "baogao", "index", str(corpus), "--index", str(index)]
    subprocess.run(build, capture_output=True, check=True, cwd=ROOT)
    for f in sorted(bundled_corpus.rglob("*.txt"))[3:]:
        shutil.copy(f, corpus / f.name)
    subprocess.run([*build, "--update"], capture_output=True, check=True, cwd=ROOT)
    before = segment_names(index)
    events = traced(strace, tmp_path, "optimize", "--index", str(index))
    check_order(events, index, before)
    assert len(read_current(index)["segments"]) == 1
