"""Generated suites over the five text exports: every cell asked back, operations, unanswerables.

The questions come from the store alone (`eval/suites`), never from the answering code or a gold
set, so these thresholds (issue 12: cells ≥ 99.5 %, operations ≥ 99 %, unanswerables 100 % refused
with no figure) measure whether answers generalise. The cell and operation suites run a seeded
stratified sample that keeps every table kind and phrasing; `python -m eval.suites` runs them all.
The other tests here check the generators themselves against the store with SQL.
"""
from __future__ import annotations

import re

import pytest

from assistant.answer import Answer, Figure
from eval.suites import generate_from, load_corpus, stratified_sample
from eval.suites.aliases import alias_table, unit_aliases
from eval.suites.cases import COUNT, RANKING, REFUSAL, TOP, VALUE, Case, Expected, Ranked, number
from eval.suites.cells import PHRASINGS
from eval.suites.judge import judge
from eval.suites.names import clean_label, norm, short_title
from eval.suites.report import run_cases
from tests.conftest import CORPUS

CELL_SAMPLE = 800
OPERATION_SAMPLE = 350


@pytest.fixture(scope="module")
def corpus(text_store):
    return load_corpus(text_store)


@pytest.fixture(scope="module")
def suites(corpus):
    return generate_from(corpus, ("cells", "operations", "unanswerable"))


def answers_from(store):
    from assistant.router import ask

    return lambda question: ask(question, store.data_dir)


def score(cases, store) -> tuple[float, str]:
    results = run_cases(cases, answers_from(store))
    misses = [r for r in results if not r.verdict.correct]
    listing = "\n".join(f"[{r.case.phrasing}] {r.case.question} → {r.verdict.reason}" for r in misses[:20])
    return 1 - len(misses) / len(results), f"{len(misses)} of {len(results)} missed:\n{listing}"


# ---- the suites against the answerer --------------------------------------------------------------

def test_cells_are_returned_exactly(suites, text_store):
    cases = stratified_sample(suites["cells"].cases, CELL_SAMPLE, seed=0)
    assert {c.phrasing for c in cases} == {c.phrasing for c in suites["cells"].cases}
    assert {c.stratum for c in cases} == {c.stratum for c in suites["cells"].cases}
    rate, report = score(cases, text_store)
    assert rate >= 0.995, report


def test_operations_are_computed(suites, text_store):
    cases = stratified_sample(suites["operations"].cases, OPERATION_SAMPLE, seed=0)
    assert {c.phrasing for c in cases} == {c.phrasing for c in suites["operations"].cases}
    rate, report = score(cases, text_store)
    assert rate >= 0.99, report


def test_unanswerables_are_refused_without_a_figure(suites, text_store):
    rate, report = score(suites["unanswerable"].cases, text_store)
    assert rate == 1.0, report


# ---- the generators against the store --------------------------------------------------------------

def test_every_printed_cell_is_asked_or_counted_as_not_determined(suites, text_store):
    printed = text_store.query("SELECT COUNT(*) AS n FROM cells WHERE raw != '' AND value IS NOT NULL")[0]["n"]
    cells = suites["cells"]
    assert cells.items == printed
    assert cells.covered >= 0.98 * printed
    assert {c.phrasing for c in cells.cases} == set(PHRASINGS)
    assert len({c.stratum for c in cells.cases}) >= 8  # every kind of table in the five documents


def test_each_cell_question_names_a_value_the_figures_view_holds(suites, text_store):
    for case in stratified_sample(suites["cells"].cases, 300, seed=1):
        e = case.expected
        rows = text_store.query("SELECT value FROM figures WHERE unit_name = ? AND year = ? AND table_title = ?"
                                " AND row_label = ? AND column_path = ?", (e.unit_name, e.year, e.table, e.row,
                                                                          e.column))
        assert any(abs(r["value"] - e.value) < 1e-9 for r in rows), case.question


