"""Draw fresh paragraphs for the test part of the topic gold set.

Usage:
    python tools/sample_gold_fresh.py ../shared/corpus tests/data/topics_gold.jsonl > fresh.jsonl

Paragraphs are cut exactly as in ``tools/sample_gold.py`` (same cleaning, headings, 20–900
characters), but drawn with a different seed and leaving out every paragraph whose text is
already in the gold file. Stratified by folder: 4 per ``hangzhou/`` file (20), 60 from
``national/`` spread over the decades (CPC congress reports dated by congress), and 50 from
``provinces-2026/`` drawn among 2 candidates per province. Ids continue after the last
existing id; ``topics`` is left empty for the reader to fill in.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sample_gold import decade_of, paragraphs  # noqa: E402

SEED = 20260613  # differs from sample_gold.SEED
HANGZHOU_PER_FILE = 4
PROVINCES = 50
PROVINCE_CANDIDATES = 2
NATIONAL_PER_DECADE = {"1920s": 4}  # the three early congress reports are short
NATIONAL_DEFAULT = 7  # 1950s–2020s: 8 decades x 7 + 4 = 60
CONGRESS_YEAR = {  # CPC congress reports carry no year in MANIFEST.csv
    "01": 1921,
    "03": 1923,
    "07": 1945,
    "09": 1969,
    "10": 1973,
    "11": 1977,
    "12": 1982,
    "13": 1987,
    "14": 1992,
    "15": 1997,
    "16": 2002,
    "17": 2007,
    "18": 2012,
    "19": 2017,
    "20": 2022,
}
EXTRA_YEAR = {  # the 1962 NPC resolution has no year in MANIFEST.csv either
    "national_resolution_第二届全国人民代表大会第三次会议关于政府工作报告的决议.txt": 1962,
}
_HALF = str.maketrans(",;:()!?", "，；：（）！？")


def norm(text: str) -> str:
    """Text key for comparing with the existing gold set (spaces and punctuation width)."""
    return re.sub(r"\s+", "", text).translate(_HALF)


def national_decade(name: str, decades: dict[str, str]) -> str:
    if name in decades:
        return decades[name]
    m = re.match(r"national_cpc_congress_(\d\d)_", name)
    year = CONGRESS_YEAR.get(m.group(1)) if m else EXTRA_YEAR.get(name)
    return f"{str(year)[:3]}0s" if year else "unknown"


def sample(corpus: Path, gold: Path) -> list[dict]:
    rows = [json.loads(x) for x in gold.read_text(encoding="utf-8").splitlines() if x.strip()]
    seen = {norm(r["text"]) for r in rows}
    last = max(int(r["id"][1:]) for r in rows)
    rng = random.Random(SEED)
    decades = decade_of(corpus)
    by_file: dict[str, dict[str, list[tuple[str, str, str]]]] = defaultdict(dict)
    for folder in ("hangzhou", "national", "provinces-2026"):
        for path in sorted((corpus / folder).glob("*.txt")):
            items = [
                (f"{folder}/{path.name}", sec, text)
                for sec, text in paragraphs(path)
                if norm(text) not in seen
            ]
            if items:
                by_file[folder][path.name] = items
    picked: list[tuple[str, str, str]] = []
    for name in sorted(by_file["hangzhou"]):
        items = by_file["hangzhou"][name]
        picked.extend(rng.sample(items, min(HANGZHOU_PER_FILE, len(items))))
    pools: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for name in sorted(by_file["national"]):
        pools[national_decade(name, decades)].extend(by_file["national"][name])
    for decade in sorted(pools):
        n = NATIONAL_PER_DECADE.get(decade, NATIONAL_DEFAULT)
        picked.extend(rng.sample(pools[decade], min(n, len(pools[decade]))))
    provinces = by_file["provinces-2026"]
    cands = [
        x
        for name in sorted(provinces)
        for x in rng.sample(provinces[name], min(PROVINCE_CANDIDATES, len(provinces[name])))
    ]
    picked.extend(rng.sample(cands, min(PROVINCES, len(cands))))
    out, keys = [], set()
    for src, sec, text in picked:
        if norm(text) in keys:  # identical paragraphs in two files: keep one
            continue
        keys.add(norm(text))
        out.append({"source": src, "section": sec, "text": text})
    return [
        {"id": f"g{last + i:03d}", "split": "test", **row, "topics": [], "blind": True}
        for i, row in enumerate(out, 1)
    ]


def main(argv: list[str]) -> None:
    for row in sample(Path(argv[0]), Path(argv[1])):
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
