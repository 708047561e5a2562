"""How right the topic labellers are: precision, recall and F1 against the hand-labelled gold set.

A labeller is any function from (texts, section paths) to each text's topics; the learned
model and the term list alone are both measured by :func:`evaluate`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from indexer.models import TOPIC_LABELS
from indexer.topic_model import TopicModel, load_model
from indexer.topics import Taxonomy, label, load_taxonomy

Labeller = Callable[[list[str], list[str]], list[tuple[str, ...]]]


def term_labeller(taxonomy: Taxonomy | None = None) -> Labeller:
    """The term list alone (``topics.toml``), as a labeller."""
    tax = taxonomy or load_taxonomy()
    return lambda texts, sections: [label(t, s, tax) for t, s in zip(texts, sections, strict=True)]


def model_labeller(model: TopicModel | None = None, taxonomy: Taxonomy | None = None) -> Labeller:
    """The learned model (default: the shipped one), as a labeller."""
    m = model or load_model()
    return lambda texts, sections: [t for t, _ in m.label(texts, sections, taxonomy)]


@dataclass(frozen=True)
class TopicScore:
    """Precision, recall and F1 of one topic over a gold split."""

    topic: str
    precision: float
    recall: float
    f1: float
    support: int
    predicted: int


@dataclass(frozen=True)
class EvalReport:
    """How well :func:`label` agrees with hand labels on one split of the gold set."""

    split: str
    n: int
    micro_f1: float
    macro_f1: float
    primary_accuracy: float
    per_topic: tuple[TopicScore, ...]
    errors: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def read_gold(path: str | Path, split: str | None = None) -> list[dict]:
    """The gold rows of one split (all rows when ``split`` is None or "all")."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                if split in (None, "all") or row["split"] == split:
                    rows.append(row)
    return rows


def evaluate(
    gold_path: str | Path,
    split: str = "test",
    labeller: Labeller | None = None,
    taxonomy: Taxonomy | None = None,
) -> EvalReport:
    """Label the gold paragraphs of ``split`` and compare: micro/macro F1, primary accuracy.
    The labeller defaults to the learned model."""
    tax = taxonomy or load_taxonomy()
    rows = read_gold(gold_path, split)
    return score_rows(
        rows,
        (labeller or model_labeller(taxonomy=tax))(
            [r["text"] for r in rows], [r.get("section", "") for r in rows]
        ),
        split,
        tax.topics,
    )


def score_rows(
    rows: list[dict], predicted: list[tuple[str, ...]], split: str, topics: tuple[str, ...]
) -> EvalReport:
    """Compare predicted topics with the gold rows' topics."""
    tp = dict.fromkeys(topics, 0)
    fp = dict.fromkeys(topics, 0)
    fn = dict.fromkeys(topics, 0)
    primary_hits = 0
    errors = []
    for row, pred in zip(rows, predicted, strict=True):
        gold = tuple(row["topics"])
        primary_hits += pred[0] == gold[0]
        for t in set(pred) | set(gold):
            tp.setdefault(t, 0), fp.setdefault(t, 0), fn.setdefault(t, 0)
            if t in pred and t in gold:
                tp[t] += 1
            elif t in pred:
                fp[t] += 1
            else:
                fn[t] += 1
        if set(pred) != set(gold) or pred[0] != gold[0]:
            errors.append((row["id"], gold, pred))
    per_topic = []
    for t in tp:
        p = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 0.0
        r = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else 0.0
        per_topic.append(TopicScore(t, p, r, _f1(p, r), tp[t] + fn[t], tp[t] + fp[t]))
    total_tp, total_fp, total_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    micro_p = total_tp / (total_tp + total_fp) if total_tp + total_fp else 0.0
    micro_r = total_tp / (total_tp + total_fn) if total_tp + total_fn else 0.0
    scored = [s for s in per_topic if s.support]
    macro = sum(s.f1 for s in scored) / len(scored) if scored else 0.0
    return EvalReport(
        split=split,
        n=len(rows),
        micro_f1=_f1(micro_p, micro_r),
        macro_f1=macro,
        primary_accuracy=primary_hits / len(rows) if rows else 0.0,
        per_topic=tuple(per_topic),
        errors=tuple(errors),
    )


def format_eval(report: EvalReport, errors: bool = False) -> str:
    """A plain-text summary and per-topic table of an :class:`EvalReport`."""
    lines = [
        f"split: {report.split}  paragraphs: {report.n}",
        f"micro-F1 {report.micro_f1:.3f}  macro-F1 {report.macro_f1:.3f}  "
        f"primary accuracy {report.primary_accuracy:.3f}",
        "",
        f"{'topic':<12} {'label':<6} {'prec':>6} {'recall':>6} {'F1':>6} "
        f"{'support':>7} {'pred':>5}",
    ]
    for s in report.per_topic:
        name = TOPIC_LABELS.get(s.topic, s.topic)
        lines.append(
            f"{s.topic:<12} {name:<6} {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f} "
            f"{s.support:>7} {s.predicted:>5}"
        )
    if errors:
        lines.append("")
        lines.extend(f"{i}: gold {','.join(g)}  got {','.join(p)}" for i, g, p in report.errors)
    return "\n".join(lines)
