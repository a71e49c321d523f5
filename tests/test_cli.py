"""The `budgetqa` command line, run as a user would run it."""
from __future__ import annotations

import json
import subprocess
import sys

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
    assert refused.returncode != 0 and "readonly" in refused.stderr


def test_ingest_exit_status_says_a_file_failed(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    proc = budgetqa("ingest", "--quiet", str(bad), str(CORPUS / SAMPLES["巴州2020"]), data=tmp_path / "d",
                    check=False)
    assert proc.returncode == 1
    assert "empty.txt: empty file" in proc.stderr and "1 indexed" in proc.stdout
