"""Command line: ``grader grade | validate | export | report | bench``.

Thin glue: each command parses its options and calls one module's function. Errors a
person can act on are printed as one line (exit code 2); unexpected ones keep their
traceback.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from grader import __version__
from grader.manifest import ManifestError
from grader.paths import Course, CourseNotFound


class UsageProblem(click.ClickException):
    exit_code = 2


def _course(path: str | None) -> Course:
    try:
        return Course.locate(path)
    except CourseNotFound as error:
        raise UsageProblem(str(error)) from None


def _default(course: Course, value: str | None, relative: str) -> Path:
    return Path(value) if value else course.root / relative


course_option = click.option("--course", "course_dir", type=click.Path(file_okay=False),
                             help="Course directory (default: here, or the checkout).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="grader")
def main() -> None:
    """Autograder for the numpy neural-network course (ニューラルネットワーク演習の自動採点)."""


@main.command()
@click.option("--assignment", "-a", help="Grade only this assignment.")
@click.option("--submissions", type=click.Path(exists=True, file_okay=False),
              help="Folder with one sub-folder per student (needs --assignment when the "
                   "course has several).")
@click.option("--db", help="Gradebook (default: reports/gradebook.sqlite).")
@click.option("--reports", help="Where to write HTML reports (default: reports/).")
@click.option("--jobs", "-j", type=click.IntRange(1), help="Parallel jobs (default: cores).")
@click.option("--force", is_flag=True, help="Re-grade even unchanged submissions.")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True,
              help="Language of the reports.")
@click.option("--isolation", type=click.Choice(["auto", "bubblewrap", "fallback"]),
              default="auto", show_default=True, help="Sandbox for student code.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@course_option
def grade(assignment: str | None, submissions: str | None, db: str | None,
          reports: str | None, jobs: int | None, force: bool, lang: str, isolation: str,
          quiet: bool, course_dir: str | None) -> None:
    """Grade every submission under submissions/<assignment>/<student_id>/."""
    from grader import runner
    from grader.gradebook import Gradebook
    from grader.report.render import render_reports

    course = _course(course_dir)
    try:
        names = runner.assignment_names(course, assignment)
    except LookupError as error:
        raise UsageProblem(str(error)) from None
    if not names:
        raise UsageProblem(f"no assignments with a manifest under {course.reference_dir}")
    if submissions and len(names) > 1:
        raise UsageProblem("--submissions grades one assignment: add --assignment NAME")
    db_path = _default(course, db, "reports/gradebook.sqlite")
    reports_dir = _default(course, reports, "reports")
    started = time.monotonic()
    try:
        summary = runner.grade(course, names, db_path=db_path,
                               submissions=Path(submissions) if submissions else None,
                               jobs=jobs, force=force, isolation=isolation,
                               progress=not quiet, command=" ".join(sys.argv))
    except (ManifestError, RuntimeError) as error:
        raise UsageProblem(str(error)) from None
    with Gradebook(db_path) as book:
        index = render_reports(book.current(), reports_dir, lang)
    elapsed = time.monotonic() - started
    click.echo(f"graded {summary.graded}, unchanged {summary.skipped}, grader errors "
               f"{summary.errors} in {elapsed:.1f} s (sandbox: {summary.isolation})")
    click.echo(f"gradebook: {db_path}\nreport: {index}")
    if summary.errors:
        click.echo(f"{summary.errors} submission(s) could not be graded because of grader "
                   "errors; their previous grades (if any) were kept. See the report.", err=True)
        sys.exit(1)


@main.command()
@click.argument("name", required=False)
@course_option
def validate(name: str | None, course_dir: str | None) -> None:
    """Check that the reference scores full marks and the skeleton zero."""
    from grader import runner
    from grader.validate import validate as run_validation

    course = _course(course_dir)
    try:
        names = runner.assignment_names(course, name)
    except LookupError as error:
        raise UsageProblem(str(error)) from None
    failed = False
    for assignment in names:
        try:
            result = run_validation(course, assignment)
        except ManifestError as error:
            raise UsageProblem(str(error)) from None
        ref, skel = result.reference, result.skeleton
        verdict = "ok" if result.ok else "FAILED"
        click.echo(f"{assignment}: {verdict}  reference {ref.points:g}/{ref.max_points:g} "
                   f"({len(ref.outcomes)} tests), skeleton {skel.points:g}/{skel.max_points:g} "
                   f"({sum(o.status == 'not_implemented' for o in skel.outcomes)} not implemented)")
        for problem in result.problems:
            click.echo(f"  - {problem}")
        failed |= not result.ok
    sys.exit(1 if failed else 0)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["csv"]), default="csv", show_default=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Output file.")
@click.option("--db", help="Gradebook (default: reports/gradebook.sqlite).")
@click.option("--assignment", "-a", help="Only this assignment.")
@course_option
def export(fmt: str, out: str, db: str | None, assignment: str | None,
           course_dir: str | None) -> None:
    """Export current grades (one row per student and assignment)."""
    from grader.export import export as write_export

    course = _course(course_dir)
    db_path = _default(course, db, "reports/gradebook.sqlite")
    if not db_path.is_file():
        raise UsageProblem(f"no gradebook at {db_path}: run 'grader grade' first")
    rows = write_export(db_path, Path(out), fmt, assignment)
    click.echo(f"wrote {rows} rows to {out}")


@main.command()
@click.option("--assignment", "-a", default="02_perceptron", show_default=True)
@click.option("--students", "-n", type=click.IntRange(1), default=300, show_default=True)
@click.option("--jobs", "-j", type=click.IntRange(1), help="Parallel jobs, both ways "
              "(default: cores).")
@click.option("--no-baseline", is_flag=True, help="Only time the grader.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Also write the figures as JSON (key speedup_vs_baseline).")
@course_option
def bench(assignment: str, students: int, jobs: int | None, no_baseline: bool,
          json_path: str | None, course_dir: str | None) -> None:
    """Grade a synthetic class, then the same class the usual way; compare."""
    import os

    from grader.bench import bench as run_bench
    from grader.bench import format_report, write_json

    course = _course(course_dir)
    report = run_bench(course, assignment, students, jobs or os.cpu_count() or 1,
                       baseline=not no_baseline)
    click.echo(format_report(report))
    if json_path:
        write_json(report, Path(json_path))


@main.command()
@click.option("--db", help="Gradebook (default: reports/gradebook.sqlite).")
@click.option("--reports", help="Output folder (default: reports/).")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True)
@course_option
def report(db: str | None, reports: str | None, lang: str, course_dir: str | None) -> None:
    """Re-render the HTML reports from the gradebook."""
    from grader.gradebook import Gradebook
    from grader.report.render import render_reports

    course = _course(course_dir)
    db_path = _default(course, db, "reports/gradebook.sqlite")
    if not db_path.is_file():
        raise UsageProblem(f"no gradebook at {db_path}: run 'grader grade' first")
    with Gradebook(db_path) as book:
        index = render_reports(book.current(), _default(course, reports, "reports"), lang)
    click.echo(f"report: {index}")


if __name__ == "__main__":
    main()
