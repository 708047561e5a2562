"""The learned topic labeller: a linear model over hashed character n-grams, in plain NumPy.

A paragraph's features are its characters, character pairs and triples (folded text, digits
as 0), hashed into ``2**bits`` buckets and counted, scaled by one over the square root of
their number, plus the term list's per-topic scores (``log1p``). A linear layer gives one
logit per topic; the heading cues of the paragraph's section path add ``section_weight``
times their ``log1p`` score; a softmax turns the logits into scores that sum to one. The first
topic is the best one; a further topic needs ``secondary`` of the score (at most three);
``general`` is never a further topic. What was learned lives in ``data/topics_model.npz``
(written by :mod:`indexer.topic_train`); this module only reads it.
"""

from __future__ import annotations

import json
import logging
import os
import re
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from indexer.fold import fold
from indexer.topics import GENERAL, Taxonomy, load_taxonomy, section_scores, term_scores

logger = logging.getLogger(__name__)

DEFAULT_MODEL = Path(__file__).with_name("data") / "topics_model.npz"
MODEL_FORMAT = 1
MODEL_ENV = "BAOGAO_TOPIC_MODEL"
# A heading about public money: in budget and final-accounts reports nearly every section says
# 预算, 收入 or 支出, so their paragraphs are public finance (economy) first, whatever field
# the money goes to (that field follows as a further topic).
FISCAL = re.compile(r"支出|收入|预算|决算|财政|税|基金|资金|债务|转移支付|国库")
FISCAL_TOPIC = "economy"
_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the top bits of key * 2**64/phi
_PRIME = np.uint64(1000003)
_ORDER = np.uint64(0x51_7CC1_B727_220A)  # keeps an n-gram apart from an m-gram of equal key


class ModelError(ValueError):
    """The topic model file is missing, unreadable or not a model of this taxonomy."""


