"""Every standard table of the five sample disclosures, read from their text exports, cell by cell."""
from __future__ import annotations

import pytest

from index.readers.text import read_text
from index.tables import normalize_document
from tests.conftest import SAMPLES, corpus_file

STANDARD_2025 = {
    "1": "收支总体", "2": "收入总体", "3": "支出总体", "4": "财政拨款收支总体", "5": "一般公共预算支出",
    "6": "一般公共预算基本支出", "7": "项目支出", "8": "政府性基金", "9": "国有资本经营", "10": "三公经费",
    "11": "上年结转结余",
}
STANDARD_2020 = {
    "一": "收支总体", "二": "收入总体", "三": "支出总体", "四": "财政拨款收支总体", "五": "一般公共预算支出",
    "六": "一般公共预算基本支出", "八": "三公经费", "九": "政府性基金", "十一": "政府采购", "十二": "政府购买服务",
}


def tables_of(sample: str) -> dict:
    doc = read_text(corpus_file(SAMPLES[sample]))
    return {t.number: t for t in normalize_document(doc) if t.number}


@pytest.mark.parametrize("sample", ["巴州2025", "乌市2025", "昌吉2024", "和静2025"])
def test_every_standard_table_of_the_2025_layout_is_recognised(sample):
    tables = tables_of(sample)
    assert {n: t.kind for n, t in tables.items()} == STANDARD_2025


def test_every_table_of_the_2020_layout_is_recognised():
    tables = tables_of("巴州2020")
    assert {n: t.kind for n, t in tables.items()} == STANDARD_2020


def cell(tables, number, column, *, label=None, code=None, side=None):
    """The value of one cell, found by table number, row (label or code) and column path suffix."""
    table = tables[number]
    rows = [r for r in table.rows
            if (label is None or r.label == label) and (code is None or r.code == code)
            and (side is None or (r.side or "").endswith(side))]
    assert rows, f"no row {label or code} in 表{number}"
    values = [c for c in rows[0].cells if c.column.path == column or c.column.path.endswith("/" + column)]
    assert len(values) == 1, f"column {column} ambiguous or missing in 表{number}: {[c.column.path for c in rows[0].cells]}"
    return values[0].value


CASES = {
    "巴州2025": [
        ("10", "合计", dict(label="公务用车运行费"), 6.00),
        ("10", "合计", dict(label="公务接待费"), 0.40),
        ("10", "资金来源/一般公共预算", dict(label="合计"), 6.40),
        ("10", "合计", dict(label="因公出国（境）费"), 0.0),
        ("1", "预算数", dict(label="一、本年收入", side="收入"), 714.76),
        ("1", "预算数", dict(code="221", side="支出"), 42.85),
        ("2", "单位资金", dict(code="2080109"), 4.98),
        ("2", "财政拨款（补助）/一般公共预算", dict(code="2101103"), 9.91),  # continued page
        ("2", "总计", dict(code="2210201"), 42.85),  # continued page
        ("3", "项目支出", dict(code="2080109"), 98.98),
        ("5", "基本支出", dict(label="总计"), 615.78),
        ("6", "公用经费", dict(label="差旅费"), 4.00),
        ("6", "人员经费", dict(code="30305"), 42.22),
        ("7", "商品和服务支出", dict(code="2080109"), 82.00),
    ],
    "乌市2025": [
        ("1", "预算数", dict(label="二、上年结转结余", side="收入"), 3598.26),
        ("1", "预算数", dict(label="收入总计", side="收入"), 18627.14),
        ("2", "财政拨款结转", dict(code="20806"), 3541.31),
        ("2", "财政拨款（补助）/上级一般公共预算安排的转移支付", dict(code="2080109"), 115.75),
        ("2", "总计", dict(code="2089999"), 282.00),  # continued page
        ("3", "项目支出", dict(code="2080699"), 10256.31),
        ("6", "公用经费", dict(label="印刷费"), 25.00),
        ("6", "人员经费", dict(label="基本工资"), 1308.69),
        ("7", "项目支出合计", dict(label="乌财企(2024)95号-提前下达2025年国有企业办职教幼教退休教师生活待遇中央财政补助资金"), 114.00),
        ("7", "对个人和家庭的补助", dict(label="***伤残群众抚恤经费"), 280.00),  # continued page
        ("10", "合计", dict(label="公务用车运行费"), 27.30),
        ("11", "财政拨款/项目支出", dict(label="乌财企（2023）97号提前下达1995年前退休（退职）人员2024年4月-2025年3月生活补贴资金"), 859.31),
        ("11", "合计", dict(label="总计"), 3598.26),
    ],
    "昌吉2024": [
        ("1", "预算数", dict(label="一、本年收入", side="收入"), 1036.02),
        ("1", "预算数", dict(code="229", side="支出"), 5.13),
        ("1", "预算数", dict(label="收入总计", side="收入"), 1041.14),
        ("2", "财政拨款结转", dict(code="2299999"), 5.13),  # continued page, bold row
        ("2", "总计", dict(code="2210201"), 58.13),  # continued page
        ("3", "合计", dict(code="2080107"), 850.36),
        ("3", "项目支出", dict(label="总计"), 5.13),
        ("5", "合计", dict(code="2101102"), 25.34),
        ("6", "公用经费", dict(label="物业管理费"), 2.25),
        ("6", "公用经费", dict(label="办公费"), 13.50),
        ("6", "人员经费", dict(label="其他对个人和家庭的补助"), 189.82),
        ("10", "合计", dict(label="合计"), 5.20),
        ("11", "财政拨款/项目支出", dict(label="2023年自治区“访惠聚”驻村工作专项经费"), 5.13),
    ],
    "巴州2020": [
        ("一", "预算数", dict(label="一般公共预算", side="收入"), 562.15),
        ("一", "预算数", dict(code="210", side="支出"), 41.39),
        ("二", "一般公共预算拨款", dict(code="20508"), 0.52),  # 类 cell blank: inherited
        ("三", "项目支出", dict(code="208"), 121.0),
        ("三", "项目支出", dict(label="总计："), 121.0),
        ("三", "基本支出", dict(code="2080505"), 34.17),
        ("五", "项目支出", dict(code="2080699"), 36.0),
        ("六", "人员经费", dict(label="其他社会保障缴费"), 5.07),
        ("六", "小计", dict(code="301"), 405.01),  # 类 row printed without a name
        ("六", "公用经费", dict(code="30217"), 0.34),
        ("八", "公务用车购置及运行费/公务用车运行费", dict(label=""), 3.0),
        ("八", "公务接待费", dict(label=""), 0.34),
        ("十一", "资金来源/总计", dict(label="计算机"), 5.1),
    ],
    "和静2025": [
        ("2", "财政拨款（补助）/一般公共预算", dict(code="208"), 252.47),
        ("2", "财政拨款（补助）/上级一般公共预算安排的转移支付", dict(code="208"), 69.88),
        ("2", "财政拨款结转", dict(code="2080601"), 0.11),
        ("2", "总计", dict(code="2080601"), 45.25),
        ("3", "基本支出", dict(code="20801"), 198.17),
        ("3", "项目支出", dict(code="20801"), 0.0),
        ("3", "项目支出", dict(code="2080699"), 45.62),
        ("5", "项目支出", dict(code="2080601"), 29.88),
        ("6", "公用经费", dict(label="办公费"), 6.36),
        ("6", "公用经费", dict(code="302"), 11.33),
        ("10", "合计", dict(label="公务用车运行费"), 2.14),
        ("1", "预算数", dict(code="208", side="支出"), 328.08),
    ],
}


