"""The RESULTS.md section of one corpus size in a run: the build table, the first-page latency
table, recall and precision against the scan, baogao next to FTS5, HTTP load and, folded away,
every query's figures. `size_section` takes one entry of a result file's "sizes" list."""

from __future__ import annotations

from bench.common import percentile
from bench.report_cells import digits_for, figure, md_table, ratio

ENGINE_ORDER = ("baogao", "fts5", "jieba-whoosh", "scan")


def _engines(size: dict) -> list[str]:
    names = list(size["engines"])
    return sorted(names, key=lambda n: ENGINE_ORDER.index(n) if n in ENGINE_ORDER else 99)


def size_section(size: dict) -> list[str]:
    c = size["corpus"]
    out = [
        f"### {c['paragraphs']:,} paragraphs",
        "",
        f"{c['paragraphs']:,} paragraphs, {c['chars']:,} characters in {c['reports']:,} reports; "
        f"{c['districts']} districts, years {c['years'][0]}–{c['years'][1]}; sampled from "
        f"{c['source_paragraphs']:,} real paragraphs of `{c['source']}` (read as: {c['reader']}).",
        "",
    ]
    engines = _engines(size)
    built = {n: size["engines"][n] for n in engines if "build" in size["engines"][n]}
    rows = []
    for name, e in built.items():
        b = e["build"]
        rows.append(
            [
                name,
                figure(b["seconds"], 2),
                figure(b.get("cpu_seconds"), 2),
                figure(b["chars_per_s"], 0),
                figure(b["index_bytes"] / 2**20),
                figure(b["index_ratio"], 2),
                figure(b["peak_rss_mb"], 0)
                + (f" (+{b['peak_child_rss_mb']:,.0f})" if b.get("peak_child_rss_mb") else ""),
                figure(b["rss_after_corpus_load_mb"], 0),
            ]
        )
    out += ["**Build**", ""]
    out += md_table(
        [
            "engine",
            "build s",
            "CPU s",
            "chars/s",
            "index MB",
            "× text (UTF-8 bytes)",
            "peak RSS MB (+largest child)",
            "RSS after corpus load MB",
        ],
        rows,
    )
    first_page, accuracy = _query_rows(built)
    out += ["**Full first page** (ms; warm)", ""]
    out += md_table(
        [
            "engine",
            "p50",
            "p95",
            "p99",
            "mean",
            "max",
            "samples",
            "1st pass p50",
            "1st pass p95",
            "open s",
            "peak RSS MB",
        ],
        first_page,
    )
    out += ["**Recall and precision against the scan**", ""]
    out += md_table(
        [
            "engine",
            "mode",
            "queries",
            "recall",
            "precision",
            "recall < 1",
            "precision < 1",
            "totals wrong",
            "p50 ms",
            "p95 ms",
        ],
        accuracy,
    )
    out += _ratios(size)
    skipped = [(n, size["engines"][n]) for n in engines if "build" not in size["engines"][n]]
    for name, e in skipped:
        out += [f"- **{name}**: {e.get('skipped') or 'failed: ' + e.get('error', '?')}"]
    for name, e in built.items():
        if "error" in e:
            out += [f"- **{name}**: {e['error']}"]
    if skipped or any("error" in e for e in built.values()):
        out.append("")
    out += _http(size)
    out += _per_query(size, built)
    return out


def _query_rows(built: dict) -> tuple[list[list[str]], list[list[str]]]:
    """The rows of the first-page table and of the recall and precision table: one each per
    engine that answered the queries, and one of the second per mode it was asked in."""
    first_page, accuracy = [], []
    for name, e in built.items():
        q = e.get("query")
        if not q:
            continue
        lat = q["latency"]
        first = sorted(r["warm_ms"] for r in q["queries"])
        first_page.append(
            [
                name,
                figure(lat.get("p50_ms"), 2),
                figure(lat.get("p95_ms"), 2),
                figure(lat.get("p99_ms"), 2),
                figure(lat.get("mean_ms"), 2),
                figure(lat.get("max_ms"), 1),
                figure(lat.get("samples")),
                figure(percentile(first, 50), 2),
                figure(percentile(first, 95), 2),
                figure(q["open_seconds"], 2),
                figure(q["peak_rss_mb"], 0),
            ]
        )
        for mode in ("exact", "words"):
            a = q["accuracy_by_mode"][mode]
            mode_lat = q["latency_by_mode"][mode]
            if not a.get("queries"):
                continue
            accuracy.append(
                [
                    name,
                    mode,
                    figure(a["queries"]),
                    figure(a["recall_mean"], 3),
                    figure(a["precision_mean"], 3),
                    figure(a["recall_below_1"]),
                    figure(a["precision_below_1"]),
                    figure(a["total_wrong"]),
                    figure(mode_lat.get("p50_ms"), 2),
                    figure(mode_lat.get("p95_ms"), 2),
                ]
            )
    return first_page, accuracy


