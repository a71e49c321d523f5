"""What the question measures, grounded in one document: its cells, facts and empty tables, ranked by
one scorer.

Every candidate is a printed cell (table × row × column), a figure the narrative states (a fact), or a
table printed empty. A candidate is scored by how much of the question's measure its own words explain
and how much of its own name the question says:

    score = coverage × row precision × column precision

- coverage: the question's characters covered by character pairs of the candidate's row label, column
  path and table title (pairs weighted by rarity among the document's labels; words the document never
  prints count fully against every candidate, so a measure the corpus does not hold scores low);
- row precision: the share of the row label the question says (a total row — 合计/总计 — needs no words:
  naming a table or a column means its total);
- column precision: 1 for the row's default amount (合计/预算数/决算数), else the share of the column's
  name the question says.
Explicit constraints come first: a subject code named selects rows of that code (any level), a table
number named selects that table, the kind of quantity asked (人, 辆, %) selects figures in that unit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from assistant.docview import ColumnView, DocView, RowView, TableView, title_core
from assistant.frame import Frame
from assistant.grams import char_grams, clean, grams
from assistant.words import (FUNCTION_CHARS, GENERIC_NAME_ENDINGS, IDENTITY_MODIFIERS, MONEY_UNITS, PER_BASE_WORDS,
                             SAME_ENDINGS, STAGE_WORDS, SYNONYMS)
from index.read import CellInfo, FactInfo, TableInfo

MIN_SCORE = 0.5  # below this the document does not hold what is asked
_COLON_END = re.compile(r"[:：]$")
_TABLE_END = re.compile(r"(情况表|明细表|预算表|表)$")
DERIVED_FACT = re.compile(r"(比上年变化率?|占比|增加|减少|增长|下降)$")


@dataclass(slots=True)
class Evidence:
    """One candidate source of the figure asked, with how well it matched."""

    kind: str  # cell / fact / empty
    view: DocView
    score: float
    table: TableView | None = None
    row: RowView | None = None
    column: ColumnView | None = None
    cell: CellInfo | None = None
    fact: FactInfo | None = None
    detail: dict = field(default_factory=dict)

    @property
    def value(self) -> float:
        if self.kind == "cell":
            return self.cell.value if self.cell.value is not None else 0.0
        if self.kind == "fact":
            return self.fact.value
        return 0.0

    @property
    def unit(self) -> str:
        if self.kind == "fact":
            return self.fact.unit
        return self.table.info.measure_unit if self.table else "万元"

    @property
    def name(self) -> str:
        """What the figure is of, in the document's words."""
        if self.kind == "fact":
            return self.fact.name + (f"（{self.fact.subject}）" if self.fact.subject else "")
        if self.kind == "empty":
            return self.table.info.title
        leaf = self.column.path.split("/")[-1] if self.column else ""
        label = _COLON_END.sub("", self.row.label)
        if self.row.is_total and not self.column.is_default:
            return self.column.path.replace("/", "·")
        if self.row.is_total and label in ("", "合计", "总计", "小计"):
            return _TABLE_END.sub("", self.table.info.title) + (label or "合计")
        return label if self.column.is_default else f"{label}（{leaf}）"

    def same_source(self, other: "Evidence") -> bool:
        if self.kind != other.kind:
            return False
        if self.kind == "cell":
            return self.cell.id == other.cell.id
        if self.kind == "fact":
            return self.fact.id == other.fact.id
        return self.table.info.id == other.table.info.id


def cell_evidence(view: DocView, table: TableInfo, cell: CellInfo, like: Evidence, column: ColumnView,
                  is_total: bool) -> Evidence:
    """A cell fetched by a query over many documents (in its own table's `column`), as evidence of the same
    item as `like`."""
    tv = TableView(table, columns=[column])
    row = RowView(tv, cell.row_index, cell.label, cell.code, cell.subject, cell.side, cell.line, cell.page,
                  cells={cell.column_number: cell}, is_total=is_total)
    tv.rows = [row]
    return Evidence("cell", view, like.score, table=tv, row=row, column=column, cell=cell, detail=dict(like.detail))


def with_synonyms(text: str, view: DocView) -> str:
    """Colloquial words the document never prints, replaced by the printed form it does."""
    vocab = view.vocabulary_text
    for colloquial, printed in SYNONYMS:
        if colloquial in text and colloquial not in vocab and clean(printed) in vocab:
            text = text.replace(colloquial, printed)
    return text


