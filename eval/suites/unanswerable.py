"""Questions next to answerable ones that the store cannot answer: a correct reply refuses, with no figure.

Each starts from a headline amount a document does print (a table's total) and substitutes one
thing the store does not hold, checked against the store's own vocabulary: a unit of another
place, another body of the same place, a year no document covers or mentions, a fund the document
never names, execution figures (决算数, 执行率) of a budget, a per-capita figure over a population
the document never counts, a subject another document prints but this one never mentions. The
word lists below are substitutes, not the documents' own names: each is used only where the store
shows it absent.
"""
from __future__ import annotations

from eval.suites.aliases import place_forms, split_unit
from eval.suites.cases import REFUSAL, Case, Expected, Generated
from eval.suites.cells import document_phrase
from eval.suites.corpus import Corpus, Doc
from eval.suites.names import clean_label, code_level, column_leaf, has_printed_name, norm, short_title
from eval.suites.references import CellIndex

PLACES = ["吐鲁番市", "哈密市", "克拉玛依市", "库尔勒市", "阿克苏地区", "喀什地区", "和田地区", "塔城地区",
          "阿勒泰地区", "伊犁哈萨克自治州", "博尔塔拉蒙古自治州", "克孜勒苏柯尔克孜自治州", "轮台县", "尉犁县",
          "若羌县", "且末县", "博湖县", "和硕县", "南京市", "无锡市", "徐州市", "常州市", "南通市", "扬州市",
          "浙江省", "安徽省", "山东省", "徐汇区", "静安区", "黄浦区", "长宁区", "闵行区"]
BODIES = ["财政局", "教育局", "民政局", "审计局", "统计局", "医疗保障局", "卫生健康委员会", "人力资源和社会保障局",
          "住房和城乡建设局", "交通运输局", "农业农村局", "市场监督管理局"]
FUNDS = ["社会保险基金预算收入", "社保基金收入", "社会保险基金结余", "地方政府专项债券资金", "彩票公益金收入",
         "国有土地使用权出让收入", "债务转贷收入", "中央预算内投资"]
EXECUTION = [("决算数", "{table}的决算数是多少？"), ("执行率", "{table}的预算执行率是多少？"),
             ("实际支出", "{table}实际支出了多少？")]
POPULATIONS = ["常住人口", "户籍人口", "服务人口", "在校学生", "床位数"]


def generate_unanswerables(corpus: Corpus, index: CellIndex | None = None) -> Generated:
    index = index or CellIndex(corpus)
    out = Generated("unanswerable")
    units = sorted({d.unit_name for d in corpus.docs.values()})
    years = {d.year for d in corpus.docs.values() if d.year}
    for n, doc in enumerate(sorted(corpus.docs.values(), key=lambda d: d.id)):
        measures = headline_measures(doc, corpus, index)
        if not measures:
            continue
        out.items += 1
        words = norm(corpus.words.get(doc.id, ""))
        before = len(out.cases)
        _other_places(out, corpus, doc, measures, units, n)
        _other_bodies(out, corpus, doc, measures, units, n)
        _absent_years(out, corpus, doc, measures, years, words)
        _absent_terms(out, corpus, doc, measures, words)
        _elsewhere(out, corpus, doc, words)
        out.covered += len(out.cases) > before
    return out


def headline_measures(doc: Doc, corpus: Corpus, index: CellIndex) -> list[tuple[str, str]]:
    """(short title, total header) of each table whose total the document prints; spending tables first."""
    measures = []
    for table in corpus.tables_of_doc(doc.id):
        for cell in corpus.cells_of_table(table.id):
            if (cell.printed and index.is_total_row(cell) and index.total_column_of(cell) == cell.column_number
                    and has_printed_name(table.title)):
                measures.append((short_title(table.title, doc.unit_name), column_leaf(cell.column_path)))
                break
    measures = list(dict.fromkeys(measures))
    return sorted(measures, key=lambda m: (not m[0].endswith("支出"), "支出" not in m[0]))


def _said(measure: tuple[str, str]) -> str:
    return f"{measure[0]}的{measure[1]}"


def _ask(out: Generated, phrasing: str, question: str, why: str) -> None:
    out.cases.append(Case("unanswerable", phrasing, phrasing, question, Expected(REFUSAL, formula=why)))


