"""Reliability measurements whose figures go into RELIABILITY.md (not part of `make test`).

    python tools/reliability.py index   --paragraphs 200000   the bench corpus's baogao index
    python tools/reliability.py hostile --paragraphs 200000   hostile requests: worst time
    python tools/reliability.py kills   --runs 30             SIGKILL builds, check the index
    python tools/reliability.py slow                          the `slow` tests (50 MB file)

Every server is `baogao serve` on a free port of 127.0.0.1; every run is bounded in count and
time; every random choice comes from a seeded RNG, so a run can be repeated.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import BIN, HOST, ROOT, machine, serving  # noqa: E402

from indexer import format as fmt  # noqa: E402  (the project's root is on the path: load)

WORK = ROOT / "bench" / "work" / "reliability"
LIMIT_S = 2.0


def index_dir(paragraphs: int) -> Path:
    return WORK / str(paragraphs) / "index"


# -- index: the bench corpus as a baogao index ----------------------------------------------


def cmd_index(args: argparse.Namespace) -> int:
    """Build (or reuse) the baogao index of the bench corpus of this size."""
    from bench.corpus import corpus_path, load
    from indexer.build import build_index

    target = index_dir(args.paragraphs)
    if (target / fmt.CURRENT).exists() and not args.force:
        print(f"{target} exists (use --force to rebuild)")
        return 0
    started = time.perf_counter()
    corpus = load(corpus_path(args.paragraphs))
    reports = corpus.to_reports()
    loaded = time.perf_counter() - started
    stats = build_index(reports, target, progress=True)
    info = {
        "paragraphs": stats.paragraphs,
        "reports": stats.reports,
        "chars": stats.chars,
        "build_seconds": round(stats.seconds, 1),
        "corpus_seconds": round(loaded, 1),
        "bytes_on_disk": stats.bytes_on_disk,
        "machine": machine(),
    }
    (target.parent / "index.json").write_text(json.dumps(info, ensure_ascii=False, indent=1))
    print(json.dumps(info, ensure_ascii=False))
    return 0


# -- hostile: a few hundred hostile requests, each timed ------------------------------------

NAMES = (
    "q", "page", "per_page", "year", "year_from", "year_to", "district", "type", "level",
    "topic", "sort", "mode", "per",
)  # fmt: skip
PIECES = (
    "", " ", "0", "-1", "+3", "1e3", "99999999999999999999", "500", "501", "1000", "2016",
    "2016-2018", "2018-2016", "-2018", "2016-", "-", "20x6", "１９９９", "1899", "relevance",
    "newest", "oldest", "words", "exact", "10k", "national", "区县", "economy", "经济发展",
    "拱墅区", "火星区", '"', '"改革', "“改革", "(", ")", "((((", "|", "OR", "AND", "NOT", "-",
    "district:", "year:abc", "topic:不存在", "<script>alert(1)</script>", "'", "&amp;", "\x00",
    "\x1b[31m", "\r\n", "\u202e", "𠮷", "改革", "的", "发展", "最多跑一次", "经济", "人民",
)  # fmt: skip
COMMON = "的是在和了有不人我这中大为上个国发展经济建设改革工作社会推进加强全面新"


def _random_value(rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return rng.choice(PIECES)
    if kind == 1:
        return str(rng.randint(-(10**12), 10**12))
    if kind == 2:
        return " ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12)))
    if kind == 3:
        return "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40)))
    if kind == 4:
        return "".join(chr(rng.randint(1, 0x2FFFF)) for _ in range(rng.randint(1, 30)))
    return (rng.choice(PIECES) or "长") * rng.randint(1, 1200)


def random_requests(rng: random.Random, n: int, report_id: str) -> list[str]:
    """n request paths with random hostile parameters over the five endpoints."""
    out = []
    for _ in range(n):
        pairs = [
            (rng.choice(NAMES) if rng.random() < 0.85 else _random_value(rng), _random_value(rng))
            for _ in range(rng.randint(0, 6))
        ]
        qs = urlencode(pairs, quote_via=quote, errors="surrogatepass")
        endpoint = rng.choice(
            ("/search", "/api/search", "/search.csv", f"/reports/{report_id}", "/reports/x")
        )
        if endpoint == "/reports/x":
            endpoint = "/reports/" + quote(_random_value(rng)[:200], safe="", errors="replace")
        out.append(f"{endpoint}?{qs}")
    return out


def costly_requests(report_id: str, prose: str) -> list[str]:
    """The shapes that cost most within the limits: many terms, OR branches, long input, deep
    pages, all paragraphs, many facet values, overlapping terms, a long report's marks."""

    def q(query: str, **extra: str) -> str:
        return urlencode({"q": query, **extra}, quote_via=quote)

    terms32 = " ".join(COMMON[:32])
    ors16 = " OR ".join(COMMON[:16])
    long_prose = prose[:1000]
    out = []
    for base in ("/search", "/api/search"):
        out += [
            f"{base}?{q(terms32)}",
            f"{base}?{q(terms32, mode='words')}",
            f"{base}?{q(ors16)}",
            f"{base}?{q(ors16, mode='words', sort='newest')}",
            f"{base}?{q(long_prose)}",
            f"{base}?{q(long_prose, mode='words')}",
            f"{base}?{q(' '.join(long_prose[i : i + 30] for i in range(0, 960, 30)))}",
            f"{base}?{q('的' * 1000)}",
            f"{base}?{q('的的' * 200 + '的')}",
            f"{base}?{q('((((((((的 OR 发展) 改革) OR 经济) -人民) OR 建设) 工作) OR 社会) 新)')}",
            f"{base}?{q('-的')}",
            f"{base}?{q('')}",
            f"{base}?{q('', sort='oldest', per='10k')}",
            f"{base}?{q('的', per_page='100', sort='newest')}",
            f"{base}?" + urlencode([("q", "发展")] + [("year", str(y)) for y in range(1976, 2026)]),
            f"{base}?" + urlencode([("q", "发展")] + [("district", f"区{i}") for i in range(50)]),
        ]
    out += [
        f"/search?{q('的', page='500', per_page='100')}",
        f"/api/search?{q('的', page='1000', per_page='100')}",
        f"/reports/{report_id}?{q(ors16)}",
        f"/reports/{report_id}?{q(long_prose, mode='words')}",
        f"/api/reports/{report_id}",
        f"/search.csv?{q('的')}",
        f"/search.csv?{q('')}",
    ]
    return out


