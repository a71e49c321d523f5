"""ask(): real questions against the real sample corpus, one or more per intent."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from assistant.answer import ANSWERED, NOT_FOUND


@pytest.fixture(scope="module")
def assistant(text_store):
    from assistant.router import Assistant

    return Assistant(text_store.data_dir)


def values(answer):
    return [round(f.value, 2) for f in answer.figures]


def test_lookup_gives_the_cell_with_its_provenance(assistant):
    a = assistant.ask("巴州社保中心2025年的差旅费预算是多少？")
    assert a.status == ANSWERED and a.figures[0].value == 4.0
    f = a.figures[0]
    assert (f.unit, f.unit_name, f.year) == ("万元", "巴音郭楞蒙古自治州社会保险中心", 2025)
    assert f.table.startswith("表6") and f.row == "差旅费" and f.line
    assert "4.00" in a.answer


@pytest.mark.parametrize("question,expected", [
    ("乌市社保中心2025年印刷费安排了多少？", 25.0),
    ("巴州社保局2020年公务接待费是多少？", 0.34),
    ("巴州社会保险管理局2020年“其他社会保障缴费”预算有多少？", 5.07),
    ("昌吉市社会保险中心2024年社会保险业务管理事务（208 01 07）支出是多少？", 850.36),
    ("和静县社保中心2025年企业关闭破产补助（208 06 01）的收入中，财政拨款结转是多少？", 0.11),
    ("乌鲁木齐市社会保险中心2025年上年结转里，区属国有企业办医院退休人员待遇补助资金是多少？", 969.0),
])
def test_lookup_by_alias_label_code_and_column(assistant, question, expected):
    a = assistant.ask(question)
    assert a.status == ANSWERED, a.answer
    assert expected in values(a), a.answer


def test_an_empty_cell_or_empty_table_is_zero_not_unknown(assistant):
    a = assistant.ask("和静县社会保险中心2025年国有资本经营预算支出有多少？")
    assert a.status == ANSWERED and values(a)[0] == 0.0
    a = assistant.ask("乌市社保中心2025年公务接待费安排了多少？")
    assert a.status == ANSWERED and values(a)[0] == 0.0


def test_narrative_facts_are_answered_with_their_quote(assistant):
    a = assistant.ask("乌市社保中心截至2024年底有多少辆车？")
    assert 20.0 in values(a) and a.citations and "车辆" in a.citations[0].quote
    assert a.figures[0].year == 2025  # the 2024 year-end assets are stated in the 2025 budget
    a = assistant.ask("巴音郭楞蒙古自治州社会保险中心有多少编制？实有多少人？")
    assert {33.0, 60.0} <= set(values(a))


def test_explain_cites_the_reason_passage(assistant):
    a = assistant.ask("巴州社保中心2025年行政单位离退休支出比上年减少5.90万元，主要原因是什么？")
    assert a.status == ANSWERED and "企业离休人员比上年度减少" in a.answer
    assert a.citations and "五、" in a.citations[0].section and a.citations[0].year == 2025


def test_figure_and_reason_in_one_question(assistant):
    a = assistant.ask("巴州社保中心2025年三公经费是多少？比上年变化的原因？")
    assert 6.4 in values(a) and "主要原因" in a.answer and a.citations


def test_definition_comes_from_the_named_document(assistant):
    a = assistant.ask("乌市社保中心预算公开里的“其他资金”包括哪些？")
    assert all(w in a.answer for w in ("事业收入", "事业经营收入", "其他收入"))
    assert a.citations[0].unit_name == "乌鲁木齐市社会保险中心" and "名词解释" in a.citations[0].section


def test_list_of_offices(assistant):
    a = assistant.ask("昌吉市社会保险中心下设哪些处室？")
    assert all(w in a.answer for w in ("综合业务科", "基金征缴一科", "档案室"))


def test_compare_three_units(assistant):
    a = assistant.ask("2025年乌市社保中心、巴州社保中心和和静县社保中心的公务用车运行费各是多少？")
    got = {(f.unit_name, round(f.value, 2)) for f in a.figures}
    assert {("乌鲁木齐市社会保险中心", 27.3), ("巴音郭楞蒙古自治州社会保险中心", 6.0),
            ("和静县社会保险中心", 2.14)} <= got, a.answer


def test_compare_the_renamed_unit_across_years(assistant):
    a = assistant.ask("巴州的住房公积金支出，2025年巴州社保中心和2020年巴州社会保险管理局各是多少？")
    assert {42.85, 24.5} <= set(values(a))


def test_aggregate_max_within_a_parent_row(assistant):
    a = assistant.ask("乌鲁木齐市社会保险中心2025年工资福利支出中，金额最大的是哪一项？")
    assert "基本工资" in a.answer and values(a) == [1308.69]


def test_aggregate_sum_of_named_rows(assistant):
    a = assistant.ask("昌吉市社保中心2024年水费和电费合计多少？")
    assert a.figures[0].value == pytest.approx(2.70) and a.figures[0].formula


def test_stated_share_is_taken_from_the_document(assistant):
    a = assistant.ask("巴州社保中心2025年基本支出占支出预算的比例是多少？")
    assert values(a)[0] == 86.15 and a.route == "ratio:stated"


def test_computed_ratio_shows_its_formula_and_inputs(assistant):
    a = assistant.ask("乌市社保中心2025年一般公共预算拨款（不含上年结转）中，上级转移支付占多大比例？")
    f = a.figures[0]
    assert f.value == pytest.approx(45.45) and "÷" in f.formula and len(f.inputs) == 2
    assert {round(i.value, 2) for i in f.inputs} == {6830.75, 15028.88}


@pytest.mark.parametrize("question", [
    "昌吉市社会保险中心2021年的收支总预算是多少？",      # year not present
    "焉耆县社会保险中心2025年的“三公”经费是多少？",      # unit not present
    "南京市财政局2018年预算是多少？",                    # a body of another kind, not present
    "巴州社保中心的办公用房是哪一年建成的？",            # the documents never say
    "乌鲁木齐市社会保险中心2025年各科室分别有多少编制？",
    "'; DROP TABLE cells; -- 巴州社保中心2025年差旅费",   # SQL-looking text
    "",
    "噪" * 2000,
])
def test_not_answerable_questions_invent_no_number(assistant, question):
    a = assistant.ask(question)
    if "DROP TABLE" in question:  # answered or not, the store is untouched
        assert assistant.store.query("SELECT COUNT(*) AS n FROM cells")[0]["n"] > 2000
        return
    assert a.status == NOT_FOUND and not a.figures, a.answer


def test_not_found_says_what_the_corpus_holds(assistant):
    a = assistant.ask("昌吉市社会保险中心2021年的收支总预算是多少？")
    assert "2024" in a.answer


def test_ask_json_and_batch_mode_from_the_command_line(text_store):
    cmd = [sys.executable, "-m", "assistant.cli", "ask", "--json", "--data", str(text_store.data_dir)]
    out = subprocess.run(cmd + ["巴州社保中心2025年的差旅费预算是多少？"], capture_output=True, text=True, timeout=300)
    obj = json.loads(out.stdout)
    assert {"question", "answer", "status", "figures", "citations", "route"} <= set(obj)
    assert {"value", "unit", "unit_name", "year", "table", "row", "column", "page"} <= set(obj["figures"][0])
    batch = subprocess.run(cmd + ["-"], input="乌市社保中心2025年印刷费安排了多少？\n什么是机关运行经费？\n",
                           capture_output=True, text=True, timeout=300)
    lines = [json.loads(x) for x in batch.stdout.splitlines()]
    assert len(lines) == 2 and lines[0]["figures"][0]["value"] == 25.0
    assert re.search("机关运行经费", lines[1]["answer"])


def test_a_question_for_every_unit_lists_them_all(assistant):
    a = assistant.ask("2025年各单位的公务用车运行费是多少？")
    assert a.status == "answered" and {f.unit_name for f in a.figures} >= {
        "乌鲁木齐市社会保险中心", "巴音郭楞蒙古自治州社会保险中心", "和静县社会保险中心"}


def test_relative_year_words_use_the_documents_own_comparison(assistant):
    a = assistant.ask("巴州社保中心2025年基本支出比上年减少了多少？")
    assert a.status == "answered" and 25.82 in [abs(v) for v in values(a)], a.answer
