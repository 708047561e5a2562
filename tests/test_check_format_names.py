"""`make lint`'s check that only the format package `indexer/format/` names an index file and
`indexer/whoosh_adapter.py` uses Whoosh's private API (`tools/check_format_names.py`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from check_format_names import exempt, findings, private_uses  # noqa: E402

NAMED = [
    ("a segment file", 'meta = json.loads((seg / "meta.json").read_text())'),
    ("a file name in a message", 'raise ValueError(f"{n} rows do not cover folded.bin")'),
    ("the columns", 'np.load(path / "columns.npz")'),
    ("the suffix array", 'np.load(path / "sa.npy", mmap_mode="r")'),
    ("the cluster commit", 'CLUSTER = "cluster.json"'),
    ("the lock", 'open(root / ".lock", "a")'),
    ("a build folder's prefix", 'root.glob(".tmp-*")'),
    ("a segment's prefix", 'name = f"seg-{stamp}"'),
    ("a commit's prefix", 'name = f"commit-{n:06d}.json"'),
    ("a shard's prefix", 'return f"shard-{k:03d}"'),
    ("the link being swapped in", 'p.name.startswith(".current-")'),
    ("current as a path", 'exists = (index / "current").exists()'),
    ("whoosh as a path", 'open_dir(os.path.join(seg, "whoosh"))'),
]
NOT_NAMED = [
    ("a docstring may say what a file is", 'def f():\n    """Reads meta.json."""'),
    ("a comment may too", "x = 1  # the seg-* folders"),
    ("through the module", "meta = fmt.read_meta(seg)\nroot / fmt.CURRENT"),
    ("current as a word, not a path", 'links.append({"current": n == page})'),
    ("whoosh in a label", 'stage("whoosh: stored fields", stored)'),
]


@pytest.mark.parametrize(("case", "source"), NAMED, ids=[c for c, _ in NAMED])
def test_a_literal_naming_an_index_file_is_found(case, source) -> None:
    assert list(findings(source)), case


@pytest.mark.parametrize(("case", "source"), NOT_NAMED, ids=[c for c, _ in NOT_NAMED])
def test_what_does_not_name_an_index_file_passes(case, source) -> None:
    assert not list(findings(source)), case


@pytest.mark.parametrize(
    "source",
    [
        "segment = writer._finalize_segment()",
        "writer._commit_toc(segments)",
        "SegmentWriter(ix, _lk=False, compound=False)",
        "old = fieldwriter._postwriter",
    ],
)
def test_a_private_whoosh_name_is_found(source) -> None:
    assert list(private_uses(source))


@pytest.mark.parametrize(
    ("rel", "allowed"),
    [
        ("indexer/format/__init__.py", True),
        ("indexer/format/names.py", True),
        ("indexer/format/commits.py", True),
        ("tests/test_format_doc.py", True),
        ("indexer/formats/pdf.py", False),  # the readers of file formats are not the owner
        ("indexer/build.py", False),
        ("tests/test_build.py", False),
    ],
)
def test_only_the_format_package_and_the_listed_files_are_exempt(rel, allowed) -> None:
    assert exempt(rel) is allowed


def test_the_format_package_is_where_the_names_are() -> None:
    names = (ROOT / "indexer" / "format" / "names.py").read_text(encoding="utf-8")
    assert len(list(findings(names))) >= 10


def test_the_repository_passes() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "check_format_names.py")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout
