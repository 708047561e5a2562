"""The `baogao` command: ingest, index, search, serve — the one module that uses ingestion
(`indexer`), the engine (`search`) and the web face (`search_app`) together."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path


def _cmd_ingest(args: argparse.Namespace) -> int:
    from collections import Counter

    from indexer.ingest import ingest

    result = ingest(args.paths, progress=not args.json)
    if args.json:
        for report in result.reports:
            obj = report.meta()
            obj["paragraphs"] = [
                {"n": p.n, "section": p.section, "text": p.text} for p in report.paragraphs
            ]
            print(json.dumps(obj, ensure_ascii=False))
        for problem in result.problems:  # one object per skipped file, after the reports
            print(
                json.dumps(
                    {"skipped": problem.source, "reason": problem.reason}, ensure_ascii=False
                )
            )
    else:
        for report in result.reports:
            print(
                f"{report.id}\t{report.district or '?'}\t{report.year or '?'}\t"
                f"{report.type or '?'}\t{report.title or '?'}\t{len(report.paragraphs)}"
            )
        paragraphs = sum(len(r.paragraphs) for r in result.reports)
        empty = Counter(name for r in result.reports for name in r.missing)
        tally = ", ".join(f"{name} {n}" for name, n in empty.most_common()) or "none"
        print(
            f"files read: {result.files_read}, reports: {len(result.reports)}, "
            f"paragraphs: {paragraphs}, files skipped: {len(result.problems)}, "
            f"fields left empty: {tally}"
        )
        print(f"files by format: {_by_format(result)}")
        for source, reader in sorted(result.readers.items()):
            print(f"read {source} with {reader}")
        why = Counter(item for r in result.reports for item in r.why_empty.items())
        for (name, reason), n in sorted(why.items(), key=lambda kv: (kv[0][0], -kv[1])):
            print(f"{name} left empty ({n}): {reason}")
        for problem in result.problems:
            print(f"skipped {problem.source}: {problem.reason}")
        for report in result.reports:
            if report.missing:
                reasons = report.why_empty
                fields = [f"{f} ({reasons[f]})" if f in reasons else f for f in report.missing]
                print(f"{report.id} ({report.source}): left empty: {', '.join(fields)}")
    return 0


def _by_format(result) -> str:
    """Files read by format, most first: "pdf 12, html 3, text 1"."""
    ranked = sorted(result.formats.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{fmt} {n}" for fmt, n in ranked) or "none"


def _print_problems(result) -> None:
    for problem in result.problems:
        print(f"skipped {problem.source}: {problem.reason}", file=sys.stderr)


def _cmd_index(args: argparse.Namespace) -> int:
    from indexer.topic_model import MODEL_ENV, load_model

    if not args.topic_model:
        load_model()  # a missing or broken model stops here, before any work
        return _index(args)
    before = os.environ.get(MODEL_ENV)
    os.environ[MODEL_ENV] = args.topic_model  # read by the build's workers too
    try:
        load_model()
        return _index(args)
    finally:
        if before is None:
            del os.environ[MODEL_ENV]
        else:
            os.environ[MODEL_ENV] = before


def _index(args: argparse.Namespace) -> int:
    from indexer.build import build_index
    from indexer.ingest import ingest

    if args.shards is not None:
        return _cmd_index_sharded(args)
    if _refuse_sharded(args.index, "update" if args.update else "index"):
        return 1
    if args.update:
        return _cmd_update(args)
    result = ingest(args.paths, progress=True)
    _print_problems(result)
    if not result.reports:
        print("baogao: no reports found; the existing index is left as it was", file=sys.stderr)
        return 1
    try:
        stats = build_index(
            result.reports,
            args.index,
            progress=True,
            sources=[str(p) for p in args.paths],
            files=result.digests,
        )
    except OSError as exc:  # a full disk, an unwritable folder: the old index stays current
        return _failed("index build", args.index, exc)
    print(
        f"indexed {stats.reports} reports, {stats.paragraphs} paragraphs, "
        f"{stats.chars:,} characters from {result.files_read} files "
        f"({_by_format(result)}; {len(result.problems)} skipped) in {stats.seconds:.1f} s "
        f"({stats.chars / max(stats.seconds, 1e-9):,.0f} chars/s); "
        f"index {stats.bytes_on_disk / 1e6:.1f} MB at {stats.path}"
    )
    return 0


def _refuse_sharded(index: str, what: str) -> bool:
    """A sharded index is built and read with --shards; say so rather than write beside it."""
    from indexer.cluster import is_sharded

    if not is_sharded(index):
        return False
    print(
        f"baogao: {index} is a sharded index; `{what}` works on a single index only for now "
        f"(rebuild it with `baogao index PATH --index {index} --shards N`)",
        file=sys.stderr,
    )
    return True


def _cmd_index_sharded(args: argparse.Namespace) -> int:
    """`index --shards N`: N shard indexes built as Ray tasks, one cluster commit."""
    from indexer.cluster import RayMissing, build_sharded
    from indexer.ingest import ingest

    if args.update:
        print("baogao: --update of a sharded index is not supported yet", file=sys.stderr)
        return 2
    result = ingest(args.paths, progress=True)
    _print_problems(result)
    if not result.reports:
        print("baogao: no reports found; the existing index is left as it was", file=sys.stderr)
        return 1
    try:
        stats = build_sharded(
            result.reports,
            args.index,
            args.shards,
            sources=[str(p) for p in args.paths],
            files=result.digests,
            address=args.ray,
        )
    except (RayMissing, FileExistsError, ValueError) as exc:
        print(f"baogao: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        return _failed("sharded index build", args.index, exc)
    print(
        f"indexed {stats.reports} reports, {stats.paragraphs} paragraphs, "
        f"{stats.chars:,} characters from {result.files_read} files into {stats.shards} "
        f"shards in {stats.seconds:.1f} s; index {stats.bytes_on_disk / 1e6:.1f} MB at "
        f"{stats.path}"
    )
    return 0


def _failed(what: str, index: str, exc: OSError) -> int:
    """One line for a build or update that could not finish; its partial files removed."""
    from indexer.store import discard_own_builds

    discard_own_builds(index)
    where = f"{exc.filename}: " if exc.filename else ""
    print(
        f"baogao: {what} failed ({where}{exc.strerror or exc}); "
        "the existing index is left as it was",
        file=sys.stderr,
    )
    return 1


def _cmd_update(args: argparse.Namespace) -> int:
    """Commit only what changed in the folders: a new segment and deletion marks."""
    from indexer.update import NothingLeft, update_index

    try:
        stats, result = update_index(args.paths, args.index, progress=True)
    except OSError as exc:
        return _failed("update", args.index, exc)
    except NothingLeft as exc:
        _print_problems(exc.result)
        print(f"baogao: {exc}", file=sys.stderr)
        return 1
    _print_problems(result)
    for label, sources in (("added", stats.added), ("changed", stats.changed)):
        for source in sources:
            print(f"{label} {source}")
    for source in stats.removed:
        print(f"removed {source}")
    if stats.commit is None:
        print(f"no change: {stats.segments} segments, index left as it was")
        return 0
    print(
        f"updated: {len(stats.added)} files added, {len(stats.changed)} changed, "
        f"{len(stats.removed)} removed; {stats.reports_added} reports written "
        f"({stats.paragraphs_written} paragraphs), {stats.reports_removed} marked deleted; "
        f"{stats.merged} segments merged; {stats.segments} segments in {stats.commit} "
        f"in {stats.seconds:.1f} s"
    )
    return 0


def _cmd_optimize(args: argparse.Namespace) -> int:
    from indexer.merge import optimize
    from search.engine import Engine

    if _refuse_sharded(args.index, "optimize"):
        return 1
    Engine.open(args.index).close()  # IndexMissing or IndexCorrupt, before any work
    before, after = optimize(args.index)
    print(f"optimized: {before} segments → {after}")
    return 0


def _cmd_reuse_network(args: argparse.Namespace) -> int:
    import os
    import time
    from pathlib import Path

    from search.engine import Engine
    from search.network_files import write

    engine = Engine.open(args.index)
    jobs = args.jobs or os.cpu_count() or 1
    started = time.perf_counter()
    count = write(args.index, engine, Path(args.out), args.min_chars, jobs)
    took = time.perf_counter() - started
    print(
        f"{count} edges among {len(engine.report_meta)} reports ({engine.n} paragraphs) in "
        f"{took:.1f} s with {jobs} process(es): {args.out}/edges.csv, {args.out}/edges.graphml"
    )
    return 0


def _search_query(args: argparse.Namespace, q: str):
    """The search the options describe, read by the same parsers as the site's URL, so the
    command line and the API mean the same by every value."""
    from werkzeug.datastructures import MultiDict

    from search.filters import parse_year_range
    from search_app.params import parse_search

    pairs = [("q", q), ("sort", args.sort), ("mode", args.mode)]
    for name in ("province", "city", "district", "type", "level", "topic"):
        pairs += [(name, value) for value in getattr(args, name) or ()]
    if args.year:
        lo, hi = parse_year_range(args.year)
        pairs += [("year_from", str(lo))] if lo is not None else []
        pairs += [("year_to", str(hi))] if hi is not None else []
    query = parse_search(MultiDict(pairs)).query
    return replace(query, per_page=None if args.all else args.limit)


def _cmd_search(args: argparse.Namespace) -> int:
    """One answer per query; with --queries, one answer (or one error) per line of the file,
    blank lines included, so answers line up with lines. Exit 2 when any query was refused."""
    from indexer.read import ReadError, decode
    from search import budget
    from search.errors import BadQuery
    from search.holder import open_engine
    from search_app.serialize import results_json

    if args.queries:
        try:
            text = decode(Path(args.queries).read_bytes())  # UTF-8, UTF-16 or GB18030, as files
        except ReadError as exc:
            print(f"baogao: {args.queries}: {exc}", file=sys.stderr)
            return 2
        queries = text.splitlines()
    elif args.query is not None:
        queries = [args.query.removeprefix(_LITERAL)]
    else:
        print("baogao: give a QUERY or --queries FILE", file=sys.stderr)
        return 2
    engine = open_engine(args.index, address=args.ray)
    refused = 0
    for line, q in enumerate(queries, 1):
        try:
            with budget.limit(args.time_limit or None):
                results = engine.search(_search_query(args, q))
        except BadQuery as exc:
            refused += 1
            if args.json:
                print(
                    json.dumps(
                        {"query": q, "error": exc.code, "message": str(exc)}, ensure_ascii=False
                    )
                )
            else:
                print(
                    f"baogao: line {line}: {exc}" if args.queries else f"baogao: {exc}",
                    file=sys.stderr,
                )
            continue
        if args.json:
            print(json.dumps(results_json(results), ensure_ascii=False))
        else:
            _print_results(results, color=sys.stdout.isatty())
    return BadQuery.exit_code if refused else 0


def _print_results(results, color: bool) -> None:
    from search_app.highlight import excerpt_bounds

    print(
        f"{results.query.q}: {results.total} 段 · {results.reports} 份报告 · "
        f"{results.occurrences} 处"
    )
    on, off = ("\033[1;31m", "\033[0m") if color else ("【", "】")
    for hit in results.hits:
        spans = hit.matches
        start, end = excerpt_bounds(hit.text, spans)
        out, pos = [], start
        for s, e in spans:
            if e <= start or s >= end:
                continue
            out += [hit.text[pos:s], on, hit.text[s:e], off]
            pos = e
        out.append(hit.text[pos:end])
        print(f"\n{hit.title} · {hit.district} · {hit.year or '?'} · 第{hit.paragraph}段")
        print("  " + ("…" if start else "") + "".join(out) + ("…" if end < len(hit.text) else ""))


def _cmd_serve(args: argparse.Namespace) -> int:
    import logging

    import waitress

    from indexer.analysis import words
    from search.holder import is_sharded
    from search_app import create_app, get_engine, get_worker

    logging.basicConfig()  # as waitress.serve does: its warnings and errors reach stderr
    _accept_raw_utf8_uris()
    if args.ray:
        os.environ["RAY_ADDRESS"] = args.ray  # the holder opens a sharded index there

    # a sharded index computes on its shards' actors: no worker process of its own
    config = {"INDEX_DIR": args.index, "WORKER": not args.in_process and not is_sharded(args.index)}
    if args.time_limit is not None:
        config["TIME_LIMIT"] = args.time_limit or None
    app = create_app(config)
    app.debug = False  # never debug mode, whatever FLASK_DEBUG says
    with app.app_context():
        get_engine()  # refuse to start without a readable index (and open it once, now)
        worker = get_worker()
    words("预热")  # load jieba's dictionary now, not during the first search
    channels: dict = {}
    try:
        server = waitress.create_server(
            app, map=channels, host=args.host, port=args.port, threads=args.threads, ident="baogao"
        )
    except (OSError, OverflowError) as exc:
        for channel in list(channels.values()):  # waitress leaves its socket and pipe open
            channel.close()
        reason = getattr(exc, "strerror", None) or exc
        print(f"baogao: cannot listen on {args.host}:{args.port}: {reason}", file=sys.stderr)
        return 1
    if worker is not None:
        worker.start()  # it opens the index and loads jieba now, not on the first request
    print(f"baogao: serving {args.index} at http://{args.host}:{args.port}/", file=sys.stderr)
    try:
        server.run()
    finally:
        if worker is not None:
            worker.close()
    return 0


def _accept_raw_utf8_uris() -> None:
    """Take `GET /api/search?q=最多跑一次` as sent by curl (raw UTF-8, not percent-encoded) as
    browsers send it, percent-encoded, instead of waitress's "400 Bad URI": the bytes are
    percent-encoded before waitress splits the URI (its parser offers no hook for this)."""
    import re

    from waitress import parser

    if getattr(parser.split_uri, "accepts_raw_utf8", False):
        return
    split_uri = parser.split_uri

    def split_quoted(uri: bytes):
        return split_uri(re.sub(rb"[\x80-\xff]", lambda m: b"%%%02X" % m[0][0], uri))

    split_quoted.accepts_raw_utf8 = True
    parser.split_uri = split_quoted


def _cmd_status(args: argparse.Namespace) -> int:
    from indexer.cluster import is_sharded, read_cluster
    from search.engine import Engine

    if is_sharded(args.index):
        cluster = read_cluster(args.index)
        shards = cluster["shards"]
        print(
            f"{args.index}: sharded, {len(shards)} shards, "
            f"{sum(s['reports'] for s in shards)} reports, "
            f"{sum(s['paragraphs'] for s in shards)} paragraphs, built {cluster['time']}"
        )
        for s in shards:
            figures = f"{s['reports']} reports, {s['paragraphs']} paragraphs"
            print(f"  {s['name']}: {s['commit']}, {figures}")
        return 0
    engine = Engine.open(args.index)
    print(
        f"{engine.path}: {len(engine.report_meta)} reports, {engine.n} paragraphs, "
        f"{engine.meta.get('segments', 1)} segments, built {engine.meta['built']}"
    )
    return 0


def _cmd_eval_topics(args: argparse.Namespace) -> int:
    from indexer.topic_eval import evaluate, format_eval, model_labeller, term_labeller
    from indexer.topic_model import load_model

    model = load_model(args.model)
    print(f"learned model ({model.source})")
    print(format_eval(evaluate(args.gold, args.split, model_labeller(model)), errors=args.errors))
    if args.split != "dev":
        dev = evaluate(args.gold, "dev", model_labeller(model))
        print(
            f"dev: paragraphs {dev.n}  micro-F1 {dev.micro_f1:.3f}  macro-F1 {dev.macro_f1:.3f}"
            f"  primary accuracy {dev.primary_accuracy:.3f}"
        )
    print("\nthe term list alone (topics.toml)")
    print(format_eval(evaluate(args.gold, args.split, term_labeller())))
    return 0


def _cmd_topics_train(args: argparse.Namespace) -> int:
    from indexer.topic_model import DEFAULT_MODEL, ModelError, load_model, write_model
    from indexer.topic_train import TrainingUnavailable, train

    try:
        defaults = load_model(DEFAULT_MODEL)
    except ModelError:
        defaults = None
    try:
        model = train(args.corpus, gold=args.gold, defaults=defaults)
    except TrainingUnavailable as exc:
        print(f"baogao: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"baogao: {exc}", file=sys.stderr)
        return 1
    write_model(model, args.out)
    note = model.note
    print(f"trained on {note['trained_on']}: {note['examples']} paragraphs under headings")
    print("per topic: " + ", ".join(f"{t} {n}" for t, n in note["examples_per_topic"].items()))
    if note.get("dev"):
        print(f"dev: micro-F1 {note['dev']['micro_f1']}  primary {note['dev']['primary_accuracy']}")
    print(f"wrote {args.out}; index with it: baogao index --topic-model {args.out} PATHS")
    return 0


def _count(value: str) -> int:
    """A number of hits, 0 or more."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {n}")
    return n


