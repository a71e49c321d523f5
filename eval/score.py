"""Scoring one answer against one gold item, with the reason for every miss.

The answer is the router's `Answer.to_dict()`: only `answer`, `status`, `figures` and `citations`
are read. Rules (see ../shared/eval/README.md for the gold schema):

- figures: every gold value is among the answer's `figures[].value` or the numbers written in its
  text, after normalising (1,036.02 = 1036.02; 94 = 94.00; compared rounded to two decimals; a
  figure in 元 is scaled to 万元 when the gold is in 万元; % values compared as numbers). A lookup or
  narrative fact with one gold value whose `figures` are all different answered a wrong figure.
- phrases: every `must_contain` string is in the answer text (whitespace-, thousands-separator- and
  full/half-width-insensitive; a number also matches as a number).
- citation: the cited documents (the unit and year of figures and citations) include the gold
  one(s) — file names are only a hint, the same document may come from a PDF — and where the gold
  names a table or section, some figure's table or citation's section matches it loosely (the
  table number, or the key words of the title / heading).
- unanswerable: status is not "answered" or the text says the documents lack it, and no figure.
- correct = figures_ok and phrases_ok and (citation_ok, or the type is unanswerable).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from eval.gold_schema import GoldItem
from index.metadata import canonical_unit

NUM = re.compile(r"(?<![\d.])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.])-?\d+(?:\.\d+)?")
YUAN_AFTER = re.compile(r"\s*元")
CN_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
REFUSAL = re.compile(r"没有|未找到|找不到|查不到|无法|不包含|未包含|不在|未提供|未公开|未披露|未收录|不掌握|暂无|尚无|"
                     r"不存在|没找到|未能|not found|no such|not available", re.I)
QUOTES = str.maketrans({c: "" for c in "“”‘’\"'「」『』《》"})
GENERIC = re.compile(r"情况说明|情况表|明细表|预算表|情况|说明|关于|部门|单位|表$")


@dataclass
class Score:
    correct: bool
    figures_ok: bool
    phrases_ok: bool
    citation_ok: bool
    refusal_ok: bool | None  # None when the question is not unanswerable
    reason: str


# ---- normalising -------------------------------------------------------------------------

def norm_text(text: str | None) -> str:
    """NFKC, no whitespace, no quote marks, no thousands separators inside numbers."""
    t = unicodedata.normalize("NFKC", text or "").translate(QUOTES)
    t = re.sub(r"(?<=\d),(?=\d{3})", "", t)
    return re.sub(r"\s+", "", t)


def to_number(text: str | float | int | None) -> float | None:
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return float(text)
    s = unicodedata.normalize("NFKC", str(text)).strip().replace(",", "").rstrip("%").strip()
    try:
        return float(s)
    except ValueError:
        return None


def same_number(a: float, b: float) -> bool:
    return abs(round(a, 2) - round(b, 2)) < 1e-6


def fmt(v) -> str:
    n = to_number(v)
    return str(v) if n is None else f"{n:.2f}"


def figure_numbers(figure: dict, gold_unit: str | None) -> list[float]:
    """A figure's value and, when its unit differs from the gold's by 10,000 or by %, the scaled value."""
    v = to_number(figure.get("value"))
    if v is None:
        return []
    unit = (figure.get("unit") or "").strip()
    out = [v]
    if unit == "元" and gold_unit == "万元":
        out.append(v / 10000)
    elif unit == "万元" and gold_unit == "元":
        out.append(v * 10000)
    elif unit == "%" and abs(v) <= 1 and v != 0:
        out.append(v * 100)  # a share given as a fraction
    return out


def text_numbers(text: str | None, gold_unit: str | None) -> list[float]:
    text = unicodedata.normalize("NFKC", text or "")
    out = []
    for m in NUM.finditer(text):
        v = float(m.group().replace(",", ""))
        out.append(v)
        if gold_unit == "万元" and YUAN_AFTER.match(text, m.end()) and not text[m.end():m.end() + 2].startswith("万"):
            out.append(v / 10000)
    return out


def answer_numbers(answer: dict, gold_unit: str | None) -> list[float]:
    out = [n for f in answer.get("figures") or [] for n in figure_numbers(f, gold_unit)]
    return out + text_numbers(answer.get("answer"), gold_unit)


def has_value(value: str, numbers: list[float]) -> bool:
    target = to_number(value)
    return target is not None and any(same_number(n, target) for n in numbers)


def says_missing(text: str | None) -> bool:
    return bool(REFUSAL.search(text or ""))


def phrase_present(phrase: str, text: str, numbers: list[float]) -> bool:
    if norm_text(phrase) in norm_text(text):
        return True
    return to_number(phrase) is not None and has_value(phrase, numbers)


# ---- citations -------------------------------------------------------------------------------

def _cn_to_int(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    if not s or any(c not in CN_NUMBERS for c in s):
        return None
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + CN_NUMBERS[s[1]]
    if len(s) == 1:
        return CN_NUMBERS[s]
    if s.endswith("十"):
        return CN_NUMBERS[s[0]] * 10
    if len(s) == 3 and s[1] == "十":
        return CN_NUMBERS[s[0]] * 10 + CN_NUMBERS[s[2]]
    return None


def table_key(table: str | None) -> tuple[int | None, str]:
    """('表6 一般公共预算基本支出情况表' | '表六 …') -> (6, key words of the title)."""
    t = unicodedata.normalize("NFKC", table or "").strip()
    m = re.match(r"^(?:表|公开)\s*([0-9一二三四五六七八九十]+)\s*(?:表)?[：:、.\s]*(.*)$", t)
    if not m:
        return None, _key_words(t)
    return _cn_to_int(m.group(1)), _key_words(m.group(2))


def _key_words(text: str) -> str:
    t = unicodedata.normalize("NFKC", text or "").translate(QUOTES)
    t = re.sub(r"[\s()（）、，。,.:：>\-]", "", t)
    t = re.sub(r"关于.*?\d{4}年", "", t)  # 关于<unit> 2025 年… → …
    return GENERIC.sub("", t)


def similar(a: str, b: str, threshold: float = 0.75) -> bool:
    """Most of the shorter text's character bigrams are in the longer one."""
    if not a or not b:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    grams = {short[i:i + 2] for i in range(len(short) - 1)} or {short}
    return sum(g in long_ for g in grams) / len(grams) >= threshold


