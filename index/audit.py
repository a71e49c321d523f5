"""Consistency audit: every disclosure checked against its own arithmetic and its own words.

Rules, all derived from the document itself:
- table arithmetic (stored at ingest by `index.checks`: parents = Σ children, 合计 = 基本 + 项目 …);
- the same total printed in several tables (收支总计 in 表1/表2/表3, 财政拨款 in 表1/表4/表5,
  一般公共预算基本支出 in 表5/表6);
- every amount the narrative states for an item a table holds ("基本支出 615.78 万元") is printed
  in a cell of that item;
- stated shares ("占 86.15%") recomputed from the amounts, stated changes ("减少 30.82 万元，下降
  4.16%") consistent between amount and percentage, parts that add to a stated total (政府采购
  货物/工程/服务);
- "为空表" statements agree with the table being empty;
- the document's template family (`index.conformance`, `index/templates`): each of its standard tables
  is printed or stated empty (else a "warning": 缺少表：…), and its own balance rules hold (决算: 总计 =
  本年收入合计 + 年初结转和结余 …; 年末结转和结余 = 年初 + 本年收入 − 本年支出; figures several tables share).
A difference within rounding (≤ 0.01 万元, ≤ 0.01 percentage point) is severity "rounding".

The rules run at ingest, on the document just read (`audit_document`), and their findings are stored
with it in the same transaction; `audit()` (the CLI and the UI's 审核 tab) reads them back, so its cost
follows the findings, not the corpus. Documents stored before that, or by older rules
(`store.AUDIT_VERSION`), are audited from the store when asked.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

from index import conformance
from index.facts import CHANGE, subject_before
from index.families import Family, family as family_by_id
from index.model import Document, Table
from index.read import StoreReader, table_name
from index.store import AUDIT_VERSION, Store, section_records

AMOUNT = r"-?\d[\d,]*(?:\.\d+)?"
TOL = 0.01
NUMBERING = re.compile(r"^(其中[：:]|[一二三四五六七八九十]+、|\d+[.．、]|[（(][一二三四五六七八九十\d]+[)）])")


def norm(text: str) -> str:
    text = (text or "").replace("(", "（").replace(")", "）").replace(" ", "").replace("\u3000", "")
    return text.replace("“", "").replace("”", "").replace('"', "")


def label_core(label: str) -> str:
    return re.sub(r"（小计）$", "", NUMBERING.sub("", norm(label)))


@dataclass
class _Row:
    table_name: str
    label: str
    code: str | None
    side: str | None
    line: int | None
    page: int | None
    cells: list = field(default_factory=list)  # (column number, path, value, raw)


@dataclass
class _Table:
    kind: str | None
    title: str
    note: str
    name: str
    rows: list = field(default_factory=list)


@dataclass
class _Passage:
    section: str
    text: str
    line: int | None


@dataclass
class _Doc:
    id: int | None
    unit_name: str
    year: int | None
    family: str | None = None  # as stored; detected from the tables when None


def _tables(reader: StoreReader, doc_id: int) -> list[_Table]:
    tables, rows = {}, {}
    for t in reader.tables([doc_id]):
        tables[t.id] = _Table(t.kind, t.title, t.note, t.name)
    for c in reader.cells([doc_id]):
        key = (c.table_id, c.row_index)
        row = rows.get(key)
        if row is None:
            row = rows[key] = _Row(tables[c.table_id].name, c.label, c.code, c.side, c.line, c.page)
            tables[c.table_id].rows.append(row)
        row.cells.append((c.column_number, c.column_path, c.value, c.raw))
    return list(tables.values())


def _passages(reader: StoreReader, doc_id: int) -> list[_Passage]:
    return [_Passage(s.path, para.strip(), s.line) for s in reader.sections([doc_id])
            for para in s.text.split("\n") if para.strip()]


def _read_tables(tables: list[Table]) -> list[_Table]:
    """The same plain data from a document just read, before it is stored (rows without cells are not stored)."""
    out = []
    for t in tables:
        table = _Table(t.kind, t.title or "", t.note or "", table_name(t.number, t.title or ""))
        for row in t.rows:
            if row.cells:
                table.rows.append(_Row(table.name, row.label or "", row.code, row.side, row.line, row.page,
                                       sorted(((c.column.number, c.column.path or "", c.value, c.raw or "")
                                               for c in row.cells), key=lambda c: c[0])))
        out.append(table)
    return out


def _read_passages(doc: Document) -> list[_Passage]:
    return [_Passage(s["path"] or "", para.strip(), s["line"]) for s in section_records(doc)
            for para in (s["text"] or "").split("\n") if para.strip()]


@dataclass
class AuditFinding:
    unit_name: str
    year: int | None
    rule: str
    severity: str
    message: str
    values: dict
    sources: list = field(default_factory=list)
    tolerance: str = "≤ 0.01 万元 / 0.01 个百分点 counts as rounding"


def _severity(diff: float) -> str | None:
    if abs(diff) < 1e-6:
        return None
    return "rounding" if abs(diff) <= TOL + 1e-6 else "error"


def _num(text: str) -> float:
    return float(text.replace(",", ""))


# The same total printed in several tables, in every family: (name, [(kind, row label, column leaf, side)]);
# a family adds its own (`same_figures` in index/templates).
SAME_TOTALS = [
    ("收支总计", [("收支总体", r"收入总计", None, "收入"), ("收入总体", r"(总计|合计)[:：]?", "总计", None),
              ("支出总体", r"(总计|合计)[:：]?", "合计", None)]),
    ("财政拨款收支总计", [("财政拨款收支总体", r"收入总计", None, "收入"),
                  ("财政拨款收支总体", r"支出总计", "合计", "支出")]),
    ("一般公共预算拨款", [("收支总体", r"1?[.．]?一般公共预算拨款", None, "收入"),
                  ("一般公共预算支出", r"(总计|合计)[:：]?", "合计", None)]),
    ("一般公共预算基本支出", [("一般公共预算支出", r"(总计|合计)[:：]?", "基本支出", None),
                    ("一般公共预算基本支出", r"(总计|合计)[:：]?", "合计", None)]),
]


class Auditor:
    """The audit rules over one document's tables and narrative passages, given as plain data (read from
    the store, or from a document just read); work linear in the document's size."""

    def __init__(self, doc: _Doc, tables: list[_Table], passages: list[_Passage]):
        self.doc = doc
        self.tables = tables
        self.passages = passages
        self.family: Family | None = family_by_id(doc.family) if doc.family else conformance.detect(tables)
        self.section_base = self._section_bases()
        self._structure_base: tuple | None = None

    def audit(self) -> list[AuditFinding]:
        """The findings of the rules above (the table arithmetic is checked and stored by `index.checks`)."""
        doc = self.doc
        out: list[AuditFinding] = []
        out += self._cross_tables(doc)
        out += self._narrative_vs_tables(doc)
        out += self._narrative_arithmetic(doc)
        out += self._empty_statements(doc)
        if self.family is not None:
            out += self._missing_tables(doc)
            out += self._balances(doc)
            out += self._row_identities(doc)
            out += self._stated_figures(doc)
        return out

    # ---- the same total in several tables ------------------------------------------------

    def _total(self, doc_id: int, kind: str, label: str | list, column_leaf: str | None = None,
               side: str | None = None) -> tuple[float, _Row, tuple] | None:
        if isinstance(label, list):  # the sum of several rows ("人员经费合计" + "公用经费合计"), all printed
            found = [self._total(doc_id, kind, one, column_leaf, side) for one in label]
            if not all(found):
                return None
            return round(sum(f[0] for f in found), 6), found[0][1], found[0][2]
        for table in self.tables:
            if table.kind != kind:
                continue
            for row in table.rows:
                if side and not (row.side or "").endswith(side):
                    continue
                if not re.fullmatch(label, label_core(row.label)):
                    continue
                cells = [c for c in row.cells if column_leaf is None or c[1].split("/")[-1] == column_leaf]
                if cells:
                    return cells[0][2] or 0.0, row, cells[0]
        return None

    def _cross_tables(self, doc) -> list[AuditFinding]:
        groups = SAME_TOTALS + [(name, [(c["kind"], c["row"], c.get("column"), c.get("side")) for c in cells])
                                for name, cells in (self.family.same_figures if self.family else ())]
        out = []
        for name, specs in groups:
            found = [(spec, self._total(doc.id, *spec)) for spec in specs]
            found = [(spec, f) for spec, f in found if f]
            if len(found) < 2:
                continue
            base_spec, (base, base_row, _) = found[0]
            for spec, (value, row, cell) in found[1:]:
                sev = _severity(value - base)
                if sev:
                    out.append(AuditFinding(doc.unit_name, doc.year, "cross_table", sev,
                                            f"{name}：{base_row.table_name} {base:,.2f} ≠ {row.table_name} {value:,.2f}",
                                            {base_row.table_name: base, row.table_name: value},
                                            [self._where(base_row), self._where(row, cell)]))
        return out

    # ---- narrative amounts vs table cells --------------------------------------------------

    def _narrative_vs_tables(self, doc) -> list[AuditFinding]:
        rows = [r for t in self.tables for r in t.rows]
        by_label: dict[str, list] = {}
        for row in rows:
            for cell in row.cells:
                for key in {label_core(row.label), norm(cell[1].split("/")[-1])} if re.fullmatch(
                        r"(总计|合计)[:：]?", label_core(row.label)) else {label_core(row.label)}:
                    by_label.setdefault(key, []).append((row, cell))
        out = []
        for p in self.passages:
            if not p.section.startswith("第三部分") or "项目名称" in p.section:
                continue  # a project's 资金分配 items are not the table rows of the same name
            for m in re.finditer(rf"([\u4e00-\u9fa5（）()“”]{{2,20}}?)\s*({AMOUNT})\s*万元", p.text):
                label = re.sub(r"^(其中|包括|主要|为|预算数为|合计)[:：]?", "", m.group(1))
                label = re.sub(r"（(类|款|项)）$", "", norm(label))
                cells = by_label.get(label)
                if not cells or len(label) < 3:
                    continue
                value = _num(m.group(2))
                if any(abs((c[2] or 0.0) - value) <= 1e-6 for _, c in cells):
                    continue
                closest_row, closest = min(cells, key=lambda rc: abs((rc[1][2] or 0.0) - value))
                sev = _severity(value - (closest[2] or 0.0))
                if sev and not self._is_change(p.text, m.end()):
                    out.append(AuditFinding(
                        doc.unit_name, doc.year, "narrative_vs_table", sev,
                        f"说明称「{label}」{value:,.2f} 万元，表中最接近的是 {closest_row.table_name}「{closest_row.label}」"
                        f"「{closest[1]}」{(closest[2] or 0):,.2f}", {"stated": value, "table": closest[2]},
                        [{"section": p.section, "quote": p.text[max(0, m.start() - 10):m.end() + 10], "line": p.line},
                         self._where(closest_row, closest)]))
        return out

    @staticmethod
    def _is_change(text: str, end: int) -> bool:
        return bool(re.match(r"[^，。；]{0,4}(比上年|较上年)", text[end:end + 8])) or \
            bool(re.search(r"(增加|减少)\s*$", text[max(0, end - 30):end].split("万元")[0]))

    # ---- the narrative's own arithmetic ------------------------------------------------------

    def _narrative_arithmetic(self, doc) -> list[AuditFinding]:
        out = []
        for p in self.passages:
            section_text = p.text
            base = self._base_amount(doc.id, p)
            for m in re.finditer(rf"([\u4e00-\u9fa5（）()]{{2,30}}?)\s*({AMOUNT})\s*万元\s*[，,]\s*占\s*({AMOUNT})\s*%", section_text):
                if not base:
                    continue
                amount, share = _num(m.group(2)), _num(m.group(3))
                computed = round(amount / base * 100, 2)
                sev = _severity(computed - share)
                if sev:
                    out.append(AuditFinding(doc.unit_name, doc.year, "stated_share", sev,
                                            f"「{m.group(1)}」{amount:,.2f} 万元占 {base:,.2f} 应为 {computed:.2f}%，说明写 {share:.2f}%",
                                            {"amount": amount, "base": base, "stated": share, "computed": computed},
                                            [{"section": p.section, "quote": m.group(0), "line": p.line}]))
            for m in CHANGE.finditer(section_text):
                if not m.group(4):
                    continue
                amount_m = list(re.finditer(rf"({AMOUNT})\s*万元", section_text[:m.start()]))
                if not amount_m:
                    continue
                current = _num(amount_m[-1].group(1))
                change = _num(m.group(2)) * (-1 if m.group(1) == "减少" else 1)
                previous = current - change
                if previous <= 0:
                    continue
                rate = abs(change) / previous * 100
                stated = _num(m.group(4))
                if stated >= 100 and rate >= 99.99:
                    continue
                # a rate printed with fewer decimals ("增长 22%") is right within half its last digit
                decimals = len(m.group(4).split(".")[1]) if "." in m.group(4) else 0
                allowed = max(TOL, 0.5 * 10 ** -decimals) + 1e-6
                sev = _severity(round(rate, 2) - stated)
                if sev and abs(round(rate, 2) - stated) > allowed:
                    subject = subject_before(section_text, m.start())
                    out.append(AuditFinding(doc.unit_name, doc.year, "stated_change", "error",
                                            f"「{subject}」{current:,.2f} 万元，比上年{m.group(1)} {abs(change):,.2f} 万元，"
                                            f"变化率应为 {rate:.2f}%，说明写 {stated:.2f}%",
                                            {"current": current, "change": change, "stated_rate": stated,
                                             "computed_rate": round(rate, 2)},
                                            [{"section": p.section, "quote": section_text[amount_m[-1].start():m.end()],
                                              "line": p.line}]))
            for m in re.finditer(rf"政府采购预算\s*({AMOUNT})\s*万元[^。]*?货物预算\s*({AMOUNT})\s*万元[^。]*?工程预算\s*"
                                 rf"({AMOUNT})\s*万元[^。]*?服务预算\s*({AMOUNT})\s*万元", section_text):
                total, parts = _num(m.group(1)), [_num(m.group(i)) for i in (2, 3, 4)]
                sev = _severity(round(sum(parts), 2) - total)
                if sev:
                    out.append(AuditFinding(doc.unit_name, doc.year, "parts_sum", sev,
                                            f"政府采购预算 {total:,.2f} 万元，货物 + 工程 + 服务 = {sum(parts):,.2f} 万元",
                                            {"total": total, "parts": parts},
                                            [{"section": p.section, "quote": m.group(0)[:120], "line": p.line}]))
            out += self._vehicle_parts(doc, p)
            out += self._reason_parts(doc, p)
        out += self._running_costs(doc)
        return out

    def _vehicle_parts(self, doc, p) -> list[AuditFinding]:
        """"车辆 2 辆，价值 22.86 万元；其中：一般公务用车 2 辆，价值 22.76 万元；…" — the kinds add up."""
        m = re.search(rf"车辆\s*(\d+)\s*辆\s*[，,]\s*价值\s*({AMOUNT})\s*万元[；;，,]\s*其中[：:](.+)", p.text)
        if not m:
            return []
        kinds = re.findall(rf"([\u4e00-\u9fa5]+车辆?)\s*(\d+)\s*辆\s*[，,]\s*价值\s*({AMOUNT})\s*万元", m.group(3))
        if not kinds:
            return []
        out = []
        count, value = int(m.group(1)), _num(m.group(2))
        parts_count, parts_value = sum(int(k[1]) for k in kinds), round(sum(_num(k[2]) for k in kinds), 2)
        quote = {"section": p.section, "quote": p.text[:160], "line": p.line}
        if parts_count != count:
            out.append(AuditFinding(doc.unit_name, doc.year, "parts_sum", "error",
                                    f"车辆 {count} 辆，各类车辆合计 {parts_count} 辆", {"total": count,
                                    "parts": [int(k[1]) for k in kinds]}, [quote]))
        sev = _severity(parts_value - value)
        if sev:
            out.append(AuditFinding(doc.unit_name, doc.year, "parts_sum", sev,
                                    f"车辆价值 {value:,.2f} 万元，各类车辆价值合计 {parts_value:,.2f} 万元",
                                    {"total": value, "parts": [_num(k[2]) for k in kinds]}, [quote]))
        return out

    def _reason_parts(self, doc, p) -> list[AuditFinding]:
        """"比上年减少 11.79 万元…主要原因是…减少A 4万元、减少B 9.79万元" — the reasons' amounts add up."""
        out = []
        for m in re.finditer(rf"比上年(?:预算|执行数)?\s*(增加|减少)\s*({AMOUNT})\s*万元[^。]*?主要原因[^。]*", p.text):
            reason = m.group(0)[m.group(0).index("主要原因"):]
            amounts = [_num(x) for x in re.findall(rf"(?:增加|减少)[^，、；。]{{0,40}}?(?<![\d.])({AMOUNT})\s*万元", reason)]
            if len(amounts) < 2:
                continue
            stated = _num(m.group(2))
            sev = _severity(round(sum(amounts), 2) - stated)
            if sev:
                out.append(AuditFinding(doc.unit_name, doc.year, "change_parts", sev,
                                        f"比上年{m.group(1)} {stated:,.2f} 万元，所列原因金额合计 {sum(amounts):,.2f} 万元"
                                        f"（{' + '.join(f'{a:g}' for a in amounts)}）",
                                        {"stated": stated, "parts": amounts},
                                        [{"section": p.section, "quote": m.group(0)[:200], "line": p.line}]))
        return out

    def _running_costs(self, doc) -> list[AuditFinding]:
        """机关运行经费 (行政单位的公用经费) stated in the narrative vs 表6's 公用经费 total."""
        total = self._total(doc.id, "一般公共预算基本支出", r"(总计|合计)[:：]?", "公用经费")
        if not total:
            return []
        out = []
        for p in self.passages:
            m = re.search(rf"(机关|事业单位|单位)运行经费财政拨款预算\s*({AMOUNT})\s*万元", p.text)
            if m:
                stated = _num(m.group(2))
                sev = _severity(stated - total[0])
                if sev:
                    out.append(AuditFinding(doc.unit_name, doc.year, "narrative_vs_table", sev,
                                            f"运行经费 {stated:,.2f} 万元，表6 公用经费合计 {total[0]:,.2f} 万元",
                                            {"stated": stated, "table": total[0]},
                                            [{"section": p.section, "quote": m.group(0), "line": p.line},
                                             self._where(total[1], total[2])]))
        return out

    def _section_bases(self) -> dict[str, float]:
        """Each section's lead amount, found once ("单位收入预算 714.76 万元，其中：", "政府采购预算总金额为
        1,271.22 万元。其中，货物类…"): the first whole the section states."""
        bases: dict[str, float] = {}
        for x in self.passages:
            if x.section in bases:
                continue
            m = re.search(rf"(总金额|收入预算|支出预算|拨款合计|当年拨款)\s*(?:为|是)?\s*({AMOUNT})\s*万元", x.text)
            if m:
                bases[x.section] = _num(m.group(2))
        return bases

    def _base_amount(self, doc_id: int, p) -> float | None:
        """The whole a section's shares are of: its lead amount, or for 一般公共预算当年拨款结构 the year's total."""
        if p.section in self.section_base:
            return self.section_base[p.section]
        if "结构" in p.section:  # 一般公共预算当年拨款结构: shares of the year's 一般公共预算拨款
            if self._structure_base is None:  # found once per document, not once per passage
                total = self._total(doc_id, "一般公共预算支出", r"(总计|合计)[:：]?", "合计")
                self._structure_base = (total[0] if total else None,)
            return self._structure_base[0]
        return None

    # ---- "为空表" statements --------------------------------------------------------------------

    def _empty_statements(self, doc) -> list[AuditFinding]:
        out = []
        for table in self.tables:
            if "空表" in (table.note or "") or "空白表" in (table.note or ""):
                nonzero = [(r, c) for r in table.rows for c in r.cells if c[2]]
                if nonzero:
                    r, c = nonzero[0]
                    out.append(AuditFinding(doc.unit_name, doc.year, "empty_statement", "error",
                                            f"{table.title} 说明为空表，但「{r.label}」「{c[1]}」为 {c[2]:,.2f}",
                                            {"value": c[2]}, [{"quote": table.note}, self._where(r, c)]))
        return out

    # ---- the document's template family (index/templates) -----------------------------------------

    def _missing_tables(self, doc) -> list[AuditFinding]:
        """Each standard table of the family the document neither prints nor states empty."""
        texts = [p.text for p in self.passages] + [t.note for t in self.tables if t.note]
        return [AuditFinding(doc.unit_name, doc.year, "missing_table", "warning", f"缺少表：{s.title}",
                             {"family": self.family.id, "kind": s.kind, "title": s.title},
                             [{"section": f"{self.family.name}的标准表"}])
                for s in conformance.missing(self.family, self.tables, texts)]

    def _balances(self, doc) -> list[AuditFinding]:
        """A row = the sum of other rows, in each of its value columns (决算: 总计 = 本年收入合计 + 年初结转和结余 …)."""
        out = []
        for rule in self.family.balances:
            for table in (t for t in self.tables if t.kind == rule.kind):
                rows = [r for r in table.rows if not rule.side or (r.side or "").endswith(rule.side)]
                total = _first_row(rows, rule.total)
                parts = [p for p in (_first_row(rows, pattern) for pattern in rule.parts) if p is not None]
                if total is None or not parts:
                    continue
                for cell in total.cells:
                    if cell[2] is None:
                        continue
                    values = [_cell_value(p, cell[1]) for p in parts]
                    expected = round(sum(v or 0.0 for v in values), 6)
                    sev = _severity(cell[2] - expected)
                    if sev:
                        shown = " + ".join(f"{p.label} {v or 0:,.2f}" for p, v in zip(parts, values))
                        out.append(AuditFinding(
                            doc.unit_name, doc.year, "balance", sev,
                            f"{table.name}「{total.label}」「{cell[1]}」= {cell[2]:,.2f}，{shown} = {expected:,.2f}",
                            {"printed": cell[2], "expected": expected, "parts": {p.label: v for p, v in zip(parts, values)}},
                            [self._where(total, cell)] + [self._where(p) for p in parts]))
        return out

    def _row_identities(self, doc) -> list[AuditFinding]:
        """In every row: a column = Σ some columns − Σ others (年末结转和结余 = 年初 + 本年收入 − 本年支出)."""
        out = []
        for rule in self.family.row_identities:
            for table in (t for t in self.tables if t.kind == rule.kind):
                for row in table.rows:
                    result = _cell_by_leaf(row, rule.result)
                    plus = [_cell_by_leaf(row, c) for c in rule.plus]
                    minus = [_cell_by_leaf(row, c) for c in rule.minus]
                    if result is None or any(c is None or c[2] is None for c in plus + minus) or result[2] is None:
                        continue
                    expected = round(sum(c[2] for c in plus) - sum(c[2] for c in minus), 6)
                    sev = _severity(result[2] - expected)
                    if sev:
                        formula = " + ".join(rule.plus) + "".join(f" − {m}" for m in rule.minus)
                        out.append(AuditFinding(
                            doc.unit_name, doc.year, "row_identity", sev,
                            f"{table.name}「{row.label}」「{rule.result}」= {result[2]:,.2f}，{formula} = {expected:,.2f}",
                            {"printed": result[2], "expected": expected}, [self._where(row, result)]))
        return out

    def _stated_figures(self, doc) -> list[AuditFinding]:
        """Totals the family's narrative states ("收入支出总计2995.39万元") against the table cell they name."""
        out = []
        for rule in self.family.stated_figures:
            cell = self._total(doc.id, rule["kind"], rule["row"], rule.get("column"), rule.get("side"))
            if cell is None:
                continue
            value, row, printed = cell
            for p in self.passages:
                for m in re.finditer(rf"(?P<what>{rule['pattern']})\s*(?:为|是)?\s*(?P<amount>{AMOUNT})\s*万元", p.text):
                    stated = _num(m.group("amount"))
                    sev = _severity(stated - value)
                    if sev:
                        out.append(AuditFinding(
                            doc.unit_name, doc.year, "narrative_vs_table", sev,
                            f"说明称「{m.group('what')}」{stated:,.2f} 万元，"
                            f"{row.table_name}「{row.label}」为 {value:,.2f}", {"stated": stated, "table": value},
                            [{"section": p.section, "quote": p.text[max(0, m.start() - 20):m.end() + 10], "line": p.line},
                             self._where(row, printed)]))
        return out

    @staticmethod
    def _where(row: _Row, cell: tuple | None = None) -> dict:
        return {"table": row.table_name, "row": row.label, "code": row.code, "column": cell[1] if cell else None,
                "line": row.line, "page": row.page}


