"""Integrity checks for the gold question sets in eval/gold/*.jsonl.

Every line of eval/gold/dev.jsonl and eval/gold/own.jsonl must follow the schema in
../shared/eval/README.md, ids must be unique, every cited quote must be an exact substring of its
corpus file (../shared/corpus/<file>), and every figure of a lookup / narrative_fact answer must be
printed in its quotes unless a `derivation` explains how it was obtained.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "eval" / "gold"
GOLD_FILES = [GOLD_DIR / "dev.jsonl", GOLD_DIR / "own.jsonl"]
CORPUS_DIR = REPO.parent / "shared" / "corpus"

TYPES = {"lookup", "narrative_fact", "explain", "compare", "aggregate", "ratio", "definition", "list", "unanswerable"}
DIFFICULTIES = {"easy", "medium", "hard"}
REQUIRED = {
    "id": str,
    "question": str,
    "type": str,
    "answer_values": list,
    "answer_text": str,
    "must_contain": list,
    "source": dict,
    "difficulty": str,
}
ALLOWED_KEYS = set(REQUIRED) | {"unit_name", "year", "answer_unit", "sources", "derivation"}
SOURCE_KEYS = {"file", "table", "section", "quote"}
NO_VALUE_TYPES = {"explain", "definition", "list", "unanswerable"}
FIGURE_TYPES = {"lookup", "narrative_fact", "compare", "aggregate", "ratio"}
PHRASE_TYPES = {"explain", "definition", "list"}
MAX_QUOTE = 120

_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def strip_separators(text: str) -> str:
    """Remove thousands separators: '15,028.88' -> '15028.88'."""
    return _THOUSANDS.sub("", text)


def numbers_in(text: str) -> set[str]:
    return set(_NUMBER.findall(strip_separators(text)))


def _load(path: Path) -> list[tuple[str, int, object]]:
    rows = []
    if not path.exists():
        return rows
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                rows.append((path.name, lineno, ValueError("blank line")))
                continue
            try:
                rows.append((path.name, lineno, json.loads(line)))
            except json.JSONDecodeError as exc:  # reported by test_line_parses
                rows.append((path.name, lineno, exc))
    return rows


ROWS = [row for path in GOLD_FILES for row in _load(path)]
RECORDS = [(name, lineno, obj) for name, lineno, obj in ROWS if isinstance(obj, dict)]


def _row_id(row) -> str:
    name, lineno, obj = row
    if isinstance(obj, dict) and isinstance(obj.get("id"), str):
        return obj["id"]
    return f"{name}:{lineno}"


def _all_sources(q: dict) -> list[dict]:
    out = [q["source"]]
    for s in q.get("sources") or []:
        if s != q["source"]:
            out.append(s)
    return out


_corpus_cache: dict[str, str] = {}


def corpus_text(file: str) -> str:
    if file not in _corpus_cache:
        _corpus_cache[file] = (CORPUS_DIR / file).read_text(encoding="utf-8")
    return _corpus_cache[file]


def require_corpus() -> None:
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"shared corpus folder not found: {CORPUS_DIR}")


# --------------------------------------------------------------------------- file level


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_gold_file_exists_and_not_empty(path: Path):
    assert path.exists(), f"missing gold file {path}"
    assert _load(path), f"{path} has no questions"


def test_own_set_size_and_spread():
    own = [obj for name, _, obj in RECORDS if name == "own.jsonl"]
    assert len(own) >= 70
    types = {q["type"] for q in own}
    assert types == TYPES, f"types not covered: {TYPES - types}"
    per_file: dict[str, int] = {}
    for q in own:
        files = {s.get("file") for s in _all_sources(q) if isinstance(s, dict) and s.get("file")}
        for f in files:
            per_file[f] = per_file.get(f, 0) + 1
    for f in sorted(p.name for p in CORPUS_DIR.glob("0*.txt")) if CORPUS_DIR.is_dir() else []:
        assert per_file.get(f, 0) >= 10, f"{f}: only {per_file.get(f, 0)} questions"


def test_ids_unique_across_sets():
    seen: dict[str, str] = {}
    dups = []
    for name, lineno, obj in RECORDS:
        qid = obj.get("id")
        if qid in seen:
            dups.append(f"{qid} ({seen[qid]} and {name}:{lineno})")
        seen[qid] = f"{name}:{lineno}"
    assert not dups, "duplicate ids: " + ", ".join(dups)


def test_questions_not_duplicated_across_sets():
    seen: dict[str, str] = {}
    dups = []
    for _, _, obj in RECORDS:
        key = re.sub(r"\s+", "", str(obj.get("question", "")))
        if key in seen:
            dups.append(f"{seen[key]} / {obj.get('id')}")
        seen[key] = obj.get("id")
    assert not dups, "duplicate questions: " + ", ".join(dups)


# --------------------------------------------------------------------------- per question


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_line_parses(row):
    name, lineno, obj = row
    assert isinstance(obj, dict), f"{name}:{lineno} is not a JSON object: {obj!r}"


@pytest.mark.parametrize("row", RECORDS, ids=_row_id)
def test_schema(row):
    name, _, q = row
    for key, typ in REQUIRED.items():
        assert key in q, f"missing field {key!r}"
        assert isinstance(q[key], typ), f"{key!r} should be {typ.__name__}, got {type(q[key]).__name__}"
    for key in ("unit_name", "year", "answer_unit"):
        assert key in q, f"missing field {key!r}"
    extra = set(q) - ALLOWED_KEYS
    assert not extra, f"unknown fields {sorted(extra)}"

    prefix = "d" if name == "dev.jsonl" else "o"
    assert re.fullmatch(prefix + r"\d{3}", q["id"]), f"bad id {q['id']!r}"
    assert q["question"].strip()
    assert q["answer_text"].strip()
    assert q["type"] in TYPES, f"bad type {q['type']!r}"
    assert q["difficulty"] in DIFFICULTIES, f"bad difficulty {q['difficulty']!r}"

    unit = q["unit_name"]
    assert unit is None or isinstance(unit, str) or (
        isinstance(unit, list) and unit and all(isinstance(u, str) and u for u in unit)
    ), f"bad unit_name {unit!r}"
    year = q["year"]
    is_year = lambda y: isinstance(y, int) and not isinstance(y, bool) and 2000 <= y <= 2100  # noqa: E731
    assert is_year(year) or (isinstance(year, list) and year and all(is_year(y) for y in year)), f"bad year {year!r}"
    if isinstance(unit, list) and isinstance(year, list):
        assert len(unit) == len(year), "unit_name and year lists differ in length"
    assert q["answer_unit"] is None or (isinstance(q["answer_unit"], str) and q["answer_unit"])

    values = q["answer_values"]
    assert all(isinstance(v, str) for v in values), "answer_values must be strings"
    for v in values:
        assert "," not in v, f"thousands separator in answer value {v!r}"
        assert _PLAIN_NUMBER.fullmatch(v), f"answer value {v!r} is not a plain number"
    if q["type"] in NO_VALUE_TYPES:
        assert values == [], f"{q['type']} questions must have empty answer_values"
    else:
        assert values, f"{q['type']} questions need answer_values"
        assert q["answer_unit"], "figure answers need an answer_unit"
    if q["type"] == "unanswerable":
        assert q["must_contain"] == [], "unanswerable questions must not require content"
    else:
        assert q["must_contain"], "must_contain is empty"
    assert all(isinstance(m, str) and m for m in q["must_contain"]), "must_contain must be non-empty strings"

    if "derivation" in q:
        assert isinstance(q["derivation"], str) and q["derivation"].strip()

    sources = [q["source"]]
    if "sources" in q:
        assert isinstance(q["sources"], list) and q["sources"], "sources must be a non-empty list"
        assert q["source"] in q["sources"], "source must be one of sources"
        sources = q["sources"]
    for s in sources:
        assert isinstance(s, dict), f"source is not an object: {s!r}"
        assert set(s) == SOURCE_KEYS, f"source keys {sorted(s)} != {sorted(SOURCE_KEYS)}"
        for key in ("table", "section"):
            assert s[key] is None or (isinstance(s[key], str) and s[key]), f"bad source {key} {s[key]!r}"
        if s["file"] is None:
            assert q["type"] == "unanswerable", "only unanswerable questions may cite no file"
            assert s["quote"] in (None, ""), "a quote needs a file"
        else:
            assert isinstance(s["file"], str) and s["file"].endswith(".txt"), f"bad file {s['file']!r}"
            assert isinstance(s["quote"], str) and s["quote"], "quote must be a non-empty string"
            assert len(s["quote"]) <= MAX_QUOTE, f"quote longer than {MAX_QUOTE} characters ({len(s['quote'])})"
    if q["type"] in {"compare"}:
        assert isinstance(unit, list) and len(unit) >= 2, "compare questions name at least two units"


@pytest.mark.parametrize("row", RECORDS, ids=_row_id)
def test_quotes_are_in_corpus(row):
    require_corpus()
    q = row[2]
    for s in _all_sources(q):
        if not isinstance(s, dict) or not s.get("file"):
            continue
        path = CORPUS_DIR / s["file"]
        assert path.exists(), f"cited file {s['file']} does not exist"
        assert s["quote"] in corpus_text(s["file"]), f"quote not found in {s['file']}: {s['quote']!r}"


# A `derivation` (column of a flattened row, 0 for an empty table, ...) exempts a value from this check.
@pytest.mark.parametrize(
    "row",
    [r for r in RECORDS if r[2].get("type") in ("lookup", "narrative_fact") and not r[2].get("derivation")],
    ids=_row_id,
)
def test_lookup_values_are_printed_in_quotes(row):
    q = row[2]
    printed = set()
    for s in _all_sources(q):
        if isinstance(s, dict) and isinstance(s.get("quote"), str):
            printed |= numbers_in(s["quote"])
    missing = [v for v in q["answer_values"] if v not in printed]
    assert not missing, f"answer values {missing} not printed in the quotes (numbers there: {sorted(printed)})"


@pytest.mark.parametrize("row", [r for r in RECORDS if r[2].get("type") in FIGURE_TYPES], ids=_row_id)
def test_figures_are_required_answers(row):
    q = row[2]
    required = {strip_separators(m) for m in q["must_contain"]}
    missing = [v for v in q["answer_values"] if v not in required]
    assert not missing, f"answer values {missing} are not in must_contain"


@pytest.mark.parametrize("row", [r for r in RECORDS if r[2].get("type") in PHRASE_TYPES], ids=_row_id)
def test_phrases_are_copied_from_cited_documents(row):
    require_corpus()
    q = row[2]
    texts = [corpus_text(s["file"]) for s in _all_sources(q) if isinstance(s, dict) and s.get("file")]
    assert texts, "no cited document"
    missing = [m for m in q["must_contain"] if not any(m in t for t in texts)]
    assert not missing, f"must_contain phrases not found verbatim in the cited document(s): {missing}"
