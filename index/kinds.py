"""Table kinds, recognised from a table's title through aliases rather than one layout's titles.

Disclosures of different provinces and years title the same standard table differently
(单位收支总体情况表 / 部门收支总体情况表 / 收支预算总表 / 收支总表); each is one kind here, so
questions and checks work on any of them. Order matters: more specific patterns come first.
"""
from __future__ import annotations

import re

from index.chars import squash

# (kind, pattern over the squashed title): budget (预算) and final-account (决算) wordings alike
KIND_PATTERNS: list[tuple[str, str]] = [
    ("绩效目标表", r"绩效目标"),
    ("三公经费", r"三公"),
    ("财政拨款收支总体", r"(?<!基金预算)(?<!经营预算)财政拨款收(入)?支(出)?"),
    ("收支总体", r"收支(总体|预算总表|决算总表|总表|预算表$)|收入支出(预算|决算)?总表"),
    ("收入总体", r"收入(总体|预算总表|总表|(预算|决算)表$)"),
    ("支出总体", r"^(部门|单位)?支出(总体|预算总表|总表|(预算|决算)表$)"),
    ("一般公共预算基本支出", r"一般公共预算(财政拨款)?基本支出|基本支出(预算|决算|情况)表"),
    ("一般公共预算支出", r"一般公共预算(财政拨款|拨款)?支出"),
    ("财政拨款支出", r"(?<!基金)(?<!基金预算)(?<!经营预算)财政拨款支出"),  # not 政府性基金（预算）财政拨款支出
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

# A table whose title names no kind is recognised by what it prints: (kind, words its header must
# all contain, words of which it must contain one, the code system of its rows or None). First match wins.
CONTENT_RULES: list[tuple[str, tuple[str, ...], tuple[str, ...], str | None]] = [
    ("三公经费", ("公务接待",), ("因公出国", "公务用车"), None),
    ("财政拨款收支总体", ("收入", "支出", "财政拨款"), ("项目",), None),
    ("收支总体", ("收入", "支出"), ("项目", "预算数", "决算数"), None),
    ("一般公共预算基本支出", (), ("人员经费", "公用经费"), "经济分类"),
    ("收入总体", (), ("单位资金", "事业收入", "上级补助收入", "财政专户", "其他收入"), "功能分类"),
    ("支出总体", ("基本支出", "项目支出"), ("合计", "小计", "本年支出"), "功能分类"),
]

# Labels printed above a table ("表1", "公开01表", "公开表一") that every family seen numbers alike
PRINTED_NUMBER_KINDS = {"1": "收支总体", "2": "收入总体", "3": "支出总体", "4": "财政拨款收支总体"}

OTHER = "other"  # a table no title, label or content names: stored with all its cells all the same

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


def names_kind(text: str, kind: str) -> bool:
    """Whether a text (a sentence, a title) names a table of `kind` — wherever it is in the text."""
    pattern = _PATTERN_OF.get(kind)
    return bool(pattern and re.search(pattern, squash(text)))


_PATTERN_OF = dict(KIND_PATTERNS)


def looks_like_table_title(line: str) -> bool:
    text = squash(line)
    return len(text) <= 40 and (text.endswith("表") or "情况表" in text or "明细表" in text
                                or text.endswith("使用情况")) and table_kind(text) is not None


def content_kind(header: str, code_system: str | None) -> str | None:
    """The kind a table's header words and row codes name (`CONTENT_RULES`), or None."""
    text = squash(header)
    for kind, every, some, system in CONTENT_RULES:
        if all(w in text for w in every) and any(w in text for w in some) and (system is None or system == code_system):
            return kind
    return None


def number_kind(number: str | None) -> str | None:
    """The kind a printed table number names, where every family numbers it alike."""
    if not number:
        return None
    digits = re.sub(r"\D", "", number)
    if not digits:
        cn = "一二三四五六七八九十"
        digits = str(cn.index(number) + 1) if number in cn else ""
    return PRINTED_NUMBER_KINDS.get(digits.lstrip("0") or "0")
