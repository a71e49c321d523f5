"""All Chinese wording of answers in one place: how a document, a figure, its source and each operation's
result are said. Operations pass figures and evidence; nothing else writes a sentence.
"""
from __future__ import annotations

from assistant.answer import Figure
from assistant.compute import amount
from assistant.words import MONEY_UNITS
from index.read import DocInfo


def doc_label(doc: DocInfo) -> str:
    return doc.label


def figure_doc(f: Figure) -> str:
    year = f" {f.year} 年" if f.year else ""
    return f"{f.unit_name}{year}{f.scope or ''}{f.budget_kind or ''}"


def value(f: Figure, raw: str | None = None) -> str:
    if raw == "" and f.table and f.value == 0:
        return f"0（空白，未安排） {f.unit}"
    if f.unit == "%":
        return f"{f.value:.2f}%"
    if f.unit not in MONEY_UNITS and f.unit != "平方米" and float(f.value).is_integer():
        return f"{int(f.value)} {f.unit}"  # a count: 5 个, 26 人次
    shown = raw if raw and raw.replace(",", "").replace(".", "").isdigit() else amount(f.value)
    text = f"{shown} {f.unit}"
    if f.unit == "元" and abs(f.value) >= 10000:
        text += f"（约 {amount(f.value / 10000)} 万元）"
    return text


def where(f: Figure) -> str:
    """The printed place of a figure: table, row, column and page (or line of a text export)."""
    place = f"第{f.page}页" if f.page else (f"第{f.line}行" if f.line else "")
    if f.table:
        parts = [f.table]
        if f.row:
            parts.append(f"「{f.row}」行")
        if f.column:
            parts.append(f"「{f.column}」列")
        return "".join(parts) + (f"，{place}" if place else "")
    named = f"「{f.row}」" if f.row else ""
    return f"文件说明部分{named}{('，' + place) if place else ''}"


def lookup(f: Figure, name: str, raw: str | None = None, quote: str | None = None, section: str | None = None) -> str:
    head = f"{figure_doc(f)}{name}为 {value(f, raw)}。"
    if quote:
        return head + f"原文（{section or '说明'}）：{quote}"
    return head + f"来源：{where(f)}。"


def empty_table(f: Figure, note: str) -> str:
    return f"{figure_doc(f)}{f.table}为空表，金额为 0（未安排）。" + (f"文件原文：{note}" if note else "")


def computed(f: Figure, words: str, stated: bool = False) -> str:
    if stated:
        return f"{words} {value(f)}（文件原文）。"
    return f"{words} {value(f)}（计算：{f.formula}）。"


def difference(a: str, b: str, diff: Figure) -> str:
    if abs(diff.value) < 1e-9:
        return f"{a}与{b}相同，差额为 0（计算：{diff.formula}）。"
    word = "多" if diff.value > 0 else "少"
    return f"{a}比{b}{word} {amount(abs(diff.value))} {diff.unit}（计算：{diff.formula}）。"


def listing(figures: list[Figure], names: list[str]) -> str:
    return "；".join(f"{n}：{value(f)}（{figure_doc(f)}，{where(f)}）" for f, n in zip(figures, names)) + "。"


def differs(figures: list[Figure]) -> str:
    """A note when compared figures come from documents of different years, kinds or scopes."""
    notes = []
    years = sorted({f.year for f in figures if f.year})
    if len(years) > 1:
        notes.append("年份不同（" + "、".join(f"{y} 年" for y in years) + "）")
    kinds = sorted({f.budget_kind for f in figures if f.budget_kind})
    if len(kinds) > 1:
        notes.append("类型不同（" + "、".join(kinds) + "）")
    scopes = sorted({f.scope for f in figures if f.scope})
    if len(scopes) > 1:
        notes.append("口径不同（" + "、".join(s for s in scopes) + "）")
    units = sorted({f.unit_name for f in figures})
    if len(units) > 1 and len(years) > 1:
        notes.append("单位不同")
    return ("注意：所比较的文件" + "，".join(notes) + "。") if notes else ""


def choice_note(used: DocInfo, others: list[DocInfo]) -> str:
    """Which of several documents of one body and year was used, and which else exist."""
    if not others:
        return ""
    names = "、".join(d.kind_label for d in others)
    return f"（按{used.kind_label}回答；该单位同年另有{names}，如需请在问题中注明。）"


def not_found(docs: list[DocInfo], what: str = "") -> str:
    names = "、".join(d.label for d in docs[:4]) + ("等" if len(docs) > 4 else "")
    asked = f"“{what}”" if what else "这个问题所问的数字或内容"
    return f"在{names}的公开文件中没有找到{asked}。文件没有提供的数字，本系统不作推测。"


def no_body(unknown: list[str], known: str) -> str:
    return f"语料中没有“{'、'.join(unknown)}”的预算公开文件，无法回答。已收录：{known}。"


def no_year(body: str, years: list[int], have: list[int]) -> str:
    asked = "、".join(map(str, years))
    return f"语料中没有{body}{asked}年的公开文件；该单位已收录的年份：{'、'.join(map(str, have))}年。"


def no_kind(body: str, kind: str, have: list[str]) -> str:
    return f"语料中没有{body}的{kind}文件；已收录：{'、'.join(have)}。"


def error(kind: str) -> str:
    return f"回答这个问题时出错（{kind}），请换一种问法，或把问题拆成几个简单的问题。"
