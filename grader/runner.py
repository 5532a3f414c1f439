"""Batch grading: ingest every submission, skip what is up to date, grade the rest.

One job per (student, assignment). Results are written to the gradebook as they
arrive, one transaction each, so an interrupted batch keeps everything finished and
the next run grades only what is missing or changed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader import ingest
from grader.errors import UserError
from grader.executors import Executor, LocalExecutor
from grader.gradebook import Gradebook
from grader.judge import SCORING_FILES
from grader.manifest import load_assignment, suite_hash
from grader.paths import Course
from grader.results import JobResult, JobSpec, JobStatus
from grader.sandbox import choose_isolation


class UnknownAssignment(UserError):
    """An assignment name that is not in the course."""


@dataclass
class BatchSummary:
    planned: int = 0
    graded: int = 0
    skipped: int = 0
    errors: int = 0
    results: list[JobResult] = field(default_factory=list)
    """Every result of the batch, without curves and images (they are in the gradebook):
    a class of 300 would otherwise hold tens of megabytes of them until the end."""
    isolation: str = ""


def plan(course: Course, assignments: Iterable[str], submissions: Path | None, book: Gradebook,
         force: bool, isolation: str, roster: Path | None = None) -> tuple[list[JobSpec], int]:
    """Job specs to run and the number of submissions already graded with this suite.

    ``submissions`` is a folder or an LMS export zip; ``roster`` maps LMS identities to
    student ids (grader/ingest/roster.py). Raises ``ingest.IngestError`` when either
    cannot be read at all.
    """
    specs, skipped = [], 0
    people = ingest.Roster.load(roster) if roster is not None else None
    for name in assignments:
        assignment = load_assignment(course, name)
        suite = suite_hash(assignment, SCORING_FILES)
        base = submissions if submissions is not None else None
        for submission in ingest.discover(assignment, base, people):
            spec = submission.job_spec(course.root, isolation)
            if not force and book.is_up_to_date(name, spec.student_id, spec.submission_hash,
                                                 suite):
                skipped += 1
                continue
            specs.append(spec)
    return specs, skipped


def grade(course: Course, assignments: list[str], *, db_path: Path,
          submissions: Path | None = None, jobs: int | None = None, force: bool = False,
          isolation: str = "auto", executor: Executor | None = None,
          progress: bool = True, command: str = "grade",
          on_result: Callable[[JobResult], None] | None = None,
          roster: Path | None = None) -> BatchSummary:
    """Grade the assignments' submissions into the gradebook at ``db_path``."""
    summary = BatchSummary(isolation=choose_isolation(isolation))
    with Gradebook(db_path) as book:
        specs, summary.skipped = plan(course, assignments, submissions, book, force, isolation,
                                      roster)
        summary.planned = len(specs)
        run_id = book.start_run(command, summary.isolation)
        if executor is None:
            timeout = max(_limits(course, assignments)) * 2 + 60
            executor = LocalExecutor(jobs, job_timeout=timeout)
        bar = _progress(len(specs), progress)
        suites = {name: suite_hash(load_assignment(course, name), SCORING_FILES)
                  for name in assignments}
        try:
            for result in executor.run(specs):
                result = _same_suite(result, suites)  # noqa: PLW2901
                book.record(result, run_id)
                summary.results.append(result.without_artifacts())  # the book has them
                if result.status == JobStatus.ERROR:
                    summary.errors += 1
                else:
                    summary.graded += 1
                if on_result:
                    on_result(result)
                if bar is not None:
                    bar.set_postfix_str(f"{result.student_id}: {result.points:g}/"
                                        f"{result.max_points:g}", refresh=False)
                    bar.update(1)
        finally:
            if bar is not None:
                bar.close()
            book.finish_run(run_id, summary.graded, summary.skipped, summary.errors)
    return summary


def _same_suite(result: JobResult, suites: dict[str, str]) -> JobResult:
    """A grade made with another version of the suite (a judge or a Dask worker with a
    stale copy of the course) is not this run's grade: keep it only as a failed attempt."""
    expected = suites.get(result.assignment)
    if result.status == JobStatus.ERROR or expected is None or result.suite_hash == expected:
        return result
    return result.with_changes(
        status=JobStatus.ERROR, points=0.0,
        error=f"graded with another version of the test suite ({result.suite_hash[:12]}, "
              f"expected {expected[:12]}): is the course the same on every worker?")


def _limits(course: Course, assignments: list[str]) -> list[float]:
    return [load_assignment(course, name).limits.job_timeout for name in assignments] or [60.0]


def _progress(total: int, enabled: bool) -> Any:
    """A tqdm progress bar on stderr, or None."""
    if not enabled or total == 0:
        return None
    from tqdm import tqdm
    return tqdm(total=total, unit="submission", file=sys.stderr, dynamic_ncols=True,
                desc="grading")


def assignment_names(course: Course, requested: str | None) -> list[str]:
    names = course.assignment_names()
    if requested is None:
        return names
    if requested not in names:
        import difflib
        close = difflib.get_close_matches(requested, names, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise UnknownAssignment(f"no assignment named {requested!r} (known: "
                                f"{', '.join(names)}).{hint}")
    return [requested]
