"""Operations over unit sets and year pairs, each expected value computed here from the store.

A *measure* is one printed quantity named the same way in several documents: a table kind, a row
(by label, or the total row) and a column (by header, or the row's total column), determined in
each document. Over measures the suite asks: the sum over 2–3 named units, the difference and the
growth between two documents (different units or years; a difference must say where years or
kinds differ), the largest / smallest / ranking across a year's documents or the whole store, how
many documents exceed a threshold, and within one document a row's share of its table's total
and a part column's share of its row's total. Percentages and sums round half up to 2 decimals,
as the documents print them.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from eval.suites.cases import COUNT, RANKING, TOP, VALUE, Case, Expected, Generated, Ranked, number
from eval.suites.cells import document_phrase, needs_kind
from eval.suites.corpus import Cell, Corpus, Doc
from eval.suites.names import clean_label, code_level, column_leaf, has_printed_name, short_title
from eval.suites.references import KIND, LABEL, LEAF, SHORT, TOTAL, CellIndex, Reference, in_wan


# Headers of columns that hold identifiers, not amounts: no sum or growth of them means anything.
NOT_AN_AMOUNT = re.compile(r"代码|编码|编号|序号|行次")


def round2(x: float) -> float:
    """Half up to 2 decimals, as printed tables round."""
    return float(Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Measure:
    kind: str
    row: tuple[str, str]  # (LABEL, label) or (TOTAL, "")
    column: tuple[str, str]  # (LEAF, header) or (TOTAL, "")
    leaf: str  # the header of the column, also when the column is the row's total

    def phrase(self) -> str:
        table = self.kind if self.kind.endswith("表") else f"{self.kind}表"
        if self.row[0] == TOTAL:
            return f"{table}的{self.leaf}"
        if self.column[0] == TOTAL:
            return f"{table}中{self.row[1]}"
        return f"{table}中{self.row[1]}的{self.leaf}"


@dataclass(frozen=True)
class Amount:
    doc: Doc
    value: float  # in `unit`
    unit: str


def collect_measures(corpus: Corpus, index: CellIndex) -> dict[Measure, dict[int, Amount]]:
    """Every measure with its amount in each document where it is printed and determined."""
    found: dict[Measure, dict[int, Amount]] = defaultdict(dict)
    for cell in corpus.cells:
        table = corpus.tables[cell.table_id]
        if not cell.printed or not table.kind:
            continue
        measure = _measure_of(cell, index)
        if measure is None or cell.doc_id in found[measure]:
            continue
        cells = index.determines(Reference(cell.doc_id, (KIND, table.kind), measure.row, measure.column))
        if cells and any(c.printed for c in cells) and cell.value != 0:  # a sum or growth of zeros asks nothing
            found[measure][cell.doc_id] = Amount(corpus.docs[cell.doc_id], cell.value, table.measure_unit)
    return {m: docs for m, docs in found.items() if len(docs) >= 2}


def _measure_of(cell: Cell, index: CellIndex) -> Measure | None:
    label, leaf = clean_label(cell.row_label), column_leaf(cell.column_path)
    if not has_printed_name(leaf) or NOT_AN_AMOUNT.search(leaf):
        return None
    row = (TOTAL, "") if index.is_total_row(cell) else (LABEL, label) if label else None
    if row is None:
        return None
    column = (TOTAL, "") if index.total_column_of(cell) == cell.column_number else (LEAF, leaf)
    if column[0] == TOTAL and row[0] == LABEL:
        leaf = ""  # the question names no column: the row's total, whether its header says 合计 or 小计
    return Measure(index.corpus.tables[cell.table_id].kind, row, column, leaf)


def common_unit(amounts: list[Amount]) -> tuple[list[float], str]:
    """The amounts in one unit: their own when they share it, else 万元."""
    units = {a.unit for a in amounts}
    if len(units) == 1:
        return [a.value for a in amounts], units.pop()
    return [in_wan(a.value, a.unit) for a in amounts], "万元"


def generate_operations(corpus: Corpus, index: CellIndex | None = None) -> Generated:
    index = index or CellIndex(corpus)
    out = Generated("operations")
    measures = collect_measures(corpus, index)
    out.items = len(measures)
    for n, (measure, by_doc) in enumerate(sorted(measures.items(), key=lambda kv: repr(kv[0]))):
        amounts = [by_doc[d] for d in sorted(by_doc, key=lambda d: (corpus.docs[d].year or 0, d))]
        before = len(out.cases)
        _sums(out, corpus, measure, amounts, n)
        _pairs(out, corpus, measure, amounts, n)
        _extremes(out, corpus, measure, amounts)
        out.covered += len(out.cases) > before
    _shares(out, corpus, index)
    return out


def _who(amounts: list[Amount], corpus: Corpus) -> str:
    """「A、B和C2025年」 when the years agree, else 「A2025年、B2024年和C2020年」."""
    years = {a.doc.year for a in amounts}
    if any(needs_kind(a.doc, corpus) for a in amounts):
        return _join([document_phrase(a.doc, corpus, possessive=False) for a in amounts]) + "的"
    if len(years) == 1:
        year = amounts[0].doc.year
        return _join([a.doc.unit_name for a in amounts]) + (f"{year}年" if year else "")
    return _join([document_phrase(a.doc, corpus) for a in amounts])


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "、".join(parts[:-1]) + "和" + parts[-1]


def _sums(out: Generated, corpus: Corpus, measure: Measure, amounts: list[Amount], n: int) -> None:
    """One named set of two and one of three units, from one year when a year has enough documents."""
    by_year = _by_year(amounts)
    for size in (2, 3):
        groups = [g for g in by_year.values() if len(g) >= size] or ([amounts] if len(amounts) >= size else [])
        if not groups:
            continue
        group = groups[n % len(groups)]
        chosen = [group[(n + i) % len(group)] for i in range(size)]
        values, unit = common_unit(chosen)
        wording = ("加起来一共是多少？", "之和是多少？")[n % 2]
        out.cases.append(Case("operations", f"sum_{size}", _scope(chosen),
                              f"{_who(chosen, corpus)}{measure.phrase()}{wording}",
                              Expected(VALUE, value=round2(sum(values)), unit=unit,
                                       formula=" + ".join(number(v) for v in values))))


def _by_year(amounts: list[Amount]) -> dict[int | None, list[Amount]]:
    groups: dict[int | None, list[Amount]] = defaultdict(list)
    for a in amounts:
        groups[a.doc.year].append(a)
    return dict(sorted(groups.items(), key=lambda kv: kv[0] or 0))


def _pair_choices(amounts: list[Amount], n: int) -> tuple[tuple[Amount, Amount] | None, tuple[Amount, Amount] | None]:
    """A same-year pair, and a cross-year pair — one unit's two years when some unit has them."""
    groups = [g for g in _by_year(amounts).values() if len(g) >= 2]
    same = None
    if groups:
        g = groups[n % len(groups)]
        same = (g[n % len(g)], g[(n + 1) % len(g)])
    by_unit: dict[str, list[Amount]] = defaultdict(list)
    for a in amounts:
        by_unit[a.doc.unit_name].append(a)
    lineage = [g for g in by_unit.values() if len({a.doc.year for a in g}) >= 2]
    if lineage:
        g = lineage[n % len(lineage)]
        cross = (g[0], next(a for a in g if a.doc.year != g[0].doc.year))
    else:
        years = list(_by_year(amounts).values())
        cross = (years[0][0], years[-1][0]) if len(years) >= 2 else None
    return same, cross