def _weighed(positions, view: DocView, hit, light: frozenset[str] = frozenset()) -> tuple[list[float], list[bool]]:
    """Each character's weight (its rarest pair's) and whether a pair holding it is `hit(pair)`."""
    n = positions[-1][0] + 2
    weight, covered = [0.0] * n, [False] * n
    w = view.weights
    for i, g in positions:
        gw = w(g) * (0.2 if g in light else 1.0)
        for k in (i, i + 1):
            if k < n:
                weight[k] = max(weight[k], gw)
        if hit(g):
            covered[i] = True
            if i + 1 < n:
                covered[i + 1] = True
    return weight, covered


def _share(weight: list[float], covered: list[bool]) -> float:
    total = sum(weight)
    return sum(wt for wt, c in zip(weight, covered) if c) / total if total else 0.0


def _coverage(positions: list[tuple[int, str]], explained: set[str], view: DocView,
              light: frozenset[str] = frozenset()) -> float:
    """Weighted share of the question's characters that lie in an explained character pair (pairs of the
    bodies' own names, `light`, weigh little: 巴州社保单位的… speaks of the body, not of a figure)."""
    if not positions:
        return 0.0
    weight, covered = _weighed(positions, view, lambda g: g in explained or (
        len(g) == 1 and any(g in x for x in explained)), light)
    return _share(weight, covered)


def _unsaid_run(text: str, covered_by: set[str]) -> int:
    """The longest run of characters of `text` (function characters aside) in no pair of `covered_by`."""
    t = clean(text)
    covered = [False] * len(t)
    for i in range(len(t) - 1):
        if t[i:i + 2] in covered_by:
            covered[i] = covered[i + 1] = True
    best = run = 0
    for ch, c in zip(t, covered):
        run = 0 if c or ch in FUNCTION_CHARS or not ch.strip() else run + 1
        best = max(best, run)
    return best


def _substituted(text: str, explained: set[str], label: str, q: set[str]) -> bool:
    """Two words left over, one on each side — the question's (结余) and the label's (支出): the label names
    another item than the one asked ("社会保险基金结余" is not "社会保险基金支出"); or the label's start is asked
    with another ending (培训支出 is not 培训费)."""
    if _unsaid_run(label, q) >= 2 and _unsaid_run(text, explained) >= 2:
        return True
    flat, core = clean(text), clean(label)
    for same in SAME_ENDINGS:  # "缴费人员" asks the figure printed as 缴费人数
        for ending in same:
            stem = core[:-len(ending)]
            if core.endswith(ending) and len(stem) >= 2 and any(stem + w in flat for w in same):
                return False
    for k in range(len(core) - 1, 1, -1):
        at = flat.find(core[:k])
        if at >= 0:
            after = flat[at + k:at + k + 1]
            return bool(after) and after not in FUNCTION_CHARS and after not in core[k:] and \
                bool(re.match(r"[\u4e00-\u9fa5]", after))
    return False


def _modified(text: str, label: str) -> bool:
    """"其他行政事业单位医疗支出" asks the 其他 row, not 行政事业单位医疗: a modifier the question says and the
    label lacks makes another item."""
    flat, core = clean(text), clean(label)
    return any(m in flat and m not in core for m in IDENTITY_MODIFIERS)


def _pair_share(positions: list[tuple[int, str]], explained: set[str], view: DocView) -> float:
    w = view.weights
    total = sum(w(g) for _, g in positions)
    return sum(w(g) for _, g in positions if g in explained) / total if total else 0.0


def _without(text: str, label: str) -> str:
    """The question with a row's label taken out: what is left must name the column."""
    flat, core = clean(text), clean(label)
    return flat.replace(core, "|", 1) if len(core) >= 2 and core in flat else flat


@lru_cache(maxsize=200_000)
def _said_at(name: str, text: str) -> set[int]:
    """The positions of `text` that print runs (two or more characters, in order) of `name`."""
    a = clean(name)
    blocks = SequenceMatcher(None, a, text, autojunk=False).get_matching_blocks() if a else []
    return {b.b + k for b in blocks if b.size >= 2 for k in range(b.size)}


