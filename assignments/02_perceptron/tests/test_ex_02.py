"""公開テスト: scripts/ex_02_<学籍番号>.py / Public tests for ex_02_<student_id>.py."""

import numpy as np

from checks import expect_array

X = np.array([[1.0, 10.0], [2.0, 30.0], [4.0, 20.0]])


def test_normalize_max_per_column(student):
    ex = student("ex_02")
    expect_array(ex.normalize_max(X.copy()), [[0.25, 1 / 3], [0.5, 1.0], [1.0, 2 / 3]],
                 "normalize_max(X) (列ごと / per column)")


def test_standardize_per_column(student):
    ex = student("ex_02")
    result = expect_array(ex.standardize(X.copy()), (X - X.mean(axis=0)) / X.std(axis=0),
                          "standardize(X) (列ごと / per column)")
    expect_array(result.mean(axis=0), [0.0, 0.0], "standardize(X).mean(axis=0)", atol=1e-12)
