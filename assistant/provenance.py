"""Evidence → the `Figure` and `Citation` an answer carries: value, unit, document, table, row, column,
page or line, and the cell it was printed in."""
from __future__ import annotations

from assistant.answer import Citation, Figure
from assistant.docview import Paragraph
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
