"""Character clean-up shared by every reader: what a cell or line means, not how it was typed.

PDF font subsets yield Kangxi-radical code points (⾳ for 音, ⽀ for 支); exports carry `<b>` tags,
markdown emphasis, full-width digits and labels spaced out for layout (收 入 总 计). Mapping is
character by character: NFKC over the whole text would also turn （），： into ASCII.
"""
from __future__ import annotations

import re
import unicodedata

# CJK Radicals Supplement (U+2E80–U+2EFF) has no NFKC mapping except ⻟ and ⻳; these are the
# ones seen in disclosure PDFs, mapped to the ordinary character they stand for.
_RADICAL_SUPPLEMENT = {
    "⺀": "冫", "⺁": "厂", "⺃": "乙", "⺅": "亻", "⺇": "几", "⺈": "刀", "⺊": "卜", "⺋": "卩",
    "⺌": "小", "⺍": "小", "⺎": "兀", "⺏": "尣", "⺐": "尢", "⺑": "尢", "⺒": "巳", "⺓": "幺",
    "⺔": "彐", "⺖": "忄", "⺗": "心", "⺘": "扌", "⺙": "攵", "⺛": "旡", "⺜": "日", "⺝": "月",
    "⺞": "歺", "⺟": "母", "⺠": "民", "⺡": "氵", "⺢": "氺", "⺣": "灬", "⺤": "爫", "⺥": "爫",
    "⺦": "丬", "⺧": "牛", "⺨": "犭", "⺩": "王", "⺪": "疋", "⺫": "目", "⺬": "示", "⺭": "礻",
    "⺮": "竹", "⺯": "糸", "⺰": "纟", "⺱": "网", "⺲": "罒", "⺳": "网", "⺴": "网", "⺵": "网",
    "⺶": "羊", "⺷": "羊", "⺸": "羊", "⺹": "老", "⺺": "肀", "⺻": "聿", "⺼": "月", "⺽": "臼",
    "⺾": "艹", "⺿": "艹", "⻀": "艹", "⻁": "虎", "⻂": "衤", "⻃": "西", "⻄": "西", "⻅": "见",
    "⻆": "角", "⻇": "角", "⻈": "讠", "⻉": "贝", "⻊": "足", "⻋": "车", "⻌": "辶", "⻍": "辶",
    "⻎": "辶", "⻏": "阝", "⻐": "金", "⻑": "長", "⻒": "镸", "⻓": "长", "⻔": "门", "⻕": "阝",
    "⻖": "阝", "⻗": "雨", "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞", "⻝": "食",
    "⻞": "食", "⻟": "食", "⻠": "饣", "⻡": "首", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼",
    "⻦": "鸟", "⻧": "卤", "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻫": "齐", "⻬": "齐", "⻭": "齿",
    "⻮": "齿", "⻯": "龙", "⻰": "龙", "⻱": "龟", "⻲": "龟", "⻳": "龟",
}

_TAGS = re.compile(r"</?(?:b|strong|em|i|u|span|br)\s*/?>", re.I)
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_SPACES = re.compile(r"[ \u3000\u00a0\t]+")


def normalize_char(ch: str) -> str:
    code = ord(ch)
    if 0x2F00 <= code <= 0x2FDF:  # Kangxi radicals: NFKC maps each to its ideograph
        return unicodedata.normalize("NFKC", ch)
    if 0x2E80 <= code <= 0x2EFF:
        return _RADICAL_SUPPLEMENT.get(ch, ch)
    if 0xFF10 <= code <= 0xFF19:  # full-width digits
        return chr(code - 0xFF10 + 0x30)
    if ch in "\u00a0\u3000":
        return " "
    return ch


def normalize_text(text: str) -> str:
    """Map radicals and full-width digits back; leave punctuation as printed."""
    if text.isascii():
        return text
    return "".join(normalize_char(c) for c in text)


def strip_markup(text: str) -> str:
    """Remove `<b>` tags and markdown emphasis/heading marks from a line or cell."""
    text = _TAGS.sub("", text)
    text = _BOLD.sub(r"\1", text)
    return text.strip()


def squash(text: str) -> str:
    """Remove every space: labels spaced for layout (收 入 总 计) become one word."""
    return _SPACES.sub("", text)


def clean_cell(text: str) -> str:
    return normalize_text(strip_markup(text)).strip()


def label(text: str) -> str:
    """A row or column label as stored: markup and all spaces removed."""
    return squash(clean_cell(text))
