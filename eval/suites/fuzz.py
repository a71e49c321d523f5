"""Fuzz: seeded generated, truncated and garbled questions; the only requirement is that `ask` returns an Answer.

Starting from questions the other generators made (so the garbage sits next to real vocabulary),
each mutator makes one kind of input users, paste accidents and scripts produce: cuts, shuffles,
mixed scripts, very long text, nothing at all, only punctuation, SQL, emoji, full-width and
Chinese digits, codes of every length, operation words with nothing to operate on, control and
invisible characters. Same seed, same questions.
"""
from __future__ import annotations

import random
import re
import string

from eval.suites.cases import NO_CRASH, Case, Expected, Generated

FALLBACK_SEEDS = ["2025年三公经费是多少？", "一般公共预算支出情况表中，行政运行的合计是多少？", "科目208 01 09的项目支出是多少？",
                  "哪个单位的基本支出最多？", "两个单位的人员经费加起来是多少？", "比上年增长了百分之多少？"]
OPERATION_WORDS = ["合计", "总计", "之和", "加起来", "一共", "最多", "最少", "排名", "第二", "几个单位", "几份文件", "超过",
                   "增长", "下降", "比上年", "占", "比重", "百分之几", "相差", "多多少", "分别", "各", "平均", "人均",
                   "今年", "去年", "上年", "前年", "明年", "哪个", "哪一年", "和", "与", "及", "或", "科目", "表", "列", "行"]
UNIT_WORDS = ["社保中心", "社会保险中心", "社保局", "财政局", "自治州", "州", "市", "县", "区", "省", "办公厅", "委员会"]
SQL = ["'; DROP TABLE cells; --", "\" OR 1=1 --", "SELECT * FROM figures WHERE 1=1", "1; DELETE FROM documents",
       "UNION SELECT sql FROM sqlite_master", "%' AND value > 0 --", "?;?;?", "NULL", "' OR ''='"]
EMOJI = ["😀", "💰", "📊", "🇨🇳", "👍🏽", "🧾", "❤️", "🤔", "\U0001F9D1\u200D\U0001F4BC"]
SCRIPTS = ["abc", "ΑΒΓ", "Жизнь", "مرحبا", "שלום", "日本語のテキスト", "한국어", "ไทย", "हिन्दी", "ᠮᠣᠩᠭᠣᠯ", "ئۇيغۇرچە"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u202e", "\u2066", "\u00ad", "\u0000", "\u0007",
             "\u001b[31m", "\t", "\u3000", "\u00a0"]
PUNCTUATION = "，。？！：；、“”‘’（）《》【】…—·,.?!:;\"'()[]{}<>/\\|@#$%^&*_+=~`-"
CHINESE_DIGITS = dict(zip("0123456789", "〇一二三四五六七八九"))


def generate_fuzz(seed_questions: list[str], count: int = 2000, seed: int = 0,
                  vocabulary: list[str] | None = None) -> Generated:
    """`count` questions, the mutators in turn; `vocabulary` (the store's own names) feeds the recombining ones."""
    rng = random.Random(seed)
    seeds = [q for q in seed_questions if q] or FALLBACK_SEEDS
    words = [w for w in (vocabulary or []) if w] or seeds
    out = Generated("fuzz")
    # Truncations reach deepest (a real question missing a piece), so they get twice the turns.
    names = sorted(MUTATORS) + sorted(RECOMBINERS) + sorted(TRUNCATIONS)
    for i in range(count):
        name = names[i % len(names)]
        if name in RECOMBINERS:
            question = RECOMBINERS[name](rng, seeds, words)
        else:
            question = MUTATORS[name](rng, rng.choice(seeds))
        out.cases.append(Case("fuzz", name, name, question, Expected(NO_CRASH)))
    out.items = count
    out.covered = count
    return out


def line_safe(question: str) -> bool:
    """A question that stays one line of UTF-8 on stdin and is not blank once stripped (for `ask -`)."""
    if not question.strip() or len(question.splitlines()) != 1 or "\r" in question:
        return False
    try:
        question.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_JOINTS = re.compile(r"(?<=[中的里，、和])")
TEMPLATES = ["{0}{1}年{2}中{3}的{4}是多少？", "{0}{1}年{3}的{4}和{5}是多少？", "{2}里{3}的{4}占{5}的百分之几？",
             "{0}和{0}{1}年{3}加起来是多少？", "{1}年哪个单位的{2}中{3}最多？", "{0}{1}年{2}的{4}比{1}年多多少？",
             "{0}{3}{4}{5}", "{2}中{3}的{4}的{5}是多少？", "{0}{1}年{4}中的{5}是多少？"]


def _splice(rng: random.Random, seeds: list[str], words: list[str]) -> str:
    """Pieces of several generated questions, cut at their joints (中 的 里 ，) and glued in another order."""
    pieces = [p for q in rng.sample(seeds, min(len(seeds), rng.randint(2, 4))) for p in _JOINTS.split(q) if p]
    rng.shuffle(pieces)
    return "".join(pieces[:rng.randint(1, max(1, len(pieces)))])


def _mismatched_names(rng: random.Random, seeds: list[str], words: list[str]) -> str:
    """Names the store holds, each real, put together where they do not fit (a row of one table, a column of another)."""
    year = rng.choice(["2025", "2024", "2020", "2019", "2026", "０", "二〇二五"])
    picks = [rng.choice(words) for _ in range(6)]
    return rng.choice(TEMPLATES).format(picks[0], year, *picks[1:])


RECOMBINERS = {"splice": _splice, "mismatched_names": _mismatched_names}


def _cut(rng: random.Random, q: str) -> str:
    if len(q) < 2:
        return q
    i, j = sorted(rng.sample(range(len(q) + 1), 2))
    return q[i:j]


