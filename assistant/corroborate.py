"""Citations that let a reader check an answer's figures against the rest of its document, gathered in one
stage for every operation (no operation collects its own):

- a table's figure: the passage that states the same amount for the same item in words, the same item
  with the same amount in the document's other tables, and for a zero the table printed empty that is
  named after the item;
- a narrative figure: the sentence it is quoted from, under its heading;
- several items read off one table (a list, a ranking): the passage that names all of them;
- a count of rows: the passage that states the same count of the same thing ("项目共 9 个").

A computed figure is checked through its inputs. Answers over more documents than are read one by one are
not corroborated: their figures come from one query over the store, and each would need its document read.
"""
from __future__ import annotations

import re

from assistant import passages
from assistant.answer import Citation, Figure
from assistant.docview import DocView, RowView, TableView
from assistant.grams import clean
from assistant.provenance import also_printed, citation_of, fact_citation, item_label, paragraph_citation
from assistant.resolve import Evidence
from index.read import DocInfo

MAX_DOCUMENTS = 12  # as many as an operation reads one by one
PER_FIGURE = 6  # two passages, three other tables, one empty table


def supporting(figures: list[Figure], docs: dict[int, DocInfo], view_of, limit: int = 10) -> list[Citation]:
    """Citations for `figures` (and the inputs of computed ones); `view_of(doc)` gives a document's view."""
    stored = list(_stored(figures))
    ids = {f.document_id for f in stored if f.document_id in docs}
    if not ids or len(ids) > MAX_DOCUMENTS:
        return []
    out: list[Citation] = []
    by_doc: dict[int, list[Evidence]] = {}
    for fig in stored:
        if fig.document_id not in ids:
            continue
        view = view_of(docs[fig.document_id])
        e = evidence_of(view, fig)
        if e is not None:
            by_doc.setdefault(fig.document_id, []).append(e)
            out += checks(e)[:PER_FIGURE]
        elif fig.formula and fig.formula.startswith("计数"):
            out += [paragraph_citation(view.doc, p) for p in _stating_count(view, fig)]
    listed = [c for evidence in by_doc.values() for c in _naming_all(evidence)]  # the list said as one, first
    return unique(listed + out)[:limit]


def _stored(figures: list[Figure]):
    """Figures printed or stated in a document: computed ones give their inputs."""
    for f in figures:
        if f.inputs:
            yield from _stored(f.inputs)
        elif f.document_id is not None:
            yield f


def checks(e: Evidence) -> list[Citation]:
    """What in the document confirms one piece of evidence."""
    if e.kind in ("fact", "empty"):
        cit = fact_citation(e)
        return [cit] if cit else []
    said = [paragraph_citation(e.view.doc, p) for p in passages.stating(e.view, _printed_forms(e), _said_as(e))]
    return said + also_printed(e) + _empty_table_named(e)


def _said_as(e: Evidence) -> str:
    """The words a passage names a cell's item by: its row, its column for a total row, and for the table's
    total the table's own name ("收入预算" for the 合计 of 收入预算总表)."""
    label = item_label(e)
    if e.row.is_total and e.column.is_default and clean(label) in ("合计", "总计", "小计", ""):
        return e.table.core or label
    return label


def _printed_forms(e: Evidence) -> list[str]:
    """How a cell's amount may be printed in the narrative: as in the table, and a 元 amount in 万元."""
    forms = [e.cell.raw]
    if e.table.info.measure_unit == "元" and e.cell.value:
        wan = e.cell.value / 10000
        forms += [f"{wan:,.2f}", f"{wan:.2f}"]
    return forms


def evidence_of(view: DocView, fig: Figure) -> Evidence | None:
    """The cell, narrative figure or empty table a figure was read from, found again in its document."""
    if fig.cell_id is not None:
        found = _cells(view).get(fig.cell_id)
        if found is None:
            return None
        table, row = found
        cell = next(c for c in row.cells.values() if c.id == fig.cell_id)
        return Evidence("cell", view, 1.0, table=table, row=row, column=table.column(cell.column_number), cell=cell)
    if fig.table is None and (fig.line is not None or fig.page is not None):  # a text export's line, a PDF's page
        fact = next((f for f in view.facts if (f.line, f.page) == (fig.line, fig.page) and abs(f.value - fig.value) < 0.005
                     and fig.row and fig.row.startswith(f.name)), None)
        return Evidence("fact", view, 1.0, fact=fact) if fact else None
    if fig.table is not None and fig.row is None:
        table = next((t for t in view.tables if t.info.name == fig.table and not t.rows), None)
        return Evidence("empty", view, 1.0, table=table) if table else None
    return None


def _cells(view: DocView) -> dict[int, tuple[TableView, RowView]]:
    """cell id → (table, row) of one document, made once per view."""
    index = getattr(view, "_cell_index", None)
    if index is None:
        index = {c.id: (t, r) for t in view.tables for r in t.rows for c in r.cells.values()}
        view._cell_index = index
    return index


def _empty_table_named(e: Evidence) -> list[Citation]:
    """A zero row whose item has a table of its own, printed empty ("上年结转结余" and 上年结转结余情况明细表
    "为空表"): that table and what the document says of it."""
    label = clean(item_label(e))
    if e.cell.value or len(label) < 4:
        return []
    return [citation_of(e.view.doc, t.info.name, t.info.note or "空表", t.info.line, t.info.page)
            for t in e.view.tables if not t.rows and label in clean(t.info.title)][:1]


def _naming_all(evidence: list[Evidence]) -> list[Citation]:
    """The passage that names every item several figures of one table are of (a list said in words)."""
    labels = list(dict.fromkeys(clean(e.row.label) for e in evidence if e.kind == "cell" and not e.row.is_total))
    labels = [x for x in labels if len(x) >= 2]
    if len(labels) < 2:
        return []
    view = evidence[0].view
    hits = [p for p in view.paragraphs if all(x in clean(p.text) for x in labels)]
    hits.sort(key=lambda p: len(p.text))  # the plain list before the one that also explains each item
    return [paragraph_citation(view.doc, p) for p in hits[:2]]


def _stating_count(view: DocView, fig: Figure) -> list:
    """Passages that state the count a figure makes of rows, of the same thing ("项目共 9 个")."""
    noun = clean(fig.row or "")[-2:]
    if len(noun) < 2 or fig.value != int(fig.value):
        return []
    n = int(fig.value)
    said = re.compile(rf"{noun}[^。；，,]{{0,8}}?(?<![\d.]){n}\s*[个项家条]|(?<![\d.]){n}\s*[个项家条]{noun}")
    return [p for p in view.paragraphs if said.search(p.text)][:2]


def unique(citations: list[Citation]) -> list[Citation]:
    seen, out = set(), []
    for c in citations:
        key = (c.unit_name, c.year, c.section, c.line, c.quote)
        if c and key not in seen:
            seen.add(key)
            out.append(c)
    return out
