"""Every sample class is graded with exactly the expected outcomes.

Expectations live in tests/expected/<assignment>.toml, one entry per sample student
(submissions/<assignment>/<student>/), each explained by the mistake the sample
contains. Keys per student:

``points``, ``status``                  the job's total and status
``not_passed = {test_id = status}``     every other test must pass
``all_failing_in = [files]`` with ``failing_status``: every test of these files has that
                                        status, all others pass
``diagnoses = {test_id = [ids]}``       catalogued mistakes named in that test's feedback
``hints = {test_id = [ids]}``           recognised kinds of difference named there
``conventions = {quantity = id}``       the conventions recognised (exactly these)
``notes = {test_id = value}``           a value among the notes that test recorded
``message_contains``                    text in every failing test's English message
``max_duration``                        seconds the job may take
``warnings = [ids]``                    ingest warnings

Sample folders are named by what they hold: ``correct*`` (right, maybe in one of the
conventions the slides allow), ``mistake_*`` (one catalogued mistake), ``uncatalogued_*``
(one mistake no catalogue knows: its feedback must still say something specific);
anything else is broken or hostile. One root cause costs once: a one-mistake sample
fails at most two tests (``MAX_FAILING``); the figures are in the README's table.
"""

from __future__ import annotations

import re
import statistics

import pytest

from conftest import ROOT, assert_statuses, assignments_with_samples, expected_samples
from grader.manifest import load_assignment
from grader.paths import Course
from grader.results import JobResult, Status

CASES = [(assignment, student) for assignment in assignments_with_samples()
         for student in sorted(expected_samples(assignment))]
ONE_MISTAKE = ("mistake_", "uncatalogued_")
#: The most tests one root cause may fail (its public and its hidden test).
MAX_FAILING = 2
#: Share of the uncatalogued mistakes whose feedback must name a recognised difference.
MIN_HINTED = 0.8


def failing_count(expected: dict) -> int:
    return len(expected.get("not_passed", {}))


def one_mistake_samples(assignment: str) -> dict[str, dict]:
    return {student: entry for student, entry in expected_samples(assignment).items()
            if student.startswith(ONE_MISTAKE)}


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
    for test_id, hints in expected.get("hints", {}).items():
        assert list(by_id[test_id].hints) == hints, by_id[test_id].message["en"]
    for test_id, value in expected.get("notes", {}).items():
        assert value in [n["value"] for n in by_id[test_id].notes], by_id[test_id].notes
    recognised = {n["quantity"]: n["value"] for o in result.outcomes for n in o.notes
                  if n.get("key") == "convention" and "quantity" in n}
    assert recognised == expected.get("conventions", {})
    if "message_contains" in expected:
        failing = [o for o in result.outcomes if o.status != Status.PASSED]
        assert failing and all(expected["message_contains"] in o.message["en"] for o in failing)
    if "max_duration" in expected:
        assert result.duration < expected["max_duration"]
    assert [w["id"] for w in result.warnings] == expected.get("warnings", [])


@pytest.mark.parametrize("assignment", assignments_with_samples())
def test_one_root_cause_costs_once(assignment: str) -> None:
    """A one-mistake sample fails at most MAX_FAILING tests (asserted per sample by
    test_sample_outcome through its not_passed table, bounded here)."""
    counts = {student: failing_count(entry)
              for student, entry in one_mistake_samples(assignment).items()}
    too_many = {student: n for student, n in counts.items() if n > MAX_FAILING}
    assert not too_many, f"one mistake, more than {MAX_FAILING} tests: {too_many}"
    assert all(n >= 1 for n in counts.values()), "a mistake sample that fails nothing"


def test_readme_shows_the_cascade_figures() -> None:
    """The README's assignment table gives, per assignment, the median and the largest
    number of tests a one-mistake sample fails, as the expectations say."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for assignment in assignments_with_samples():
        counts = [failing_count(e) for e in one_mistake_samples(assignment).values()]
        if not counts:
            continue
        row = next(line for line in readme.splitlines() if f"`{assignment}`" in line)
        figure = f"{statistics.median(counts):g} / {max(counts)}"
        assert figure in row, f"README row of {assignment} should show {figure}"
        manifest = load_assignment(Course(ROOT), assignment)
        public = sum(1 for test in manifest.tests if not test.hidden)
        cells = [cell.strip() for cell in row.split("|")]
        assert cells[3] == f"{public} + {len(manifest.tests) - public}", row
        assert cells[4] == f"{manifest.max_points:g}", row
        asked = (f"{len(manifest.questions)} ({sum(q.points for q in manifest.questions):g})"
                 f" · {len(manifest.figures)}") if manifest.questions else "—"
        assert cells[6] == asked, row


def test_uncatalogued_mistakes_get_a_specific_hint(graded_classes: dict) -> None:
    """Mistakes no catalogue knows still get feedback that says what kind of difference
    it is (a factor, a transpose, a shift, which block...): at least MIN_HINTED of them."""
    hinted, total = [], []
    for assignment in assignments_with_samples():
        for student in expected_samples(assignment):
            if not student.startswith("uncatalogued_"):
                continue
            result = graded_classes[assignment][student]
            failing = [o for o in result.outcomes if o.status != Status.PASSED]
            total.append(f"{assignment}/{student}")
            if any(o.hints or o.diagnoses for o in failing):
                hinted.append(f"{assignment}/{student}")
    if not total:
        pytest.skip("no uncatalogued samples yet")
    assert len(hinted) / len(total) >= MIN_HINTED, sorted(set(total) - set(hinted))


@pytest.mark.parametrize("assignment", assignments_with_samples())
def test_messages_exist_in_both_languages(graded_classes: dict, assignment: str) -> None:
    for result in graded_classes[assignment].values():
        for outcome in result.outcomes:
            assert outcome.message["ja"] and outcome.message["en"]
            if outcome.status != Status.PASSED:
                assert outcome.message["ja"] != outcome.message["en"] or \
                    outcome.message["en"].startswith("[")


@pytest.mark.parametrize("assignment", assignments_with_samples())
def test_messages_show_a_visible_difference(graded_classes: dict, assignment: str) -> None:
    """"expected 0.693147, got 0.693147" helps no one: the two numbers read differently."""
    pattern = re.compile(r"expected (-?[\d.e+-]+), got (-?[\d.e+-]+)")
    for result in graded_classes[assignment].values():
        for outcome in result.outcomes:
            for text in (outcome.message.get("en", ""), outcome.hidden_detail.get("en", "")):
                for expected, got in pattern.findall(text):
                    assert expected != got, f"{result.student_id} {outcome.test_id}: {text}"


@pytest.mark.parametrize("assignment", assignments_with_samples())
def test_sandbox_recorded(graded_classes: dict, assignment: str) -> None:
    for result in graded_classes[assignment].values():
        assert result.isolation.split(",")[0] in ("bubblewrap", "rlimits+landlock+seccomp")


def test_discussion_kept_for_manual_grading(graded_perceptron: dict[str, JobResult]) -> None:
    assert "考察" in graded_perceptron["correct_sum"].facts.discussion
    assert "考察" in graded_perceptron["correct_mean"].facts.discussion  # from the docstring
