"""Evidence → the `Figure` and `Citation` an answer carries: value, unit, document, table, row, column,
page or line, and the cell it was printed in."""
from __future__ import annotations

from assistant.answer import Citation, Figure
from assistant.docview import Paragraph
from assistant.grams import clean
from assistant.resolve import Evidence
from index.read import DocInfo


def figure_of(e: Evidence) -> Figure:
    doc = e.view.doc
    common = dict(unit_name=doc.unit_name, year=doc.year, source_file=doc.source_file, document_id=doc.id,
                  budget_kind=doc.budget_kind, scope=doc.scope)
    if e.kind == "fact":
        f = e.fact
        return Figure(value=f.value, unit=f.unit, table=None, row=e.name, column=None, page=f.page, line=f.line,
                      **common)
    if e.kind == "empty":
        t = e.table.info
        return Figure(value=0.0, unit=t.measure_unit, table=t.name, row=None, column=None, page=t.page, line=t.line,
                      **common)
    c = e.cell
    return Figure(value=e.value, unit=e.unit, table=e.table.info.name, row=e.row.label, column=c.column_path,
                  page=c.page, line=c.line, cell_id=c.id, **common)


def citation_of(doc: DocInfo, section: str, quote: str, line: int | None, page: int | None) -> Citation:
    return Citation(unit_name=doc.unit_name, year=doc.year, section=section, quote=quote, page=page, line=line,
                    source_file=doc.source_file)


def paragraph_citation(doc: DocInfo, p: Paragraph) -> Citation:
    return citation_of(doc, p.section, p.text, p.line, p.page)


def fact_citation(e: Evidence) -> Citation | None:
    if e.kind == "fact":
        return citation_of(e.view.doc, e.fact.section, e.fact.quote, e.fact.line, e.fact.page)
    if e.kind == "empty" and e.table.info.note:
        t = e.table.info
        return citation_of(e.view.doc, t.name, t.note, t.line, t.page)
    return None


def also_printed(e: Evidence, limit: int = 3) -> list[Citation]:
    """The same item with the same figure in the document's other tables (表3 and 表5 both print a subject's
    合计 when all of it is 一般公共预算): cited as well, so a reader can check one against the other."""
    if e.kind != "cell" or not e.cell.value:
        return []
    out = []
    item = _item_key(item_label(e))
    for t in e.view.tables:
        if t is e.table or t.info.measure_unit != e.table.info.measure_unit:
            continue
        for r in t.rows:
            same = r.code == e.row.code if r.code and e.row.code else _item_key(r.label) == item  # 五、X ~ 215 X
            if not same:
                continue
            cell = next((c for c in r.cells.values() if c.value is not None and abs(c.value - e.cell.value) < 0.005),
                        None)
            if cell is not None:
                out.append(citation_of(e.view.doc, t.info.name, f"亦见「{r.label}」行「{cell.column_path}」列：{cell.raw}",
                                       cell.line, cell.page))
            break
    return out[:limit]


def item_label(e: Evidence) -> str:
    """What a cell is the amount of: its row, or for a total row its column ("合计" × "公务接待费")."""
    return e.row.label if e.column.is_default or not e.row.is_total else e.column.leaf


def _item_key(label: str) -> str:
    """What a row or a total row's column is of, as another table may print it ("上级一般公共预算安排的转移支付"
    is the row 上级一般公共预算安排转移支付 of 表1)."""
    return clean(label).replace("的", "")
