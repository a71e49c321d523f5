"""Question → Query: which units, which years, what is asked (intent), which codes.

Units are found by their own names and aliases from the lexicon (region + organisation, e.g.
巴州 + 社保中心); a body named in the question that matches no indexed unit is kept as an
unknown mention so the answer can say the corpus does not cover it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.lexicon import Lexicon, Unit
from index.chars import normalize_text

YEAR = re.compile(r"(20\d{2})\s*(?:年|年度)")
CODE = re.compile(r"(?<!\d)(\d{3})[\s\-－]?(\d{2})(?:[\s\-－]?(\d{2}))?(?!\d)")
PLACE_SUFFIX = re.compile(r"([\u4e00-\u9fa5]{1,6}(?:自治州|自治县|地区|省|市|县|区|州|旗))$")

OTHER_BODY = re.compile(r"[\u4e00-\u9fa5]{2,8}?(?:省|市|县|区|州|盟|旗)[\u4e00-\u9fa5]{1,10}?"
                        r"(?:局|厅|院|中心|委员会|办公室|委|所|站|馆)(?![\u4e00-\u9fa5]{0,2}(?:支出|经费|费))")
INTENT_PATTERNS = [
    ("explain", r"为什么|为何|原因|缘故|怎么回事|因为什么"),
    ("ratio", r"占比|比重|比例|所占|占.{0,12}(百分|%|多少)|百分之|增长率|增幅|降幅|变化率|增长了?多少%|下降了?多少%"),
    ("aggregate", r"最大|最多|最高|最小|最少|最低|排名|排序|前[三五十]|总和|加起来|一共|共计|合计多少|"
                  r"几个|多少个|多少项|哪一项|哪项|哪个科目|哪一个"),
    ("compare", r"比较|相比|对比|各是多少|分别是多少|各为多少|分别为多少|哪个多|哪个高|差多少|有变化吗|变化了吗"),
    ("definition", r"什么是|是什么意思|指什么|含义|定义|名词解释|指的是|反映哪些|反映什么"),
    ("list", r"哪些|有哪些|列出|哪几|分别是什么|下设|都是什么"),
]


@dataclass
class Query:
    question: str
    text: str  # normalised question
    units: list[Unit] = field(default_factory=list)
    unknown_units: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    year_end: bool = False  # "截至2024年底": the year of the following budget's asset statement
    relative: str | None = None  # 上年 / 今年
    intent: str = "lookup"
    codes: list[str] = field(default_factory=list)
    rest: str = ""  # the question without unit names and years: what is asked about
    pieces: list[str] = field(default_factory=list)  # the parts of a question asked in several parts


def normalize_question(text: str) -> str:
    text = normalize_text(text or "").strip()
    text = text.replace("(", "（").replace(")", "）").replace(" ", "")
    return text


def _find_units(text: str, lexicon: Lexicon) -> tuple[list[Unit], list[str], str]:
    """Units named in the text, unknown bodies named, and the text with unit names removed."""
    found: list[tuple[int, Unit]] = []
    spans: list[tuple[int, int]] = []
    org_hits = []
    for unit in lexicon.units:
        for org in sorted(unit.org_names, key=len, reverse=True):
            for m in re.finditer(re.escape(org), text):
                org_hits.append((m.start(), m.end(), unit, org))
    org_hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    taken_until = -1
    unknown = []
    mentions: list[tuple[int, int, str, str]] = []  # (start, end, region text, org)
    for start, end, unit, org in org_hits:
        if start < taken_until:
            continue
        taken_until = end
        full = re.split(r"[^\u4e00-\u9fa5]", text[:start])[-1] if start else ""
        known = [a for u in lexicon.units for a in u.region_names if full.endswith(a)]
        # a known place is matched on the whole run (和静县 after "…和"); an unknown one is cut at connectors
        before = max(known, key=len) if known else re.split(r"[和与及、的在年]", full)[-1]
        mentions.append((start, end, before, org))
    for start, end, before, org in mentions:
        matched = []
        region_len = 0
        for unit in lexicon.units:
            if not any(org == o or org in o or o in org for o in unit.org_names):
                continue
            if not unit.org_names & {org} and not any(o.endswith(org) or org.endswith(o) for o in unit.org_names):
                continue
            alias = max((a for a in unit.region_names if before.endswith(a)), key=len, default="")
            if alias:
                matched.append((len(alias), unit))
        listed = [u for u in lexicon.units if any(o in u.org_names for o in [org]) and any(
            a in text[max(0, start - 24):start] for a in u.region_names if len(a) >= 2)]
        if len(listed) >= 2 and not matched:  # 乌市、和静县、巴州三家社保中心
            window = max(0, start - 24)
            first = start
            for u in listed:
                alias = next(a for a in u.region_names if len(a) >= 2 and a in text[window:start])
                at = text.index(alias, window)
                found.append((at, u))
                first = min(first, at)
            spans.append((first, end))
            continue
        if matched:
            best = max(n for n, _ in matched)
            region_len = best
            for n, unit in matched:
                if n == best:
                    found.append((start, unit))
        else:
            place = PLACE_SUFFIX.search(before)
            known_region = any(before.endswith(a) for u in lexicon.units for a in u.region_names)
            if place and not known_region and not before.endswith(("州", "本", "该")) or (
                    place and len(place.group(1)) >= 2 and not known_region and place.group(1)[-1] != "州"):
                unknown.append(place.group(1) + org)
                region_len = len(place.group(1))
            else:  # an organisation without a place (社保中心, 州社保中心, 省法院): every unit of that name
                level = before[-1:] if before[-1:] in ("省", "州", "市", "县", "区") else ""
                for unit in lexicon.units:
                    if org in unit.org_names:
                        if level and not unit.region.endswith(level):
                            continue
                        found.append((start, unit))
                region_len = 1 if level else 0
        spans.append((start - region_len, end))
    # full names, and region aliases standing alone (巴州 2025 …) when no organisation was named
    for unit in lexicon.units:
        if unit.name in text and all(u is not unit for _, u in found):
            found.append((text.index(unit.name), unit))
            spans.append((text.index(unit.name), text.index(unit.name) + len(unit.name)))
    if not found and not unknown:  # a body of a form we know but a name we do not: 南京市财政局
        m = OTHER_BODY.search(text)
        if m and not any(a in m.group(0) for u in lexicon.units for a in u.region_names | u.org_names):
            unknown.append(m.group(0))
    if not found and not unknown:
        for unit in lexicon.units:
            for alias in sorted(unit.region_names, key=len, reverse=True):
                if len(alias) >= 2 and alias in text:
                    found.append((text.index(alias), unit))
                    spans.append((text.index(alias), text.index(alias) + len(alias)))
                    break
    units: list[Unit] = []
    for _, unit in sorted(found, key=lambda f: f[0]):
        if unit not in units:
            units.append(unit)
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    rest = text
    for s, e in reversed(merged):
        rest = rest[:max(s, 0)] + " " + rest[e:]
    return units, unknown, rest


def understand(question: str, lexicon: Lexicon) -> Query:
    text = normalize_question(question)
    q = Query(question=question, text=text)
    if not text:
        return q
    q.units, q.unknown_units, rest = _find_units(text, lexicon)
    q.years = []
    for m in YEAR.finditer(rest):
        year = int(m.group(1))
        if year not in q.years:
            q.years.append(year)
    q.year_end = bool(re.search(r"20\d{2}\s*年\s*(底|末)|截至|截止", text))
    if re.search(r"上年|去年|上一年", text):
        q.relative = "上年"
    elif re.search(r"今年|本年", text):
        q.relative = "今年"
    q.codes = ["".join(p for p in m.groups() if p) for m in CODE.finditer(rest)]
    rest = YEAR.sub(" ", rest)
    rest = CODE.sub(" ", rest)
    q.rest = rest
    q.intent = _intent(text, q)
    return q


def _intent(text: str, q: Query) -> str:
    for intent, pattern in INTENT_PATTERNS:
        if re.search(pattern, text):
            if intent == "compare" or (intent in ("aggregate", "list") and len(q.units) > 1):
                return "compare" if len(q.units) > 1 or len(q.years) > 1 or intent == "compare" else intent
            return intent
    if len(q.units) > 1 or len(q.years) > 1:
        return "compare"
    return "lookup"
