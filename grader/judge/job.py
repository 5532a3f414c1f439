"""Grade one (student, assignment): pytest over public + hidden tests, student in a worker.

:func:`run_job` is the unit every executor runs (the local pool, Dask). It is meant
to be called many times in one warm process: pytest, numpy, the test modules and the
reference stay imported between jobs; only the worker is new for each submission.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import sys
import time
from functools import cache
from pathlib import Path

import pytest

from grader import i18n
from grader.judge import SCORING_FILES
from grader.judge.plugin import ItemRecord, JudgePlugin
from grader.judge.session import StudentSession
from grader.judge.suite import kept_suite
from grader.manifest import (Assignment, ManifestError, check_against_collected,
                             check_against_files, load_assignment, suite_hash)
from grader.paths import Course
from grader.results import JobResult, JobSpec, JobStatus, Status, TestOutcome, round_points
from grader.sandbox import Spawner, Worker, choose_isolation, describe_isolation

PYTEST_INI = Path(__file__).resolve().parent / "pytest.ini"
#: pytest plugins grading never uses. unraisableexception and threadexception run a
#: full gc.collect() per session, which costs a warm judge ~20 ms a job.
UNUSED_PLUGINS = ("cacheprovider", "stepwise", "warnings", "legacypath", "doctest",
                  "junitxml", "pastebin", "unittest", "setuponly", "setupplan", "debugging",
                  "faulthandler", "unraisableexception", "threadexception", "logging")

_spawners: dict[str, Spawner] = {}


def spawner(isolation: str) -> Spawner:
    """This judge process's worker spawner (and its zygote), one per isolation."""
    if isolation not in _spawners:
        _spawners[isolation] = Spawner(isolation)
    return _spawners[isolation]


def close_spawners() -> None:
    for each in _spawners.values():
        each.close()
    _spawners.clear()


@cache
def _assignment(course_root: str, name: str) -> Assignment:
    return load_assignment(Course(Path(course_root)), name)


@cache
def assignment_suite_hash(course_root: str, name: str) -> str:
    return suite_hash(_assignment(course_root, name), SCORING_FILES)


