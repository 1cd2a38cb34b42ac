"""The benchmarks still run (on tiny data; their numbers are read by people, not here)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("module", "args", "expected"),
    [
        ("bench.tree", ["--committees", "2", "--cells", "2", "--repeat", "1"], "sqlite, 7 units"),
        (
            "bench.imports",
            ["--rows", "20", "--repeat", "1", "--committees", "2", "--cells", "2"],
            "sqlite, 11 units",
        ),
        (
            "bench.adminlists",
            ["--committees", "2", "--cells", "2", "--years", "1", "--repeat", "1"],
            "sqlite, 11 units",
        ),
        (
            "bench.reports",
            ["--committees", "2", "--cells", "2", "--years", "1", "--repeat", "1"],
            "sqlite, 11 units",
        ),
        (
            "bench.rollcall",
            ["--committees", "2", "--cells", "2", "--years", "1", "--repeat", "1"],
            "sqlite, 11 units",
        ),
        (
            "bench.exports",
            ["--committees", "2", "--cells", "2", "--years", "1", "--repeat", "1", "--writers"],
            "sqlite, 11 units",
        ),
        (
            "bench",
            ["--committees", "2", "--cells", "2", "--years", "1", "--rows", "20", "--memory-rows", "20"]
            + ["--repeat", "1"],
            "sqlite, 11 units",
        ),
        (
            "bench.load",
            ["--users", "2", "--seconds", "3", "--committees", "2", "--cells", "2", "--years", "1"]
            + ["--workers", "1", "--think", "0.1"],
            "sqlite, 11 units, 2 users",
        ),
    ],
)
def test_benchmark_runs_on_tiny_data(tmp_path, module, args, expected):
    # A small row limit: the suite also measures refusing a workbook one row over it.
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/bench.sqlite3",
        "DEBUG": "1",
        "IMPORT_MAX_ROWS": "30",
    }
    result = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith(expected), result.stdout
    if module == "bench":
        assert "reading an XLSX of 20 rows" in result.stdout, result.stdout
        assert "peak memory, refusing an XLSX of 31 rows" in result.stdout, result.stdout
        assert "admin import of 20 sessions over HTTP, upload + preview" in result.stdout, result.stdout
        assert "memory of the process importing 20 rows (preview and confirm)" in result.stdout, result.stdout
        assert "staff session form, roll call of 40 members (HTTP POST)" in result.stdout, result.stdout
    if module == "bench.rollcall":
        assert re.search(r"queries of a save: (\d+) with 10 members, \1 with 40 \(holds\)", result.stdout), (
            result.stdout
        )
    if module == "bench.adminlists":
        assert "admin session list, first page (bloc)" in result.stdout, result.stdout
        assert "admin session list, search “so hoa” (a third of the rows) (committee editor)" in result.stdout
    if module == "bench.exports":
        assert "XLSX writer alone, 80 rows read beforehand: by hand (xlsx_writer.py)" in result.stdout, (
            result.stdout
        )
    if module == "bench.load":
        assert "targets: no errors (holds)" in result.stdout, result.stdout


def test_the_growth_table_holds_a_unit_page_constant_and_a_bloc_page_linear(capsys):
    from bench.__main__ import CONSTANT, LINEAR, Result, print_growth

    runs = [
        (
            1,
            1000,
            [
                Result("unit page", 0.100, growth=CONSTANT),
                Result("bloc page of 1,105 units", 0.1, growth=LINEAR),
            ],
        ),
        (
            10,
            10000,
            [
                Result("unit page", 0.250, growth=CONSTANT),
                Result("bloc page of 11,005 units", 1.3, growth=LINEAR),
            ],
        ),
    ]
    print_growth(runs)
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "Growth: the data grew 10.0× from 1× to 10×"
    assert lines[3].split() == [
        "unit",
        "page",
        "100.0",
        "ms",
        "250.0",
        "ms",
        "2.5×",
        "≤",
        "2.0×",
        "(constant)",
        "misses",
    ]
    assert lines[4].split()[-5:] == ["13.0×", "≤", "12.5×", "(linear)", "misses"]
    assert lines[4].startswith("bloc page of N units")
