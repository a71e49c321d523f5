"""The operations a question can ask, each a small function: frame + documents → figures, sentences, citations.

Every operation grounds what it needs through `resolve` (the one scorer), combines figures only through
`compute` (formula and inputs kept) and words its result only through `compose`. `OPERATIONS` maps a
frame's operation to its function — data, so an operation is added by writing one function.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher

from assistant import compose, compute, passages
from assistant.answer import AMBIGUOUS, ANSWERED, NOT_FOUND, Citation, Figure
from assistant.docview import (DocView, RowView, TableView, ViewCache, column_views, is_total_row,
                               printed_columns)
from assistant.frame import Frame
from assistant.grams import clean
from assistant.provenance import fact_citation, figure_of, item_label, paragraph_citation
from assistant.resolve import MIN_SCORE, Evidence, cell_evidence, named_tables, rank, rank_stated
from assistant.words import NON_NUMERIC_ASKS, TOTAL_FORMS
from index.read import CellInfo, DocInfo, TableInfo

JOINERS = re.compile(r"^[和与及跟同、，,还有以及或]*$")
LEVELS = {"类": 3, "款": 5, "项": 7}


@dataclass
class Result:
    text: str
    figures: list[Figure] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    status: str = ANSWERED


@dataclass
class Context:
    frame: Frame
    docs: list[DocInfo]
    views: ViewCache
    trace: list[dict] = field(default_factory=list)
    _ranked: dict = field(default_factory=dict, repr=False)  # (view, text, options) → ranked evidence

    def view(self, doc: DocInfo) -> DocView:
        return self.views.get(doc)

    def log(self, stage: str, items: list) -> None:
        self.trace.append({"stage": stage, "items": items})

    def rank(self, view: DocView, text: str, **kwargs) -> list[Evidence]:
        """`resolve.rank` for this question, each (document, text, options) ranked once: an operation that
        looks for several things in one document (the items named, else the one item) scores it once."""
        key = (id(view), text, tuple((k, tuple(map(id, v)) if isinstance(v, list) else v)
                                     for k, v in sorted(kwargs.items())))
        ranked = self._ranked.get(key)
        if ranked is None:
            ranked = self._ranked[key] = rank(view, text, self.frame, **kwargs)
        return ranked

    def find(self, view: DocView, text: str, **kwargs) -> Evidence | None:
        """The best evidence for `text` in one document, the runners-up kept in the trace."""
        ranked = self.rank(view, text, **kwargs)
        self.log(f"候选（{view.doc.label}）：{text or '（空）'}", [
            f"{e.score:.2f} {_describe(e)} = {e.value:g} {e.unit}" for e in ranked[:3]])
        return ranked[0] if ranked and ranked[0].score >= MIN_SCORE else None


def _describe(e: Evidence) -> str:
    if e.kind == "fact":
        return f"说明中的数字「{e.fact.name}」"
    if e.kind == "empty":
        return f"{e.table.info.name}（空表）"
    return f"{e.table.info.name}「{e.row.label}」行「{e.column.path}」列"


# ---- sentences for one piece of evidence -------------------------------------------------------------

def stated(ctx: Context, e: Evidence) -> tuple[str, Figure, list[Citation]]:
    fig = figure_of(e)
    if e.kind == "fact":
        return compose.lookup(fig, e.name, quote=e.fact.quote, section=e.fact.section), fig, [fact_citation(e)]
    if e.kind == "empty":
        cit = fact_citation(e)
        return compose.empty_table(fig, e.table.info.note), fig, [cit] if cit else []
    return compose.lookup(fig, e.name, raw=e.cell.raw), fig, []  # its checks: `corroborate`


def stated_all(ctx: Context, evidence: list[Evidence]) -> tuple[list[str], list[Figure], list[Citation]]:
    """`stated` for several pieces of evidence: their sentences, figures and citations in order."""
    texts, figures, cits = [], [], []
    for e in evidence:
        sentence, fig, more = stated(ctx, e)
        texts.append(sentence)
        figures.append(fig)
        cits += more
    return texts, figures, cits


def named_items(ctx: Context, view: DocView, text: str) -> list[Evidence]:
    """Several items named whole in one question and joined by 和/、/及 ("A、B和C"), each with its evidence.
    Labels printed next to each other with nothing between ("一般公共预算财政拨款") are one phrase."""
    flat, where = _flat_with_positions(text)
    ranked = ctx.rank(view, text)
    chosen: list[tuple[int, str, Evidence]] = []
    for e in ranked:
        label = _item_name(e)
        if len(label) < 2 or label not in flat:
            continue
        twin = next((i for i, c in enumerate(chosen) if c[1] == label), None)
        if twin is not None:
            if chosen[twin][2].kind == "fact" and e.kind == "cell" and abs(e.value - chosen[twin][2].value) < 0.005:
                chosen[twin] = (chosen[twin][0], label, e)  # the printed cell of the figure the narrative states
            continue
        if e.kind == "cell" and not e.row.is_total and not e.column.is_default and \
                clean(e.column.path.split("/")[-1]) not in flat:
            continue
        chosen.append((flat.index(label), label, e))
    chosen = [c for c in chosen if not any(c[1] != o[1] and c[1] in o[1] for o in chosen)]
    focus = clean(ctx.frame.focus)
    if len(focus) >= 2 and focus in flat:  # "X里，A和B": the items are A and B, X is where they are read
        start = flat.index(focus)
        chosen = [c for c in chosen if c[0] >= start]
    chosen.sort(key=lambda c: c[0])
    if len(chosen) < 2:
        return []
    for (p1, l1, _), (p2, _, _) in zip(chosen, chosen[1:]):
        if p2 < p1 + len(l1):
            return []
        gap = re.sub(r"[（）()]", "", text[where[p1 + len(l1) - 1] + 1:where[p2]])
        if not gap or not JOINERS.match(gap.replace(" ", "")):
            return []  # nothing between (one phrase) or words between (not a list)
    return [c[2] for c in chosen]


def joined_parts(ctx: Context, view: DocView, text: str) -> list[Evidence]:
    """Items joined by 和/与/及/、 but not named whole ("货物和工程" for the statements 货物采购金额 and 工程采购
    金额): the text cut at each joiner that lies inside no label the document prints there (社会保障和就业支出
    is one item), each part found on its own, in the context the question puts before them. [] unless every
    part is found, each in a different cell or statement."""
    whole = ctx.find(view, text)
    if whole is not None and whole.score >= STRONG:
        return []  # one item named with a joiner in it, in other words ("社保和就业支出")
    focus = ctx.frame.focus
    asked, scope = (focus, text[:text.index(focus)]) if focus and focus in text else (text, "")
    flat = clean(asked)
    names = {_item_name(e) for e in ctx.rank(view, text)[:200]}
    inside = set()
    for name in names:
        if len(name) >= 3:
            at = flat.find(name)
            while at >= 0:
                inside.update(range(at + 1, at + len(name) - 1))
                at = flat.find(name, at + 1)
    # a joiner of a label said in other words ("社保和就业支出"): the label goes on after it as the question does
    label_joins = {name[j + 1:j + 3] for name in names for j, ch in enumerate(name) if ch in "和与及" and j + 3 <= len(name)}
    cuts = [m for m in re.finditer(r"以及|[和与及、]", flat) if m.start() not in inside
            and flat[m.end():m.end() + 2] not in label_joins]
    if not cuts:
        return []
    bounds = [0] + [x for m in cuts for x in (m.start(), m.end())] + [len(flat)]
    parts = [flat[a:b] for a, b in zip(bounds[::2], bounds[1::2])]
    if len(parts) < 2 or any(len(p) < 2 for p in parts):
        return []
    found = [ctx.find(view, f"{scope} {p}".strip()) for p in parts]  # "政府采购中，货物和工程": each 政府采购's
    if any(e is None for e in found) or any(a.same_source(b) for i, a in enumerate(found) for b in found[i + 1:]):
        return []
    return found


def _item_name(e: Evidence) -> str:
    """The words a question names one item of a list by: a row's label, a total row's column (the items of a
    one-row table are its columns: “三公”经费、会议费、培训费), a stated figure's name."""
    if e.kind == "fact":
        return clean(e.fact.name)
    if e.kind != "cell":
        return ""
    if not e.row.is_total:
        return clean(e.row.label)
    return "" if e.column.is_default else clean(e.column.key)


