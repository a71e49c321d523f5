"""ask(question) → Answer: understand the question, pick documents, route, compose.

Figures come only from the store (a table cell or a stated fact) or are computed from stored
figures shown with their formula; reasons, definitions and lists come from cited passages of
the same document. When the corpus does not hold what is asked, the answer says so and says
what the corpus does hold — it never falls back to a guess.
"""
from __future__ import annotations

import re
import threading
from pathlib import Path

from assistant.answer import AMBIGUOUS, ANSWERED, NOT_FOUND, Answer, Citation, Figure
from assistant.figures import (FigureIndex, RowMatch, StoredFact, children, column_total_rows, kind_hints,
                               label_core, match_facts, match_rows, norm)
from assistant.lexicon import Lexicon, Unit
from assistant.passages import PassageIndex, glossary_term, reason_clause
from assistant.understand import Query, understand
from index.store import Store

MIN_SCORE = 6.0  # a 2-character label printed whole scores 7; weaker matches are not answers
SYNONYMS = [(r"公车", "公务用车"), (r"(?<![用务])车(?![辆])", "车辆"), (r"三公经费", "“三公”经费"),
            (r"人员数|人数", "人数"), (r"房子|办公用房面积", "房屋面积")]
MAX_QUESTION = 500


def _fmt(value: float, raw: str | None = None) -> str:
    if raw and re.fullmatch(r"[\d,]+(\.\d+)?", raw):
        return raw
    return f"{value:,.2f}" if abs(value - round(value)) > 1e-9 else f"{value:,.0f}"


