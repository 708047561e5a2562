"""Collocations: the jieba words that keep company with the query's occurrences, scored.

For each occurrence (a concordance row) its window is the ``span`` characters before the match
and the ``span`` characters after it, cut at the paragraph's ends. The windows of nearby
occurrences overlap, so they are taken as their union: each stretch of characters at most once.
The candidate words are those jieba (with the project's dictionary, ``indexer.analysis.words``:
folded, punctuation and spaces left out) finds in the stretches of that union, and each
candidate is then counted as the search counts a term, by its exact string, so that the near
count and the corpus count are of one unit. With, as Sketch Engine names them:

- ``f_AB``: the word's occurrences (non-overlapping, left to right, as ``str.count``) that lie
  inside the union of the windows: each counts once, however many windows hold it;
- ``f_A``: the number of occurrences of the query (concordance rows);
- ``f_B``: the word's occurrences in the filtered corpus (the paragraphs that pass the
  filters, with no query terms), counted exactly in the character index: ``f_AB ≤ f_B``;
- ``W``: the characters of the union of the windows; ``N``: of the filtered corpus;

    logDice = 14 + log2(2·f_AB / (f_A + f_B))
    LL = 2·(xlx(f_AB) + xlx(W−f_AB) + xlx(f_B−f_AB) + xlx(N−W−f_B+f_AB) + xlx(N)
            − xlx(W) − xlx(N−W) − xlx(f_B) − xlx(N−f_B)),  xlx(x) = x·ln x (0 for x ≤ 0)

LL is over character positions — inside the windows or not, starting the word or not — so
every cell of its 2×2 table is a count of positions and none is negative (``f_A`` is not a row
of it: a window can hold a word twice). Candidates are the ``CANDIDATES`` words jieba finds
most often in the windows, at least ``MIN_NEAR`` times; those with ``f_AB ≥ MIN_NEAR`` are
scored and the top ``limit`` by logDice returned (ties: higher f_AB, then the word). The
windows and the counts are ``search.windows``'s; here they are scored.

A linguist steers the list: ``min_freq`` (f_AB at least that, ``MIN_NEAR`` by default), a stop
list (``stop`` words, plus ``STOP_WORDS``, function words, unless ``stop_default`` is off) and a
part-of-speech filter (``pos``: jieba's tags, ``jieba.posseg``'s set; a tag keeps every tag it
begins, ``n`` keeps ``nr``, ``ns``, ``nz``). A word's tag is the one jieba-rs gives it (``tag``,
the build's segmenter: the dictionary's tag; a policy term of the project's dictionary, which
has none, is ``nz``). Filtered words never take a candidate's place, and the counts of the
words kept are those of the unfiltered list.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, replace

from indexer.analysis import segmenter
from search.concordance import cached
from search.engine import Engine
from search.results import SearchQuery
from search.sharding import sharded
from search.windows import (
    candidates,
    corpus_count,
    filter_mask,
    near_count,
    union_of_windows,
)
from search.worker import Worker, run

DEFAULT_SPAN = 10
MAX_SPAN = 50
MIN_NEAR = 2
MAX_MIN_FREQ = 100_000
CANDIDATES = 1000
TOP = 50
# Function words (particles, prepositions, conjunctions, pronouns, auxiliaries, measure words)
# left out unless stop_default is off: they keep company with every word.
STOP_WORDS = frozenset(
    """的 地 得 了 着 过 之 所 者 也 矣 乎 哉 吗 呢 吧 啊 和 与 及 以及 或 或者 并 并且 而 而且 且
    但 但是 则 即 因 因为 所以 如果 虽然 既 又 还 就 才 都 也是 在 于 对 对于 为 为了 以 将 把
    被 从 自 向 由 给 按 按照 根据 通过 关于 至 到 比 跟 同 其 其中 此 该 这 那 这些 那些 这个
    那个 这样 各 每 本 我 我们 你 你们 他 他们 它 它们 她 自己 大家 是 有 个 等 等等 中 上
    下 内 外 里 不 没有 已 已经 要 会 能 可 可以 应 应当 使 让 一 一个 一些 更 最 很 较 来
    去""".split()
)
# jieba's part-of-speech tags (jieba.posseg), which `pos` may name
POS_TAGS = (
    "a ad ag an b c d df dg e f g h i j k l m mg mq n ng nr nrfg nrt ns nt nz o p q r rg rr rz "
    "s t tg u ud ug uj ul uv uz v vd vg vi vn vq x y z zg eng"
).split()
POLICY_TAG = "nz"  # a word of the project's dictionary: no tag of jieba's own


@dataclass(frozen=True)
class Collocate:
    word: str
    near: int  # f_AB
    total: int  # f_B
    log_dice: float
    log_likelihood: float


@dataclass(frozen=True)
class Collocations:
    query: SearchQuery
    span: int
    occurrences: int  # f_A
    corpus_chars: int  # N
    window_chars: int  # W
    items: tuple[Collocate, ...]


def near_counts(engine: Engine, query: SearchQuery, span: int) -> tuple[Counter, int]:
    """f_AB of the candidate words (see the module's docstring), and f_A."""
    windows = union_of_windows(engine, query, span)
    found = candidates(engine, windows)
    near = Counter()
    for word, seen in found.most_common(CANDIDATES):
        if seen < MIN_NEAR:
            break
        near[word] = near_count(engine, word, windows)
    return near, windows.occurrences


@dataclass(frozen=True)
class Steering:
    """What a linguist asks of the list: the least f_AB, words left out, tags kept."""

    min_freq: int = MIN_NEAR
    stop: frozenset[str] = frozenset()  # folded words, beside STOP_WORDS
    stop_default: bool = True  # leave out STOP_WORDS
    pos: tuple[str, ...] = ()  # tags (prefixes); none: every word

    def stopped(self) -> frozenset[str]:
        return self.stop | STOP_WORDS if self.stop_default else self.stop


def tag_of(word: str) -> str:
    """The part of speech jieba-rs gives `word` (its dictionary's tag; a policy term: nz)."""
    tags = _TAGS.get(word)
    if tags is None:
        pieces = segmenter().tag(word, True)
        tags = pieces[0][1] if len(pieces) == 1 else ""
        if len(_TAGS) < 100_000:
            _TAGS[word] = tags
    return tags or POLICY_TAG


_TAGS: dict[str, str] = {}


def keeps(steering: Steering, stopped: frozenset[str], word: str) -> bool:
    if word in stopped:
        return False
    return not steering.pos or tag_of(word).startswith(steering.pos)


def collocations(
    engine: Engine,
    query: SearchQuery,
    span: int = DEFAULT_SPAN,
    limit: int = TOP,
    steering: Steering = Steering(),  # noqa: B008 - frozen, shared safely
    worker: Worker | None = None,
) -> Collocations:
    """The top `limit` collocates by logDice (remembered per query, filters, span and
    steering), computed by `worker`'s process when given (see `search.worker`)."""
    key = (
        "collocations",
        replace(query, page=1, per_page=None, sort="relevance"),
        span,
        limit,
        steering,
    )
    if sharded(engine):  # the shards' counts, summed
        return cached(
            engine, key, lambda: engine.merged("collocations", key[1], span, limit, steering)
        )
    return cached(
        engine, key, lambda: run(worker, engine, _collocations, key[1], span, limit, steering)
    )


def _collocations(
    engine: Engine, query: SearchQuery, span: int, limit: int, steering: Steering
) -> Collocations:
    windows = union_of_windows(engine, query, span)
    found = candidates(engine, windows)
    f_a, w = windows.occurrences, windows.chars
    mask = filter_mask(engine, query)
    everything = bool(mask.all())
    n = int(engine.columns.col["chars"][mask].sum())
    stopped = steering.stopped()
    floor = min(MIN_NEAR, steering.min_freq)  # jieba's count in the windows, at most f_AB
    items, tried = [], 0
    for word, seen in found.most_common():
        if seen < floor or tried == CANDIDATES:
            break
        if not keeps(steering, stopped, word):
            continue
        tried += 1
        f_ab = near_count(engine, word, windows)
        if f_ab < steering.min_freq:
            continue
        f_b = corpus_count(engine, word, mask, everything)
        items.append(
            Collocate(word, f_ab, f_b, log_dice(f_ab, f_a, f_b), log_likelihood(f_ab, w, f_b, n))
        )
    items.sort(key=lambda c: (-c.log_dice, -c.near, c.word))
    return Collocations(query, span, f_a, n, w, tuple(items[:limit]))


def log_dice(f_ab: int, f_a: int, f_b: int) -> float:
    return 14 + math.log2(2 * f_ab / (f_a + f_b)) if f_ab and f_a + f_b else 0.0


def _xlx(x: float) -> float:
    return x * math.log(x) if x > 0 else 0.0


def log_likelihood(f_ab: int, w: int, f_b: int, n: int) -> float:
    """LL of the 2×2 table of the `n` character positions: inside the `w` of the windows or
    not, starting an occurrence of the word or not (`f_b` in all, `f_ab` inside)."""
    return 2 * (
        _xlx(f_ab)
        + _xlx(w - f_ab)
        + _xlx(f_b - f_ab)
        + _xlx(n - w - f_b + f_ab)
        + _xlx(n)
        - _xlx(w)
        - _xlx(n - w)
        - _xlx(f_b)
        - _xlx(n - f_b)
    )