def _pairs(out: Generated, corpus: Corpus, measure: Measure, amounts: list[Amount], n: int) -> None:
    """Differences of a same-year and a cross-year pair; growth between the cross-year pair."""
    same, cross = _pair_choices(amounts, n)
    for pair in (p for p in (same, cross) if p):
        later, earlier = sorted(pair, key=lambda a: a.doc.year or 0, reverse=True)
        (a, b), unit = common_unit([later, earlier])
        if a == b:
            continue
        mentions = _differences(later.doc, earlier.doc)
        who_a, who_b = document_phrase(later.doc, corpus), document_phrase(earlier.doc, corpus)
        out.cases.append(Case("operations", "difference", _scope(pair),
                              f"{who_a}{measure.phrase()}比{who_b}多多少？",
                              Expected(VALUE, value=round2(a - b), unit=unit, mentions=mentions,
                                       formula=f"{number(a)} − {number(b)}", either_sign=True)))
        out.cases.append(Case("operations", "difference_apart", _scope(pair),
                              f"{who_a}和{who_b}的{measure.phrase()}相差多少？",
                              Expected(VALUE, value=round2(abs(a - b)), unit=unit, mentions=mentions,
                                       formula=f"|{number(a)} − {number(b)}|", either_sign=True)))
    if cross:
        later, earlier = sorted(cross, key=lambda a: a.doc.year or 0, reverse=True)
        (a, b), _ = common_unit([later, earlier])
        if b != 0:
            out.cases.append(Case("operations", "growth", _scope(cross),
                                  f"{document_phrase(later.doc, corpus)}{measure.phrase()}比"
                                  f"{document_phrase(earlier.doc, corpus)}增长了百分之多少？",
                                  Expected(VALUE, value=round2((a - b) / b * 100), unit="%",
                                           formula=f"({number(a)} − {number(b)}) / {number(b)} × 100")))


