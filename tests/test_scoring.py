"""Scoring rules on hand-made answers to real dev-set questions."""
from __future__ import annotations

import pytest

from eval.gold_schema import GoldError, load_gold
from eval.score import score
from tests.conftest import ROOT

DEV = ROOT / "eval" / "gold" / "dev.jsonl"
GOLD = {g.id: g for g in load_gold(DEV)}

BZ = "巴音郭楞蒙古自治州社会保险中心"
WS = "乌鲁木齐市社会保险中心"
T6 = "表6 一般公共预算基本支出情况表"


def answer(text, figures=(), citations=(), status="answered"):
    return {"question": "…", "answer": text, "status": status, "figures": list(figures),
            "citations": list(citations), "route": "test"}


def fig(value, unit_name, year, table=None, unit="万元"):
    return {"value": value, "unit": unit, "unit_name": unit_name, "year": year, "table": table, "row": None,
            "column": None, "page": None, "line": None}


def cit(unit_name, year, section, quote="…"):
    return {"unit_name": unit_name, "year": year, "section": section, "quote": quote, "page": None, "line": None}


def test_right_figure_in_other_formatting_is_correct():
    g = GOLD["d001"]  # 差旅费 4.00 万元, 表6
    s = score(g, answer("差旅费为 4 万元", [fig(4.0, BZ, 2025, T6)]))
    assert s.correct, s.reason
    g = GOLD["d006"]  # 114.00: "114" in the text, 114 as the figure
    assert score(g, answer("该项目114万元", [fig(114, WS, 2025, "表7 一般公共预算项目支出情况表")])).correct
    g = GOLD["d029"]  # 1308.69 written with a thousands separator, figure value as a string
    s = score(g, answer("最大的是基本工资，1,308.69 万元", [fig("1,308.69", WS, 2025, T6)]))
    assert s.correct, s.reason


def test_percent_is_compared_as_a_number():
    g = GOLD["d030"]  # 44.01 %
    sec = "第三部分 > 二、关于乌鲁木齐市社会保险中心 2025 年收入预算情况说明"
    s = score(g, answer("占 44.01%", [fig(44.01, WS, 2025, unit="%")], [cit(WS, 2025, sec)]))
    assert s.correct, s.reason
    s = score(g, answer("占比约为四成", [fig(0.4401, WS, 2025, unit="%")], [cit(WS, 2025, sec)]))
    assert s.figures_ok, s.reason


def test_a_yuan_figure_is_scaled_to_wan_yuan():
    g = GOLD["d029"]  # 基本工资 1308.69 万元
    a = answer("最大的是基本工资，13,086,900 元", [fig(13086900, WS, 2025, T6, unit="元")])
    s = score(g, a)
    assert s.correct, s.reason
    # the same number in 万元 is not 1308.69 万元
    assert not score(g, answer("基本工资 13086900 万元", [fig(13086900, WS, 2025, T6)])).correct


def test_wrong_figure_is_a_miss_with_its_reason():
    g = GOLD["d001"]
    s = score(g, answer("差旅费为 5.00 万元", [fig(5.0, BZ, 2025, T6)]))
    assert not s.correct and not s.figures_ok
    assert "wrong figure 5.00 (expected 4.00)" in s.reason


def test_a_contradicting_figure_is_wrong_even_if_the_text_has_the_value():
    g = GOLD["d001"]
    s = score(g, answer("差旅费为 5.00 万元（表6 第4.00行）", [fig(5.0, BZ, 2025, T6)]))
    assert not s.correct and "wrong figure 5.00" in s.reason


def test_missing_citation_is_a_miss():
    g = GOLD["d001"]
    s = score(g, answer("差旅费为 4.00 万元"))
    assert not s.correct and s.figures_ok and not s.citation_ok and "cited nothing" in s.reason
    s = score(g, answer("差旅费为 4.00 万元", [fig(4.0, WS, 2025, T6)]))
    assert not s.correct and s.reason == f"cited {WS} 2025, expected {BZ} 2025"
    s = score(g, answer("差旅费为 4.00 万元", [fig(4.0, BZ, 2024, T6)]))
    assert not s.correct and "expected" in s.reason


def test_wrong_table_is_a_citation_miss_and_chinese_numbering_matches():
    g = GOLD["d001"]
    s = score(g, answer("差旅费为 4.00 万元", [fig(4.0, BZ, 2025, "表10 财政拨款“三公”经费支出情况表")]))
    assert not s.citation_ok and "表6" in s.reason
    assert score(g, answer("4.00 万元", [fig(4.0, BZ, 2025, "表六 一般公共预算基本支出情况表")])).correct
    g = GOLD["d005"]  # the 2020 document's 表六
    assert score(g, answer("5.07万元", [fig(5.07, "巴州社会保险管理局", 2020, T6)])).correct


def test_refusal_where_a_figure_was_due_is_a_miss():
    s = score(GOLD["d002"], answer("没有找到", status="not_found"))
    assert not s.correct and s.reason.startswith("refused") and "25.00" in s.reason
    s = score(GOLD["d017"], answer("请说明单位", status="ambiguous"))
    assert not s.correct and s.reason.startswith("refused")


