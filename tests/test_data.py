"""Every shipped data set is exactly what its seeded generator produces."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "assignments" / "02_perceptron" / "data"
REAL = ROOT.parent / "shared" / "data" / "advertising.csv"


GENERATORS = sorted(ROOT.glob("assignments/*/data/make_*.py"))


@pytest.mark.parametrize("script", GENERATORS, ids=lambda p: p.parent.parent.name)
def test_committed_data_is_what_the_generator_writes(script: Path, tmp_path: Path) -> None:
    """Run the generator on a copy of its folder; every file must come out identical."""
    copy = tmp_path / "data"
    shutil.copytree(script.parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = {p.name: p.read_bytes() for p in copy.iterdir() if p.is_file()}
    done = subprocess.run([sys.executable, str(copy / script.name)], cwd=copy,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    after = {p.name: p.read_bytes() for p in copy.iterdir() if p.is_file()}
    assert after == before, sorted(n for n in after if after[n] != before.get(n))


def test_columns_and_size() -> None:
    table = np.genfromtxt(DATA / "advertising.csv", delimiter=",", names=True)
    assert table.dtype.names == ("TV", "Radio", "Newspaper", "Sales")
    assert len(table) == 200 and np.all(np.isfinite(table.view((float, 4))))


@pytest.mark.skipif(not REAL.is_file(), reason="the real data set is only for validation")
def test_statistics_resemble_the_real_data() -> None:
    ours = np.genfromtxt(DATA / "advertising.csv", delimiter=",", names=True)
    real = np.genfromtxt(REAL, delimiter=",", names=True)
    for column in ("TV", "Radio", "Newspaper", "Sales"):
        assert abs(ours[column].mean() - real[column].mean()) < 0.15 * real[column].std()
        assert 0.75 < ours[column].std() / real[column].std() < 1.25
    # The regression the lab fits has about the same slope.
    slope_ours = np.polyfit(ours["TV"], ours["Sales"], 1)[0]
    slope_real = np.polyfit(real["TV"], real["Sales"], 1)[0]
    assert abs(slope_ours - slope_real) < 0.1 * slope_real
