"""Ingest speed by format: the bundled corpus written as PDF, DOCX and UTF-8/GBK web pages
(bench/convert.py), each folder ingested whole (read → clean → split → paragraphs → metadata).

python -m bench.formats            # best of 3 runs per format
python -m bench.formats --runs 5

Prints a Markdown table: files, PDF pages, characters of report text, seconds (best run;
median in brackets), characters a second and pages a second. The text version is the baseline.
The figures are copied into bench/RESULTS.md by hand, with the machine and the command.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench.__main__ import machine
from bench.convert import FORMATS, cjk_font, convert_corpus
from indexer.formats import extract
from indexer.ingest import ingest

BUNDLED = Path(__file__).resolve().parents[1] / "corpus"


def _pages(folder: Path) -> int:
    return sum(extract(p.read_bytes(), p.name).pages for p in folder.rglob("*.pdf"))


def measure(runs: int = 3) -> list[dict]:
    """One row a format: what was ingested and how fast."""
    font = cjk_font()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("text", *FORMATS):
            if fmt == "pdf" and font is None:
                print("pdf: skipped, no CJK font installed (fonts-wqy-zenhei or fonts-noto-cjk)")
                continue
            folder = BUNDLED
            if fmt != "text":
                folder = Path(tmp) / fmt
                convert_corpus(BUNDLED, folder, fmt, font)
            seconds = []
            for _ in range(runs):
                start = time.perf_counter()
                result = ingest([folder])
                seconds.append(time.perf_counter() - start)
            chars = sum(r.chars for r in result.reports)
            best = min(seconds)
            pages = _pages(folder) if fmt == "pdf" else 0
            rows.append(
                {
                    "format": fmt,
                    "files": result.files_read,
                    "bytes": sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()),
                    "reports": len(result.reports),
                    "pages": pages,
                    "chars": chars,
                    "best": best,
                    "median": statistics.median(seconds),
                    "skipped": len(result.problems),
                }
            )
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| format | files | size | reports | characters | s (best; median) | chars/s | pages/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        pages = f"{r['pages'] / r['best']:,.0f} ({r['pages']} pages)" if r["pages"] else "—"
        lines.append(
            f"| {r['format']} | {r['files']} | {r['bytes'] / 1024:,.0f} KB | {r['reports']} | "
            f"{r['chars']:,} | {r['best']:.2f} ({r['median']:.2f}) | "
            f"{r['chars'] / r['best']:,.0f} | {pages} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    m = machine()
    print(f"machine: {m['cpu']}, {m['cores']} cores, load {m['load_at_start']:.2f} at start")
    print(table(measure(args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
