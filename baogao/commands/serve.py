"""`baogao serve`: the site and JSON API under waitress."""

from __future__ import annotations

import argparse
import os
import sys

from baogao.arguments import port, seconds


def run(args: argparse.Namespace) -> int:
    import logging

    import waitress

    from baogao.waitress_errors import answer_refusals_in_chinese
    from baogao.waitress_uris import accept_raw_utf8_uris
    from indexer.analysis import words
    from search.holder import is_sharded
    from search_app import create_app, get_engine, get_worker

    logging.basicConfig()  # as waitress.serve does: its warnings and errors reach stderr
    accept_raw_utf8_uris()
    answer_refusals_in_chinese()
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


def register(sub) -> None:
    p = sub.add_parser("serve", help="serve the site and JSON API with waitress")
    p.add_argument("--index", default="index")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=port, default=5000)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument(
        "--time-limit",
        type=seconds,
        help="seconds of work per request before it answers 503 (default 10; 0: no limit)",
    )
    p.add_argument("--ray", help="the Ray cluster of a sharded index (default: RAY_ADDRESS)")
    p.add_argument(
        "--in-process",
        action="store_true",
        help="compute collocations and sorted concordances in the request's thread, not a worker",
    )
    p.set_defaults(func=run)
