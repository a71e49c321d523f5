"""Question → `Frame`: bodies linked against the lexicon, years, document kind, operation and measure.

A small grammar over the word tables in `assistant.words`: nothing here knows a document. What is
measured stays in the question's own words (`Frame.measure`); grounding it in the store's labels is
`resolve`'s job, so a phrasing nobody foresaw still reaches the one scorer that reads the store.
"""
from __future__ import annotations

import re

from assistant.frame import Frame
from assistant.lexicon import Lexicon
from assistant.words import (AGAINST_PREVIOUS, BUDGET_KIND_WORDS, DECREASE_WORDS, DOCUMENT_TOTAL, DOCUMENT_WORDS,
                             EVERY_BODY, FILLER, OPERATIONS, QUANTITY_WORDS, RELATIVE_YEARS, SCOPE_WORDS)
from index.chars import normalize_text

MAX_QUESTION = 500
# a year the question is about; not a date inside a label ("2025年4月至2026年3月…生活补贴资金")
YEAR = re.compile(r"(?<!\d)(20\d{2})\s*(?:年度?(?!\s*\d{1,2}\s*月)|(?=预算|决算|部门|单位))")
SHORT_YEAR = re.compile(r"(?<![\d（(])([1-3]\d)\s*年(?=度|预算|决算|部门|单位|的|[，,]|$)")
YEAR_END = re.compile(r"(?:截至|截止|到)?\s*(20\d{2})\s*年\s*(?:\d{1,2}\s*月)?\s*(?:底|末)")
CODE = re.compile(r"(?<![\d.])([1-5]\d{2})(?:[\s\-－]?(\d{2}))?(?:[\s\-－]?(\d{2}))?(?![\d.])")
CODE_CONTEXT = re.compile(r"科目|编码|代码|类|款|项")
NOT_A_CODE_AFTER = re.compile(r"^\s*(?:万|元|人|个|%|％|年|辆|台|平方|名|家|项目|批|次|套|号|天|月|日|倍|户|所|件|份|张)")
AMOUNT = re.compile(r"(-?\d[\d,]*(?:\.\d+)?)\s*(万元|元|%|％)")
THRESHOLD = re.compile(r"(超过|大于|高于|多于|不少于|不低于|达到|少于|低于|不足|不到|小于)\s*(\d[\d,]*(?:\.\d+)?)\s*(万元|元)?"
                       r"|(\d[\d,]*(?:\.\d+)?)\s*(万元|元)?\s*(以上|以下)")
TABLE_NUMBER = re.compile(r"(?:公开\s*(\d{1,2})\s*表|公开表\s*([一二三四五六七八九十]+)|表\s*([0-9]{1,2}|[一二三四五六七八九十]+))")
QUANTITY_ASK = re.compile(r"(?:有|是|共|约|一共)?(?:多少|几)(?:(?:个|家|份)(?:预算单位|单位|文件)|个|名|人次|人|辆|台|套|批次|批|"
                          r"平方米|项|家|所|间|处|份)")
PURE_SUM = r"总和|加起来|加在一起|一共|共计|总共|合起来|之和"
FOCUS = re.compile(r"^(.{2,40}?)(?<!其)(?:中|里|里面|当中|之中|下)[，,]?(.{2,})$")
FOCUS_NOT_A_SPLIT = r"中(心|小|央|级|期|学|共|国|医|等|标|型|介|间|转|长)|下(设|属|达|拨|降|辖)|里(程)"
TOP = re.compile(r"前\s*([二三四五六七八九十\d]+)")
CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
LEFT_OUT = re.compile(r"除(?:了|去)?([\u4e00-\u9fa5“”（）()]{2,16}?)(?:以外|之外|外)[，,]?")
# "（不含上年结转）" after a whole: what the figure leaves out, not words of its label
EXCLUSION = re.compile(r"[（(](?:不含|不包括|扣除|除去?)[^（）()]{1,20}[）)]")
SHARE_OF = [
    re.compile(r"^(?P<part>.+?)(?:在|于)(?P<base>.+?)(?:中|里|当中|之中)的?(?:占比|比重|比例|所占)"),
    re.compile(r"^(?P<part>.+?)占(?P<base>.+?)的?(?:比重|比例|百分比|比|份额|多少|几成|百分之|%)"),
    re.compile(r"^(?P<base>.+?)(?:中|里|当中|之中)[，,]?(?P<part>.+?)(?:占|所占)"),
    # "收入里有多大比例不是财政拨款" / "支出中多少比例是基本支出"
    re.compile(r"^(?P<base>.+?)(?:中|里|当中|之中)[，,]?有?(?:多大|多少|几成)(?:的)?(?:比例|比重|份额)?"
               r"(?:不是|不属于|不来自|是|属于|来自|为)(?P<part>.+)"),
]


