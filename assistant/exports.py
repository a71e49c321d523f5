"""Exports a user takes away: rows as CSV or XLSX, stored tables as grids, the audit as CSV or Markdown.

One row model for every export — a list of column names and rows of plain values — so the CLI
(`budgetqa table --csv/--xlsx`, `budgetqa audit --format`) and the UI's download buttons write
the same files. CSV is UTF-8 with a byte-order mark, which is what spreadsheet programs need to
read Chinese; XLSX is written by openpyxl with amounts as numbers.
"""
from __future__ import annotations

import csv
import io
import json
import re

from assistant import ui_text
from index.store import Store

Grid = tuple[list[str], list[list]]  # column names, rows

_AMOUNT = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def to_csv(columns: list[str], rows: list[list], bom: bool = True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([["" if v is None else v for v in r] for r in rows])
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


def read_csv(data: bytes) -> list[list[str]]:
    """The rows of a CSV written by `to_csv` (header first)."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def to_xlsx(sheets: dict[str, Grid], title: str | None = None) -> bytes:
    """A workbook with one sheet per grid; printed amounts become numbers (shown with two decimals)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for name, (columns, rows) in sheets.items():
        sheet = book.create_sheet(_sheet_name(name))
        offset = 0
        if title:
            sheet.append([title])
            sheet.cell(1, 1).font = Font(bold=True)
            offset = 1
        sheet.append(columns)
        for cell in sheet[offset + 1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_number(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, float):
                    cell.number_format = "#,##0.00"
        for k, column in enumerate(columns, start=1):
            width = max([_width(column)] + [_width(r[k - 1]) for r in rows if k - 1 < len(r)])
            sheet.column_dimensions[sheet.cell(offset + 1, k).column_letter].width = min(60, width + 2)
        sheet.freeze_panes = sheet.cell(offset + 2, 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "Sheet"


def _number(value):
    """A printed amount as a float (1,036.02 → 1036.02); anything else as it is."""
    if isinstance(value, str) and _AMOUNT.fullmatch(value.strip()):
        return float(value.replace(",", ""))
    return value


def _width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


# ---- stored tables ---------------------------------------------------------------------------------


def table_label(number: str | None, title: str | None) -> str:
    """表10 财政拨款“三公”经费支出情况表; a table printed without a number is named by its title."""
    return f"表{number} {title or ''}".strip() if number else (title or "")


def table_grid(store: Store, table_id: int) -> tuple[str, Grid]:
    """A stored table as printed: (heading, (columns, rows)); values are the printed text, '' when empty."""
    t = store.query("SELECT t.*, d.unit_name, d.year, d.budget_kind, d.scope FROM tables t"
                    " JOIN documents d ON d.id = t.document_id WHERE t.id = ?", (table_id,))[0]
    columns = json.loads(t["columns"] or "[]")
    rows: dict[int, dict] = {}
    for c in store.query("SELECT * FROM cells WHERE table_id = ? ORDER BY row_index, column_number", (table_id,)):
        r = rows.setdefault(c["row_index"], {"label": c["row_label"], "code": c["code"], "side": c["side"],
                                              "values": {}})
        r["values"][c["column_number"]] = c["raw"]
    sided = any(r["side"] for r in rows.values())
    names = ["科目编码", "项目"] + (["收支"] if sided else []) + [f"{c['number']} {c['path']}" for c in columns]
    grid = [[r["code"] or "", r["label"] or ""] + ([r["side"] or ""] if sided else [])
            + [r["values"].get(c["number"], "") for c in columns] for r in rows.values()]
    heading = (f"{t['unit_name']} {t['year'] or ''}年{t['scope'] or ''}{t['budget_kind'] or ''} "
               f"{table_label(t['number'], t['title'])}（单位：{t['measure_unit'] or '—'}）")
    return heading, (names, grid)


def table_filename(store: Store, table_id: int, suffix: str) -> str:
    t = store.query("SELECT t.number, t.title, d.unit_name, d.year FROM tables t JOIN documents d"
                    " ON d.id = t.document_id WHERE t.id = ?", (table_id,))[0]
    return safe_filename(f"{t['unit_name']}_{t['year'] or ''}_{table_label(t['number'], t['title'])}") + suffix


def safe_filename(name: str) -> str:
    return re.sub(r"[^\w\u4e00-\u9fff\-]+", "_", name).strip("_")[:80] or "export"


# ---- the audit report ------------------------------------------------------------------------------

AUDIT_COLUMNS = ["单位", "年度", "级别", "规则", "规则说明", "说明", "出处", "规则代码"]


def source_text(source: dict) -> str:
    """Where one side of a finding is printed: table or section, row, page or line."""
    place = source.get("table") or source.get("section") or ""
    if source.get("row"):
        place += f"「{source['row']}」"
    if source.get("column"):
        place += f"「{source['column']}」列"
    if source.get("page"):
        place += f" 第{source['page']}页"
    elif source.get("line"):
        place += f" 第{source['line']}行"
    return place.strip()


def audit_grid(findings: list) -> Grid:
    rows = [[f.unit_name, f.year or "", ui_text.severity_name(f.severity), ui_text.rule_name(f.rule),
             ui_text.rule_description(f.rule), f.message.strip(), "；".join(source_text(s) for s in f.sources[:3]),
             f.rule] for f in findings]
    return AUDIT_COLUMNS, rows


def audit_markdown(findings: list) -> str:
    """The audit as a Markdown report: a summary line, then one table per document."""
    lines = ["# 一致性审核报告", "", f"{ui_text.severity_counts(findings)}（舍入差异：差额 ≤ 0.01 万元或 0.01 个百分点）。", ""]
    by_doc: dict[tuple, list] = {}
    for f in findings:
        by_doc.setdefault((f.unit_name, f.year), []).append(f)
    columns, _ = audit_grid([])
    for (unit, year), items in by_doc.items():
        lines += [f"## {unit} {year or ''}年", "", "| " + " | ".join(columns[2:7]) + " |",
                  "|" + "---|" * 5]
        for row in audit_grid(items)[1]:
            lines.append("| " + " | ".join(_md_cell(v) for v in row[2:7]) + " |")
        lines.append("")
    return "\n".join(lines)


def _md_cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")
