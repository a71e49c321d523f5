"""Tables whose cells were flattened into lines of text: numbers placed by the table's arithmetic.

In such an export an empty cell simply vanishes, so `208 06 01 企业关闭破产补助 45.25 45.14 15.26
29.88 0.11` has 5 numbers for 12 columns. Each row's numbers keep their left-to-right order; the
candidate placements are the ordered choices of columns, and only those that satisfy every
identity survive: a row's total columns (合计 = 基本支出 + 项目支出, 总计 = 小计 + …), parents =
sum of children by subject code, the 合计 row = sum of the 类 rows, and totals the document's
own narrative states for a column ("一般公共预算 291.73 万元"). A number whose column is the same
in every surviving solution is placed; any other is reported as unplaced, never guessed.
"""
from __future__ import annotations

import re
from itertools import combinations

from index.checks import column_identities
from index.chars import label as clean_label
from index.model import Cell, Column, RawTable, Row, Table, Unplaced
from index.structure import CN_NUM
from index.subjects import code_system

TOLERANCE = 0.015
MAX_SOLUTIONS = 2000

# The Ministry of Finance standard layouts, as the clean exports of the same tables print them.
_INCOME = ["总计", "财政拨款（补助）/财政拨款（补助）小计", "财政拨款（补助）/一般公共预算",
           "财政拨款（补助）/上级一般公共预算安排的转移支付", "财政拨款（补助）/政府性基金预算",
           "财政拨款（补助）/上级政府性基金安排的转移支付", "财政拨款（补助）/国有资本经营预算",
           "财政拨款（补助）/上级国有资本经营预算安排的转移支付", "财政专户（教育收费）", "单位资金", "财政拨款结转",
           "非财政拨款结转结余"]
_PROJECT = ["项目支出合计", "工资福利支出", "商品和服务支出", "对个人和家庭的补助", "债务利息及费用支出",
            "资本性支出（基本建设）", "资本性支出", "对企业补助（基本建设）", "对企业补助", "对社会保障基金补助", "其他支出"]
_CARRY = ["合计", "财政拨款/小计", "财政拨款/基本支出/人员经费", "财政拨款/基本支出/公用经费", "财政拨款/项目支出",
          "非财政拨款/小计", "非财政拨款/基本支出/人员经费", "非财政拨款/基本支出/公用经费", "非财政拨款/项目支出"]
TEMPLATES: dict[str, list[str]] = {
    "收入总体": _INCOME,
    "支出总体": ["支出预算/合计", "支出预算/基本支出", "支出预算/项目支出"],
    "一般公共预算支出": ["一般公共预算支出/合计", "一般公共预算支出/基本支出", "一般公共预算支出/项目支出"],
    "一般公共预算基本支出": ["一般公共预算基本支出/合计", "一般公共预算基本支出/人员经费", "一般公共预算基本支出/公用经费"],
    "项目支出": _PROJECT,
    "三公经费": ["合计", "资金来源/一般公共预算", "资金来源/政府性基金", "资金来源/国有资本经营预算"],
    "上年结转结余": _CARRY,
    "政府性基金": ["政府性基金预算支出/合计", "政府性基金预算支出/基本支出/人员经费",
                 "政府性基金预算支出/基本支出/公用经费", "政府性基金预算支出/项目支出"],
    "国有资本经营": ["国有资本经营预算支出/合计", "国有资本经营预算支出/基本支出/人员经费",
                   "国有资本经营预算支出/基本支出/公用经费", "国有资本经营预算支出/项目支出"],
}
TWO_SIDED_TEMPLATES = {
    "收支总体": (("收入", ["收入/预算数"]), ("支出", ["支出/预算数"])),
    "财政拨款收支总体": (("财政拨款收入", ["财政拨款收入/合计"]),
                     ("财政拨款支出", ["财政拨款支出/合计", "财政拨款支出/一般公共预算", "财政拨款支出/政府性基金预算",
                                 "财政拨款支出/国有资本经营预算"])),
}

NUMBER = r"-?\d[\d,]*\.\d+"
CODE_START = re.compile(r"^(\d{3})(?:\s+(\d{2}))?(?:\s+(\d{2}))?(?=\s|$)")
NUMBERS_AT_END = re.compile(rf"((?:\s*{NUMBER})+)\s*$")
COLUMN_NUMBERS = re.compile(r"^※(\s*※)*(\s+\d{1,2})+\s*$")
TOTAL_LABEL = re.compile(r"^(合计|总计)$")
COMPLETE_LABEL = re.compile(r"(费|支出|（小计）|\(小计\))$")


