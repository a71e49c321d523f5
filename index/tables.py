"""Raw tables → normalised tables: kind, column paths, subject codes and numeric cells.

Header rows are read as a tree: a top label whose own column has a label below it is a group
(财政拨款（补助） over 小计 / 一般公共预算 …), otherwise a leaf. Leaves are then matched to the
value columns in order, which survives exports that shift merged header cells by a column.
Label columns (编码, 名称, 项目 …) give each row its label and its full 类/款/项 code.
"""
from __future__ import annotations

import re

from index.chars import label as clean_label
from index.kinds import OTHER, TWO_SIDED, content_kind, number_kind, table_kind
from index.model import Cell, Column, Document, Paragraph, RawTable, Row, Table
from index.structure import CODE_LABEL, is_column_number_row
from index.subjects import code_system, subject_name
from index.values import parse_value

LABELISH = re.compile(r"(编码|代码|名称|科目$|^科目|^类$|^款$|^项$|^项目$|内容$|采购目录|采购方式|采购品目|组织形式|规格要求|计量单位|"
                      r"^(支出)?功能分类$|^收入$|^支出$|^采购项目$|服务目录$)")
ATTRIBUTE = re.compile(r"(方式|形式|规格|计量单位)")
SIDE = re.compile(r"^(财政拨款|本年)?(收入|支出)$")


def normalize_document(doc: Document) -> list[Table]:
    """Every table of a document; flattened tables may use what the narrative states."""
    narrative = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    return [_normalize_or_report(t, narrative) for t in doc.raw_tables]


def _normalize_or_report(raw: RawTable, narrative: list[str]) -> Table:
    """One table; a table that cannot be interpreted is kept (title, page, why) and the rest goes on."""
    try:
        table = normalize(raw, narrative)
    except Exception as exc:  # a malformed table must not lose the document's other tables and narrative
        return Table(title=raw.title, kind=classify(raw), number=raw.number, measure_unit=raw.measure_unit,
                     note=raw.note, line=raw.line, page=raw.page,
                     problem=f"could not be read ({type(exc).__name__}: {exc})")
    if not table.problem:
        table.problem = _problem(raw, table)
    return table


def _problem(raw: RawTable, table: Table) -> str:
    """What of a table could not be read: no rows under its title, or rows whose figures were not placed."""
    if table.kind == "绩效目标表":
        return ""
    if table.unplaced:
        return f"{len(table.unplaced)} rows whose figures could not be placed in columns (kept as text)"
    if not raw.body_rows and not raw.note and not raw.header_rows:
        return "no rows could be read under its title"
    return ""


def normalize(raw: RawTable, narrative: list[str] | None = None) -> Table:
    """Interpret a raw table; the result has every figure as a `Cell` of a `Row`."""
    kind = classify(raw)
    table = Table(title=raw.title, kind=kind, number=raw.number, measure_unit=raw.measure_unit,
                  note=raw.note, line=raw.line, page=raw.page)
    if kind == "绩效目标表" or not raw.body_rows:
        return table
    if raw.layout == "flattened":
        from index.flattened import place_flattened

        return place_flattened(raw, table, narrative)
    headers = [[clean_label(c) for c in r.cells] for r in raw.header_rows]
    width = _width(raw)
    sides = _side_starts(headers) if kind in TWO_SIDED else []
    if len(sides) == 2:
        spans = [(sides[0], sides[1]), (sides[1], width)]
    else:
        spans = [(0, width)]
    number = 1
    covers = _header_spans(raw, lambda r: not is_column_number_row([clean_label(c) for c in r.cells]))
    for start, end in spans:
        side = headers[0][start] if len(spans) == 2 else None
        for a, z in _label_blocks(headers, start, end, covers):
            number = _read_block(raw, table, headers, a, z, side, number, side_start=start, covers=covers)
    return table


def _label_blocks(headers: list[list[str]], start: int, end: int,
                  covers: list[list[int]] | None = None) -> list[tuple[int, int]]:
    """Columns [start, end) as blocks that each begin with their own label columns: a side printed as
    功能科目名称 | 金额 | 项目名称 | 金额 is two blocks, each of labels then figures."""
    leaves = header_leaves([h for h in headers if not is_column_number_row(h)], start, end, covers)
    cuts = [p for i, (p, path) in enumerate(leaves)
            if i and p > start and _is_labelish(path) and path and not _is_labelish(leaves[i - 1][1])]
    bounds = [start] + cuts + [end]
    return list(zip(bounds, bounds[1:]))


