"""Train the topic model from a corpus by its own headings (distant supervision).

Government reports label themselves: the paragraphs under "（三）着力保障和改善民生" are about
welfare. Every paragraph whose innermost heading (or a numbered lead sentence such as
"（一）着力扩大内需。" opening it or an earlier paragraph of the section) names one field
clearly by the heading cues of ``topics.toml`` becomes a training example of that field;
headings about public money (支出, 收入, 预算, 决算…) name ``economy``; the opening paragraphs
of a report, before its first heading, and headings such as 指导思想 are ``general``. Broad
headings (工作回顾, 2026年工作安排…) name nothing. A linear SVM (scikit-learn, one-vs-rest)
learns the n-gram weights; the dev split of the gold set tunes how they, the term list and the
heading cues are weighed and the threshold of a further topic. Needs the ``topics`` extra.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from indexer.fold import fold
from indexer.models import Report
from indexer.topic_model import FISCAL, FISCAL_TOPIC, TopicModel, hashed_ngrams
from indexer.topics import GENERAL, Taxonomy, load_taxonomy

logger = logging.getLogger(__name__)

BITS = 18
INSTALL_HINT = "training needs scikit-learn: pip install 'baogao[topics]'"
# Headings that span every field: the review of the year, the year's plan, targets and tasks.
_BROAD = re.compile(
    r"回顾|安排|任务|建议|总结|成就|经验|形势|概要|说明|注释|情况|主要工作|重点工作|计划|决议"
    r"|报告|变革|实践|历程|意见"
)
_GENERAL_HEADING = re.compile(r"指导思想|总体要求|总基调|基本方略|奋斗目标|总任务")
_LEAD = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十]+[）)]|\d{1,2}[.．、])([^。！？；]{2,40})[。；]"
)
_KEY_DROP = re.compile(r"[\W_]+")
_WINDOW = 16


class TrainingUnavailable(RuntimeError):
    """scikit-learn is not installed."""


@dataclass(frozen=True)
class Example:
    text: str
    section: str
    topic: str


def heading_topics(heading: str, taxonomy: Taxonomy) -> tuple[str, ...]:
    """The fields a heading names (at most two, the clearer first), or () when it names none."""
    folded = fold(heading)
    if _GENERAL_HEADING.search(folded):
        return (GENERAL,)
    if FISCAL.search(folded):
        return (FISCAL_TOPIC,) if FISCAL_TOPIC in taxonomy.topics else ()
    if _BROAD.search(folded):
        return ()
    acc = [0.0] * len(taxonomy.topics)
    taxonomy.sections.score(folded, acc)
    taxonomy.terms.score(folded, acc, 0.5)
    ranked = sorted(zip(acc, taxonomy.topics, strict=True), key=lambda x: -x[0])
    best = ranked[0][0]
    if best < 3:
        return ()
    named = tuple(t for s, t in ranked[:3] if s >= 0.6 * best and t != GENERAL)
    return named if len(named) <= 2 else ()


def _key(text: str) -> str:
    return _KEY_DROP.sub("", fold(text))


class Exclusion:
    """Texts kept out of training (the gold set): a paragraph sharing any 16-character run
    with one of them (punctuation and spaces aside) is left out."""

    def __init__(self, texts: Iterable[str]):
        self.windows = set()
        for text in texts:
            key = _key(text)
            self.windows.update(key[i : i + _WINDOW] for i in range(0, max(1, len(key) - 15), 4))

    def __contains__(self, text: str) -> bool:
        key = _key(text)
        return any(key[i : i + _WINDOW] in self.windows for i in range(max(1, len(key) - 15)))


def distant_examples(
    reports: Sequence[Report], taxonomy: Taxonomy, exclude: Exclusion | None = None
) -> list[Example]:
    """The paragraphs of ``reports`` that their headings label, each with that label."""
    out = []
    for report in reports:
        seen_heading = False
        lead, lead_section = None, None
        for para in report.paragraphs:
            if para.heading:
                seen_heading = True
                continue
            if len(para.text) < 10 or (exclude is not None and para.text in exclude):
                continue
            if para.section != lead_section:
                lead, lead_section = None, para.section
            m = _LEAD.match(para.text)
            if m:
                lead = heading_topics(m.group(1), taxonomy)
            named = lead or ()
            if not named and para.section:
                named = heading_topics(para.section.split(" > ")[-1], taxonomy)
            if not named and not seen_heading and para.n <= 3 and report.paragraphs[-1].section:
                named = (GENERAL,)  # the opening of a report that has headings
            out.extend(Example(para.text, para.section, topic) for topic in named)
    return out


def _features(texts: list[str], bits: int):
    from scipy import sparse

    buckets, where, counts = hashed_ngrams([fold(t) for t in texts], bits)
    scale = 1.0 / np.sqrt(np.maximum(counts, 1))
    return sparse.csr_matrix(
        (scale[where], (where, buckets)), shape=(len(texts), 1 << bits), dtype=np.float64
    )


def fit(
    examples: Sequence[Example], taxonomy: Taxonomy, c: float = 0.5, bits: int = BITS
) -> TopicModel:
    """A linear SVM (one-vs-rest, classes balanced) over the examples' character n-grams;
    the term list enters with weight one until :func:`tune` sets the weights."""
    try:
        from sklearn.svm import LinearSVC
    except ImportError:
        raise TrainingUnavailable(INSTALL_HINT) from None
    topics = taxonomy.topics
    k = len(topics)
    y = np.array([topics.index(e.topic) for e in examples])
    if len(set(y.tolist())) < 2:
        raise ValueError("the headings name fewer than two fields: too few examples to learn")
    clf = LinearSVC(C=c, class_weight="balanced", dual=True, max_iter=5000, random_state=0)
    clf.fit(_features([e.text for e in examples], bits), y)
    coef = np.zeros((k, 1 << bits), np.float32)
    bias = np.full(k, -3.0, np.float32)  # a topic without examples is never chosen
    if len(clf.classes_) == 2:  # binary: one row of weights for the second class
        coef[clf.classes_[1]], bias[clf.classes_[1]] = clf.coef_[0], clf.intercept_[0]
        coef[clf.classes_[0]], bias[clf.classes_[0]] = -clf.coef_[0], -clf.intercept_[0]
    else:
        coef[clf.classes_] = clf.coef_
        bias[clf.classes_] = clf.intercept_
    coef[np.abs(coef) < PRUNE] = 0.0
    coef = coef.astype(np.float16).astype(np.float32)  # as stored: tuned on what is shipped
    return TopicModel(
        topics=topics,
        bits=bits,
        ngram_weights=coef,
        term_weights=np.eye(k, dtype=np.float32),
        bias=bias,
    )


# The decision weights tried on the dev split. The n-gram weight starts at 1: the term list was
# written while reading the dev paragraphs, so dev alone would always prefer it.
GRID = {
    "text_weight": (1.0, 1.5, 2.0, 3.0),
    "term_weight": (1.0, 1.5, 2.0, 2.5, 3.0, 4.0),
    "section_weight": (0.0, 0.5, 1.0, 2.0),
    "general_bias": (0.0, 1.0, 2.0),
    "secondary": (0.05, 0.1, 0.15, 0.2, 0.25, 0.3),
}
PRUNE = 0.01  # n-gram weights smaller than this are dropped: a file of a third the size


def tune(model: TopicModel, rows: Sequence[dict], taxonomy: Taxonomy) -> tuple[TopicModel, dict]:
    """The weights of the grid with the best micro-F1 plus first-topic accuracy on ``rows``
    (the dev split), the first best in grid order; and those figures."""
    from indexer.topic_eval import score_rows

    evidence = model.evidence(
        [fold(r["text"]) for r in rows], [r.get("section", "") for r in rows], taxonomy
    )
    eye = np.eye(len(model.topics), dtype=np.float32)
    best, best_key = model, -1.0
    figures: dict = {}
    for values in itertools.product(*GRID.values()):
        v = dict(zip(GRID, values, strict=True))
        term = v.pop("term_weight")
        candidate = replace(model, term_weights=eye * term, **v)
        logits = candidate.combine(*evidence)
        chosen = [candidate.choose(row)[0] for row in _softmax(logits)]
        report = score_rows(list(rows), chosen, "dev", model.topics)
        key = report.micro_f1 + report.primary_accuracy
        if key > best_key + 1e-9:
            best, best_key = candidate, key
            figures = {
                "micro_f1": round(report.micro_f1, 3),
                "primary_accuracy": round(report.primary_accuracy, 3),
                "paragraphs": report.n,
            }
    return best, figures


def _softmax(logits: np.ndarray) -> np.ndarray:
    logits = logits - logits.max(axis=1, keepdims=True)
    np.exp(logits, out=logits)
    return logits / logits.sum(axis=1, keepdims=True)


def train(
    paths: Sequence[str],
    gold: str | Path | None = None,
    taxonomy: Taxonomy | None = None,
    c: float = 0.3,
    defaults: TopicModel | None = None,
) -> TopicModel:
    """Ingest ``paths``, learn from their headings, tune on the gold set's dev split when
    given (every gold paragraph kept out of training; the test split is never read for
    anything else), else keep the decision weights of ``defaults``. The note says how."""
    from indexer.ingest import ingest
    from indexer.topic_eval import read_gold

    tax = taxonomy or load_taxonomy()
    gold_rows = read_gold(gold) if gold else []
    exclude = Exclusion(r["text"] for r in gold_rows)
    result = ingest(list(paths))
    examples = distant_examples(result.reports, tax, exclude)
    if not examples:
        raise ValueError("no paragraph of the corpus is under a heading that names a field")
    model = fit(examples, tax, c=c)
    dev = [r for r in gold_rows if r["split"] == "dev"]
    if dev:
        model, figures = tune(model, dev, tax)
        tuned = f"weights chosen on the dev split of {Path(gold).name} ({len(dev)} paragraphs)"
    else:
        figures, tuned = {}, "decision weights of the shipped model (no gold set given)"
        if defaults is not None:
            model = replace(
                model,
                text_weight=defaults.text_weight,
                term_weights=defaults.term_weights,
                section_weight=defaults.section_weight,
                general_bias=defaults.general_bias,
                secondary=defaults.secondary,
                fiscal_weight=defaults.fiscal_weight,
            )
    folders = sorted({Path(r.source).parts[0] for r in result.reports if Path(r.source).parts})
    note = {
        "trained_on": f"{len(result.reports)} reports under {', '.join(map(str, paths))} "
        f"({', '.join(folders)})",
        "examples": len(examples),
        "examples_per_topic": counts_note(examples),
        "left_out": "every paragraph sharing a 16-character run with a gold paragraph"
        if gold_rows
        else "nothing",
        "learner": f"scikit-learn LinearSVC (C={c}, balanced classes), {model.bits}-bit hashed "
        f"character 1-3-grams, weights under {PRUNE} dropped",
        "tuning": tuned,
        "fiscal": f"a heading about public money adds {model.fiscal_weight} to economy (fixed, "
        "not tuned: the gold set holds no budget report)",
        "dev": figures,
        "test_split": "never used for training or tuning",
    }
    return replace(model, note=note)


def counts_note(examples: Sequence[Example]) -> dict[str, int]:
    return dict(sorted(Counter(e.topic for e in examples).items()))
