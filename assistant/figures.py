"""Figures from the SQL store: find the row and column a question means, and the facts.

Rows are matched by their own labels and subject codes (no keyword list per document): a
label printed whole in the question is the strongest match, then long shared runs of
characters (a project name quoted in part). Columns are matched by their header leaves;
without one, a row's first value column (合计/总计/预算数) is the amount.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from index.store import Store

KIND_HINTS = [
    (r"三公", "三公经费"), (r"上年结转|结转结余|结转里|结转中", "上年结转结余"), (r"政府采购", "政府采购"),
    (r"购买服务", "政府购买服务"), (r"财政拨款收支", "财政拨款收支总体"), (r"收支总", "收支总体"),
    (r"基本支出(表|情况表|中|里)|经济分类|人员经费|公用经费", "一般公共预算基本支出"),
    (r"项目支出(表|情况表)|项目(?!支出)", "项目支出"), (r"收入(总体|表|中|里|预算)", "收入总体"),
    (r"支出总体|支出(表|情况表)", "支出总体"), (r"一般公共预算(支出|拨款)", "一般公共预算支出"),
    (r"政府性基金", "政府性基金"), (r"国有资本经营", "国有资本经营"),
    (r"一般公共预算.{0,6}(项目支出|基本支出)", "一般公共预算支出"),
]
# when a label stands in several tables with different values, which table a reader means first
KIND_ORDER = ["三公经费", "一般公共预算基本支出", "项目支出", "上年结转结余", "政府采购", "支出总体", "一般公共预算支出",
              "收入总体", "财政拨款收支总体", "收支总体", "政府性基金", "国有资本经营", "政府购买服务"]
GENERIC_LABELS = {"预算", "金额", "项目", "合计", "总计", "小计", "本年", "收入", "支出", "预算数", "科目", "单位"}
NUMBERING = re.compile(r"^(其中[：:]|[一二三四五六七八九十]+、|\d+[.．、]|[（(][一二三四五六七八九十\d]+[)）])")


def norm(text: str) -> str:
    text = (text or "").replace("(", "（").replace(")", "）").replace(" ", "").replace("\u3000", "")
    return text.replace("“", "").replace("”", "").replace('"', "")


def label_core(label: str) -> str:
    core = NUMBERING.sub("", norm(label))
    return re.sub(r"（小计）$", "", core)


FILLER = re.compile(r"变化|分别|各自|各|是多少|有多少|多少钱|多少|几个|几|是什么|什么|哪些|哪一项|百分之几|百分比|比上年|上年|下降了?|增长了?|"
                    r"增加了?|减少了?|安排了?|预算数?|是|的|了|吗|呢|有|为|占|比例|比重|截至|年底|共|合计")


def key_phrase(text: str) -> str:
    """The noun phrase a question asks about, once question words are taken out ("三公经费")."""
    pieces = re.split(r"[^\u4e00-\u9fa5]+", FILLER.sub(" ", norm(text)))
    return max(pieces, key=len) if pieces else ""


@lru_cache(maxsize=65536)
def match_score(label: str, text: str) -> float:
    """How strongly a question (text) names a label: whole label ≫ long shared runs."""
    core = label_core(label)
    if len(core) < 2:
        return 0.0
    if core in text:
        return len(core) + 5.0
    blocks = SequenceMatcher(None, core, text, autojunk=False).get_matching_blocks()
    matched = sum(b.size for b in blocks if b.size >= 2)
    # the same, in any order: "上级一般公共预算安排转移支付" ~ "一般公共预算拨款里，上级转移支付"
    covered = [False] * len(core)
    for i in range(len(core) - 1):
        if core[i:i + 2] in text:
            covered[i] = covered[i + 1] = True
    matched = max(matched, sum(covered))
    coverage = matched / len(core)
    if coverage == 1.0 and len(core) >= 4:  # every character of the label found, in runs: 政府采购工程预算
        return len(core) + 4.0
    if matched < 4 or coverage < 0.5:
        key = key_phrase(text)
        if len(key) >= 4:  # every character of the asked phrase found in order: 上级转移支付 ~ 上级一般…转移支付
            kb = SequenceMatcher(None, key, core, autojunk=False).get_matching_blocks()
            if sum(b.size for b in kb if b.size >= 2) == len(key):
                return len(key) + 2.0
        return 0.0
    return matched * coverage


@dataclass
class StoredRow:
    doc_id: int
    table_id: int
    table_number: str | None
    table_kind: str | None
    table_title: str
    measure_unit: str
    row_index: int
    label: str
    code: str | None
    side: str | None
    subject: str | None
    line: int | None
    page: int | None
    cells: list[tuple[int, str, float | None, str]] = field(default_factory=list)  # (number, path, value, raw)
    cell_ids: dict[int, int] = field(default_factory=dict)  # column number → cells.id

    @property
    def table_name(self) -> str:
        number = f"表{self.table_number} " if self.table_number else ""
        return f"{number}{self.table_title}"

    def first_cell(self):
        return self.cells[0] if self.cells else None

    def cell(self, path: str):
        return next((c for c in self.cells if c[1] == path), None)


@dataclass
class StoredTable:
    id: int
    doc_id: int
    number: str | None
    kind: str | None
    title: str
    measure_unit: str
    note: str
    line: int | None
    page: int | None
    rows: list[StoredRow] = field(default_factory=list)


@dataclass
class StoredFact:
    doc_id: int
    name: str
    value: float
    unit: str
    subject: str | None
    quote: str
    section: str
    line: int | None
    page: int | None


class FigureIndex:
    """All rows, tables and facts of the store in memory: a few thousand cells, read once."""

    def __init__(self, store: Store):
        self.tables: dict[int, list[StoredTable]] = {}
        by_id: dict[int, StoredTable] = {}
        for t in store.query("SELECT * FROM tables ORDER BY document_id, seq"):
            st = StoredTable(t["id"], t["document_id"], t["number"], t["kind"], t["title"], t["measure_unit"],
                             t["note"] or "", t["line"], t["page"])
            self.tables.setdefault(t["document_id"], []).append(st)
            by_id[t["id"]] = st
        rows: dict[tuple[int, int], StoredRow] = {}
        for c in store.query("SELECT * FROM cells ORDER BY table_id, row_index, column_number"):
            key = (c["table_id"], c["row_index"])
            row = rows.get(key)
            if row is None:
                t = by_id[c["table_id"]]
                row = StoredRow(c["document_id"], t.id, t.number, t.kind, t.title, t.measure_unit, c["row_index"],
                                c["row_label"] or "", c["code"], c["side"], c["subject"], c["line"], c["page"])
                rows[key] = row
                t.rows.append(row)
            row.cells.append((c["column_number"], c["column_path"], c["value"], c["raw"]))
            row.cell_ids[c["column_number"]] = c["id"]

    def rows(self, doc_id: int) -> list[StoredRow]:
        return [r for t in self.tables.get(doc_id, []) for r in t.rows]


def kind_hints(text: str) -> list[str]:
    return [kind for pattern, kind in KIND_HINTS if re.search(pattern, text)]


def table_number_hint(text: str) -> str | None:
    m = re.search(r"表\s*([0-9一二三四五六七八九十]+)", text)
    return m.group(1) if m else None


@dataclass
class RowMatch:
    row: StoredRow
    score: float
    column: tuple  # the chosen cell (number, path, value, raw)


def named_column(row: StoredRow, text: str) -> tuple[tuple | None, float]:
    """The cell of `row` whose header leaf the question names, and how long that name is."""
    best, best_len = None, 0.0
    label = label_core(row.label)
    rest = text.replace(label, " ") if label else text
    for cell in row.cells:
        leaf = norm(cell[1].split("/")[-1])
        leaf_core = re.sub(r"（.*?）", "", leaf)
        for candidate, weight in ((leaf, 0.0), (leaf_core, -0.5)):
            size = len(candidate) + weight
            if len(candidate) >= 2 and candidate in rest and size > best_len and candidate not in (
                    "合计", "总计", "小计", "预算数"):
                best, best_len = cell, size
    return best, best_len


def choose_column(row: StoredRow, text: str) -> tuple | None:
    """The cell of `row` whose header leaf the question names; else the first value column."""
    return named_column(row, text)[0] or row.first_cell()


def match_rows(index: FigureIndex, doc_id: int, text: str, codes: list[str]) -> list[RowMatch]:
    """Rows of a document the question may mean, best first."""
    hints = kind_hints(text)
    number = table_number_hint(text)
    out = []
    for row in index.rows(doc_id):
        score = 0.0
        if label_core(row.label) in GENERIC_LABELS and not (row.code and row.code in codes):
            continue
        if row.code and row.code in codes:
            score = 50.0
        else:
            score = match_score(row.label, text)
            if row.subject and score == 0:
                score = match_score(row.subject, text) * 0.5
        if score <= 0:
            continue
        if row.table_kind in hints:
            score += 3.0
        if number and row.table_number == number:
            score += 4.0
        column, named = named_column(row, text)
        column = column or row.first_cell()
        if column is None:
            continue
        out.append(RowMatch(row, score + named * 0.5, column))
    out.sort(key=lambda m: (-m.score, KIND_ORDER.index(m.row.table_kind) if m.row.table_kind in KIND_ORDER else 99))
    return out


def column_total_rows(index: FigureIndex, doc_id: int, text: str) -> list[RowMatch]:
    """A metric that is a column (公用经费, 人员经费 …): the total row of the table, at that column."""
    out = []
    hints = kind_hints(text)
    for table in index.tables.get(doc_id, []):
        totals = [r for r in table.rows if re.fullmatch(r"(总计|合计)[:：]?", norm(r.label))]
        if not totals and len(table.rows) == 1 and not table.rows[0].label:
            totals = table.rows  # a one-row table whose columns are the items (三公: 因公出国, 公务接待 …)
        if not totals:
            continue
        row = totals[0]
        for cell in row.cells:
            parts = [norm(x) for x in cell[1].split("/")]
            leaf = parts[-1]
            if leaf in ("小计", "合计") and len(parts) > 1:
                leaf = parts[-2]  # “三公”经费/小计 answers "三公经费"
            if len(leaf) >= 2 and leaf in text and leaf not in ("合计", "总计", "小计", "预算数"):
                bonus = 3.0 if table.kind in hints else 0.0
                out.append(RowMatch(row, len(leaf) + 5.0 + bonus, cell))
    out.sort(key=lambda m: -m.score)
    return out


def table_totals(index: FigureIndex, doc_id: int, text: str) -> list[RowMatch]:
    """A table named as a whole (一般公共预算基本支出, 三公经费 …): its total row, first column."""
    out = []
    for table in index.tables.get(doc_id, []):
        core = re.sub(r"^(部门|单位)|(预算)?(情况|明细)?表$|支出预算表.*$", "", norm(table.title))
        score = match_score(core, text) if len(core) >= 4 else 0.0
        totals = [r for r in table.rows if re.fullmatch(r"(总计|合计)[:：]?", norm(r.label))]
        if score and totals and totals[0].first_cell():
            out.append(RowMatch(totals[0], score, totals[0].first_cell()))
    out.sort(key=lambda m: -m.score)
    return out


def named_rows(index: FigureIndex, doc_id: int, text: str) -> list[RowMatch]:
    """Every distinct row label printed whole in the question (for 'A和B合计', 'A、B分别')."""
    seen, out = set(), []
    for m in match_rows(index, doc_id, text, []):
        core = label_core(m.row.label)
        if re.fullmatch(r"(总计|合计|小计)[:：]?", core):
            continue
        if len(core) >= 2 and core in text and core not in seen and not any(core in other for other in seen):
            seen.add(core)
            out.append(m)
    return [m for m in out if not any(label_core(m.row.label) in label_core(o.row.label) and o is not m
                                      for o in out)]


def children(index: FigureIndex, parent: StoredRow) -> list[StoredRow]:
    """The leaf rows under a subject-code row (项 under 类, or 款 where there is no 项)."""
    table = next(t for t in index.tables[parent.doc_id] if t.id == parent.table_id)
    if not parent.code:
        return []
    below = [r for r in table.rows if r.code and r.code != parent.code and r.code.startswith(parent.code)
             and r.side == parent.side]
    return [r for r in below if not any(o is not r and o.code and o.code.startswith(r.code) and len(o.code) >
                                        len(r.code) for o in below)]