def _flat_with_positions(text: str) -> tuple[str, list[int]]:
    """The cleaned text (as labels are matched) and, for each of its characters, its place in `text`."""
    flat, where = [], []
    for i, ch in enumerate(text):
        if clean(ch):
            flat.append(ch)
            where.append(i)
    return "".join(flat), where


def _per_document(ctx: Context, text: str | None = None, **kwargs) -> list[Evidence]:
    """The same item in each document asked about. A document whose best match explains the question clearly
    less than the best document's does not hold that item (其他商品和服务支出 is not 商品和服务支出)."""
    text = ctx.frame.measure if text is None else text
    if len(ctx.docs) > READ_WHOLE:
        return _across_store(ctx, text, **kwargs)
    return _read_each(ctx, text, **kwargs)


def _read_each(ctx: Context, text: str, **kwargs) -> list[Evidence]:
    out = []
    for doc in ctx.docs:
        e = ctx.find(ctx.view(doc), text, **kwargs)
        if e is not None:
            out.append(e)
    if len(out) > 1:
        ref = max(out, key=lambda e: e.score)
        cover = ref.detail.get("coverage", 1.0)
        out = [e for e in out if e.score >= 0.92 * ref.score and e.detail.get("coverage", 1.0) >= 0.95 * cover
               and _item_of(e) == _item_of(ref)]
    return out


READ_WHOLE = 12  # up to this many documents are each read and matched; beyond, one query over the store
STRONG = 0.85  # a match this good in the sample names the item for the query over all documents


def _across_store(ctx: Context, text: str, **kwargs) -> list[Evidence]:
    """The item in every document of a large set, by one query: the item is grounded in a few documents, then
    the same table kind, row and column (or the same narrative figure) is fetched from all of them."""
    sample = [e for e in (ctx.find(ctx.view(d), text, **kwargs) for d in ctx.docs[:READ_WHOLE]) if e is not None]
    if not sample:
        return []
    ref = max(sample, key=lambda e: e.score)
    if ref.score < STRONG:  # the sample holds no clear match: read every document after all
        return _read_each(ctx, text, **kwargs)
    ids = [d.id for d in ctx.docs]
    by_id = {d.id: d for d in ctx.docs}
    reader = ctx.views.reader
    if ref.kind == "fact":
        facts = reader.facts_across(ref.fact.name, ids)
        seen, out = set(), []
        for f in facts:
            if f.doc_id not in seen and (f.subject or None) == (ref.fact.subject or None):
                seen.add(f.doc_id)
                out.append(Evidence("fact", ctx.views.lite(by_id[f.doc_id]), ref.score, fact=f, detail=ref.detail))
        return out
    if ref.kind != "cell":
        return sample
    return _cells_across(ctx, ref, by_id)


