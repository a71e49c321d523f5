"""ask(): the answering pipeline on the real sample corpus — one or more questions of our own per
operation (none is a gold question), checked against cells printed in the documents."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.answer import ANSWERED, ERROR, NOT_FOUND


@pytest.fixture(scope="module")
def assistant(text_store):
    from assistant.router import Assistant

    return Assistant(text_store.data_dir)


def values(answer):
    return [round(f.value, 2) for f in answer.figures]


# ---- lookups: the cell named, with its provenance ------------------------------------------------------

def test_a_row_is_answered_from_its_cell_with_provenance(assistant):
    a = assistant.ask("和静县社保中心2025年邮电费预算多少？")
    assert a.status == ANSWERED and values(a)[0] == 0.48
    f = a.figures[0]
    assert (f.unit, f.unit_name, f.year) == ("万元", "和静县社会保险中心", 2025)
    assert f.table.startswith("表6") and f.row == "邮电费" and f.line and f.cell_id
    assert (f.budget_kind, f.scope) == ("预算", "单位")


def test_the_same_figure_printed_in_other_tables_is_cited_too(assistant, text_store):
    """Generated: every 功能分类 项 whose 表3 合计 equals a cell of another table of its document."""
    from index.read import StoreReader

    reader = StoreReader(text_store)
    checked = 0
    for doc in reader.documents():
        cells = reader.cells([doc.id])
        by_code: dict[str, set[tuple[str, float]]] = {}
        for c in cells:
            if c.code and len(c.code) == 7 and c.value:
                by_code.setdefault(c.code, set()).add((c.table_id, round(c.value, 2)))
        for code, places in sorted(by_code.items())[:6]:
            values_of = {v for _, v in places}
            if len({t for t, _ in places}) < 2 or len(values_of) != 1:
                continue
            a = assistant.ask(f"{doc.unit_name}{doc.year}年科目{code}是多少？")
            named = {f.table for f in a.figures} | {c.section for c in a.citations}
            tables = {t.name for t in reader.tables([doc.id]) if t.id in {t for t, _ in places}}
            assert len(tables & named) >= min(len(tables), 4), (code, tables, named)
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize("question,expected", [
    ("和静县社会保险中心2025年一般公共预算基本支出的公用经费合计是多少？", 11.33),  # a column of the total row
    ("昌吉市社保中心2024年支出总表里卫生健康支出的基本支出是多少？", 50.70),  # a named column of a row
    ("昌吉市社保中心2024年科目210的支出合计是多少？", 50.70),  # a 类 code
    ("昌吉市社保中心2024年210 11的支出是多少？", 50.70),  # a 款 code written apart
    ("昌吉市社保中心2024年2101102是多少？", 25.34),  # a 项 code
    ("和静县社保中心2025年公车运行维护费是多少？", 2.14),  # a colloquial name (公车)
])
def test_columns_codes_and_colloquial_names_are_honoured(assistant, question, expected):
    a = assistant.ask(question)
    assert a.status == ANSWERED and values(a)[0] == expected, a.answer


def test_a_table_printed_empty_is_zero_with_its_note(assistant):
    a = assistant.ask("乌市社保中心2025年政府性基金预算支出是多少？")
    assert a.status == ANSWERED and values(a)[0] == 0.0 and "未安排" in a.answer


def test_a_figure_only_the_narrative_states_comes_with_its_sentence(assistant):
    a = assistant.ask("和静县社保中心有多少在职人员？")
    assert values(a)[0] == 16.0 and a.citations and "在职" in a.citations[0].quote


def test_a_question_in_two_parts_answers_both(assistant):
    a = assistant.ask("昌吉市社保中心2024年行政单位医疗是多少？事业单位医疗呢？")
    assert {20.28, 25.34} <= set(values(a)), a.answer


# ---- operations over items, documents and years -------------------------------------------------------

def test_items_named_together_are_summed_with_the_formula(assistant):
    a = assistant.ask("和静县社保中心2025年办公费和差旅费加起来是多少？")
    assert values(a)[0] == 7.27 and a.figures[0].formula == "6.36 + 0.91"
    assert [round(f.value, 2) for f in a.figures[0].inputs] == [6.36, 0.91]


def test_a_sum_over_named_units(assistant):
    a = assistant.ask("2025年乌市社保中心和和静县社保中心的公务用车运行费一共多少？")
    parts = sorted(values(a)[1:])
    assert a.status == ANSWERED and round(sum(parts), 2) == values(a)[0] and len(parts) == 2, a.answer


def test_a_difference_between_documents_says_the_years_differ(assistant):
    a = assistant.ask("巴州社保中心2025年和巴州社保局2020年的住房公积金差多少？")
    assert a.status == ANSWERED and a.figures[0].formula and "年份不同" in a.answer, a.answer


def test_a_rate_the_document_does_not_print_is_computed_from_the_stated_change(assistant):
    a = assistant.ask("巴州社保中心2025年基本支出比上年减少了多少？")
    assert a.status == ANSWERED and 25.82 in [abs(v) for v in values(a)], a.answer


def test_a_share_is_computed_with_its_formula_when_not_stated(assistant):
    a = assistant.ask("和静县社保中心2025年办公费占公用经费的比例是多少？")
    f = a.figures[0]
    assert f.unit == "%" and round(f.value, 2) == round(6.36 / 11.33 * 100, 2) and "÷" in f.formula, a.answer


def test_the_largest_item_under_a_parent_row(assistant):
    a = assistant.ask("和静县社保中心2025年对个人和家庭的补助里哪一项最多？")
    assert values(a)[0] == 15.84 and "生活补助" in a.answer


def test_the_largest_across_units(assistant):
    a = assistant.ask("2025年哪个单位的公务用车运行费最高？")
    assert a.status == ANSWERED and a.figures[0].unit_name == "乌鲁木齐市社会保险中心", a.answer


def test_which_column_holds_an_amount(assistant):
    a = assistant.ask("昌吉市社保中心2024年其他支出5.13万元算基本支出还是项目支出？")
    assert a.status == ANSWERED and "项目支出" in a.figures[0].column, a.answer


# ---- narrative -------------------------------------------------------------------------------------

def test_a_reason_is_quoted_from_the_document(assistant):
    a = assistant.ask("和静县社保中心2025年项目支出为什么减少？")
    assert a.status == ANSWERED and a.citations and "原因" in a.citations[0].quote


def test_a_definition_comes_from_the_glossary(assistant):
    a = assistant.ask("和静县社保中心的名词解释里“三公”经费指什么？")
    assert a.status == ANSWERED and "名词解释" in a.citations[0].section


# ---- what the corpus does not hold ----------------------------------------------------------------------

@pytest.mark.parametrize("question", [
    "阿克苏地区社会保险中心2025年的办公费是多少？",  # a body not in the corpus
    "和静县社保中心2019年的办公费是多少？",  # a year not in the corpus
    "和静县社保中心2025年办公费的决算数是多少？",  # final accounts of a budget
    "和静县社保中心的公务用车是什么品牌？",  # not an amount
])
def test_questions_the_corpus_cannot_answer_get_no_figure(assistant, question):
    a = assistant.ask(question)
    assert a.status == NOT_FOUND and not a.figures, a.answer


def test_nothing_crashes_the_answerer(assistant, monkeypatch):
    for question in ["", "？？？", "2025", "表3", "\x00\x01", "社保" * 400]:
        assert assistant.ask(question).status in (ANSWERED, NOT_FOUND, "ambiguous")
    from assistant import operations

    def broken(ctx):
        raise IndexError("planted")

    monkeypatch.setitem(operations.OPERATIONS, "lookup", broken)
    a = assistant.ask("和静县社保中心2025年邮电费预算多少？")
    assert a.status == ERROR and not a.figures and "出错" in a.answer


# ---- the command line ---------------------------------------------------------------------------------

def test_ask_explain_prints_how_the_question_was_read(text_store):
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "--explain", "--data", str(text_store.data_dir),
                          "和静县社保中心2025年邮电费预算多少？"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    for stage in ("【理解问题】", "【选择文件】", "【回答】"):
        assert stage in out.stdout
    assert "单位：和静县社会保险中心" in out.stdout and "0.48" in out.stdout


def test_ask_json_batch_goes_on_after_any_question(text_store):
    cmd = [sys.executable, "-m", "assistant.cli", "ask", "--json", "--data", str(text_store.data_dir), "-"]
    batch = subprocess.run(cmd, input="和静县社保中心2025年邮电费预算多少？\n\x00？？\n什么是机关运行经费？\n",
                           capture_output=True, text=True, timeout=300)
    lines = [json.loads(x) for x in batch.stdout.splitlines()]
    assert len(lines) == 3 and lines[0]["figures"][0]["value"] == 0.48
    assert {"question", "answer", "status", "figures", "citations", "route", "trace"} <= set(lines[0])


# ---- over many documents: one query over the store gives what reading each document gives ------------

@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """A store of 40 synthetic disclosures (the benchmark's generator: the five samples, bodies renamed,
    amounts scaled), more than are read whole, so questions over every body take the one query."""
    from assistant.router import Assistant
    from benchmarks.scale import generate
    from index.ingest import ingest
    from index.store import Store

    folder = tmp_path_factory.mktemp("many")
    store = Store(folder / "store")
    report = ingest(generate(folder / "files", 40), store, progress=False, workers=1)
    assert not report.failed
    return Assistant(store)


@pytest.mark.parametrize("question", [
    "所有单位2025年“三公”经费合计是多少？",
    "哪个单位2025年“三公”经费最多？",
    "2025年有多少个单位安排了公务接待费？",  # a row in four layouts, a column of the one-row 合计 in the fifth
    "所有单位2025年公务接待费合计是多少？",
    "哪个单位2025年基本支出最多？",  # a column of the total row, printed 总计 / 合计 / 总计：
    "2025年有多少个单位的“三公”经费超过10万元？",
])
def test_a_question_over_every_body_takes_each_document_s_own_cell(many, monkeypatch, question):
    """The one query finds the item in every document, whichever way its table prints it, with the figure
    reading that document alone finds (reading alone may miss a document whose layout differs)."""
    from assistant import operations

    assert len([d for d in many.docs if d.year == 2025]) > operations.READ_WHOLE
    across = many.ask(question)
    monkeypatch.setattr(operations, "READ_WHOLE", 10 ** 6)
    each = many.ask(question)
    assert across.status == each.status == ANSWERED, across.answer
    by_doc = lambda a: {f.document_id: round(f.value, 2) for f in a.figures if f.cell_id}  # noqa: E731
    found, alone = by_doc(across), by_doc(each)
    assert len(found) == 20 and all(found[d] == v for d, v in alone.items()), (across.answer[:300], each.answer[:300])
    if len(alone) == 20:  # the same documents: the same result
        assert round(across.figures[0].value, 2) == round(each.figures[0].value, 2)