def place_flattened(raw: RawTable, table: Table, narrative: list[str] | None = None) -> Table:
    """Fill `table` from a flattened raw table; `narrative` is the document's paragraphs."""
    lines = [(r.cells[0].strip(), r.line, r.page) for r in raw.body_rows if r.cells and r.cells[0].strip()]
    if table.kind in TWO_SIDED_TEMPLATES:
        return _two_sided(lines, table)
    paths = TEMPLATES.get(table.kind or "")
    if not paths:
        table.unplaced += [Unplaced(text, "no column template for this table kind", line, page)
                           for text, line, page in lines if re.search(NUMBER, text)]
        return table
    table.columns = [Column(number=i + 1, path=p) for i, p in enumerate(paths)]
    rows = _parse_rows(lines, table.kind)
    stated = _stated_totals(paths, narrative or [])
    _solve(table, rows, stated)
    return table


# ---- reading lines into rows ----------------------------------------------------------


class _Pending:
    def __init__(self, code_parts, text, line, page):
        self.code_parts = code_parts
        self.pieces = [text] if text else []
        self.line, self.page = line, page
        self.values: list[str] = []
        self.source: list[str] = []


def _parse_rows(lines, kind):
    """Rows as (code, label, subject, numbers, source text, line, page) from flattened lines."""
    out, pending, started = [], None, False
    last_class = last_item = None
    for text, line, page in lines:
        if COLUMN_NUMBERS.match(text):
            started, pending = True, None  # the printed column numbers end a (repeated) header
            continue
        code_m = CODE_START.match(text)
        nums_m = NUMBERS_AT_END.search(text)
        body = text[code_m.end():] if code_m else text
        if nums_m:
            body = body[: len(body) - len(nums_m.group(0))] if not code_m else text[code_m.end(): nums_m.start()]
        body = body.strip()
        if code_m:
            pending = _Pending([p for p in code_m.groups() if p], body, line, page)
            started = True
        elif not started:
            if nums_m or TOTAL_LABEL.match(clean_label(text)):
                started = True
                pending = _Pending([], body, line, page)
            else:
                continue
        elif pending is None:
            pending = _Pending([], body, line, page)
        elif body:
            pending.pieces.append(body)
        if not nums_m and not code_m and not pending.code_parts and COMPLETE_LABEL.search(body) \
                and len(pending.pieces) == 1:
            # a row printed with no figures at all (因公出国（境）费): every cell empty
            out.append((None, clean_label(body), None, [], text, line, page))
            pending = None
            continue
        pending.source.append(text)
        if nums_m:
            values = re.findall(NUMBER, nums_m.group(1))
            code, last_class, last_item = _code(pending.code_parts, last_class, last_item)
            label, subject = _label(pending.pieces, kind, code)
            out.append((code, label, subject, values, " / ".join(pending.source), pending.line, pending.page))
            pending = None
    return out


def _code(parts, last_class, last_item):
    if not parts:
        return None, last_class, last_item
    klass = parts[0]
    if len(parts) == 1:
        return klass, klass, None
    item = klass + parts[1]
    if len(parts) == 2:
        return item, klass, item
    return item + parts[2], klass, item


def _label(pieces, kind, code):
    pieces = [p for p in pieces if p]
    if kind == "项目支出" and code and len(code) == 7 and len(pieces) >= 2:
        return clean_label("".join(pieces[1:])), clean_label(pieces[0])
    return clean_label("".join(pieces)), None


def _stated_totals(paths: list[str], narrative: list[str]) -> dict[int, set[float]]:
    """Column totals the narrative states in words: "一般公共预算 291.73 万元" → {column: {291.73}}."""
    stated: dict[int, set[float]] = {}
    text = "\n".join(narrative)
    for i, path in enumerate(paths):
        parts = path.split("/")
        leaf = parts[-1]
        if leaf == "小计" and len(parts) > 1:
            leaf = parts[-2]  # 财政拨款/小计 is stated as "财政拨款 5.73 万元"
        elif leaf in ("合计", "总计") or leaf.endswith("小计"):
            continue
        for m in re.finditer(rf"(?<![\u4e00-\u9fa5]){re.escape(leaf)}\s*({NUMBER})\s*万元", text):
            stated.setdefault(i, set()).add(float(m.group(1).replace(",", "")))
    return stated


# ---- placing numbers ------------------------------------------------------------------


