"""Citations that check an answer's figures (`assistant/corroborate.py`), generated from the sample store:
every expectation is read off the documents by the test itself (a passage that prints the amount and
names the item, a table printed empty named after a zero row, a passage naming all items listed), and the
questions are built from stored labels, none from a gold set."""
from __future__ import annotations

import re

import pytest

from assistant.answer import ANSWERED
from assistant.grams import clean

TOTALS = ("合计", "总计", "小计", "")


@pytest.fixture(scope="module")
def assistant(text_store):
    from assistant.router import Assistant

    return Assistant(text_store.data_dir)


def cell_of(assistant, fig):
    """(table, row, cell) of a figure's printed cell, found by the test in the document's view."""
    doc = assistant.by_id[fig.document_id]
    view = assistant.views.get(doc)
    for t in view.tables:
        for r in t.rows:
            for c in r.cells.values():
                if c.id == fig.cell_id:
                    return view, t, r, c
    raise AssertionError(f"cell {fig.cell_id} not in its document")


def amount_rows(assistant, keep):
    """(document, row, cleaned label) for each row with an amount whose label `keep(row, label)` accepts, each
    label once per document."""
    for doc in assistant.docs:
        seen = set()
        for t in assistant.views.get(doc).tables:
            for r in t.rows:
                c, label = r.default_cell(), clean(r.label)
                if c is not None and c.value and label not in seen and keep(r, label):
                    seen.add(label)
                    yield doc, r, label


def item_of(t, r, c) -> str:
    col = t.column(c.column_number)
    return col.leaf if clean(r.label) in TOTALS and not col.is_default else r.label


def test_a_table_figure_said_in_words_cites_the_passage(assistant):
    """Generated: each row (label ≥ 4 characters) asked by its label; where a passage of the document prints
    the answered cell's amount and names its item whole, that passage is among the citations."""
    checked, missed = 0, []
    for doc, r, label in amount_rows(assistant, lambda r, label: not r.is_total and len(label) >= 4):
        a = assistant.ask(f"{doc.unit_name}{doc.year}年{r.label}是多少？")
        if a.status != ANSWERED or not a.figures or a.figures[0].cell_id is None:
            continue
        v, tt, rr, cc = cell_of(assistant, a.figures[0])
        item = clean(item_of(tt, rr, cc))
        lines = {p.line for p in v.paragraphs if cc.raw in p.text and len(item) >= 4 and item in clean(p.text)}
        if not lines:
            continue
        checked += 1
        if not any(x.line in lines for x in a.citations):
            missed.append(f"{doc.label} {r.label} {cc.raw}")
    assert checked >= 40, checked
    assert not missed, missed


def test_a_zero_row_cites_the_table_printed_empty_that_is_named_after_it(assistant):
    """Generated: a row with no amount whose label names a table printed empty in the same document."""
    checked = 0
    for doc in assistant.docs:
        view = assistant.views.get(doc)
        empty = [t for t in view.tables if not t.rows]
        for t in view.tables:
            for r in t.rows:
                c = r.default_cell()
                label = clean(r.label)
                named = [e for e in empty if len(label) >= 4 and label in clean(e.info.title)]
                if c is None or c.value or not named:
                    continue
                a = assistant.ask(f"{doc.unit_name}{doc.year}年{r.label}是多少？")
                if a.status != ANSWERED or not a.figures or a.figures[0].value:
                    continue
                checked += 1
                assert any(x.section == named[0].info.name for x in a.citations), (r.label, a.citations)
    assert checked >= 1


def test_items_listed_off_a_table_cite_the_passage_naming_all_of_them(assistant):
    """Generated: the 类 under each document's 支出 total asked as a list; where one passage names every item
    listed, it is cited."""
    checked = 0
    for doc in assistant.docs:
        a = assistant.ask(f"{doc.unit_name}{doc.year}年支出总体情况表中的支出分为哪几类？")
        labels = [clean(f.row) for f in a.figures if f.row]
        if a.status != ANSWERED or len(labels) < 2:
            continue
        view = assistant.views.get(doc)
        naming = {p.line for p in view.paragraphs if all(x in clean(p.text) for x in labels)}
        if not naming:
            continue
        checked += 1
        assert any(x.line in naming for x in a.citations), (doc.label, labels)
    assert checked >= 2


