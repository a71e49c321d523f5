"""Pure operations on stored figures: each result is a `Figure` with its formula and its inputs.

Nothing here reads the store or writes a sentence: figures in, figure out. Amounts in different
units (元 and 万元) are brought to 万元 before they are combined, and the formula says so.
"""
from __future__ import annotations

from dataclasses import replace

from assistant.answer import Figure

TO_WANYUAN = {"万元": 1.0, "元": 1 / 10000, "千元": 1 / 10, "亿元": 10000.0}


def amount(value: float) -> str:
    """An amount as the disclosures print it: thousands separators, two decimals unless whole."""
    if abs(value - round(value)) < 1e-9 and abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def _common(figures: list[Figure]) -> tuple[list[float], str]:
    """Values in one unit: as given when they share it, else all in 万元."""
    units = {f.unit for f in figures}
    if len(units) == 1:
        return [f.value for f in figures], figures[0].unit
    if units <= set(TO_WANYUAN):
        return [f.value * TO_WANYUAN[f.unit] for f in figures], "万元"
    return [f.value for f in figures], figures[0].unit


def _result(value: float, unit: str, formula: str, inputs: list[Figure], like: Figure, **changes) -> Figure:
    base = dict(value=round(value, 2), unit=unit, formula=formula, inputs=list(inputs), cell_id=None)
    base.update(changes)
    return replace(like, **base)


def total(figures: list[Figure], name: str = "合计") -> Figure:
    values, unit = _common(figures)
    formula = " + ".join(amount(v) for v in values)
    return _result(sum(values), unit, formula, figures, figures[0], row=name, column=None)


def difference(a: Figure, b: Figure) -> Figure:
    (va, vb), unit = _common([a, b])
    return _result(va - vb, unit, f"{amount(va)} − {amount(vb)}", [a, b], a, row=f"{a.row}差额", column=None)


def growth(old: Figure, new: Figure) -> Figure | None:
    """(new − old) ÷ old × 100, or None when the old amount is 0."""
    (vo, vn), _ = _common([old, new])
    if not vo:
        return None
    rate = (vn - vo) / vo * 100
    return _result(rate, "%", f"({amount(vn)} − {amount(vo)}) ÷ {amount(vo)} × 100%", [old, new], new,
                   row=f"{new.row}增长率", column=None)


def share(part: Figure, whole: Figure) -> Figure | None:
    (vp, vw), _ = _common([part, whole])
    if not vw:
        return None
    return _result(vp / vw * 100, "%", f"{amount(vp)} ÷ {amount(vw)} × 100%", [part, whole], part,
                   row=f"{part.row}占比", column=None)


def rest_share(share_figure: Figure) -> Figure:
    """The share of the whole that is not the part: 100 − share ("收入里有多大比例不是财政拨款")."""
    return replace(share_figure, value=round(100 - share_figure.value, 2), formula=f"100% − {share_figure.formula}",
                   row=f"{share_figure.row}以外")


def ordered(figures: list[Figure], descending: bool = True) -> list[Figure]:
    """Figures by amount (compared in one unit), largest first unless `descending` is False."""
    values, _ = _common(figures)
    pairs = sorted(zip(values, range(len(figures))), key=lambda p: (-p[0] if descending else p[0], p[1]))
    return [figures[i] for _, i in pairs]


def previous_from_change(current: Figure, change: Figure) -> Figure:
    """The previous year's amount from this year's and the stated change: current − change (in one unit: a
    table in 元, a narrative change in 万元)."""
    (vc, vd), unit = _common([current, change])
    return _result(vc - vd, unit, f"{amount(vc)} − ({amount(vd)})", [current, change], current,
                   row=f"{current.row}（上年）", column=None)