def _ratios(size: dict) -> list[str]:
    e = size["engines"]
    if "build" not in e.get("baogao", {}) or "build" not in e.get("fts5", {}):
        return []
    a, b = e["baogao"], e["fts5"]
    rows = [
        ["build s", a["build"]["seconds"], b["build"]["seconds"]],
        ["chars/s", a["build"]["chars_per_s"], b["build"]["chars_per_s"]],
        ["index MB", a["build"]["index_bytes"] / 2**20, b["build"]["index_bytes"] / 2**20],
        ["build peak RSS MB", a["build"]["peak_rss_mb"], b["build"]["peak_rss_mb"]],
    ]
    if a.get("query") and b.get("query"):
        for p in ("p50_ms", "p95_ms", "p99_ms", "mean_ms"):
            rows.append(
                [f"first page {p[:-3]} ms", a["query"]["latency"][p], b["query"]["latency"][p]]
            )
        for key in ("recall_mean", "precision_mean"):
            rows.append(
                [
                    f"{key.split('_')[0]}, exact mode (mean)",
                    a["query"]["accuracy_by_mode"]["exact"].get(key),
                    b["query"]["accuracy_by_mode"]["exact"].get(key),
                ]
            )
    table = [
        [name, figure(x, digits_for(x)), figure(y, digits_for(y)), ratio(x, y)]
        for name, x, y in rows
    ]
    out = ["**baogao next to FTS5** (ratio = baogao / FTS5)", ""]
    out += md_table(["figure", "baogao", "FTS5", "ratio"], table)
    if a.get("query") and b.get("query"):
        pairs = [
            (x["median_ms"], y["median_ms"], x["query"])
            for x, y in zip(a["query"]["queries"], b["query"]["queries"], strict=True)
        ]
        ahead = sorted((p for p in pairs if p[1] < p[0]), key=lambda p: p[1] - p[0])
        out.append(
            f"FTS5 answers the full page faster on {len(ahead)} of {len(pairs)} queries"
            + (
                "; the widest gaps: "
                + "; ".join(f"{q} {x:.2f} ms against {y:.2f} ms" for x, y, q in ahead[:5])
                if ahead
                else ""
            )
            + "."
        )
        out.append("")
    return out


def _http(size: dict) -> list[str]:
    http = size.get("http")
    if not http:
        return []
    if "skipped" in http:
        return [f"**HTTP** (`/api/search` against `baogao serve`): {http['skipped']}", ""]
    rows = []
    for run in http["runs"]:
        rows.append(
            [
                str(run["clients"]),
                figure(run["requests"]),
                figure(run["seconds"], 1),
                figure(run["rps"], 1),
                figure(run["p50_ms"], 2),
                figure(run["p95_ms"], 2),
                figure(run["p99_ms"], 2),
                figure(run["errors"]),
                figure(run.get("server_rss_mb"), 0),
                run.get("stopped", ""),
            ]
        )
    return [
        f"**HTTP** (`/api/search` against `baogao serve`, {http.get('note', '')})",
        "",
    ] + md_table(
        [
            "clients",
            "requests",
            "s",
            "req/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "errors",
            "server RSS MB after",
            "note",
        ],
        rows,
    )


def _per_query(size: dict, built: dict) -> list[str]:
    with_q = [n for n, e in built.items() if e.get("query")]
    if not with_q:
        return []
    truth_engine = "scan" if "scan" in with_q else with_q[0]
    base = built[truth_engine]["query"]["queries"]
    rows = []
    for i, row in enumerate(base):
        cells = [row["query"].replace("|", "\\|"), figure(row["truth_total"])]
        for name in with_q:
            r = built[name]["query"]["queries"][i]
            mark = "" if r["recall"] == 1 and r["precision"] == 1 else " ✗"
            total = "" if r["total"] == r["truth_total"] else f" (total {r['total']:,})"
            cells.append(f"{r['median_ms']:.2f} ms · {r['found']:,}{total}{mark}")
        rows.append(cells)
    return (
        [
            "<details><summary>Per query: median ms · paragraphs found (✗: recall or "
            "precision below 1)</summary>",
            "",
        ]
        + md_table(["query", "true matches"] + with_q, rows)
        + ["</details>", ""]
    )
