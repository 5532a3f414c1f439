"""``grader bench``: throughput against the usual way, measured in one run.

1. A synthetic class of N students is made from the assignment's named sample
   submissions (correct, each common mistake, crash, infinite loop) in a fixed mix.
2. The grader grades it (warm judges, zygote-forked sandboxed workers, ``--jobs``).
3. The same class is graded "the usual way": one ``python -m pytest`` subprocess per
   submission, pytest-timeout at the same per-call limit, the same public and hidden
   tests importing the student's module directly (``grader.bench.baseline``), with the
   same number of parallel jobs.
4. For the per-submission overhead, the well-behaved students are also run through the
   same tests in one process with no isolation at all (pytest.main in a loop).

Peak memory is the largest total RSS of this process and all its descendants, sampled
every 50 ms. Scores of both ways are compared; they must agree where a student's code
behaves (the baseline cannot contain hostile code, which is the point of the grader).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ElementTree
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from grader import ingest
from grader.errors import UserError
from grader.manifest import Assignment, load_assignment
from grader.paths import Course
from grader.runner import grade

# Share of the class per kind of sample (by folder name); the rest is split evenly.
MIX = {"correct": 0.50, "mistake": 0.34, "infinite_loop": 0.02}

#: Kinds of sample the baseline cannot grade like the grader, and why. Any other
#: difference means the baseline did not measure what it claims, and the bench stops.
EXPECTED_MISMATCHES = {
    "exit_at_import": "sys.exit at import ends the baseline's own pytest process",
}


class BenchError(UserError):
    """The benchmark could not measure what it would report."""


def check_baseline_prerequisites() -> None:
    """The baseline grades "the usual way" with pytest-timeout: without it an infinite
    loop hangs and every student scores differently, so the ratio would mean nothing."""
    done = subprocess.run([sys.executable, "-c", "import pytest, pytest_timeout"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError("the baseline needs pytest-timeout in this environment "
                         f"({sys.executable}): install the test extras, e.g. "
                         "pip install -e '.[test]'; or run grader bench --no-baseline")


def unexpected_mismatches(kinds: dict[str, str], ours: dict[str, float],
                          usual: dict[str, float]) -> list[str]:
    """Kinds of student scored differently by the two ways, beyond the expected ones."""
    differ = {kinds[s] for s in kinds if abs(ours.get(s, -1) - usual.get(s, -2)) > 1e-6}
    return sorted(differ - set(EXPECTED_MISMATCHES))


# ----------------------------------------------------------------------------- the class


def make_class(course: Course, assignment: str, students: int, out: Path,
               seed: int = 0) -> dict[str, str]:
    """Copy sample submissions into ``out/<student_id>/``; returns student -> sample kind."""
    samples = sorted(p for p in (course.submissions_dir / assignment).iterdir() if p.is_dir())
    groups: dict[str, list[Path]] = {"correct": [], "mistake": [], "infinite_loop": [],
                                     "other": []}
    for sample in samples:
        # An uncatalogued mistake is a mistake for the mix: one wrong unit, the rest right.
        name = sample.name.replace("uncatalogued_", "mistake_", 1)
        key = next((k for k in ("correct", "mistake", "infinite_loop")
                    if name.startswith(k)), "other")
        groups[key].append(sample)
    weights: list[tuple[Path, float]] = []
    rest = 1.0 - sum(MIX[k] for k in MIX if groups[k])
    for key, members in groups.items():
        share = MIX.get(key, rest) if key != "other" else rest
        weights += [(member, share / len(members)) for member in members]
    # Largest remainders: every kind gets its share rounded down, then the students left
    # go to the largest fractions, so even a small class keeps the mix's proportions.
    exact = [weight * students for _, weight in weights]
    counts = [int(share) for share in exact]
    for index in sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))[
            :students - sum(counts)]:
        counts[index] += 1
    kinds = [sample for (sample, _), count in zip(weights, counts) for _ in range(count)]
    np.random.default_rng(seed).shuffle(kinds)
    out.mkdir(parents=True, exist_ok=True)
    made = {}
    for index, sample in enumerate(kinds):
        student = f"s{index:04d}"
        target = out / student
        shutil.copytree(sample, target)
        for path in list(target.rglob(f"*{sample.name}*")):
            path.rename(path.with_name(path.name.replace(sample.name, student)))
        made[student] = sample.name
    return made


# ----------------------------------------------------------------------------- memory


class PeakMemory:
    """Largest summed RSS of this process tree while active (sampled every 50 ms)."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def tree_rss(root: int) -> int:
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        page = os.sysconf("SC_PAGE_SIZE")
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * page
        total, members = 0, {root}
        changed = True
        while changed:
            changed = False
            for pid, parent in parents.items():
                if parent in members and pid not in members:
                    members.add(pid)
                    changed = True
        for pid in members:
            total += rss.get(pid, 0)
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.tree_rss(os.getpid()))
            self._stop.wait(0.05)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# ----------------------------------------------------------------------------- runs


