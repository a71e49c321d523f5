"""Arithmetic checks of every table: real disclosures contain mistakes — report, never fail.

Rules (all derived from the table itself, so they hold for any layout):
- children sum to parents by subject code (类 = Σ 款, 款 = Σ 项), in every column;
- the 总计/合计 row = Σ 类 rows, in every column;
- a total column (合计/总计/小计) = Σ its sibling columns in the header tree
  (合计 = 基本支出 + 项目支出, 总计 = 财政拨款小计 + 单位资金 + …);
- in two-sided tables 收入总计 = 支出总计, and the numbered income parts (一、二、) add up to the row they
  belong to (`income_groups`).
A difference within rounding (≤ 0.01) is reported at severity "rounding", larger as "error".
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from index.model import Column, Row, Table

TOLERANCE = 0.01
_EPS = 1e-6
TOTAL_LABEL = re.compile(r"^(总计|合计|总计[:：]?|合\s*计)$|^(收入|支出)(总计|合计)$")
TOTAL_COLUMN = re.compile(r"(^|/)([^/]*小计|总计|合计|项目支出合计)$")


@dataclass
class Finding:
    rule: str
    severity: str  # rounding / error
    message: str
    expected: float
    actual: float
    difference: float
    tolerance: float = TOLERANCE
    table_index: int | None = None
    line: int | None = None
    page: int | None = None
    sources: list = field(default_factory=list)


def _finding(rule, message, expected, actual, table_index, row: Row | None, sources) -> Finding | None:
    diff = round(actual - expected, 6)
    if abs(diff) <= _EPS:
        return None
    severity = "rounding" if abs(diff) <= TOLERANCE + _EPS else "error"
    return Finding(rule, severity, message, round(expected, 2), round(actual, 2), round(diff, 2), TOLERANCE,
                   table_index, row.line if row else None, row.page if row else None, sources)


def _where(table: Table, row: Row, col: Column | None = None) -> dict:
    name = f"表{table.number} {table.title}" if table.number else table.title
    return {"table": name, "row": row.label, "code": row.code,
            "column": col.path if col else None, "line": row.line, "page": row.page}


def check_table(table: Table, index: int | None = None) -> list[Finding]:
    findings: list[Finding] = []
    sides = defaultdict(list)
    for row in table.rows:
        sides[row.side].append(row)
    for side_rows in sides.values():
        findings += _check_codes(table, side_rows, index)
        findings += _check_total_row(table, side_rows, index)
    findings += _check_columns(table, index)
    findings += _check_two_sided(table, index)
    return [f for f in findings if f]


def check_tables(tables: list[Table]) -> list[Finding]:
    out: list[Finding] = []
    for i, table in enumerate(tables):
        out += check_table(table, i)
    return out


def _known(row: Row, cols) -> bool:
    """False when a cell is missing: a flattened row whose number could not be placed is unknown, not 0."""
    have = {id(c.column) for c in row.cells}
    return all(id(col) in have for col in cols)


def _value(row: Row, col: Column) -> float:
    for c in row.cells:
        if c.column is col:
            return c.value or 0.0
    return 0.0


def _check_codes(table: Table, rows: list[Row], index) -> list[Finding]:
    findings = []
    coded = [r for r in rows if r.code]
    by_code = defaultdict(list)
    for r in coded:
        by_code[r.code].append(r)
    for parent in coded:
        depth = len(parent.code)
        if depth not in (3, 5):
            continue
        children = [r for r in coded if len(r.code) == depth + 2 and r.code.startswith(parent.code)]
        if not children:
            continue
        if len(by_code[parent.code]) > 1:
            continue  # item rows (项目) sharing a code are not parents
        for col in table.columns:
            if col.side != parent.side or not all(_known(r, [col]) for r in [parent] + children):
                continue
            total = sum(_value(c, col) for c in children)
            f = _finding("children_sum", f"{parent.code} {parent.label}「{col.path}」= {_value(parent, col):.2f}，"
                         f"其下级科目合计 {total:.2f}", total, _value(parent, col), index, parent,
                         [_where(table, parent, col)] + [_where(table, c, col) for c in children])
            if f:
                findings.append(f)
    return findings


def _check_total_row(table: Table, rows: list[Row], index) -> list[Finding]:
    totals = [r for r in rows if not r.code and TOTAL_LABEL.match(r.label or "")]
    classes = [r for r in rows if r.code and len(r.code) == 3]
    if not totals or not classes:
        return []
    findings = []
    for total in totals:
        for col in table.columns:
            if col.side != total.side or not all(_known(r, [col]) for r in [total] + classes):
                continue
            s = sum(_value(c, col) for c in classes)
            f = _finding("total_row", f"{total.label}「{col.path}」= {_value(total, col):.2f}，各类合计 {s:.2f}",
                         s, _value(total, col), index, total, [_where(table, total, col)])
            if f:
                findings.append(f)
    return findings


def column_identities(columns: list[Column]) -> list[tuple[Column, list[Column]]]:
    """(total column, the columns it sums) from the header tree of a table."""
    groups: dict[str, list[Column]] = defaultdict(list)
    for col in columns:
        parent = col.path.rsplit("/", 1)[0] if "/" in col.path else ""
        groups[(col.side, parent)].append(col)
    identities = []
    for (side, parent), cols in groups.items():
        totals = [c for c in cols if TOTAL_COLUMN.search(c.path)]
        if len(totals) != 1:
            continue
        total = totals[0]
        parts: list[Column] = [c for c in cols if c is not total]
        # a sub-group (e.g. 财政拨款（补助）/…) contributes through its own total, or all its leaves
        prefix = f"{parent}/" if parent else ""
        sub_groups = {c.path[len(prefix):].split("/")[0] for c in columns if c.side == side
                      and c.path.startswith(prefix) and "/" in c.path[len(prefix):]}
        for name in sorted(sub_groups):
            members = [c for c in columns if c.side == side and c.path.startswith(f"{prefix}{name}/")]
            direct = [c for c in members if c.path.count("/") == (prefix + name).count("/") + 1]
            sub_total = [c for c in direct if TOTAL_COLUMN.search(c.path)]
            parts += sub_total[:1] if sub_total else [c for c in members if not TOTAL_COLUMN.search(c.path)]
        if parts:
            identities.append((total, parts))
    return identities


def _check_columns(table: Table, index) -> list[Finding]:
    findings = []
    for total, parts in column_identities(table.columns):
        for row in table.rows:
            if row.side != total.side or not _known(row, [total] + parts):
                continue
            s = sum(_value(row, c) for c in parts)
            names = " + ".join(c.path.split("/")[-1] for c in parts)
            f = _finding("column_sum", f"{row.code or ''} {row.label}「{total.path}」= {_value(row, total):.2f}，"
                         f"{names} = {s:.2f}", s, _value(row, total), index, row, [_where(table, row, total)])
            if f:
                findings.append(f)
    return findings


def _check_two_sided(table: Table, index) -> list[Finding]:
    sides = [s for s in {r.side for r in table.rows} if s]
    if len(sides) != 2:
        return []
    findings = []
    income_side = next((s for s in sides if "收入" in s), None)
    spend_side = next((s for s in sides if "支出" in s), None)
    income_total = next((r for r in table.rows if r.side == income_side and re.search(r"总计$", r.label)), None)
    spend_total = next((r for r in table.rows if r.side == spend_side and re.search(r"总计$", r.label)), None)
    if income_total and spend_total and income_total.cells and spend_total.cells:
        a, b = income_total.cells[0].value or 0.0, spend_total.cells[0].value or 0.0
        f = _finding("income_equals_spending", f"收入总计 {a:.2f} ≠ 支出总计 {b:.2f}", a, b, index, spend_total,
                     [_where(table, income_total), _where(table, spend_total)])
        if f:
            findings.append(f)
    for target, parts in income_groups([r for r in table.rows if r.side == income_side]):
        if not target.cells or len(parts) < 2:
            continue
        s = sum(r.cells[0].value or 0.0 for r in parts if r.cells)
        f = _finding("income_parts", f"{target.label} {target.cells[0].value or 0:.2f}，"
                     f"{' + '.join(r.label for r in parts)} = {s:.2f}", s, target.cells[0].value or 0.0,
                     index, target, [_where(table, r) for r in [target] + parts])
        if f:
            findings.append(f)
    return findings


NUMBERED_PART = re.compile(r"^[一二三四五六七八九十]+、")
INCOME_TOTAL = re.compile(r"^((本年|当年)?收入(合计|小计|总计)|总计|合计)$")


def income_groups(rows: list[Row]) -> list[tuple[Row, list[Row]]]:
    """Numbered income parts (一、二、…; a new group at each 一、) and the row they add up to: the row just
    above them when there is one (年初财政拨款结转和结余 over its 一、二、三、), else the first total row below
    them (本年收入合计 in a 决算, 当年收入小计 in 江苏, 收入总计 where the parts are 本年收入 and 上年结转)."""
    groups: list[list[int]] = []
    for i, row in enumerate(rows):
        if NUMBERED_PART.match(row.label or ""):
            if (row.label or "").startswith("一、") or not groups:
                groups.append([])
            groups[-1].append(i)
    out = []
    for members in groups:
        first, last = members[0], members[-1]
        above = rows[first - 1] if first > 0 else None
        if above is not None and not NUMBERED_PART.match(above.label or "") and not INCOME_TOTAL.match(above.label or ""):
            target = above
        else:
            target = next((r for r in rows[last + 1:] if INCOME_TOTAL.match(r.label or "")), None)
        if target is not None:
            out.append((target, [rows[i] for i in members]))
    return out
