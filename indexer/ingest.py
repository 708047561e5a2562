"""The ingestion pipeline: files and folders → reports (read, clean, split, paragraphs, meta)."""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from tqdm import tqdm

from indexer.clean import clean
from indexer.fold import simplify
from indexer.formats import FORMATS, extract, format_of
from indexer.metadata import Inferred, infer, read_manifest
from indexer.models import METADATA_FIELDS, IngestResult, Problem, Report
from indexer.paragraphs import parse_paragraphs
from indexer.read import ReadError
from indexer.split import RawReport, split_reports

__all__ = [
    "MANIFEST",
    "SUFFIXES",
    "SourceFile",
    "ingest",
    "ingest_bytes",
    "ingest_file",
    "report_id",
    "scan",
]

log = logging.getLogger(__name__)

MANIFEST = "MANIFEST.csv"
SUFFIXES = set(FORMATS)


@dataclass(frozen=True)
class _Entry:
    """One file found under a command-line path: where it is and what to call it."""

    path: Path
    source: str  # relative to the corpus root given on the command line


def report_id(source: str, ordinal: int) -> str:
    """A stable, URL-safe id from the file's source path and the report's place in the file."""
    digest = hashlib.sha1(f"{source}\x00{ordinal}".encode()).hexdigest()
    return f"r{digest[:15]}"


def _walk(root: Path, problems: list[Problem]) -> Iterator[_Entry]:
    """Files under root in sorted order; symlinked folders are followed once, loops reported."""
    if not root.is_dir():
        yield _Entry(root, root.name)
        return
    seen: set[str] = set()

    def visit(folder: Path, rel: str) -> Iterator[_Entry]:
        real = os.path.realpath(folder)
        if real in seen:
            problems.append(Problem(rel or folder.name, "symlink loop: folder already visited"))
            return
        seen.add(real)
        try:
            children = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.append(Problem(rel or folder.name, f"cannot list folder: {exc.strerror}"))
            return
        for child in children:
            if child.name.startswith("."):
                continue
            child_rel = f"{rel}/{child.name}" if rel else child.name
            try:
                is_dir = child.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False
            if is_dir:
                yield from visit(Path(child.path), child_rel)
            else:
                yield _Entry(Path(child.path), child_rel)

    yield from visit(root, "")


def _infer_simplified(raw: RawReport, body: str, header: dict, name: str, manifest) -> Inferred:
    """The metadata rules read the simplified form of the text (a traditional-script report
    names 江干區, the gazetteer 江干区); title and speaker are kept as the report writes them."""
    plain = replace(
        raw, **{f.name: simplify(getattr(raw, f.name)) for f in fields(raw) if f.type == "str"}
    )
    header = {simplify(k): simplify(v) for k, v in header.items()}
    meta = infer(plain, simplify(body), header, simplify(name), manifest)
    kept = {"title": raw.title, "speaker": raw.speaker}
    return replace(meta, **{k: v for k, v in kept.items() if getattr(meta, k) == simplify(v) and v})


URL_KEYS = ("原文链接", "原文地址", "网址", "URL", "来源URL", "来源网址")


def source_url(header: dict[str, str], manifest: dict[str, str] | None) -> str:
    """Where the report was published: the manifest's url column, else a header line's link."""
    for value in ((manifest or {}).get("url", ""), *(header.get(k, "") for k in URL_KEYS)):
        value = value.strip()
        if value.startswith(("http://", "https://")) and " " not in value:
            return value
    return ""


def ingest_bytes(
    data: bytes,
    source: str,
    manifest: dict[str, str] | None = None,
    readers: dict[str, str] | None = None,
) -> list[Report]:
    """One file's bytes → its reports; raises ReadError when the file is not a readable report.
    `readers`, when given, gets the converter that read a .doc (source → antiword, catdoc)."""
    name = source.rsplit("/", 1)[-1]
    extracted = extract(data, name)
    if extracted.reader and readers is not None:
        readers[source] = extracted.reader
    cleaned = clean(extracted.text)
    for key, value in extracted.header.items():  # the file's own title and date, if it has them
        cleaned.header.setdefault(key, value)
    reports = []
    for ordinal, raw in enumerate(split_reports(cleaned.text), start=1):
        paragraphs = parse_paragraphs(raw.body, raw.head)
        if len(paragraphs) == len(raw.head):
            continue  # a title block with no report under it
        body = "\n".join(p.text for p in paragraphs[len(raw.head) :])
        meta = _infer_simplified(raw, body, cleaned.header, name, manifest)
        reports.append(
            Report(
                id=report_id(source, ordinal),
                source=source,
                source_url=source_url(cleaned.header, manifest),
                **{name: getattr(meta, name) for name in METADATA_FIELDS},
                paragraphs=paragraphs,
                header=dict(cleaned.header),
                notes=meta.notes,
            )
        )
    if not reports:
        raise ReadError("no report text after cleaning")
    return reports