def timed_get(port: int, path: str) -> tuple[int, float, float, int]:
    """One GET on a fresh connection: (status, seconds to first byte, seconds in all, bytes)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        started = time.perf_counter()
        conn.request("GET", path)
        resp = conn.getresponse()
        first = time.perf_counter() - started
        size = len(resp.read())
        return resp.status, first, time.perf_counter() - started, size
    finally:
        conn.close()


def _shown(row: dict) -> dict:
    """A row for the summary: the path decoded and cut, times rounded."""
    path = unquote(row["path"], errors="replace")
    path = path if len(path) <= 90 else f"{path[:60]}…({len(path)} chars)"
    return {**row, "path": path, "ttfb": round(row["ttfb"], 3), "s": round(row["s"], 3)}


def cmd_hostile(args: argparse.Namespace) -> int:
    index = Path(args.index) if args.index else index_dir(args.paragraphs)
    from search.engine import Engine

    engine = Engine.open(index)
    longest = max(engine.report_meta, key=lambda r: r["count"])
    prose = "".join(p.text for p in engine.get_report(longest["id"]).paragraphs)
    engine.close()
    rng = random.Random(args.seed)
    costly = costly_requests(longest["id"], prose)
    paths = [(p, "costly") for p in costly]
    paths += [(p, "random") for p in random_requests(rng, args.requests, longest["id"])]
    rows = []
    with serving(index) as (port, _pid):
        cold = timed_get(port, "/search?q=" + quote("改革"))
        for path, kind in paths:
            status, first, total, size = timed_get(port, path)
            rows.append({"kind": kind, "path": path, "status": status, "ttfb": first, "s": total})
    dump = WORK / f"hostile-{engine.n}-s{args.seed}.jsonl"
    dump.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    csv_rows = [r for r in rows if r["path"].startswith("/search.csv")]
    other = [r for r in rows if not r["path"].startswith("/search.csv")]
    worst = sorted(other, key=lambda r: -r["s"])[:5]
    statuses: dict[str, int] = {}
    for r in rows:
        statuses[str(r["status"])] = statuses.get(str(r["status"]), 0) + 1
    summary = {
        "index": str(index),
        "paragraphs": engine.n,
        "machine": machine(),
        "seed": args.seed,
        "requests": len(rows),
        "costly": len(costly),
        "statuses": statuses,
        "server_errors": sum(r["status"] >= 500 for r in rows),
        "cold_first_request_s": round(cold[2], 3),
        "worst_s": round(worst[0]["s"], 3) if worst else None,
        "worst": [_shown(r) for r in worst],
        "over_limit": sum(r["s"] > LIMIT_S for r in other),
        "csv_worst_ttfb_s": round(max(r["ttfb"] for r in csv_rows), 3) if csv_rows else None,
        "csv_worst_total_s": round(max(r["s"] for r in csv_rows), 3) if csv_rows else None,
    }
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    ok = not summary["server_errors"] and not summary["over_limit"]
    return 0 if ok and (summary["csv_worst_ttfb_s"] or 0) <= LIMIT_S else 1


# -- kills: SIGKILL a build at random moments -----------------------------------------------

KILL_QUERIES = ("改革", '"最多跑一次"', "经济 发展", "人民 OR 政府", "")


def answers(index: Path) -> list[tuple]:
    """What the index answers to a few queries: totals and the first page's hits."""
    from search.engine import Engine
    from search.results import SearchQuery

    engine = Engine.open(index)
    out = []
    for q in KILL_QUERIES:
        res = engine.search(SearchQuery(q=q))
        out.append((res.total, res.reports, tuple((h.report_id, h.paragraph) for h in res.hits)))
    engine.close()
    return out


