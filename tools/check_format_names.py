"""Nothing outside the format package `indexer/format/` names an index file, and nothing
outside `indexer/whoosh_adapter.py` uses Whoosh's private API: run by `make lint`.

Scans the string literals of every Python file of the packages, tools/, bench/ and tests/
(docstrings and comments aside: they may say what a file is) for the names the format package
lists: a file name anywhere in a string (`"meta.json"`), a prefix at its start (`f"seg-{…}"`),
a bare word used as a path (`root / "current"`, `os.path.join(root, "whoosh")`). Code names
them through the module instead (`fmt.meta_path(segment)`, `root / fmt.CURRENT`).

The private Whoosh names the adapter uses (`whoosh_adapter.PRIVATE_NAMES`: `._commit_toc`,
`_lk=False`, …) are looked for as attributes and keyword arguments everywhere but there.

Exempt, and why, in EXEMPT. Prints one line per finding; exit status 1 when there is any.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer import format as fmt  # noqa: E402
from indexer import whoosh_adapter  # noqa: E402

SCANNED = ("baogao", "search_app", "search", "indexer", "tools", "bench", "tests")
EXEMPT = {
    "indexer/format/": "the owner of the names (the folder: every file in it)",
    "tests/test_format_doc.py": "checks docs/FORMAT.md against the files on disk, by the names "
    "the document gives, independently of the module it would otherwise check against itself",
    "tests/test_check_format_names.py": "its cases are code that names index files",
}
ADAPTER = "indexer/whoosh_adapter.py"
PATH_CALLS = {"join", "joinpath", "Path", "PurePath", "readlink", "symlink_to", "glob", "open"}


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes of a module, its classes and functions."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def _path_operands(tree: ast.AST) -> set[int]:
    """The ids of the string constants used as a path: an operand of `/`, an argument of a
    path-building call."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            out.update(id(side) for side in (node.left, node.right))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in PATH_CALLS:
                out.update(id(arg) for arg in node.args)
    return out


def findings(source: str, filename: str = "<string>") -> Iterator[tuple[int, str]]:
    """(line, the string) of every literal in `source` that names an index file."""
    tree = ast.parse(source, filename)
    docs, paths = _docstrings(tree), _path_operands(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        if id(node) in docs:
            continue
        text = node.value
        if (
            any(name in text for name in fmt.FILE_NAMES)
            or text.startswith(fmt.PREFIXES)
            or (text in fmt.WORDS and id(node) in paths)
        ):
            yield node.lineno, text


def private_uses(source: str, filename: str = "<string>") -> Iterator[tuple[int, str]]:
    """(line, name) of every use of a private Whoosh name the adapter owns in `source`."""
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Attribute) and node.attr in whoosh_adapter.PRIVATE_NAMES:
            yield node.lineno, node.attr
        elif isinstance(node, ast.keyword) and node.arg in whoosh_adapter.PRIVATE_NAMES:
            yield node.lineno, node.arg


def exempt(rel: str) -> bool:
    """Whether the file at `rel` (from the project folder) may name index files: one of
    EXEMPT, or in a folder EXEMPT names (ending in "/")."""
    return rel in EXEMPT or any(k.endswith("/") and rel.startswith(k) for k in EXEMPT)


def main() -> int:
    found = 0
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if exempt(rel):
                continue
            source = path.read_text(encoding="utf-8")
            for line, text in findings(source, rel):
                print(f"{rel}:{line}: names an index file ({text!r}); use indexer/format/")
                found += 1
            if rel == ADAPTER:
                continue
            for line, name in private_uses(source, rel):
                print(f"{rel}:{line}: uses Whoosh's private {name}; use {ADAPTER}")
                found += 1
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