def hashed_ngrams(folded: list[str], bits: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The bucket of every character 1-, 2- and 3-gram of each (folded) text, the row each
    belongs to (in text order, so rows never decrease), and each row's number of n-grams.
    One pass of array arithmetic for all texts."""
    joined = "\x00".join(folded) + "\x00\x00"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    codes[(codes >= 48) & (codes <= 57)] = 48  # every digit is 0: 2024年 and 1998年 alike
    sep = codes == 0
    n = len(codes) - 2
    keys = np.empty((n, 3), np.uint64)
    ok = np.empty((n, 3), bool)
    keys[:, 0] = codes[:n]
    keys[:, 1] = codes[:n] * _PRIME + codes[1 : n + 1]
    keys[:, 2] = keys[:, 1] * _PRIME + codes[2:]
    ok[:, 0] = ~sep[:n]
    ok[:, 1] = ok[:, 0] & ~sep[1 : n + 1]
    ok[:, 2] = ok[:, 1] & ~sep[2:]
    keys += _ORDER * np.arange(1, 4, dtype=np.uint64)
    buckets = ((keys[ok] * _MIX) >> np.uint64(64 - bits)).astype(np.int64)
    rows = np.broadcast_to(np.cumsum(sep[:n])[:, None], (n, 3))[ok]
    counts = np.bincount(rows, minlength=len(folded))
    return buckets, rows, counts


@dataclass(frozen=True)
class TopicModel:
    """What the labeller learned: n-gram weights per topic, term-list weights, biases, and
    the decision thresholds tuned on the dev split."""

    topics: tuple[str, ...]
    bits: int
    ngram_weights: np.ndarray = field(repr=False)  # (topics, 2**bits) float32
    term_weights: np.ndarray = field(repr=False)  # (topics, topics): term-list score → logit
    bias: np.ndarray = field(repr=False)  # (topics,)
    text_weight: float = 1.0
    section_weight: float = 1.0
    general_bias: float = 0.0
    fiscal_weight: float = 2.0
    secondary: float = 0.2
    note: dict = field(default_factory=dict, compare=False)
    source: str = field(default="", compare=False)

    @cached_property
    def _by_bucket(self) -> np.ndarray:
        """The n-gram weights a bucket to a row: one gather per n-gram fetches every topic."""
        return np.ascontiguousarray(self.ngram_weights.T)

    def probabilities(
        self, folded: list[str], sections: list[str], taxonomy: Taxonomy | None = None
    ) -> np.ndarray:
        """(texts, topics) scores of already folded texts, each row summing to one."""
        tax = taxonomy or load_taxonomy()
        if tax.topics != self.topics:
            raise ModelError(
                f"{self.source}: model topics {list(self.topics)} are not the taxonomy's "
                f"{list(tax.topics)}: retrain with `baogao topics train`"
            )
        logits = self.combine(*self.evidence(folded, sections, tax))
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        logits /= logits.sum(axis=1, keepdims=True)
        return logits

    def evidence(self, folded: list[str], sections: list[str], tax: Taxonomy):
        """Three (texts, topics) arrays: the n-gram logits, the term list's scores of the
        text and its heading cues' scores (both ``log1p``); and whether a heading is fiscal.
        Each heading is folded here, once."""
        buckets, _, counts = hashed_ngrams(folded, self.bits)
        n, k = len(folded), len(self.topics)
        grams = np.zeros((n, k), np.float32)
        if len(buckets):  # rows are in order: sum each row's run of n-gram weights
            has = counts > 0
            starts = np.concatenate(([0], np.cumsum(counts)[:-1]))[has]
            grams[has] = np.add.reduceat(np.take(self._by_bucket, buckets, axis=0), starts, axis=0)
        grams /= np.sqrt(np.maximum(counts, 1)).astype(np.float32)[:, None]
        grams += self.bias
        terms = np.array([term_scores(t, tax) for t in folded], np.float32).reshape(n, k)
        heads = [fold(s) for s in sections]
        cues = np.array([section_scores(h, tax) for h in heads], np.float32).reshape(n, k)
        fiscal = np.array([bool(h) and FISCAL.search(h) is not None for h in heads])
        return grams, np.log1p(terms), np.log1p(cues), fiscal

    def combine(
        self, grams: np.ndarray, terms: np.ndarray, cues: np.ndarray, fiscal: np.ndarray
    ) -> np.ndarray:
        """The logits: weighted n-gram logits, term-list and heading evidence."""
        # elementwise, not `terms @ term_weights`: a BLAS call starts its thread pool in every
        # build worker, and on few cores the idle threads spin against the workers
        mixed = (terms[:, :, None] * self.term_weights[None]).sum(axis=1)
        logits = self.text_weight * grams + mixed
        if self.section_weight:
            logits += self.section_weight * cues
        if GENERAL in self.topics:
            logits[:, self.topics.index(GENERAL)] += self.general_bias
        if FISCAL_TOPIC in self.topics:
            logits[:, self.topics.index(FISCAL_TOPIC)] += self.fiscal_weight * fiscal
        return logits

    def label(
        self, texts: list[str], sections: list[str], taxonomy: Taxonomy | None = None
    ) -> list[tuple[tuple[str, ...], tuple[float, ...]]]:
        """Per text: 1–3 topics, most likely first, and their scores (0–1, two decimals)."""
        return self.label_folded([fold(t) for t in texts], sections, taxonomy)

    def label_folded(
        self, folded: list[str], sections: list[str], taxonomy: Taxonomy | None = None
    ) -> list[tuple[tuple[str, ...], tuple[float, ...]]]:
        """`label` of texts already folded (a build folds each paragraph once, for all uses)."""
        if not folded:
            return []
        probs = self.probabilities(folded, sections, taxonomy)
        return [self.choose(row) for row in probs]

    def choose(self, row: np.ndarray) -> tuple[tuple[str, ...], tuple[float, ...]]:
        """The topics of one row of scores: the best, then those of at least ``secondary``."""
        order = np.argsort(-row, kind="stable")
        first = self.topics[order[0]]
        chosen = [int(order[0])]
        if first != GENERAL:
            for i in order[1:3]:
                if row[i] >= self.secondary and self.topics[i] != GENERAL:
                    chosen.append(int(i))
        return (
            tuple(self.topics[i] for i in chosen),
            tuple(round(float(row[i]), 2) for i in chosen),
        )


_CACHE: dict[tuple[str, int, int], TopicModel] = {}


def read_model(path: str | Path) -> TopicModel:
    """Read a model file written by :func:`write_model`; :class:`ModelError` if it is not one."""
    path = Path(path)
    try:
        with open(path, "rb") as fh, np.load(fh, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if meta.get("format") != MODEL_FORMAT:
                raise ModelError(f"{path}: model format {meta.get('format')}, not {MODEL_FORMAT}")
            topics = tuple(meta["topics"])
            bits = int(meta["bits"])
            weights = data["ngram_weights"].astype(np.float32)
            terms = data["term_weights"].astype(np.float32)
            bias = data["bias"].astype(np.float32)
    except FileNotFoundError:
        raise ModelError(
            f"{path}: no topic model there (train one: `baogao topics train`)"
        ) from None
    except (OSError, KeyError, ValueError, TypeError, zipfile.BadZipFile, EOFError) as exc:
        if isinstance(exc, ModelError):
            raise
        raise ModelError(f"{path}: not a readable topic model ({exc})") from None
    k = len(topics)
    if weights.shape != (k, 1 << bits) or terms.shape != (k, k) or bias.shape != (k,):
        raise ModelError(f"{path}: the arrays do not fit {k} topics and {bits} hash bits")
    return TopicModel(
        topics=topics,
        bits=bits,
        ngram_weights=weights,
        term_weights=terms,
        bias=bias,
        text_weight=float(meta.get("text_weight", 1.0)),
        section_weight=float(meta.get("section_weight", 1.0)),
        general_bias=float(meta.get("general_bias", 0.0)),
        fiscal_weight=float(meta.get("fiscal_weight", 2.0)),
        secondary=float(meta.get("secondary", 0.2)),
        note=meta.get("note", {}),
        source=str(path),
    )


def write_model(model: TopicModel, path: str | Path) -> None:
    """Save a model: weights as float16 (compressed), the rest as one JSON string."""
    meta = {
        "format": MODEL_FORMAT,
        "topics": list(model.topics),
        "bits": model.bits,
        "text_weight": model.text_weight,
        "section_weight": model.section_weight,
        "general_bias": model.general_bias,
        "fiscal_weight": model.fiscal_weight,
        "secondary": model.secondary,
        "note": model.note,
    }
    with open(path, "wb") as fh:
        np.savez_compressed(
            fh,
            meta=np.array(json.dumps(meta, ensure_ascii=False, sort_keys=True)),
            ngram_weights=model.ngram_weights.astype(np.float16),
            term_weights=model.term_weights.astype(np.float32),
            bias=model.bias.astype(np.float32),
        )


def model_path() -> Path:
    """The model the build uses: ``$BAOGAO_TOPIC_MODEL`` if set (a user's own, trained with
    `baogao topics train`), else the shipped one."""
    return Path(os.environ.get(MODEL_ENV) or DEFAULT_MODEL)


def load_model(path: str | Path | None = None) -> TopicModel:
    """The model at ``path`` (default: :func:`model_path`), cached per path, mtime and size."""
    path = Path(path) if path is not None else model_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise ModelError(
            f"{path}: no topic model there (train one: `baogao topics train`)"
        ) from None
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    model = _CACHE.get(key)
    if model is None:
        model = _CACHE[key] = read_model(path)
    return model
