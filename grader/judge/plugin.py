"""The pytest plugin the judge loads for each job.

It supplies the fixtures the course's tests use, backed by the sandboxed worker:

* ``student``: ``student("perceptron")`` returns the student's module (a proxy);
  ``student.run_script(name)``, ``student.read_output(file)``, ``student.assign(...)``.
  The kit's ``conftest.py`` provides the same interface by direct import on a laptop.
* ``reference``: ``reference("perceptron")`` imports the reference solution (here,
  in the trusted judge, never in the worker).
* ``artifacts``: ``artifacts.curve(...)``, ``artifacts.note(...)``, ``artifacts.image(...)``
  attach data for the report (loss curves, which convention the student used).
* ``mistakes``: the assignment's catalogue of known mistakes (``mistakes.toml``).

and it turns each test's outcome into a status and a bilingual message using hooks
(never by parsing pytest's output).
"""

from __future__ import annotations

import base64
import importlib
import itertools
import math
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from grader import i18n
from grader.i18n import Bilingual
from grader.judge.errors import GraderFault, StudentError
from grader.judge.proxies import RemoteObject
from grader.judge.session import StudentSession
from grader.manifest import Assignment
from grader.results import Status


@dataclass
class ItemRecord:
    """What one collected test item produced."""

    key: str
    status: Status = Status.SKIPPED
    message: Bilingual = field(default_factory=lambda: i18n.message("grader.never_reported"))
    details: str = ""
    diagnoses: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    hidden_detail: Bilingual = field(default_factory=dict)
    notes: list[dict] = field(default_factory=list)
    artifacts: list[dict] = field(default_factory=list)
    output: str = ""
    duration: float = 0.0
    reported: bool = False


def item_key(nodeid: str) -> str:
    """``assignments/a/tests/test_x.py::test_y[1]`` -> ``test_x.py::test_y[1]``."""
    path, _, rest = nodeid.partition("::")
    return f"{Path(path).name}::{rest}"


# ----------------------------------------------------------------------------- fixtures


class StudentAccess:
    """The ``student`` fixture in grading mode."""

    mode = "grading"

    def __init__(self, session: StudentSession) -> None:
        self._session = session

    def __call__(self, name: str) -> RemoteObject:
        return self._session.load(name)

    def run_script(self, name: str) -> str:
        """Run the module's ``__main__`` block; returns what it printed."""
        self._session.run_script(name)
        return self._session.last_output

    def read_output(self, file_name: str) -> bytes | None:
        """A file the student's code wrote under ``outputs/``, or None."""
        return self._session.read_output_file(file_name)

    def remove_output(self, file_name: str) -> None:
        """Nothing to remove: each job's outputs/ starts empty."""

    def assign(self, obj: Any, path: list[str | int], value: Any) -> str:
        """Set ``obj.<path>`` to ``value`` in place when it is an array of the same shape."""
        if not isinstance(obj, RemoteObject):
            raise TypeError("assign() needs an object of the student's")
        return obj.assign(path, value)


class ReferenceLoader:
    """Imports reference solution modules without letting them clash across assignments."""

    _cache: dict[tuple[str, str], Any] = {}

    def __init__(self, assignment: Assignment) -> None:
        self.assignment = assignment

    def __call__(self, name: str) -> Any:
        key = (str(self.assignment.paths.solution), name)
        if key not in self._cache:
            self._load(name)
        return self._cache[key]

    def _load(self, name: str) -> None:
        solution = str(self.assignment.paths.solution)
        before = set(sys.modules)
        sys.path.insert(0, solution)
        try:
            importlib.import_module(name)
        finally:
            sys.path.remove(solution)
            # Keep what was loaded from the solution in our cache, not in sys.modules,
            # so another assignment's module of the same name imports its own.
            for module_name in set(sys.modules) - before:
                module = sys.modules[module_name]
                if str(getattr(module, "__file__", "") or "").startswith(solution):
                    self._cache[(solution, module_name)] = sys.modules.pop(module_name)


class ArtifactRecorder:
    """The ``artifacts`` fixture: data a test attaches for the report."""

    def __init__(self, record: ItemRecord) -> None:
        self._record = record

    def curve(self, name: str, series: dict[str, Any], *, title: Bilingual | str | None = None,
              xlabel: str = "iteration", ylabel: str = "loss") -> None:
        clean = {label: _finite_list(values) for label, values in series.items()}
        self._record.artifacts.append({
            "kind": "curve", "name": name, "series": clean,
            "title": title if isinstance(title, dict) else i18n.same(title or name),
            "xlabel": xlabel, "ylabel": ylabel,
        })

    def image(self, name: str, png: bytes, *, title: Bilingual | str | None = None) -> None:
        if not png.startswith(b"\x89PNG\r\n\x1a\n") or len(png) > 2_000_000:
            return
        self._record.artifacts.append({
            "kind": "image", "name": name, "png_base64": base64.b64encode(png).decode(),
            "title": title if isinstance(title, dict) else i18n.same(title or name)})

    def note(self, key: str, value: Any, message: Bilingual | None = None) -> None:
        self._record.notes.append({"key": key, "value": value,
                                   "message": message or i18n.same(f"{key}: {value}")})