def _cells_across(ctx: Context, ref: Evidence, by_id: dict[int, DocInfo]) -> list[Evidence]:
    """The item of the cell `ref` in each document's own table of the same kind, fetched by one query: the row
    of the same label at the same column (the default amount, or the column of the same name) — or, where a
    document prints the item the other way round, that cell: an item row of one table is a column of another's
    one-row total (三公: 公务接待费 as a row, or as a column of the 合计 row), and a total's column a row."""
    want_key, ref_label = clean(ref.column.key), clean(ref.row.label)
    # (which row, which column) in order of preference; a row is named by its label (cleaned) or is the
    # table's total; a column is the default amount or named by its key
    if not ref.row.is_total:  # an item row: its label; printed elsewhere as a column of the total row
        plans = [(ref_label, DEFAULT if ref.column.is_default else want_key)]
        if ref.column.is_default:
            plans.append((TOTAL, ref_label))
    elif ref.column.is_default:  # the table's total
        plans = [(TOTAL, DEFAULT)]
    else:  # a column of the total row ("基本支出" of 总计); printed elsewhere as a row of its own
        plans = [(TOTAL, want_key), (want_key, DEFAULT)]
    reader, kind, side = ctx.views.reader, ref.table.info.kind, ref.row.side
    best: dict[int, tuple] = {}  # document → (preference, table, cell, column, is total)

    def choose(found: list[tuple[TableInfo, CellInfo]], header: bool) -> None:
        """Each document's best cell among `found`; its columns read from the table's stored header, or else
        from the cells found (every cell of the rows asked)."""
        by_table: dict[int, tuple[TableInfo, list[CellInfo]]] = {}
        for table, cell in found:
            by_table.setdefault(table.id, (table, []))[1].append(cell)
        for table, cells in by_table.values():
            final = by_id[table.doc_id].budget_kind == "决算"
            columns = printed_columns(table, final) if header else {c.number: c for c in column_views(cells, final)}
            for cell in cells:
                column = columns.get(cell.column_number)
                if column is None or (side and cell.side and cell.side != side) or \
                        (column.side is not None and column.side != cell.side):
                    continue
                label, total = clean(cell.label), is_total_row(cell.label, cell.code)
                for preference, (row, col) in enumerate(plans):
                    if (total if row is TOTAL else label == row) and (
                            column.is_default if col is DEFAULT else clean(column.key) == col):
                        order = (preference, label != ref_label, table.seq, cell.row_index)
                        held = best.get(table.doc_id)
                        if held is None or order < held[0]:
                            best[table.doc_id] = (order, table, cell, column, total)
                        break

    # the cell where the sample prints it (same row label, same column): one cell per document
    choose(reader.cells_across(kind, row_label=ref.row.label, column_path=ref.column.path, doc_ids=list(by_id)), True)
    missing = [i for i in by_id if i not in best]
    if missing:  # documents that print the item otherwise: their total rows and rows of the item's name
        labels = set(TOTAL_FORMS) | {ref.row.label} | ({ref.column.key} if ref.row.is_total else set())
        choose(reader.cells_across(kind, row_label=labels, doc_ids=missing), False)
    out = []
    for d in ctx.docs:
        if d.id in best:
            _, table, cell, column, total = best[d.id]
            out.append(cell_evidence(ctx.views.lite(d), table, cell, ref, column, total))
    return out


TOTAL, DEFAULT = object(), object()  # in a plan: the table's total row; the row's default amount


def _printed(evidence: list[Evidence]) -> list[Evidence]:
    """Documents that print an amount for the item: a cell left empty (not arranged) is not ranked."""
    return [e for e in evidence if e.kind != "cell" or e.cell.raw != ""]


def _item_of(e: Evidence) -> tuple:
    """What a figure is of, for comparing documents: its row's label (or the total), its column's name."""
    if e.kind != "cell":
        return (clean(e.name),)
    if e.row.is_total:  # a one-row table whose columns are the items: the column names the item
        return (clean(e.column.key),) if not e.column.is_default else ("",)
    return (clean(e.row.label),) + (() if e.column.is_default else (clean(e.column.key),))


def _incomplete(ctx: Context, found: list[Evidence]) -> Result:
    """An operation over documents of which only some hold the item: what they hold, and which do not."""
    if not found:
        return _not_found(ctx)
    have = {e.view.doc.id for e in found}
    missing = [d for d in ctx.docs if d.id not in have]
    texts, figures, cits = stated_all(ctx, found)
    texts.append(f"{'、'.join(d.label for d in missing)}的公开文件中没有找到同一项目（“{ctx.frame.measure}”），无法计算。")
    return Result("\n".join(texts), figures, cits, NOT_FOUND)


def _not_provided(ctx: Context) -> Result:
    return Result(f"{'、'.join(d.label for d in ctx.docs[:3])}的公开文件没有提供这方面的信息（公开文件只公布预算金额、"
                  f"人员、资产数量等，不含年份、品牌、人名之类的内容）。", status=NOT_FOUND)


def _not_found(ctx: Context, what: str = "") -> Result:
    return Result(compose.not_found(ctx.docs, what or ctx.frame.measure), status=NOT_FOUND)


def _ordered_pair(ctx: Context, evidence: list[Evidence]) -> tuple[Evidence, Evidence]:
    """The two documents compared, subject first: "2018年比2017年" / "A比B" as named, else later − earlier."""
    a, b = evidence[0], evidence[1]
    text = ctx.frame.text
    da, db = a.view.doc, b.view.doc
    if da.year != db.year:
        ya, yb = str(da.year), str(db.year)
        if ya in text and yb in text:
            first = a if text.index(ya) < text.index(yb) else b
            if re.search(r"比|较|相比|对比", text[min(text.index(ya), text.index(yb)):]):
                return (first, b if first is a else a)
        return (a, b) if (da.year or 0) > (db.year or 0) else (b, a)
    return a, b


# ---- operations ----------------------------------------------------------------------------------

def lookup(ctx: Context) -> Result:
    frame = ctx.frame
    if re.search(NON_NUMERIC_ASKS, frame.text):
        return _not_provided(ctx)
    if frame.against_previous and re.search(r"(增加|减少|变化|增长|下降|多|少|变动)", frame.text):
        return stated_change(ctx)
    texts, figures, cits = [], [], []
    for doc in ctx.docs:
        view = ctx.view(doc)
        items = named_items(ctx, view, frame.measure) if frame.operation in ("lookup", "parts", "sum") else []
        if not items and len(frame.quantity_groups) > 1:  # "几批、多少人次": the item's figure in each unit
            items = [e for g in frame.quantity_groups
                     for e in rank(view, frame.measure, replace(frame, quantity_units=g))[:1] if e.score >= MIN_SCORE]
        found = items or [e for e in [ctx.find(view, frame.measure)] if e is not None]
        for e in found:
            sentence, fig, more = stated(ctx, e)
            texts.append(sentence)
            figures.append(fig)
            cits += more
    if not figures:
        return _not_found(ctx)
    status = AMBIGUOUS if len(ctx.docs) > 1 and not frame.bodies and not frame.every_body else ANSWERED
    lead = "问题未指明单位，以下列出各单位：\n" if status == AMBIGUOUS else ""
    if len({f.document_id for f in figures}) > 1:
        comparable = len({f.unit for f in figures}) == 1 or all(f.unit in compute.TO_WANYUAN for f in figures)
        if len(figures) == 2 and status == ANSWERED and comparable:  # "A和B各是多少": how far apart, too
            a, b = sorted(figures, key=lambda f: -f.value * compute.TO_WANYUAN.get(f.unit, 1))
            gap = compute.difference(a, b)
            texts.append(compose.difference(compose.figure_doc(a), compose.figure_doc(b), gap))  # said, not a figure
        note = compose.differs(figures)
        texts.append(note) if note else None
    return Result(lead + "\n".join(texts), figures, cits, status)


