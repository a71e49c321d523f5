"""Figures only the narrative states, extracted with their provenance into the store."""
from __future__ import annotations

import re

import pytest

from index.facts import extract_facts, stated_figures
from index.readers.text import read_text
from tests.conftest import SAMPLES, corpus_file


def facts_of(sample):
    return {(f.name, f.value, f.unit) for f in extract_facts(read_text(corpus_file(SAMPLES[sample])))}


@pytest.mark.parametrize("sample,expected", [
    ("巴州2025", [("编制数", 33, "人"), ("实有人数", 60, "人"), ("在职", 29, "人"), ("科室数", 10, "个"),
                 ("政府采购预算", 75.52, "万元"), ("政府采购货物预算", 19.21, "万元"), ("房屋", 3118, "平方米"),
                 ("房屋价值", 173.25, "万元"), ("车辆", 2, "辆"), ("办公家具价值", 458.16, "万元"),
                 ("机关运行经费财政拨款预算", 26.87, "万元"), ("财政拨款“三公”经费数", 6.40, "万元"),
                 ("基本支出占比", 86.15, "%"), ("基本支出比上年变化", -25.82, "万元")]),
    ("乌市2025", [("编制数", 322, "人"), ("实有人数", 435, "人"), ("退休", 123, "人"), ("车辆", 20, "辆"),
                 ("其他车辆", 20, "辆"), ("政府采购工程预算", 56.95, "万元"), ("100万元以上大型设备", 1, "台")]),
    ("和静2025", [("房屋", 1837, "平方米"), ("政府采购预算", 6.62, "万元"), ("编制数", 19, "人"),
                 ("实有人数", 32, "人")]),
    ("巴州2020", [("实有人数", 59, "人"), ("政府采购预算", 22.3, "万元"), ("房屋", 3118, "平方米"),
                 ("“三公”经费财政拨款预算数", 3.34, "万元")]),
    ("昌吉2024", [("编制数", 47, "人"), ("办公家具价值", 29.24, "万元")]),
])
def test_narrative_facts_against_the_text(sample, expected):
    got = facts_of(sample)
    for name, value, unit in expected:  # "及下属单位政府采购预算" also names the 政府采购预算
        assert any(n.endswith(name) and v == float(value) and u == unit for n, v, u in got), \
            (name, value, sorted(n for n, *_ in got if name[:2] in n))


def test_every_fact_is_quoted_from_its_paragraph_with_its_section():
    doc = read_text(corpus_file(SAMPLES["乌市2025"]))
    facts = extract_facts(doc)
    assert len(facts) > 50
    for f in facts:
        assert f.section and f.line and f.quote
        assert f"{f.value:g}" in f.quote.replace(",", "") or f"{f.value:.2f}" in f.quote.replace(",", "") or \
            f"{abs(f.value):.2f}" in f.quote.replace(",", "") or f"{abs(f.value):g}" in f.quote.replace(",", "")


def test_project_amounts_carry_the_project_name():
    doc = read_text(corpus_file(SAMPLES["乌市2025"]))
    projects = {f.subject: f.value for f in extract_facts(doc) if f.name == "预算安排规模"}
    assert projects["综合业务运行费"] == 274.39 and len(projects) == 9


def test_a_paragraph_without_figures_states_none():
    assert stated_figures("本单位无其他需说明事项。") == []


@pytest.mark.parametrize("sentence, expected", [
    # a figure named only by its stage is a figure of the item the paragraph names
    ("1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：人员经费。年初预算为 1560.05 万元，支出决算为1511.89万元。",
     {("行政运行年初预算", 1560.05, "万元"), ("行政运行支出决算", 1511.89, "万元")}),
    ("一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。",
     {("一般公共预算财政拨款支出年初预算", 2993.92, "万元"), ("一般公共预算财政拨款支出执行率", 98.2, "%")}),
    # counted bodies, with 个 or 家 and words between the number and the noun
    ("本部门包括 27 个内设机构、1 个下属差额拨款事业单位和 1 个派出机构，具体包括：",
     {("内设机构数", 27.0, "个"), ("事业单位数", 1.0, "个"), ("派出机构数", 1.0, "个")}),
    ("部门预算是包括本部以及下属 5 家预算单位的综合收支计划。", {("预算单位数", 5.0, "个")}),
    # a second figure of the same thing in another unit; an amount after a count of items
    ("列明公务接待 2 批次、26 人次。", {("列明公务接待", 2.0, "批次"), ("列明公务接待", 26.0, "人次")}),
    ("在建工程1项12277.73万元。", {("在建工程", 12277.73, "万元"), ("在建工程", 1.0, "项")}),
    # a label that runs over an amount of its own
    ("单价100万元（含）以上设备（不含车辆）2台（套）。", {("单价100万元（含）以上设备（不含车辆）", 2.0, "台")}),
])
def test_template_sentences_state_their_figures(sentence, expected):
    assert expected <= set(stated_figures(sentence))


def test_a_count_is_not_also_read_as_a_clause():
    names = [name for name, _, _ in stated_figures("本部门包括 27 个内设机构、1 个下属差额拨款事业单位和 1 个派出机构。")]
    assert not any(n.endswith("和") or n.startswith("个") or n == "本部门包括" for n in names), names


@pytest.mark.parametrize("sentence, change", [
    ("财政拨款收入3,000.00万元，比2024年预算执行数增加1,200.50万元。", ("财政拨款收入比上年变化", 1200.5, "万元")),
    ("机关运行经费支出 80.00 万元，比 2023 年度减少 5.25 万元，下降 6.16%。", ("机关运行经费支出比上年变化", -5.25, "万元")),
    ("支出预算500万元，比2021年预算数增加20万元。", ("支出预算比上年变化", 20.0, "万元")),
])
def test_a_change_against_the_year_named_by_its_number_is_a_change_on_the_previous_year(sentence, change):
    figures = stated_figures(sentence)
    assert change in figures
    assert not any(re.match(r"^年?度?(预算执行数|预算数|执行数)(增加|减少)$", n) for n, _, _ in figures), figures
