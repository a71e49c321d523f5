"""Character pairs: the unit of matching a question's words against the store's labels.

Chinese labels are matched by the character pairs they share with the question (no tokenizer: a
label quoted in part, in another order or with a word left out still shares most of its pairs). Both
sides are normalised the same way first: quote marks, brackets of structure (（类）（项）), spaces and
punctuation go; a pair's weight is its inverse document frequency among the labels of the documents
asked about, so 支出/预算/经费 weigh little and 接待/养老/物业 much.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from typing import Iterable

from assistant.words import FUNCTION_CHARS

_STRUCTURE = re.compile(r"[（(](类|款|项|小计|合计|万元|元)[)）]")
_NUMBERING = re.compile(r"^(其中[：:]?|[一二三四五六七八九十]+[、.．]|\d+[.．、](?!\d)|[（(][一二三四五六七八九十\d]+[)）]|"
                        r"[①②③④⑤⑥⑦⑧⑨⑩])")
_HAN_PAIR = re.compile(r"^[\u4e00-\u9fa5]+$")
_DROP = re.compile(r"[\s“”\"'‘’「」『』《》【】\[\]（）()：:，,。；;、？?！!·/\\—\-－_]+")


SHORT = 40  # labels, column paths and titles are this short, and the same ones recur in every document
CACHED = 16384  # how many short texts keep their cleaned form and pairs (a few MB)


def clean(text: str) -> str:
    """A label or question as matched: numbering, structure marks, quotes and punctuation removed."""
    text = text or ""
    return _clean_short(text) if len(text) <= SHORT else _clean(text)


def _clean(text: str) -> str:
    text = _NUMBERING.sub("", text.strip())
    text = _STRUCTURE.sub("", text)
    return _DROP.sub("", text)


_clean_short = lru_cache(maxsize=CACHED)(_clean)


def grams(text: str) -> frozenset[str]:
    text = text or ""
    return _grams_short(text) if len(text) <= SHORT else _grams(text)


def _grams(text: str) -> frozenset[str]:
    t = clean(text)
    if len(t) == 1:
        return frozenset({t})
    return frozenset(t[i:i + 2] for i in range(len(t) - 1))


_grams_short = lru_cache(maxsize=CACHED)(_grams)


def skip_pairs(text: str) -> frozenset[str]:
    """Pairs of characters one apart: an abbreviation keeps the first character of each word (社保 ← 社会保障)."""
    t = clean(text)
    return frozenset(t[i] + t[i + 2] for i in range(len(t) - 2))


def char_grams(text: str) -> list[tuple[int, str]]:
    """(position, pair) over the cleaned text, for coverage of the question's characters."""
    t = clean(text)
    return [(i, t[i:i + 2]) for i in range(len(t) - 1)] or ([(0, t)] if t else [])


class Weights:
    """Inverse document frequency of pairs over a set of field strings (labels, columns, titles, facts)."""

    def __init__(self, fields: Iterable[str]):
        df: Counter = Counter()
        n = 0
        for f in fields:
            n += 1
            df.update(grams(f))
        self.n = max(n, 1)
        self.df = df
        known = sorted(math.log((self.n + 1) / (d + 0.5)) for d in df.values())
        # a word the documents never print weighs half a typical word: a paraphrase, or a thing not held
        self.unknown = 0.5 * known[len(known) // 2] if known else 1.0

    def __call__(self, gram: str) -> float:
        df = self.df.get(gram, 0)
        if not df and not _HAN_PAIR.match(gram):
            return 0.2  # digits of an amount the question states, printed in no label: little weight
        w = math.log((self.n + 1) / (df + 0.5)) if df else self.unknown
        if any(c in FUNCTION_CHARS for c in gram):
            w *= 0.3
        return max(w, 0.05)

    def known(self, gram: str) -> bool:
        return gram in self.df

    def total(self, gs: Iterable[str]) -> float:
        return sum(self(g) for g in gs)
