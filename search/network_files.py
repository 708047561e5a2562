"""The reuse network written out: `edges.csv` (one row per edge, with both reports' places,
codes and years, and the passages) and `edges.graphml` (the reports as nodes with their
metadata, the edges with their characters and passage counts), the GraphML by the standard
library's XML writer (Gephi, networkx, igraph and R read it)."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from indexer.place import PLACE_COLUMNS, Place
from search.network import MIN_CHARS, Edge, edges

PLACE = (*PLACE_COLUMNS, "year")
EDGE_COLUMNS = (
    "source_report",
    "target_report",
    "chars",
    *(f"source_{f}" for f in PLACE),
    *(f"target_{f}" for f in PLACE),
    "passages",
    "passage_texts",
)


def _place(record: dict) -> list:
    return [*Place.of_report(record).cells(), record["year"] or ""]


def write_csv(engine, found: Iterable[Edge], path: Path) -> int:
    """edges.csv (UTF-8 with a BOM); the number of edges written."""
    meta, count = engine.report_meta, 0
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(EDGE_COLUMNS)
        for e in found:
            source, target = meta[e.source], meta[e.target]
            writer.writerow(
                [source["id"], target["id"], e.chars, *_place(source), *_place(target),
                 len(e.passages), json.dumps(list(e.passages), ensure_ascii=False)]
            )  # fmt: skip
            count += 1
    return count


NODE_KEYS = (*PLACE_COLUMNS, "year", "title")


def write_graphml(engine, found: list[Edge], path: Path) -> None:
    """edges.graphml: every report holding an edge as a node, the edges directed."""
    ns = "http://graphml.graphdrawing.org/xmlns"
    root = ET.Element("graphml", xmlns=ns)
    for key in NODE_KEYS:
        kind = "int" if key == "year" else "string"
        ET.SubElement(
            root, "key", id=key, attrib={"for": "node", "attr.name": key, "attr.type": kind}
        )
    for key in ("chars", "passages"):
        ET.SubElement(
            root, "key", id=key, attrib={"for": "edge", "attr.name": key, "attr.type": "int"}
        )
    graph = ET.SubElement(root, "graph", id="reuse", edgedefault="directed")
    used = sorted({e.source for e in found} | {e.target for e in found})
    for r in used:
        record = engine.report_meta[r]
        node = ET.SubElement(graph, "node", id=record["id"])
        place = Place.of_report(record).cells()
        values = {**record, **dict(zip(PLACE_COLUMNS, place, strict=True))}
        for key in NODE_KEYS:
            if values.get(key) not in (None, ""):
                ET.SubElement(node, "data", key=key).text = str(values[key])
    for i, e in enumerate(found):
        edge = ET.SubElement(
            graph, "edge", id=f"e{i}", source=engine.report_meta[e.source]["id"],
            target=engine.report_meta[e.target]["id"],
        )  # fmt: skip
        ET.SubElement(edge, "data", key="chars").text = str(e.chars)
        ET.SubElement(edge, "data", key="passages").text = str(len(e.passages))
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


_ENGINE = None


def _open(index: str) -> None:
    global _ENGINE
    from search.engine import Engine

    _ENGINE = Engine.open(index)


def _chunk(args: tuple[list[int], int]) -> list[Edge]:
    reports, min_chars = args
    return list(edges(_ENGINE, min_chars, reports))


def network(index: str, engine, min_chars: int = MIN_CHARS, jobs: int = 1) -> list[Edge]:
    """Every edge of the index, found by `jobs` processes (each opening the index) when more
    than one, in the order of the reports."""
    n = len(engine.report_meta)
    if jobs <= 1 or n < 2:
        return list(edges(engine, min_chars))
    chunks = [(list(range(k, n, jobs * 4)), min_chars) for k in range(jobs * 4)]
    with ProcessPoolExecutor(jobs, initializer=_open, initargs=(index,)) as pool:
        found = [e for part in pool.map(_chunk, chunks) for e in part]
    return sorted(found, key=lambda e: (e.target, e.source))


def write(index: str, engine, out: Path, min_chars: int = MIN_CHARS, jobs: int = 1) -> int:
    """DIR/edges.csv and DIR/edges.graphml; the number of edges."""
    return write_edges(engine, network(index, engine, min_chars, jobs), out)


def write_edges(engine, found: list[Edge], out: Path) -> int:
    """DIR/edges.csv and DIR/edges.graphml of edges found (`engine`: what holds report_meta)."""
    out.mkdir(parents=True, exist_ok=True)
    count = write_csv(engine, found, out / "edges.csv")
    write_graphml(engine, found, out / "edges.graphml")
    return count