def section_key(section: str | None) -> str:
    """The last heading of a path ('第三部分 > 五、关于… 2025 年一般公共预算… > （三）…'), in key words."""
    s = unicodedata.normalize("NFKC", section or "")
    last = re.split(r">|\)|、", s)[-1]
    return _key_words(last)


def _table_matches(gold_table: str, candidate: str) -> bool:
    number, title = table_key(gold_table)
    cnum, ctitle = table_key(candidate)
    if number is not None and cnum == number:
        return not title or not ctitle or similar(title, ctitle)
    return bool(title) and similar(title, ctitle or _key_words(candidate))


def _section_matches(gold_section: str, candidate: str) -> bool:
    key = section_key(gold_section)
    return similar(key, section_key(candidate)) or similar(key, _key_words(candidate))


def _same_unit(a, b) -> bool:
    """One body, whichever of its printed name forms each side uses (中共江苏省委办公厅 = 江苏省委办公厅)."""
    return norm_text(canonical_unit(a or "")) == norm_text(canonical_unit(b or ""))


def expected_documents(gold: GoldItem) -> list[tuple[str | None, int | None]]:
    units, years = gold.units, gold.years
    if units and len(years) == len(units):
        return list(zip(units, years))
    if units:
        return [(u, y) for u in units for y in (years[:1] if len(years) == 1 else [None])]
    return [(None, y) for y in years] if len(years) == 1 else [(None, None)]


def cited_documents(answer: dict) -> list[tuple[str | None, int | None]]:
    out = []
    for x in (answer.get("figures") or []) + (answer.get("citations") or []):
        key = (x.get("unit_name"), x.get("year"))
        if key != (None, None) and key not in out:
            out.append(key)
    return out