def stated_change(ctx: Context) -> Result:
    """"比上年增加了多少": the change the document states for the item, with the reason when asked."""
    texts, figures, cits = [], [], []
    rate = ctx.frame.operation == "growth"
    for doc in ctx.docs:
        view = ctx.view(doc)
        suffix = "比上年变化率" if rate else "比上年变化"
        ranked = rank_stated(view, ctx.frame.measure, ctx.frame, suffix)
        ctx.log(f"所述变化（{view.doc.label}）", [f"{x.score:.2f} {x.fact.name} = {x.value:g}" for x in ranked[:3]])
        e = ranked[0] if ranked and ranked[0].score >= MIN_SCORE else None
        if e is None:
            continue
        fig = figure_of(e)
        subject = e.fact.name[: -len(suffix)]
        word = ("下降" if fig.value < 0 else "增长") if rate else ("减少" if fig.value < 0 else "增加")
        shown = f"{abs(fig.value):.2f}%" if rate else f"{compute.amount(abs(fig.value))} {fig.unit}"
        texts.append(f"{compose.figure_doc(fig)}{subject}比上年{word} {shown}。原文（{e.fact.section}）：{e.fact.quote}")
        if ctx.frame.decrease and fig.value < 0:
            fig.value = abs(fig.value)
        figures.append(fig)
        cits.append(fact_citation(e))
    if not figures:
        return _not_found(ctx, ctx.frame.measure + "比上年的变化")
    return Result("\n".join(texts), figures, cits)


def parts(ctx: Context) -> Result:
    return lookup(ctx)


def total(ctx: Context) -> Result:
    frame = ctx.frame
    if len(ctx.docs) == 1:
        view = ctx.view(ctx.docs[0])
        items = named_items(ctx, view, frame.measure) or joined_parts(ctx, view, frame.measure)
        if len(items) < 2:
            return lookup(ctx)
        evidence = items
    else:
        evidence = _per_document(ctx)
        if len(evidence) < 2:
            return _incomplete(ctx, evidence)
    figs = [figure_of(e) for e in evidence]
    result = compute.total(figs)
    names = [e.name if len(ctx.docs) == 1 else compose.figure_doc(f) + e.name for e, f in zip(evidence, figs)]
    text = compose.listing(figs, names) + "\n" + compose.computed(result, "合计")
    note = compose.differs(figs)
    return Result(text + (("\n" + note) if note and len(ctx.docs) > 1 else ""), [result] + figs, [])


def _two_columns(ctx: Context, view: DocView) -> list[Evidence]:
    """Two amounts of one row named by their columns (决算数 and 年初预算数 …), in the order named."""
    e = ctx.find(view, ctx.frame.measure)
    if e is None or e.kind != "cell":
        return []
    flat = clean(ctx.frame.text)
    named = []
    for number, cell in e.row.cells.items():
        col = e.table.column(number)
        leaf = clean(col.path.split("/")[-1])
        key = re.sub(r"数$", "", leaf)
        if len(key) >= 2 and key in flat:
            named.append((flat.index(key), Evidence("cell", view, e.score, e.table, e.row, col, cell)))
    named.sort(key=lambda p: p[0])
    return [n for _, n in named][:2] if len(named) >= 2 else []


def difference(ctx: Context) -> Result:
    frame = ctx.frame
    if frame.against_previous and len(ctx.docs) == 1:
        return stated_change(ctx)
    if len(ctx.docs) >= 2:
        evidence = _per_document(ctx)
        if len(evidence) < 2:
            return _incomplete(ctx, evidence)
        a, b = _ordered_pair(ctx, evidence)
        names = [compose.figure_doc(figure_of(x)) + x.name for x in (a, b)]
    else:
        view = ctx.view(ctx.docs[0])
        pair = named_items(ctx, view, frame.measure) or _two_columns(ctx, view)
        if len(pair) < 2:
            return lookup(ctx)
        a, b = pair[0], pair[1]
        names = [a.name, b.name]
    fa, fb = figure_of(a), figure_of(b)
    diff = compute.difference(fa, fb)
    text = compose.listing([fa, fb], names) + "\n" + compose.difference(names[0], names[1], diff)
    note = compose.differs([fa, fb])
    if frame.decrease and diff.value < 0:
        diff.value = abs(diff.value)
    return Result(text + (("\n" + note) if note else ""), [diff, fa, fb], [])


def growth(ctx: Context) -> Result:
    if len(ctx.docs) >= 2:
        evidence = _per_document(ctx)
        if len(evidence) < 2:
            return _incomplete(ctx, evidence)
        new, old = _ordered_pair(ctx, evidence)
        fo, fn = figure_of(old), figure_of(new)
        rate = compute.growth(fo, fn)
        if rate is None:
            return Result(f"{compose.figure_doc(fo)}{old.name}为 0，无法计算增长率。", [fo, fn], [], NOT_FOUND)
        names = [compose.figure_doc(f) + e.name for f, e in ((fn, new), (fo, old))]
        if ctx.frame.decrease and rate.value < 0:  # "下降了百分之几": the fall, as a positive rate
            rate.value = abs(rate.value)
            text = compose.listing([fn, fo], names) + "\n" + compose.computed(rate, "下降")
        else:
            text = compose.listing([fn, fo], names) + "\n" + compose.computed(rate, "增长率")
        note = compose.differs([fo, fn])
        return Result(text + (("\n" + note) if note else ""), [rate, fn, fo], [])
    view = ctx.view(ctx.docs[0])
    pair = _two_columns(ctx, view)
    if len(pair) == 2:
        fo, fn = figure_of(pair[1]), figure_of(pair[0])
        rate = compute.growth(fo, fn)
        if rate is not None:
            return Result(compose.listing([fn, fo], [pair[0].name, pair[1].name]) + "\n"
                          + compose.computed(rate, "增长率"), [rate, fn, fo], [])
    answer = stated_change(ctx)
    if answer.status == ANSWERED:
        return answer
    return _growth_from_change(ctx, view)