def test_invented_figure_on_an_unanswerable_question_is_a_miss():
    g = GOLD["d038"]  # 焉耆县: not in the corpus
    s = score(g, answer("三公经费 6.40 万元", [fig(6.4, BZ, 2025)]))
    assert not s.correct and s.refusal_ok is False and "invented figure" in s.reason
    s = score(g, answer("焉耆县社会保险中心2025年三公经费为6.40万元。"))
    assert not s.correct and "answered a question" in s.reason


def test_proper_refusal_on_an_unanswerable_is_correct():
    g = GOLD["d038"]
    s = score(g, answer("语料中没有焉耆县社会保险中心的文件", status="not_found"))
    assert s.correct and s.refusal_ok
    # status "answered" but the text says the documents do not give it, and no figure
    assert score(GOLD["d040"], answer("文件中没有公开该数字。", status="answered")).correct


def test_list_missing_an_item_is_a_miss():
    g = GOLD["d036"]
    full = "支出预算包括：教育支出、社会保障和就业支出、卫生健康支出、住房保障支出。"
    c = [cit(BZ, 2025, "第三部分 > 一、关于巴音郭楞蒙古自治州社会保险中心 2025 年收支预算情况总体说明")]
    assert score(g, answer(full, citations=c)).correct
    s = score(g, answer(full.replace("、住房保障支出", ""), citations=c))
    assert not s.correct and not s.phrases_ok and s.reason == "missing phrase 住房保障支出"


def test_compare_citing_both_documents_is_correct_and_one_missing_is_not():
    g = GOLD["d025"]
    figs = [fig(225.02, WS, 2025, T6), fig(23.13, BZ, 2025, T6)]
    s = score(g, answer("乌市225.02万元，巴州23.13万元", figs))
    assert s.correct, s.reason
    s = score(g, answer("乌市225.02万元，巴州23.13万元", figs[:1]))
    assert not s.correct and not s.citation_ok and BZ in s.reason
    g = GOLD["d022"]  # two units in two different years: each document is matched with its own year
    figs = [fig(42.85, BZ, 2025, "表5 一般公共预算支出情况表"), fig(24.5, "巴州社会保险管理局", 2020, "表五 一般公共预算支出情况表")]
    assert score(g, answer("42.85 与 24.50", figs)).correct
    figs[1]["year"] = 2025
    assert not score(g, answer("42.85 与 24.50", figs)).citation_ok


def test_explain_needs_the_reason_phrase_and_the_right_passage():
    g = GOLD["d017"]
    sec = "第三部分 > 五、关于巴音郭楞蒙古自治州社会保险中心 2025 年一般公共预算当年拨款情况说明 > （三）一般公共预算当年拨款具体使用情况"
    assert score(g, answer("主要原因是本年度企业离休人员比上年度减少", citations=[cit(BZ, 2025, sec)])).correct
    assert not score(g, answer("主要原因是人员调整", citations=[cit(BZ, 2025, sec)])).correct
    wrong = "第一部分 > 二、机构设置及人员情况"
    s = score(g, answer("主要原因是本年度企业离休人员比上年度减少", citations=[cit(BZ, 2025, wrong)]))
    assert not s.correct and not s.citation_ok


def test_phrases_are_whitespace_and_width_insensitive():
    g = GOLD["d036"]
    c = [cit(BZ, 2025, "第三部分 > 一、收支预算情况总体说明")]
    assert score(g, answer("教育 支出、社会保障和就业支出、卫生健康支出、住房保障支出", citations=c)).correct


@pytest.mark.parametrize("bad,problem", [
    ('{"id": "x1", "question": "q"', "not valid JSON"),
    ('{"id": "x1", "question": "q", "type": "lookup", "answer_values": [], "source": {}}', "missing field 'must_contain'"),
    ('{"id": "x1", "question": "q", "type": "guess", "answer_values": [], "must_contain": [], "source": {}}',
     "unknown type 'guess'"),
    ('{"id": "x1", "question": "q", "type": "lookup", "answer_values": [4.0], "must_contain": [], "source": {}}',
     "field 'answer_values' should be a list of strings"),
    ('{"id": "x1", "question": "q", "type": "lookup", "answer_values": [], "must_contain": [], "source": {},'
     ' "year": "2025"}', "field 'year' should be"),
    ('{"id": "d001", "question": "q", "type": "lookup", "answer_values": [], "must_contain": [], "source": {}}',
     "duplicate id 'd001'"),
    ('[1, 2]', "expected a JSON object"),
])
def test_malformed_gold_line_gets_a_clear_error_naming_the_file_and_line(tmp_path, bad, problem):
    path = tmp_path / "gold.jsonl"
    good = DEV.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(good + "\n" + bad + "\n", encoding="utf-8")
    with pytest.raises(GoldError) as e:
        load_gold(path)
    assert f"{path}: line 2: " in str(e.value) and problem in str(e.value)


def test_the_dev_set_loads():
    items = load_gold(DEV)
    assert len(items) == 40 and items[0].id == "d001" and items[0].line == 1
    assert {i.type for i in items} >= {"lookup", "compare", "unanswerable", "list", "definition"}