def _prepare_imports(course: Course) -> None:
    """Make the kit's shared helpers (checks.py) importable for the test modules."""
    shared = str(course.kit_shared_dir)
    if shared not in sys.path:
        sys.path.insert(0, shared)
    os.environ.setdefault("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


def run_job(spec: JobSpec) -> JobResult:
    """Grade one submission. Never raises for a student's mistake; grader faults become
    a result with status ``error``."""
    started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    started = time.monotonic()
    course = Course(Path(spec.course_root))
    try:
        assignment = _assignment(spec.course_root, spec.assignment)
        suite = assignment_suite_hash(spec.course_root, spec.assignment)
    except (ManifestError, OSError) as error:
        return JobResult.crashed(spec, "", f"cannot load assignment: {error}")
    if spec.missing_everything:
        return _missing_result(spec, assignment, suite, started_at)
    problems = check_against_files(assignment)
    if problems:
        return JobResult.crashed(spec, suite, "suite broken: " + "; ".join(problems),
                                 assignment.max_points)
    _prepare_imports(course)
    isolation = choose_isolation(spec.isolation)
    limits = assignment.limits
    workers = spawner(isolation)
    workspace = workers.workspace(spec.files, assignment.paths.data)

    def start_worker(poison: list, poison_modules: list) -> Worker:
        workspace.reset_scripts(spec.files)
        return workers.start(workspace, limits, poison, poison_modules,
                             [0.5 * limits.call_timeout, 0.8 * limits.call_timeout])

    session = StudentSession(start_worker, limits, spec.modules)
    plugin = JudgePlugin(assignment, session)
    try:
        exit_code = _run_pytest(assignment, plugin, suite)
    finally:
        session.close()
        workspace.remove()
    return _result(spec, assignment, suite, plugin, exit_code, session, isolation,
                   started_at, time.monotonic() - started)


_keep_suites = False


def keep_suites() -> None:
    """From now on, keep each assignment's suite configured and collected between jobs
    (``judge/suite.py``); a warm judge process turns this on."""
    global _keep_suites
    _keep_suites = True


def _run_pytest(assignment: Assignment, plugin: JudgePlugin, suite: str) -> int:
    args = [str(path) for path in assignment.paths.test_files()]
    args += ["-c", str(PYTEST_INI), "--rootdir", str(assignment.paths.course.root),
             "--noconftest", "--import-mode=importlib", "-q", "--tb=no", "--capture=no",
             "--override-ini=console_output_style=classic"]
    for unused in UNUSED_PLUGINS:
        args += ["-p", f"no:{unused}"]
    if _keep_suites:
        kept = kept_suite((str(assignment.paths.course.root), assignment.name, suite), args)
        if kept is not None and not kept.broken:
            return kept.run(plugin)
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        return int(pytest.main(args, plugins=[plugin]))


def _missing_result(spec: JobSpec, assignment: Assignment, suite: str,
                    started_at: str) -> JobResult:
    message = i18n.message("student.missing_file", file=", ".join(
        f.name for f in assignment.files if not f.optional))
    outcomes = tuple(
        TestOutcome(test_id=test.id, title=test.title, hidden=test.hidden, points=test.points,
                    earned=0.0, status=Status.MISSING, message=message, cases=1,
                    cases_passed=0)
        for test in assignment.tests)
    return JobResult.of(spec, status=JobStatus.MISSING, suite_hash=suite,
                        max_points=assignment.max_points, outcomes=outcomes,
                        started_at=started_at)


def fold_outcomes(assignment: Assignment, records: dict[str, ItemRecord]) -> list[TestOutcome]:
    """One TestOutcome per manifest test; parametrized cases earn points pro rata."""
    by_test: dict[str, list[ItemRecord]] = {}
    for key, record in records.items():
        by_test.setdefault(key.split("[", 1)[0], []).append(record)
    outcomes = []
    for test in assignment.tests:
        cases = by_test.get(test.id, [])
        if not cases:
            outcomes.append(TestOutcome(
                test_id=test.id, title=test.title, hidden=test.hidden, points=test.points,
                earned=0.0, status=Status.ERROR,
                message=i18n.message("grader.never_reported")))
            continue
        passed = [case for case in cases if case.status == Status.PASSED]
        worst = max(cases, key=lambda case: case.status.severity)
        earned = round_points(test.points * len(passed) / len(cases))
        message = worst.message
        if len(cases) > 1 and worst.status != Status.PASSED:
            case_id = worst.key[len(test.id):]
            message = {lang: f"{case_id} {text}" for lang, text in worst.message.items()}
        outcomes.append(TestOutcome(
            test_id=test.id, title=test.title, hidden=test.hidden, points=test.points,
            earned=earned, status=worst.status, message=message, details=worst.details,
            diagnoses=tuple(dict.fromkeys(d for case in cases for d in case.diagnoses)),
            hints=tuple(dict.fromkeys(h for case in cases for h in case.hints)),
            hidden_detail=worst.hidden_detail,
            notes=tuple(note for case in cases for note in case.notes),
            output="".join(case.output for case in cases)[:16_384],
            duration=round(sum(case.duration for case in cases), 4),
            cases=len(cases), cases_passed=len(passed),
            artifacts=tuple(a for case in cases for a in case.artifacts)))
    return outcomes


def _result(spec: JobSpec, assignment: Assignment, suite: str, plugin: JudgePlugin,
            exit_code: int, session: StudentSession, isolation: str, started_at: str,
            duration: float) -> JobResult:
    problems = list(plugin.collect_errors) + list(plugin.internal_errors)
    if not problems:
        problems = check_against_collected(assignment, plugin.collected)
    if exit_code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) and not problems:
        problems.append(f"pytest exited with {pytest.ExitCode(exit_code).name}")
    outcomes = fold_outcomes(assignment, plugin.records)
    faults = [o for o in outcomes if o.status == Status.ERROR]
    if problems or faults:
        detail = "; ".join(problems) or "; ".join(
            f"{o.test_id}: {o.message['en']}" for o in faults)
        return JobResult.crashed(spec, suite, detail[:4000], assignment.max_points,
                                 tuple(outcomes)).with_changes(
            isolation=describe_isolation(isolation, session.hello), started_at=started_at,
            duration=round(duration, 3), events=tuple(session.events))
    return JobResult.of(
        spec, status=JobStatus.GRADED, suite_hash=suite, max_points=assignment.max_points,
        outcomes=outcomes, isolation=describe_isolation(isolation, session.hello),
        started_at=started_at, duration=round(duration, 3),
        output=session.take_output()[:16_384], events=tuple(session.events))