def _growth_from_change(ctx: Context, view: DocView) -> Result:
    """A rate the document does not print, from this year's amount and the stated change."""
    current = ctx.find(view, ctx.frame.measure)
    changes = rank_stated(view, ctx.frame.measure, ctx.frame, "比上年变化")
    change = changes[0] if changes and changes[0].score >= MIN_SCORE else None
    if current is None or change is None:
        return _not_found(ctx, ctx.frame.measure + "的增长率")
    fc, fd = figure_of(current), figure_of(change)
    previous = compute.previous_from_change(fc, fd)
    rate = compute.growth(previous, fc)
    if rate is None:
        return _not_found(ctx, ctx.frame.measure + "的增长率")
    falls = ctx.frame.decrease and rate.value < 0
    if falls:  # "下降了百分之几": the fall, as a positive rate
        rate.value = abs(rate.value)
    text = (f"{compose.figure_doc(fc)}{current.name}为 {compose.value(fc)}，比上年变化 {compute.amount(fd.value)} {fd.unit}；"
            + compose.computed(rate, "比上年下降" if falls else "比上年增长率") + "（上年数 = 本年数 − 变化额）")
    return Result(text, [rate, fc, fd], [fact_citation(change)])


def _stated_share(ctx: Context, view: DocView) -> Evidence | None:
    frame = ctx.frame
    ranked = rank_stated(view, frame.measure, frame, "占比")
    e = ranked[0] if ranked and ranked[0].score >= MIN_SCORE else None
    if e is None:
        return None
    if frame.base and len(clean(frame.base)) >= 2:
        base = clean(frame.base)
        context = clean(e.fact.section + e.fact.quote[:80])
        if not _base_in(base, context):
            return None  # a share of something else (收入预算 vs 一般公共预算拨款)
    return e


def _base_in(base: str, context: str) -> bool:
    hits = sum(1 for i in range(len(base) - 1) if base[i:i + 2] in context)
    return hits >= max(1, (len(base) - 1) * 0.6)


def _default_base(e: Evidence) -> Evidence | None:
    """A part's whole when the question names none: the row's total column, else the table's total row."""
    if e.kind != "cell":
        return None
    if not e.column.is_default:
        cell = e.row.default_cell()
        if cell is not None and cell.id != e.cell.id:
            return Evidence("cell", e.view, e.score, e.table, e.row, e.table.column(cell.column_number), cell)
    total_row = e.table.total_row(e.row.side)
    if total_row is not None and total_row is not e.row and e.cell.column_number in total_row.cells:
        return Evidence("cell", e.view, e.score, e.table, total_row, e.column, total_row.cells[e.cell.column_number])
    return None


NOT_THE_PART = r"不是|不属于|不来自|以外的部分"
TOTAL_WORDS = ("合计", "总计", "小计", "总额", "全部", "总数")


def _relative_base(part: Evidence, base: str) -> Evidence | None:
    """The whole a share is of, read against its part, in the part's table: for a part that is one column of
    a row ("…的基本支出占合计"), the row at the column the base names; else the rows the base names at the
    part's column ("…占总计", 总计 the total row), or the total row at the column the base names ("办公费占
    公用经费"). The closest reading of the base's words wins."""
    if part.kind != "cell":
        return None
    flat = clean(base)
    total_word = any(w in flat for w in TOTAL_WORDS)
    t, row, col = part.table, part.row, part.column
    options: list[tuple[float, Evidence]] = []

    def add(fit: float, r: RowView, c) -> None:
        if c is not None and c.number in r.cells and r.cells[c.number].id != part.cell.id:
            options.append((fit, Evidence("cell", part.view, part.score, t, r, c, r.cells[c.number])))

    columns = [(c, _text_fit(flat, c.path) + (0.5 if c.is_default and total_word else 0.0)) for c in t.columns
               if c.side == col.side]
    if not col.is_default:
        for c, fit in columns:
            if not _sibling(c, col):
                add(fit, row, c)
    for r in t.rows:
        if r is not row and r.side == row.side:
            add(_text_fit(flat, r.label) + (0.5 if r.is_total and total_word else 0.0), r, col)
    total = t.total_row(row.side)
    if col.is_default and total is not None:
        for c, fit in columns:
            if not c.is_default:
                add(fit, total, c)
    options = [o for o in options if o[0] >= 0.6]
    return max(options, key=lambda o: o[0])[1] if options else None


def _sibling(c, col) -> bool:
    """Another part under the same heading as the part's column (…/一般公共预算 beside …/上级…转移支付): a share's
    whole holds the part, a sibling does not."""
    group, _, leaf = c.path.rpartition("/")
    return bool(group) and group == col.path.rpartition("/")[0] and clean(leaf) not in TOTAL_WORDS


def _text_fit(base: str, name: str) -> float:
    """How much of the base's words a row label or column path prints, in runs of two or more."""
    blocks = SequenceMatcher(None, base, clean(name), autojunk=False).get_matching_blocks()
    said = sum(b.size for b in blocks if b.size >= 2)
    return said / len(base) if base else 0.0


def share(ctx: Context) -> Result:
    frame = ctx.frame
    texts, figures, cits = [], [], []
    for doc in ctx.docs:
        view = ctx.view(doc)
        said = None if named_tables(view.tables, frame.measure) else _stated_share(ctx, view)
        if said is not None:
            fig = figure_of(said)
            texts.append(f"{compose.figure_doc(fig)}{said.fact.name}为 {fig.value:.2f}%（文件原文）。原文："
                         f"{said.fact.quote}")
            figures.append(fig)
            cits.append(fact_citation(said))
            continue
        # a share is computed from printed cells: the narrative's figure only when no cell says the part
        part = ctx.find(view, frame.measure, facts=False) or ctx.find(view, frame.measure)
        generic = not re.sub("|".join(TOTAL_WORDS), "", clean(frame.base))  # "占合计": only read against the part
        named = ctx.find(view, frame.base) if frame.base and not generic else None
        if named is not None and named.table is not None and not named_tables(view.tables, frame.measure):
            # the part says no table: read it in the table of the whole ("卫生健康支出占财政拨款的多少")
            part = ctx.find(view, frame.measure, tables=[named.table], facts=False) or part
        if part is None and frame.base:  # "一般公共预算拨款中，上级转移支付占…": the whole's words qualify the part
            part = ctx.find(view, f"{frame.base} {frame.measure}", facts=False)
        if part is None:
            continue
        whole = (_relative_base(part, frame.base) if frame.base else None) or named
        if whole is None or whole.same_source(part):
            whole = _default_base(part)
        if whole is None:
            continue
        fp, fw = figure_of(part), figure_of(whole)
        result = compute.share(fp, fw)
        if result is None:
            continue
        if re.search(NOT_THE_PART, frame.text):  # "有多大比例不是财政拨款": the rest of the whole
            result = compute.rest_share(result)
            texts.append(f"{compose.figure_doc(fp)}{whole.name}中{part.name}以外的部分占 {result.value:.2f}%"
                         f"（计算：{result.formula}；文件未直接列出）。")
            figures += [result, fp, fw]
            continue
        texts.append(f"{compose.figure_doc(fp)}{part.name}占{whole.name}的比例为 {result.value:.2f}%"
                     f"（计算：{result.formula}；文件未直接列出）。")
        figures += [result, fp, fw]
    if not figures:
        return _not_found(ctx, frame.measure + "的占比")
    return Result("\n".join(texts), figures, cits)


