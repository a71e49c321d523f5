"""Disclosure template families, read from the data files in `index/templates/*.toml`.

Provinces and years publish the same disclosure with different sets of standard tables (新疆 11 表,
江苏 公开01—12表, 上海 9 表, the national 部门决算 9 表 …). Each family is one TOML file — its name, the
printed wordings that tell it apart, its standard tables in order (printed title, kind from
`index.kinds`, value columns) and the balance rules of its own template — so adding a family is adding
a file (and a test), never code. This module only reads them; `index.conformance` matches a document to
them and the audit checks their rules.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from index.kinds import KIND_PATTERNS

TEMPLATES = Path(__file__).with_name("templates")
KINDS = {kind for kind, _ in KIND_PATTERNS}


@dataclass(frozen=True)
class StandardTable:
    title: str  # the printed title, without 部门/单位 and year
    kind: str  # a kind of index.kinds
    columns: tuple[str, ...] = ()  # the value columns the table prints in this family


@dataclass(frozen=True)
class Balance:
    """One row of a table = the sum of other rows, in every value column of the row."""

    kind: str
    total: str  # regular expressions over the row label (numbering removed)
    parts: tuple[str, ...]
    side: str | None = None


@dataclass(frozen=True)
class RowIdentity:
    """In every row of a table: column `result` = Σ `plus` − Σ `minus` (columns by their last segment)."""

    kind: str
    result: str
    plus: tuple[str, ...]
    minus: tuple[str, ...] = ()


@dataclass(frozen=True)
class Family:
    id: str  # the file name: what the store keeps
    name: str  # what users read
    budget_kind: str  # 预算 / 决算
    tables: tuple[StandardTable, ...]
    labels: tuple[str, ...] = ()  # printed wordings (regular expressions over titles) only this family uses
    balances: tuple[Balance, ...] = ()
    row_identities: tuple[RowIdentity, ...] = ()
    same_figures: tuple[tuple[str, tuple[dict, ...]], ...] = field(default=())  # (name, cells), see the files
    stated_figures: tuple[dict, ...] = ()  # {pattern, kind, row, column, side}: a narrative total and its cell


def _family(path: Path) -> Family:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    tables = tuple(StandardTable(t["title"], t["kind"], tuple(t.get("columns", ()))) for t in data["tables"])
    unknown = sorted({t.kind for t in tables} - KINDS)
    if unknown:
        raise ValueError(f"{path.name}: unknown table kinds {unknown} (see index/kinds.py)")
    return Family(
        id=path.stem, name=data["name"], budget_kind=data["budget_kind"], tables=tables,
        labels=tuple(data.get("labels", ())),
        balances=tuple(Balance(b["kind"], b["total"], tuple(b["parts"]), b.get("side"))
                       for b in data.get("balances", ())),
        row_identities=tuple(RowIdentity(r["kind"], r["result"], tuple(r["plus"]), tuple(r.get("minus", ())))
                             for r in data.get("row_identities", ())),
        same_figures=tuple((s["name"], tuple(s["cells"])) for s in data.get("same_figures", ())),
        stated_figures=tuple(data.get("stated_figures", ())))


@lru_cache(maxsize=1)
def families() -> tuple[Family, ...]:
    """Every family, in file-name order."""
    return tuple(_family(p) for p in sorted(TEMPLATES.glob("*.toml")))


def family(family_id: str | None) -> Family | None:
    return next((f for f in families() if f.id == family_id), None)


def family_name(family_id: str | None) -> str:
    """The family as users read it; "未识别" when none was recognised."""
    found = family(family_id)
    return found.name if found else "未识别"