def classify(raw: RawTable) -> str:
    """A table's kind from its title, else from its header and row codes, else its printed number;
    `other` when none of them names one (the table is kept with all its cells)."""
    kind = table_kind(raw.title)
    if kind:
        return kind
    header = "".join(c for r in raw.header_rows for c in r.cells)
    codes = [c.replace(" ", "") for r in raw.body_rows for c in r.cells[:3]]
    codes = [c for c in codes if re.fullmatch(r"\d{3}(\d{2}){0,2}", c)]
    system = code_system(codes[0]) if codes else None
    return content_kind(header, system) or number_kind(raw.number) or OTHER


def _width(raw: RawTable) -> int:
    def used(cells: list[str]) -> int:
        n = len(cells)
        while n and not cells[n - 1].strip():
            n -= 1
        return n

    widths = [used(r.cells) for r in raw.body_rows] + [used(r.cells) for r in raw.header_rows]
    return max(widths) if widths else 0


def _side_starts(headers: list[list[str]]) -> list[int]:
    if not headers:
        return []
    return [i for i, c in enumerate(headers[0]) if SIDE.match(c)][:2]


# ---- header tree -----------------------------------------------------------------


def header_leaves(rows: list[list[str]], start: int, end: int,
                  spans: list[list[int]] | None = None) -> list[tuple[int, str]]:
    """Leaves (position, path) of the header tree over columns [start, end). A label spans the columns up
    to the next label of its row — or, where the source shows a merged cell ending before that (`spans`: a
    PDF grid's cells, per row and column), the columns it covers, the rest being read from the rows below."""
    if not rows:
        return [(i, "") for i in range(start, end)]
    top, below_spans = rows[0], (spans[1:] if spans else None)
    marks = [i for i in range(start, end) if i < len(top) and top[i]]
    if not marks:
        return header_leaves(rows[1:], start, end, below_spans)
    leaves: list[tuple[int, str]] = []
    if marks[0] > start:
        leaves += header_leaves(rows[1:], start, marks[0], below_spans)
    last_group: list[tuple[int, str]] | None = None
    for n, pos in enumerate(marks):
        stop = marks[n + 1] if n + 1 < len(marks) else end
        rest = stop
        if spans and pos < len(spans[0]) and 1 < spans[0][pos] and pos + spans[0][pos] < stop:
            stop = pos + spans[0][pos]  # the printed cell ends here: the columns after it are not its children
        name = top[pos]
        below = [r[pos] if pos < len(r) else "" for r in rows[1:]]
        if any(below):
            children = header_leaves(rows[1:], pos, stop, below_spans)
            group = [(p, f"{name}/{path}" if path else name) for p, path in children]
            leaves += group
            last_group = group
        else:
            leaves.append((pos, name))
            orphans = [(p, path) for p, path in header_leaves(rows[1:], pos + 1, stop, below_spans) if path]
            if orphans and last_group:
                # a sub-label the export pushed out of its group: it belongs to the group before
                prefix = last_group[0][1].split("/")[0]
                insert_at = leaves.index(last_group[-1]) + 1
                for p, path in orphans:
                    leaves.insert(insert_at, (p, f"{prefix}/{path}"))
                    insert_at += 1
            else:
                leaves += orphans  # labels of their own, printed lower than this one (结转下年资金)
        if rest > stop:
            leaves += header_leaves(rows[1:], stop, rest, below_spans)
    return leaves


def _header_spans(raw: RawTable, keep) -> list[list[int]] | None:
    """How many columns each header cell's printed box covers, from the header rows' cell boxes (a PDF
    grid); None when the source gives no boxes (text exports, tables read from word positions)."""
    rows = [r for r in raw.header_rows if keep(r)]
    if not rows or not all(r.boxes and all(r.boxes) for r in rows):
        return None
    out = []
    for r in rows:
        lefts = [b[0] for b in r.boxes]
        out.append([max(1, sum(1 for x in lefts[k:] if x < b[2] - 1)) if k < len(r.cells) and r.cells[k] else 1
                    for k, b in enumerate(r.boxes)])
    return out


def _is_labelish(path: str) -> bool:
    last = path.split("/")[-1]
    return bool(LABELISH.search(last)) or (not last and "/" not in path)


# ---- body ------------------------------------------------------------------------