def _doc_text(docs) -> str:
    return "、".join(f"{u or '?'} {y or ''}".strip() for u, y in docs) or "nothing"


def citation_matches(gold: GoldItem, answer: dict) -> tuple[bool, str]:
    cited = cited_documents(answer)
    if not cited:
        return False, f"cited nothing, expected {_doc_text(expected_documents(gold))}"
    for unit, year in expected_documents(gold):
        if unit is None and year is None:
            continue
        if not any((unit is None or _same_unit(u, unit)) and (year is None or _year(y) == year) for u, y in cited):
            return False, f"cited {_doc_text(cited)}, expected {_doc_text(expected_documents(gold))}"
    tables = [s["table"] for s in gold.all_sources if s.get("table")]
    sections = [s["section"] for s in gold.all_sources if s.get("section")]
    if not tables and not sections:
        return True, ""
    places = [f.get("table") or "" for f in answer.get("figures") or []]
    places += [c.get("section") or "" for c in answer.get("citations") or []]
    places = [p for p in places if p]
    if any(_table_matches(t, p) for t in tables for p in places):
        return True, ""
    if any(_section_matches(s, p) for s in sections for p in places):
        return True, ""
    shown = "、".join(dict.fromkeys(places)) or "no table or section"
    return False, f"cited {shown}, expected {' / '.join(tables + sections)}"


def _year(y) -> int | None:
    try:
        return int(y)
    except (TypeError, ValueError):
        return None


# ---- the score -------------------------------------------------------------------------------

def score(gold: GoldItem, answer: dict) -> Score:
    answer = answer or {}
    text = answer.get("answer") or ""
    status = answer.get("status")
    figures = [f for f in answer.get("figures") or [] if to_number(f.get("value")) is not None]

    if gold.type == "unanswerable":
        if figures:
            return Score(False, False, True, True, False,
                         f"invented figure on an unanswerable question: {fmt(figures[0].get('value'))}")
        if status == "answered" and not says_missing(text):
            return Score(False, True, True, True, False,
                         "answered a question the documents cannot answer (no refusal in the text)")
        return Score(True, True, True, True, True, "")

    if status != "answered":
        due = (f"a figure was due ({'、'.join(gold.answer_values)} {gold.answer_unit or ''})".strip()
               if gold.answer_values else "the documents answer it")
        return Score(False, False, False, False, None, f"refused (status {status}) but {due}")

    numbers = answer_numbers(answer, gold.answer_unit)
    reasons = []
    figures_ok = True
    missing = [v for v in gold.answer_values if not has_value(v, numbers)]
    if missing:
        figures_ok = False
        got = "、".join(dict.fromkeys(fmt(f.get("value")) for f in figures[:4]))
        if got:
            reasons.append(f"wrong figure {got} (expected {'、'.join(missing)})")
        else:
            reasons.append(f"missing figure {'、'.join(missing)}")
    elif gold.type in ("lookup", "narrative_fact") and len(gold.answer_values) == 1 and figures:
        target = gold.answer_values[0]
        if not any(has_value(target, figure_numbers(f, gold.answer_unit)) for f in figures):
            figures_ok = False
            reasons.append(f"wrong figure {fmt(figures[0].get('value'))} (expected {target})")

    phrases_missing = [p for p in gold.must_contain if not phrase_present(p, text, numbers)]
    phrases_ok = not phrases_missing
    if phrases_missing and not (missing and set(phrases_missing) <= set(missing)):
        reasons.append("missing phrase " + "、".join(phrases_missing[:5])
                       + (f" (+{len(phrases_missing) - 5})" if len(phrases_missing) > 5 else ""))

    citation_ok, why = citation_matches(gold, answer)
    if not citation_ok:
        reasons.append(why)
    correct = figures_ok and phrases_ok and citation_ok
    return Score(correct, figures_ok, phrases_ok, citation_ok, None, "; ".join(reasons))