@pytest.mark.parametrize("sample,case", [(s, c) for s, cases in CASES.items() for c in cases],
                         ids=lambda v: v if isinstance(v, str) else f"表{v[0]}-{v[2]}-{v[1]}")
def test_cell_matches_the_printed_document(sample, case):
    number, column, row, expected = case
    assert cell(tables_of(sample), number, column, **row) == pytest.approx(expected)


def test_empty_cells_are_zero_and_remember_they_were_empty():
    tables = tables_of("巴州2025")
    row = next(r for r in tables["10"].rows if r.label == "因公出国（境）费")
    assert [(c.value, c.raw) for c in row.cells] == [(0.0, "")] * 4


def test_empty_tables_keep_their_statement_and_have_no_rows():
    tables = tables_of("巴州2025")
    assert tables["8"].rows == [] and "为空表" in tables["8"].note
    assert tables["11"].is_empty


def test_subject_codes_are_resolved_to_full_codes_with_their_system():
    tables = tables_of("巴州2025")
    row = next(r for r in tables["2"].rows if r.label == "社会保险经办机构")
    assert (row.code, row.code_system) == ("2080109", "功能分类")
    row = next(r for r in tables["6"].rows if r.label == "公务用车运行维护费")
    assert (row.code, row.code_system) == ("30231", "经济分类")


def test_bold_tags_and_spaced_labels_are_cleaned():
    tables = tables_of("昌吉2024")
    labels = {r.label for r in tables["3"].rows}
    assert "社会保障和就业支出" in labels and not any("<b>" in label for label in labels)
    tables = tables_of("巴州2020")
    assert any(r.label == "收入总计" for r in tables["一"].rows)  # printed "收 入 总 计"


def test_two_sided_tables_become_two_row_sets():
    tables = tables_of("乌市2025")
    sides = {r.side for r in tables["1"].rows}
    assert sides == {"收入", "支出"}
    sides = {r.side for r in tables["4"].rows}
    assert sides == {"财政拨款收入", "财政拨款支出"}


def test_repeated_header_rows_of_continued_pages_are_not_data():
    for sample in ("巴州2025", "乌市2025", "昌吉2024"):
        for t in tables_of(sample).values():
            assert not any(r.label in ("功能分类科目名称", "※") or "科目编码" in (r.subject or "") for r in t.rows)