def normalize(question: str) -> str:
    """Radicals and full-width digits mapped back, ASCII brackets made Chinese, spaces dropped (not in codes)."""
    text = normalize_text(question or "").strip()[:MAX_QUESTION]
    text = text.replace("(", "（").replace(")", "）").replace("％", "%").replace("\u3000", " ")
    text = re.sub(r"(?<=\d)\s+(?=\d)", "\x00", text)  # keep "208 01 09" together
    text = re.sub(r"\s+", "", text).replace("\x00", " ")
    return text


def _body_fragment(m: re.Match, linked) -> str:
    """"巴州社保单位的…": a fragment of the body's name before 单位 speaks of the body, not of a figure."""
    run = m.group(1)
    fragments = [f for b in linked.bodies for f in b.names()]
    for k in range(len(run) - 1):
        if any(run[k:] in f for f in fragments):
            return run[:k] + " "
    return m.group(0)


def _pair_years(text: str, linked, years: list[int]) -> dict[str, int]:
    """"2025年A和2020年B" / "A（2020年）与B（2025年）": as many bodies as years, each year next to one body."""
    if len(years) < 2 or len(linked.bodies) != len(years):
        return {}
    at = {int(m.group(1)): m.start() for m in YEAR.finditer(text)}
    pairs, free = {}, dict(at)
    for b in linked.bodies:
        pos = linked.positions.get(b.name)
        if pos is None or not free:
            return {}
        year = min(free, key=lambda y: abs(free[y] - pos))
        pairs[b.name] = year
        del free[year]
    return pairs


KIND_AFTER = re.compile(r"(部门|单位)?(预算|决算)")


