"""The bodies the store holds, and every way a question may name them.

Names are split into their place chain and the body (上海市 · 普陀区 · 人民政府办公室); short forms follow
how Chinese body names are shortened (`words.ORG_SHORT_FORMS`: 社会保险 → 社保, 委员会 → 委, 人民政府办公室 →
府办 …; 巴音郭楞蒙古自治州 → 巴州, 乌鲁木齐市 → 乌市; 省/区/州 + body). Nothing here names a document: a
body of another province is named the same way. `link()` finds the bodies a question names, and the
bodies it names that the corpus does not hold.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import product

from assistant.words import (BODY_SUFFIXES, ETHNIC_WORDS, GENERIC_ORG_WORDS, OFFICE_WORDS, ORG_SHORT_FORMS,
                             REGION_SUFFIXES)

_REGION = re.compile(rf"^([\u4e00-\u9fa5]{{1,12}}?(?:{'|'.join(REGION_SUFFIXES)}))")
_HAN = re.compile(r"[\u4e00-\u9fa5]")
_JOINERS = "、，,和与及跟同"


def split_name(name: str) -> tuple[list[str], str]:
    """"上海市普陀区人民政府办公室" → (["上海市", "普陀区"], "人民政府办公室"); a body name stays whole."""
    regions, rest = [], name
    while True:
        m = _REGION.match(rest)
        if not m or len(rest) - len(m.group(1)) < 2:
            break
        part = m.group(1)
        # "江苏省委办公厅": the level word belongs to the body (省委), not to a place called 江苏省委
        regions.append(part)
        rest = rest[len(part):]
    return regions, rest


def region_forms(region: str) -> set[str]:
    """巴音郭楞蒙古自治州 → 巴音郭楞州, 巴州, 巴音郭楞; 乌鲁木齐市 → 乌鲁木齐, 乌市; 普陀区 → 普陀."""
    out = {region}
    for suffix in REGION_SUFFIXES:
        if region.endswith(suffix) and len(region) > len(suffix):
            stem = region[: -len(suffix)]
            for word in ETHNIC_WORDS:
                stem = stem.replace(word, "")
            if len(stem) >= 2:
                out.add(stem)
            if suffix.endswith("州"):
                out |= {stem + "州", stem[0] + "州"}
            if suffix == "市" and len(region) >= 4:
                out.add(region[0] + "市")
            break
    return {f for f in out if len(f) >= 2}


def org_forms(org: str) -> set[str]:
    """Every short form of a body's own name, by the shortening rules (applied until nothing changes)."""
    forms = {org}
    changed = True
    while changed:
        changed = False
        for form in list(forms):
            for long, shorts in ORG_SHORT_FORMS:
                if long in form:
                    for short in shorts:
                        new = form.replace(long, short, 1)
                        if len(new) >= 2 and new not in forms:
                            forms.add(new)
                            changed = True
        for form in list(forms):
            for office in OFFICE_WORDS:
                core = form[: -len(office)] if form.endswith(office) else ""
                if len(core) >= 2 and core not in forms:
                    forms.add(core)
                    changed = True
    return {f for f in forms if len(f) >= 2}


@dataclass
class Body:
    name: str
    regions: list[str]
    org: str
    documents: list = field(default_factory=list)  # DocInfo of this body

    @property
    def years(self) -> list[int]:
        return sorted({d.year for d in self.documents if d.year})

    def region_names(self) -> set[str]:
        return {f for r in self.regions for f in region_forms(r)}

    def names(self) -> dict[str, str]:
        """Each way to name this body alone → "full" (with a place), "level" (省/区 + body) or "org"."""
        orgs = org_forms(self.org)
        out: dict[str, str] = {f: "org" for f in orgs if f not in GENERIC_ORG_WORDS}
        chains = [self.regions[k:] for k in range(len(self.regions))]
        for chain in chains:
            for places in product(*(sorted(region_forms(r)) for r in chain)):
                for o in orgs:
                    out["".join(places) + o] = "full"
        if self.regions:
            level = self.regions[-1][-1]
            for o in orgs:
                out.setdefault(level + o, "level")
        out[self.name] = "full"
        return out


@dataclass
class Mention:
    start: int
    end: int
    text: str
    bodies: list[Body]
    kind: str  # full / level / org / region


