"""The `budgetqa` command line, run as a user would run it."""
from __future__ import annotations

import json
import subprocess
import sys

from assistant.exports import read_csv
from tests.conftest import CORPUS, SAMPLES, corpus_file


def budgetqa(*args, data, check=True):
    proc = subprocess.run([sys.executable, "-m", "assistant.cli", *args, "--data", str(data)],
                          capture_output=True, text=True, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_ingest_docs_table_and_sql_from_the_command_line(tmp_path):
    data = tmp_path / "data"
    files = [str(corpus_file(SAMPLES[k])) for k in ("巴州2025", "昌吉2024")]
    out = budgetqa("ingest", "--quiet", *files, data=data)
    assert "2 indexed" in out.stdout
    out = budgetqa("ingest", "--quiet", *files, data=data)
    assert "0 indexed, 2 unchanged" in out.stdout

    docs = json.loads(budgetqa("docs", "--json", data=data).stdout)
    assert {d["unit_name"] for d in docs} == {"巴音郭楞蒙古自治州社会保险中心", "昌吉市社会保险中心"}

    grid = budgetqa("table", "巴音郭楞 2025", "10", data=data).stdout
    assert "公务用车运行费" in grid and "6.00" in grid

    rows = json.loads(budgetqa("sql", "SELECT value FROM figures WHERE row_label = '物业管理费'"
                               " AND column_path LIKE '%合计'", "--json", data=data).stdout)
    assert rows == [{"value": 2.25}]

    refused = budgetqa("sql", "DELETE FROM cells", data=data, check=False)
    assert refused.returncode != 0 and "已拒绝" in refused.stderr and "DELETE" in refused.stderr


def test_ingest_exit_status_says_a_file_failed(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    proc = budgetqa("ingest", "--quiet", str(bad), str(CORPUS / SAMPLES["巴州2020"]), data=tmp_path / "d",
                    check=False)
    assert proc.returncode == 1
    assert "empty.txt: empty file" in proc.stderr and "1 indexed" in proc.stdout


def test_table_exports_hold_the_stored_cells_as_printed(text_store, tmp_path):
    """`table --csv/--xlsx`: every stored cell of the table, in its row and column, as printed."""
    from openpyxl import load_workbook

    doc = text_store.query("SELECT id FROM documents WHERE unit_name LIKE '乌鲁木齐%'")[0]["id"]
    table = text_store.query("SELECT id, number, columns FROM tables WHERE document_id = ? AND kind = '收入总体'",
                             (doc,))[0]
    csv_file, xlsx_file = tmp_path / "t.csv", tmp_path / "t.xlsx"
    out = budgetqa("table", str(doc), table["number"], "--csv", str(csv_file), "--xlsx", str(xlsx_file),
                   data=text_store.data_dir)
    assert "已写入" in out.stdout
    rows = read_csv(csv_file.read_bytes())
    header, body = rows[0], rows[1:]
    columns = json.loads(table["columns"])
    assert header[:2] == ["科目编码", "项目"] and len(header) == 2 + len(columns)
    cells = text_store.query("SELECT row_index, column_number, raw FROM cells WHERE table_id = ?", (table["id"],))
    row_order = sorted({c["row_index"] for c in cells})
    assert len(body) == len(row_order)
    for c in cells:
        assert body[row_order.index(c["row_index"])][1 + c["column_number"]] == c["raw"]
    sheet = load_workbook(xlsx_file).active
    values = [[cell for cell in r] for r in sheet.iter_rows(min_row=3, values_only=True)]
    for c in cells:
        got = values[row_order.index(c["row_index"])][1 + c["column_number"]]
        expected = float(c["raw"].replace(",", "")) if c["raw"] else None
        assert got == expected, (c["raw"], got)


def test_audit_report_as_csv_and_markdown_in_chinese(text_store):
    from index.audit import audit
    from assistant.ui_text import RULES

    findings = audit(text_store)
    assert {f.rule for f in findings} <= set(RULES), "every rule the audit reports has a Chinese name"
    errors = [f for f in findings if f.severity == "error"]
    shown = [f for f in findings if f.severity != "rounding"]  # errors and missing tables; rounding with --all
    csv_out = budgetqa("audit", "--format", "csv", data=text_store.data_dir).stdout
    rows = [r.split(",") for r in csv_out.strip().splitlines()]
    assert rows[0][:4] == ["单位", "年度", "级别", "规则"] and len(rows) == 1 + len(shown)
    assert "错误" in {r[2] for r in rows[1:]} and "舍入差异" not in {r[2] for r in rows[1:]}
    everything = budgetqa("audit", "--format", "csv", "--all", data=text_store.data_dir).stdout
    assert "舍入差异" in everything and everything.count("\n") == 1 + len(findings)
    md = budgetqa("audit", "--format", "md", data=text_store.data_dir).stdout
    assert md.startswith("# 一致性审核报告") and md.count("| 错误 |") == len(errors)
    text = budgetqa("audit", data=text_store.data_dir).stdout
    for f in errors:
        assert RULES[f.rule][0] in text
    assert "[error]" not in text and "change_parts" not in text and "findings" not in text
