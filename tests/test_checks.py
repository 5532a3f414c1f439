"""The kit's checks (assignments/_kit/checks.py): messages that show the difference and
recognise its kind, self-consistency of gradients, and arrays changed in place.

These run on a laptop exactly as here; in grading the same checks run in the judge.
"""

from __future__ import annotations

import sys
import types

import numpy as np
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "assignments" / "_kit"))
import checks  # noqa: E402
from checks import CheckFailure, expect_array, expect_gradients, expect_number  # noqa: E402

RNG = np.random.default_rng(0)
EXPECTED = RNG.standard_normal((4, 3))


def failure(actual, expected=EXPECTED, **options) -> CheckFailure:
    with pytest.raises(CheckFailure) as raised:
        expect_array(actual, expected, checks.label("値", "value"), **options)
    return raised.value


@pytest.mark.parametrize("actual, options, hint", [
    (EXPECTED * 2, {}, "factor_two"),
    (EXPECTED * 0.5, {}, "factor_half"),
    (-EXPECTED, {}, "sign"),
    (EXPECTED * 4, {"batch": 4}, "factor_batch"),
    (EXPECTED / 4, {"batch": 4}, "factor_inv_batch"),
    (EXPECTED * 3.7, {}, "factor"),
    (EXPECTED.T, {}, "transposed"),
    (EXPECTED.ravel(), {}, "reshaped"),
    (np.float64(EXPECTED.sum()), {}, "summed_all"),
    (EXPECTED + 0.25, {}, "offset"),
    (EXPECTED * (1 + 3e-7), {}, "tiny"),
    (np.zeros_like(EXPECTED), {}, "zeros"),
    (np.vstack([EXPECTED[:-1], EXPECTED[-1] + 1]), {}, "rows"),
    (EXPECTED * np.array([1, 3, 1]), {}, "columns"),
    (EXPECTED * 3 + 1, {"variants": [("updated_first", EXPECTED * 3 + 1)]}, "updated_first"),
])
def test_the_kind_of_difference_is_recognised(actual, options: dict, hint: str) -> None:
    found = failure(actual, **options)
    assert found.hints == (hint,)
    assert checks.HINTS[hint][1].split()[0] in found.bilingual["en"]
    assert "ヒント" in found.bilingual["ja"]


def test_a_catalogued_mistake_wins_over_a_hint() -> None:
    mistake = checks.Mistake("doubled", "2 倍", "doubled")
    found = failure(EXPECTED * 2, mistakes=[(mistake, EXPECTED * 2)])
    assert found.diagnoses == ("doubled",) and found.hints == ()


def test_an_unrecognised_difference_still_says_where() -> None:
    found = failure(RNG.standard_normal((4, 3)))
    assert found.hints == () and "index" in found.bilingual["en"]
    assert "relative error" in found.bilingual["en"]


def test_series_shifted_by_one_step() -> None:
    losses = np.exp(-np.arange(10.0))
    with pytest.raises(CheckFailure) as raised:
        expect_array(np.r_[losses[1:], losses[-1] * 0.3], losses, "losses")
    assert raised.value.hints == ("shifted_later",)
    with pytest.raises(CheckFailure) as raised:
        expect_array(losses[1:], losses, "history")
    assert raised.value.hints == ("shifted_earlier",)


def test_numbers_are_shown_with_enough_digits_to_differ() -> None:
    with pytest.raises(CheckFailure) as raised:
        expect_number(0.6931471805599453 + 2e-8, 0.6931471805599453, "E", rtol=1e-12)
    values = raised.value.values["en"]
    expected, got = values.replace("expected ", "").split(", got ")
    assert expected != got
    assert raised.value.hints == ("tiny",)


def test_values_are_kept_apart_from_the_message() -> None:
    """A hidden test shows the message to the student and the values to the instructor."""
    found = failure(EXPECTED * 2)
    assert ", got" not in found.bilingual["en"] and ", got" in found.values["en"]
    assert "期待" in found.values["ja"]


def test_gradients_checked_against_the_numerical_gradient_name_the_wrong_block() -> None:
    numerical = {"W1": RNG.standard_normal((3, 2)), "W2": RNG.standard_normal((2, 2))}
    analytic = {"W1": RNG.standard_normal((3, 2)), "W2": numerical["W2"]}
    with pytest.raises(CheckFailure) as raised:
        expect_gradients(analytic, numerical, "grads")
    assert raised.value.hints == ("backward_block",) and "W2" in raised.value.bilingual["en"]
    with pytest.raises(CheckFailure) as raised:
        expect_gradients({k: 6 * v for k, v in numerical.items()}, numerical, "grads", batch=6)
    assert raised.value.hints == ("factor_batch",)
    expect_gradients(numerical, numerical, "grads")


def test_an_array_changed_in_place_is_caught_on_a_laptop() -> None:
    def relu_in_place(x):
        x[x < 0] = 0
        return x

    def relu(x):
        return np.maximum(x, 0)

    x = RNG.standard_normal(5)
    assert np.allclose(checks.call_keeping_arguments(relu, x.copy(), what="relu"), relu(x))
    with pytest.raises(CheckFailure) as raised:
        checks.call_keeping_arguments(relu_in_place, x.copy(), what="relu")
    assert raised.value.hints == ("input_changed",)


def test_measured_numbers_stay_with_the_values() -> None:
    """A factor or an offset measured from a hidden test's values could reveal its inputs:
    the message names the kind, the number goes with the instructor-only values."""
    found = failure(EXPECTED + 0.25)
    assert "0.25" not in found.bilingual["en"] and "offset 0.25" in found.values["en"]
    found = failure(EXPECTED * 3.7)
    assert "3.7" not in found.bilingual["en"] and "factor 3.7" in found.values["en"]


def test_names_replaced_locally_are_put_back_even_after_a_failure():
    module = types.ModuleType("student_module")
    module.fit = "the student's"
    with pytest.raises(RuntimeError), checks.replaced(module, fit="stand-in", extra=3):
        assert module.fit == "stand-in" and module.extra == 3
        raise RuntimeError("the script stopped")
    assert module.fit == "the student's" and module.extra is None
