"""决算 disclosures answered from what they state: every item whose 年初预算 and 决算 the narrative gives
(the tables of the national 决算 template print the 决算 column only) is asked back for its 执行率 and its
difference, and the answer must be the stored figures' ratio, with both figures cited.

Generated from the store, not from a gold file: the real 部门决算 PDFs in ../shared/corpus/real/shanghai/
(skipped when absent).
"""
from __future__ import annotations

import re

import pytest

from assistant.pipeline import Assistant
from index.ingest import ingest
from index.read import StoreReader
from index.store import Store
from tests.conftest import CORPUS

FINAL_ACCOUNTS = sorted((CORPUS / "real" / "shanghai").glob("*决算.pdf")) if CORPUS.exists() else []


@pytest.fixture(scope="module")
def final_store(tmp_path_factory):
    if not FINAL_ACCOUNTS:
        pytest.skip(f"real 决算 PDFs not found under {CORPUS / 'real' / 'shanghai'}")
    store = Store(tmp_path_factory.mktemp("final_accounts"))
    report = ingest(FINAL_ACCOUNTS, store, progress=False, workers=1)
    assert not report.failed, [(r.path, r.message) for r in report.failed]
    return store


def _stated_pairs(store: Store) -> list[tuple[str, int, str, float, float]]:
    """(body, year, item, 决算, 年初预算) for every item with both figures stated in one paragraph."""
    reader = StoreReader(store)
    out = []
    for doc in reader.documents():
        facts = reader.facts([doc.id])
        for b in facts:
            if not b.name.endswith("年初预算"):
                continue
            item = b.name[: -len("年初预算")]
            spent = [f for f in facts if f.quote == b.quote and re.fullmatch(re.escape(item) + r"(支出)?决算", f.name)]
            if spent and len(item) >= 4 and b.value:
                out.append((doc.unit_name, doc.year, item, spent[0].value, b.value))
    return out


def test_every_stated_item_answers_its_execution_rate(final_store):
    pairs = _stated_pairs(final_store)
    assert len(pairs) >= 10, pairs  # both documents state 年初预算 and 决算 item by item
    assistant = Assistant(final_store)
    misses = []
    for body, year, item, spent, budget in pairs:
        answer = assistant.ask(f"{body}{year}年{item}的执行率是多少？")
        rates = [f.value for f in answer.figures if f.unit == "%"]
        want = round(spent / budget * 100, 2)
        if answer.status != "answered" or not rates or abs(rates[0] - want) > 0.005:
            misses.append((body, item, want, rates[:1], answer.answer[:80]))
        elif not {spent, budget} <= {f.value for f in answer.figures}:
            misses.append((body, item, "operands not among the figures", answer.answer[:80]))
    assert len(misses) <= len(pairs) // 20, misses  # ≥ 95% of the generated questions


def test_final_minus_initial_budget_is_answered_with_its_formula(final_store):
    body, year, item, spent, budget = _stated_pairs(final_store)[0]
    answer = Assistant(final_store).ask(f"{body}{year}年{item}决算比年初预算少了多少？")
    assert answer.status == "answered"
    assert any(abs(f.value - (spent - budget)) < 0.005 and f.formula for f in answer.figures), answer.answer
