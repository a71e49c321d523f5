"""What the store knows, as words: units with their aliases, years, row labels, columns, facts.

Built from the store at start-up, never hard-coded per document, so a disclosure of another
province answers like the samples. Aliases follow how people shorten Chinese body names:
巴音郭楞蒙古自治州 → 巴州 / 巴音郭楞, 乌鲁木齐市 → 乌市 / 乌鲁木齐, 社会保险 → 社保,
社会保险管理局 → 社保局, 人民检察院 → 检察院 …
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.store import Store

REGION = re.compile(r"^(.*?(?:自治州|自治区|自治县|地区|盟|省|市|县|区|旗|州))(.+)$")
ETHNIC = re.compile(r"(蒙古|回族|哈萨克|柯尔克孜|维吾尔|藏族|彝族|苗族|土家族|壮族|朝鲜族|傣族|白族|布依族|侗族|"
                    r"哈尼族|傈僳族|景颇族|羌族|黎族|瑶族|满族|锡伯)+")
ORG_SHORT = [("社会保险", "社保"), ("管理局", "局"), ("高级人民法院", "法院"), ("高级人民法院", "高院"),
             ("人民检察院", "检察院"), ("人民法院", "法院"), ("常委会", ""), ("委员会", "委"), ("办公厅", "办")]


def region_aliases(region: str) -> set[str]:
    out = {region}
    if region.endswith("自治州"):
        stem = ETHNIC.sub("", region[:-3])
        out |= {stem, stem + "州", region[0] + "州", region[:2] + "州"}
    elif region.endswith(("市", "县", "省", "区")) and len(region) >= 3:
        out.add(region[:-1])
        if region.endswith("市") and len(region) >= 4:
            out.add(region[0] + "市")
    return {a for a in out if len(a) >= 2}


def org_aliases(org: str) -> set[str]:
    out = {org}
    for long, short in ORG_SHORT:
        for a in list(out):
            if long in a:
                out.add(a.replace(long, short))
    for a in list(out):
        if a.endswith("局") and "管理局" not in a and len(a) > 2:
            out.add(a)
    return {a for a in out if len(a) >= 2}


@dataclass
class Unit:
    name: str
    region: str
    org: str
    region_names: set[str]
    org_names: set[str]
    documents: list[dict] = field(default_factory=list)  # {id, year, budget_kind, source_file}

    @property
    def years(self) -> list[int]:
        return sorted({d["year"] for d in self.documents if d["year"]})


@dataclass
class Lexicon:
    units: list[Unit]
    row_labels: dict[str, set[str]]  # label → table kinds it appears in
    column_leaves: set[str]
    fact_names: set[str]
    org_words: set[str]

    @classmethod
    def build(cls, store: Store) -> "Lexicon":
        units: dict[str, Unit] = {}
        for d in store.documents():
            unit = units.get(d.unit_name)
            if unit is None:
                m = REGION.match(d.unit_name)
                region, org = (m.group(1), m.group(2)) if m else ("", d.unit_name)
                unit = Unit(d.unit_name, region, org, region_aliases(region) if region else set(), org_aliases(org))
                units[d.unit_name] = unit
            unit.documents.append({"id": d.id, "year": d.year, "budget_kind": d.budget_kind,
                                   "source_file": d.source_file})
        labels: dict[str, set[str]] = {}
        for r in store.query("SELECT DISTINCT c.row_label, t.kind FROM cells c JOIN tables t ON t.id = c.table_id"):
            if r["row_label"]:
                labels.setdefault(r["row_label"], set()).add(r["kind"])
        leaves = {r["column_path"].split("/")[-1] for r in store.query("SELECT DISTINCT column_path FROM cells")}
        facts = {r["name"] for r in store.query("SELECT DISTINCT name FROM facts")}
        org_words = set()
        for u in units.values():
            org_words |= u.org_names
        return cls(list(units.values()), labels, leaves, facts, org_words)

    def jieba_words(self) -> set[str]:
        """Domain words for the tokenizer: unit names and aliases, row labels, columns, facts."""
        words = set(self.row_labels) | self.column_leaves | self.fact_names
        for u in self.units:
            words |= {u.name} | u.region_names | u.org_names
            words |= {r + o for r in u.region_names for o in u.org_names}
        return {w for w in words if 2 <= len(w) <= 30}
