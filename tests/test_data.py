"""The shipped data set is exactly what its seeded generator produces."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "assignments" / "02_perceptron" / "data"
REAL = ROOT.parent / "shared" / "data" / "advertising.csv"


def generator():
    spec = importlib.util.spec_from_file_location("make_advertising", DATA / "make_advertising.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_csv_is_reproducible() -> None:
    make = generator()
    assert (DATA / "advertising.csv").read_text("utf-8") == make.to_csv(make.generate())


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
