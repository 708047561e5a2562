"""The packages' layering, as a user of each sees it: importing the engine or the ingestion
loads no web framework (import-linter checks the whole graph in `make lint`)."""

from __future__ import annotations

import subprocess
import sys

import pytest

WEB = ("flask", "werkzeug", "jinja2", "waitress", "nh3")


@pytest.mark.parametrize(
    "modules",
    [
        ("search", "search.engine", "search.query", "search.store"),
        ("indexer.ingest", "indexer.build", "indexer.metadata"),
    ],
)
def test_engine_and_ingestion_load_no_web_framework(modules) -> None:
    code = (
        f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {WEB!r}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_web_face_does_load_flask() -> None:
    """The check above can fail: the same probe sees Flask once the app is built."""
    code = (
        "import sys\nfrom search_app import create_app\ncreate_app({'INDEX_DIR': 'nowhere'})\n"
        "print('flask' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_indexer_imports_nothing_from_the_engine_or_the_face() -> None:
    code = (
        "import importlib, pkgutil, sys, indexer\n"
        "for m in pkgutil.iter_modules(indexer.__path__):\n"
        "    importlib.import_module('indexer.' + m.name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('search', 'search_app')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
