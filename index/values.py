"""Numbers as printed in disclosure tables and sentences."""
from __future__ import annotations

import re

_NUMBER = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DASHES = {"-", "—", "－", "–", "--", "——"}


def parse_value(raw: str) -> float | None:
    """`1,036.02` → 1036.02, `121` → 121.0, `-` or empty → 0.0, text → None.

    An empty cell in a data column means "not arranged": its value is 0, and the caller keeps
    the raw text ("") so the store can tell an empty cell from a printed zero.
    """
    text = raw.strip().replace(" ", "")
    if text == "" or text in _DASHES:
        return 0.0
    if _NUMBER.match(text):
        return float(text.replace(",", ""))
    if text.endswith("%") and _NUMBER.match(text[:-1]):
        return float(text[:-1].replace(",", ""))
    return None


def is_number(raw: str) -> bool:
    text = raw.strip().replace(" ", "")
    return bool(text) and bool(_NUMBER.match(text))


def plain_number(text: str) -> str:
    """Drop thousands separators: the form figures are compared in."""
    return text.replace(",", "")


def format_amount(value: float) -> str:
    """Two decimals, as the disclosures print amounts in 万元."""
    return f"{value:,.2f}"
