"""What a line of a disclosure is: a heading of which level, a table marker, a note …

Shared by the text and PDF readers, so both build the same blocks from the same lines.
"""
from __future__ import annotations

import re

from index.chars import squash

CN_NUM = "一二三四五六七八九十"
PART = re.compile(rf"^第[{CN_NUM}]+部分")
LEVEL2 = re.compile(rf"^[{CN_NUM}]+\s*[、.．]")
LEVEL3 = re.compile(rf"^[（(]\s*[{CN_NUM}]+\s*[)）]")
LEVEL4 = re.compile(r"^\d{1,2}\s*[、．.](?!\d)")
TABLE_NUMBER = re.compile(rf"^(?:表\s*([0-9{CN_NUM}]+)\s*[：:]?|公开\s*(\d+)\s*表)$")
ISSUER = re.compile(r"^(?:编制(?:单位|部门)|单位名称|预算单位)\s*[：:]\s*(.*?)\s*(?:(?:金额)?单位\s*[：:]\s*(万元|元|千元|亿元))?\s*$")
MEASURE = re.compile(r"^(?:金额)?单位\s*[：:]\s*(万元|元|千元|亿元)\s*$")
TOC = re.compile(r"^目\s*录$")
EMPTY_NOTE = re.compile(r"为空白?表|空表|^备注|此表为空|没有使用.{0,30}(支出|预算)|未安排.{0,20}支出")
KEY_VALUE = re.compile(r"^(?!其中|主要原因)[\u4e00-\u9fa5（）()“”\"]{2,14}\s*[：:]")
CONTINUATION = re.compile(r"^(其中\s*[：:]|主要原因|原因是)")
LIST_ITEM = re.compile(rf"^(?:[（(]\s*\d{{1,2}}\s*[)）]|\d{{1,2}}\s*[、．.](?!\d)|[{CN_NUM}]+\s*[、.．]|[（(][{CN_NUM}]+[)）]|-\s)")
# what an unnumbered title line of a disclosure ends with
TITLE_NOUN = re.compile(r"^(名词解释|.{2,}(机构设置|主要职能|名词解释|预算编制说明|基本情况|部门概况|单位概况|其他相关情况说明))$")
SENTENCE_END = ("。", "；", ";", "！", "？", "：", ":")


def heading_level(text: str) -> int | None:
    """The heading level of a line, or None when it is body text.

    Numbered lines are headings only when they read as titles: short, no sentence end,
    no "key：value" (名词解释 entries and list items are paragraphs).
    """
    t = text.strip()
    if PART.match(t):
        return 1 if len(t) <= 40 else None
    if t.endswith("。") and len(t) <= 30 and not re.search(r"[，,；;：:。]", t[:-1]) and (LEVEL2.match(t) or LEVEL3.match(t)):
        t = t[:-1]  # "（一）“三公”经费财政拨款支出决算总体情况说明。": a title with a full stop
    if len(t) > 80 or t.endswith(("。", "；", ";")):
        return None
    if len(t) <= 30 and TITLE_NOUN.search(t) and not re.search(r"[，,；;：:。（(]", t):
        return 1  # an unnumbered title line: "上海市普陀区社会福利院机构设置", "其他相关情况说明"
    has_colon = bool(re.search(r"[：:]", t))
    if has_colon and not re.search(r"项目名称\s*[：:]", t):
        return None
    if LEVEL2.match(t):
        return 2
    if LEVEL3.match(t):
        return 3
    if LEVEL4.match(t) and (re.search(r"项目名称\s*[：:]", t) or len(t) <= 16):
        return 4
    return None


def table_number(text: str) -> str | None:
    m = TABLE_NUMBER.match(squash(text))
    if not m:
        return None
    return m.group(1) or m.group(2)


def starts_new_item(text: str) -> bool:
    """A line that begins its own paragraph even when the previous one did not end."""
    t = text.strip()
    return bool(heading_level(t) or LIST_ITEM.match(t) or KEY_VALUE.match(t) or TABLE_NUMBER.match(squash(t)))


def continues_paragraph(previous: str, line: str, wrap_width: int = 26) -> bool:
    """Join hard-wrapped lines: the previous line stopped mid-sentence and was long."""
    prev = previous.rstrip()
    if prev and CONTINUATION.match(line.strip()):
        return True
    return bool(prev) and not prev.endswith(SENTENCE_END) and len(prev) >= wrap_width and not starts_new_item(line)


CODE_CELL = re.compile(r"^\d{3}(?:\s*\d{2}){0,2}$")
# "201 一般公共服务支出", "2080109 2025年社会保险经办服务项目" (a name may begin with a year)
CODE_LABEL = re.compile(r"^(\d{3}(?:\s?\d{2}){0,2})(?:\s*(?=[^\d\s])|\s+(?=\d+\S*[^\d.,%\s]))(.+)$")


def _is_plain_number(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?", text.replace(" ", "")))


def is_header_row(cells: list[str]) -> bool:
    """True for a header row: labels only, or the printed column numbers (※ ※ 1 2 3 …).

    A row with a figure, a subject code or a code-prefixed label ("201 一般公共服务支出") is
    body. Header rows carry no figures, so this also finds repeated headers on continued pages.
    """
    values = [c.strip() for c in cells if c.strip()]
    if not values:
        return False
    numbers = []
    for v in values:
        if CODE_CELL.match(v) and len(v.replace(" ", "")) >= 3:
            return False
        if CODE_LABEL.match(v):
            return False
        if _is_plain_number(v):
            numbers.append(v)
    if not numbers:
        return True
    if all(re.fullmatch(r"\d{1,2}", n) for n in numbers):
        seq = [int(n) for n in numbers]
        return seq == list(range(seq[0], seq[0] + len(seq))) and seq[0] <= 1 and len(seq) >= 2
    return False


def is_column_number_row(cells: list[str]) -> bool:
    values = [c.strip() for c in cells if c.strip()]
    return bool(values) and any(v == "※" for v in values) or (
        is_header_row(cells) and all(re.fullmatch(r"\d{1,2}|※", v) for v in values))


def continues_heading(previous: str, line: str) -> bool:
    """A heading wrapped onto a second short line ("……当年拨款" + "情况说明")."""
    t = line.strip()
    return (len(previous) >= 24 and len(t) <= 20 and not t.endswith(("。", "；"))
            and not starts_new_item(t) and not KEY_VALUE.match(t))
