"""The benchmark itself works: both ways grade the same class and agree on scores.

This checks the machinery, not speed (speed is measured by ``grader bench`` at full
size; see README). Kinds whose hostile behaviour the baseline cannot contain may
score differently there, by design.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

from grader.bench.throughput import unexpected_mismatches


def test_bench_compares_with_the_baseline(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, "-m", "grader.cli", "bench", "-a", "02_perceptron",
                           "-n", "8", "--json", str(out)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["students"] == 8 and sum(report["mix"].values()) == 8
    assert report["grader"]["submissions"] == report["baseline"]["submissions"] == 8
    assert report["speedup_vs_baseline"] > 0 and report["overhead_vs_in_process"] > 0
    assert report["in_process"]["students"] >= 3
    # The baseline runs the student's code in the test process: only the submissions
    # that end that process may score differently.
    assert set(report["score_mismatches"]) <= {"exit_at_import"}
    assert "speedup vs baseline" in done.stdout


def test_bench_refuses_a_baseline_it_cannot_run(tmp_path: Path) -> None:
    """Without pytest-timeout the baseline cannot grade (a loop would hang it): the bench
    says so and reports no ratio, instead of printing a meaningless one."""
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "pytest_timeout.py").write_text("raise ImportError('hidden by the test')\n")
    env = dict(os.environ, PYTHONPATH=str(shadow))
    done = subprocess.run([sys.executable, "-m", "grader.cli", "bench", "-a", "02_perceptron",
                           "-n", "4"], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env=env)
    assert done.returncode == 2
    assert "needs pytest-timeout" in done.stderr
    assert "speedup" not in done.stdout


def test_only_documented_kinds_may_score_differently() -> None:
    kinds = {"s1": "correct_sum", "s2": "exit_at_import", "s3": "mistake_update_sign"}
    ours = {"s1": 39.0, "s2": 0.0, "s3": 34.0}
    assert unexpected_mismatches(kinds, ours, {"s1": 39.0, "s2": 5.0, "s3": 34.0}) == []
    assert unexpected_mismatches(kinds, ours, {"s1": 0.0, "s2": 0.0, "s3": 0.0}) == [
        "correct_sum", "mistake_update_sign"]