def test_a_count_of_rows_cites_the_passage_stating_the_same_count(assistant):
    checked = 0
    for doc in assistant.docs:
        a = assistant.ask(f"{doc.unit_name}{doc.year}年项目支出表里共列了几个项目？")
        if a.status != ANSWERED or not a.figures or not (a.figures[0].formula or "").startswith("计数") \
                or not (a.figures[0].row or "").endswith("项目"):
            continue  # a count of something else (a document without a project table counts its subjects)
        n = int(a.figures[0].value)
        view = assistant.views.get(doc)
        said = {p.line for p in view.paragraphs if re.search(rf"项目[^。；，]{{0,8}}?(?<![\d.]){n}\s*个", p.text)}
        if said:
            checked += 1
            assert any(x.line in said for x in a.citations), doc.label
    assert checked >= 1


def test_corroborating_an_answer_over_many_documents_reads_none_of_them():
    from assistant.answer import Figure
    from assistant.corroborate import MAX_DOCUMENTS, supporting

    figures = [Figure(1.0, "万元", f"单位{i}", 2025, "表1", "合计", None, document_id=i, cell_id=i)
               for i in range(MAX_DOCUMENTS + 1)]
    docs = {i: object() for i in range(MAX_DOCUMENTS + 1)}

    def never(doc):
        raise AssertionError("a document was read")

    assert supporting(figures, docs, never) == []


# ---- how the question is read ----------------------------------------------------------------------

def test_what_a_whole_leaves_out_is_not_read_as_its_label(assistant):
    from assistant.parse import parse

    frame = parse("和静县社保中心2025年财政拨款收入（不包括上年结转）中，一般公共预算占多少比例？", assistant.lexicon)
    assert frame.operation == "share" and "上年结转" not in frame.base and "财政拨款" in frame.base


@pytest.mark.parametrize("asked, counts", [("在职人员有多少", True), ("有多少退休人员", True),
                                           ("几名工作人员", True), ("人员经费有多少", False),
                                           ("多少人员经费", False)])
def test_persons_asked_for_by_a_noun_ending_in_staff_words(assistant, asked, counts):
    from assistant.parse import parse

    frame = parse(f"巴州社保中心2025年{asked}？", assistant.lexicon)
    assert ("人" in frame.quantity_units) is counts, frame.quantity_units


def test_a_stated_count_is_found_by_another_ending_of_the_same_count(assistant):
    """Generated: each narrative figure named …人数, asked with …人员 in its place."""
    checked = 0
    for doc in assistant.docs:
        view = assistant.views.get(doc)
        for f in view.facts:
            asked = f.name[:-2] + "人员"
            if f.name.endswith("人数") and len(f.name) >= 4 and not f.subject and \
                    not any(g.name == asked for g in view.facts):  # the document's own figure of that name wins
                a = assistant.ask(f"{doc.unit_name}{doc.year}年{asked}有多少？")
                checked += 1
                assert f.value in [g.value for g in a.figures], (doc.label, f.name, a.answer)
    assert checked >= 3


def test_a_stated_change_is_found_under_the_generic_words_of_its_name(assistant):
    """Generated: every stated 比上年变化 whose item name ends in generic words (财政拨款预算数…) asked as the
    item's growth rate: the rate is computed from the stated change."""
    from assistant.resolve import name_core

    checked = 0
    for doc in assistant.docs:
        view = assistant.views.get(doc)
        for f in view.facts:
            if not f.name.endswith("比上年变化") or not f.value:
                continue
            item = f.name[: -len("比上年变化")]
            core = name_core(item)
            if core == item or len(clean(core)) < 3:
                continue
            a = assistant.ask(f"{doc.unit_name}{doc.year}年{core}比上年增长了百分之几？")
            checked += 1
            assert a.status == ANSWERED and a.figures and a.figures[0].unit == "%", (doc.label, core, a.answer)
    assert checked >= 1