def _group_asked(t: TableView, col: ColumnView, flat: str) -> bool:
    """"公务用车购置及运行费" names the group 公务用车购置及运行维护费, whose 小计 column is asked — not its
    leaf 公务用车购置费, which says nothing of the question that the group's name does not."""
    parts = [p for p in col.path.split("/") if p]
    if len(parts) < 2 or col.key != parts[-1]:
        return False
    group = parts[-2]
    if not any(c.key == group and c.number != col.number for c in t.columns):
        return False
    mine, theirs = _said_at(col.key, flat), _said_at(group, flat)
    return bool(mine) and mine <= theirs and len(theirs) > len(mine)


def _run(name: str, text: str) -> float:
    """Share of a column's name that the question prints in runs of two or more characters, in order: a
    column is named by its words together ("单位资金", "财政拨款…小计"), not by characters scattered over
    other words."""
    a = clean(name)
    if not a:
        return 0.0
    blocks = SequenceMatcher(None, a, text, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks if b.size >= 2) / len(a)


@lru_cache(maxsize=200_000)
def _pairs(name: str) -> tuple[tuple[int, str], ...]:
    return tuple(char_grams(name))


def said(name: str, q: set[str], view: DocView, tail: bool = False) -> float:
    """Share of a name's characters the question says (a character is said when a pair of the name that
    holds it is in the question; pairs weighted by rarity). `tail`: the end of the name weighs most, as a
    Chinese name's head noun is last ("及下属单位政府采购预算" is named by "政府采购预算")."""
    positions = _pairs(name)
    if not positions:
        return 0.0
    weight, covered = _weighed(positions, view, lambda g: g in q)
    n = len(weight)
    flat = clean(name)
    for i in range(len(flat) - 2):  # an abbreviation: 社保 for 社(会)保(障), 养老缴费 for 养老(保险)缴费
        if flat[i] + flat[i + 2] in q and not (covered[i] and covered[i + 2]):
            for k in (i, i + 1, i + 2):
                covered[k] = True
    if tail:
        weight = [wt * (0.3 + 0.7 * (k + 1) / n) for k, wt in enumerate(weight)]
    return _share(weight, covered)