def test_a_row_label_repeated_with_other_values_is_not_asked_by_label(suites, text_store):
    """Two rows of one table cleaning to one label with different amounts: no label phrasing asks it."""
    values: dict[tuple, set] = {}
    for r in text_store.query("SELECT unit_name, table_title, row_label, column_path, value FROM figures"
                              " WHERE value IS NOT NULL"):
        key = (r["unit_name"], r["table_title"], norm(clean_label(r["row_label"])), r["column_path"])
        values.setdefault(key, set()).add(r["value"])
    repeated = {k for k, v in values.items() if len(v) > 1 and k[2]}
    assert repeated, "the sample documents have such rows (e.g. under 本年收入 and 上年结转)"
    for case in suites["cells"].cases:
        e = case.expected
        if case.phrasing in ("title", "title_short", "table_number", "row_column", "unit_alias", "colloquial"):
            key = (e.unit_name, e.table, norm(clean_label(e.row)), e.column)
            assert key not in repeated, case.question


def test_operation_figures_follow_from_their_inputs(suites):
    for case in suites["operations"].cases:
        e = case.expected
        if e.check == VALUE and e.formula:
            expression = e.formula.replace("−", "-").replace("×", "*").replace("|", "")
            computed = abs(eval(expression, {})) if e.either_sign else eval(expression, {})  # noqa: S307
            assert abs(round(computed, 2) - (abs(e.value) if e.either_sign else e.value)) <= 0.0051, case.question
        elif e.check == COUNT:
            threshold = float(re.search(r"> (\S+)", e.formula).group(1))
            assert f"超过{number(threshold)}" in case.question
        elif e.check == RANKING:
            assert [r.value for r in e.ranking] == sorted((r.value for r in e.ranking), reverse=True)


def test_comparisons_of_different_years_or_kinds_must_say_so(suites):
    differences = [c for c in suites["operations"].cases if c.phrasing.startswith("difference")]
    cross = [c for c in differences if c.stratum == "cross_year"]
    assert cross and all(len(c.expected.mentions) >= 2 for c in cross)
    assert any(("部门预算",) in c.expected.mentions for c in differences)  # 昌吉 is a 部门预算, the others 单位预算


def test_unanswerable_substitutes_are_absent_from_the_store(suites, text_store):
    units = {r["unit_name"] for r in text_store.query("SELECT unit_name FROM documents")}
    years = {r["year"] for r in text_store.query("SELECT year FROM documents")}
    kinds = {c.phrasing for c in suites["unanswerable"].cases}
    assert {"unit_other_place", "unit_other_body", "year_absent", "fund_absent", "execution_absent",
            "per_capita_absent", "measure_elsewhere"} <= kinds
    for case in suites["unanswerable"].cases:
        assert not any(case.question.startswith(u + str(y)) for u in units for y in years
                       if case.phrasing in ("unit_other_place", "unit_other_body", "year_absent")), case.question
        if case.phrasing == "year_absent":
            assert not any(f"{y}年" in case.question for y in years), case.question
        if case.phrasing == "fund_absent":
            fund = case.expected.formula.rsplit(" ", 1)[-1]
            assert not text_store.query("SELECT 1 FROM sections WHERE text LIKE ?", (f"%{fund}%",)), fund


def test_generators_run_on_real_pdfs_of_other_families(tmp_path):
    """No document-specific name in the generators: a Jiangsu and a Shanghai disclosure work as well."""
    from index.ingest import ingest
    from index.store import Store

    def first(family: str, pattern: str):
        found = sorted(p for p in (CORPUS / "real" / family).rglob(pattern) if "文件" not in p.name)
        return found[0] if found else None

    picks = [first("jiangsu", "*.pdf"), first("shanghai", "*单位*预算.pdf")]
    if not all(picks):
        pytest.skip("real PDFs not found beside the repository")
    store = Store(tmp_path / "real")
    ingest(picks, store, progress=False, workers=1)
    suites = generate_from(load_corpus(store), ("cells", "operations", "unanswerable", "fuzz"), fuzz_count=50)
    assert len(suites["cells"].cases) > 500 and suites["cells"].covered > 0.8 * suites["cells"].items
    assert suites["unanswerable"].cases and len(suites["fuzz"].cases) == 50
    assert {c.stratum for c in suites["cells"].cases} >= {"收支总体", "一般公共预算基本支出"}


# ---- the rules: aliases, titles, judging --------------------------------------------------------------

