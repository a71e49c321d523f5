"""Cell round-trip: every printed number of every document asked back in plain phrasings.

For each non-empty numeric cell: by printed title, short title and table number with row and
column; by row and column alone; by subject code at its level (compact, spaced, after 科目); by
a unit alias; with a colloquial term; with the column named by its path; the row's total column
without naming it; the table's total row without naming it. A phrasing is asked only when its
words determine one answer (`references.CellIndex.determines`); otherwise it is counted as
"not determined" for that cell.
"""
from __future__ import annotations

from collections import defaultdict

from eval.suites.aliases import alias_table, colloquial_variant
from eval.suites.cases import VALUE, Case, Expected, Generated
from eval.suites.corpus import Cell, Corpus, Doc
from eval.suites.names import (clean_label, code_forms, column_by_path, column_leaf, column_parent, has_printed_name,
                               is_total_label, norm, short_title, table_number_name)
from eval.suites.references import (CODE, LABEL, LEAF, NUMBER, PATH, SHORT, TITLE, TOTAL, CellIndex, Reference,
                                    path_reference_text)

PHRASINGS = ("title", "title_short", "table_number", "row_column", "column_path", "row_only", "total_column",
             "code", "code_spaced", "code_word", "unit_alias", "colloquial")


def document_phrase(doc: Doc, corpus: Corpus, unit_text: str | None = None, with_year: bool = True,
                    possessive: bool = True) -> str:
    """How a question names one document: unit and year, plus its kind when that is needed to tell it apart."""
    unit_text = unit_text or doc.unit_name
    text = f"{unit_text}{doc.year}年" if doc.year and with_year else unit_text
    if needs_kind(doc, corpus):
        text += f"{doc.scope}{doc.budget_kind}" + ("的" if possessive else "")
    return text


def needs_kind(doc: Doc, corpus: Corpus) -> bool:
    """A 决算, or one of two disclosures of a unit and year, is named with its kind."""
    return corpus.disclosures_of(doc.unit_name, doc.year) > 1 or doc.budget_kind == "决算"


def generate_cells(corpus: Corpus, index: CellIndex | None = None) -> Generated:
    index = index or CellIndex(corpus)
    out = Generated("cells")
    aliases = alias_table([d.unit_name for d in corpus.docs.values()])
    seen_alias: dict[str, int] = defaultdict(int)
    for cell in corpus.cells:
        if not cell.printed:
            continue
        out.items += 1
        expected = None
        for phrasing, question, ref in _phrasings(cell, corpus, index, aliases, seen_alias):
            if ref is None or index.determines(ref) is None:
                out.not_determined[phrasing] += 1
                continue
            expected = expected or _expected(cell, corpus)
            out.cases.append(Case("cells", phrasing, corpus.tables[cell.table_id].kind or "未分类", question,
                                  expected))
        out.covered += expected is not None
    return out


def _phrasings(cell: Cell, corpus: Corpus, index: CellIndex, aliases: dict[str, list[str]],
               seen_alias: dict[str, int]):
    """(phrasing, question, reference) for one cell; reference None when the phrasing cannot name it."""
    doc, table = corpus.docs[cell.doc_id], corpus.tables[cell.table_id]
    who = document_phrase(doc, corpus)
    row = clean_label(cell.row_label)
    leaf, parent = column_leaf(cell.column_path), column_parent(cell.column_path)
    short = short_title(table.title, doc.unit_name)
    number = table_number_name(table.number)
    by_label = (LABEL, row) if row else None
    # A header the reader had to make up (列1) is no word a user could type.
    leaf_ref = (LEAF, leaf) if has_printed_name(leaf) else None

    def ref(table_ref, row_ref, column_ref=LEAF):
        column_ref = leaf_ref if column_ref == LEAF else column_ref
        if not row_ref or not column_ref or (table_ref and not has_printed_name(table_ref[1])):
            return None
        return Reference(doc.id, table_ref, row_ref, column_ref)

    title_who = document_phrase(doc, corpus, with_year=not norm(table.title).startswith(f"{doc.year}年"))
    yield "title", f"{title_who}{table.title}中，{row}的{leaf}是多少？", ref((TITLE, table.title), by_label)
    yield "title_short", f"{who}{short}中{row}的{leaf}是多少？", ref((SHORT, short), by_label)
    if number:
        yield "table_number", f"{who}{number}中{row}的{leaf}是多少？", ref((NUMBER, number), by_label)
    # Without a table a total row (合计的合计) or a row named after the unit itself means nothing.
    bare_row = by_label if row and not is_total_label(row) and norm(row) not in norm(doc.unit_name) else None
    yield "row_column", f"{who}{row}的{leaf}是多少？", ref(None, bare_row)
    if parent:
        yield ("column_path", f"{who}{short}中{row}的{column_by_path(cell.column_path)}是多少？",
               ref((SHORT, short), by_label, (PATH, path_reference_text(cell.column_path))))
    if index.total_column_of(cell) == cell.column_number:
        yield "row_only", f"{who}{short}中{row}是多少？", ref((SHORT, short), by_label, (TOTAL, ""))
    if index.is_total_row(cell):
        yield "total_column", f"{who}{short}的{leaf}是多少？", ref((SHORT, short), (TOTAL, ""))
    for phrasing, form in code_forms(cell.code).items():
        yield phrasing, f"{who}{short}里{form}的{leaf}是多少？", ref((SHORT, short), (CODE, cell.code))
    unit_aliases = aliases.get(doc.unit_name, [])
    if unit_aliases:
        alias = unit_aliases[seen_alias[doc.unit_name] % len(unit_aliases)]
        seen_alias[doc.unit_name] += 1
        yield ("unit_alias", f"{document_phrase(doc, corpus, alias)}{short}中{row}的{leaf}是多少？",
               ref((SHORT, short), by_label))
    said = _colloquial(short, row, leaf)
    if said:
        yield "colloquial", f"{who}{said[0]}中{said[1]}的{said[2]}是多少？", ref((SHORT, short), by_label)


def _colloquial(short: str, row: str, leaf: str) -> tuple[str, str, str] | None:
    """The (title, row, column) words with the first colloquial name that applies, or None."""
    for i, text in enumerate((short, row, leaf)):
        said = colloquial_variant(text) if text else None
        if said:
            words = [short, row, leaf]
            words[i] = said
            return words[0], words[1], words[2]
    return None


def _expected(cell: Cell, corpus: Corpus) -> Expected:
    doc, table = corpus.docs[cell.doc_id], corpus.tables[cell.table_id]
    return Expected(VALUE, value=cell.value, unit=table.measure_unit, unit_name=doc.unit_name, year=doc.year,
                    cell_id=cell.id, same_item_cells=_same_item(cell, corpus), table=table.title,
                    row=cell.row_label, column=cell.column_path)


def _same_item(cell: Cell, corpus: Corpus) -> tuple[int, ...]:
    """Printed cells of the same document with the same value and the same row label or code."""
    label = norm(clean_label(cell.row_label))
    return tuple(c.id for c in corpus.cells_of_doc(cell.doc_id)
                 if c.value == cell.value and c.printed
                 and ((cell.code and c.code == cell.code) or (label and norm(clean_label(c.row_label)) == label)))