def _first_row(rows: list[_Row], pattern: str) -> _Row | None:
    return next((r for r in rows if re.fullmatch(pattern, label_core(r.label))), None)


def _cell_value(row: _Row, path: str) -> float | None:
    """The row's figure in the column `path` (0 when the cell is empty or not printed)."""
    return next((c[2] for c in row.cells if c[1] == path), 0.0)


def _cell_by_leaf(row: _Row, leaf: str) -> tuple | None:
    return next((c for c in row.cells if norm(c[1].split("/")[-1]) == norm(leaf)), None)


def audit_document(doc: Document, tables: list[Table]) -> list[AuditFinding]:
    """The audit of a document just read (at ingest, before it is stored)."""
    return Auditor(_Doc(None, doc.unit_name, doc.year, doc.family), _read_tables(tables), _read_passages(doc)).audit()


def audit(store: Store, doc_ids: list[int] | None = None, severities: tuple[str, ...] | None = None,
          limit: int | None = None) -> list[AuditFinding]:
    """Every finding of the documents asked (all when None): the stored ones, in the order they were made;
    `severities` keeps only those (e.g. ("error",): the 审核 tab without the rounding differences), `limit`
    the first so many (a screen's worth of a corpus's findings, read without reading the rest)."""
    reader = StoreReader(store)
    docs = {d.id: d for d in reader.documents()}
    ids = list(doc_ids) if doc_ids else sorted(docs)
    stored: dict[int, list] = {}
    for f in _stored_findings(store, ids if doc_ids else None, severities, limit):
        stored.setdefault(f["document_id"], []).append(f)
    family = ", family" if store.has_column("documents", "family") else ", NULL AS family"
    versions = {r["id"]: (r["audit_version"], r["family"])
                for r in store.query(f"SELECT id, audit_version{family} FROM documents")}
    out: list[AuditFinding] = []
    for doc_id in ids:
        if limit is not None and len(out) >= limit:
            return out[:limit]
        doc = docs[doc_id]
        rows = stored.get(doc_id, [])
        for f in rows:
            if f["origin"] in (None, "tables"):
                out.append(AuditFinding(doc.unit_name, doc.year, f"table:{f['rule']}", f["severity"], f["message"],
                                        {"expected": f["expected"], "printed": f["actual"],
                                         "difference": f["difference"]}, json.loads(f["sources"] or "[]")))
        version, family_id = versions.get(doc_id, (None, None))
        if (version or 0) >= AUDIT_VERSION:
            out += [AuditFinding(doc.unit_name, doc.year, f["rule"], f["severity"], f["message"],
                                 json.loads(f["details"] or "{}"), json.loads(f["sources"] or "[]"))
                    for f in rows if f["origin"] == "audit"]
        else:  # stored before the audit ran at ingest, or by older rules: audit it from the store now
            out += [f for f in Auditor(_Doc(doc_id, doc.unit_name, doc.year, family_id), _tables(reader, doc_id),
                                       _passages(reader, doc_id)).audit()
                    if severities is None or f.severity in severities]
    return out if limit is None else out[:limit]


def _stored_findings(store: Store, doc_ids: list[int] | None, severities: tuple[str, ...] | None,
                     limit: int | None = None) -> list:
    columns = "id, document_id, rule, severity, message, expected, actual, difference, sources, origin, details"
    where = f" AND severity IN ({','.join('?' * len(severities))})" if severities else ""
    kept = list(severities or ())
    if doc_ids is None:
        return store.query(f"SELECT {columns} FROM findings WHERE 1 = 1{where} ORDER BY document_id, id"
                           + (f" LIMIT {int(limit)}" if limit is not None else ""), kept)
    out = []
    for i in range(0, len(doc_ids), 500):
        part = doc_ids[i:i + 500]
        out += store.query(f"SELECT {columns} FROM findings WHERE document_id IN ({','.join('?' * len(part))})"
                           f"{where} ORDER BY document_id, id", part + kept)
    return out


def to_json(findings: list[AuditFinding]) -> str:
    return json.dumps({"findings": [asdict(f) for f in findings]}, ensure_ascii=False, indent=1)
