"""Every sample class is graded with exactly the expected outcomes.

Expectations live in tests/expected/<assignment>.toml, one entry per sample student
(submissions/<assignment>/<student>/), each explained by the mistake the sample
contains. Keys per student:

``points``, ``status``                  the job's total and status
``not_passed = {test_id = status}``     every other test must pass
``all_failing_in = [files]`` with ``failing_status``: every test of these files has that
                                        status, all others pass
``diagnoses = {test_id = [ids]}``       mistakes named in that test's feedback
``notes = {test_id = value}``           the value of the note the test recorded
``message_contains``                    text in every failing test's English message
``max_duration``                        seconds the job may take
``warnings = [ids]``                    ingest warnings
"""

from __future__ import annotations

import pytest

from conftest import ROOT, assert_statuses, assignments_with_samples, expected_samples
from grader.results import JobResult

CASES = [(assignment, student) for assignment in assignments_with_samples()
         for student in sorted(expected_samples(assignment))]


@pytest.mark.parametrize("assignment", assignments_with_samples())
def test_every_sample_has_an_expectation(graded_classes: dict, assignment: str) -> None:
    folders = sorted(p.name for p in (ROOT / "submissions" / assignment).iterdir() if p.is_dir())
    assert folders == sorted(expected_samples(assignment))
    assert sorted(graded_classes[assignment]) == folders


@pytest.mark.parametrize("assignment, student", CASES)
def test_sample_outcome(graded_classes: dict, assignment: str, student: str) -> None:
    expected = expected_samples(assignment)[student]
    result = graded_classes[assignment][student]
    assert result.status == expected["status"], result.error
    assert_statuses(result, expected)
    by_id = {o.test_id: o for o in result.outcomes}
    for test_id, diagnoses in expected.get("diagnoses", {}).items():
        assert list(by_id[test_id].diagnoses) == diagnoses, by_id[test_id].message["en"]
    for test_id, convention in expected.get("notes", {}).items():
        assert [n["value"] for n in by_id[test_id].notes] == [convention]
    if "message_contains" in expected:
        failing = [o for o in result.outcomes if o.status != "passed"]
        assert failing and all(expected["message_contains"] in o.message["en"] for o in failing)
    if "max_duration" in expected:
        assert result.duration < expected["max_duration"]
    assert [w["id"] for w in result.warnings] == expected.get("warnings", [])


@pytest.mark.parametrize("assignment", assignments_with_samples())
def test_messages_exist_in_both_languages(graded_classes: dict, assignment: str) -> None:
    for result in graded_classes[assignment].values():
        for outcome in result.outcomes:
            assert outcome.message["ja"] and outcome.message["en"]
            if outcome.status != "passed":
                assert outcome.message["ja"] != outcome.message["en"] or \
                    outcome.message["en"].startswith("[")


def test_loss_curve_recorded_against_reference(graded_perceptron: dict[str, JobResult]) -> None:
    outcome = next(o for o in graded_perceptron["correct_sum"].outcomes
                   if o.test_id == "test_hidden_perceptron.py::test_training_end_to_end")
    curve = next(a for a in outcome.artifacts if a["kind"] == "curve")
    assert set(curve["series"]) >= {"student", "reference (sum)"}
    assert curve["series"]["student"] == pytest.approx(curve["series"]["reference (sum)"])
    assert curve["series"]["student"][-1] < curve["series"]["student"][0]


@pytest.mark.parametrize("assignment", assignments_with_samples())
def test_sandbox_recorded(graded_classes: dict, assignment: str) -> None:
    for result in graded_classes[assignment].values():
        assert result.isolation.split(",")[0] in ("bubblewrap", "rlimits+landlock+seccomp")


def test_discussion_kept_for_manual_grading(graded_perceptron: dict[str, JobResult]) -> None:
    assert "考察" in graded_perceptron["correct_sum"].facts.discussion
    assert "考察" in graded_perceptron["correct_mean"].facts.discussion  # from the docstring
