"""ask(question) → Answer: understand the question, pick documents, route, compose.

Figures come only from the store (a table cell or a stated fact) or are computed from stored
figures shown with their formula; reasons, definitions and lists come from cited passages of
the same document. When the corpus does not hold what is asked, the answer says so and says
what the corpus does hold — it never falls back to a guess.
"""
from __future__ import annotations

import re
import threading
from difflib import SequenceMatcher
from pathlib import Path

from assistant.answer import AMBIGUOUS, ANSWERED, NOT_FOUND, Answer, Citation, Figure
from assistant.figures import (FILLER, FigureIndex, RowMatch, StoredFact, children, column_total_rows, key_phrase,
                               kind_hints, label_core, match_rows, match_score, named_rows, norm, table_totals)
from assistant.lexicon import Lexicon, Unit
from assistant.passages import Clause, Passage, PassageIndex, glossary_term, reason_clause
from assistant.understand import Query, understand
from index.store import Store

MIN_SCORE = 6.0  # a 2-character label printed whole scores 7; weaker matches are not answers
SYNONYMS = [(r"公车", "公务用车"), (r"(?<![用务])车(?![辆])", "车辆"), (r"三公经费", "“三公”经费"),
            (r"人员数|人数", "人数"), (r"房子|办公用房面积", "房屋面积")]
MAX_QUESTION = 500
NOT_AN_AMOUNT = re.compile(r"哪一年|哪年|何时|什么时候|什么品牌|品牌|型号|是谁|姓名|地址|在哪|哪里|电话")


def clause_score(label: str, text: str) -> float:
    """A narrative label ("…中心政府采购预算") matches by its longest tail printed in the question."""
    core = norm(label)
    for k in range(len(core), 2, -1):
        if core[-k:] in text:
            return max(k + 5.0, match_score(core, text))
    key = key_phrase(text)
    if len(key) >= 3 and key in core:
        return len(key) + 5.0
    if 3 <= len(core) <= 4 and core.endswith("数"):  # 编制数 ~ "多少编制", 实有人数 ~ "实有多少人", 科室数 ~ "几个科室"
        for piece, at_end in ((core[:2], False), (core[-2:], True)):
            i = text.find(piece)
            if i < 0:
                continue
            neighbour = text[i - 1] if at_end and i > 0 else text[i + 2] if not at_end and i + 2 < len(text) else ""
            if not re.match(r"[\u4e00-\u9fa5]", neighbour) or neighbour in "多少几个有了的是为和及与、共设":
                return 7.0
    common = SequenceMatcher(None, core, text, autojunk=False).find_longest_match(0, len(core), 0, len(text))
    return max(match_score(core, text), float(common.size) if common.size >= 6 else 0.0)