def _read_block(raw: RawTable, table: Table, headers: list[list[str]], start: int, end: int,
                side: str | None, first_number: int, side_start: int | None = None,
                covers: list[list[int]] | None = None) -> int:
    """Rows of the columns [start, end); a row whose label is printed only in an earlier block of its
    side (当年支出小计 under 功能分类, its figure under 支出用途) takes that label."""
    label_rows = [h for h in headers if not is_column_number_row(h)]
    number_rows = [h for h in headers if is_column_number_row(h)]
    printed = []
    if number_rows:
        printed = [int(c) for c in number_rows[-1][start:end] if re.fullmatch(r"\d{1,2}", c)]
    leaves = header_leaves(label_rows, start, end, covers)
    value_paths = [path for _, path in leaves if path and not _is_labelish(path)]
    label_paths = [path for _, path in leaves if _is_labelish(path)]
    n_values = len(printed) if printed else len(value_paths)
    if n_values == 0:
        n_values = 1
    value_paths = (value_paths + [f"列{k}" for k in range(len(value_paths) + 1, n_values + 1)])[:n_values]
    numbers = printed or list(range(first_number, first_number + n_values))
    columns = [Column(number=numbers[k], path=_with_side(value_paths[k], side), side=side) for k in range(n_values)]
    table.columns += columns
    n_labels = max(end - start - n_values, 0)

    last_class = last_item = None
    for src in raw.body_rows:
        cells = (src.cells + [""] * end)[start:end]
        label_cells, value_cells = cells[:n_labels], cells[n_labels:n_labels + n_values]
        boxes = ((src.boxes or []) + [None] * end)[start:end][n_labels:n_labels + n_values]
        codes, names = [], []
        for k, c in enumerate(label_cells):
            header = label_paths[k] if k < len(label_paths) else ""
            if re.fullmatch(r"\d{1,3}|\d{5}|\d{7}", c.replace(" ", "")):  # 类/款/项 cells or a full code
                codes.append(c.replace(" ", ""))
            elif c and not ATTRIBUTE.search(header):
                names.append(c)
            elif c == "" and re.search(r"(^|/)(类|款|项)$", header):
                codes.append("")
        text = names[-1] if names else ""
        m = CODE_LABEL.match(text)
        if m and not any(codes):
            codes = [m.group(1).replace(" ", "")]
            text = m.group(2)
        code, last_class, last_item = _resolve_code(codes, last_class, last_item)
        row_label = clean_label(text) or (subject_name(code) if code else "")
        values = [(c, parse_value(c)) for c in value_cells]
        if not row_label and not code and side_start is not None and side_start < start and any(c for c, _ in values):
            earlier = [c for c in src.cells[side_start:start] if c.strip() and parse_value(c) is None]
            row_label = clean_label(earlier[-1]) if earlier else ""
        if not row_label and not code and not any(c for c, _ in values):
            continue
        if not row_label and not code and len(table.columns) == n_values and not label_cells:
            row_label = ""
        subject = "/".join(clean_label(n) for n in names[:-1]) or None
        row = Row(label=row_label, code=code, code_system=code_system(code, table.kind), subject=subject,
                  side=side, line=src.line, page=src.page)
        row.cells = [Cell(column=col, value=v, raw=c, bbox=box) for col, (c, v), box in zip(columns, values, boxes)]
        table.rows.append(row)
    return first_number + n_values


def _with_side(path: str, side: str | None) -> str:
    if not side or path.split("/")[0] == side:
        return path
    return f"{side}/{path}"


def _resolve_code(parts: list[str], last_class: str | None, last_item: str | None):
    """类/款/项 cells → a full code; a blank 类 (or 款) is inherited from the rows above."""
    parts = [p for p in parts]
    while parts and parts[-1] == "":
        parts.pop()
    if not parts:
        return None, last_class, last_item
    if len(parts) == 1 and len(parts[0]) >= 3:
        code = parts[0]
        if len(code) == 3:
            return code, code, None
        return code, code[:3], code[:5] if len(code) >= 5 else None
    klass = parts[0] if parts[0] and len(parts[0]) == 3 else last_class
    if klass is None:
        return None, last_class, last_item
    if len(parts) >= 2 and parts[1]:
        kuan = parts[1].zfill(2)
    elif len(parts) >= 3 and last_item and last_item.startswith(klass):
        kuan = last_item[3:5]
    else:
        return klass, klass, None
    code = klass + kuan
    if len(parts) >= 3 and parts[2]:
        return code + parts[2].zfill(2), klass, code
    return code, klass, code
