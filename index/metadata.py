"""Who published a disclosure, for which year, and what kind it is — from its own words.

Each fact is looked for where documents state it, in order: the title (cover page), the 编制单位 /
部门 lines of its tables, its running headers, its headings and first sentences, then the file
name. A document whose unit cannot be told fails with one error naming the file: an empty unit
would let its figures answer questions about other bodies.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from index.chars import squash
from index.errors import IngestError
from index.kinds import table_kind
from index.model import Document, Heading, Paragraph
from index.structure import PART

_YEAR = re.compile(r"(20\d{2})\s*年?\s*(?:度)?\s*(?:部门|单位)?\s*(?:预算|决算)")
_ANY_YEAR = re.compile(r"(20\d{2})\s*年")
_SHORT_YEAR = re.compile(r"(?<!\d)(\d{2})年(?:度)?(?:部门|单位)?(?:预算|决算)")
_UNIT_IN_TITLE = re.compile(r"^(.{3,40}?)(?:20\d{2}年度?|(?:部门|单位)?(?:预算|决算))")
# a body's name as its own text gives it: "关于 X 2025 年…", "2025年 X 单位概况", "X 无下属预算单位", "X 是…单位"
_UNIT_IN_TEXT = [
    re.compile(r"关于(.{4,40}?)20\d{2}年"),
    re.compile(r"20\d{2}年度?(.{4,40}?)(?:部门|单位)(?:概况|预算|决算)"),
    re.compile(r"^(.{4,40}?)(?:无下属|下设|的主要职能|主要职能|内设|编制数|是.{0,20}单位)"),
]
_BODY_END = re.compile(r"(厅|局|委|办|院|中心|馆|所|站|会|处|室|队|社|校|部|署|行|府|团|台|园|区|县|镇|街道办事处)$")
_KIND_WORDS = re.compile(r"(20\d{2}|\d{2})?年?度?(部门|单位)?(预算|决算)(公开)?(文件|表格|表|说明)?$")


def document_metadata(doc: Document, title_lines: list[str], running: list[str] | None = None) -> None:
    """Fill title, unit, year, 预算/决算 and 部门/单位 in place; refuse non-disclosures and nameless ones."""
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    doc.title = "".join(squash(t) for t in title_lines)[:120]
    running = running or []
    context = doc.title + " " + " ".join(headings[:6]) + " " + " ".join(running[:3])

    # a file of tables alone (one half of a 文件 + 表格 publication) is a disclosure too
    known_tables = [t for t in doc.raw_tables if table_kind(t.title) or _has_figures(t)]
    parts = [h for h in headings if PART.match(h)]
    budget_words = sum(("预算" in t or "决算" in t) for t in headings + paragraphs[:40])
    if not known_tables and (len(parts) < 2 or budget_words < 2):
        raise IngestError(doc.path, "not a budget disclosure (no 预算/决算 tables or sections found)")

    doc.year = _year(doc, context, headings)
    if not doc.unit_name:
        doc.unit_name = _unit(doc, running, headings, paragraphs)
    doc.unit_name = canonical_unit(doc.unit_name)
    if not doc.unit_name:
        raise IngestError(doc.path, "cannot tell which body published it: no unit name in its title, 编制单位/部门 "
                                    "lines, running headers, text or file name")
    stem = Path(doc.path).stem
    doc.budget_kind = "决算" if "决算" in context or ("决算" in stem and "预算" not in context) else "预算"
    if re.search(r"单位(预算|决算)", squash(context)):
        doc.scope = "单位"
    elif re.search(r"部门(预算|决算)", squash(context)):
        doc.scope = "部门"
    else:  # a title without either ("2018年度X预算公开"): the parts it is made of say "部门概况", "单位收支…"
        said = Counter(m.group(1) for h in headings[:30] for m in re.finditer(r"(部门|单位)(?:概况|预算|决算|收支)", squash(h)))
        if said and len(said) == 1:
            doc.scope = next(iter(said))


def _year(doc: Document, context: str, headings: list[str]) -> int | None:
    m = _YEAR.search(squash(context)) or _YEAR.search(context)
    if m:
        return int(m.group(1))
    years = Counter(int(y) for h in headings for y in _ANY_YEAR.findall(h))
    if years:
        return years.most_common(1)[0][0]
    stem = Path(doc.path).stem
    for text in [t.title for t in doc.raw_tables] + [stem]:  # "2017年政府采购预算表", "…2018预算公开"
        found = _ANY_YEAR.findall(text) or re.findall(r"(20\d{2})(?=年|度|预算|决算|部门|单位)", text)
        if found:
            return int(found[0])
    short = _SHORT_YEAR.search(stem)  # "…办公室25年预算"
    return 2000 + int(short.group(1)) if short else None


def _unit(doc: Document, running: list[str], headings: list[str], paragraphs: list[str]) -> str:
    """The publishing body from the title, running headers, headings and first sentences, or the file name."""
    for text in [doc.title] + running:  # "X2025年单位预算公开", "2017年度X部门预算公开"
        m = _UNIT_IN_TITLE.match(re.sub(r"^20\d{2}年度?", "", squash(text)))
        if m and _is_body(m.group(1)):
            return m.group(1)
    for text in headings[:12] + paragraphs[:12]:
        for pattern in _UNIT_IN_TEXT:
            m = pattern.search(squash(text))
            if m and _is_body(m.group(1)):
                return m.group(1)
    name = re.sub(r"^(20\d{2})年度?", "", Path(doc.path).stem)
    name = _KIND_WORDS.sub("", name)
    name = re.sub(r"(20\d{2}|\d{2})年?度?$", "", name)
    return name if _is_body(name) else ""


def _is_body(name: str) -> bool:
    """A plausible body name: a few characters ending as institutions' names end."""
    name = re.sub(r"^(中国共产党|中共)", "", squash(name))
    return 3 <= len(name) <= 40 and bool(_BODY_END.search(name)) and not re.search(r"[，。；：:,]", name)


def canonical_unit(name: str) -> str:
    """One name per body, whichever part of a disclosure printed it: 中国共产党江苏省委员会办公厅 /
    中共江苏省委办公厅 → 江苏省委办公厅 (the narrative and the tables PDF then join as one document)."""
    name = re.sub(r"^(中国共产党|中共)", "", squash(name))
    return re.sub(r"(省|市|州|县|区)委员会", r"\1委", name)


def body_core(name: str) -> str:
    """A body's name without its region prefix and office suffix, to match the forms one body goes by
    (江苏省人大常委会办公厅 / 省人大常委会 → 人大常委会)."""
    core = canonical_unit(name)
    core = re.sub(r"^(.{2,8}?(省|自治区|市))?", "", core) if not core.startswith(("省", "市")) else core[1:]
    core = re.sub(r"(办公厅|办公室|机关)$", "", core)
    return core


def same_body(a: str, b: str) -> bool:
    """Two names of one body, as two files of one disclosure print them."""
    if canonical_unit(a) == canonical_unit(b):
        return True
    ca, cb = body_core(a), body_core(b)
    return len(min(ca, cb, key=len)) >= 2 and (ca == cb or ca.startswith(cb) or cb.startswith(ca))


def _has_figures(raw) -> bool:
    """A table of several rows carrying amounts (with decimals or thousands separators, not years)."""
    amount = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+]?\d+\.\d+")
    rows = [r for r in raw.body_rows if any(amount.fullmatch(c.strip()) for c in r.cells)]
    return raw.layout == "cells" and len(rows) >= 3