def rank(view: DocView, text: str, frame: Frame, *, tables: list[TableView] | None = None,
         facts: bool = True, cells: bool = True, derived: bool = False) -> list[Evidence]:
    """Candidates for `text` in one document, best first (see the module docstring for the score)."""
    text = with_synonyms(text, view)
    per_base = re.search(PER_BASE_WORDS, text)
    if per_base and per_base.group(0) not in view.vocabulary_text:
        return []  # a figure per head or on average: the document gives no base to divide by
    positions = char_grams(text)
    q = {g for _, g in positions}
    flat = clean(text)
    if len(clean(text)) == 1:  # one character ("车"): every pair of the document's words that holds it
        q = {g for g in view.weights.df if text.strip() in g}
    if not q and not frame.codes:
        return []
    out: list[Evidence] = []
    light: frozenset[str] = frozenset()
    focus = char_grams(with_synonyms(frame.focus, view)) if frame.focus and frame.focus in text else []
    quantity = frame.quantity_units
    quantity_hit = q & set().union(*(grams(w) for w in frame.quantity_words)) if frame.quantity_words else set()
    pool = tables if tables is not None else view.tables
    if frame.table_number:
        named = [t for t in pool if _same_number(t.info.number, frame.table_number)]
        pool = named or pool
    coded = {r.code for t in pool for r in t.rows if r.code and r.code in frame.codes}
    side = _side_asked(text)
    named_ids = named_tables(pool, text)  # a table the question names takes precedence over the others
    stages = [w for w in STAGE_WORDS if w in text and not (w[:2] == view.doc.budget_kind)]
    if cells and not (quantity and "%" not in quantity and not any(t.info.measure_unit in quantity for t in pool)):
        for t in pool:
            if quantity and t.info.measure_unit not in quantity:
                continue
            t_hit = q & t.grams
            col_hits = {c.number: q & c.grams for c in t.columns}
            # a column the question names whole ("机关运行经费预算") is asked, not the table's default column,
            # even where the title also holds those words
            named_cols = {re.sub(r"数$", "", clean(c.key)) for c in t.columns if not c.is_default
                          and len(clean(c.key)) >= 3 and re.sub(r"数$", "", clean(c.key)) in flat}
            if not t.rows:
                if t_hit:
                    coverage = _coverage(positions, t_hit, view, light)
                    named = said(title_core(t.info.title), q, view)
                    # a table printed empty answers "how much" with 0 and says so: it wins a tie with a 0 row
                    whole = 1.1 if title_core(t.info.title) in text else 1.0
                    out.append(Evidence("empty", view, coverage * named * whole, table=t,
                                        detail={"coverage": round(coverage, 3), "title": round(named, 3)}))
                continue
            for r in t.rows:
                code_hit = bool(r.code and r.code in coded)
                if coded and not code_hit:
                    continue
                row_hit = (q & r.grams) | (q & r.subject_grams) | (q & r.skips)
                if not row_hit and not r.is_total and not code_hit:
                    continue
                if code_hit or (r.is_total and not (q & r.grams)):
                    p_row = 1.0
                else:
                    # a label shortened to its end ("养老保险缴费支出" for 机关事业单位基本养老保险缴费支出) still names it
                    p_row = max(said(r.label, q, view), 0.95 * said(r.label, q, view, tail=True),
                                0.6 * said(r.subject or "", q, view))
                if p_row < 0.34:
                    continue
                rest = _without(text, r.label)
                for number, cell in r.cells.items():
                    col = t.column(number)
                    if col is None:
                        continue
                    p_col = 1.0 if col.is_default else _run(col.key, rest)
                    if p_col < 0.6:
                        continue
                    explained = row_hit | col_hits[number] | t_hit
                    coverage = _coverage(positions, explained, view, light) if positions else 1.0
                    score = coverage * p_row * p_col * (_coverage(focus, explained, view) ** 0.5 if focus else 1.0)
                    if not code_hit and not r.is_total:
                        if _modified(text, r.label):
                            score *= 0.4  # 其他X asked, X printed: another item
                        elif _substituted(text, explained, r.label, q):
                            score *= 0.6  # a word of the question in place of a word of the label: another item
                    if side and _other_side(side, r, col):
                        score *= 0.6  # the question says 支出, this is an income figure (or the reverse)
                    if named_ids and t.info.id not in named_ids:
                        score *= 0.85
                    if col.is_default and any(k not in clean(r.label) for k in named_cols):
                        score *= 0.8  # …unless the row's own label says those words
                    if not col.is_default and _group_asked(t, col, flat):
                        score *= 0.8
                    if any(w not in clean(col.path) for w in stages):
                        score *= 0.5  # 调整预算数 asked, this column holds another stage
                    if clean(r.label) and clean(r.label) in text:
                        score *= 1.05  # the whole label printed in the question
                    elif len(t.rows) == 1 and not col.is_default and len(clean(col.leaf)) >= 3 \
                            and clean(col.leaf) in flat:
                        score *= 1.05  # a one-row table's items are its columns ("“三公”经费/公务接待费"), said whole
                    elif r.is_total and col.is_default and t.core in text:
                        score *= 1.06  # the table named as a whole: its total
                    # tie-breaks: more of the question's character pairs found together (adjacency, which the
                    # character coverage cannot see), then what the row and column say beyond the title
                    pairs = _pair_share(positions, explained, view)
                    own = _coverage(positions, row_hit | col_hits[number], view, light) if positions else 0.0
                    out.append(Evidence("cell", view, score, table=t, row=r, column=col, cell=cell,
                                        detail={"coverage": round(coverage, 3), "row": round(p_row, 3),
                                                "column": round(p_col, 3), "pairs": round(pairs, 3),
                                                "own": round(own, 3)}))
    if facts and not frame.codes and not frame.table_number:
        for f, fg in zip(view.facts, view.fact_grams):
            if not derived and DERIVED_FACT.search(f.name):
                continue
            if quantity and f.unit not in quantity:
                continue
            if not quantity and f.unit not in MONEY_UNITS and f.unit != "%" and _asks_money(frame):
                continue
            hit = q & fg
            if not hit:
                continue
            p = said(name_core(f.name), q, view, tail=True)
            if f.subject:  # a figure of one project: the question must name the project too
                p *= 0.5 + 0.5 * said(f.subject, q, view)
            if p < 0.34:
                continue
            # the sentence and its heading explain the question's words about the figure's context
            body = grams(view.doc.unit_name)  # the body's name in the sentence explains no word about the figure
            context = hit | ((q & grams(f.quote)) - body) | ((q & grams(f.section)) - body) | quantity_hit
            coverage = _coverage(positions, context, view, light)
            # a printed cell wins a tie with the narrative's figure; of two figures one sentence states, the one
            # whose own name says more of the question ("国有资本经营预算拨款支出预算 0 万元" over "支出预算
            # 9,101.68 万元" for 国有资本经营预算支出)
            score = coverage * p * (0.95 + 0.02 * _coverage(positions, hit, view, light))
            if named_ids:
                score *= 0.85  # the question names a table: its cells, not the narrative
            if _modified(text, f.name):
                score *= 0.4  # 其他X asked, a figure of X stated
            elif _substituted(text, context, f.name, q):
                score *= 0.6
            if focus:
                score *= _coverage(focus, hit | quantity_hit, view) ** 0.5
            if any(w not in f.name + f.quote for w in stages):
                score *= 0.5  # 调整预算数 asked, the sentence states another stage's figure
            out.append(Evidence("fact", view, score, fact=f, detail={"coverage": round(coverage, 3), "row": round(p, 3)}))
    out.sort(key=lambda e: (-round(e.score, 6), -e.detail.get("pairs", 0.0), -e.detail.get("own", 0.0),
                            e.table.preference if e.table else 50,
                            e.table.info.seq if e.table else 0))
    return out


