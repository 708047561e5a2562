"""Draw the paragraph sample for the topic gold set, and merge hand labels into it.

Usage:
    python tools/sample_gold.py sample ../shared/corpus > candidates.jsonl
    python tools/sample_gold.py merge candidates.jsonl labels.txt > tests/data/topics_gold.jsonl

The sample is deterministic (fixed seed), stratified by folder (and by decade for national/),
plus a few keyword-targeted picks for rare topics. ``labels.txt`` holds one line per id:
``g001 reform economy`` (topics in order of importance, written by a human reader).
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

SEED = 20260501
MIN_CHARS = 20
MAX_CHARS = 900  # longer paragraphs are left out to keep hand annotation manageable
QUOTA = {"hangzhou": 60, "provinces-2026": 70}
NATIONAL_PER_DECADE = 17
TARGETED = {  # rare topics: extra picks among paragraphs that mention these words
    "defense": (r"国防|军队|解放军|外交|台湾|港澳|香港|澳门|两岸", 6),
    "education": (r"教育|学校|教师", 5),
    "health": (r"医疗|卫生|医院|医保|疫情", 5),
    "culture": (r"文化|体育|旅游|文物|亚运", 5),
    "rural": (r"农业|农村|农民|扶贫|乡村振兴|粮食", 5),
    "governance": (r"安全生产|社会治理|信访|平安|应急", 4),
    "party": (r"党建|党风|党员|从严治党", 4),
}

CN_NUM = "一二三四五六七八九十"
H1 = re.compile(rf"^(第[{CN_NUM}]+部分|[{CN_NUM}]+、)")
H2 = re.compile(rf"^[（(][{CN_NUM}]+[）)]")
CHROME = re.compile(
    r"^(发布时间|来源|时间|相关报道|索 ?引 ?号|发布机构|您的位置|Produced By|Public domain|"
    r"本作品|【字号)|维基|Wikisource|公有领域|著作权法"
)
_CJK = "[\u4e00-\u9fff，。、；：“”]"
CJK_SPACE = re.compile(rf"(?<={_CJK})[ \u3000\u200b]+(?={_CJK})")
TERMINAL = "。！？；：”）)"


def clean(line: str) -> str:
    """Strip indentation and zero-width spaces, drop spaces inside Chinese text."""
    line = line.replace("\u200b", "").replace("\xa0", " ").strip(" \u3000\t\r")
    return CJK_SPACE.sub("", line)


def is_prose(line: str) -> bool:
    return len(line) >= MIN_CHARS and ("，" in line or "," in line or "。" in line)


def paragraphs(path: Path) -> list[tuple[str, str]]:
    """(section path, paragraph) pairs of one raw file; page-broken lines are rejoined."""
    lines = [clean(x) for x in path.read_text(encoding="utf-8").splitlines()]
    lines = [x for x in lines if x]
    out: list[tuple[str, str]] = []
    h1 = h2 = ""
    buf = ""
    for line in lines:
        if CHROME.search(line):
            continue
        heading = (H1.match(line) or H2.match(line)) and (
            len(line) <= 40 and not line.rstrip("。").count("。")
        )
        if heading or not is_prose(line) and not buf:
            if buf:
                out.append((section(h1, h2), buf))
                buf = ""
            if H1.match(line) and len(line) <= 40:
                h1, h2 = line, ""
            elif H2.match(line) and len(line) <= 40:
                h2 = line
            continue
        if H2.match(line):  # inline sub-heading: "（一）强化创新驱动发展。提升……"
            h2 = line.split("。")[0]
        buf += line
        if line[-1] in TERMINAL or not is_prose(line):
            out.append((section(h1, h2), buf))
            buf = ""
    if buf:
        out.append((section(h1, h2), buf))
    return [(s, p) for s, p in out if MIN_CHARS <= len(p) <= MAX_CHARS and is_prose(p)]


def section(h1: str, h2: str) -> str:
    return " > ".join(x for x in (h1, h2) if x)


def decade_of(corpus: Path) -> dict[str, str]:
    with open(corpus / "national" / "MANIFEST.csv", encoding="utf-8") as fh:
        return {r["file"]: r["year"][:3] + "0s" for r in csv.DictReader(fh) if r["year"]}


def sample(corpus: Path) -> list[dict]:
    rng = random.Random(SEED)
    pools: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    decades = decade_of(corpus)
    for folder in ("hangzhou", "national", "provinces-2026"):
        for path in sorted((corpus / folder).glob("*.txt")):
            key = folder
            if folder == "national":
                key = "national/" + decades.get(path.name, "unknown")
            for sec, text in paragraphs(path):
                pools[key].append((f"{folder}/{path.name}", sec, text))
    picked: list[tuple[str, str, str]] = []
    for key in sorted(pools):
        pool = pools[key]
        if key.startswith("national/"):
            n = NATIONAL_PER_DECADE
        elif key == "hangzhou":  # at least a few from every file
            by_file = defaultdict(list)
            for item in pool:
                by_file[item[0]].append(item)
            for items in by_file.values():
                picked.extend(rng.sample(items, min(6, len(items))))
            rest = [x for x in pool if x not in picked]
            n = QUOTA[key] - 6 * len(by_file)
            pool = rest
        else:  # provinces: at most 3 per province, so many provinces appear
            by_file = defaultdict(list)
            for item in pool:
                by_file[item[0]].append(item)
            files = sorted(by_file)
            pool = [x for f in files for x in rng.sample(by_file[f], min(3, len(by_file[f])))]
            n = QUOTA[key]
        picked.extend(rng.sample(pool, min(n, len(pool))))
    everything = [x for key in sorted(pools) for x in pools[key]]
    for pattern, n in TARGETED.values():
        rx = re.compile(pattern)
        cands = [x for x in everything if x not in picked and len(rx.findall(x[2])) >= 2]
        picked.extend(rng.sample(cands, min(n, len(cands))))
    return [
        {"id": f"g{i:03d}", "split": "", "source": src, "section": sec, "text": text, "topics": []}
        for i, (src, sec, text) in enumerate(picked, 1)
    ]


def split_of(rows: list[dict]) -> None:
    """About half dev, half test, alternating within each primary topic by a hash of the id."""
    by_primary: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_primary[row["topics"][0]].append(row)
    for group in by_primary.values():
        group.sort(key=lambda r: hashlib.sha1(r["id"].encode()).hexdigest())
        for i, row in enumerate(group):
            row["split"] = "dev" if i % 2 == 0 else "test"


def merge(candidates: Path, labels: Path) -> list[dict]:
    rows = [json.loads(x) for x in candidates.read_text(encoding="utf-8").splitlines() if x]
    table = {}
    for line in labels.read_text(encoding="utf-8").splitlines():
        parts = line.split("#")[0].split()
        if parts:
            table[parts[0]] = parts[1:]
    out = []
    for row in rows:
        if row["id"] in table and table[row["id"]]:
            row["topics"] = table[row["id"]]
            out.append(row)
    split_of(out)
    return out


def main(argv: list[str]) -> None:
    if argv[0] == "sample":
        rows = sample(Path(argv[1]))
    else:
        rows = merge(Path(argv[1]), Path(argv[2]))
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