def _differences(a: Doc, b: Doc) -> tuple[tuple[str, ...], ...]:
    """What an answer comparing two documents must say: both years when they differ, both kinds when they do."""
    groups: list[tuple[str, ...]] = []
    if a.year != b.year:
        groups += [(str(a.year),), (str(b.year),)]
    scopes_differ = a.scope and b.scope and a.scope != b.scope
    if scopes_differ or a.budget_kind != b.budget_kind:
        groups += [(f"{a.scope}{a.budget_kind}",), (f"{b.scope}{b.budget_kind}",)]
    return tuple(groups)


def _extremes(out: Generated, corpus: Corpus, measure: Measure, amounts: list[Amount]) -> None:
    """Largest, smallest, ranking and a threshold count within each year and over the whole store."""
    by_year = _by_year(amounts)
    scopes = [(f"{year}年", group) for year, group in by_year.items() if len(group) >= 2 and year]
    if len(by_year) > 1:
        scopes.append(("所有文件中，", amounts))
    for where, group in scopes:
        values, unit = common_unit(group)
        ranked = sorted(zip(values, group), key=lambda va: -va[0])
        whole = where.startswith("所有")
        who = "哪个单位哪一年" if whole else "哪个单位"
        stratum = "corpus" if whole else "year"
        for word, pick, runner_up in (("最多", ranked[0], ranked[1]), ("最少", ranked[-1], ranked[-2])):
            if runner_up[0] == pick[0]:
                continue  # a tie has no single answer
            out.cases.append(Case("operations", "max" if word == "最多" else "min", stratum,
                                  f"{where}{who}的{measure.phrase()}{word}？",
                                  Expected(TOP, value=pick[0], unit=unit, unit_name=pick[1].doc.unit_name,
                                           year=pick[1].doc.year)))
        _ranking(out, where, stratum, measure, ranked, unit)
        threshold = _threshold(sorted(values))
        if threshold is not None:
            count = sum(v > threshold for v in values)
            asked = "有几份文件" if whole else "有几个单位"
            prefix = "库里所有文件中，" if whole else where
            out.cases.append(Case("operations", "count", stratum,
                                  f"{prefix}{asked}的{measure.phrase()}超过{number(threshold)}{unit}？",
                                  Expected(COUNT, value=count, unit="个", formula=f"> {number(threshold)}")))


TOP_OF_MANY = 3  # over more than five documents a ranking question asks for the first three


def _ranking(out: Generated, where: str, stratum: str, measure: Measure, ranked: list, unit: str) -> None:
    if len(ranked) < 3:
        return
    if len(ranked) <= 5:
        question, shown = f"{where}各单位的{measure.phrase()}从高到低怎么排？", ranked
    else:
        if ranked[TOP_OF_MANY - 1][0] == ranked[TOP_OF_MANY][0]:
            return  # a tie at the cut has no single answer
        question, shown = f"{where}{measure.phrase()}排前三的是哪几个单位？", ranked[:TOP_OF_MANY]
    out.cases.append(Case("operations", "rank", stratum, question,
                          Expected(RANKING, unit=unit, ranking=tuple(Ranked(a.doc.unit_name, a.doc.year, v)
                                                                     for v, a in shown))))