# ---- operations that compose ---------------------------------------------------------------------------

def _parents_with_children(view):
    """(row, children) for each coded row of a 支出 table with two or more non-zero coded rows under it."""
    for t in view.tables:
        for r in t.rows:
            c = r.default_cell()
            if not r.code or len(r.code) != 3 or c is None or not c.value:
                continue
            kids = [x for x in t.rows if x.code and x.code.startswith(r.code) and len(x.code) == 5
                    and x.default_cell() is not None and x.default_cell().value]
            if len(kids) >= 3 and len({x.default_cell().value for x in kids}) == len(kids):
                yield t, r, kids


def test_an_item_left_out_of_a_comparison_is_not_its_answer(assistant):
    """Generated: under each 类 with three or more 款, "除<largest>外哪一款最大" answers the second largest."""
    checked = 0
    for doc in assistant.docs:
        for t, parent, kids in list(_parents_with_children(assistant.views.get(doc)))[:2]:
            ranked = sorted(kids, key=lambda x: -x.default_cell().value)
            q = f"{doc.unit_name}{doc.year}年{t.info.title}中{parent.label}里，除{ranked[0].label}外哪一款最大？"
            a = assistant.ask(q)
            checked += 1
            assert a.status == ANSWERED and a.figures[0].value == ranked[1].default_cell().value, (q, a.answer)
    assert checked >= 3


def test_the_share_that_is_not_a_part_is_the_rest_of_the_whole(assistant):
    from assistant.parse import parse

    checked = 0
    for doc in assistant.docs:
        a = assistant.ask(f"{doc.unit_name}{doc.year}年收入里有多大比例不是财政拨款？")
        frame = parse(f"{doc.unit_name}{doc.year}年收入里有多大比例不是财政拨款？", assistant.lexicon)
        assert (frame.measure, frame.base) == ("财政拨款", "收入")
        if a.status != ANSWERED:
            continue
        rate, part, whole = a.figures[:3]
        assert part.cell_id and whole.cell_id
        assert rate.value == round(100 - part.value / whole.value * 100, 2)
        checked += 1
    assert checked >= 3


def test_a_label_that_holds_a_joiner_is_one_item_of_a_sum(assistant):
    """Generated: every stored label with 和/与/及 inside, asked with 一共: one item, its own amount."""
    checked = 0
    for doc, r, label in amount_rows(assistant, lambda r, label: bool(re.search(r"[^\d][和与及][^\d]", label))):
        a = assistant.ask(f"{doc.unit_name}{doc.year}年{label}一共多少？")
        checked += 1
        assert a.status == ANSWERED and not (a.figures[0].formula or "").startswith(
            tuple("0123456789")), (label, a.answer)
        assert clean(a.figures[0].row or "") == label or a.figures[0].value == r.default_cell().value, (label, a.answer)
    assert checked >= 10


def test_the_same_item_of_two_bodies_is_given_with_how_far_apart_they_are(assistant):
    docs = [d for d in assistant.docs if d.year == 2025][:2]
    a = assistant.ask(f"{docs[0].unit_name}和{docs[1].unit_name}2025年公务接待费各是多少？")
    assert len(a.figures) == 2 and all(f.cell_id for f in a.figures)  # the figures are the two printed cells
    high, low = sorted(a.figures, key=lambda f: -f.value)
    gap = abs(high.value - low.value)
    assert f"（计算：{high.value:,.2f} − {low.value:,.2f}）" in a.answer and f"{gap:,.2f}" in a.answer, a.answer


def test_a_previous_amount_from_a_change_is_computed_in_one_unit():
    from assistant.answer import Figure
    from assistant.compute import growth, previous_from_change

    current = Figure(91_016_775.35, "元", "某单位", 2025, "表1", "财政拨款收入", "预算数")
    change = Figure(-2389.52, "万元", "某单位", 2025, None, "财政拨款收入比上年变化", None)
    previous = previous_from_change(current, change)
    assert (previous.value, previous.unit) == (11491.2, "万元")
    assert round(growth(previous, current).value, 2) == -20.79