@dataclass
class Run:
    wall_s: float
    submissions: int
    peak_rss_mb: float
    points: dict[str, float] = field(default_factory=dict)
    per_submission_s: dict[str, float] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.submissions / self.wall_s if self.wall_s else 0.0

    def summary(self) -> dict:
        data = asdict(self)
        data.pop("points")
        data.pop("per_submission_s")
        data["per_second"] = round(self.per_second, 3)
        data["wall_s"] = round(self.wall_s, 2)
        data["peak_rss_mb"] = round(self.peak_rss_mb, 1)
        return data


def run_grader(course: Course, assignment: str, class_dir: Path, jobs: int,
               work: Path) -> Run:
    db = work / "bench-gradebook.sqlite"
    with PeakMemory() as memory:
        started = time.monotonic()
        summary = grade(course, [assignment], db_path=db, submissions=class_dir, jobs=jobs,
                        force=True, progress=False, command="bench")
        wall = time.monotonic() - started
    return Run(wall, len(summary.results), memory.peak / 2**20,
               {r.student_id: r.points for r in summary.results},
               {r.student_id: r.duration for r in summary.results})


def _prepare_baseline(course: Course, assignment: Assignment, class_dir: Path,
                      work: Path) -> list[tuple[str, Path]]:
    """Per student: scripts/ as ingest finds them, data/, outputs/, and the test files."""
    paths = assignment.paths
    prepared = []
    for submission in ingest.discover(assignment, class_dir):
        root = work / "baseline" / submission.student_id
        (root / "scripts").mkdir(parents=True)
        (root / "outputs").mkdir()
        (root / "tests").mkdir()
        for name, content in submission.files.items():
            (root / "scripts" / name).write_bytes(content)
        if paths.data.is_dir():
            (root / "data").symlink_to(paths.data)
        for test in paths.test_files():
            shutil.copy(test, root / "tests" / test.name)
        for helper in course.kit_shared_dir.glob("*.py"):  # checks.py, studentops.py
            if helper.name != "conftest.py":  # fixtures come from grader.bench_baseline
                shutil.copy(helper, root / "tests" / helper.name)
        prepared.append((submission.student_id, root))
    return prepared


def _baseline_env(assignment: Assignment, scripts: Path) -> dict[str, str]:
    env = dict(os.environ, BENCH_SCRIPTS=str(scripts),
               BENCH_SOLUTION=str(assignment.paths.solution),
               BENCH_MISTAKES=str(assignment.paths.mistakes),
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MPLBACKEND="Agg",
               PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)  # pytest-timeout loads as usual
    return env


def _score(assignment: Assignment, junit: Path) -> float:
    """Points from a JUnit XML report, with the manifest's points (cases pro rata)."""
    if not junit.is_file():
        return 0.0
    cases: dict[str, list[bool]] = {}
    for case in ElementTree.parse(junit).iter("testcase"):
        file = case.get("classname", "").split(".")[-1] + ".py"
        test_id = f"{file}::{case.get('name', '').split('[')[0]}"
        passed = not any(child.tag in ("failure", "error", "skipped") for child in case)
        cases.setdefault(test_id, []).append(passed)
    return round(sum(test.points * sum(cases.get(test.id, [False]))
                     / max(len(cases.get(test.id, [False])), 1)
                     for test in assignment.tests), 4)


def run_baseline(course: Course, assignment_name: str, class_dir: Path, jobs: int,
                 work: Path) -> Run:
    assignment = load_assignment(course, assignment_name)
    prepared = _prepare_baseline(course, assignment, class_dir, work)
    limits = assignment.limits
    points: dict[str, float] = {}
    durations: dict[str, float] = {}

    def one(item: tuple[str, Path]) -> None:
        student, root = item
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                   "-p", "grader.bench.baseline", f"--timeout={limits.call_timeout:g}",
                   "--junitxml", str(root / "report.xml"), "tests"]
        started = time.monotonic()
        try:
            subprocess.run(command, cwd=root, env=_baseline_env(assignment, root / "scripts"),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=limits.job_timeout, start_new_session=True)
        except subprocess.TimeoutExpired:
            pass
        durations[student] = time.monotonic() - started
        points[student] = _score(assignment, root / "report.xml")

    with PeakMemory() as memory:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(one, prepared))
        wall = time.monotonic() - started
    return Run(wall, len(prepared), memory.peak / 2**20, points, durations)


