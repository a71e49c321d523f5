"""Scoring rules on hand-made answers to real dev-set questions."""
from __future__ import annotations

import pytest

from eval.gold_schema import load_gold
from eval.score import score
from tests.conftest import ROOT

GOLD = {g.id: g for g in load_gold(ROOT / "eval" / "gold" / "dev.jsonl")}


def answer(text, figures=(), citations=(), status="answered"):
    return {"answer": text, "status": status, "figures": list(figures), "citations": list(citations)}


def fig(value, unit_name, year, table=None, unit="万元"):
    return {"value": value, "unit": unit, "unit_name": unit_name, "year": year, "table": table}


def cit(unit_name, year, section, quote="…"):
    return {"unit_name": unit_name, "year": year, "section": section, "quote": quote}


BZ = "巴音郭楞蒙古自治州社会保险中心"


def test_right_figure_in_other_formatting_is_correct():
    g = GOLD["d001"]  # 差旅费 4.00, 表6
    s = score(g, answer("差旅费为 4 万元", [fig(4.0, BZ, 2025, "表6 一般公共预算基本支出情况表")]))
    assert s.correct, s.reason
    g = GOLD["d030"]
    s = score(g, answer("占 44.01%", [fig(44.01, "乌鲁木齐市社会保险中心", 2025, unit="%")],
                        [cit("乌鲁木齐市社会保险中心", 2025, "第三部分 > 二、关于乌鲁木齐市社会保险中心 2025 年收入预算情况说明")]))
    assert s.correct, s.reason


def test_thousands_separators_and_yuan_are_normalised():
    g = GOLD["d029"]  # 基本工资 1308.69 万元
    a = answer("最大的是基本工资，1,308.69 万元", [fig(13086900, "乌鲁木齐市社会保险中心", 2025,
                                                     "表6 一般公共预算基本支出情况表", unit="元")])
    assert score(g, a).correct


def test_wrong_figure_is_a_miss_with_its_reason():
    g = GOLD["d001"]
    s = score(g, answer("差旅费为 5.00 万元", [fig(5.0, BZ, 2025, "表6 一般公共预算基本支出情况表")]))
    assert not s.correct and "expected 4.00" in s.reason


def test_missing_citation_is_a_miss():
    g = GOLD["d001"]
    s = score(g, answer("差旅费为 4.00 万元"))
    assert not s.correct and not s.citation_ok and "cited" in s.reason
    s = score(g, answer("差旅费为 4.00 万元", [fig(4.0, "乌鲁木齐市社会保险中心", 2025, "表6 一般公共预算基本支出情况表")]))
    assert not s.correct and "expected 巴音郭楞" in s.reason


def test_wrong_table_is_a_citation_miss():
    g = GOLD["d001"]
    s = score(g, answer("差旅费为 4.00 万元", [fig(4.0, BZ, 2025, "表10 财政拨款“三公”经费支出情况表")]))
    assert not s.citation_ok


def test_refusal_where_a_figure_was_due_is_a_miss():
    s = score(GOLD["d002"], answer("没有找到", status="not_found"))
    assert not s.correct and "refused" in s.reason


def test_invented_figure_on_an_unanswerable_question_is_a_miss():
    g = GOLD["d038"]  # 焉耆县: not in the corpus
    s = score(g, answer("三公经费 6.40 万元", [fig(6.4, BZ, 2025)]))
    assert not s.correct and "invented" in s.reason
    assert score(g, answer("语料中没有焉耆县社会保险中心的文件", status="not_found")).correct


def test_list_missing_an_item_is_a_miss():
    g = GOLD["d036"]
    full = "支出预算包括：教育支出、社会保障和就业支出、卫生健康支出、住房保障支出。"
    c = [cit(BZ, 2025, "第三部分 > 一、关于巴音郭楞蒙古自治州社会保险中心 2025 年收支预算情况总体说明")]
    assert score(g, answer(full, citations=c)).correct
    s = score(g, answer(full.replace("、住房保障支出", ""), citations=c))
    assert not s.correct and "住房保障支出" in s.reason


def test_compare_citing_both_documents_is_correct_and_one_missing_is_not():
    g = GOLD["d025"]
    figs = [fig(225.02, "乌鲁木齐市社会保险中心", 2025, "表6 一般公共预算基本支出情况表"),
            fig(23.13, BZ, 2025, "表6 一般公共预算基本支出情况表")]
    assert score(g, answer("225.02 和 23.13", figs)).correct
    assert not score(g, answer("225.02 和 23.13", figs[:1])).correct


def test_explain_needs_the_reason_phrase_and_the_right_passage():
    g = GOLD["d017"]
    sec = "第三部分 > 五、关于巴音郭楞蒙古自治州社会保险中心 2025 年一般公共预算当年拨款情况说明 > （三）一般公共预算当年拨款具体使用情况"
    good = answer("主要原因是本年度企业离休人员比上年度减少", citations=[cit(BZ, 2025, sec)])
    assert score(g, good).correct
    assert not score(g, answer("主要原因是人员调整", citations=[cit(BZ, 2025, sec)])).correct


@pytest.mark.parametrize("bad,where", [
    ('{"id": "x1", "question": "q"', "line 2: not valid JSON"),
    ('{"id": "x1", "question": "q", "type": "lookup", "answer_values": [], "source": {}}', "missing field 'must_contain'"),
    ('{"id": "x1", "question": "q", "type": "guess", "answer_values": [], "must_contain": [], "source": {}}',
     "unknown type 'guess'"),
])
def test_malformed_gold_line_gets_a_clear_error_naming_the_line(tmp_path, bad, where):
    from eval.gold_schema import GoldError

    path = tmp_path / "gold.jsonl"
    good = (ROOT / "eval" / "gold" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[0]
    path.write_text(good + "\n" + bad + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match="line 2"):
        load_gold(path)
    with pytest.raises(GoldError) as e:
        load_gold(path)
    assert where.split(": ")[-1] in str(e.value)
