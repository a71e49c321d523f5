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


@dataclass
class Clause:
    """A figure the narrative states ("开展社会保险宣传活动 10.40 万元"), with its passage."""

    label: str
    value: float
    unit: str
    passage: Passage
