"""Word 97 files: antiword first, catdoc for those antiword rejects (as it does many saved by
WPS Office); the ingest summary says which read each .doc."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.formats import doc
from indexer.read import ReadError

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PROSE = "各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。" + (
    "一年来，全市上下坚持稳中求进工作总基调，经济运行稳中有进，民生保障扎实有力。" * 3
)


def _converter(folder: Path, name: str, script: str) -> None:
    """A stand-in converter on the PATH doc.py searches: a shell script."""
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    path.chmod(0o755)


@pytest.fixture
def wps_converters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """antiword rejecting the file as it rejects a WPS file; catdoc printing its text."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _converter(bin_dir, "antiword", 'echo "$5 is not a Word Document." >&2; exit 1')
    _converter(bin_dir, "catdoc", f"printf '%s' '{PROSE}'")
    monkeypatch.setattr(doc.shutil, "which", lambda name: str(bin_dir / name))
    return tmp_path


def test_a_doc_antiword_rejects_is_read_by_catdoc(wps_converters: Path) -> None:
    extracted = doc.read(OLE + bytes(504))
    assert (extracted.reader, extracted.text) == ("catdoc", PROSE)


def test_the_ingest_summary_says_which_reader_read_each_doc(wps_converters: Path, runner) -> None:
    corpus = wps_converters / "corpus"
    corpus.mkdir()
    (corpus / "wps.doc").write_bytes(OLE + bytes(504))
    result = runner("ingest", corpus)
    assert result.exit_code == 0
    assert "read wps.doc with catdoc" in result.stdout


def test_catdoc_text_counts_only_for_a_word_file_holding_prose(wps_converters: Path) -> None:
    _converter(wps_converters / "bin", "catdoc", "printf 'ÐÏà'")  # what it prints for junk
    with pytest.raises(ReadError) as caught:
        doc.read(OLE + bytes(504))
    assert (
        str(caught.value)
        == "unreadable .doc: the file is not a Word Document.; catdoc found no text"
    )


@pytest.mark.skipif(
    not (shutil.which("antiword") and shutil.which("catdoc")), reason="antiword and catdoc"
)
def test_a_broken_word_file_is_refused_by_both_without_a_temporary_path() -> None:
    with pytest.raises(ReadError) as caught:
        doc.read(OLE + bytes(64))
    message = str(caught.value)
    assert message.startswith("unreadable .doc:") and "catdoc found no text" in message
    assert "/tmp" not in message and ".doc is not" not in message
