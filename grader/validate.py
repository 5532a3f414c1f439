"""``grader validate``: prove an assignment is sound through the real pipeline.

Two submissions are built from the course's own files and graded exactly like a
student's: the reference solution must earn full marks, and the untouched skeleton
must earn zero, with every test graded (no ``error`` status).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.executors import Executor, LocalExecutor
from grader.ingest import Submission
from grader.manifest import Assignment, check_against_files, load_assignment
from grader.paths import Course
from grader.results import JobResult, JobStatus, Status
from grader.worker.studentops import find_module_file


def submission_from_folder(assignment: Assignment, folder_name: str, student_id: str) -> Submission:
    """A submission made of the folder's module files, named as the manifest expects."""
    folder = assignment.paths.solution if folder_name == "reference" else assignment.paths.scripts
    submission = Submission(assignment=assignment.name, student_id=student_id,
                            source=str(folder))
    for expected in assignment.modules:
        assert expected.module is not None
        path = find_module_file(str(folder), expected.module)
        if path is None:
            submission.modules[expected.module] = None
            continue
        name = expected.name_for(student_id)
        with open(path, "rb") as handle:
            submission.files[name] = handle.read()
        submission.modules[expected.module] = name[:-3]
    return submission


@dataclass
class Validation:
    assignment: str
    reference: JobResult
    skeleton: JobResult
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def validate(course: Course, name: str, executor: Executor | None = None) -> Validation:
    assignment = load_assignment(course, name)
    problems = check_against_files(assignment)
    specs = [submission_from_folder(assignment, "reference", "reference").job_spec(course.root),
             submission_from_folder(assignment, "skeleton", "skeleton").job_spec(course.root)]
    executor = executor or LocalExecutor(jobs=2, job_timeout=assignment.limits.job_timeout * 2)
    by_student = {result.student_id: result for result in executor.run(specs)}
    reference, skeleton = by_student["reference"], by_student["skeleton"]
    for label, result in (("reference", reference), ("skeleton", skeleton)):
        if result.status != JobStatus.GRADED:
            problems.append(f"{label}: status {result.status} {result.error}".strip())
        for outcome in result.outcomes:
            if outcome.status == Status.ERROR:
                problems.append(f"{label}: {outcome.test_id} ended in a grader error: "
                                f"{outcome.message['en']}")
    if reference.points != assignment.max_points:
        failing = [f"{o.test_id} ({o.status}: {o.message['en'][:200]})"
                   for o in reference.outcomes if o.status != Status.PASSED]
        problems.append(f"reference scored {reference.points:g}/{assignment.max_points:g}; "
                        f"failing: {'; '.join(failing)}")
    if skeleton.points != 0:
        passing = [o.test_id for o in skeleton.outcomes if o.earned > 0]
        problems.append(f"skeleton scored {skeleton.points:g}; passing: {', '.join(passing)}")
    return Validation(name, reference, skeleton, problems)
