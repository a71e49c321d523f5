"""Plain-text tables for a terminal, lined up with Chinese (double-width) characters: what `budgetqa`
prints and what the evaluation reports print."""
from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def render_grid(headers: list, rows: list[list], max_width: int = 40) -> str:
    """Headers, a rule, then the rows; a cell wider than `max_width` is cut with …."""
    def cut(v) -> str:
        s = "" if v is None else str(v)
        while width(s) > max_width:
            s = s[:-2] + "…"
        return s

    table = [[cut(h) for h in headers]] + [[cut(v) for v in r] for r in rows]
    widths = [max(width(r[i]) for r in table) for i in range(len(headers))]
    lines = []
    for n, r in enumerate(table):
        lines.append("  ".join(v + " " * (widths[i] - width(v)) for i, v in enumerate(r)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
