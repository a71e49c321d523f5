"""The typed reading of a question: who, when, which kind of document, what is measured, what is done.

`parse.parse()` fills a `Frame` from the question and the lexicon; the pipeline then chooses the
documents, `resolve` grounds `measure` in the store, and `compute` carries out `operation`. The frame
is what `budgetqa ask --explain` prints: how the question was read, before anything was looked up.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# What a question asks to be done with the figures it names.
OPERATIONS = ("lookup", "parts", "sum", "difference", "growth", "share", "execution", "count", "max", "min", "rank",
              "which_column", "explain", "define", "list")


@dataclass
class Frame:
    question: str
    text: str  # the normalised question
    bodies: list[str] = field(default_factory=list)  # unit names, in the order named
    unknown_bodies: list[str] = field(default_factory=list)  # bodies named that the corpus does not hold
    every_body: bool = False  # 各单位 / 所有单位 / 哪个单位 …
    years: list[int] = field(default_factory=list)
    body_years: dict[str, int] = field(default_factory=dict)  # "A 2020年和B 2025年": each body with its own year
    body_kinds: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # body → (部门/单位, 预算/决算)
    relative_year: int | None = None  # 今年 0, 上年 -1: resolved against the documents
    year_end: bool = False  # "截至2024年底": stated in the next year's budget
    budget_kind: str | None = None  # 预算 / 决算, when the question says
    scope: str | None = None  # 部门 / 单位, when the question says
    operation: str = "lookup"
    against_previous: bool = False  # "比上年…": the change the document itself states
    measure: str = ""  # what is measured, in the question's words (without bodies, years, question words)
    base: str = ""  # a share's whole, "A占B的比例" → B
    focus: str = ""  # "X中，Y是多少": Y, the item asked within the context X (a candidate must explain it)
    body_words: list[str] = field(default_factory=list)  # names of the bodies linked: words that refer to them
    items: list[str] = field(default_factory=list)  # several items named in one question (A、B和C)
    codes: list[str] = field(default_factory=list)  # subject codes named, at any level (208, 20801, 2080109)
    table_number: str | None = None  # "表3", "公开03表"
    quantity_units: tuple[str, ...] = ()  # the units the asked figure comes in (人, 辆 …), () = any
    quantity_groups: list[tuple[str, ...]] = field(default_factory=list)  # one per quantity asked (几批、多少人次)
    quantity_words: list[str] = field(default_factory=list)  # the words that said so (面积, 人数): a figure in
    # that unit explains them
    amounts: list[float] = field(default_factory=list)  # amounts the question states (…的40万元是…)
    threshold: tuple[str, float] | None = None  # count/filter: (">", 100.0) for 超过100万元
    decrease: bool = False  # the question speaks of a fall (减少/下降)
    also_explain: bool = False  # a figure is asked and its reason too
    top_k: int | None = None
    excluded: list[str] = field(default_factory=list)  # "除行政运行外": items left out of a comparison

    def describe(self) -> list[tuple[str, str]]:
        """The frame as (field, value) pairs in Chinese, for `--explain` and the 调试 view."""
        rows = [("单位", "、".join(self.bodies) or ("（全部）" if self.every_body else "（未指明）"))]
        if self.unknown_bodies:
            rows.append(("语料外单位", "、".join(self.unknown_bodies)))
        if self.body_kinds:
            rows.append(("各单位文件", "、".join(f"{b} {(s or '') + (k or '')}" for b, (s, k) in self.body_kinds.items())))
        if self.body_years:
            rows.append(("各单位年份", "、".join(f"{b} {y}" for b, y in self.body_years.items())))
        rows.append(("年份", "、".join(map(str, self.years)) or ("相对：" + str(self.relative_year)
                                                             if self.relative_year is not None else "（未指明）")))
        rows.append(("文件类型", f"{self.scope or '（部门/单位未指明）'} {self.budget_kind or '（预算/决算未指明）'}"))
        rows.append(("运算", self.operation + ("（比上年）" if self.against_previous else "")
                     + ("（并问原因）" if self.also_explain else "")))
        rows.append(("所问", self.measure or "（无）"))
        if self.base:
            rows.append(("比例的基数", self.base))
        if self.focus:
            rows.append(("所问之项", self.focus))
        if self.items:
            rows.append(("各项", "、".join(self.items)))
        if self.codes:
            rows.append(("科目编码", "、".join(self.codes)))
        if self.table_number:
            rows.append(("表号", self.table_number))
        if self.quantity_units:
            rows.append(("计量单位", "、".join(self.quantity_units)))
        if self.amounts:
            rows.append(("问题中的金额", "、".join(f"{a:g}" for a in self.amounts)))
        if self.threshold:
            rows.append(("条件", f"{self.threshold[0]} {self.threshold[1]:g}"))
        if self.excluded:
            rows.append(("除外", "、".join(self.excluded)))
        return rows