def execution(ctx: Context) -> Result:
    """决算 ÷ 年初预算 of one item (执行率/完成率), with the difference."""
    texts, figures, citations = [], [], []
    for doc in ctx.docs:
        view = ctx.view(doc)
        spent = ctx.find(view, ctx.frame.measure or "支出合计")
        budget = _budget_column(spent) if spent is not None and spent.kind == "cell" else None
        if budget is None:
            spent, budget = _stated_pair(ctx, view)
        if budget is None:
            continue
        fs, fb = figure_of(spent), figure_of(budget)
        rate = compute.share(fs, fb)
        if rate is None:
            continue
        item = spent.row.label if spent.kind == "cell" else re.sub(r"(支出)?决算$", "", spent.fact.name)
        rate.row = f"{item}执行率"
        diff = compute.difference(fs, fb)
        texts.append(f"{compose.figure_doc(fs)}{item}：{compose.where(fs)}为 {compose.value(fs)}，"
                     f"{compose.where(fb)}为 {compose.value(fb)}。\n执行率 = {rate.value:.2f}%（计算：{rate.formula}）；"
                     f"决算比预算{'多' if diff.value >= 0 else '少'} {compute.amount(abs(diff.value))} {diff.unit}"
                     f"（{diff.formula}）。")
        figures += [rate, fs, fb, diff]
        citations += [c for c in (fact_citation(spent), fact_citation(budget)) if c]
    if not figures:
        return _not_found(ctx, ctx.frame.measure + "的执行率（需要决算数和预算数）")
    return Result("\n".join(texts), figures, citations)


def _stated_pair(ctx: Context, view: DocView) -> tuple[Evidence | None, Evidence | None]:
    """决算 and 年初预算 of one item as the narrative states them ("年初预算为 A 万元，支出决算为 B 万元"),
    for 决算 disclosures whose tables print only the 决算 column: both from one paragraph."""
    measure = ctx.frame.measure or "支出"
    spent = [e for e in rank_stated(view, measure, ctx.frame, "决算") if e.score >= MIN_SCORE]
    for stage in ("年初预算", "调整预算", "全年预算", "预算数"):
        for b in rank_stated(view, measure, ctx.frame, stage):
            match = [s for s in spent if s.fact.line == b.fact.line and s.fact.quote == b.fact.quote]
            if b.score >= MIN_SCORE and match:
                return match[0], b
    return None, None


def _budget_column(spent: Evidence) -> Evidence | None:
    for word in ("年初预算", "全年预算", "调整预算", "预算数", "预算"):
        for number, cell in spent.row.cells.items():
            col = spent.table.column(number)
            if col and word in col.path and number != spent.cell.column_number:
                return Evidence("cell", spent.view, spent.score, spent.table, spent.row, col, cell)
    return None


def _children(e: Evidence, level: int | None) -> list[Evidence]:
    """The items under a figure: rows under its subject code, a table's rows under its total, or the item
    columns of a one-row table; each at the figure's column."""
    t, r, col = e.table, e.row, e.column
    if len(t.rows) == 1 and r.is_total:
        return [Evidence("cell", e.view, e.score, t, r, t.column(n), c) for n, c in r.cells.items()
                if t.column(n) and not t.column(n).is_default and not t.column(n).path.endswith("小计")]
    rows: list[RowView] = [x for x in t.rows if x is not r and x.side == r.side and not x.is_total]
    if r.code:
        rows = [x for x in rows if x.code and x.code.startswith(r.code) and len(x.code) > len(r.code)]
    if level:
        rows = [x for x in rows if x.code and len(x.code) == level] or rows
    elif any(x.code for x in rows):
        coded = [x for x in rows if x.code]
        rows = [x for x in coded if not any(o.code != x.code and o.code.startswith(x.code) for o in coded)]
    return [Evidence("cell", e.view, e.score, t, x, col, x.cells[col.number]) for x in rows if col.number in x.cells]


def _parent_with_children(ctx: Context, view: DocView) -> tuple[Evidence, list[Evidence]] | None:
    """The figure whose items the question compares: the best match that has items (a row with subject
    codes under it, a table total, a one-row table's columns), with its non-zero items."""
    ranked = [e for e in ctx.rank(view, ctx.frame.measure, facts=False) if e.kind == "cell"]
    ctx.log(f"上级项目（{view.doc.label}）", [f"{e.score:.2f} {_describe(e)}" for e in ranked[:3]])
    if not ranked or ranked[0].score < MIN_SCORE:
        return None
    level = _level_asked(ctx.frame.text)
    for e in ranked:
        if e.score < ranked[0].score * 0.9:
            break
        kids = [k for k in _children(e, level) if k.value and not _left_out(ctx.frame, k)]
        if kids:
            return e, kids
    return None


def _left_out(frame, e: Evidence) -> bool:
    """An item the question leaves out of the comparison ("除行政运行外")."""
    label = clean(item_label(e))
    return any(clean(x) and clean(x) in label for x in frame.excluded)


def _level_asked(text: str) -> int | None:
    """The subject level a question names: 哪一类/哪几款, 功能分类（类）, 项级."""
    m = re.search(r"哪一?几?个?(类|款|项)(?!目)|[（(](类|款|项)级?[)）]|(类|款|项)级", text)
    return LEVELS.get(next(g for g in m.groups() if g)) if m else None


def _across_documents(ctx: Context) -> bool:
    return len(ctx.docs) > 1 and (ctx.frame.every_body or len(ctx.frame.bodies) != 1 or len(ctx.frame.years) > 1)


