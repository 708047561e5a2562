"""`baogao eval-topics` and `baogao topics train`: the topic labeller measured and retrained."""

from __future__ import annotations

import argparse
import sys


def run_eval(args: argparse.Namespace) -> int:
    from indexer.topic_eval import evaluate, format_eval, model_labeller, term_labeller
    from indexer.topic_model import load_model

    model = load_model(args.model)
    print(f"learned model ({model.source})")
    print(format_eval(evaluate(args.gold, args.split, model_labeller(model)), errors=args.errors))
    if args.split != "dev":
        print(_dev_line(evaluate(args.gold, "dev", model_labeller(model))))
    print("\nthe term list alone (topics.toml)")
    print(format_eval(evaluate(args.gold, args.split, term_labeller())))
    if args.split != "dev":  # written while reading the dev paragraphs: dev flatters it
        print(_dev_line(evaluate(args.gold, "dev", term_labeller())))
    return 0


def _dev_line(dev) -> str:
    return (
        f"dev: paragraphs {dev.n}  micro-F1 {dev.micro_f1:.3f}  macro-F1 {dev.macro_f1:.3f}"
        f"  primary accuracy {dev.primary_accuracy:.3f}"
    )


def run_train(args: argparse.Namespace) -> int:
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


def register(sub) -> None:
    p = sub.add_parser("eval-topics", help="evaluate the topic labeller on the gold set")
    p.add_argument("--gold", default="tests/data/topics_gold.jsonl")
    p.add_argument("--split", default="test", choices=("dev", "test", "all"))
    p.add_argument("--model", help="a topic model file (default: the one the build uses)")
    p.add_argument("--errors", action="store_true", help="list the paragraphs labelled wrong")
    p.set_defaults(func=run_eval)

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
    p.set_defaults(func=run_train)