class Assistant:
    """Loads the store once (thread-safe reads); `ask` answers one question."""

    def __init__(self, data_dir: str | Path = "data"):
        self.store = Store(data_dir, read_only=True)
        self.lexicon = Lexicon.build(self.store)
        self.figures = FigureIndex(self.store)
        self.passages = PassageIndex(self.store)
        self.docs = {d.id: d for d in self.store.documents()}
        self._lock = threading.Lock()

    # ---- entry -------------------------------------------------------------------

    def ask(self, question: str) -> Answer:
        question = (question or "").strip()
        if not question:
            return Answer(question, "请输入一个问题，例如：巴州社保中心2025年“三公”经费是多少？", NOT_FOUND, route="empty")
        q = understand(question[:MAX_QUESTION], self.lexicon)
        if len(question) > MAX_QUESTION and not q.units:
            return Answer(question, "问题太长且未指明单位，请简要提问。", NOT_FOUND, route="too_long")
        docs, problem = self.documents_for(q)
        if problem:
            return Answer(question, problem, NOT_FOUND, route="no_document")
        text = self._expand(q.rest)
        route = getattr(self, f"_{q.intent}")
        return route(q, docs, text)

    def documents_for(self, q: Query) -> tuple[list, str | None]:
        """The documents a question is about, or a sentence saying why there are none."""
        known = "、".join(f"{u.name}（{'、'.join(map(str, u.years))}年）" for u in self.lexicon.units)
        if q.unknown_units and not q.units:
            return [], f"语料中没有“{'、'.join(q.unknown_units)}”的预算公开文件，无法回答。已收录：{known}。"
        units: list[Unit] = q.units or self.lexicon.units
        docs = []
        missing = []
        for unit in units:
            mine = [self.docs[d["id"]] for d in unit.documents]
            if q.years:
                chosen = [d for d in mine if d.year in q.years]
                if not chosen and q.year_end:  # 截至2024年底 is stated in the 2025 budget
                    chosen = [d for d in mine if d.year - 1 in q.years]
                if not chosen and q.units:
                    missing.append(unit)
                docs += chosen
            else:
                if q.units and len(mine) > 1 and q.intent != "compare":
                    mine = [max(mine, key=lambda d: d.year or 0)]
                docs += mine
        if not docs:
            if missing:
                u = missing[0]
                return [], (f"语料中没有{u.name}{'、'.join(map(str, q.years))}年的预算公开文件；"
                            f"该单位已收录的年份：{'、'.join(map(str, u.years))}年。")
            return [], f"语料中没有{'、'.join(map(str, q.years))}年的预算公开文件。已收录：{known}。"
        return docs, None

    @staticmethod
    def _expand(text: str) -> str:
        text = norm(text)
        for pattern, repl in SYNONYMS:
            if re.search(pattern, text) and repl not in text:
                text += " " + repl
        return text

    # ---- figures -----------------------------------------------------------------

    def _figure_from_row(self, m: RowMatch, doc) -> Figure:
        number, path, value, raw = m.column
        return Figure(value=value if value is not None else 0.0, unit=m.row.measure_unit, unit_name=doc.unit_name,
                      year=doc.year, table=m.row.table_name, row=m.row.label, column=path, page=m.row.page,
                      line=m.row.line, source_file=doc.source_file)

    def _figure_from_fact(self, f: StoredFact, doc) -> Figure:
        return Figure(value=f.value, unit=f.unit, unit_name=doc.unit_name, year=doc.year, table=None,
                      row=f.name + (f"（{f.subject}）" if f.subject else ""), column=None, page=f.page, line=f.line,
                      source_file=doc.source_file)

    def _citation(self, doc, section: str, quote: str, line=None, page=None) -> Citation:
        return Citation(unit_name=doc.unit_name, year=doc.year, section=section, quote=quote, page=page, line=line,
                        source_file=doc.source_file)

    def best_figure(self, doc, text: str, codes: list[str]):
        """The single best source of the figure asked: ('row', [RowMatch…]) or ('fact', StoredFact) or None."""
        rows = match_rows(self.figures, doc.id, text, codes)
        cols = column_total_rows(self.figures, doc.id, text)
        facts = match_facts(self.figures, doc.id, text)
        row_score = rows[0].score if rows else 0.0
        col_score = cols[0].score if cols else 0.0
        fact_score = facts[0][0] if facts else 0.0
        best = max(row_score, col_score, fact_score)
        if best < MIN_SCORE:
            return None
        if fact_score >= best and fact_score > row_score:
            return ("fact", facts[0][1])
        if col_score >= best and col_score > row_score:
            return ("row", [cols[0]])
        top = [m for m in rows if m.score >= row_score - 1e-9 and label_core(m.row.label) == label_core(
            rows[0].row.label)]
        return ("row", top)

    def empty_table_answer(self, doc, text: str):
        """A metric whose whole table is printed empty (为空表): the answer is 0, not unknown."""
        for kind in kind_hints(text):
            for table in self.figures.tables.get(doc.id, []):
                if table.kind == kind and not any(c[2] for r in table.rows for c in r.cells):
                    name = f"表{table.number} {table.title}" if table.number else table.title
                    fig = Figure(0.0, table.measure_unit, doc.unit_name, doc.year, name, None, None, table.page,
                                 table.line, doc.source_file)
                    note = table.note or "该表为空表"
                    return fig, self._citation(doc, name, note, table.line, table.page)
        return None

    def _lookup_one(self, doc, q: Query, text: str):
        """(answer sentence, figures, citations) for one document, or None."""
        found = self.best_figure(doc, text, q.codes)
        if found is None:
            empty = self.empty_table_answer(doc, text)
            if empty:
                fig, cit = empty
                return f"{doc.unit_name}{doc.year}年{fig.table}为空表，金额为 0（未安排）。{cit.quote}", [fig], [cit]
            return None
        if found[0] == "fact":
            f = found[1]
            fig = self._figure_from_fact(f, doc)
            cit = self._citation(doc, f.section, f.quote, f.line, f.page)
            return (f"{doc.unit_name}{doc.year}年{fig.row}为 {_fmt(f.value)} {f.unit}。原文：{f.quote}", [fig], [cit])
        matches: list[RowMatch] = found[1]
        figs, seen = [], set()
        for m in matches:
            key = (m.row.table_id, m.column[1])
            if key not in seen:
                seen.add(key)
                figs.append(self._figure_from_row(m, doc))
        first = matches[0]
        values = {round(f.value, 2) for f in figs}
        if len(values) > 1:
            figs = [figs[0]]
        number, path, value, raw = first.column
        where = "；".join(f"{f.table}「{f.row}」行「{f.column}」列" + (f"第{f.page}页" if f.page else
                                                                    f"第{f.line}行" if f.line else "")
                         for f in figs)
        shown = _fmt(value or 0.0, raw) if raw != "" else "0（空白，未安排）"
        sentence = f"{doc.unit_name}{doc.year}年{first.row.label}（{path}）为 {shown} {first.row.measure_unit}。来源：{where}。"
        cits = self._corroborate(doc, first.row.label, raw)
        return sentence, figs, cits

    def _corroborate(self, doc, label: str, raw: str) -> list[Citation]:
        """Narrative passages of the same document that state the same figure for the same item."""
        if not raw or raw in ("0", "0.00"):
            return []
        core = label_core(label)
        out = []
        for p in self.passages.passages:
            if p.doc_id == doc.id and raw in p.text and core and core[:4] in norm(p.text):
                out.append(self._citation(doc, p.section, p.text, p.line, p.page))
                if len(out) >= 2:
                    break
        return out

    def _lookup(self, q: Query, docs, text: str) -> Answer:
        if re.search(r"各(科室|处室|部门|股室|人员)|每个(科室|处室|部门|人)|分别有多少", q.text) and "编制" in q.text:
            return Answer(q.question, f"{docs[0].unit_name}的公开文件只公布了单位的总体数字，没有按科室或人员分列，无法回答。",
                          NOT_FOUND, route="not_found:breakdown")
        parts, figs, cits = [], [], []
        for doc in docs:
            one = self._lookup_one(doc, q, text)
            if one:
                parts.append(one[0])
                figs += one[1]
                cits += one[2]
        if not parts:
            names = "、".join(f"{d.unit_name}{d.year}年" for d in docs[:4])
            return Answer(q.question, f"在{names}的公开文件中没有找到这个问题所问的数字或内容。", NOT_FOUND,
                          route="lookup:not_found")
        status = AMBIGUOUS if len(parts) > 1 and not q.units else ANSWERED
        prefix = "问题未指明单位，以下列出各单位：\n" if status == AMBIGUOUS else ""
        return Answer(q.question, prefix + "\n".join(parts), status, figs, cits, route="lookup:sql")

    def _compare(self, q: Query, docs, text: str) -> Answer:
        answer = self._lookup(q, docs, text)
        if answer.status == NOT_FOUND:
            return answer
        answer.status = ANSWERED
        answer.route = "compare:sql"
        main = [f for f in answer.figures if f.table or f.row]
        per_doc = {}
        for f in main:
            per_doc.setdefault((f.unit_name, f.year), f)
        if len(per_doc) == 2:
            a, b = list(per_doc.values())
            if a.unit == b.unit:
                diff = a.value - b.value
                answer.answer += (f"\n两者相同，均为 {_fmt(a.value)} {a.unit}。" if abs(diff) < 1e-9 else
                                  f"\n{a.unit_name}{a.year}年比{b.unit_name}{b.year}年"
                                  f"{'多' if diff > 0 else '少'} {_fmt(abs(diff))} {a.unit}"
                                  f"（{_fmt(a.value)} − {_fmt(b.value)}）。")
        return answer

    def _aggregate(self, q: Query, docs, text: str) -> Answer:
        doc = docs[0]
        op = ("max" if re.search(r"最大|最多|最高|排名第一", q.text) else "min" if re.search(r"最小|最少|最低", q.text)
              else "count" if re.search(r"几个|多少个|多少项|几项", q.text) else "sum")
        if op == "count" and "项目" in q.text:
            return self._count_projects(q, doc)
        parents = [m for m in match_rows(self.figures, doc.id, text, q.codes) if m.row.code and m.score >= MIN_SCORE]
        items, path = [], None
        for m in parents:
            kids = children(self.figures, m.row)
            if kids:
                items, path, parent = kids, m.column[1], m.row
                break
        if not items:
            cols = column_total_rows(self.figures, doc.id, text)
            if not cols:
                return self._lookup(q, docs, text)
            m = cols[0]
            path = m.column[1]
            table = next(t for t in self.figures.tables[doc.id] if t.id == m.row.table_id)
            coded = [r for r in table.rows if r.code]
            items = [r for r in coded if not any(o.code != r.code and o.code.startswith(r.code) for o in coded)]
            parent = m.row
        values = [(r, r.cell(path)) for r in items if r.cell(path) and r.cell(path)[2]]
        if not values:
            return Answer(q.question, "没有可比较的非零项目。", NOT_FOUND, route="aggregate:empty")
        figs = []
        if op in ("max", "min"):
            r, c = (max if op == "max" else min)(values, key=lambda rc: rc[1][2])
            figs = [self._figure_from_row(RowMatch(r, 0, c), doc)]
            word = "最大" if op == "max" else "最小"
            text_out = (f"{doc.unit_name}{doc.year}年{parent.label}（{path}）中金额{word}的是「{r.label}」，"
                        f"{_fmt(c[2], c[3])} {r.measure_unit}（{r.table_name}）。"
                        f"比较范围：{'、'.join(f'{x.label} {_fmt(y[2], y[3])}' for x, y in values)}。")
        elif op == "count":
            text_out = f"{doc.unit_name}{doc.year}年{parent.label}下共有 {len(values)} 项非零科目：" + "、".join(
                r.label for r, _ in values) + "。"
        else:
            total = sum(c[2] for _, c in values)
            figs = [Figure(round(total, 2), parent.measure_unit, doc.unit_name, doc.year, parent.table_name,
                           parent.label, path, formula=" + ".join(_fmt(c[2], c[3]) for _, c in values),
                           inputs=[self._figure_from_row(RowMatch(r, 0, c), doc) for r, c in values])]
            text_out = f"合计 {_fmt(total)} {parent.measure_unit} = {figs[0].formula}。"
        return Answer(q.question, text_out, ANSWERED, figs, route=f"aggregate:{op}")

    def _count_projects(self, q: Query, doc) -> Answer:
        projects = [r for t in self.figures.tables.get(doc.id, []) if t.kind == "项目支出" for r in t.rows
                    if r.subject]
        if not projects:
            return Answer(q.question, f"{doc.unit_name}{doc.year}年项目支出表中没有列出项目。", NOT_FOUND,
                          route="aggregate:count")
        names = "、".join(r.label for r in projects)
        return Answer(q.question, f"{doc.unit_name}{doc.year}年项目支出表列出 {len(projects)} 个项目：{names}。",
                      ANSWERED, [self._figure_from_row(RowMatch(r, 0, r.first_cell()), doc) for r in projects],
                      route="aggregate:count_projects")

    def _ratio(self, q: Query, docs, text: str) -> Answer:
        doc = docs[0]
        stated = [(s, f) for s, f in match_facts(self.figures, doc.id, text) if f.unit == "%" and s >= MIN_SCORE]
        want_change = re.search(r"增长率|增幅|降幅|变化率|增长了?多少|下降了?多少", q.text)
        if want_change:
            stated = [(s, f) for s, f in stated if "变化" in f.name] or stated
        else:
            stated = [(s, f) for s, f in stated if "变化" not in f.name] or stated
        if stated:
            f = stated[0][1]
            fig = self._figure_from_fact(f, doc)
            return Answer(q.question, f"{doc.unit_name}{doc.year}年{fig.row}为 {_fmt(f.value)}%（文件原文）。原文：{f.quote}",
                          ANSWERED, [fig], [self._citation(doc, f.section, f.quote, f.line, f.page)],
                          route="ratio:stated")
        m = re.search(r"占(.{2,20}?)的?(比重|比例|百分比|比)", text)
        numerator_text = text[:m.start()] if m else text
        num = self.best_figure(doc, numerator_text, q.codes) or self.best_figure(doc, text, q.codes)
        if num is None:
            return Answer(q.question, "没有找到计算比例所需的数字。", NOT_FOUND, route="ratio:not_found")
        num_fig = (self._figure_from_fact(num[1], doc) if num[0] == "fact" else self._figure_from_row(num[1][0], doc))
        den_fig = None
        if m:
            den = self.best_figure(doc, m.group(1), [])
            if den:
                den_fig = self._figure_from_fact(den[1], doc) if den[0] == "fact" else self._figure_from_row(
                    den[1][0], doc)
        if den_fig is not None and (den_fig.table, den_fig.row, den_fig.column) == (
                num_fig.table, num_fig.row, num_fig.column):
            den_fig = None
        if den_fig is None and num[0] == "row" and num[1][0].column != num[1][0].row.first_cell():
            row = num[1][0]  # a part column of a row (基本支出) over the row's total column (合计)
            den_fig = self._figure_from_row(RowMatch(row.row, 0, row.row.first_cell()), doc)
        if den_fig is None and num[0] == "row":
            row = num[1][0]
            table = next(t for t in self.figures.tables[doc.id] if t.id == row.row.table_id)
            total = next((r for r in table.rows if re.fullmatch(r"(总计|合计)[:：]?", norm(r.label))
                          and r.side == row.row.side), None)
            if total and total.cell(row.column[1]):
                den_fig = self._figure_from_row(RowMatch(total, 0, total.cell(row.column[1])), doc)
        if den_fig is None or not den_fig.value:
            return Answer(q.question, "没有找到计算比例所需的分母。", NOT_FOUND, route="ratio:not_found")
        value = round(num_fig.value / den_fig.value * 100, 2)
        formula = f"{_fmt(num_fig.value)} ÷ {_fmt(den_fig.value)} × 100%"
        fig = Figure(value, "%", doc.unit_name, doc.year, num_fig.table, num_fig.row, num_fig.column,
                     formula=formula, inputs=[num_fig, den_fig])
        return Answer(q.question, f"{doc.unit_name}{doc.year}年{num_fig.row}占{den_fig.row}的比例为 {value:.2f}%"
                                  f"（计算：{formula}；文件未直接列出）。", ANSWERED, [fig, num_fig, den_fig],
                      route="ratio:computed")

    # ---- passages ------------------------------------------------------------------

    def _explain(self, q: Query, docs, text: str) -> Answer:
        ids = {d.id for d in docs}
        hits = self.passages.search(text, ids, must=lambda p: "原因" in p.text)
        if not hits:
            return Answer(q.question, "文件中没有找到对应的原因说明。", NOT_FOUND, route="explain:not_found")
        score, p = hits[0]
        doc = self.docs[p.doc_id]
        clause = reason_clause(p.text)
        answer = f"{doc.unit_name}{doc.year}年的说明：{clause}\n原文（{p.section}）：{p.text}"
        return Answer(q.question, answer, ANSWERED, citations=[self._citation(doc, p.section, p.text, p.line, p.page)],
                      route="explain:passage")

    def _definition(self, q: Query, docs, text: str) -> Answer:
        ids = {d.id for d in docs}
        quoted = re.findall(r"[“\"]([^”\"]+)[”\"]", q.text)

        def in_glossary(p):
            return "名词解释" in p.section

        hits = self.passages.search(text, ids, must=in_glossary, k=20)
        if quoted:
            exact = [(s + 20, p) for s, p in hits if glossary_term(p.text) in {norm(t) for t in quoted}]
            hits = exact + hits
        if not hits:
            return Answer(q.question, "所指文件中没有名词解释部分，或没有这个名词。", NOT_FOUND, route="definition:not_found")
        score, p = hits[0]
        doc = self.docs[p.doc_id]
        return Answer(q.question, f"{doc.unit_name}{doc.year}年预算公开的名词解释：{p.text}", ANSWERED,
                      citations=[self._citation(doc, p.section, p.text, p.line, p.page)], route="definition:passage")

    def _list(self, q: Query, docs, text: str) -> Answer:
        if re.search(r"多少|几[辆个台人项名]", q.text) and self.best_figure(docs[0], text, q.codes):
            return self._lookup(q, docs, text)
        if any(norm(t) in {glossary_term(p.text) for p in self.passages.passages if "名词解释" in p.section}
               for t in re.findall(r"[“\"]([^”\"]+)[”\"]", q.text)):
            return self._definition(q, docs, text)
        if "项目" in q.text and not re.search(r"绩效|指标", q.text):
            return self._count_projects(q, docs[0])
        ids = {d.id for d in docs}
        hits = self.passages.search(text, ids, must=lambda p: re.search(r"分别是|包括|下设|有[:：]", p.text), k=3)
        if not hits:
            return Answer(q.question, "文件中没有找到相应的列举内容。", NOT_FOUND, route="list:not_found")
        score, p = hits[0]
        doc = self.docs[p.doc_id]
        return Answer(q.question, f"{doc.unit_name}{doc.year}年：{p.text}", ANSWERED,
                      citations=[self._citation(doc, p.section, p.text, p.line, p.page)], route="list:passage")


_default: dict[str, Assistant] = {}
_default_lock = threading.Lock()


def ask(question: str, data_dir: str | Path = "data") -> Answer:
    """Answer one question from the stores under `data_dir` (loaded once per process)."""
    key = str(Path(data_dir).resolve())
    with _default_lock:
        if key not in _default:
            _default[key] = Assistant(data_dir)
    return _default[key].ask(question)