def extreme(ctx: Context) -> Result:
    descending = ctx.frame.operation != "min"
    word = "最大" if descending else "最小"
    if _across_documents(ctx):
        evidence = _printed(_per_document(ctx))
        if not evidence:
            return _not_found(ctx)
        figs = [figure_of(e) for e in evidence]
        order = compute.ordered(figs, descending)
        top = order[0]
        listing = "；".join(f"{compose.figure_doc(f)} {compose.value(f)}" for f in order)
        return Result(f"{word}的是{compose.figure_doc(top)}：{compose.value(top)}（{compose.where(top)}）。"
                      f"比较范围：{listing}。", [top] + [f for f in order if f is not top], [])
    texts, figures = [], []
    for doc in ctx.docs:
        view = ctx.view(doc)
        found = _parent_with_children(ctx, view)
        if found is None:
            continue
        parent, kids = found
        figs = [figure_of(k) for k in kids]
        order = compute.ordered(figs, descending)
        top = order[0]
        kid = kids[figs.index(top)]
        scope = parent.name
        listing = "、".join(f"{k.row.label if k.column.is_default or not k.row.is_total else k.column.path} "
                           f"{compute.amount(k.value)}" for k in sorted(kids, key=lambda k: -k.value))
        texts.append(f"{compose.figure_doc(top)}{scope}中金额{word}的是「{kid.name}」，{compose.value(top)}"
                     f"（{compose.where(top)}）。比较范围：{listing}。")
        figures += [top] + [f for f in order if f is not top]
    if not figures:
        return _not_found(ctx)
    return Result("\n".join(texts), figures, [])


def ranking(ctx: Context) -> Result:
    descending = not re.search(r"从低到高|从小到大|升序|最少的前|最低的前", ctx.frame.text)
    result = extreme(ctx) if not _across_documents(ctx) else None
    if result is not None:
        return result
    evidence = _printed(_per_document(ctx))
    if not evidence:
        return _not_found(ctx)
    order = compute.ordered([figure_of(e) for e in evidence], descending)
    k = ctx.frame.top_k or len(order)
    lines = [f"{i}. {compose.figure_doc(f)}：{compose.value(f)}" for i, f in enumerate(order[:k], 1)]
    return Result("排序（" + ("从高到低" if descending else "从低到高") + "）：\n" + "\n".join(lines), order[:k], [])


def count(ctx: Context) -> Result:
    frame = ctx.frame
    one_body = len(frame.bodies) == 1 and not frame.every_body  # "万里街道包括几家下属单位": inside its documents
    if not one_body and (_across_documents(ctx) or re.search(r"单位|家|份|文件", frame.text) and len(ctx.docs) > 1):
        evidence = _per_document(ctx)
        figs = [figure_of(e) for e in evidence]
        if frame.threshold:
            op, limit = frame.threshold
            keep = [f for f in figs if (compute.TO_WANYUAN.get(f.unit, 1) * f.value > limit if op == ">" else
                                        compute.TO_WANYUAN.get(f.unit, 1) * f.value < limit)]
            cond = f"{'超过' if op == '>' else '低于'} {limit:g} 万元"
        else:
            keep = [f for f in figs if f.value]
            cond = "不为零（有安排）"
        n = len(keep)
        names = "、".join(compose.figure_doc(f) + f"（{compose.value(f)}）" for f in keep) or "无"
        fig = Figure(float(n), "个", "、".join(sorted({f.unit_name for f in keep})) or "—", None, None,
                     f"{frame.measure}{cond}的文件数", None, formula=f"计数：{n}", inputs=keep)
        return Result(f"在{len(ctx.docs)}份文件中，{frame.measure}{cond}的有 {n} 份：{names}。", [fig] + figs, [])
    stated_counts = _stated_counts(ctx)
    if stated_counts is not None:
        return stated_counts
    texts, figures = [], []
    for doc in ctx.docs:
        view = ctx.view(doc)
        items = _counted_rows(ctx, view)
        if items is None:
            continue
        label, rows = items
        fig = Figure(float(len(rows)), "个", doc.unit_name, doc.year, rows[0].table.info.name if rows else None,
                     label, None, document_id=doc.id, budget_kind=doc.budget_kind, scope=doc.scope,
                     formula=f"计数：{len(rows)}")
        names = "、".join(r.label for r in rows)
        texts.append(f"{doc.label}{label}共 {len(rows)} 个：{names}。")
        figures.append(fig)
    if not figures:
        return lookup(ctx)
    return Result("\n".join(texts), figures, [])


def _stated_counts(ctx: Context) -> Result | None:
    """A count the narrative states ("设5个内设机构", "下属 5 家预算单位"): the document's own number wins
    over counting rows."""
    counted = replace(ctx.frame, quantity_units=("个", "家"))
    found = []
    for doc in ctx.docs:
        view = ctx.view(doc)
        best = next(iter(rank(view, ctx.frame.measure, counted, cells=False)), None)
        if best is not None and best.score >= MIN_SCORE and best.fact.name.endswith("数"):
            found.append(best)
    if not found:
        return None
    texts, figures, cits = stated_all(ctx, found)
    return Result("\n".join(texts), figures, cits)


def _counted_rows(ctx: Context, view: DocView) -> tuple[str, list[RowView]] | None:
    """What is counted in one document: the projects of its project tables, or the items under a row."""
    if "项目" in ctx.frame.text:
        tables = [t for t in view.tables if t.info.kind == "项目支出"]
        rows = [r for t in tables for r in t.rows if not r.is_total and (r.subject or not r.code)]
        if rows:
            return "项目支出表列出的项目", rows
    found = _parent_with_children(ctx, view)
    if found is None:
        return None
    parent, kids = found
    return f"{parent.name}下的非零科目", [k.row for k in kids]


