"""Table kinds, recognised from a table's title through aliases rather than one layout's titles.

Disclosures of different provinces and years title the same standard table differently
(单位收支总体情况表 / 部门收支总体情况表 / 收支预算总表 / 收支总表); each is one kind here, so
questions and checks work on any of them. Order matters: more specific patterns come first.
"""
from __future__ import annotations

import re

from index.chars import squash

# (kind, pattern over the squashed title)
KIND_PATTERNS: list[tuple[str, str]] = [
    ("绩效目标表", r"绩效目标"),
    ("三公经费", r"三公"),
    ("财政拨款收支总体", r"财政拨款收支"),
    ("收支总体", r"收支(总体|预算总表|总表|预算表$)"),
    ("收入总体", r"收入(总体|预算总表|总表|预算表$)"),
    ("支出总体", r"^(部门|单位)?支出(总体|预算总表|总表|预算表$)"),
    ("一般公共预算基本支出", r"一般公共预算基本支出|基本支出(预算|情况)表"),
    ("一般公共预算支出", r"一般公共预算(拨款)?支出"),
    ("财政拨款支出", r"财政拨款支出"),
    ("项目支出", r"项目支出"),
    ("政府性基金", r"政府性基金"),
    ("国有资本经营", r"国有资本经营"),
    ("上年结转结余", r"结转结余"),
    ("政府购买服务", r"政府购买服务"),
    ("政府采购", r"政府采购"),
    ("国有资产", r"国有资产"),
    ("征收计划", r"征收计划"),
    ("机关运行经费", r"机关运行经费"),
]

# Kinds printed as two row sets side by side: 收入 on the left, 支出 on the right.
TWO_SIDED = {"收支总体", "财政拨款收支总体"}

# The standard numbering of the 2024/2025 Ministry of Finance template, used to name a table
# in answers ("表10") when a layout prints no number.
STANDARD_NUMBER = {
    "收支总体": "1", "收入总体": "2", "支出总体": "3", "财政拨款收支总体": "4",
    "一般公共预算支出": "5", "一般公共预算基本支出": "6", "项目支出": "7", "政府性基金": "8",
    "国有资本经营": "9", "三公经费": "10", "上年结转结余": "11",
}


def table_kind(title: str) -> str | None:
    """The kind of a table from its title, or None when the title is not a known table."""
    text = squash(title)
    for kind, pattern in KIND_PATTERNS:
        if re.search(pattern, text):
            return kind
    return None


def looks_like_table_title(line: str) -> bool:
    text = squash(line)
    return len(text) <= 40 and (text.endswith("表") or "情况表" in text or "明细表" in text
                                or text.endswith("使用情况")) and table_kind(text) is not None