def named_tables(pool: list[TableView], text: str) -> set[int]:
    """Tables the question names by title or kind ("收入总体表", "财政拨款收支预算总体中"): the longest name
    printed wins, so 财政拨款收支预算总体 names that table and not 收支预算总表."""
    flat = clean(text)
    found: list[tuple[str, TableView]] = []
    for t in pool:
        name = next((n for n in t.names if n in flat), None)
        if name:
            found.append((name, t))
    return {t.info.id for name, t in found if not any(name != other and name in other for other, _ in found)}


def _side_asked(text: str) -> str | None:
    """收入 or 支出 when the question speaks of one side only."""
    has_in, has_out = "收入" in text, "支出" in text
    return "支出" if has_out and not has_in else "收入" if has_in and not has_out else None


def _other_side(side: str, row: RowView, col: ColumnView) -> bool:
    """The cell is a figure of the other side: its side or column says so, or its table is of that side only
    (a 收入预算总表 row when 支出 is asked)."""
    other = "收入" if side == "支出" else "支出"
    own = (row.side or "") + col.path
    kind = row.table.info.kind or ""
    one_sided = kind == other + "总体"
    return (other in own or one_sided) and side not in own + row.label


def rank_stated(view: DocView, text: str, frame: Frame, suffix: str) -> list[Evidence]:
    """Figures the narrative states about an item — its change (比上年变化/变化率) or its share (占比) —
    ranked by how well the question names the item, the part of the fact's name before `suffix`."""
    text = with_synonyms(text, view)
    positions = char_grams(text)
    q = {g for _, g in positions}
    out = []
    for f in view.facts:
        if not f.name.endswith(suffix):
            continue
        subject = f.name[: -len(suffix)]
        p = said(name_core(subject), q, view, tail=True)
        if p < 0.34:
            continue
        context = (q & grams(subject)) | (q & grams(f.quote[:80])) | (q & grams(f.section))
        score = _coverage(positions, context, view) * p
        out.append(Evidence("fact", view, score, fact=f, detail={"row": round(p, 3)}))
    out.sort(key=lambda e: -e.score)
    return out


def name_core(name: str) -> str:
    """A stated figure's name without the generic words and the bracketed qualifier it ends in, however many
    ("“三公”经费财政拨款预算数" → "“三公”经费", "政府采购金额（以合同签订为准）" → "政府采购"): the tail that names
    the item is what the question must say."""
    core = name
    while True:
        shorter = re.sub(GENERIC_NAME_ENDINGS, "", re.sub(r"[（(][^（）()]*[)）]$", "", core))  # "（以合同签订为准）"
        if shorter == core or not clean(shorter):
            return core
        core = shorter


def _asks_money(frame: Frame) -> bool:
    return bool(re.search(r"钱|万元|元|金额|经费|预算|资金|支出|收入|拨款|费", frame.text))


def _same_number(printed: str | None, asked: str) -> bool:
    if not printed:
        return False
    digits = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9",
              "十": "10", "十一": "11", "十二": "12", "十三": "13"}
    norm = lambda s: digits.get(s, s).lstrip("0")  # noqa: E731
    p = re.sub(r"^(表|公开)|表$", "", printed)
    return norm(p) == norm(asked)


def best(view: DocView, text: str, frame: Frame, **kwargs) -> Evidence | None:
    ranked = rank(view, text, frame, **kwargs)
    return ranked[0] if ranked and ranked[0].score >= MIN_SCORE else None
