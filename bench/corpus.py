"""Scaled corpora: real paragraphs sampled with replacement, metadata spread like a collection.

The source is ../shared/corpus (or the bundled corpus/ when it is absent), read with the
ingestion pipeline when it exists. Each generated report is a few runs of consecutive real
paragraphs (100–300 in all) under one district, year and type. Districts follow a Zipf-like
size distribution, years grow towards the present, most reports are government work reports.
Everything is drawn from a seeded RNG, and the result is cached under bench/work/corpus/.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
BUNDLED = ROOT / "corpus"
WORK = Path(__file__).resolve().parent / "work"
GENERATOR_VERSION = 1

PROVINCES = ("浙江省", "江苏省", "广东省", "四川省", "山东省")
CITIES = (
    "杭州市", "宁波市", "温州市", "绍兴市", "嘉兴市", "湖州市", "南京市", "苏州市",
    "无锡市", "广州市", "深圳市", "佛山市", "成都市", "济南市", "青岛市",
)  # fmt: skip
DISTRICTS = (
    "拱墅区", "上城区", "下城区", "江干区", "西湖区", "滨江区", "萧山区", "余杭区", "富阳区",
    "临安区", "临平区", "钱塘区", "海曙区", "江北区", "北仑区", "镇海区", "鄞州区", "奉化区",
    "鹿城区", "龙湾区", "瓯海区", "洞头区", "越城区", "柯桥区", "上虞区", "南湖区", "秀洲区",
    "吴兴区", "南浔区", "玄武区", "秦淮区", "建邺区", "鼓楼区", "浦口区", "栖霞区", "雨花台区",
    "江宁区", "六合区", "溧水区", "高淳区", "姑苏区", "虎丘区", "吴中区", "相城区", "吴江区",
    "梁溪区", "锡山区", "惠山区", "滨湖区", "新吴区", "越秀区", "海珠区", "荔湾区", "天河区",
    "白云区", "黄埔区", "番禺区", "花都区", "南沙区", "福田区", "罗湖区", "南山区", "宝安区",
    "龙岗区", "盐田区", "龙华区", "锦江区", "青羊区", "金牛区", "武侯区", "成华区", "龙泉驿区",
    "历下区", "市中区", "槐荫区", "天桥区", "历城区", "市南区", "市北区", "黄岛区",
)  # fmt: skip
YEARS = tuple(range(2000, 2027))
TYPE_WEIGHTS = (
    ("政府工作报告", 70), ("党代会报告", 7), ("全会报告", 6), ("工作总结", 9),
    ("工作计划", 5), ("决议", 2), ("其他", 1),
)  # fmt: skip
ZIPF_EXPONENT = 1.0
YEAR_GROWTH = 1.12  # reports per year grow by 12% a year


@dataclass(frozen=True)
class BenchReport:
    """A generated report: one district, year and type over a run of real paragraphs."""

    id: str
    district: str
    level: str
    year: int
    date: str
    type: str
    title: str
    texts: tuple[str, ...]


@dataclass
class Corpus:
    """A generated corpus; paragraph ids (pids) number its paragraphs from 0 in report order."""

    reports: list[BenchReport]
    info: dict

    @property
    def paragraphs(self) -> int:
        return sum(len(r.texts) for r in self.reports)

    @property
    def chars(self) -> int:
        return sum(len(t) for r in self.reports for t in r.texts)

    def rows(self) -> Iterator[tuple[int, BenchReport, int, str]]:
        """(pid, report, paragraph number from 1, text) for every paragraph."""
        pid = 0
        for report in self.reports:
            for n, text in enumerate(report.texts, 1):
                yield pid, report, n, text
                pid += 1

    def to_reports(self) -> list:
        """The corpus as `indexer.models.Report`s, ready for `build_index`."""
        from indexer.models import Paragraph, Report

        return [
            Report(
                id=r.id,
                source=f"bench/{r.id}.txt",
                district=r.district,
                level=r.level,
                year=r.year,
                date=r.date,
                type=r.type,
                title=r.title,
                paragraphs=tuple(Paragraph(n=n, text=t) for n, t in enumerate(r.texts, 1)),
            )
            for r in self.reports
        ]

    def first_pids(self) -> dict[str, int]:
        """Report id → pid of its first paragraph."""
        starts = accumulate((len(r.texts) for r in self.reports), initial=0)
        return {r.id: start for r, start in zip(self.reports, starts, strict=False)}


def source_root() -> Path:
    """../shared/corpus when present (all of it), else the bundled Hangzhou sample."""
    return SHARED if (SHARED / "national").is_dir() else BUNDLED


def _source_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.txt") if p.is_file())


def source_paragraphs(root: Path | None = None) -> tuple[list[str], str]:
    """The real paragraphs to sample from, and how they were read."""
    root = root or source_root()
    from indexer.ingest import ingest

    folders = sorted(str(p) for p in root.iterdir() if p.is_dir()) or [str(root)]
    result = ingest(folders, progress=False)
    return [
        p.text for r in result.reports for p in r.paragraphs if p.text.strip()
    ], "indexer.ingest"


def _fingerprint(root: Path) -> str:
    """Changes when the source files, the generator or the ingestion pipeline change."""
    h = hashlib.sha256(f"{GENERATOR_VERSION}".encode())
    for path in _source_files(root):
        stat = path.stat()
        h.update(f"{path.relative_to(root)}|{stat.st_size}|{int(stat.st_mtime)}".encode())
    for name in ("ingest.py", "split.py", "clean.py", "paragraphs.py", "metadata.py"):
        module = ROOT / "indexer" / name
        if module.exists():
            h.update(module.read_bytes())
    return h.hexdigest()[:12]


def _places(rng: random.Random) -> tuple[list[tuple[str, str]], list[float]]:
    """About 100 places with Zipf-like weights (the rank order shuffled, so seeded)."""
    places = (
        [(d, "district") for d in DISTRICTS]
        + [(c, "city") for c in CITIES]
        + [(p, "province") for p in PROVINCES]
    )
    ranks = list(range(1, len(places) + 1))
    rng.shuffle(ranks)
    return places, [1 / r**ZIPF_EXPONENT for r in ranks]


def generate(texts: list[str], paragraphs: int, seed: int = 20240601) -> list[BenchReport]:
    """Exactly `paragraphs` paragraphs in reports of 100–300, deterministic for a seed."""
    if not texts:
        raise ValueError("no source paragraphs to sample from")
    rng = random.Random(seed)
    places, place_weights = _places(rng)
    year_weights = [YEAR_GROWTH ** (y - YEARS[0]) for y in YEARS]
    types, type_weights = zip(*TYPE_WEIGHTS, strict=True)
    reports: list[BenchReport] = []
    left = paragraphs
    while left > 0:
        size = min(left, rng.randint(100, 300))
        chosen: list[str] = []
        while len(chosen) < size:  # runs of consecutive real paragraphs, with replacement
            start, run = rng.randrange(len(texts)), rng.randint(20, 80)
            chosen.extend(texts[(start + i) % len(texts)] for i in range(run))
        ((district, level),) = rng.choices(places, place_weights)
        (year,) = rng.choices(YEARS, year_weights)
        (type_,) = rng.choices(types, type_weights)
        reports.append(
            BenchReport(
                id=f"r{len(reports):06d}",
                district=district,
                level=level,
                year=year,
                date=f"{year}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}",
                type=type_,
                title=f"{year}年{district}{type_}",
                texts=tuple(chosen[:size]),
            )
        )
        left -= size
    return reports


def corpus_path(paragraphs: int, seed: int = 20240601, work: Path = WORK) -> Path:
    """Generate (or reuse) the cached corpus of this size; returns the cache file."""
    root = source_root()
    path = work / "corpus" / f"{paragraphs}-s{seed}-{_fingerprint(root)}.jsonl"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    texts, reader = source_paragraphs(root)
    reports = generate(texts, paragraphs, seed)
    info = {
        "paragraphs": paragraphs,
        "chars": sum(len(t) for r in reports for t in r.texts),
        "reports": len(reports),
        "source": _shown(root),
        "source_paragraphs": len(texts),
        "source_chars": sum(len(t) for t in texts),
        "reader": reader,
        "seed": seed,
        "generator_version": GENERATOR_VERSION,
        "districts": len({r.district for r in reports}),
        "years": [min(r.year for r in reports), max(r.year for r in reports)],
    }
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        out.write(json.dumps(info, ensure_ascii=False) + "\n")
        for r in reports:
            row = [r.id, r.district, r.level, r.year, r.date, r.type, r.title, list(r.texts)]
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(path)
    log.info("generated %s", path)
    return path


def _shown(root: Path) -> str:
    try:
        return "../" + str(root.relative_to(ROOT.parent)) if root != BUNDLED else "corpus/"
    except ValueError:
        return str(root)


def load(path: Path) -> Corpus:
    """Read a cached corpus file."""
    with path.open(encoding="utf-8") as f:
        info = json.loads(f.readline())
        reports = []
        for line in f:
            *meta, texts = json.loads(line)
            reports.append(BenchReport(*meta, texts=tuple(texts)))
    return Corpus(reports=reports, info=info)
