"""The gold questions on the real PDFs (eval/gold/real.jsonl) say only what their cited pages say.

Every item must pass the project's gold validator. Against ../shared/corpus/real/ (skipped when it
is absent): every quote of `source` and `sources` is on the cited page of the cited PDF, compared with
whitespace removed and Kangxi radicals mapped back; every answer figure is printed on a cited page
(thousands separators removed, compared as numbers), unless a `derivation` computes it, and then every
operand of that derivation is printed on a cited page; every phrase an explain / definition / list
answer must contain is on a cited page. Page text comes from pdfplumber, each PDF opened once and
only its cited pages read.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from eval.gold_schema import TYPES, GoldError, load_gold
from index.chars import normalize_text

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "eval" / "gold" / "real.jsonl"
CORPUS = REPO.parent / "shared" / "corpus"
REAL = CORPUS / "real"
FAMILIES = ("real/jiangsu/", "real/shanghai/")
PHRASE_TYPES = {"explain", "definition", "list"}
NO_VALUE_TYPES = {"explain", "definition", "list", "unanswerable"}

ITEMS = load_gold(GOLD)

_SPACE = re.compile(r"\s+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")
_SCALES = {Decimal(100), Decimal(10000)}  # "× 100" for a percentage, "÷ 10000" for 元 -> 万元


def squash(text: str) -> str:
    return _SPACE.sub("", normalize_text(text))


def numbers(text: str) -> set[Decimal]:
    return {Decimal(n) for n in _NUMBER.findall(_THOUSANDS.sub("", normalize_text(text)))}


def derivation_parts(derivation: str | None) -> tuple[set[Decimal], list[Decimal]]:
    """(results, operands) of formulas like `a − b = c；c ÷ d × 100 = e`.

    The first number after the last `=` of each formula is its result; every number before it is an
    operand, except years (`2024年`) and the scale constants 100 / 10000 after × or ÷.
    """
    results: set[Decimal] = set()
    operands: list[Decimal] = []
    for formula in re.split(r"[；;]", derivation or ""):
        parts = formula.split("=")
        if len(parts) < 2:
            continue
        result = _NUMBER.search(parts[-1])
        if result:
            results.add(Decimal(result.group()))
        for part in parts[:-1]:
            for m in _NUMBER.finditer(part):
                value = Decimal(m.group())
                if part[m.end():m.end() + 1] == "年":
                    continue
                if part[:m.start()].rstrip()[-1:] in ("×", "÷") and value in _SCALES:
                    continue
                operands.append(value)
    return results, operands


def cited(item) -> list[dict]:
    return [s for s in item.all_sources if s.get("file")]


# --------------------------------------------------------------------------- the set itself

def test_set_size_ids_and_coverage():
    assert len(ITEMS) >= 60
    assert [g.id for g in ITEMS] == [f"r{n:03d}" for n in range(1, len(ITEMS) + 1)]
    for family in FAMILIES:
        types = {g.type for g in ITEMS if any(s["file"].startswith(family) for s in cited(g))}
        assert types == set(TYPES), f"{family}: types not covered: {set(TYPES) - types}"
    files = {s["file"] for g in ITEMS for s in cited(g)}
    if REAL.is_dir():
        on_disk = {str(p.relative_to(CORPUS)) for p in REAL.rglob("*.pdf")}
        assert files <= on_disk, f"cited files not in the corpus: {sorted(files - on_disk)}"
        assert on_disk <= files, f"files no question cites: {sorted(on_disk - files)}"


@pytest.mark.parametrize("page", [0, "7", 2.0])
def test_validator_rejects_a_page_that_is_not_a_page_number(tmp_path, page):
    obj = json.loads(GOLD.read_text(encoding="utf-8").splitlines()[1])
    obj["sources"][1]["page"] = page
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(obj, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match=r"line 1: field 'sources\[1\]\.page' should be a page number"):
        load_gold(bad)


@pytest.mark.parametrize("item", ITEMS, ids=lambda g: g.id)
def test_item_shape(item):
    assert item.difficulty in ("easy", "medium", "hard")
    assert item.answer_text.strip()
    for v in item.answer_values:
        assert re.fullmatch(r"-?\d+(?:\.\d+)?", v), f"answer value {v!r} is not a plain number"
    if item.type in NO_VALUE_TYPES:
        assert item.answer_values == []
    else:
        assert item.answer_values and item.answer_unit
    if item.type == "unanswerable":
        assert item.must_contain == []
    else:
        assert item.must_contain
    if item.sources:
        assert item.source in item.sources
    for s in item.all_sources:
        if s.get("file") is None:
            assert item.type == "unanswerable" and not s.get("quote")
            continue
        assert s["file"].startswith(FAMILIES) and s["file"].endswith(".pdf"), s["file"]
        assert isinstance(s.get("page"), int) and s["page"] >= 1, f"{s['file']}: page {s.get('page')!r}"
        assert s.get("quote") and len(s["quote"]) <= 120, f"bad quote {s.get('quote')!r}"


# --------------------------------------------------------------------------- against the PDFs

@pytest.fixture(scope="module")
def page_texts():
    """{(file, page): [texts]}: pdfplumber's text of every cited page.

    Some WPS exports print digits a few points off the baseline of the characters around them, so the
    default line grouping puts every number on a line of its own; the same page grouped with a looser
    y tolerance is kept beside it.
    """
    if not REAL.is_dir():
        pytest.skip(f"real corpus not found at {REAL}")
    import pdfplumber

    wanted: dict[str, set[int]] = {}
    for item in ITEMS:
        for s in cited(item):
            wanted.setdefault(s["file"], set()).add(s["page"])
    texts: dict[tuple[str, int], list[str]] = {}
    for file, pages in wanted.items():
        with pdfplumber.open(CORPUS / file) as pdf:
            for n in pages:
                assert 1 <= n <= len(pdf.pages), f"{file} has {len(pdf.pages)} pages, cited page {n}"
                page = pdf.pages[n - 1]
                texts[(file, n)] = [page.extract_text() or "", page.extract_text(y_tolerance=6) or ""]
    return texts


def _pages_of(item, page_texts) -> list[str]:
    return [t for s in cited(item) for t in page_texts[(s["file"], s["page"])]]


@pytest.mark.parametrize("item", ITEMS, ids=lambda g: g.id)
def test_quotes_on_cited_pages(item, page_texts):
    for s in cited(item):
        variants = page_texts[(s["file"], s["page"])]
        assert any(squash(s["quote"]) in squash(t) for t in variants), \
            f"quote not on {s['file']} p.{s['page']}: {s['quote']!r}"


@pytest.mark.parametrize("item", [g for g in ITEMS if g.answer_values or g.derivation], ids=lambda g: g.id)
def test_figures_on_cited_pages(item, page_texts):
    printed = set().union(*(numbers(t) for t in _pages_of(item, page_texts)))
    results, operands = derivation_parts(item.derivation)
    missing = [str(v) for v in operands if v not in printed and v not in results]
    assert not missing, f"derivation operands not printed on a cited page: {missing}"
    missing = [v for v in item.answer_values if Decimal(v) not in printed and Decimal(v) not in results]
    assert not missing, f"answer values neither printed on a cited page nor derived: {missing}"


@pytest.mark.parametrize("item", [g for g in ITEMS if g.type in PHRASE_TYPES], ids=lambda g: g.id)
def test_phrases_on_cited_pages(item, page_texts):
    pages = [squash(t) for t in _pages_of(item, page_texts)]
    missing = [m for m in item.must_contain if not any(squash(m) in p for p in pages)]
    assert not missing, f"must_contain phrases not on a cited page: {missing}"


def test_derivation_parts():
    assert derivation_parts("上年预算 = 9101.68 + 2389.52 = 11491.20；2389.52 ÷ 11491.20 × 100 = 20.79") == (
        {Decimal("11491.20"), Decimal("20.79")},
        [Decimal("9101.68"), Decimal("2389.52"), Decimal("2389.52"), Decimal("11491.20")])
    assert derivation_parts("2024年减2023年：1710062.00 ÷ 10000 = 171.01") == (
        {Decimal("171.01")}, [Decimal("1710062.00")])
    assert derivation_parts(None) == (set(), [])
