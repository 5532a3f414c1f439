"""The benchmark itself works: both ways grade the same class and agree on scores.

This checks the machinery, not speed (speed is measured by ``grader bench`` at full
size; see README). Kinds whose hostile behaviour the baseline cannot contain may
score differently there, by design.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_bench_compares_with_the_baseline(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, "-m", "grader.cli", "bench", "-a", "02_perceptron",
                           "-n", "12", "--json", str(out)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["students"] == 12 and sum(report["mix"].values()) == 12
    assert report["grader"]["submissions"] == report["baseline"]["submissions"] == 12
    assert report["speedup_vs_baseline"] > 0 and report["overhead_vs_in_process"] > 0
    assert report["in_process"]["students"] >= 3
    # The baseline runs the student's code in the test process: only the submissions
    # that end that process may score differently.
    assert set(report["score_mismatches"]) <= {"exit_at_import", "infinite_loop"}
    assert "speedup vs baseline" in done.stdout
