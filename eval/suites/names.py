"""How a user names what a table prints: a row label, a table title, a column, a subject code.

Plain rules over the printed text, the same for every layout: enumeration marks (一、 （一） 1.
其中：) are not what anyone types; a title is also said without its 部门/单位 prefix and its
情况表 suffix; a column by its last header or by its parent and last header; a code compact,
spaced by level (208 01 09) or after 科目.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ENUMERATION = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d{1,2}\s*[、.．](?!\d)"
    r"|其中\s*[:：]?|加\s*[:：]|减\s*[:：])\s*")
_TITLE_PREFIX = re.compile(r"^(?:\d{4}\s*年度?)?(?:部门|单位)?")
_TITLE_SUFFIX = re.compile(r"(?:情况明细表|情况表|明细表|预算表|一览表|总表|表)$")
_BRACKETED = re.compile(r"[（(][^（）()]*[)）]$")
_SPACE = re.compile(r"\s+")

TOTAL_LABELS = ("合计", "总计", "小计")


_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


@lru_cache(maxsize=None)
def norm(text: str) -> str:
    """What two spellings of one name share: NFKC width, no spaces, one kind of quote."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "").translate(_QUOTES))


@lru_cache(maxsize=None)
def clean_label(label: str) -> str:
    """A row label as a user writes it: enumeration marks and 其中： dropped, repeatedly."""
    text = (label or "").strip().rstrip(":：").strip()
    while True:
        stripped = _ENUMERATION.sub("", text, count=1)
        if stripped == text or not stripped:
            return text
        text = stripped


def is_total_label(label: str) -> bool:
    """合计 / 总计 / 小计 rows, also 收入总计 / 支出合计: the row that sums a table or a side."""
    text = norm(clean_label(label))
    return any(text == t or (text.endswith(t) and len(text) <= 6) for t in TOTAL_LABELS)


@lru_cache(maxsize=None)
def short_title(title: str, unit_name: str = "") -> str:
    """单位收支总体情况表 → 收支总体, without the unit's own name; a title that would lose its meaning stays whole."""
    text = _SPACE.sub("", title or "")
    if unit_name and len(text) > len(unit_name):
        text = text.replace(unit_name, "")
    text = _BRACKETED.sub("", text)
    text = _TITLE_PREFIX.sub("", text)
    text = _TITLE_SUFFIX.sub("", text)
    return text if len(text) >= 4 else _SPACE.sub("", title or "")


_MADE_UP = re.compile(r"^(?:列|行|column|row|col)?\s*\d*$", re.I)


_NUMBER_RUN = re.compile(r"\d[\d,.]{7,}")  # amounts run into a title by a reader: not a name


def has_printed_name(text: str) -> bool:
    """False for a header or title the reader had to invent (列1, 表, '') — nothing a user could type."""
    text = norm(text)
    return (bool(text) and not _MADE_UP.match(text) and text not in ("表", "表格")
            and not _NUMBER_RUN.search(text))


def table_number_name(number: str) -> str:
    """表5 / 表十一 / 公开01表, as a user refers to a numbered table."""
    number = (number or "").strip()
    if not number:
        return ""
    return number if "表" in number else f"表{number}"


def column_leaf(path: str) -> str:
    return (path or "").split("/")[-1]


def column_parent(path: str) -> str:
    parts = (path or "").split("/")
    return parts[-2] if len(parts) > 1 else ""


def column_by_path(path: str) -> str:
    """财政拨款（补助）/一般公共预算 → 财政拨款（补助）中的一般公共预算."""
    parent, leaf = column_parent(path), column_leaf(path)
    return f"{parent}中的{leaf}" if parent else leaf


def is_total_column(path: str) -> bool:
    leaf = norm(column_leaf(path))
    return any(leaf == t or leaf.endswith(t) for t in TOTAL_LABELS)


def code_forms(code: str) -> dict[str, str]:
    """A subject code at its level as users write it: 2080109, 208 01 09, 科目2080109."""
    code = (code or "").strip()
    if not code.isdigit():
        return {}
    spaced = " ".join([code[:3]] + [code[i:i + 2] for i in range(3, len(code), 2)])
    forms = {"code": code, "code_word": f"科目{code}"}
    if spaced != code:
        forms["code_spaced"] = spaced
    return forms


def code_level(code: str) -> str:
    return {3: "类", 5: "款", 7: "项"}.get(len(code or ""), "其他")