def _manifest_for(folder: Path, cache: dict, problems: list[Problem], rel: str) -> dict:
    if folder not in cache:
        path = folder / MANIFEST
        cache[folder] = {}
        if path.is_file():
            try:
                cache[folder] = read_manifest(path)
            except (OSError, UnicodeDecodeError, ValueError) as exc:
                problems.append(Problem(rel, f"unreadable manifest: {exc}"))
    return cache[folder]


@dataclass(frozen=True)
class SourceFile:
    """A readable file found under a command-line path, not a duplicate of an earlier one,
    with the bytes read from it: the very bytes its digest is of, and that are parsed."""

    path: Path
    source: str
    digest: str  # the content hash of its bytes and its manifest row: a change to either
    manifest: dict[str, str] | None
    data: bytes = field(default=b"", repr=False, compare=False)


def scan(paths: Sequence[str | Path], result: IngestResult) -> Iterator[SourceFile]:
    """The files under `paths` that ingestion reads, in order, each read once: its bytes and
    their content hash. The folders are listed now (their problems in `result.problems` at
    once); each file is read as the iterator reaches it, so that one file's bytes at a time
    are held. Files skipped (not text, unreadable, duplicates) go to `result.problems`."""
    entries: list[_Entry] = []
    for given in paths:
        root = Path(given)
        if not root.exists() and not root.is_symlink():
            result.problems.append(Problem(str(given), "no such file or folder"))
            continue
        entries.extend(_walk(root, result.problems))
    return _read(entries, result)


def _read(entries: list[_Entry], result: IngestResult) -> Iterator[SourceFile]:
    manifests: dict[Path, dict] = {}
    digests: dict[str, str] = {}
    sources: dict[str, Path] = {}  # a report's id and its file's identity both come from it
    for entry in entries:
        if entry.path.name == MANIFEST:
            continue
        if entry.source in sources:
            result.problems.append(
                Problem(entry.source, f"same name as {sources[entry.source]}: give their parent")
            )
            continue
        sources[entry.source] = entry.path
        if entry.path.suffix.lower() not in SUFFIXES:
            result.problems.append(
                Problem(entry.source, f"not a report file ({entry.path.suffix})")
            )
            continue
        try:
            st = entry.path.stat()
            if not stat.S_ISREG(st.st_mode):
                result.problems.append(Problem(entry.source, "not a regular file"))
                continue
            data = entry.path.read_bytes()
        except OSError as exc:
            reason = "symlink loop" if exc.errno == errno.ELOOP else (exc.strerror or str(exc))
            result.problems.append(Problem(entry.source, f"cannot read: {reason}"))
            continue
        result.files_read += 1
        fmt = format_of(entry.path.name, data[:64])
        result.formats[fmt] = result.formats.get(fmt, 0) + 1
        digest = hashlib.sha256(data).hexdigest()
        if digest in digests:
            result.problems.append(Problem(entry.source, f"duplicate of {digests[digest]}"))
            continue
        digests[digest] = entry.source
        manifest = _manifest_for(entry.path.parent, manifests, result.problems, entry.source)
        row = manifest.get(entry.path.name)
        if row:
            extra = json.dumps(row, sort_keys=True, ensure_ascii=False).encode()
            digest = hashlib.sha256(data + b"\x00" + extra).hexdigest()
        yield SourceFile(entry.path, entry.source, digest, row, data)


def ingest_file(file: SourceFile, result: IngestResult) -> list[Report]:
    """One file's reports, parsed from the bytes `scan` read and hashed (none when it cannot
    be ingested: the reason goes to `result`)."""
    try:
        reports = ingest_bytes(file.data, file.source, file.manifest, result.readers)
    except ReadError as exc:
        result.problems.append(Problem(file.source, str(exc)))
        return []
    except Exception as exc:  # one bad file must not stop the run
        log.exception("failed to ingest %s", file.source)
        result.problems.append(Problem(file.source, f"internal error: {exc!r}"))
        return []
    result.digests[file.source] = file.digest
    return reports


def ingest(paths: Sequence[str | Path], progress: bool = False) -> IngestResult:
    """Run the pipeline over files and folders; problem files are reported, never fatal."""
    result = IngestResult()
    files = scan(paths, result)
    bar = tqdm(
        files,
        desc="ingest",
        unit="file",
        disable=None if progress else True,
        delay=2,
        file=sys.stderr,
    )
    for file in bar:
        result.reports.extend(ingest_file(file, result))
    bar.close()
    return result
