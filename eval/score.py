"""Scoring one answer against one gold item, with the reason for every miss.

Figures: every gold value must be among the answer's figures or the numbers of its text (1,036.02 =
1036.02; 94 = 94.00; 元 scaled to 万元), and a lookup must not answer a different figure. Phrases:
every must_contain string in the answer text. Citation: the cited document is the gold one by
unit and year (file names differ between a text export and its PDF), and where the gold names a
table or section, some figure's table or citation's section matches it. Unanswerable: a refusal
with no figure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from eval.gold_schema import GoldItem

NUM = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
CN_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9",
             "十": "10", "十一": "11", "十二": "12", "十三": "13"}


@dataclass
class Score:
    correct: bool
    figures_ok: bool
    phrases_ok: bool
    citation_ok: bool
    refusal_ok: bool | None
    reason: str


def _numbers(answer: dict) -> list[float]:
    out = []
    for f in answer.get("figures") or []:
        if f.get("value") is None:
            continue
        v = float(f["value"])
        out.append(v)
        if f.get("unit") == "元":
            out.append(v / 10000)
    out += [float(x.replace(",", "")) for x in NUM.findall(answer.get("answer") or "")]
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", (text or "").replace(",", ""))


def _has_value(value: str, numbers: list[float]) -> bool:
    target = float(value.replace(",", ""))
    return any(abs(n - target) < 0.005 for n in numbers)


def _table_key(table: str | None) -> tuple[str | None, str]:
    if not table:
        return None, ""
    m = re.match(r"^表\s*([0-9一二三四五六七八九十]+)[：:、\s]*(.*)$", table.strip())
    if not m:
        return None, re.sub(r"\s", "", table)
    number = CN_DIGITS.get(m.group(1), m.group(1))
    return number, re.sub(r"\s|(部门|单位)|情况表|明细表|预算表|表$", "", m.group(2))


def _similar(a: str, b: str) -> bool:
    """Loose match of two headings or titles: most of the shorter one's bigrams are in the other."""
    a, b = re.sub(r"[\s“”\"（）()、，。:：>]", "", a), re.sub(r"[\s“”\"（）()、，。:：>]", "", b)
    if not a or not b:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    grams = {short[i:i + 2] for i in range(len(short) - 1)} or {short}
    return sum(g in long_ for g in grams) / len(grams) >= 0.6


def _section_key(section: str) -> str:
    last = re.split(r"[)）]|、", section)[-1] if section else ""
    return re.sub(r"关于.*?\d{4}\s*年", "", last)


def citation_matches(gold: GoldItem, answer: dict) -> tuple[bool, str]:
    cited = {(f.get("unit_name"), f.get("year")) for f in answer.get("figures") or []}
    cited |= {(c.get("unit_name"), c.get("year")) for c in answer.get("citations") or []}
    cited.discard((None, None))
    if not cited:
        return False, "no figure or passage is cited"
    years = set(gold.years)
    units = gold.units
    if units:
        for unit in units:
            if not any(u == unit and (not years or y in years) for u, y in cited):
                return False, f"cited {sorted(cited, key=str)}, expected {unit} {sorted(years)}"
    elif years and not any(y in years for _, y in cited):
        return False, f"cited years {sorted({y for _, y in cited}, key=str)}, expected {sorted(years)}"
    tables = [s.get("table") for s in gold.all_sources if s.get("table")]
    sections = [s.get("section") for s in gold.all_sources if s.get("section")]
    if not tables and not sections:
        return True, ""
    fig_tables = [f.get("table") or "" for f in answer.get("figures") or []]
    cit_sections = [c.get("section") or "" for c in answer.get("citations") or []]
    for t in tables:
        number, title = _table_key(t)
        for ft in fig_tables + cit_sections:
            fnum, ftitle = _table_key(ft)
            if (number and fnum == number and (not title or not ftitle or _similar(title, ftitle))) or (
                    title and _similar(title, ftitle or ft)):
                return True, ""
    for s in sections:
        key = _section_key(s)
        if any(_similar(key, _section_key(c)) or _similar(key, c) for c in cit_sections + fig_tables):
            return True, ""
    return False, f"cited {fig_tables + cit_sections} but the gold source is {tables + sections}"


def score(gold: GoldItem, answer: dict) -> Score:
    text = _squash(answer.get("answer") or "")
    numbers = _numbers(answer)
    status = answer.get("status")
    figures = answer.get("figures") or []
    if gold.type == "unanswerable":
        if figures:
            return Score(False, False, True, True, False, f"invented figure on an unanswerable question: "
                         f"{figures[0].get('value')}")
        if status == "answered":
            return Score(False, True, True, True, False, "answered a question the documents cannot answer")
        return Score(True, True, True, True, True, "")
    if status != "answered" and gold.answer_values:
        return Score(False, False, False, False, None, f"refused but a figure was due ({', '.join(gold.answer_values)})")
    missing = [v for v in gold.answer_values if not _has_value(v, numbers)]
    figures_ok = not missing
    reason = ""
    if missing:
        got = ", ".join(f"{f.get('value')}" for f in figures[:3]) or "no figure"
        reason = f"wrong or missing figure: expected {', '.join(missing)}, got {got}"
    elif gold.type in ("lookup", "narrative_fact") and len(gold.answer_values) == 1 and figures:
        if not any(_has_value(gold.answer_values[0], [float(f["value"])] + (
                [float(f["value"]) / 10000] if f.get("unit") == "元" else [])) for f in figures
                   if f.get("value") is not None):
            figures_ok, reason = False, f"contradicting figure {figures[0].get('value')} (expected {gold.answer_values[0]})"
    phrases_missing = [p for p in gold.must_contain if _squash(p) not in text
                       and not (NUM.fullmatch(p.replace(",", "")) and _has_value(p, numbers))]
    phrases_ok = not phrases_missing
    if phrases_missing and not reason:
        reason = "missing phrase " + "、".join(phrases_missing[:3])
    citation_ok, why = citation_matches(gold, answer)
    if not citation_ok and not reason:
        reason = "citation: " + why
    return Score(figures_ok and phrases_ok and citation_ok, figures_ok, phrases_ok, citation_ok, None, reason)
