"""Other names of what the store holds: unit aliases by rule, colloquial terms from a small table.

A unit name is a chain of places (省 / 自治区 / 自治州 / 地区 / 市 / 县 / 区) and a body. Users
drop higher places (新疆维吾尔自治区…, 上海市普陀区 → 普陀区), say a place short (巴音郭楞蒙古自治州
→ 巴音郭楞 / 巴州, 乌鲁木齐市 → 乌鲁木齐 / 乌市, 和静县 → 和静, 江苏省X → 省X) and a body short
(社会保险中心 → 社保中心). These are this module's own rules, written from how Chinese bodies are
named, not taken from the answering code; an alias two units could claim is dropped.
"""
from __future__ import annotations

import re
from collections import defaultdict

# Body names and their everyday short forms (longest first when one contains another).
BODY_SHORT_FORMS: list[tuple[str, str]] = [
    ("社会保险事业管理中心", "社保中心"), ("社会保险事业管理局", "社保局"), ("社会保险管理局", "社保局"),
    ("社会保险中心", "社保中心"), ("人力资源和社会保障局", "人社局"), ("发展和改革委员会", "发改委"),
    ("规划和自然资源局", "规划资源局"), ("卫生健康委员会", "卫健委"), ("人民政府办公室", "政府办"),
    ("人民政府办公厅", "政府办公厅"), ("高级人民法院", "高院"), ("中级人民法院", "中院"),
    ("人民检察院", "检察院"), ("人民代表大会常务委员会", "人大常委会"), ("商务委员会", "商务委"),
    ("街道办事处", "街道"),
]

_ETHNIC = ("蒙古", "回族", "哈萨克", "柯尔克孜", "维吾尔", "藏族", "彝族", "苗族", "土家族", "壮族", "傣族",
           "朝鲜族", "布依族", "侗族", "白族", "哈尼族", "傈僳族", "羌族", "黎族", "满族", "锡伯")
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,9}?(?:自治区|自治州|自治县|特别行政区|省|市|地区|州|盟|县|区|旗)")

# Colloquial or shortened names of printed terms (printed, colloquial). Applied to a title, a row
# label or a column header; each pair is one way people say the printed term.
COLLOQUIAL: list[tuple[str, str]] = [
    ("“三公”经费", "三公经费"), ('"三公"经费', "三公经费"), ("公务用车", "公车"),
    ("因公出国（境）费", "因公出国费"), ("公务接待费", "接待费"), ("财政拨款（补助）", "财政拨款"),
    ("一般公共预算基本支出", "基本支出"), ("公用经费", "日常公用经费"), ("社会保障和就业支出", "社保和就业支出"),
    ("维修（护）费", "维修费"), ("对个人和家庭的补助", "对个人和家庭补助"), ("住房公积金", "公积金"),
    ("机关事业单位基本养老保险缴费", "养老保险缴费"), ("职工基本医疗保险缴费", "医疗保险缴费"),
    ("资本性支出（基本建设）", "基本建设支出"),
]


def split_unit(name: str) -> tuple[list[str], str]:
    """乌鲁木齐市社会保险中心 → (['乌鲁木齐市'], '社会保险中心')."""
    places, rest = [], name
    while True:
        m = _PLACE.match(rest)
        if not m or len(rest) == m.end():
            return places, rest
        places.append(m.group())
        rest = rest[m.end():]


def place_forms(place: str) -> list[str]:
    """The most specific place as users say it: 巴音郭楞蒙古自治州 → 巴音郭楞 / 巴州; 江苏省 → 省."""
    forms = [place]
    if place.endswith("自治州"):
        core = place[:-3]
        for ethnic in _ETHNIC:
            if core.endswith(ethnic) and len(core) > len(ethnic):
                core = core[:-len(ethnic)]
                break
        forms += [core, (core[0] if len(core) >= 4 else core) + "州"]
    elif place.endswith("地区") and len(place) >= 4:
        forms.append(place[:-2])
    elif place.endswith("省"):
        forms.append("省")
    elif place[-1] in "市县区旗" and len(place) >= 3 and not place.endswith("自治区"):
        core = place[:-1]
        forms.append(core)
        if place.endswith("市") and len(core) >= 4:
            forms.append(core[0] + "市")
    return list(dict.fromkeys(f for f in forms if f))


def body_forms(body: str) -> list[str]:
    """A body as users say it: 社会保险中心 → 社保中心; 人民政府万里街道办事处 → 万里街道办事处 → 万里街道."""
    forms = [body]
    if body.startswith("人民政府") and re.search("街道|镇|乡", body[len("人民政府"):]):
        forms.append(body[len("人民政府"):])
    for form in list(forms):
        for printed, short in BODY_SHORT_FORMS:
            if printed in form:
                forms.append(form.replace(printed, short, 1))
                break
    return list(dict.fromkeys(forms))


def unit_aliases(name: str) -> list[str]:
    """Every alias of one unit name by the rules above (the name itself excluded)."""
    places, body = split_unit(name)
    bodies = body_forms(body)
    if not places:
        return [b for b in bodies if b != name]
    # Higher places may be dropped; the most specific one is said short only when it stands alone.
    chains = ["".join(places[start:]) for start in range(len(places) - 1)] + place_forms(places[-1])
    aliases = [chain + b for chain in chains for b in bodies]
    return [a for a in dict.fromkeys(aliases) if a != name]


def alias_table(unit_names: list[str]) -> dict[str, list[str]]:
    """unit name → its aliases that no other unit of the store could also claim."""
    claims: dict[str, set[str]] = defaultdict(set)
    names = sorted(set(unit_names))
    for name in names:
        claims[name].add(name)
        for alias in unit_aliases(name):
            claims[alias].add(name)
    table: dict[str, list[str]] = {}
    for name in names:
        table[name] = [a for a in unit_aliases(name) if claims[a] == {name} and not _inside_other(a, name, names)]
    return table


def _inside_other(alias: str, owner: str, names: list[str]) -> bool:
    """An alias that is part of another unit's full name would point at that unit too."""
    return any(alias in other for other in names if other != owner)


def colloquial_variant(text: str) -> str | None:
    """The text with its first colloquial substitution applied, or None when none applies."""
    for printed, said in COLLOQUIAL:
        if printed in text:
            return text.replace(printed, said, 1)
    return None