def _when(doc: Doc, year: int | None = None) -> str:
    year = year if year is not None else doc.year
    return f"{year}年" if year else ""


def _other_places(out: Generated, corpus: Corpus, doc: Doc, measures: list[str], units: list[str], n: int) -> None:
    places, body = split_unit(doc.unit_name)
    if not places:
        return
    last = places[-1]
    unheld = [p for p in PLACES if not any(form in u for form in place_forms(p) if len(form) >= 2 for u in units)]
    unheld.sort(key=lambda p: not _same_level(p, last))  # a county for a county, a city for a city
    for i, place in enumerate(unheld[:2]):
        unit = "".join(places[:-1]) + place + body
        _ask(out, "unit_other_place", f"{unit}{_when(doc)}{_said(measures[(n + i) % len(measures)])}是多少？",
             f"no document of {unit}")


def _same_level(a: str, b: str) -> bool:
    return _level(a) == _level(b)


def _level(place: str) -> str:
    return next((s for s in ("自治州", "地区", "自治县", "省", "市", "县", "区", "州") if place.endswith(s)), "")


def _other_bodies(out: Generated, corpus: Corpus, doc: Doc, measures: list[str], units: list[str], n: int) -> None:
    places, body = split_unit(doc.unit_name)
    if not places:
        return
    place = "".join(places)
    unheld = [b for b in BODIES if b != body and not any(b in u for u in units)]
    for i, other in enumerate(unheld[n % max(1, len(unheld)):][:2]):
        _ask(out, "unit_other_body", f"{place}{other}{_when(doc)}{_said(measures[(n + i + 1) % len(measures)])}是多少？",
             f"no document of {place}{other}")


def _absent_years(out: Generated, corpus: Corpus, doc: Doc, measures: list[str], years: set[int],
                  words: str) -> None:
    """Years no document covers and this one never mentions (so not even a 上年 figure is printed)."""
    if not years or not doc.year:
        return
    candidates = [y for y in range(min(years) - 3, max(years) + 4)
                  if y not in years and f"{y}年" not in words and str(y) not in words]
    candidates.sort(key=lambda y: abs(y - doc.year))
    for i, year in enumerate(candidates[:2]):
        _ask(out, "year_absent", f"{document_phrase(doc, corpus, with_year=False)}{year}年"
             f"{_said(measures[i % len(measures)])}是多少？", f"no document of {year}")


def _absent_terms(out: Generated, corpus: Corpus, doc: Doc, measures: list[str], words: str) -> None:
    who = document_phrase(doc, corpus)
    for fund in [f for f in FUNDS if norm(f) not in words][:3]:
        _ask(out, "fund_absent", f"{who}{fund}是多少？", f"the document never names {fund}")
    has_final = any(d.unit_name == doc.unit_name and d.year == doc.year and d.budget_kind == "决算"
                    for d in corpus.docs.values())
    if doc.budget_kind == "预算" and not has_final:
        for i, (term, template) in enumerate(EXECUTION):
            if norm(term) not in words:
                _ask(out, "execution_absent", who + template.format(table=measures[i % len(measures)][0]),
                     f"a budget prints no {term}")
    for i, population in enumerate([p for p in POPULATIONS if norm(p) not in words][:2]):
        _ask(out, "per_capita_absent", f"{who}按{population}计算的人均{measures[0][0]}是多少？",
             f"the document never counts {population}")


def _elsewhere(out: Generated, corpus: Corpus, doc: Doc, words: str, limit: int = 3) -> None:
    """Subjects (款/项 rows) other documents print that this one never mentions, by name or by code."""
    codes = {c.code for c in corpus.cells_of_doc(doc.id) if c.code}
    seen: set[str] = set()
    for cell in corpus.cells:
        if len(seen) >= limit:
            break
        label = clean_label(cell.row_label)
        if (cell.doc_id == doc.id or not cell.code or code_level(cell.code) == "类" or cell.code in codes
                or len(label) < 4 or norm(label) in words or norm(label) in seen):
            continue
        seen.add(norm(label))
        _ask(out, "measure_elsewhere", f"{document_phrase(doc, corpus)}{label}是多少？",
             f"only another document prints {label} ({cell.code})")