def kill_run(corpus: Path, index: Path, delay: float) -> dict:
    """Start `baogao index`, SIGKILL it `delay` s after its build folder appears."""
    before = {p.name for p in index.glob(fmt.tmp_pattern())}
    proc = subprocess.Popen(
        [*BIN, "index", str(corpus), "--index", str(index)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = time.monotonic()
    while proc.poll() is None and not {p.name for p in index.glob(fmt.tmp_pattern())} - before:
        time.sleep(0.01)
    appeared = time.monotonic() - started
    time.sleep(delay)
    finished = proc.poll() is not None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return {"delay": round(delay, 2), "build_started_at": round(appeared, 2), "finished": finished}


def cmd_kills(args: argparse.Namespace) -> int:
    from indexer.build import build_index
    from indexer.ingest import ingest

    corpus = Path(args.corpus)
    work = WORK / "kills"
    shutil.rmtree(work, ignore_errors=True)
    index = work / "index"
    started = time.perf_counter()
    build_index(ingest([corpus]).reports, index)
    build_s = time.perf_counter() - started
    expected = answers(index)
    rng = random.Random(args.seed)
    window = args.window or build_s * 1.1
    runs, changed = [], 0
    for _ in range(args.runs):
        run = kill_run(corpus, index, rng.uniform(0, window))
        run["leftover_tmp"] = len(list(index.glob(fmt.tmp_pattern())))
        run["same_answers"] = answers(index) == expected
        changed += not run["same_answers"]
        runs.append(run)
    leftovers = len(list(index.glob(fmt.tmp_pattern())))
    subprocess.run(
        [*BIN, "index", str(corpus), "--index", str(index)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    summary = {
        "corpus": str(corpus),
        "machine": machine(),
        "seed": args.seed,
        "runs": len(runs),
        "in_process_build_s": round(build_s, 1),
        "kill_window_s": round(window, 1),
        "killed_during_build": sum(not r["finished"] for r in runs),
        "answers_changed": changed,
        "tmp_folders_before_clean_build": leftovers,
        "tmp_folders_after_clean_build": len(list(index.glob(fmt.tmp_pattern()))),
        "other_leftovers": sorted(
            p.name for p in index.iterdir() if p.name.startswith(fmt.LINK_TMP_PREFIX)
        ),
        "answers_after_clean_build_same": answers(index) == expected,
        "runs_detail": runs,
    }
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 0 if not changed and summary["answers_after_clean_build_same"] else 1


# -- slow: the tests behind the `slow` marker -----------------------------------------------


def cmd_slow(args: argparse.Namespace) -> int:
    env = dict(os.environ, BAOGAO_SLOW="1")
    cmd = [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "-m", "slow"]
    started = time.perf_counter()
    code = subprocess.call(cmd, cwd=ROOT, env=env)
    print(f"slow tests: exit {code} in {time.perf_counter() - started:.0f} s on {machine()}")
    return code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("index", help="build the index of the bench corpus")
    p.add_argument("--paragraphs", type=int, default=200_000)
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=cmd_index)
    p = sub.add_parser("hostile", help="time hostile requests against `baogao serve`")
    p.add_argument("--paragraphs", type=int, default=200_000)
    p.add_argument("--index", help="an index folder instead of the bench corpus's")
    p.add_argument("--requests", type=int, default=300, help="random requests (plus the costly)")
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(func=cmd_hostile)
    p = sub.add_parser("kills", help="SIGKILL `baogao index` at random moments")
    p.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    p.add_argument("--runs", type=int, default=30)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--window", type=float, help="kill within this many seconds of the build")
    p.set_defaults(func=cmd_kills)
    p = sub.add_parser("slow", help="run the tests marked slow")
    p.set_defaults(func=cmd_slow)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