# One process, every student in turn: the same test files each time (so pytest keeps
# them imported), the student's modules dropped between students.
_IN_PROCESS = r"""
import json, os, sys, time, contextlib, io
import pytest
roots, tests, args = json.loads(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
times = {}
for student, root in roots:
    os.environ["BENCH_SCRIPTS"] = os.path.join(root, "scripts")
    for name in [n for n, m in list(sys.modules.items())
                 if "/scripts/" in (getattr(m, "__file__", None) or "")]:
        del sys.modules[name]
    sys.path[:] = [p for p in sys.path if not p.endswith("/scripts")]
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        code = pytest.main([tests, *args])
    times[student] = time.perf_counter() - started
    if code not in (0, 1):
        raise SystemExit(f"pytest failed to run for {student}: exit code {code}")
print(json.dumps(times))
"""


def run_in_process(course: Course, assignment_name: str, students: list[str],
                   work: Path) -> dict[str, float]:
    """Per-submission seconds of the same tests in one process, no isolation, no start-up."""
    assignment = load_assignment(course, assignment_name)
    roots = [(student, str(work / "baseline" / student)) for student in students]
    tests = str(work / "baseline" / students[0] / "tests")
    args = ["-q", "-p", "no:cacheprovider", "-p", "grader.bench.baseline", "-p", "no:timeout"]
    env = _baseline_env(assignment, work / "baseline")
    done = subprocess.run([sys.executable, "-c", _IN_PROCESS, json.dumps(roots), tests,
                           json.dumps(args)], env=env, capture_output=True, text=True,
                          timeout=900)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"in-process run failed: {done.stderr[-2000:]}")
    times = json.loads(lines[-1])
    times.pop(students[0])  # the first student pays the imports, which this run excludes
    return times


# ----------------------------------------------------------------------------- report


def bench(course: Course, assignment: str, students: int, jobs: int,
          baseline: bool = True, keep: Path | None = None) -> dict:
    if baseline:
        check_baseline_prerequisites()
    work = Path(tempfile.mkdtemp(prefix="nngrader-bench-", dir=keep))
    try:
        kinds = make_class(course, assignment, students, work / "class")
        ours = run_grader(course, assignment, work / "class", jobs, work)
        report: dict = {
            "assignment": assignment, "students": students, "jobs": jobs,
            "mix": {kind: list(kinds.values()).count(kind) for kind in sorted(set(kinds.values()))},
            "grader": ours.summary(),
        }
        if baseline:
            usual = run_baseline(course, assignment, work / "class", jobs, work)
            wrong = unexpected_mismatches(kinds, ours.points, usual.points)
            if wrong:
                raise BenchError(
                    f"the baseline graded {', '.join(wrong)} differently from the grader, so "
                    f"it did not measure the same work; no ratio reported (check that "
                    f"python -m pytest runs the tests in this environment)")
            report["baseline"] = usual.summary()
            report["speedup_vs_baseline"] = round(usual.wall_s / ours.wall_s, 2)
            behaved = [s for s, kind in kinds.items()
                       if kind.startswith(("correct", "mistake", "uncatalogued"))]
            sample = behaved[:60]
            in_process = run_in_process(course, assignment, sample, work)
            if in_process:
                ours_mean = statistics.mean(ours.per_submission_s[s] for s in sample)
                alone = statistics.mean(in_process.values())
                report["in_process"] = {"students": len(in_process),
                                        "per_submission_s": round(alone, 4)}
                report["grader"]["per_submission_s"] = round(ours_mean, 4)
                report["overhead_vs_in_process"] = round(ours_mean / alone, 2)
            report["score_mismatches"] = sorted(
                {kinds[s] for s in kinds if abs(ours.points.get(s, -1) - usual.points.get(s, -2))
                 > 1e-6})
        return report
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def format_report(report: dict) -> str:
    ours = report["grader"]
    lines = [f"{report['assignment']}: {report['students']} students, {report['jobs']} jobs, "
             f"mix {report['mix']}",
             f"grader:   {ours['wall_s']:8.2f} s  {ours['per_second']:6.2f} submissions/s  "
             f"peak {ours['peak_rss_mb']:.0f} MB"]
    if "baseline" in report:
        usual = report["baseline"]
        lines.append(f"baseline: {usual['wall_s']:8.2f} s  {usual['per_second']:6.2f} "
                     f"submissions/s  peak {usual['peak_rss_mb']:.0f} MB  "
                     f"(one pytest subprocess per submission)")
        lines.append(f"speedup vs baseline: {report['speedup_vs_baseline']}x")
    if "in_process" in report:
        alone = report["in_process"]["per_submission_s"]
        lines.append(f"per submission: grader {ours['per_submission_s']:.3f} s, same tests "
                     f"in one process without isolation {alone:.3f} s "
                     f"({report['overhead_vs_in_process']}x)")
    if report.get("score_mismatches"):
        kinds = ", ".join(report["score_mismatches"])
        lines.append(f"scores differ from the baseline for: {kinds}")
    return "\n".join(lines)


def write_json(report: dict, path: Path) -> None:
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
