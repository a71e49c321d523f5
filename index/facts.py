"""Figures that only the narrative states, with what they are figures of and where they are printed.

编制数 33, 实有人数 60 人, 下设 10 个科室, 政府采购货物预算 19.21 万元, 房屋 3,118.00 平方米 and its
价值, 车辆 2 辆, 单位价值 100 万元以上大型设备 1 台, 机关运行经费 26.87 万元, a project's
预算安排规模, "三公"经费数 — and each stated share ("占 86.15%") and change ("比上年减少 30.82 万元，
下降 4.16%") with its subject. Patterns follow the template's wording, not one document's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.model import Document, Paragraph

AMOUNT = r"-?\d[\d,]*(?:\.\d+)?"
SHARE = re.compile(r"([\u4e00-\u9fa5（）()“”]{2,40}?)\s*[\d,]+(?:\.\d+)?\s*万元\s*[，,]\s*占\s*([\d.]+)\s*%")
# "比2024年预算执行数增加": the year before, named by its number (disclosures compare with the previous year)
CHANGE = re.compile(r"(?:比上年|与上年相比|较上年|比\s*\d{4}\s*年度?)(?:预算执行数|预算数|执行数|预算|决算数)?\s*(增加|减少)\s*([\d,]+(?:\.\d+)?)\s*万元"
                    r"(?:\s*[，,]\s*(增长|下降|减少|增加|降幅|增幅)\s*-?([\d.]+)\s*%)?")
# "N 个/家 X": counted bodies of an organisation, the longest name first
COUNTED = "内设机构|派出机构|直属机构|下属单位|预算单位|事业单位|行政单位|科室|处室|股室|部门|项目|机构|单位"
COUNT = re.compile(rf"(\d+)\s*[个家所]\s*(?:下属)?(?:[\u4e00-\u9fa5]{{0,6}}?)({COUNTED})")
COUNT_AFTER = re.compile(r"(科室|处室|项目)共\s*(\d+)\s*个")
EQUIPMENT = re.compile(r"(\d+)\s*万元以上(?:的)?大型设备\s*(\d+)\s*台")
BARE = re.compile(r"([\u4e00-\u9fa5]{1,8}数)\s*(\d+)(?![\d.])")
NUMBER_CLAUSE = re.compile(
    r"([\u4e00-\u9fa5A-Za-z（）()“”\"]{2,40}?)\s*(?:为|是|共|计|约)?\s*[:：]?\s*"
    rf"({AMOUNT})\s*(万元|元|平方米|辆|台|人次|人|个|批次|次|%|名|套|项|家|分)")
ITEMISED = re.compile(rf"([\u4e00-\u9fa5]{{2,12}}?)\s*\d+\s*[项台辆处套]\s*({AMOUNT})\s*(万元|元)")  # 在建工程1项12277.73万元
BARE_FIGURE = re.compile(rf"^\s*({AMOUNT})\s*(人次|批次|辆|台|人|名|项|家)")
VERB_LABEL = re.compile(r"^(下降|增长|增加|减少|占|比上年.*|为|达|约|年?度?(?:预算执行数|预算数|执行数|预算|决算数)(?:增加|减少|增长|下降))$")
# A figure named only by its stage ("年初预算为 1560.05 万元，支出决算为 1511.89 万元") is a figure of the
# item the paragraph is about: the last "X（项）" named, or the item an earlier stage figure named.
STAGE = re.compile(r"(年初预算|调整预算|全年预算|预算数|决算数|支出决算|决算)$")
ITEM = re.compile(r"([\u4e00-\u9fa5]{2,20})[（(]项[)）]")
COMPLETION = re.compile(r"完成(?:了)?(?:年初|全年|调整)?预算(?:数)?的\s*([\d.]+)\s*%")
PIECES = re.compile(r"[，。；;、]|,(?!\d{3})")


@dataclass
class Fact:
    name: str
    value: float
    unit: str
    subject: str | None
    quote: str  # the paragraph that states it
    section: str
    line: int | None
    page: int | None


def subject_before(text: str, pos: int) -> str:
    """The subject a sentence opens with, before a figure at `pos` ("基本支出 615.78 万元，…");
    for "培训支出（项）：2020年预算数为 0.52 万元，比上年…" the item named before the colon."""
    start = max(text.rfind(x, 0, pos) for x in "。；;：:\n")
    segment = re.sub(r"^[\d\s年，,、.]+", "", text[start + 1:pos])
    segment = re.sub(r"^(其中|包括)[:：]?", "", segment)
    # the words right before the sentence's first amount ("…2025 年的机关运行经费财政拨款预算 26.87 万元")
    m = re.search(r"([\u4e00-\u9fa5“”（）()]+)\s*[\d,]+(?:\.\d+)?\s*万元", segment) or \
        re.match(r"[\u4e00-\u9fa5“”（）()]+", segment)
    subject = re.sub(r"^[年度的]+", "", m.group(1) if m and m.groups() else (m.group(0) if m else ""))
    subject = subject if len(subject) >= 2 else ""
    if (not subject or re.match(r"^(预算数|本年|本级|年|上年)", subject)) and start >= 0 and text[start] in "：:":
        before = text[max(text.rfind(x, 0, start) for x in "。；;\n") + 1:start]
        items = re.findall(r"([\u4e00-\u9fa5]+)[（(]项[)）]", before)
        runs = re.findall(r"[\u4e00-\u9fa5“”]{2,}", before)
        subject = items[-1] if items else (runs[-1] if runs else subject)
    return subject


def _lead(label: str) -> str:
    label = PIECES.split(label)[-1]
    return re.sub(r"^(其中|包括|主要|分别是)[:：]?", "", label)


def stated_figures(text: str) -> list[tuple[str, float, str]]:
    """(what, value, unit) for every figure a paragraph states."""
    out: list[tuple[str, float, str]] = []
    for m in SHARE.finditer(text):
        out.append((_lead(m.group(1)) + "占比", float(m.group(2)), "%"))
    for m in CHANGE.finditer(text):
        lead = subject_before(text, m.start())
        if not lead:
            continue
        sign = -1.0 if m.group(1) == "减少" else 1.0
        out.append((lead + "比上年变化", sign * float(m.group(2).replace(",", "")), "万元"))
        if m.group(4):
            rate_sign = -1.0 if m.group(3) in ("下降", "减少", "降幅") else 1.0
            out.append((lead + "比上年变化率", rate_sign * float(m.group(4)), "%"))
    for m in COUNT.finditer(text):
        out.append((m.group(2) + "数", float(m.group(1)), "个"))
    for m in COUNT_AFTER.finditer(text):
        out.append((m.group(1) + "数", float(m.group(2)), "个"))
    for m in EQUIPMENT.finditer(text):
        out.append((f"{m.group(1)}万元以上大型设备", float(m.group(2)), "台"))
    for m in BARE.finditer(text):
        unit = "人" if "人" in m.group(1) or "编制" in m.group(1) else ""
        out.append((_lead(m.group(1)), float(m.group(2)), unit))
    previous, item = "", ""
    for piece in PIECES.split(text):
        named = ITEM.findall(piece)
        item = named[-1] if named else item
        for m in COMPLETION.finditer(piece):
            if item:
                out.append((item + "执行率", float(m.group(1)), "%"))
        for m in ITEMISED.finditer(piece):
            out.append((m.group(1), float(m.group(2).replace(",", "")), m.group(3)))
        for m in NUMBER_CLAUSE.finditer(piece):
            if m.group(3) in "个家" and COUNT.match(piece, m.start(2)):
                continue  # "27 个内设机构" is read above as 内设机构数
            label = re.sub(r"^(其中|包括|主要|分别是)[:：]?", "", m.group(1))
            if m.group(3) == "%" or VERB_LABEL.match(label):
                continue  # shares and changes are read above, with what they are shares of
            if label == "价值" and previous:  # "房屋 3,118.00 平方米，价值 173.25 万元"
                label = previous + "价值"
            elif re.match(r"[（(]|以上|以下", label):  # "单价100万元（含）以上设备": the label runs over its figure
                label = re.sub(r"^[\d\s年，,、.]+", "", piece[:m.start(2)]).strip()
            stage = STAGE.search(label)
            if stage:
                own = re.sub(r"^[年度的]+", "", label[: stage.start()])
                if len(own) >= 2:
                    item = own
                elif item:
                    label = re.sub(r"支出支出", "支出", item + stage.group(1))
            out.append((label, float(m.group(2).replace(",", "")), m.group(3)))
            previous = label if label != "价值" and not label.endswith("价值") else previous
        bare = BARE_FIGURE.match(piece)
        if bare and previous:  # "公务接待 2 批次、26 人次": the second figure counts the same thing
            out.append((previous, float(bare.group(1).replace(",", "")), bare.group(2)))
    return out


def _without_unit(name: str, unit: str) -> str:
    """"巴音郭楞…社会保险中心编制数" / "社会保险中心编制数" → "编制数"."""
    if unit:
        name = name.replace(unit, "")
        for k in range(len(unit), 1, -1):
            if name.startswith(unit[-k:]) and len(name) > k + 1:
                return name[k:]
    return name


def extract_facts(doc: Document) -> list[Fact]:
    facts = []
    for path, block in doc.with_headings():
        if not isinstance(block, Paragraph):
            continue
        heading = path.split(" > ")[-1] if path else ""
        project = re.search(r"项目名称[：:]\s*(.+)$", heading)
        for name, value, unit in stated_figures(block.text):
            name = _without_unit(name, doc.unit_name)
            name = re.sub(r"^[年度的]+", "", name)
            if len(name) < 2:
                continue
            facts.append(Fact(name, value, unit, project.group(1).strip() if project else None, block.text, path,
                              block.line, block.page))
    return facts
