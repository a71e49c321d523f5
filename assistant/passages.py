"""Narrative passages for reasons, definitions and lists, filtered to the unit and year asked.

Each paragraph of the stored sections is a candidate; ranking is BM25 over character bigrams
(measured here as strong as word tokens on this corpus, and with no tokenizer to warm up), with
the section path counted in. Reasons (主要原因), 名词解释 entries and lists (分别是/包括) are
found by what the paragraph says, not by where one template puts it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rank_bm25 import BM25Okapi

from assistant.figures import norm
from index.store import Store


@dataclass
class Passage:
    doc_id: int
    section: str
    text: str
    line: int | None
    page: int | None


def bigrams(text: str) -> list[str]:
    t = re.sub(r"[\s，。；：、（）“”,.;:()\"'？！?!]", "", norm(text))
    return [t[i:i + 2] for i in range(len(t) - 1)] or ([t] if t else [])


class PassageIndex:
    def __init__(self, store: Store):
        self.passages: list[Passage] = []
        for s in store.query("SELECT document_id, path, text, line, page FROM sections ORDER BY document_id, seq"):
            for para in (s["text"] or "").split("\n"):
                if para.strip():
                    self.passages.append(Passage(s["document_id"], s["path"] or "", para.strip(), s["line"],
                                                 s["page"]))
        corpus = [bigrams(p.section.split(" > ")[-1] + p.text) for p in self.passages]
        self.bm25 = BM25Okapi(corpus) if corpus else None

    def search(self, query: str, doc_ids: set[int] | None = None, must=None, k: int = 5) -> list[tuple[float, Passage]]:
        """Best passages for `query` within `doc_ids`; `must(passage)` filters candidates."""
        if not self.bm25:
            return []
        scores = self.bm25.get_scores(bigrams(query))
        numbers = set(re.findall(r"\d+(?:\.\d+)?", query.replace(",", "")))
        out = []
        for score, p in zip(scores, self.passages):
            if doc_ids is not None and p.doc_id not in doc_ids:
                continue
            if must is not None and not must(p):
                continue
            bonus = sum(2.0 for n in numbers if len(n) >= 3 and n in p.text.replace(",", ""))
            out.append((float(score) + bonus, p))
        out.sort(key=lambda x: -x[0])
        return out[:k]


def reason_clause(text: str, subject: str = "") -> str:
    """The sentence of a paragraph that gives 主要原因, with the figure sentence before it."""
    sentences = re.split(r"(?<=[。；])", text)
    for i, s in enumerate(sentences):
        if "原因" in s:
            if subject and subject not in s and i > 0:
                return (sentences[i - 1] + s).strip()
            return s.strip()
    return text


def glossary_term(text: str) -> str:
    """The term a 名词解释 entry defines: 四、**其他资金**:包括… → 其他资金."""
    m = re.match(r"^[一二三四五六七八九十\d]+[、.．]\s*(.+?)\s*[:：]", text)
    return norm(m.group(1)) if m else ""


NUMBER_CLAUSE = re.compile(
    r"([\u4e00-\u9fa5A-Za-z（）()“”\"]{2,40}?)\s*(?:为|是|共|计|约)?\s*[:：]?\s*"
    r"(-?[\d,]+(?:\.\d+)?)\s*(万元|元|平方米|辆|台|人次|人|个|次|%|名|套|项)")


@dataclass
class Clause:
    """A figure the narrative states: "开展社会保险宣传活动 10.40 万元" → label, value, unit."""

    label: str
    value: float
    unit: str
    passage: Passage


SHARE = re.compile(r"([\u4e00-\u9fa5（）()“”]{2,40}?)\s*[\d,]+(?:\.\d+)?\s*万元\s*[，,]\s*占\s*([\d.]+)\s*%")
CHANGE = re.compile(r"比上年(?:预算|执行数)?\s*(增加|减少)\s*([\d,]+(?:\.\d+)?)\s*万元"
                    r"(?:\s*[，,]\s*(增长|下降|减少|增加)\s*-?([\d.]+)\s*%)?")
VERB_LABEL = re.compile(r"^(下降|增长|增加|减少|占|比上年.*|为|达|约)$")
COUNT = re.compile(r"(\d+)\s*个(科室|处室|股室|部门|项目|预算单位|下属单位)")
COUNT_AFTER = re.compile(r"(科室|处室|项目)共\s*(\d+)\s*个")
EQUIPMENT = re.compile(r"(\d+)\s*万元以上(?:的)?大型设备\s*(\d+)\s*台")
BARE = re.compile(r"([\u4e00-\u9fa5]{1,8}数)\s*(\d+)(?![\d.])")


def subject_before(text: str, pos: int) -> str:
    """The subject a sentence opens with, before a figure at `pos` ("基本支出 615.78 万元，…");
    for "培训支出（项）：2020年预算数为 0.52 万元，比上年…" the item named before the colon."""
    start = max(text.rfind(x, 0, pos) for x in "。；;：:\n")
    segment = re.sub(r"^[\d\s年，,、.]+", "", text[start + 1:pos])
    segment = re.sub(r"^(其中|包括)[:：]?", "", segment)
    m = re.match(r"[\u4e00-\u9fa5“”（）()]+", segment)
    subject = m.group(0) if m and len(m.group(0)) >= 2 else ""
    if (not subject or re.match(r"^(预算数|本年|本级|年|上年)", subject)) and start >= 0 and text[start] in "：:":
        before = text[max(text.rfind(x, 0, start) for x in "。；;\n") + 1:start]
        items = re.findall(r"([\u4e00-\u9fa5]+)[（(]项[)）]", before)
        runs = re.findall(r"[\u4e00-\u9fa5“”]{2,}", before)
        subject = items[-1] if items else (runs[-1] if runs else subject)
    return subject


def _lead(label: str) -> str:
    label = re.split(r"[，。；;、：:]|,(?!\d{3})", label)[-1]
    return re.sub(r"^(其中|包括|主要|分别是|预算安排规模)[:：]?", "", label)


def number_clauses(p: Passage) -> list[Clause]:
    """Every figure a passage states, with what it is a figure of (shares and changes included)."""
    out = []
    for m in SHARE.finditer(p.text):
        out.append(Clause(_lead(m.group(1)) + "占比", float(m.group(2)), "%", p))
    for m in CHANGE.finditer(p.text):
        lead = subject_before(p.text, m.start())
        if not lead:
            continue
        sign = -1.0 if m.group(1) == "减少" else 1.0
        out.append(Clause(lead + "比上年变化", sign * float(m.group(2).replace(",", "")), "万元", p))
        if m.group(4):
            rate_sign = -1.0 if m.group(3) in ("下降", "减少") else 1.0
            out.append(Clause(lead + "比上年变化率", rate_sign * float(m.group(4)), "%", p))
    for m in COUNT.finditer(p.text):
        out.append(Clause(m.group(2) + "数", float(m.group(1)), "个", p))
    for m in COUNT_AFTER.finditer(p.text):
        out.append(Clause(m.group(1) + "数", float(m.group(2)), "个", p))
    for m in EQUIPMENT.finditer(p.text):
        out.append(Clause(f"{m.group(1)}万元以上大型设备", float(m.group(2)), "台", p))
    for m in BARE.finditer(p.text):
        out.append(Clause(_lead(m.group(1)), float(m.group(2)), "人" if "人" in m.group(1) or "编制" in m.group(1)
                          else "", p))
    for piece in re.split(r"[，。；;、]|,(?!\d{3})", p.text):
        for m in NUMBER_CLAUSE.finditer(piece):
            label = re.sub(r"^(其中|包括|主要|分别是|预算安排规模)[:：]?", "", m.group(1))
            try:
                value = float(m.group(2).replace(",", ""))
            except ValueError:
                continue
            if m.group(3) == "%" or VERB_LABEL.match(label):
                continue  # shares and changes are read with what they are shares of, above
            out.append(Clause(label, value, m.group(3), p))
    return out
