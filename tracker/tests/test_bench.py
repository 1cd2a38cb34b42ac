"""The benchmarks still run (on tiny data; their numbers are read by people, not here)."""

import os
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
            "bench.reports",
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
    if module == "bench.exports":
        assert "XLSX writer alone, 82 rows read beforehand: by hand (xlsx_writer.py)" in result.stdout, (
            result.stdout
        )
    if module == "bench.load":
        assert "targets: no errors (holds)" in result.stdout, result.stdout