@dataclass
class Linked:
    bodies: list[Body]  # in the order the question names them
    unknown: list[str]  # bodies named that the corpus does not hold
    spans: list[tuple[int, int]]  # where the names stand in the text
    positions: dict[str, int] = field(default_factory=dict)  # body name → where it is first named


class Lexicon:
    """Bodies of the store with their names; built from the list of documents, not from the cells."""

    def __init__(self, documents: list):
        bodies: dict[str, Body] = {}
        for d in documents:
            body = bodies.get(d.unit_name)
            if body is None:
                regions, org = split_name(d.unit_name)
                body = bodies[d.unit_name] = Body(d.unit_name, regions, org)
            body.documents.append(d)
        self.bodies = list(bodies.values())
        self.by_name: dict[str, list[tuple[Body, str]]] = {}
        for body in self.bodies:
            for form, kind in body.names().items():
                self.by_name.setdefault(form, []).append((body, kind))
        self.by_region: dict[str, list[Body]] = {}
        for body in self.bodies:
            for form in body.region_names():
                self.by_region.setdefault(form, []).append(body)
        self._name_lengths = sorted({len(n) for n in self.by_name}, reverse=True)
        self._region_lengths = sorted({len(n) for n in self.by_region}, reverse=True)

    # ---- finding names in a question ----------------------------------------------------------

    def _mentions(self, text: str) -> list[Mention]:
        """Names in the text, longest first and never overlapping; body names before place names. Each start
        is looked up by the lengths names come in, so the cost follows the question, not the corpus."""
        taken = [False] * len(text)
        found: list[Mention] = []
        for table, lengths, kind_of in ((self.by_name, self._name_lengths, None),
                                        (self.by_region, self._region_lengths, "region")):
            hits = [(s, s + n) for n in lengths for s in range(len(text) - n + 1) if text[s:s + n] in table]
            for s, e in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):
                if any(taken[s:e]):
                    continue
                name = text[s:e]
                if kind_of == "region" and e < len(text) and text[e] in "市县区州省":
                    continue  # "昌吉" inside an unknown "昌吉州"
                for k in range(s, e):
                    taken[k] = True
                if kind_of:
                    found.append(Mention(s, e, name, list(table[name]), "region"))
                else:
                    entries = table[name]
                    found.append(Mention(s, e, name, [b for b, _ in entries], entries[0][1]))
        return sorted(found, key=lambda m: m.start)

    def link(self, text: str) -> Linked:
        mentions = self._mentions(text)
        bodies: list[Body] = []
        unknown: list[str] = []
        spans: list[tuple[int, int]] = []
        pending_regions: list[Mention] = []  # "甲市、乙县两家社保中心": places waiting for their body
        named_in_full: list[Body] = []

        positions: dict[str, int] = {}

        by_place: set[str] = set()  # bodies whose position so far is that of a place named alone

        def add(found: list[Body], at: int, place: bool = False):
            for b in found:
                if b not in bodies:
                    bodies.append(b)
                    positions[b.name] = at
                    if place:
                        by_place.add(b.name)
                elif b.name in by_place and not place:
                    positions[b.name] = at  # "巴州…，2025年的巴州社保中心": where the body itself is named
                    by_place.discard(b.name)

        def flush():
            for r in pending_regions:  # places named alone ("巴州2025年…"): every body of the place
                add(r.bodies, r.start, place=True)
                spans.append((r.start, r.end))
            pending_regions.clear()

        for i, m in enumerate(mentions):
            if m.kind == "region":
                nxt = mentions[i + 1] if i + 1 < len(mentions) else None
                joined = bool(nxt) and _joins(text[m.end:nxt.start])
                other = "" if joined else _body_word_after(text, m.end)
                if other:
                    # "上海市普陀区土地发展中心": the places before belong to the unknown body's name
                    start = pending_regions[0].start if pending_regions else m.start
                    pending_regions.clear()
                    unknown.append(text[start:m.end] + other)
                    spans.append((start, m.end + len(other)))
                    continue
                pending_regions.append(m)
                if not joined:
                    flush()
                continue
            if m.kind != "region" and m.bodies and all(b in bodies for b in m.bodies) and len(m.text) <= 3 \
                    and re.match(r"[\u4e00-\u9fa5]{2}", text[m.end:]) and text[m.end] not in _WORD_BREAKS:
                continue  # "省人大办公厅…人大立法经费": a short name of the body named, inside a word of the measure
            if m.kind == "org" and named_in_full and not pending_regions and not _place_before(text, m.start) \
                    and not (m.start and text[m.start - 1] in _JOINERS):
                continue  # "…社会保险中心" inside a label, after the body was named in full: words of the label
            compared = (m.start and text[m.start - 1] in _JOINERS + "比较") or re.match(r"\d{2,4}\s*年", text[m.end:])
            if m.kind == "full" and named_in_full and all(b in named_in_full for b in m.bodies) and not compared:
                continue  # the body named again: a row of its own tables (上年结转 by unit), left in the text
            if m.kind == "full":
                add(m.bodies, m.start)
            if m.kind == "full":
                named_in_full.extend(m.bodies)
            spans.append((m.start, m.end))
            if m.kind in ("org", "level") and pending_regions:
                for r in pending_regions:  # "甲市、乙县两家社保中心": each place with the body named after
                    add([b for b in m.bodies if b in r.bodies] or r.bodies, r.start)
                    spans.append((r.start, r.end))
                pending_regions.clear()
                continue
            flush()
            if m.kind in ("org", "level"):
                # "焉耆县社保中心": the level word 县 ends a place the question names, not this body's
                place = _place_before(text, m.start + (1 if m.kind == "level" else 0))
                if place and not any(place.endswith(f) for b in m.bodies for f in b.region_names()):
                    own = m.text[1:] if m.kind == "level" else m.text
                    unknown.append(place + own)
                    spans.append((m.start + len(m.text) - len(own) - len(place), m.start))
                    continue
                if m.kind == "level":
                    level = m.text[0]
                    add([b for b in m.bodies if b.regions and b.regions[-1].endswith(level)] or m.bodies, m.start)
                    continue
            add(m.bodies, m.start)
        flush()
        if not bodies and not unknown:
            other = _unknown_body(text)
            if other:
                unknown.append(other)
        return Linked(bodies, unknown, spans, positions)