def _seconds(value: str) -> float:
    """A time limit in seconds, 0 or more (0: none)."""
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not seconds >= 0 or seconds == float("inf"):
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds, not {value}")
    return seconds


def _shards(value: str) -> int:
    from indexer.cluster import MAX_SHARDS

    try:
        n = int(value)
    except ValueError:
        n = 0
    if not 1 <= n <= MAX_SHARDS:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_SHARDS}")
    return n


def _port(value: str) -> int:
    """A TCP port number, 1–65535."""
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be between 1 and 65535, not {port}")
    return port


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="baogao", description="Search Chinese government reports."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="run the ingestion pipeline and print what it finds")
    p.add_argument("paths", nargs="+", help="files or folders of raw report files")
    p.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per report per line, then one per skipped file ({skipped, reason})",
    )
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("index", help="ingest and build the search index")
    p.add_argument("paths", nargs="+", help="files or folders of raw report files")
    p.add_argument("--index", default="index", help="index folder (default: index/)")
    p.add_argument(
        "--update",
        action="store_true",
        help="index only new, changed and removed files (a new segment and deletion marks)",
    )
    p.add_argument(
        "--topic-model",
        help="label topics with this model (from `baogao topics train`) instead of the shipped one",
    )
    p.add_argument(
        "--shards",
        type=_shards,
        help="build N shard indexes on Ray (needs `pip install 'baogao[cluster]'`)",
    )
    p.add_argument("--ray", help="the Ray cluster to build on (default: RAY_ADDRESS, else local)")
    p.set_defaults(func=_cmd_index)

    p = sub.add_parser("optimize", help="merge every segment of the index into one")
    p.add_argument("--index", default="index")
    p.set_defaults(func=_cmd_optimize)

    p = sub.add_parser("search", help="search the index")
    p.add_argument("query", nargs="?", help="the query (see README for the language)")
    p.add_argument("--queries", help="a file of queries, one per line, answered in order")
    p.add_argument("--index", default="index")
    p.add_argument("--province", action="append", help="a province and every place under it")
    p.add_argument("--city", action="append", help="a city and every place under it")
    p.add_argument("--district", action="append", help="the issuing place; repeat for several")
    p.add_argument("--year", help="a year or a range such as 2016-2018")
    p.add_argument("--type", action="append")
    p.add_argument("--level", action="append")
    p.add_argument("--topic", action="append")
    p.add_argument("--sort", default="relevance", choices=("relevance", "newest", "oldest"))
    p.add_argument("--mode", default="exact", choices=("exact", "words"))
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--limit", type=_count, default=10, help="hits to show (default 10; 0: counts only)"
    )
    group.add_argument("--all", action="store_true", help="return every hit")
    p.add_argument("--json", action="store_true", help="one JSON object per query per line")
    p.add_argument("--ray", help="the Ray cluster of a sharded index (default: RAY_ADDRESS)")
    p.add_argument(
        "--time-limit",
        type=_seconds,
        help="seconds a query may take before it stops with exit code 6 (default: no limit)",
    )
    p.set_defaults(func=_cmd_search)

    p = sub.add_parser(
        "reuse-network",
        help="who repeated whom: the passages each report shares with earlier ones, as edges",
    )
    p.add_argument("--index", default="index")
    p.add_argument("--min-chars", type=_count, default=15, help="shortest passage (default 15)")
    p.add_argument("--out", required=True, help="folder for edges.csv and edges.graphml")
    p.add_argument("--jobs", type=_count, default=0, help="processes (default: one per core)")
    p.set_defaults(func=_cmd_reuse_network)

    p = sub.add_parser("serve", help="serve the site and JSON API with waitress")
    p.add_argument("--index", default="index")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=_port, default=5000)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument(
        "--time-limit",
        type=_seconds,
        help="seconds of work per request before it answers 503 (default 10; 0: no limit)",
    )
    p.add_argument("--ray", help="the Ray cluster of a sharded index (default: RAY_ADDRESS)")
    p.add_argument(
        "--in-process",
        action="store_true",
        help="compute collocations and sorted concordances in the request's thread, not a worker",
    )
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("status", help="say whether an index exists and what it holds")
    p.add_argument("--index", default="index")
    p.set_defaults(func=_cmd_status)

    p = sub.add_parser("eval-topics", help="evaluate the topic labeller on the gold set")
    p.add_argument("--gold", default="tests/data/topics_gold.jsonl")
    p.add_argument("--split", default="test", choices=("dev", "test", "all"))
    p.add_argument("--model", help="a topic model file (default: the one the build uses)")
    p.add_argument("--errors", action="store_true", help="list the paragraphs labelled wrong")
    p.set_defaults(func=_cmd_eval_topics)

    p = sub.add_parser("topics", help="the topic model: retrain it on your own corpus")
    topics_sub = p.add_subparsers(dest="topics_command", required=True)
    p = topics_sub.add_parser(
        "train", help="learn topics from the section headings of a corpus (needs scikit-learn)"
    )
    p.add_argument("corpus", nargs="+", help="files or folders of raw report files")
    p.add_argument("--out", default="topics_model.npz", help="model file to write")
    p.add_argument(
        "--gold",
        help="a gold set (topics_gold.jsonl format): tune on its dev split, and "
        "keep its paragraphs out of training",
    )
    p.set_defaults(func=_cmd_topics_train)
    return parser


# A query such as -经济 (NOT 经济) reaches argparse behind this mark, so it is not an option.
_LITERAL = "\x00"


def _protect_queries(argv: list[str]) -> list[str]:
    """Mark arguments like `-经济` (a dash and a non-ASCII character) as literal text."""
    return [_LITERAL + a if len(a) > 1 and a[0] == "-" and not a[1].isascii() else a for a in argv]


def main(argv: Sequence[str] | None = None) -> int:
    from indexer.topic_model import ModelError
    from search.errors import BaogaoError

    args = build_parser().parse_args(_protect_queries(list(sys.argv[1:] if argv is None else argv)))
    try:
        return args.func(args)
    except BaogaoError as exc:
        print(f"baogao: {exc}", file=sys.stderr)
        return exc.exit_code
    except ModelError as exc:
        print(f"baogao: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a file that cannot be read or written: one line, no traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"baogao: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("baogao: interrupted", file=sys.stderr)
        return 130