@pytest.mark.parametrize("path, key", [
    ("2024年机关运行经费预算数", "机关运行经费"),  # a comparative column headed with its year
    ("2023年“三公”经费预算数/合计", "“三公”经费"),
    ("2024年预算数", "预算数"),  # nothing but the year and the stage: the stage stays
    ("机关运行经费预算数", "机关运行经费预算数"),  # no year: as printed
])
def test_a_year_headed_column_is_named_by_its_item(path, key):
    from assistant.docview import _columns

    assert _columns(((1, path, None),), False)[0].key == key


def test_a_short_name_of_the_body_inside_a_word_of_the_measure_stays_in_the_measure():
    """The body named once; its short name again at the start of a label ("人大立法") is words of the label,
    while the same short name said on its own still names the body."""
    from types import SimpleNamespace

    from assistant.lexicon import Lexicon
    from assistant.parse import parse

    lexicon = Lexicon([SimpleNamespace(unit_name="江苏省人大常委会办公厅", year=2018, id=1, budget_kind="预算",
                                       scope="部门")])
    frame = parse("省人大办公厅2018年人大立法经费有多少？", lexicon)
    assert frame.bodies == ["江苏省人大常委会办公厅"] and frame.measure.startswith("人大立法"), frame.measure
    frame = parse("2018年人大的会议费是多少？", lexicon)
    assert frame.bodies == ["江苏省人大常委会办公厅"] and "人大" not in frame.measure, frame.measure


def test_a_table_amount_in_yuan_is_found_said_in_wanyuan():
    """A 元 table's total said in the narrative in 万元, under the table's own name (收入预算 for its 合计)."""
    import json
    from types import SimpleNamespace

    from assistant.corroborate import checks
    from assistant.docview import Paragraph, RowView, TableView, lite_view, printed_columns, title_core
    from assistant.resolve import Evidence
    from index.read import CellInfo, TableInfo

    columns = json.dumps([{"number": 1, "path": "收入预算/合计", "side": None}])
    info = TableInfo(1, 1, 0, "2", "收入总体", "2024年部门收入预算总表", "元", "", False, None, 3, columns)
    table = TableView(info, columns=list(printed_columns(info, False).values()), core=title_core(info.title))
    cell = CellInfo(7, 1, 1, 0, "合计", None, None, None, None, 1, "收入预算/合计", 156211123.0, "156,211,123", None, 3)
    row = RowView(table, 0, "合计", None, None, None, None, 3, cells={1: cell}, is_total=True)
    table.rows = [row]
    view = lite_view(SimpleNamespace(id=1, unit_name="某单位", year=2024, source_file="x.pdf"))
    view.paragraphs = [Paragraph(1, "部门预算编制说明", "2024年，本部门收入预算15,621.11万元，其中：财政拨款收入…", None, 2),
                       Paragraph(1, "部门预算编制说明", "支出预算15,621.11万元。", None, 2)]
    cited = checks(Evidence("cell", view, 1.0, table=table, row=row, column=table.columns[0], cell=cell))
    assert [c.quote for c in cited if c.section == "部门预算编制说明"] == [view.paragraphs[0].text]


@pytest.mark.parametrize("kind, label, side, other", [
    ("收入总体", "小计", "支出", True),  # a row of an income table when 支出 is asked
    ("收入总体", "社会保障和就业支出", "支出", False),  # …unless its own label says 支出
    ("支出总体", "合计", "收入", True),
    ("收支总体", "合计", "支出", False),  # a table of both sides says nothing by its kind
])
def test_a_table_of_one_side_holds_no_figure_of_the_other(kind, label, side, other):
    from assistant.docview import ColumnView, RowView, TableView
    from assistant.resolve import _other_side
    from index.read import TableInfo

    table = TableView(TableInfo(1, 1, 0, "2", kind, "收入预算总表", "万元", "", False, None, 1))
    column = ColumnView(1, "金额", None, frozenset(), frozenset(), "金额", True)
    assert _other_side(side, RowView(table, 0, label, None, None, None, None, 1), column) is other