def _threshold(values: list[float]) -> float | None:
    """A round number strictly between the middle two distinct values, so the count is not at an edge."""
    distinct = sorted(set(values))
    if len(distinct) < 2:
        return None
    k = (len(distinct) - 1) // 2
    low, high = distinct[k], distinct[k + 1]
    for exponent in range(7, -3, -1):
        step = 10.0 ** exponent
        t = math.floor(low / step + 1) * step
        if low < t < high:
            return round(t, 2)
    return None


def _scope(amounts) -> str:
    years = {a.doc.year for a in amounts}
    return "same_year" if len(years) == 1 else "cross_year"


def _shares(out: Generated, corpus: Corpus, index: CellIndex) -> None:
    """Within one document: a 类-level or uncoded row over its table's total; a part column over the row's total."""
    at: dict[tuple[int, int, int], Cell] = {}
    totals: dict[tuple[int, int, str], list[Cell]] = defaultdict(list)
    for c in corpus.cells:
        at[(c.table_id, c.row_index, c.column_number)] = c
        if index.is_total_row(c) and clean_label(c.row_label):
            totals[(c.table_id, c.column_number, c.side)].append(c)
    for cell in corpus.cells:
        table = corpus.tables[cell.table_id]
        if not cell.printed or cell.value == 0 or (cell.code and code_level(cell.code) != "类"):
            continue
        doc, short = corpus.docs[cell.doc_id], short_title(table.title, corpus.docs[cell.doc_id].unit_name)
        who, row, leaf = document_phrase(doc, corpus), clean_label(cell.row_label), column_leaf(cell.column_path)
        total_column = index.total_column_of(cell)
        if not row or not leaf or not has_printed_name(table.title):
            continue
        side_totals = totals.get((cell.table_id, cell.column_number, cell.side), [])
        whole = at.get((cell.table_id, cell.row_index, total_column)) if total_column is not None else None
        # "占总计" reads two ways when the total row and the total column bear the same name: not determined
        total_names = {clean_label(t.row_label) for t in side_totals}
        ambiguous = whole is not None and column_leaf(whole.column_path) in total_names
        if not index.is_total_row(cell) and len(side_totals) == 1 and side_totals[0].value and not ambiguous:
            total = side_totals[0]
            name = clean_label(total.row_label)
            said = f"{row}占{name}" if total_column == cell.column_number else f"{row}的{leaf}占{name}"
            parts = (Reference(doc.id, (SHORT, short), (LABEL, row), _col(cell, index)),
                     Reference(doc.id, (SHORT, short), (LABEL, name), _col(cell, index)))
            if all(index.determines(p) for p in parts):
                out.cases.append(Case("operations", "share_of_total", table.kind or "未分类",
                                      f"{who}{short}中{said}的百分之几？",
                                      Expected(VALUE, value=round2(cell.value / total.value * 100), unit="%",
                                               formula=f"{number(cell.value)} / {number(total.value)} × 100")))
        if whole is None or whole is cell or not whole.value or ambiguous:
            continue
        parts = (Reference(doc.id, (SHORT, short), (LABEL, row), (LEAF, leaf)),
                 Reference(doc.id, (SHORT, short), (LABEL, row), (TOTAL, "")))
        if all(index.determines(p) for p in parts):
            out.cases.append(Case("operations", "share_of_row", table.kind or "未分类",
                                  f"{who}{short}中{row}的{leaf}占{column_leaf(whole.column_path)}的比例是多少？",
                                  Expected(VALUE, value=round2(cell.value / whole.value * 100), unit="%",
                                           formula=f"{number(cell.value)} / {number(whole.value)} × 100")))


def _col(cell: Cell, index: CellIndex) -> tuple[str, str]:
    return (TOTAL, "") if index.total_column_of(cell) == cell.column_number else (LEAF, column_leaf(cell.column_path))
