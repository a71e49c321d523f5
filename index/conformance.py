"""A document against the template families: which family it is, which of its standard tables it carries.

Detection uses only what the document prints: each family's standard tables are matched to the
document's tables of the same kind (`index.kinds`), scored by how closely the printed titles agree,
plus the wordings only that family uses; the family with the best overlap wins, and none when too few
tables agree (a narrative part alone, another template). Never the file name.
A standard table the document does not carry is missing — unless the disclosure says it is empty or
does not apply ("本单位无政府性基金预算…，故本表为空表"): a table printed with no rows is carried.
"""
from __future__ import annotations

import re
from typing import Iterable, Protocol

from index.chars import squash
from index.families import Family, StandardTable, families
from index.kinds import names_kind

MIN_SCORE = 3.0  # at least about three standard tables recognised by kind and title
LABEL_WEIGHT = 0.5  # each family-only wording found in a title
# a sentence that says a table is empty or does not apply: it names a table (…表, 本表, 此表) and says so
EMPTY = re.compile(r"空表|空白表|无数据|本表无|不涉及|未安排|没有|无[^，,。；;]{0,30}(收入|支出|预算|安排|经费|资金)")


class TableLike(Protocol):
    kind: str | None
    title: str


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[“”\"'‘’（）()、，,\s]", "", text)
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def similarity(standard: str, title: str) -> float:
    """How closely a printed title agrees with a family's title, 0…1: the best Dice overlap of character
    pairs with any tail of the title (so "2017年度某单位部门收支预算总表" agrees with "收支预算总表")."""
    want = _bigrams(standard)
    text = squash(title or "")
    best = 0.0
    for start in range(len(text)):
        got = _bigrams(text[start:])
        best = max(best, 2 * len(want & got) / (len(want) + len(got)))
        if len(got) < len(want) / 2:
            break
    return best


def match(family: Family, tables: list[TableLike]) -> dict[int, int]:
    """Standard table index → document table index: same kind, the best-agreeing titles first, each once."""
    pairs = sorted(((similarity(s.title, t.title), i, j) for i, s in enumerate(family.tables)
                    for j, t in enumerate(tables) if t.kind == s.kind), reverse=True)
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, i, j in pairs:
        if i not in out and j not in used:
            out[i] = j
            used.add(j)
    return out


def score(family: Family, tables: list[TableLike]) -> float:
    matched = match(family, tables)
    titles = [squash(t.title or "") for t in tables]
    labels = sum(any(re.search(label, t) for t in titles) for label in family.labels)
    return sum(similarity(family.tables[i].title, tables[j].title) for i, j in matched.items()) \
        + LABEL_WEIGHT * labels


def detect(tables: list[TableLike]) -> Family | None:
    """The family whose standard tables the document's tables overlap best; None below `MIN_SCORE`."""
    scored = [(score(f, tables), f) for f in families()]
    best, found = max(scored, key=lambda sf: sf[0], default=(0.0, None))
    return found if best >= MIN_SCORE else None


def family_id(tables: list[TableLike]) -> str | None:
    """What the store keeps: the detected family's id, or None."""
    found = detect(tables)
    return found.id if found else None


def stated_empty(table: StandardTable, texts: Iterable[str]) -> str | None:
    """The sentence where the disclosure says this table is empty or does not apply, or None."""
    for text in texts:
        for sentence in re.split(r"[。；;\n]", text or ""):
            if "表" in sentence and EMPTY.search(sentence) and (
                    names_kind(sentence, table.kind) or squash(table.title) in squash(sentence)):
                return sentence.strip()
    return None


def missing(family: Family, tables: list[TableLike], texts: Iterable[str]) -> list[StandardTable]:
    """The family's standard tables the document neither carries nor states empty (texts: its narrative
    paragraphs and table notes)."""
    texts = list(texts)
    matched = match(family, tables)
    return [s for i, s in enumerate(family.tables) if i not in matched and stated_empty(s, texts) is None]