def _candidates(values: list[float], n: int, identities, stated=None) -> list[tuple[int, ...]]:
    out = []
    for cols in combinations(range(n), len(values)):
        vec = [0.0] * n
        for c, v in zip(cols, values):
            vec[c] = v
        if all(abs(vec[t] - sum(vec[p] for p in parts)) <= TOLERANCE for t, parts in identities):
            if stated and not all(any(abs(vec[c] - s) <= TOLERANCE for s in ss) for c, ss in stated.items()
                                  if any(abs(v - s) <= TOLERANCE for v in values for s in ss)):
                continue
            out.append(cols)
    return out


def _solve(table: Table, rows, stated) -> None:
    n = len(table.columns)
    index = {c.path: i for i, c in enumerate(table.columns)}
    identities = [(index[t.path], [index[p.path] for p in parts]) for t, parts in column_identities(table.columns)]
    parsed = []
    for code, label, subject, raw_values, text, line, page in rows:
        values = [float(v.replace(",", "")) for v in raw_values]
        is_total = not code and TOTAL_LABEL.match(label or "")
        if len(values) > n:
            table.unplaced.append(Unplaced(text, f"{len(values)} numbers for {n} columns", line, page))
            continue
        cands = _candidates(values, n, identities, stated if is_total else None)
        parsed.append({"code": code, "label": label, "subject": subject, "values": values, "raw": raw_values,
                       "text": text, "line": line, "page": page, "cands": cands, "total": bool(is_total)})
    constraints, assumed = _relations(parsed)
    solutions = _search(parsed, constraints + assumed, n)
    if not solutions and assumed:  # the 合计 row is not the plain sum of the uncoded rows here
        solutions = _search(parsed, constraints, n)
    for i, r in enumerate(parsed):
        placements = {s[i] for s in solutions}
        if not placements:
            table.unplaced.append(Unplaced(r["text"], "no placement of its numbers fits the table's arithmetic",
                                           r["line"], r["page"]))
            continue
        row = Row(label=r["label"], code=r["code"], code_system=code_system(r["code"], table.kind),
                  subject=r["subject"], line=r["line"], page=r["page"])
        placed = {}
        uncertain = []
        for k, raw in enumerate(r["raw"]):
            cols = {p[k] for p in placements}
            if len(cols) == 1:
                placed[cols.pop()] = raw
            else:
                uncertain.append(f"{raw} → one of {', '.join(table.columns[c].path for c in sorted(cols))}")
        always_empty = {c for c in range(n) if all(c not in p for p in placements)}
        for c, col in enumerate(table.columns):
            if c in placed:
                row.cells.append(Cell(col, float(placed[c].replace(",", "")), placed[c]))
            elif c in always_empty:
                row.cells.append(Cell(col, 0.0, ""))
        if uncertain:
            table.unplaced.append(Unplaced(r["text"], f"{len(placements)} placements fit the arithmetic: "
                                           + "; ".join(uncertain), r["line"], r["page"]))
        table.rows.append(row)


def _relations(parsed):
    """(parent row, child rows) pairs: subject-code hierarchy, and the 合计 row over the 类 rows."""
    relations = []
    coded = [i for i, r in enumerate(parsed) if r["code"]]
    for i in coded:
        code = parsed[i]["code"]
        kids = [j for j in coded if parsed[j]["code"] != code and parsed[j]["code"].startswith(code)
                and len(parsed[j]["code"]) == len(code) + 2]
        same_code = [j for j in coded if parsed[j]["code"] == code]
        if kids and len(same_code) == 1:
            relations.append((i, kids))
    classes = [i for i in coded if len(parsed[i]["code"]) == 3]
    assumed = []
    for i, r in enumerate(parsed):
        if r["total"] and classes:
            relations.append((i, classes))
        elif r["total"]:  # items without codes (上年结转 projects): the 合计 row may be their plain sum
            parts = [j for j, o in enumerate(parsed) if j != i and not o["total"]]
            if parts:
                assumed.append((i, parts))
    return relations, assumed