def _prefix(rng, q):
    return q[:rng.randint(0, len(q))]


def _suffix(rng, q):
    return q[rng.randint(0, len(q)):]


def _drop(rng, q):
    return "".join(ch for ch in q if rng.random() > 0.3)


def _lost_start(rng, q):
    """A paste that lost its first characters, often in the middle of a word."""
    return q[rng.randint(1, max(1, len(q) // 2)):]


def _lost_end(rng, q):
    return q[:len(q) - rng.randint(1, max(1, len(q) // 2))]


def _drop_one(rng, q):
    if not q:
        return q
    k = rng.randrange(len(q))
    return q[:k] + q[k + 1:]


def _shuffle(rng, q):
    chars = list(q)
    rng.shuffle(chars)
    return "".join(chars)


def _swap_halves(rng, q):
    k = rng.randint(0, len(q))
    return q[k:] + q[:k]


def _repeat(rng, q):
    return q * rng.randint(2, 6)


def _very_long(rng, q):
    if rng.random() < 0.5:
        return (q + rng.choice(["，", "", "和"])) * rng.randint(60, 200)
    return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.randint(3000, 12000)))


def _blank(rng, q):
    return rng.choice(["", " ", "\t", "\n", "\u3000", "   \n\t ", "\r\n", "\u200b"])


def _punctuation(rng, q):
    return "".join(rng.choice(PUNCTUATION) for _ in range(rng.randint(1, 40)))


def _sql(rng, q):
    injection = rng.choice(SQL)
    return rng.choice([injection, q + injection, injection + q, q.replace("的", injection, 1)])


def _sprinkle(pool: list[str], most: int):
    """A mutator inserting 1..most items of `pool` at random places."""
    def mutate(rng: random.Random, q: str) -> str:
        chars = list(q)
        for _ in range(rng.randint(1, most)):
            chars.insert(rng.randint(0, len(chars)), rng.choice(pool))
        return "".join(chars)
    return mutate


def _full_width(rng, q):
    table = {c: chr(ord(c) + 0xFEE0) for c in string.digits + string.ascii_letters + " "}
    return "".join(table.get(c, c) if rng.random() < 0.8 else c for c in q)


def _chinese_digits(rng, q):
    return "".join(CHINESE_DIGITS.get(c, c) for c in q)


def _odd_numbers(rng, q):
    number = rng.choice(["9" * rng.randint(20, 400), "-1", "0", "0.000", "1e309", "-0", "NaN", "inf", "1,2,3,4",
                         "３.１４", "10%", "%", "二〇二五", "¥100", "1/0", "0x1F", "１２３４５６７８９０"])
    return rng.choice([number, q + number, q.replace("是多少", number + "是多少"), f"{number}年{q}"])


def _codes(rng, q):
    digits = "".join(rng.choice(string.digits) for _ in range(rng.randint(1, 12)))
    spaced = " ".join(digits[i:i + rng.randint(1, 3)] for i in range(0, len(digits), 2))
    form = rng.choice([digits, spaced, f"科目{digits}", f"科目 {spaced}", f"{digits}类", f"表{digits}",
                       f"第{digits}行", f"表{rng.choice(['零', '-1', '〇', '一百'])}"])
    return rng.choice([form, f"{q[:len(q) // 2]}{form}的合计是多少？", f"{form}是多少？", q + form])


def _operation_words(rng, q):
    words = rng.sample(OPERATION_WORDS, rng.randint(1, 6))
    return rng.choice(["".join(words), "".join(words) + "？", q[:rng.randint(0, len(q))] + "".join(words),
                       "的".join(words) + "是多少？"])


def _unit_glue(rng, q):
    parts = [rng.choice(UNIT_WORDS) for _ in range(rng.randint(1, 6))]
    years = [f"{rng.choice(['0', '99999', '2025', '1900', '20', '２０２５'])}年" for _ in range(rng.randint(0, 3))]
    return "".join(parts + years) + rng.choice(["", q, "是多少？", "和" + q])


def _markup(rng, q):
    return rng.choice([f"<b>{q}</b>", f"**{q}**", f"# {q}", f"| {q} | 1 |", f"<script>alert(1)</script>{q}",
                       f"```{q}```", f"[{q}](http://x)", q.replace("的", "\\n的")])


def _surrogate(rng, q):
    """Lone surrogates: a str Python can hold but no UTF-8 encoder accepts."""
    k = rng.randint(0, len(q))
    return q[:k] + rng.choice(["\ud800", "\udfff", "\udc80"]) + q[k:]


def _newlines(rng, q):
    return "\n".join(q[i:i + rng.randint(1, 6)] for i in range(0, len(q), 3))


TRUNCATIONS = {"cut": _cut, "prefix": _prefix, "suffix": _suffix, "drop_chars": _drop, "swap_halves": _swap_halves,
               "lost_start": _lost_start, "lost_end": _lost_end, "drop_one": _drop_one}
MUTATORS = {
    **TRUNCATIONS, "shuffle": _shuffle,
    "repeat": _repeat, "very_long": _very_long, "blank": _blank,
    "punctuation_only": _punctuation, "sql": _sql, "emoji": _sprinkle(EMOJI, 6),
    "mixed_scripts": _sprinkle(SCRIPTS, 5), "full_width": _full_width, "chinese_digits": _chinese_digits,
    "odd_numbers": _odd_numbers, "codes": _codes, "operation_words": _operation_words, "unit_glue": _unit_glue,
    "invisible": _sprinkle(INVISIBLE, 8), "markup": _markup, "surrogate": _surrogate, "newlines": _newlines,
}
