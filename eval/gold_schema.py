"""Gold question files (JSON Lines): load and validate, naming the file and line of any problem.

The schema is described in ../shared/eval/README.md. A blank line is skipped; anything else that is
not a well-formed gold item (bad JSON, a missing field, a field of the wrong type, an unknown
`type`, a repeated `id`) raises `GoldError("FILE: line N: problem")`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

TYPES = ("lookup", "narrative_fact", "explain", "compare", "aggregate", "ratio", "definition", "list", "unanswerable")
DIFFICULTIES = ("easy", "medium", "hard")


class GoldError(ValueError):
    """A gold file that cannot be used; the message names the file, the line and the problem."""


@dataclass
class GoldItem:
    id: str
    question: str
    type: str
    unit_name: str | list | None
    year: int | list | None
    answer_values: list[str]
    answer_unit: str | None
    answer_text: str
    must_contain: list[str]
    source: dict
    sources: list[dict] = field(default_factory=list)
    derivation: str | None = None
    difficulty: str = "unknown"
    line: int = 0

    @property
    def units(self) -> list[str]:
        if self.unit_name is None:
            return []
        return list(self.unit_name) if isinstance(self.unit_name, list) else [self.unit_name]

    @property
    def years(self) -> list[int]:
        if self.year is None:
            return []
        return list(self.year) if isinstance(self.year, list) else [self.year]

    @property
    def all_sources(self) -> list[dict]:
        return self.sources or [self.source]


def _is_str(v) -> bool:
    return isinstance(v, str)


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _str_list(v) -> bool:
    return isinstance(v, list) and all(_is_str(x) for x in v)


# field -> (required, check, what the check wants)
FIELDS = {
    "id": (True, lambda v: _is_str(v) and v.strip() != "", "a non-empty string"),
    "question": (True, lambda v: _is_str(v) and v.strip() != "", "a non-empty string"),
    "type": (True, _is_str, "a string"),
    "answer_values": (True, _str_list, "a list of strings"),
    "must_contain": (True, _str_list, "a list of strings"),
    "source": (True, lambda v: isinstance(v, dict), "an object"),
    "unit_name": (False, lambda v: v is None or _is_str(v) or (_str_list(v) and v != []),
                  "a string, a non-empty list of strings or null"),
    "year": (False, lambda v: v is None or _is_int(v) or (isinstance(v, list) and v != [] and all(map(_is_int, v))),
             "an integer, a non-empty list of integers or null"),
    "answer_unit": (False, lambda v: v is None or _is_str(v), "a string or null"),
    "answer_text": (False, _is_str, "a string"),
    "sources": (False, lambda v: v is None or (isinstance(v, list) and all(isinstance(x, dict) for x in v)),
                "a list of objects"),
    "derivation": (False, lambda v: v is None or _is_str(v), "a string or null"),
    "difficulty": (False, _is_str, "a string"),
}


def _type_name(v) -> str:
    return "null" if v is None else {"str": "string", "int": "integer", "float": "number", "bool": "boolean",
                                     "list": "list", "dict": "object"}.get(type(v).__name__, type(v).__name__)


def _check_source(src: dict, where: str, label: str) -> None:
    """A citation: file/table/section/quote are strings or null; `page` (real PDFs) a page number or null."""
    for key in ("file", "table", "section", "quote"):
        if src.get(key) is not None and not _is_str(src[key]):
            raise GoldError(f"{where}: field '{label}.{key}' should be a string or null")
    page = src.get("page")
    if page is not None and not (_is_int(page) and page >= 1):
        raise GoldError(f"{where}: field '{label}.page' should be a page number (1, 2, ...) or null, got {page!r:.20}")


def parse_item(obj, where: str, line: int = 0) -> GoldItem:
    if not isinstance(obj, dict):
        raise GoldError(f"{where}: expected a JSON object, got {_type_name(obj)}")
    for key, (required, ok, wanted) in FIELDS.items():
        if key not in obj:
            if required:
                raise GoldError(f"{where}: missing field '{key}'")
            continue
        if not ok(obj[key]):
            raise GoldError(f"{where}: field '{key}' should be {wanted}, got {_type_name(obj[key])} {obj[key]!r:.60}")
    if obj["type"] not in TYPES:
        raise GoldError(f"{where}: unknown type '{obj['type']}' (expected one of {', '.join(TYPES)})")
    _check_source(obj["source"], where, "source")
    for i, src in enumerate(obj.get("sources") or []):
        _check_source(src, where, f"sources[{i}]")
    return GoldItem(
        id=obj["id"], question=obj["question"], type=obj["type"], unit_name=obj.get("unit_name"),
        year=obj.get("year"), answer_values=obj["answer_values"], answer_unit=obj.get("answer_unit"),
        answer_text=obj.get("answer_text", ""), must_contain=obj["must_contain"], source=obj["source"],
        sources=obj.get("sources") or [], derivation=obj.get("derivation"),
        difficulty=obj.get("difficulty") or "unknown", line=line)


def load_gold(path: str | Path) -> list[GoldItem]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GoldError(f"{path}: no such file") from None
    except UnicodeDecodeError as e:
        raise GoldError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    items: list[GoldItem] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}: line {n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise GoldError(f"{where}: not valid JSON ({e.msg} at column {e.colno})") from None
        item = parse_item(obj, where, n)
        if item.id in seen:
            raise GoldError(f"{where}: duplicate id '{item.id}' (first on line {seen[item.id]})")
        seen[item.id] = n
        items.append(item)
    if not items:
        raise GoldError(f"{path}: no gold questions in the file")
    return items
