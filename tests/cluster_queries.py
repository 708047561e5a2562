"""The exactness set of the sharded-index tests: queries cut from the corpus and every kind
of selection, the same for every comparison of a sharded index with one index."""

from __future__ import annotations

import random

from search.engine import Engine
from search.results import SearchQuery


def queries(single: Engine, n: int = 90, seed: int = 25) -> list[str]:
    """Single characters to long phrases cut from the corpus, boolean, NEAR and gap queries,
    typed filters, the empty query and a miss."""
    rng = random.Random(seed)
    texts = [single.words.stored(p)["text"] for p in range(0, single.n, max(1, single.n // 400))]
    texts = [t for t in texts if len(t) >= 40]

    def cut(lo: int, hi: int) -> str:
        text = rng.choice(texts)
        k = rng.randint(lo, hi)
        i = rng.randrange(len(text) - k)
        return text[i : i + k].replace('"', "").replace("*", "").strip() or "改革"

    def word() -> str:
        return cut(2, 3)

    out = ["改", "的", "区", "年", "经", "人", "政", "民", "发", "县"]
    out += [cut(2, 6) for _ in range(n // 2)]
    out += [cut(10, 30) for _ in range(n // 6)]
    out += [f"{word()} OR {word()}" for _ in range(8)]
    out += [f"{word()} {word()}" for _ in range(8)]
    out += [f"{word()} NOT {word()}" for _ in range(6)]
    out += [f"({word()} OR {word()}) {word()}" for _ in range(4)]
    out += [f"{word()} NEAR/5 {word()}" for _ in range(8)]
    out += ["人民 NEAR/10 政府", "改革 NEAR/3 发展", "发展*经济", "乡村*振兴", "经济*发展*质量"]
    out += [f"{word()}*{word()}" for _ in range(6)]
    out += ['"最多跑一次"', "改革 发展 OR 经济", "发展 NOT 经济 NOT 改革", "", "不存在的词语组合"]
    vocab = single.meta["vocab"]
    provinces = sorted({p[0] for p in vocab["place"] if p[0]})
    out += [f"province:{provinces[0]} 改革", "year:2016-2018 经济", "year:2019- 发展"]
    out += [f"type:{vocab['type'][0]} 发展", "level:district 民生", "topic:环境 保护"]
    return out


def selections(single: Engine) -> list[dict]:
    """Facet selections: none, each filter alone, and some together."""
    vocab = single.meta["vocab"]
    places = [p for p in vocab["place"] if p[0] and p[1]]
    province, city = places[0][0], places[-1][1]
    district = next(d for d in vocab["district"] if d)
    return [
        {},
        {"provinces": (province,)},
        {"cities": (city,), "districts": (district,)},
        {"years": (2016, 2018)},
        {"year_from": 2015, "year_to": 2019},
        {"types": (vocab["type"][0],)},
        {"levels": ("district", "city")},
        {"topics": (vocab["topic"][0], vocab["topic"][3])},
        {"provinces": (province,), "year_from": 2010, "levels": ("district",)},
    ]


def variants(single: Engine) -> list[SearchQuery]:
    qs, sels = queries(single), selections(single)
    out = []
    for i, q in enumerate(qs):
        base = SearchQuery(
            q=q,
            sort=("relevance", "newest", "oldest")[i % 3],
            mode=("exact", "words")[(i // 3) % 2],
            **sels[i % len(sels)],
        )
        out += [
            SearchQuery(**{**base.__dict__, "page": 1, "per_page": 10}),
            SearchQuery(**{**base.__dict__, "page": 5, "per_page": 10}),
        ]
        if i % 9 == 0:  # every hit, and counts only
            out += [
                SearchQuery(**{**base.__dict__, "per_page": None}),
                SearchQuery(**{**base.__dict__, "per_page": 0}),
            ]
    return out