def test_unit_aliases_follow_general_naming_rules():
    assert {"伊犁州社保中心", "伊犁社会保险中心"} <= set(unit_aliases("伊犁哈萨克自治州社会保险中心"))
    assert "阿克苏教育局" in unit_aliases("阿克苏地区教育局")
    assert {"石河子社保局", "石河子市社保局"} <= set(unit_aliases("石河子市社会保险管理局"))
    assert "哈市财政局" not in unit_aliases("哈密市财政局")  # a one-character city form only for long names
    assert {"省检察院", "省人民检察院"} <= set(unit_aliases("浙江省人民检察院"))
    assert {"静安区商务委", "静安商务委员会"} <= set(unit_aliases("上海市静安区商务委员会"))


def test_an_alias_two_units_could_claim_is_dropped():
    table = alias_table(["昌吉市社会保险中心", "昌吉回族自治州社会保险中心"])
    assert "昌吉社保中心" not in table["昌吉市社会保险中心"] + table["昌吉回族自治州社会保险中心"]
    assert "昌吉州社保中心" in table["昌吉回族自治州社会保险中心"]


def test_short_titles_drop_prefix_and_suffix_only():
    assert short_title("部门收支总体情况表") == "收支总体"
    assert short_title("2024年部门收入预算总表") == "收入预算"
    assert short_title("财政拨款支出预算表（功能科目）") == "财政拨款支出"
    assert short_title("表") == "表"


def _answer(*figures, status="answered", text=""):
    return Answer("q", text, status, list(figures))


def _figure(value, unit="万元", unit_name="甲单位", year=2025, **kw):
    return Figure(value, unit, unit_name, year, kw.get("table"), kw.get("row"), kw.get("column"))


def _case(expected):
    return Case("test", "p", "s", "q", expected)


def test_judge_accepts_the_same_amount_in_another_money_unit_only_as_figure_one():
    exp = Expected(VALUE, value=12.34, unit="万元", unit_name="甲单位", year=2025)
    assert judge(_case(exp), _answer(_figure(123400, "元"))).correct
    assert not judge(_case(exp), _answer(_figure(1.0), _figure(12.34))).correct
    assert not judge(_case(exp), _answer(_figure(12.34, unit_name="乙单位"))).correct
    assert not judge(_case(exp), _answer(_figure(12.34, year=2024))).correct
    assert not judge(_case(exp), _answer(_figure(12.34, "%"))).correct
    assert not judge(_case(exp), _answer(_figure(12.34), status="ambiguous")).correct


def test_judge_of_refusals_rankings_counts_and_differences():
    refusal = _case(Expected(REFUSAL))
    assert judge(refusal, _answer(status="not_found")).correct
    assert not judge(refusal, _answer(_figure(0.0), status="not_found")).correct
    assert not judge(refusal, _answer(status="answered")).correct
    assert not judge(refusal, None, error=IndexError("x")).correct
    ranking = _case(Expected(RANKING, unit="万元", ranking=(Ranked("甲", 2025, 5.0), Ranked("乙", 2025, 3.0))))
    assert judge(ranking, _answer(_figure(5.0, unit_name="甲"), _figure(3.0, unit_name="乙"))).correct
    assert not judge(ranking, _answer(_figure(3.0, unit_name="乙"), _figure(5.0, unit_name="甲"))).correct
    assert judge(_case(Expected(COUNT, value=2)), _answer(_figure(2, "个"))).correct
    top = _case(Expected(TOP, value=5.0, unit="万元", unit_name="甲", year=2025))
    assert not judge(top, _answer(_figure(5.0, unit_name="乙"))).correct
    diff = _case(Expected(VALUE, value=-3.0, unit="万元", either_sign=True, mentions=(("2025",), ("2024",))))
    assert judge(diff, _answer(_figure(3.0), text="2025年比2024年少 3.00 万元")).correct
    assert not judge(diff, _answer(_figure(3.0), text="少 3.00 万元")).correct


def test_stratified_sample_keeps_every_stratum_and_phrasing():
    cases = [Case("s", f"p{i % 3}", f"k{i % 5}", str(i), Expected(REFUSAL)) for i in range(1000)]
    cases.append(Case("s", "rare", "k9", "x", Expected(REFUSAL)))
    sample = stratified_sample(cases, 60, seed=3)
    assert {(c.stratum, c.phrasing) for c in sample} == {(c.stratum, c.phrasing) for c in cases}
    assert 50 <= len(sample) <= 80
    assert [c.question for c in sample] == [c.question for c in stratified_sample(cases, 60, seed=3)]
