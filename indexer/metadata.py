"""Stage 5, metadata: district, level, year, date, type, title and speaker of one report.

Read from the title block and header lines first, then the body text, then the file name; a
folder's MANIFEST.csv overrides what it states. What cannot be determined stays empty. Each
field has its module: the place `report_place` (the places a body names: `place_mentions`),
the year and date `report_year`, the type `report_type`, the title `report_title`; here they
are put together.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from pathlib import Path

from indexer.models import Metadata
from indexer.places import NATIONAL
from indexer.report_place import Placing, district_of, hierarchy_of, level_of, place_of
from indexer.report_title import BARE_TITLE, clean_title
from indexer.report_type import congress_kind, type_of
from indexer.report_year import HEADER_DATE_KEYS, header_date, session_of, year_of
from indexer.split import RawReport
from indexer.years import national_speaker

__all__ = [
    "Inferred",
    "Placing",
    "district_of",
    "hierarchy_of",
    "infer",
    "level_of",
    "place_of",
    "clean_title",
    "congress_kind",
    "read_manifest",
    "session_of",
    "type_of",
    "year_of",
]


@dataclass(frozen=True, kw_only=True)
class Inferred(Metadata):
    """The metadata read from one report (fields as `indexer.models.Metadata` defines them),
    and why fields were left empty."""

    notes: tuple[tuple[str, str], ...] = ()  # (field, why it was left empty)


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """MANIFEST.csv → {file name: {field: value}} with region mapped to district."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        name = (row.get("file") or "").strip()
        if not name:
            continue
        fields = {
            "district": (row.get("region") or row.get("district") or "").strip(),
            "level": (row.get("level") or "").strip(),
            "year": (row.get("year") or "").strip(),
            "title": (row.get("title") or "").strip(),
            "url": (row.get("url") or row.get("source_url") or "").strip(),
        }
        out[name] = {k: v for k, v in fields.items() if v}
    return out


def infer(
    raw: RawReport,
    text: str,
    header: dict[str, str] | None = None,
    filename: str = "",
    manifest: dict[str, str] | None = None,
) -> Inferred:
    """All metadata of one report; the manifest row, when given, overrides what it states."""
    header = header or {}
    if page_title := clean_title(header.get("标题", "")):
        header = {**header, "标题": page_title}
        if not raw.title or (BARE_TITLE.fullmatch(raw.title) and raw.title in page_title):
            raw = replace(raw, title=page_title)  # the page's title, when the text has none
    date = raw.date
    if not date:
        for key in HEADER_DATE_KEYS:
            if key in header and (date := header_date(header[key])):
                break
    kind = type_of(raw, text, filename)
    meta = Inferred(
        year=year_of(raw, header, text, filename, kind),
        date=date,
        type=kind,
        title=raw.title,
        speaker=raw.speaker,
    )
    place, note = place_of(raw, text, header, filename, meta.year)
    notes = (("district", note), ("level", note)) if note else ()
    meta = replace(
        meta,
        district=place.name,
        level=place.level,
        province=place.province,
        city=place.city,
        notes=meta.notes + notes,
    )
    if manifest:
        changes: dict = {k: v for k, v in manifest.items() if k in ("district", "level", "title")}
        if manifest.get("year", "").isdigit():
            changes["year"] = int(manifest["year"])
        if "district" in changes and "level" not in changes:
            changes["level"] = level_of(changes["district"])
        if "district" in changes:
            year = changes.get("year", meta.year)
            changes["province"], changes["city"] = hierarchy_of(changes["district"], year)
            changes["notes"] = tuple(n for n in meta.notes if n[0] not in ("district", "level"))
        meta = replace(meta, **changes)
    if not meta.speaker and meta.district == NATIONAL:
        meta = replace(meta, speaker=national_speaker(meta.type, meta.year))
    if meta.date and meta.year and int(meta.date[:4]) != meta.year:
        meta = replace(meta, date="")  # a date that contradicts the stated year is not kept
    if not meta.title and meta.year and meta.district and meta.type:
        where = "" if meta.district == "全国" else meta.district
        meta = replace(meta, title=f"{meta.year}年{where}{meta.type}")
    return meta