def which_column(ctx: Context) -> Result:
    """Which column holds an amount ("…的40万元是A还是B"), or which of the named columns a row's amount is in."""
    texts, figures = [], []
    flat = clean(ctx.frame.text)
    for doc in ctx.docs:
        view = ctx.view(doc)
        ranked = [e for e in ctx.rank(view, ctx.frame.measure, facts=False) if e.kind == "cell"]
        if not ranked or ranked[0].score < MIN_SCORE:
            continue
        top = ranked[0]
        rows = [e.row for e in ranked if clean(e.row.label) == clean(top.row.label)] or [top.row]
        hit = None
        for row in dict.fromkeys(rows):
            for number, cell in row.cells.items():
                col = row.table.column(number)
                if col is None or col.is_default or not cell.value:
                    continue
                named = clean(col.path.split("/")[-1]) in flat
                amount_named = any(abs(cell.value - a) < 0.005 for a in ctx.frame.amounts)
                if amount_named or (named and not ctx.frame.amounts):
                    hit = Evidence("cell", view, top.score, row.table, row, col, cell)
                    break
            if hit:
                break
        if hit is None:
            continue
        fig = figure_of(hit)
        texts.append(f"{compose.figure_doc(fig)}{hit.row.label}的 {compose.value(fig)}列在「{hit.column.path}」列"
                     f"（{hit.table.info.name}）。")
        figures.append(fig)
    if not figures:
        return lookup(ctx)
    return Result("\n".join(texts), figures, [])


# ---- narrative ---------------------------------------------------------------------------------------

def _best_passage(ctx: Context, hits_of) -> tuple[DocView, object] | None:
    """The best passage over the documents asked about: (view, paragraph), or None."""
    best = None
    for doc in ctx.docs:
        view = ctx.view(doc)
        hits = hits_of(view)
        if hits and (best is None or hits[0][0] > best[0]):
            best = (hits[0][0], view, hits[0][1])
    return (best[1], best[2]) if best else None


def explain(ctx: Context) -> Result:
    frame = ctx.frame
    found = _best_passage(ctx, lambda view: passages.reasons(view, frame.measure, frame.amounts))
    if found is None:
        return Result("文件中没有找到对应的原因说明。", status=NOT_FOUND)
    view, p = found
    reason = passages.reason_sentence(p.text)
    quoted = p.text.replace(reason, f"【{reason}】", 1) if reason != p.text else p.text
    text = f"{view.doc.label}的说明（{p.section}）：{quoted}"
    figures: list[Figure] = []
    if frame.also_explain:
        e = ctx.find(view, frame.measure)
        if e is not None:
            sentence, fig, _ = stated(ctx, e)
            text = sentence + "\n" + text
            figures.append(fig)
    return Result(text, figures, [paragraph_citation(view.doc, p)])


def define(ctx: Context) -> Result:
    frame = ctx.frame
    terms = re.findall(r"[“\"]([^”\"]+)[”\"]", frame.text)
    found = _best_passage(ctx, lambda view: passages.definitions(view, frame.measure, terms))
    if found is None:
        return Result("所指文件中没有名词解释部分，或没有这个名词。", status=NOT_FOUND)
    view, p = found
    asked = [clean(t) for t in terms] or [clean(frame.measure)]
    if not any(_defines(p.text, a) for a in asked if a):
        return Result(f"{view.doc.label}的名词解释中没有找到「{'、'.join(terms) or frame.measure}」。", status=NOT_FOUND)
    return Result(f"{view.doc.label}预算公开的名词解释：{p.text}", [], [paragraph_citation(view.doc, p)])


def _defines(text: str, term: str) -> bool:
    """A passage speaks of the term: it prints it, or most of its character pairs."""
    flat = clean(text)
    if term in flat:
        return True
    pairs = {term[i:i + 2] for i in range(len(term) - 1)}
    return bool(pairs) and sum(p in flat for p in pairs) >= 0.6 * len(pairs)


def listing(ctx: Context) -> Result:
    frame = ctx.frame
    if re.search(NON_NUMERIC_ASKS, frame.text):
        return _not_provided(ctx)
    if re.search(r"空表|空白表", frame.text):
        return _empty_tables(ctx)
    terms = re.findall(r"[“\"]([^”\"]+)[”\"]", frame.text)
    if terms:
        answer = define(ctx)
        if answer.status == ANSWERED and any(clean(t) in clean(answer.text) for t in terms):
            return answer
    table_rows = _table_items(ctx)
    if table_rows is not None:
        return table_rows
    found = _best_passage(ctx, lambda view: passages.enumerations(view, frame.measure))
    if found is None:
        return Result("文件中没有找到相应的列举内容。", status=NOT_FOUND)
    view, p = found
    items = passages.items_after(view, p)
    if items:  # "…包括：" and the numbered items under it: their names
        heads = [passages.item_head(q.text) for q in items]
        return Result(f"{view.doc.label}：{p.text}{'、'.join(heads)}（共 {len(heads)} 项）。", [],
                      [paragraph_citation(view.doc, q) for q in [p] + items])
    return Result(f"{view.doc.label}：{p.text}", [], [paragraph_citation(view.doc, p)])


def _empty_tables(ctx: Context) -> Result:
    texts, cits = [], []
    for doc in ctx.docs:
        view = ctx.view(doc)
        empty = [t for t in view.tables if t.info.kind and t.info.kind != "绩效目标表" and not any(
            c.value for r in t.rows for c in r.cells.values())]
        texts.append(f"{doc.label}为空表的有：" + ("、".join(t.info.name for t in empty) or "无") + "。")
        cits += [Citation(doc.unit_name, doc.year, t.info.name, t.info.note or "空表", t.info.page, t.info.line,
                          doc.source_file) for t in empty]
    return Result("\n".join(texts), [], cits)


def _table_items(ctx: Context) -> Result | None:
    """"…分为哪几类" / "…由哪几笔组成": the items a table lists, with their amounts."""
    frame = ctx.frame
    for doc in ctx.docs:
        view = ctx.view(doc)
        parent = ctx.find(view, frame.measure, facts=False)
        if parent is None or parent.kind != "cell":
            continue
        kids = [k for k in _children(parent, _level_asked(frame.text) or (3 if re.search(r"几类|哪几类|哪些类", frame.text)
                                                                         else None)) if k.value or k.cell.raw]
        if not kids:
            continue
        figs = [figure_of(k) for k in kids]
        items = "；".join(f"{k.row.label} {compose.value(f)}" for k, f in zip(kids, figs))
        return Result(f"{doc.label}{parent.name}列出：{items}。", figs, [])
    return None


OPERATIONS = {
    "lookup": lookup, "parts": parts, "sum": total, "difference": difference, "growth": growth, "share": share,
    "execution": execution, "count": count, "max": extreme, "min": extreme, "rank": ranking,
    "which_column": which_column, "explain": explain, "define": define, "list": listing,
}
