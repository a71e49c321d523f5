"""The consistency audit on the real samples, and on altered copies with one planted error each."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from index.audit import audit
from index.ingest import ingest
from index.store import Store
from tests.conftest import SAMPLES, corpus_file


def errors(findings):
    return [f for f in findings if f.severity == "error"]


def test_genuine_inconsistencies_of_the_samples_are_reported(text_store):
    findings = audit(text_store)
    errs = {(f.unit_name, f.rule, f.message) for f in errors(findings)}
    # 2020 表八: 公务用车购置及运行费 小计 printed 3.34 while its parts are 0 + 3 (the narrative says 3 万元)
    assert any(u == "巴州社会保险管理局" and "公务用车购置及运行费/小计" in m and "3.00" in m for u, _, m in errs)
    # 巴州 2025: 政府采购 75.52 but 货物 19.21 + 工程 0.00 + 服务 56.32 = 75.53 (within rounding)
    parts = [f for f in findings if f.rule == "parts_sum" and "政府采购" in f.message]
    assert [(f.unit_name, f.severity) for f in parts] == [("巴音郭楞蒙古自治州社会保险中心", "rounding")]


def test_vehicle_kinds_and_the_reasons_of_a_change_must_add_up(text_store):
    errs = errors(audit(text_store))
    # 昌吉 2024: "车辆 2 辆，价值 22.86 万元；其中：一般公务用车 2 辆，价值 22.76 万元" (other kinds 0)
    assert any(f.unit_name == "昌吉市社会保险中心" and f.rule == "parts_sum" and f.values["total"] == 22.86
               for f in errs)
    # 和静 2025: "比上年预算减少 11.79 万元 … 主要原因是 … 经费4万元、… 生活补贴9.79万元" (4 + 9.79 = 13.79)
    assert any(f.unit_name == "和静县社会保险中心" and f.rule == "change_parts" and f.values["stated"] == 11.79
               for f in errs)


def test_no_false_alarm_on_the_sample_documents(text_store):
    # every error in the five samples is one of the genuine inconsistencies above
    assert {(f.unit_name, f.rule) for f in errors(audit(text_store))} == {
        ("巴州社会保险管理局", "table:column_sum"), ("昌吉市社会保险中心", "parts_sum"),
        ("和静县社会保险中心", "change_parts")}
    assert len(errors(audit(text_store))) == 4
    assert all(f.severity in ("rounding", "error", "warning") for f in audit(text_store))
    # the only warnings: the two standard tables the 2020 目录 lists and the document does not print
    assert {(f.unit_name, f.message) for f in audit(text_store) if f.severity == "warning"} == {
        ("巴州社会保险管理局", "缺少表：项目支出情况表"), ("巴州社会保险管理局", "缺少表：征收计划表")}


def planted(tmp_path, old, new):
    path = tmp_path / "doc.txt"
    text = corpus_file(SAMPLES["巴州2025"]).read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    store = Store(tmp_path / "data")
    assert not ingest([path], store, progress=False).failed
    return audit(store)


def test_a_changed_table_cell_is_found(tmp_path):
    findings = errors(planted(tmp_path, "302\t11\t差旅费\t4.00\t\t4.00", "302\t11\t差旅费\t5.00\t\t5.00"))
    assert findings and all("302" in f.message or "总计" in f.message or "商品和服务" in f.message for f in findings)
    assert any(f.rule.startswith("table:") for f in findings)


def test_a_changed_narrative_number_is_found(tmp_path):
    findings = errors(planted(tmp_path, "基本支出 615.78 万元，占 86.15%", "基本支出 651.78 万元，占 86.15%"))
    rules = {f.rule for f in findings}
    assert "narrative_vs_table" in rules or "stated_share" in rules
    assert all("651.78" in f.message or "86.15" in f.message for f in findings)


def test_a_changed_share_is_found(tmp_path):
    findings = errors(planted(tmp_path, "占 88.92%", "占 89.92%"))
    assert [f.rule for f in findings] == ["stated_share"] and "88.92" in findings[0].message


def test_audit_command_prints_json(text_store):
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "audit", "--json", "--data", str(text_store.data_dir)],
                         capture_output=True, text=True, timeout=300)
    data = json.loads(out.stdout)
    keys = {"unit_name", "year", "rule", "severity", "message", "values", "sources"}
    assert data["findings"] and all(keys <= set(f) for f in data["findings"])


def test_stated_changes_in_the_jiangsu_wording_are_checked_to_their_printed_precision():
    """"与上年相比增加 21.8 万元，增长 0.06 %" (检察院 2018) is found; "增长 22 %" for 22.02% is not a finding."""
    from index.ingest import parse_file
    from tests.conftest import CORPUS

    path = CORPUS / "real" / "jiangsu" / "江苏省人民检察院" / "2018年省检察院部门预算公开.pdf"
    if not path.exists():
        pytest.skip(f"real PDFs not found at {path.parent}")
    changes = [f for f in parse_file(str(path)).audit if f.rule == "stated_change"]
    assert sorted((f.values["stated_rate"], f.values["computed_rate"]) for f in changes) == [(0.06, 0.6), (0.66, 6.6)]
