"""Gold question files (JSON Lines): load and validate, naming the line of any problem."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

TYPES = {"lookup", "narrative_fact", "explain", "compare", "aggregate", "ratio", "definition", "list", "unanswerable"}
REQUIRED = {"id": str, "question": str, "type": str, "answer_values": list, "must_contain": list, "source": dict}


class GoldError(ValueError):
    pass


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

    @property
    def units(self) -> list[str]:
        if self.unit_name is None:
            return []
        return self.unit_name if isinstance(self.unit_name, list) else [self.unit_name]

    @property
    def years(self) -> list[int]:
        if self.year is None:
            return []
        return self.year if isinstance(self.year, list) else [self.year]

    @property
    def all_sources(self) -> list[dict]:
        return self.sources or [self.source]


def load_gold(path: str | Path) -> list[GoldItem]:
    items = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}: line {n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise GoldError(f"{where}: not valid JSON ({e.msg})") from None
        if not isinstance(obj, dict):
            raise GoldError(f"{where}: expected a JSON object")
        for key, kind in REQUIRED.items():
            if key not in obj:
                raise GoldError(f"{where}: missing field '{key}'")
            if not isinstance(obj[key], kind):
                raise GoldError(f"{where}: field '{key}' should be {kind.__name__}")
        if obj["type"] not in TYPES:
            raise GoldError(f"{where}: unknown type '{obj['type']}'")
        if not all(isinstance(v, str) for v in obj["answer_values"]):
            raise GoldError(f"{where}: answer_values must be strings")
        items.append(GoldItem(
            id=obj["id"], question=obj["question"], type=obj["type"], unit_name=obj.get("unit_name"),
            year=obj.get("year"), answer_values=obj["answer_values"], answer_unit=obj.get("answer_unit"),
            answer_text=obj.get("answer_text", ""), must_contain=obj["must_contain"], source=obj["source"],
            sources=obj.get("sources") or [], derivation=obj.get("derivation"),
            difficulty=obj.get("difficulty", "unknown")))
    return items