def _search(parsed, relations, n):
    """All assignments of candidate placements that satisfy every parent = Σ children relation."""
    # totals first, then parents before children: with figures ≥ 0 a partial sum of children may not exceed
    # its parent, so a wrong column is cut as soon as one child is placed
    depth = [(0 if r["total"] else len(r["code"]) if r["code"] else 9) for r in parsed]
    order = sorted(range(len(parsed)), key=lambda i: (depth[i], len(parsed[i]["cands"])))
    nonnegative = all(v >= 0 for r in parsed for v in r["values"])
    involved = [[rel for rel in relations if i == rel[0] or i in rel[1]] for i in range(len(parsed))]
    chosen: dict[int, tuple[int, ...]] = {}
    solutions: list[dict[int, tuple[int, ...]]] = []

    def vec(i):
        v = [0.0] * n
        for c, x in zip(chosen[i], parsed[i]["values"]):
            v[c] = x
        return v

    def consistent(i) -> bool:
        for parent, kids in involved[i]:
            if parent not in chosen:
                continue
            pv = vec(parent)
            placed = [vec(k) for k in kids if k in chosen]
            if len(placed) == len(kids):
                if any(abs(pv[c] - sum(kv[c] for kv in placed)) > TOLERANCE for c in range(n)):
                    return False
            elif nonnegative and any(sum(kv[c] for kv in placed) > pv[c] + TOLERANCE for c in range(n)):
                return False
        return True

    def walk(pos: int) -> None:
        if len(solutions) >= MAX_SOLUTIONS:
            return
        if pos == len(order):
            solutions.append(dict(chosen))
            return
        i = order[pos]
        for cand in parsed[i]["cands"]:
            chosen[i] = cand
            if consistent(i):
                walk(pos + 1)
            del chosen[i]

    walk(0)
    return [tuple(s[i] for i in range(len(parsed))) for s in solutions]


# ---- two-sided tables (收支总体, 财政拨款收支总体) --------------------------------------------

SIDE_LINE = re.compile(rf"^(?P<left>.*?)\s*(?P<lv>{NUMBER})?\s*(?P<code>2\d{{2}})\s+(?P<right>[^\d\s][^\d]*?)"
                       rf"(?P<rv>(?:\s*{NUMBER})*)\s*$")
TOTALS_LINE = re.compile(rf"^(?P<left>收\s*入\s*总\s*计)\s*(?P<lv>{NUMBER})\s*(?P<right>支\s*出\s*总\s*计)"
                         rf"(?P<rv>(?:\s*{NUMBER})*)\s*$")


def _two_sided(lines, table: Table) -> Table:
    (left_side, left_paths), (right_side, right_paths) = TWO_SIDED_TEMPLATES[table.kind]
    left_cols = [Column(i + 1, p, left_side) for i, p in enumerate(left_paths)]
    right_cols = [Column(len(left_cols) + i + 1, p, right_side) for i, p in enumerate(right_paths)]
    table.columns = left_cols + right_cols
    right_ids = [(right_cols[0], right_cols[1:])] if len(right_cols) > 1 else []
    started = False
    carried = ""  # a 收入 label wrapped onto lines of its own ("上级…转移支" / "付")
    left_rows, right_rows = [], []
    for text, line, page in lines:
        m = TOTALS_LINE.match(text) or SIDE_LINE.match(text)
        if not m:
            if started and not re.search(NUMBER, text):
                carried += clean_label(text)
            continue
        started = True
        left = clean_label(m.group("left")) or carried
        carried = ""
        if left and not re.fullmatch(rf"[{CN_NUM}]?项目|预算数", left):
            row = Row(label=left, side=left_side, line=line, page=page)
            lv = m.group("lv")
            row.cells = [Cell(left_cols[0], float(lv.replace(",", "")) if lv else 0.0, lv or "")]
            left_rows.append(row)
        code = m.groupdict().get("code")
        right = clean_label(m.group("right"))
        values = re.findall(NUMBER, m.group("rv") or "")
        row = Row(label=right, code=code, code_system="功能分类" if code else None, side=right_side, line=line,
                  page=page)
        placed = _place_side(values, right_cols, right_ids)
        if placed is None:
            table.unplaced.append(Unplaced(text, "the 支出 side's numbers do not fit its columns", line, page))
        else:
            row.cells = placed
            right_rows.append(row)
    table.rows = left_rows + right_rows
    return table


def _place_side(values, cols, identities):
    n = len(cols)
    floats = [float(v.replace(",", "")) for v in values]
    if len(values) > n:
        return None
    ids = [(cols.index(t), [cols.index(p) for p in parts]) for t, parts in identities]
    cands = _candidates(floats, n, ids) if values else [()]
    if not cands:
        return None
    cells = []
    for c, col in enumerate(cols):
        spots = {cand[k] for cand in cands for k in range(len(values)) if cand[k] == c}
        ks = {k for cand in cands for k in range(len(values)) if cand[k] == c}
        if len(cands) == 1 or (spots and all(c in cand for cand in cands) and len(ks) == 1):
            k = ks.pop() if ks else None
            cells.append(Cell(col, floats[k], values[k]) if k is not None else Cell(col, 0.0, ""))
        elif all(c not in cand for cand in cands):
            cells.append(Cell(col, 0.0, ""))
    return cells
