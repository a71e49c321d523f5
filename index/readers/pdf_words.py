"""A PDF page as plain data: words with their boxes, text lines, and the ruling lines drawn on it.

Everything after this module works on these small records, never on pdfplumber objects, so table
reconstruction is a chain of functions over lists (the way pdfplumber's own table finder reads).
Coordinates are pdfplumber's: points, origin at the top-left of the page.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from index.chars import normalize_text


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Line:
    """Words sharing a baseline, left to right."""

    words: list[Word] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def size(self) -> float:
        return statistics.median(w.size for w in self.words)

    @property
    def text(self) -> str:
        return join_words(self.words)


@dataclass
class Rules:
    """Ruling lines of a page: horizontal (y, x0, x1) and vertical (x, top, bottom) segments."""

    horizontal: list[tuple[float, float, float]] = field(default_factory=list)
    vertical: list[tuple[float, float, float]] = field(default_factory=list)

    def between(self, y0: float, y1: float, x0: float, x1: float) -> bool:
        """A horizontal rule crosses the x range [x0, x1] strictly between heights y0 and y1."""
        return any(y0 < y < y1 and a <= x1 and b >= x0 for y, a, b in self.horizontal)


def join_words(words: list[Word]) -> str:
    """Words of one line as text: a space where the source left a visible gap."""
    out = ""
    prev = None
    for w in words:
        if prev is not None and w.x0 - prev.x1 > 0.2 * min(w.size, prev.size):
            out += " "
        out += w.text
        prev = w
    return out


def page_words(page) -> list[Word]:
    """The page's words (split at spaces and gaps), characters mapped back (⾳ → 音)."""
    words = []
    for w in page.extract_words(keep_blank_chars=False, use_text_flow=False, extra_attrs=["size"]):
        text = normalize_text(w["text"]).strip()
        if text:
            words.append(Word(text, float(w["x0"]), float(w["x1"]), float(w["top"]), float(w["bottom"]),
                              float(w.get("size") or 10.0)))
    return words


def text_lines(words: list[Word]) -> list[Line]:
    """Group words into lines: a word joins the line whose vertical middle it shares, or, where fonts
    of one line sit on different baselines (FangSong text with Times New Roman figures, 5 pt apart),
    the line it overlaps by most of its height without colliding with a word already there."""
    lines: list[Line] = []
    for w in sorted(words, key=lambda w: (round(w.top, 1), w.x0)):
        line = _line_for(w, lines[-4:])
        if line is None:
            lines.append(Line([w]))
        else:
            line.words.append(w)
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    lines.sort(key=lambda ln: ln.top)
    return lines


def _line_for(w: Word, recent: list[Line]) -> Line | None:
    share = 0.45 if w.text.isascii() else 0.35  # figures in a Latin font sit a little lower or higher
    for line in reversed(recent):
        first = line.words[0]
        if abs(w.middle - first.middle) <= share * max(min(w.size, first.size), 1.0):
            return line
    best, best_overlap = None, 0.5
    for line in recent:
        height = min(w.bottom - w.top, line.bottom - line.top)
        overlap = (min(w.bottom, line.bottom) - max(w.top, line.top)) / height if height > 0 else 0.0
        collides = any(w.x0 < o.x1 - 0.5 and o.x0 < w.x1 - 0.5 for o in line.words)
        if overlap > best_overlap and not collides:
            best, best_overlap = line, overlap
    return best


def page_rules(page) -> Rules:
    """Horizontal and vertical ruling segments from the page's lines, rectangle edges and thin filled bars."""
    rules = Rules()
    for e in page.edges:
        x0, x1, top, bottom = float(e["x0"]), float(e["x1"]), float(e["top"]), float(e["bottom"])
        if abs(bottom - top) <= 2 and x1 - x0 >= 4:
            rules.horizontal.append(((top + bottom) / 2, x0, x1))
        elif abs(x1 - x0) <= 2 and bottom - top >= 4:
            rules.vertical.append(((x0 + x1) / 2, top, bottom))
    rules.horizontal.sort()
    rules.vertical.sort()
    return rules
