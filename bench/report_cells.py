"""How RESULTS.md writes a figure and a table: thousands separators, "–" for a missing value,
ratios as "1.23×", and Markdown tables. Shared by bench/report.py and bench/report_size.py."""

from __future__ import annotations


def figure(value, digits: int = 1) -> str:
    """A number with thousands separators (floats to `digits` places); "–" for None or NaN."""
    if value is None:
        return "–"
    if isinstance(value, float):
        if value != value:  # NaN
            return "–"
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def ratio(a, b) -> str:
    """a / b as "1.23×"; "–" when either is missing or zero."""
    if not a or not b:
        return "–"
    return f"{a / b:.2f}×"


def digits_for(value) -> int:
    """Places to show: 3 below 10, else 1."""
    return 3 if value is not None and value < 10 else 1


def md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table's lines, then a blank line."""
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]