def _name(fig: Figure) -> str:
    """What a figure is, in words: its row, or its column when the row is a total."""
    if fig.row and not re.fullmatch(r"(总计|合计)[:：]?", fig.row):
        return fig.row
    return (fig.column or "").split("/")[-1] or (fig.row or "")


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
        self.clauses: dict[int, list[Clause]] = {}  # the figures the narrative states (facts table)
        for f in self.store.query("SELECT * FROM facts ORDER BY id"):
            doc = self.docs[f["document_id"]]
            label = f["name"]
            for name in sorted(self._aliases(doc.unit_name), key=len, reverse=True):
                label = label.replace(name, "")
            if len(label) >= 2:
                passage = Passage(doc.id, f["section"] or "", f["quote"] or "", f["line"], f["page"])
                self.clauses.setdefault(doc.id, []).append(Clause(label, f["value"], f["unit"] or "", passage))
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
        q.pieces = [self._expand(p) for p in re.split(r"[？?]", q.rest) if len(re.sub(r"\W", "", p)) >= 2]
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

    def _aliases(self, unit_name: str) -> set[str]:
        unit = next((u for u in self.lexicon.units if u.name == unit_name), None)
        if unit is None:
            return set()
        return {r + o for r in unit.region_names for o in unit.org_names} | unit.org_names

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
                      line=m.row.line, source_file=doc.source_file, document_id=doc.id,
                      cell_id=m.row.cell_ids.get(number), budget_kind=doc.budget_kind, scope=doc.scope)

    def _figure_from_fact(self, f: StoredFact, doc) -> Figure:
        return Figure(value=f.value, unit=f.unit, unit_name=doc.unit_name, year=doc.year, table=None,
                      row=f.name + (f"（{f.subject}）" if f.subject else ""), column=None, page=f.page, line=f.line,
                      source_file=doc.source_file)

    def _figure_of(self, found, doc) -> Figure:
        kind, item = found
        if kind == "fact":
            return self._figure_from_fact(item, doc)
        if kind == "clause":
            return Figure(item.value, item.unit, doc.unit_name, doc.year, None, item.label, None, item.passage.page,
                          item.passage.line, doc.source_file)
        return self._figure_from_row(item[0], doc)

    def _citation(self, doc, section: str, quote: str, line=None, page=None) -> Citation:
        return Citation(unit_name=doc.unit_name, year=doc.year, section=section, quote=quote, page=page, line=line,
                        source_file=doc.source_file)

    def best_figure(self, doc, text: str, codes: list[str], exclude: frozenset = frozenset()):
        """The single best source of the figure asked: ('row', [RowMatch…]) or ('fact', StoredFact) or None."""
        focus = re.search(r"^(.{2,24}?)(?<!其)(?:里|中|之中|当中)[，,](.{2,})$", text)
        if focus:  # "政府采购预算中，工程类有多少": what is asked follows 里/中, in the context before it
            pieces = [p for p in re.split(r"[^\u4e00-\u9fa5]+", FILLER.sub(" ", norm(focus.group(2))))
                      if len(p) >= 2]
            grams = {p[i:i + 2] for p in pieces for i in range(len(p) - 1)}
            found = self._best_figure(doc, focus.group(2), codes, exclude)
            if found is None and grams:
                found = self._best_figure(doc, text, codes, exclude, lambda label: any(g in norm(label) for g in grams))
            if found is not None:
                return found
        return self._best_figure(doc, text, codes, exclude)

    def _best_figure(self, doc, text: str, codes: list[str], exclude: frozenset = frozenset(), must=None):
        if must is None and re.search(r"多少人|几人|多少名|多少.{0,4}人员|人员.{0,2}多少", text):
            people = self._people(doc, text, exclude)
            if people:
                return people
        rows = match_rows(self.figures, doc.id, text, codes)
        cols = column_total_rows(self.figures, doc.id, text) + table_totals(self.figures, doc.id, text)
        cols.sort(key=lambda m: -m.score)
        facts = []  # narrative figures are scored as clauses below
        if must is not None:
            rows = [m for m in rows if must(m.row.label)]
            cols = [m for m in cols if must(m.column[1])]
            facts = [(s_, f) for s_, f in facts if must(f.name + (f.subject or ""))]
        derived = re.compile(r"(比上年变化|比上年变化率|占比)$")
        about_change = bool(re.search(r"上年|变化|增加|减少|增长|下降|占|比例|比重", text))
        clauses = sorted(((clause_score(c.label, text) - (0 if about_change or not derived.search(c.label) else 3), c)
                          for c in self.clauses.get(doc.id, [])
                          if id(c) not in exclude and (must is None or must(c.label))), key=lambda sc: -sc[0])
        c_score = clauses[0][0] if clauses else 0.0
        row_score = rows[0].score if rows else 0.0
        col_score = cols[0].score if cols else 0.0
        fact_score = facts[0][0] if facts else 0.0
        best = max(row_score, col_score, fact_score, c_score)
        if best < MIN_SCORE:
            return None
        if c_score >= best and c_score > max(row_score, col_score, fact_score) + 1.0:
            return ("clause", clauses[0][1])
        if fact_score >= best and fact_score > row_score:
            return ("fact", facts[0][1])
        if col_score >= best and col_score > row_score:
            return ("row", [cols[0]])
        top = [m for m in rows if m.score >= row_score - 1e-9 and label_core(m.row.label) == label_core(
            rows[0].row.label)]
        return ("row", top)

    def _people(self, doc, text: str, exclude: frozenset):
        """"…项目惠及多少人": a head count stated in the passage of the item the question names."""
        best, best_score = None, 0.0
        for c in self.clauses.get(doc.id, []):
            if c.unit not in ("人", "人次", "名") or id(c) in exclude:
                continue
            heading = c.passage.section.split(" > ")[-1]
            score = clause_score(c.label, text) + match_score(re.sub(r"^.*?项目名称[：:]", "", heading), text)
            if score > best_score:
                best, best_score = c, score
        return ("clause", best) if best is not None and best_score >= 2 * MIN_SCORE else None

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

    def _change(self, doc, text: str):
        """"比上年减少了多少": the change the document states for the item asked, relative to 上年."""
        subject = re.sub(r"(比|较)上年.*$", "", text)
        if len(re.sub(r"\W", "", subject)) < 2:
            return None  # "比上年变化多少？" alone: the item is in another part of the question
        best, best_score = None, 0.0
        for c in self.clauses.get(doc.id, []):
            if not c.label.endswith("比上年变化"):
                continue
            score = clause_score(c.label[: -len("比上年变化")], subject)
            if score > best_score:
                best, best_score = c, score
        return best if best_score >= MIN_SCORE else None

    def _lookup_one(self, doc, q: Query, text: str, exclude: frozenset = frozenset()):
        """(answer sentence, figures, citations) for one document, or None."""
        if re.search(r"(比|较)上年", text) and re.search(r"(增加|减少|变化|增长|下降|多|少)了?多少|变化", text) \
                and not re.search(r"为什么|原因", text):
            change = self._change(doc, text)
            if change:
                fig = Figure(change.value, change.unit, doc.unit_name, doc.year, None, change.label, None,
                             change.passage.page, change.passage.line, doc.source_file)
                cit = self._citation(doc, change.passage.section, change.passage.text, change.passage.line,
                                     change.passage.page)
                word = "减少" if change.value < 0 else "增加"
                return (f"{doc.unit_name}{doc.year}年{change.label[:-5]}比上年{word} {abs(change.value):,.2f} {change.unit}。"
                        f"原文：{change.passage.text}", [fig], [cit])
        found = self.best_figure(doc, text, q.codes, exclude)
        empty = self.empty_table_answer(doc, text)
        if empty and (found is None or (found[0] == "row" and found[1][0].row.table_kind not in kind_hints(text))):
            fig, cit = empty
            return f"{doc.unit_name}{doc.year}年{fig.table}为空表，金额为 0（未安排）。{cit.quote}", [fig], [cit]
        if found is None:
            if empty:
                fig, cit = empty
                return f"{doc.unit_name}{doc.year}年{fig.table}为空表，金额为 0（未安排）。{cit.quote}", [fig], [cit]
            return None
        if found[0] == "clause":
            c = found[1]
            fig = Figure(c.value, c.unit, doc.unit_name, doc.year, None, c.label, None, c.passage.page,
                         c.passage.line, doc.source_file)
            fig.clause_id = id(c)
            cit = self._citation(doc, c.passage.section, c.passage.text, c.passage.line, c.passage.page)
            return (f"{doc.unit_name}{doc.year}年{c.label}为 {_fmt(c.value)} {c.unit}。原文（{c.passage.section}）："
                    f"{c.passage.text}", [fig], [cit])
        if found[0] == "fact":
            f = found[1]
            fig = self._figure_from_fact(f, doc)
            cit = self._citation(doc, f.section, f.quote, f.line, f.page)
            return (f"{doc.unit_name}{doc.year}年{fig.row}为 {_fmt(f.value)} {f.unit}。原文：{f.quote}", [fig], [cit])
        matches: list[RowMatch] = found[1]
        which = self._which_column(doc, q, matches[0])
        if which:
            return which
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
        shown = _fmt(value or 0.0, raw) if raw != "" else "0.00（空白，未安排）"
        sentence = f"{doc.unit_name}{doc.year}年{first.row.label}（{path}）为 {shown} {first.row.measure_unit}。来源：{where}。"
        cits = self._corroborate(doc, first.row.label, raw)
        return sentence, figs, cits

    def _which_column(self, doc, q: Query, match: RowMatch):
        """"…的40万元是一般公共预算还是上级转移支付？": the column that holds the amount named."""
        if "还是" not in q.text:
            return None
        amounts = [float(x) for x in re.findall(r"(\d+(?:\.\d+)?)\s*万元", q.text.replace(",", ""))]
        rows = [m.row for m in match_rows(self.figures, doc.id, self._expand(q.rest), q.codes)
                if label_core(m.row.label) == label_core(match.row.label)] or [match.row]
        for row in rows:
            for cell in row.cells[1:]:
                if cell[2] and any(abs(cell[2] - a) < 0.005 for a in amounts):
                    fig = self._figure_from_row(RowMatch(row, 0, cell), doc)
                    return (f"{doc.unit_name}{doc.year}年{row.label}的 {_fmt(cell[2], cell[3])} {row.measure_unit}"
                            f"列在「{cell[1]}」列（{row.table_name}）。", [fig], [])
        return None

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
        if NOT_AN_AMOUNT.search(q.text):
            names = "、".join(f"{d.unit_name}{d.year}年" for d in docs[:4])
            return Answer(q.question, f"{names}的公开文件没有提供这方面的信息（文件只公布预算金额、人员和资产数量等）。",
                          NOT_FOUND, route="lookup:not_found")
        if len(docs) == 1 and len(q.pieces) >= 2:
            return self._parts(q, docs[0], q.pieces)
        if len(docs) == 1 and "还是" not in q.text and not q.codes:
            several = named_rows(self.figures, docs[0].id, text)
            if len(several) >= 2:
                return self._several(q, docs[0], several)
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
        asked_all = re.search(r"各单位|所有单位|每个单位|各家|全部单位", q.text)
        status = AMBIGUOUS if len(parts) > 1 and not q.units and not asked_all else ANSWERED
        prefix = "问题未指明单位，以下列出各单位：\n" if status == AMBIGUOUS else ""
        return Answer(q.question, prefix + "\n".join(parts), status, figs, cits, route="lookup:sql")

    def _parts(self, q: Query, doc, pieces: list[str]) -> Answer:
        """A question in several parts ("有多少编制？实有多少人？"): each part answered in turn."""
        texts, figs, cits, used = [], [], [], set()
        context = ""
        for piece in pieces:
            if context and len(key_phrase(piece)) < 2:  # "比上年变化多少？": about the item asked before
                piece = context + piece
            one = self._lookup_one(doc, q, piece, frozenset(used))
            if one is None and context:
                one = self._lookup_one(doc, q, context + piece, frozenset(used))
            context = context or piece
            if one is None:
                continue
            sentence, new_figs, new_cits = one
            new_figs = [f for f in new_figs if not any(f.value == g.value and f.row == g.row for g in figs)]
            if not new_figs:
                continue
            used |= {id(f) for f in new_figs}
            used |= {f.clause_id for f in new_figs if getattr(f, "clause_id", None)}
            figs += new_figs
            cits += new_cits
            texts.append(sentence)
        if not figs:
            return Answer(q.question, f"在{doc.unit_name}{doc.year}年的公开文件中没有找到这个问题所问的数字。", NOT_FOUND,
                          route="lookup:not_found")
        return Answer(q.question, "\n".join(texts), ANSWERED, figs, cits, route="lookup:parts")

    def _several(self, q: Query, doc, matches: list[RowMatch]) -> Answer:
        """Several items named in one question: each figure, and their sum when a total is asked."""
        figs = [self._figure_from_row(m, doc) for m in matches]
        lines = [f"{f.row}：{_fmt(f.value, m.column[3])} {f.unit}（{f.table}「{f.column}」列）" for f, m in zip(figs, matches)]
        text = f"{doc.unit_name}{doc.year}年：" + "；".join(lines) + "。"
        if re.search(r"合计|加起来|总和|一共|共计|总共|之和|合起来", q.text):
            total = round(sum(f.value for f in figs), 2)
            formula = " + ".join(f"{f.value:,.2f}" for f in figs)
            figs.insert(0, Figure(total, figs[0].unit, doc.unit_name, doc.year, figs[0].table, "合计", None,
                                  formula=formula, inputs=list(figs)))
            text += f"合计 {total:,.2f} {figs[0].unit}（{formula}）。"
        return Answer(q.question, text, ANSWERED, figs, route="lookup:several")

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
        several = named_rows(self.figures, doc.id, text)
        if op == "sum" and len(several) >= 2:
            return self._several(q, doc, several)
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
                hinted = [t for t in self.figures.tables.get(doc.id, []) if t.kind in kind_hints(text) and t.rows]
                if not hinted:
                    return self._lookup(q, docs, text)
                table = hinted[0]
                items = [r for r in table.rows if r.label and not re.fullmatch(r"(总计|合计)[:：]?", norm(r.label))]
                parent = StoredRowLike(table)
                path = items[0].first_cell()[1] if items and items[0].first_cell() else None
                cols = None
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
            for other in self.figures.rows(doc.id):  # the same item printed in other tables
                first = other.first_cell()
                if other is not r and other.label == r.label and other.code == r.code and first and \
                        first[2] == c[2] and other.table_id != r.table_id:
                    figs.append(self._figure_from_row(RowMatch(other, 0, first), doc))
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

    def _table_list(self, q: Query, doc) -> Answer | None:
        """Lists a table answers: which tables are empty; the items (rows) of a named table."""
        tables = self.figures.tables.get(doc.id, [])
        if re.search(r"空表|空白表", q.text):
            empty = [t for t in tables if t.kind and not any(c[2] for r in t.rows for c in r.cells)
                     and t.kind != "绩效目标表"]
            names = "、".join(f"表{t.number} {t.title}" if t.number else t.title for t in empty)
            return Answer(q.question, f"{doc.unit_name}{doc.year}年为空表的有：{names}。", ANSWERED,
                          citations=[self._citation(doc, f"表{t.number} {t.title}", t.note or "空表", t.line, t.page)
                                     for t in empty], route="list:empty_tables")
        hinted = [t for t in tables if t.kind in kind_hints(q.rest) and t.rows]
        if hinted:
            t = hinted[0]
            rows = [r for r in t.rows if r.label and not re.fullmatch(r"(总计|合计)[:：]?", norm(r.label))
                    and r.label != doc.unit_name and (r.subject or not r.code or t.kind in ("上年结转结余", "政府采购"))]
            if rows:
                items = "；".join(f"{r.label} {_fmt(r.first_cell()[2] or 0, r.first_cell()[3])} {r.measure_unit}"
                                 for r in rows if r.first_cell())
                return Answer(q.question, f"{doc.unit_name}{doc.year}年{t.title}列出：{items}。", ANSWERED,
                              [self._figure_from_row(RowMatch(r, 0, r.first_cell()), doc) for r in rows
                               if r.first_cell()], route="list:table_rows")
        return None

    def _count_projects(self, q: Query, doc) -> Answer:
        projects = [r for t in self.figures.tables.get(doc.id, []) if t.kind == "项目支出" for r in t.rows
                    if r.subject]
        if not projects:
            return Answer(q.question, f"{doc.unit_name}{doc.year}年项目支出表中没有列出项目。", NOT_FOUND,
                          route="aggregate:count")
        names = "、".join(r.label for r in projects)
        stated = [c for c in self.clauses.get(doc.id, []) if c.label == "项目数" and c.value == len(projects)]
        cits = [self._citation(doc, c.passage.section, c.passage.text, c.passage.line, c.passage.page)
                for c in stated[:1]]
        return Answer(q.question, f"{doc.unit_name}{doc.year}年项目支出表列出 {len(projects)} 个项目：{names}。",
                      ANSWERED, [self._figure_from_row(RowMatch(r, 0, r.first_cell()), doc) for r in projects], cits,
                      route="aggregate:count_projects")

    def _ratio(self, q: Query, docs, text: str) -> Answer:
        doc = docs[0]
        m = re.search(r"占(?!多大|多少|几)(.{2,20}?)的?(比重|比例|百分比|比)", text) or re.search(
            r"^\s*(.{2,24}?)中[，,]", text)
        base = re.sub(r"^(单位|本级|全部|部门)|（.*?）|的$", "", m.group(1)) if m else ""
        numerator_text = (text[:m.start()] if m and m.group(0).startswith("占") else
                          text[m.end():] if m else text)
        stated = []
        for c in self.clauses.get(doc.id, []):
            if c.unit != "%":
                continue
            score = clause_score(re.sub(r"占比$|比上年变化率$", "", c.label), numerator_text)
            if score < MIN_SCORE:
                continue
            if base and match_score(base, norm(c.passage.section)) < 4 and base not in norm(c.passage.text[:60]):
                continue  # a share of something else (收入预算 vs 一般公共预算拨款)
            fact = StoredFact(doc.id, c.label, c.value, "%", None, c.passage.text, c.passage.section,
                              c.passage.line, c.passage.page)
            stated.append((score, fact))
        stated.sort(key=lambda sf: -sf[0])
        want_change = re.search(r"增长率|增幅|降幅|变化率|(增长|下降|减少|增加)了?(多少|百分之几|几个百分点)", q.text)
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
        num = self.best_figure(doc, numerator_text, q.codes) or self.best_figure(doc, text, q.codes)
        if num is None:
            return Answer(q.question, "没有找到计算比例所需的数字。", NOT_FOUND, route="ratio:not_found")
        num_fig = self._figure_of(num, doc)
        den_fig = None
        if base:
            den = self.best_figure(doc, base, [])
            if den:
                den_fig = self._figure_of(den, doc)
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
        if want_change and den_fig is None:
            change = next((c for c in sorted(self.clauses.get(doc.id, []), key=lambda c: -clause_score(
                re.sub(r"比上年变化$", "", c.label), text)) if c.label.endswith("比上年变化")), None)
            if change and clause_score(re.sub(r"比上年变化$", "", change.label), text) >= MIN_SCORE:
                previous = num_fig.value - change.value
                value = round(change.value / previous * 100, 2) if previous else 0.0
                formula = f"{_fmt(change.value)} ÷ ({_fmt(num_fig.value)} − {_fmt(change.value)}) × 100%"
                fig = Figure(value, "%", doc.unit_name, doc.year, num_fig.table, num_fig.row, num_fig.column,
                             formula=formula, inputs=[num_fig])
                cit = self._citation(doc, change.passage.section, change.passage.text, change.passage.line,
                                     change.passage.page)
                if value < 0 and re.search(r"下降|减少|降幅", q.text):
                    fig.value = abs(value)
                    words = f"比上年下降 {abs(value):.2f}%"
                else:
                    words = f"比上年变化 {value:.2f}%"
                return Answer(q.question, f"{doc.unit_name}{doc.year}年{_name(num_fig)}{words}"
                              f"（计算：{formula}，上年数 = 本年数 − 变化额）。", ANSWERED, [fig, num_fig], [cit],
                              route="ratio:change_computed")
        if den_fig is None or not den_fig.value:
            return Answer(q.question, "没有找到计算比例所需的分母。", NOT_FOUND, route="ratio:not_found")
        value = round(num_fig.value / den_fig.value * 100, 2)
        formula = f"{_fmt(num_fig.value)} ÷ {_fmt(den_fig.value)} × 100%"
        fig = Figure(value, "%", doc.unit_name, doc.year, num_fig.table, num_fig.row, num_fig.column,
                     formula=formula, inputs=[num_fig, den_fig])
        return Answer(q.question, f"{doc.unit_name}{doc.year}年{_name(num_fig)}占{_name(den_fig)}的比例为 {value:.2f}%"
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
        figures, route = [], "explain:passage"
        if re.search(r"多少|几", q.text):  # "三公经费是多少？为什么变化？": the figure first, then the reason
            asked = next((piece for piece in q.pieces if re.search(r"多少|几", piece)), text)
            one = self._lookup_one(doc, q, asked)
            if one:
                answer = one[0] + "\n" + answer
                figures = one[1]
                route = "lookup:sql+explain:passage"
        return Answer(q.question, answer, ANSWERED, figures,
                      [self._citation(doc, p.section, p.text, p.line, p.page)], route=route)

    def _definition(self, q: Query, docs, text: str) -> Answer:
        ids = {d.id for d in docs}
        quoted = re.findall(r"[“\"]([^”\"]+)[”\"]", q.text)

        def in_glossary(p):
            return "名词解释" in p.section

        hits = self.passages.search(text, ids, must=in_glossary, k=20)
        if quoted:
            exact = [(s + 20, p) for s, p in hits if glossary_term(p.text) in {norm(t) for t in quoted}]
            hits = exact + hits
        return self._passage_answer(q, hits, "预算公开的名词解释：", "definition",
                                    "所指文件中没有名词解释部分，或没有这个名词。")

    def _list(self, q: Query, docs, text: str) -> Answer:
        if re.search(r"多少|几[辆个台人项名]", q.text) and self.best_figure(docs[0], text, q.codes):
            return self._lookup(q, docs, text)
        if any(norm(t) in {glossary_term(p.text) for p in self.passages.passages if "名词解释" in p.section}
               for t in re.findall(r"[“\"]([^”\"]+)[”\"]", q.text)):
            return self._definition(q, docs, text)
        listed = self._table_list(q, docs[0])
        if listed:
            return listed
        if "项目" in q.text and not re.search(r"绩效|指标", q.text):
            return self._count_projects(q, docs[0])
        ids = {d.id for d in docs}
        hits = self.passages.search(text, ids, must=lambda p: re.search(r"分别是|包括|下设|有[:：]", p.text), k=3)
        return self._passage_answer(q, hits, "：", "list", "文件中没有找到相应的列举内容。")

    def _passage_answer(self, q: Query, hits, lead: str, intent: str, missing: str) -> Answer:
        """Answer with the best passage, quoted and cited; or say the documents hold none."""
        if not hits:
            return Answer(q.question, missing, NOT_FOUND, route=f"{intent}:not_found")
        _, p = hits[0]
        doc = self.docs[p.doc_id]
        return Answer(q.question, f"{doc.unit_name}{doc.year}年{lead}{p.text}", ANSWERED,
                      citations=[self._citation(doc, p.section, p.text, p.line, p.page)], route=f"{intent}:passage")


class StoredRowLike:
    """A stand-in parent for items of a table without subject codes (政府采购 品目 …)."""

    def __init__(self, table):
        self.label = table.title
        self.measure_unit = table.measure_unit
        self.table_name = f"表{table.number} {table.title}" if table.number else table.title


_default: dict[str, Assistant] = {}
_default_lock = threading.Lock()


def ask(question: str, data_dir: str | Path = "data") -> Answer:
    """Answer one question from the stores under `data_dir` (loaded once per process)."""
    key = str(Path(data_dir).resolve())
    with _default_lock:
        if key not in _default:
            _default[key] = Assistant(data_dir)
    return _default[key].ask(question)