class ConventionRecorder:
    """The ``conventions`` fixture: a test says which accepted convention it recognised.

    ``conventions.recognised("total_error", "sum")`` notes it for the report (the
    manifest's ``recognised`` text); a convention the manifest does not declare is a
    broken suite, never a silent note.
    """

    def __init__(self, assignment: Assignment, record: ItemRecord) -> None:
        self._assignment = assignment
        self._record = record

    def recognised(self, quantity: str, accepted: str) -> None:
        convention = self._assignment.convention(quantity)
        way = convention.accepted_as(accepted) if convention else None
        if way is None:
            raise GraderFault(f"convention {quantity}={accepted} is not declared in the "
                              f"manifest of {self._assignment.name}")
        note = {"key": "convention", "quantity": quantity, "value": accepted,
                "message": way.recognised}
        if note not in self._record.notes:
            self._record.notes.append(note)


#: What a test keeps of the student's output: its beginning and its end (where the
#: worker notes what it dropped). The job keeps at most 16 384 characters per test.
OUTPUT_HEAD, OUTPUT_TAIL = 11_000, 1_000


def _capped(text: str) -> str:
    if len(text) <= OUTPUT_HEAD + OUTPUT_TAIL + 100:
        return text
    cut = len(text) - OUTPUT_HEAD - OUTPUT_TAIL
    return (f"{text[:OUTPUT_HEAD]}\n[... {cut} characters not kept ...]\n"
            f"{text[-OUTPUT_TAIL:]}")


def _finite_list(values: Any) -> list[float | None]:
    result: list[float | None] = []
    try:  # read at most 100 000 values: a student's iterable may never end
        for value in itertools.islice(values, 100_000):
            number = float(value)
            result.append(number if math.isfinite(number) else None)
    except (TypeError, ValueError):
        return []
    return result


# ----------------------------------------------------------------------------- plugin


class JudgePlugin:
    """Collects outcomes for one job; one instance per ``pytest.main`` call."""

    def __init__(self, assignment: Assignment, session: StudentSession) -> None:
        self.assignment = assignment
        self.session = session
        self.records: dict[str, ItemRecord] = {}
        self.collected: list[str] = []
        self.collect_errors: list[str] = []
        self.internal_errors: list[str] = []
        self._mistakes: dict | None = None

    # ------------------------------------------------------------------ fixtures
    # (kept suites reach the same objects through judge/suite.py's Delegate)
    def make_student(self) -> StudentAccess:
        return StudentAccess(self.session)

    def make_reference(self) -> ReferenceLoader:
        return ReferenceLoader(self.assignment)

    def make_artifacts(self, nodeid: str) -> ArtifactRecorder:
        return ArtifactRecorder(self._record(nodeid))

    def make_conventions(self, nodeid: str) -> ConventionRecorder:
        return ConventionRecorder(self.assignment, self._record(nodeid))

    def load_mistakes(self) -> dict:
        if self._mistakes is None:
            path = self.assignment.paths.mistakes
            self._mistakes = {}
            if path.is_file():
                with open(path, "rb") as handle:
                    self._mistakes = tomllib.load(handle).get("mistakes", {})
        return self._mistakes

    @pytest.fixture
    def student(self) -> StudentAccess:
        return self.make_student()

    @pytest.fixture
    def reference(self) -> ReferenceLoader:
        return self.make_reference()

    @pytest.fixture
    def artifacts(self, request: pytest.FixtureRequest) -> ArtifactRecorder:
        return self.make_artifacts(request.node.nodeid)

    @pytest.fixture
    def conventions(self, request: pytest.FixtureRequest) -> ConventionRecorder:
        return self.make_conventions(request.node.nodeid)

    @pytest.fixture
    def mistakes(self) -> dict:
        return self.load_mistakes()

    # ------------------------------------------------------------------ hooks
    def _record(self, nodeid: str) -> ItemRecord:
        key = item_key(nodeid)
        if key not in self.records:
            self.records[key] = ItemRecord(key)
        return self.records[key]

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collect_errors.append(f"{report.nodeid}: {report.longreprtext[-2000:]}")

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        self.collected = [item_key(item.nodeid) for item in items]
        for key in self.collected:
            self.records.setdefault(key, ItemRecord(key))
        self.shorten_failures(items)

    @staticmethod
    def shorten_failures(items: list[pytest.Item]) -> None:
        for item in items:
            # Outcomes are classified from the exception itself (see classify); pytest's
            # own failure report, a formatted traceback, is never shown and costs ~1 ms.
            item.repr_failure = _short_failure  # type: ignore[method-assign]

    def pytest_internalerror(self, excrepr: object) -> None:
        self.internal_errors.append(str(excrepr)[-2000:])

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        if time.monotonic() > self.session.deadline:
            record = self._record(item.nodeid)
            record.status = Status.TIMEOUT
            record.message = i18n.message("student.job_timeout",
                                          seconds=self.session.limits.job_timeout)
            record.reported = True
            pytest.skip("job time limit")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item,
                                  call: pytest.CallInfo) -> Iterator[None]:
        outcome: Any = yield
        self.after_report(item, call, outcome.get_result())

    def after_report(self, item: pytest.Item, call: pytest.CallInfo,
                     report: pytest.TestReport) -> None:
        record = self._record(item.nodeid)
        record.duration += call.duration
        if call.when == "setup":
            if not report.passed and not record.reported:
                self._set(record, call, report, blame_grader=True)
        elif call.when == "call":
            self._set(record, call, report, blame_grader=False)
        else:
            if report.failed and record.status == Status.PASSED:
                self._set(record, call, report, blame_grader=True)
            record.output = _capped(record.output + self.session.take_output())

    def _set(self, record: ItemRecord, call: pytest.CallInfo, report: pytest.TestReport,
             blame_grader: bool) -> None:
        verdict = classify(call, report)
        error = call.excinfo.value if call.excinfo else None
        test = self.assignment.test(record.key)
        hidden = test is not None and test.hidden
        message, hidden_detail = verdict.message, {}
        if isinstance(error, StudentError) and error.withheld and hidden:
            # The student's own text may carry the hidden inputs: masked for the student,
            # whole for the instructor (when masking changed anything).
            message = error.withheld
            hidden_detail = verdict.message if verdict.message != message else {}
        elif verdict.values is not None:
            if hidden:
                hidden_detail = verdict.values
            else:
                message = i18n.join(message, verdict.values, separator="\n")
        status, details = verdict.status, verdict.details
        if blame_grader and status == Status.FAILED and not isinstance(error, StudentError):
            # A fixture or teardown failed: the suite's fault, not the student's.
            status = Status.ERROR
            message = i18n.message("grader.test_error", type=type(error).__name__,
                                   message=str(error)[:300])
            details = str(call.excinfo.getrepr(style="short"))[-3000:] if call.excinfo else ""
        record.status, record.message, record.details = status, message, details
        record.hidden_detail = hidden_detail
        record.diagnoses, record.hints = verdict.diagnoses, verdict.hints
        record.reported = True


