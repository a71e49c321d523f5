"""Who published a disclosure, for which year, and what kind it is — from its own words."""
from __future__ import annotations

import re
from collections import Counter

from index.chars import squash
from index.errors import IngestError
from index.kinds import table_kind
from index.model import Document, Heading, Paragraph
from index.structure import PART

_YEAR = re.compile(r"(20\d{2})\s*年?\s*(?:度)?\s*(?:部门|单位)?\s*(?:预算|决算)")
_ANY_YEAR = re.compile(r"(20\d{2})\s*年")
_UNIT_IN_TITLE = re.compile(r"^(.*?)(?:20\d{2}\s*年)")


def document_metadata(doc: Document, title_lines: list[str]) -> None:
    """Fill title, unit, year, 预算/决算 and 部门/单位 in place; refuse non-disclosures."""
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    doc.title = "".join(squash(t) for t in title_lines)[:120]
    context = doc.title + " " + " ".join(headings[:6])

    # a file of tables alone (one half of a 文件 + 表格 publication) is a disclosure too
    known_tables = [t for t in doc.raw_tables if table_kind(t.title) or _has_figures(t)]
    parts = [h for h in headings if PART.match(h)]
    budget_words = sum(("预算" in t or "决算" in t) for t in headings + paragraphs[:40])
    if not known_tables and (len(parts) < 2 or budget_words < 2):
        raise IngestError(doc.path, "not a budget disclosure (no 预算/决算 tables or sections found)")

    m = _YEAR.search(squash(context)) or _YEAR.search(context)
    if m:
        doc.year = int(m.group(1))
    else:
        years = Counter(int(y) for h in headings for y in _ANY_YEAR.findall(h))
        doc.year = years.most_common(1)[0][0] if years else None

    if not doc.unit_name:
        m = _UNIT_IN_TITLE.match(doc.title)
        doc.unit_name = m.group(1) if m and m.group(1) else doc.title[:40]
    doc.unit_name = canonical_unit(doc.unit_name)
    doc.budget_kind = "决算" if "决算" in context else "预算"
    if re.search(r"单位(预算|决算)", squash(context)):
        doc.scope = "单位"
    elif re.search(r"部门(预算|决算)", squash(context)):
        doc.scope = "部门"


def canonical_unit(name: str) -> str:
    """One name per body, whichever part of a disclosure printed it: 中国共产党江苏省委员会办公厅 /
    中共江苏省委办公厅 → 江苏省委办公厅 (the narrative and the tables PDF then join as one document)."""
    name = re.sub(r"^(中国共产党|中共)", "", name)
    return re.sub(r"(省|市|州|县|区)委员会", r"\1委", name)


def _has_figures(raw) -> bool:
    """A table of several rows carrying figures."""
    rows = [r for r in raw.body_rows if any(re.fullmatch(r"[-+]?[\d,]+(\.\d+)?", c.strip()) for c in r.cells)]
    return raw.layout == "cells" and len(rows) >= 3
