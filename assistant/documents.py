"""Which documents a frame is about: bodies × years × 预算/决算 × 部门/单位, or why there are none.

A body named with no year means its latest document for a single figure and every year for a change
or a comparison; 今年/上年 are read against the body's own documents. When a body has both a 部门 and a
单位 (or a 预算 and a 决算) document of the same year and the question does not say which, the 部门 预算
is used and the answer says which one it used and what else exists.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from assistant import compose
from assistant.frame import Frame
from assistant.lexicon import Body, Lexicon
from index.read import DocInfo

ACROSS_YEARS = {"difference", "growth", "parts", "rank", "max", "min", "count", "sum"}


@dataclass
class Selection:
    docs: list[DocInfo] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # which document was chosen among several, and why
    problem: str | None = None  # why no document answers


def _known(lexicon: Lexicon) -> str:
    return "、".join(f"{b.name}（{'、'.join(map(str, b.years))}年）" for b in lexicon.bodies[:12]) + (
        "等" if len(lexicon.bodies) > 12 else "")


def _preferred(docs: list[DocInfo], frame: Frame) -> tuple[list[DocInfo], list[DocInfo]]:
    """Documents of one body and year narrowed to the kind and scope asked: (chosen, the others)."""
    if len(docs) > 1 and _wants_both(frame, docs):
        return docs, []
    pool = docs
    if frame.budget_kind:
        pool = [d for d in pool if d.budget_kind == frame.budget_kind] or pool
    else:
        pool = [d for d in pool if d.budget_kind == "预算"] or pool
    if frame.scope:
        pool = [d for d in pool if d.scope == frame.scope] or pool
    elif len(pool) > 1:
        pool = [d for d in pool if d.scope == "部门"] or pool[:1]
    chosen = pool[:1] if len(pool) > 1 and not _wants_both(frame, pool) else pool
    return chosen, [d for d in docs if d not in chosen]


def _wants_both(frame: Frame, pool: list[DocInfo]) -> bool:
    """The question compares the two kinds or scopes of one body and year (部门 vs 单位, 预算 vs 决算)."""
    text = frame.text
    scopes = {d.scope for d in pool}
    kinds = {d.budget_kind for d in pool}
    return (len(scopes) > 1 and "部门" in text and "单位" in text) or (len(kinds) > 1 and "预算" in text and "决算" in text
                                                                      and frame.operation != "execution")


def _years_for(body: Body, frame: Frame) -> list[int] | None:
    """The years asked of a body: named, or 今年/上年 read against its documents; None = any."""
    if frame.years:
        years = [frame.body_years[body.name]] if body.name in frame.body_years else list(frame.years)
        if frame.year_end:  # "截至2024年底" is stated in the 2025 budget
            have = set(body.years)
            years = [y + 1 if y + 1 in have and y not in have else y for y in years]
        return years
    if frame.relative_year is not None and body.years:
        latest = max(body.years)
        return [latest + frame.relative_year] if frame.relative_year else [latest]
    return None


def select(frame: Frame, lexicon: Lexicon) -> Selection:
    sel = Selection()
    if frame.unknown_bodies and not frame.bodies:
        sel.problem = compose.no_body(frame.unknown_bodies, _known(lexicon))
        return sel
    named = [b for b in lexicon.bodies if b.name in frame.bodies]
    bodies = named or lexicon.bodies
    missing: list[tuple[Body, list[int]]] = []
    for body in bodies:
        years = _years_for(body, frame)
        mine = body.documents
        if years is not None:
            mine = [d for d in mine if d.year in years]
            if not mine:
                if named:
                    missing.append((body, years))
                continue
        elif named and frame.operation not in ACROSS_YEARS and len({d.year for d in mine}) > 1:
            latest = max(d.year or 0 for d in mine)
            mine = [d for d in mine if (d.year or 0) == latest]
        by_year: dict[int | None, list[DocInfo]] = {}
        for d in mine:
            by_year.setdefault(d.year, []).append(d)
        own = frame
        if body.name in frame.body_kinds:  # this body's own kind of document, as the question pairs them
            scope, kind = frame.body_kinds[body.name]
            own = replace(frame, scope=scope or frame.scope, budget_kind=kind)
        for year in sorted(by_year, key=lambda y: y or 0):
            chosen, others = _preferred(by_year[year], own)
            sel.docs += chosen
            if others and len(chosen) == 1:
                note = compose.choice_note(chosen[0], others)
                if note:
                    sel.notes.append(note)
    if frame.budget_kind == "决算" and sel.docs and not any(d.budget_kind == "决算" for d in sel.docs) \
            and not frame.body_kinds:
        # what was spent is not what was planned: a budget never answers a question about final accounts
        have = sorted({d.kind_label + (f"（{d.year}年）" if d.year else "") for d in sel.docs})
        sel.problem = compose.no_kind("、".join(b.name for b in named) or "所指单位", "决算（实际支出）", have)
        return sel
    if not sel.docs:
        if missing:
            body, years = missing[0]
            sel.problem = compose.no_year(body.name, years, body.years)
        else:
            asked = "、".join(map(str, frame.years)) if frame.years else ""
            sel.problem = f"语料中没有{asked + '年的' if asked else ''}预算公开文件。已收录：{_known(lexicon)}。"
    elif missing and frame.operation in ("difference", "growth", "parts", "sum"):
        body, years = missing[0]
        sel.problem = compose.no_year(body.name, years, body.years)
    return sel