def _short_failure(excinfo: pytest.ExceptionInfo[BaseException], *args: object,
                   **kwargs: object) -> str:
    return f"{excinfo.typename}: {str(excinfo.value)[:300]}"


@dataclass
class Verdict:
    """How one phase of a test ended, as the report and gradebook need it."""

    status: Status
    message: Bilingual
    details: str = ""
    diagnoses: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    values: Bilingual | None = None
    """Expected and actual values (a check's ``values``): public tests show them with the
    message; hidden tests keep them for the instructor."""


def _bilingual_of(value: object) -> Bilingual | None:
    if isinstance(value, dict) and all(isinstance(value.get(k), str) for k in i18n.LANGUAGES):
        return {k: value[k] for k in i18n.LANGUAGES}
    return None


def classify(call: pytest.CallInfo, report: pytest.TestReport) -> Verdict:
    """The verdict of one phase of a test, from its exception (never from output)."""
    if call.excinfo is None:
        if report.skipped:
            return Verdict(Status.SKIPPED, i18n.message("status.skipped"))
        return Verdict(Status.PASSED, i18n.message("status.passed"))
    error = call.excinfo.value
    if isinstance(error, StudentError):
        return Verdict(Status(error.status), error.message, error.details)
    if isinstance(error, GraderFault):
        return Verdict(Status.ERROR, i18n.message("grader.test_error", type="GraderFault",
                                                  message=str(error)))
    bilingual = _bilingual_of(getattr(error, "bilingual", None))
    if bilingual is not None:
        details = getattr(error, "details", "")
        values = _bilingual_of(getattr(error, "values", None))
        return Verdict(Status.FAILED, bilingual, details if isinstance(details, str) else "",
                       [str(d) for d in getattr(error, "diagnoses", ()) or ()],
                       [str(h) for h in getattr(error, "hints", ()) or ()],
                       values if values and any(values.values()) else None)
    if report.skipped:
        return Verdict(Status.SKIPPED, i18n.same(str(error)[:500]))
    if isinstance(error, AssertionError):
        return Verdict(Status.FAILED, i18n.same(str(error)[:2000] or "assertion failed"))
    if isinstance(error, pytest.fail.Exception):
        return Verdict(Status.FAILED, i18n.same(str(error)[:2000]))
    # Anything else raised while checking the student's result: the check could not
    # complete on what the student returned (validate() proves the suite itself works).
    text = f"{type(error).__name__}: {str(error)[:500]}"
    return Verdict(Status.FAILED, i18n.message("student.check_crashed", detail=text),
                   str(call.excinfo.getrepr(style="short"))[-3000:])