def _pair_kinds(text: str, linked) -> dict[str, tuple[str | None, str | None]]:
    """"A2025年部门预算…比B2024年部门决算": each of several bodies with the kind of document named after it,
    up to the next body's name (only when they differ: one kind for all is the frame's own)."""
    if len(linked.bodies) < 2:
        return {}
    starts = sorted((linked.positions.get(b.name, 0), b.name) for b in linked.bodies)
    kinds = {}
    for i, (pos, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        m = KIND_AFTER.search(text, pos + 1, end)
        if m:
            kinds[name] = (m.group(1), m.group(2))
    return kinds if len(set(kinds.values())) > 1 else {}


def _cn_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if len(text) == 2 and text[0] == "十":
        return 10 + CN_DIGITS.get(text[1], 0)
    if len(text) >= 2 and text[1] == "十":
        return CN_DIGITS.get(text[0], 0) * 10 + (CN_DIGITS.get(text[2], 0) if len(text) > 2 else 0)
    return CN_DIGITS.get(text)


def _codes(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    codes, spans = [], []
    for m in CODE.finditer(text):
        digits = "".join(g for g in m.groups() if g)
        if NOT_A_CODE_AFTER.match(text[m.end():]):
            continue
        before = text[max(0, m.start() - 4):m.start()]
        after = text[m.end():m.end() + 2]
        if len(digits) == 3 and not (CODE_CONTEXT.search(before + after) or before.endswith("（")
                                     or re.match(r"[\u4e00-\u9fa5]", after)):
            continue
        if digits not in codes:
            codes.append(digits)
        spans.append(m.span())
    return codes, spans


def _operation(text: str) -> list[str]:
    return [op for op, pattern in OPERATIONS if re.search(pattern, text)]


def _strip(text: str, spans: list[tuple[int, int]]) -> str:
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    for s, e in reversed(merged):
        text = text[:max(s, 0)] + " " + text[e:]
    return text


def measure_words(text: str) -> str:
    """The question's words about what is measured: scaffolding and punctuation removed, pieces kept apart."""
    text = re.sub(r"[（(](类|款|项|小计|合计)[)）]", "", text)  # structure marks, as labels are matched without them
    for pattern in sorted(FILLER, key=len, reverse=True):
        text = text.replace(pattern, " ")
    text = re.sub(r"[？?！!。，,；;：:、“”\"'‘’《》【】\[\]（）()]", " ", text)
    pieces = [re.sub(r"^[的了和与及]+|[的了和与及在]+$", "", p) for p in text.split()]
    return " ".join(p for p in pieces if p)


def parse(question: str, lexicon: Lexicon) -> Frame:
    text = normalize(question)
    frame = Frame(question=question, text=text)
    if not text:
        return frame
    linked = lexicon.link(text)
    frame.bodies = [b.name for b in linked.bodies]
    frame.unknown_bodies = linked.unknown
    rest = _strip(text, linked.spans)

    end = YEAR_END.search(rest)
    if end:
        frame.year_end = True
    for m in YEAR.finditer(rest):
        if int(m.group(1)) not in frame.years:
            frame.years.append(int(m.group(1)))
    if not frame.years:
        for m in SHORT_YEAR.finditer(rest):
            frame.years.append(2000 + int(m.group(1)))
    year_spans = [m.span() for m in YEAR.finditer(rest)] + [m.span() for m in YEAR_END.finditer(rest)]
    frame.body_years = _pair_years(text, linked, frame.years)
    frame.body_kinds = _pair_kinds(text, linked)
    without_previous = re.sub(AGAINST_PREVIOUS, " ", rest)
    for pattern, offset in RELATIVE_YEARS:
        if re.search(pattern, without_previous) and not re.search(r"上年(结转|结余|财政拨款)", without_previous):
            frame.relative_year = offset
            break

    for kind, pattern in BUDGET_KIND_WORDS:
        if re.search(pattern, text):
            frame.budget_kind = kind
            break
    for scope, pattern in SCOPE_WORDS:
        if re.search(pattern, text):
            frame.scope = scope
            break
    frame.every_body = bool(re.search(EVERY_BODY, text))

    codes, code_spans = _codes(rest)
    frame.codes = codes
    m = TABLE_NUMBER.search(rest)
    table_spans = []
    if m:
        frame.table_number = next(g for g in m.groups() if g)
        table_spans = [m.span()]
    for pattern, units in QUANTITY_WORDS:
        found = [m.group(0) for m in re.finditer(pattern, text)]
        if found:
            frame.quantity_groups.append(units)
            frame.quantity_units += tuple(u for u in units if u not in frame.quantity_units)
            frame.quantity_words += found
    frame.amounts = [float(a.replace(",", "")) for a, _ in AMOUNT.findall(text)]
    t = THRESHOLD.search(text)
    if t:
        if t.group(1):
            word, number, unit = t.group(1), t.group(2), t.group(3)
            direction = ">" if word in ("超过", "大于", "高于", "多于", "不少于", "不低于", "达到") else "<"
        else:
            number, unit, direction = t.group(4), t.group(5), ">" if t.group(6) == "以上" else "<"
        frame.threshold = (direction, float(number.replace(",", "")) * (1 / 10000 if unit == "元" else 1))
    top = TOP.search(text)
    if top:
        frame.top_k = _cn_number(top.group(1))
    frame.decrease = bool(re.search(DECREASE_WORDS, text))
    frame.against_previous = bool(re.search(AGAINST_PREVIOUS, text))

    ops = _operation(text)
    frame.operation = _choose_operation(ops, frame)
    if frame.operation != "explain" and "explain" in ops:
        frame.also_explain = True
    if frame.operation == "explain" and re.search(r"多少|几", re.sub(r"(减少|增加|下降|增长)了?[\d.]+", "", text)):
        frame.also_explain = True

    # "科目208", "表3": the code and the table number are constraints, not words to match
    code_spans = [(s - 2, e) if rest[max(0, s - 2):s] in ("科目", "编码", "代码") else (s, e) for s, e in code_spans]
    measure_text = _strip(rest, year_spans + code_spans + table_spans)
    measure_text = re.sub(AGAINST_PREVIOUS, " ", measure_text)
    measure_text = re.sub(r"(?<![\u4e00-\u9fa5])(今年|本年度|去年|上一年度?|上年度|前年)", " ", measure_text)
    measure_text = re.sub(r"(?<![\u4e00-\u9fa5])(今年|去年|前年)", " ", measure_text)
    measure_text = QUANTITY_ASK.sub(" ", measure_text)  # "有几辆", "多少人": the kind of figure, not what it is of
    for m in LEFT_OUT.finditer(measure_text):  # "除行政运行外哪一项最多": left out of the items compared
        frame.excluded.append(m.group(1))
    measure_text = LEFT_OUT.sub(" ", measure_text)
    if frame.operation == "count":
        measure_text = THRESHOLD.sub(" ", measure_text)  # "超过5万元": a condition on the figure, not the figure
    measure_text = re.sub(r"([\u4e00-\u9fa5]{2,4})单位", lambda m: _body_fragment(m, linked), measure_text)
    if frame.operation == "share":
        for pattern in SHARE_OF:
            sm = pattern.search(re.sub(r"^[，,、\s]+", "", measure_text))
            base = measure_words(_drop_operation_words(EXCLUSION.sub(" ", sm.group("base")))) if sm else ""
            if sm and len(re.sub(r"多大|多少|几|\s", "", base)) >= 2:
                frame.measure = measure_words(_drop_operation_words(sm.group("part")))
                frame.base = base
                break
    if not frame.measure:
        frame.measure = measure_words(_drop_operation_words(measure_text))
    if frame.operation not in ("explain", "define", "list"):
        # "部门预算", "决算" name the document, not a figure; with nothing else the document's total is asked
        measure = re.sub(r"\s+", " ", re.sub(DOCUMENT_WORDS, " ", frame.measure)).strip()
        if measure != frame.measure:
            frame.measure = measure if re.search(r"[\u4e00-\u9fa5]{2}", measure) else DOCUMENT_TOTAL
    # "机关运行经费决算": the stage every amount of a 决算 has, not words of the item (its default column is 决算数)
    frame.measure = _without_stage(frame.measure)
    frame.items = [p for p in re.split(r"\s+", frame.measure) if len(p) >= 2]
    frame.focus = _without_stage(_focus(measure_text)) if frame.operation in (
        "lookup", "parts", "sum", "difference", "growth", "which_column") else ""
    frame.body_words = sorted({name for b in linked.bodies for name in b.names()}, key=len, reverse=True)
    return frame


def _without_stage(words: str) -> str:
    return re.sub(r"(?<=[\u4e00-\u9fa5]{2})决算数?(?=\s|$)", "", words).strip()


def _focus(text: str) -> str:
    """"X中，Y" / "X里Y": Y is what is asked, X the context it is asked in ('' when there is no such Y)."""
    m = FOCUS.search(text)
    if not m or re.match(FOCUS_NOT_A_SPLIT, text[m.end(1):]):
        return ""
    focus = measure_words(_drop_operation_words(m.group(2)))
    return focus if len(re.sub(r"\s", "", focus)) >= 2 else ""


ASKS = re.compile(r"多少|几|是否|吗|什么|哪|为什么|为何|原因|如何|怎么|有没有|分别|占比|比例|比重")


def clauses(question: str) -> list[str]:
    """The parts of a question asked in several parts ("有多少个科室？编制多少？"), each with its own question word."""
    parts = [p for p in re.split(r"(?<=[？?；;])", question) if p.strip(" ？?；;，,。")]
    if len(parts) < 2 or sum(bool(ASKS.search(p)) for p in parts) < 2:
        return [question]
    return parts


def inherit(frame: Frame, whole: Frame, previous: Frame | None) -> Frame:
    """A later part of a question speaks of the bodies, years and item the earlier parts named."""
    if not frame.bodies and not frame.unknown_bodies:
        frame.bodies, frame.unknown_bodies, frame.every_body = whole.bodies, whole.unknown_bodies, whole.every_body
    if not frame.years and frame.relative_year is None:
        frame.years, frame.relative_year, frame.year_end = whole.years, whole.relative_year, whole.year_end
    frame.budget_kind = frame.budget_kind or whole.budget_kind
    frame.scope = frame.scope or whole.scope
    if previous is not None and frame.operation == "lookup" and not re.search(r"多少|几|金额|数额", frame.text):
        frame.operation = "list"  # "…是什么类型的？" after a figure: what the passage of that item lists
    if previous is not None and (len(frame.measure) < 2 or re.match(r"^(其中|其|该|这|它)", frame.measure)
                                 or frame.operation in ("explain", "list") or frame.against_previous):
        own = re.sub(r"^(其中|其|该|这|它)", "", frame.measure)
        frame.measure = (previous.measure + " " + own) if own not in previous.measure else previous.measure
        frame.focus = own if len(own) >= 2 and own not in previous.measure else frame.focus
        frame.items = [p for p in frame.measure.split() if len(p) >= 2]
    return frame


def _drop_operation_words(text: str) -> str:
    """The question without its operation words — but 合计/总计/小计 stay: they are also rows and columns."""
    kept = {}
    for i, word in enumerate(("合计", "总计", "小计", "总额")):
        text = text.replace(word, f"\x00{i}\x00")
        kept[f"\x00{i}\x00"] = word
    for _, pattern in OPERATIONS:
        text = re.sub(pattern, " ", text)
    for mark, word in kept.items():
        text = text.replace(mark, word)
    text = re.sub(r"哪一?几?个?(?:类|款|项)(?!目)", " ", text)  # the level compared (哪一类最大), not the item
    return re.sub(r"(比|较)(?=\s|$)", " ", text)


def _choose_operation(ops: list[str], frame: Frame) -> str:
    """The operation asked, from every operation word found: the grammar's few real ambiguities decided."""
    several = len(frame.bodies) > 1 or len(frame.years) > 1 or frame.every_body
    if not ops:
        return "lookup"
    first = ops[0]
    if first == "explain":
        return "explain"
    if first == "define":
        return "define"
    if "execution" in ops:
        return "execution"
    if "growth" in ops:
        return "growth"
    if "share" in ops:
        return "share"
    if "rank" in ops:
        return "rank"
    if "max" in ops or "min" in ops:
        return "max" if "max" in ops and ("min" not in ops or ops.index("max") < ops.index("min")) else "min"
    if "count" in ops and re.search(r"(?<!哪)(几|多少)(个|家|份|项|类|张)(单位|文件|项目|科目|表|预算单位|品目)?", frame.text) \
            and (re.search(r"单位|家|份|文件|项目|科目|表|品目|项", frame.text)) \
            and not frame.quantity_units:
        return "count"
    if "which_column" in ops:
        return "which_column"
    if "difference" in ops:
        return "difference"
    if "sum" in ops and not ("parts" in ops and not re.search(PURE_SUM, frame.text)):
        return "sum"  # "A、B合计分别是多少" asks each one's 合计 row, not a sum
    if "list" in ops and not re.search(r"多少|几", frame.text):
        return "list"
    if "parts" in ops:
        return "parts"
    if "list" in ops:
        return "list"
    return "parts" if several else "lookup"