def _joins(between: str) -> bool:
    """Only joiners (and a count such as 三家/两个) between a place and the body name that follows."""
    rest = re.sub(r"[一二两三四五六七八九十\d]+(家|个|所)?", "", between)
    return all(c in _JOINERS for c in rest)


def _place_before(text: str, start: int) -> str:
    """A place name printed right before a body's name ("焉耆县" in 焉耆县社保中心), or ''."""
    run = re.search(r"[\u4e00-\u9fa5]{2,12}$", text[:start])
    if not run:
        return ""
    m = re.search(rf"([\u4e00-\u9fa5]{{1,8}}?(?:{'|'.join(REGION_SUFFIXES)}))$", run.group(0))
    if not m:
        return ""
    place = m.group(1)
    place = re.split(r"[的在和与及年]", place)[-1]
    return place if len(place) >= 2 else ""


def _body_word_after(text: str, end: int) -> str:
    """The rest of a body's name after a known place ("公安厅" after 江苏省), when it names a body."""
    m = re.match(rf"[\u4e00-\u9fa5]{{1,10}}?(?:{'|'.join(BODY_SUFFIXES)})(?![\u4e00-\u9fa5]{{0,1}}(?:支出|经费|费|资金))",
                 text[end:])
    if not m:
        return ""
    word = m.group(0)
    if re.search(r"[的在年]|预算|决算|支出|收入|经费|资金|项目", word) or re.match(r"[一二两三四五六七八九十]+[家个所]", word):
        return ""
    return word


_OTHER_BODY = re.compile(rf"[\u4e00-\u9fa5]{{2,8}}?(?:省|市|县|区|州|盟|旗)[\u4e00-\u9fa5]{{1,10}}?"
                         rf"(?:{'|'.join(BODY_SUFFIXES)})(?![\u4e00-\u9fa5]{{0,2}}(?:支出|经费|费|资金))")


_WORD_BREAKS = "的在中里和与及跟同、，,年等各共有是"


def _unknown_body(text: str) -> str:
    """A body of a form we know but a name we do not (南京市财政局), when no known body is named."""
    m = _OTHER_BODY.search(text)
    if not m:
        return ""
    word = m.group(0)
    if re.search(r"预算|决算|支出|收入|经费|资金|项目|年", word):
        return ""
    return word
