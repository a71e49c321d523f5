"""Narrative passages of the documents asked about: reasons, definitions, lists, and passages that state
a table's figure in words.

Paragraphs of one document are ranked by `index.lexical.LexicalRanker` (BM25 over character pairs,
the heading counted in), built once per document view. What a passage is for is read from what it
says, not from where one template puts it: a reason says 原因/主要是/由于, a definition is a 名词解释
entry ("N、term：…"), a list enumerates (分别是/包括/下设/、…、).
"""
from __future__ import annotations

import re

from assistant.docview import DocView, Paragraph
from assistant.grams import clean
from index.lexical import LexicalRanker
from index.structure import LIST_ITEM

REASON = re.compile(r"原因|主要是|主要用于|由于|因为|系|用于")
GLOSSARY_ENTRY = re.compile(r"^[（(]?(?:[一二三四五六七八九十]{1,3}|\d{1,2})[)）]?[、.．]?\s*[“\"]?([^，。；：:,]{2,24}?)[”\"]?\s*[:：]")
ENUMERATION = re.compile(r"分别是|分别为|包括|包含|下设|设有|内设|所辖|主要有|有[:：]|其中[:：]|[:：].+[、；;].+")


def _ranker(view: DocView) -> LexicalRanker:
    ranker = getattr(view, "_ranker", None)
    if ranker is None:
        ranker = LexicalRanker([p.section.split(" > ")[-1] + p.text for p in view.paragraphs])
        view._ranker = ranker
    return ranker


def search(view: DocView, query: str, must=None, k: int = 5, numbers: list[float] | None = None
           ) -> list[tuple[float, Paragraph]]:
    """Best paragraphs of one document for `query`; `must(paragraph)` filters; stated amounts found add to the score."""
    paragraphs = view.paragraphs
    ranked = _ranker(view).rank(query, keep=(lambda i: must(paragraphs[i])) if must else None)
    out = []
    for score, i in ranked[: max(k * 4, 20)]:
        if score <= 0 and not numbers:
            continue  # shares no words with the question
        p = paragraphs[i]
        flat = p.text.replace(",", "")
        bonus = sum(2.0 for n in numbers or [] if _number_text(n) in flat)
        out.append((score + bonus, p))
    out.sort(key=lambda sp: -sp[0])
    return out[:k]


def _number_text(n: float) -> str:
    return f"{n:g}" if n != int(n) else f"{int(n)}"


def reasons(view: DocView, query: str, numbers: list[float]) -> list[tuple[float, Paragraph]]:
    return search(view, query, must=lambda p: bool(REASON.search(p.text)), numbers=numbers)


def glossary_term(text: str) -> str:
    m = GLOSSARY_ENTRY.match(text)
    return clean(m.group(1)) if m else ""


def definitions(view: DocView, query: str, terms: list[str]) -> list[tuple[float, Paragraph]]:
    """名词解释 entries, the one defining a term the question quotes first."""
    glossary = [p for p in view.paragraphs if "名词解释" in p.section or "术语" in p.section]

    def is_entry(p: Paragraph) -> bool:  # the glossary when the document has one, else entries anywhere
        return ("名词解释" in p.section or "术语" in p.section) if glossary else bool(glossary_term(p.text))

    hits = search(view, query, must=is_entry, k=20)
    wanted = {clean(t) for t in terms}
    exact = [(s + 50, p) for s, p in hits if glossary_term(p.text) in wanted and "名词解释" in p.section]
    named = [(s + 20, p) for s, p in hits if glossary_term(p.text) and any(
        w and (w in glossary_term(p.text) or glossary_term(p.text) in w) for w in wanted | {clean(query)})]
    return sorted(exact + named + hits, key=lambda sp: -sp[0])


def enumerations(view: DocView, query: str) -> list[tuple[float, Paragraph]]:
    return search(view, query, must=lambda p: bool(ENUMERATION.search(p.text)), k=3)


def reason_sentence(text: str) -> str:
    """The sentence of a paragraph that gives the reason, with the figure sentence before it."""
    sentences = [s for s in re.split(r"(?<=[。；])", text) if s.strip()]
    for i, s in enumerate(sentences):
        if REASON.search(s):
            return (sentences[i - 1] + s).strip() if i > 0 and not re.search(r"\d", s) else s.strip()
    return text


def stating(view: DocView, raw: str | list[str], label: str, k: int = 2) -> list[Paragraph]:
    """Paragraphs that state the same printed amount (any of its printed forms: 156,211,100 元 said as
    15,621.11 万元) for the same item (a table figure said in words)."""
    forms = [f for f in ([raw] if isinstance(raw, str) else raw) if f and f not in ("0", "0.00")]
    if not forms or not label:
        return []
    whole = clean(label)
    core = whole[:4]
    found = []
    for p in view.paragraphs:
        if any(f in p.text for f in forms) and core and core in clean(p.text):
            found.append((whole not in clean(p.text), len(found), p))  # the whole label said first
    return [p for *_, p in sorted(found)[:k]]


def items_after(view: DocView, lead: Paragraph, limit: int = 40) -> list[Paragraph]:
    """The numbered items a lead-in ("设10个内设机构，包括：") introduces: the paragraphs right after it in its
    section that open with a list marker ((一), 1., 一、)."""
    if not lead.text.rstrip().endswith(("：", ":")):
        return []
    paragraphs = view.paragraphs
    at = next((i for i, q in enumerate(paragraphs) if q is lead), None)
    out: list[Paragraph] = []
    for q in paragraphs[at + 1:] if at is not None else []:
        if q.section != lead.section or not LIST_ITEM.match(q.text.strip()) or len(out) >= limit:
            break
        out.append(q)
    return out


def item_head(text: str) -> str:
    """What a list item names: the words after its marker up to the first full stop ("（一）秘书科（联络科）。
    组织、协调…" → "秘书科（联络科）"), or the whole item when it is a name."""
    body = LIST_ITEM.sub("", text.strip(), count=1).strip()
    head = re.split(r"[。；;：:，,]", body, maxsplit=1)[0].strip()
    return head if 0 < len(head) <= 30 else body[:60]
