"""Command line: ``grader grade | validate | export | report | publish | adjust | ...``.

Thin glue: each command parses its options and calls one module's function. Errors a
person can act on (``grader.errors.UserError`` and its subclasses, raised anywhere) are
caught once, by the command group, and printed as one line (exit code 2); anything else
is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from grader import __version__
from grader.errors import UserError
from grader.paths import Course


class UsageProblem(click.ClickException):
    exit_code = 2


class Commands(click.Group):
    """The command group: turns a UserError from any command into one line, exit 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except UserError as error:
            raise UsageProblem(str(error)) from None


def _course(path: str | None) -> Course:
    return Course.locate(path)


def _path(value: str | None, default: Path) -> Path:
    return Path(value) if value else default


def _existing_gradebook(course: Course, db: str | None) -> Path:
    path = _path(db, course.gradebook)
    if not path.is_file():
        raise UsageProblem(f"no gradebook at {path}: run 'grader grade' first")
    return path


course_option = click.option("--course", "course_dir", type=click.Path(file_okay=False),
                             help="Course directory (default: here, or the checkout).")


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="grader")
def main() -> None:
    """Autograder for the numpy neural-network course (ニューラルネットワーク演習の自動採点)."""


@main.command()
@click.option("--assignment", "-a", help="Grade only this assignment.")
@click.option("--submissions", type=click.Path(exists=True),
              help="A folder (one sub-folder, zip or git repository per student) or an LMS "
                   "export zip (Moodle / Canvas 'download all submissions'); the kind is "
                   "detected. Needs --assignment when the course has several.")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False),
              help="CSV mapping LMS identities to student ids (student_id,name,email,lms_id).")
@click.option("--db", help="Gradebook (default: reports/gradebook.sqlite).")
@click.option("--reports", help="Where to write HTML reports (default: reports/).")
@click.option("--jobs", "-j", type=click.IntRange(1), help="Parallel jobs (default: cores).")
@click.option("--force", is_flag=True, help="Re-grade even unchanged submissions.")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True,
              help="Language of the reports.")
@click.option("--isolation", type=click.Choice(["auto", "bubblewrap", "fallback"]),
              default="auto", show_default=True, help="Sandbox for student code.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="local: warm judges on this machine; dask: an "
              "existing Dask cluster (needs --scheduler).")
@click.option("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@course_option
def grade(assignment: str | None, submissions: str | None, roster: str | None, db: str | None,
          reports: str | None, jobs: int | None, force: bool, lang: str, isolation: str,
          executor: str, scheduler: str | None, quiet: bool, course_dir: str | None) -> None:
    """Grade every submission under submissions/<assignment>/<student_id>/."""
    from grader import runner
    from grader.output.report.render import render_from_gradebook

    course = _course(course_dir)
    names = runner.assignment_names(course, assignment)
    if not names:
        raise UsageProblem(f"no assignments with a manifest under {course.reference_dir}")
    if submissions and len(names) > 1:
        raise UsageProblem("--submissions grades one assignment: add --assignment NAME")
    db_path = _path(db, course.gradebook)
    reports_dir = _path(reports, course.reports_dir)
    started = time.monotonic()
    remote = None
    if executor == "dask":
        if not scheduler:
            raise UsageProblem("--executor dask needs --scheduler ADDRESS")
        try:
            from grader.dask_executor import DaskExecutor
            remote = DaskExecutor(scheduler)
        except ImportError:
            raise UsageProblem("Dask is not installed: pip install 'nn-grader[dask]'") from None
        except OSError as error:
            raise UsageProblem(f"cannot reach the Dask scheduler {scheduler}: {error}") from None
    try:
        summary = runner.grade(course, names, db_path=db_path,
                               submissions=Path(submissions) if submissions else None,
                               jobs=jobs, force=force, isolation=isolation, executor=remote,
                               progress=not quiet, command=" ".join(sys.argv),
                               roster=Path(roster) if roster else None)
    finally:
        if remote is not None:
            remote.close()
    index = render_from_gradebook(db_path, reports_dir, lang, course)
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
    names = runner.assignment_names(course, name)
    failed = False
    for assignment in names:
        result = run_validation(course, assignment)
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
@click.option("--format", "fmt", type=click.Choice(["csv", "moodle", "moodle-feedback", "canvas",
                                                  "gradescope"]),
              default="csv", show_default=True,
              help="csv: one row per student and assignment; moodle: grading worksheet "
                   "(one assignment); moodle-feedback: a zip of each student's report for "
                   "Moodle's 'Upload multiple feedback files in a zip' (one assignment); "
                   "canvas: gradebook import CSV; gradescope: results.json per submission "
                   "under --out (a folder).")
@click.option("--out", required=True, type=click.Path(), help="Output file (folder for "
              "gradescope).")
@click.option("--db", help="Gradebook (default: reports/gradebook.sqlite).")
@click.option("--assignment", "-a", help="Only this assignment (moodle: which one).")
@click.option("--template", type=click.Path(exists=True, dir_okay=False),
              help="moodle/canvas: the worksheet or gradebook CSV downloaded from the LMS, "
                   "filled in place (rows matched by student id).")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True,
              help="Language of feedback texts (moodle, gradescope).")
@course_option
def export(fmt: str, out: str, db: str | None, assignment: str | None, template: str | None,
           lang: str, course_dir: str | None) -> None:
    """Export current final grades (test points, late penalty, manual adjustments)."""
    from grader.output.exporter import export as write_export
    from grader.output.leaks import PublishRefused

    course = _course(course_dir)
    db_path = _existing_gradebook(course, db)
    try:
        rows = write_export(db_path, Path(out), fmt, assignment,
                            template=Path(template) if template else None, lang=lang,
                            course=course)
    except PublishRefused as refused:
        click.echo(str(refused), err=True)
        sys.exit(1)
    unit = {"gradescope": "files", "moodle-feedback": "student reports"}.get(fmt, "rows")
    click.echo(f"wrote {rows} {unit} to {out}")


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
    from grader.output.report.render import render_from_gradebook

    course = _course(course_dir)
    db_path = _existing_gradebook(course, db)
    index = render_from_gradebook(db_path, _path(reports, course.reports_dir), lang, course)
    click.echo(f"report: {index}")


@main.command()
@click.option("--db", help="Gradebook (default: reports/gradebook.sqlite).")
@click.option("--out", help="Output folder (default: reports/publish/); the map from "
              "student id to folder is written beside it (<out>.csv).")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True)
@click.option("--key", "key_file", type=click.Path(dir_okay=False),
              help="Publishing key (default: publish.key beside the gradebook, created "
                   "on first use).")
@course_option
def publish(db: str | None, out: str | None, lang: str, key_file: str | None,
            course_dir: str | None) -> None:
    """Write one folder per student (unguessable name) with only that student's page."""
    from grader.output.leaks import PublishRefused
    from grader.output.publish import map_path, publish_from_gradebook

    course = _course(course_dir)
    db_path = _existing_gradebook(course, db)
    out_dir = _path(out, course.publish_dir)
    try:
        published = publish_from_gradebook(db_path, out_dir, lang, course,
                                           Path(key_file) if key_file else None)
    except PublishRefused as refused:
        click.echo(str(refused), err=True)
        sys.exit(1)
    click.echo(f"published {len(published)} student folder(s) in {out_dir}\n"
               f"folder map (keep it private): {map_path(out_dir)}")


@main.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False))
@click.option("--db", help="Gradebook (default: reports/gradebook.sqlite).")
@click.option("--by", help="Who made these adjustments, where an entry does not say "
              "(default: your user name).")
@click.option("--source", help="Name to file these adjustments under (default: the file "
              "name); importing the same source again replaces its earlier entries.")
@course_option
def adjust(files: tuple[str, ...], db: str | None, by: str | None, source: str | None,
           course_dir: str | None) -> None:
    """Import manual adjustments (CSV or TOML): points, late-penalty waivers, with why."""
    from grader.gradebook import Gradebook, import_file

    if source and len(files) > 1:
        raise UsageProblem("--source names one file's adjustments: import one file at a time")
    course = _course(course_dir)
    db_path = _existing_gradebook(course, db)
    questions = _question_points(course)
    with Gradebook(db_path) as book:
        for name in files:
            summary = import_file(book, Path(name), by=by, source=source,
                                  questions=questions)
            click.echo(f"{name}: {summary.outcome} ({summary.entries} adjustment(s), "
                       f"source {summary.source!r})")
            for student, assignment in summary.unknown:
                click.echo(f"  note: no result yet for {student} / {assignment} "
                           "(kept; it applies once graded)", err=True)
    click.echo("run 'grader report' to show them in the reports")


def _question_points(course: Course) -> dict[str, dict[str, float]]:
    """assignment -> written question id -> most points, for the manifests that load."""
    from grader.manifest import ManifestError, load_assignment

    found = {}
    for name in course.assignment_names():
        try:
            found[name] = {q.id: q.points for q in load_assignment(course, name).questions}
        except ManifestError:
            continue  # grader validate reports a broken manifest; adjust does not need it
    return found


@main.command()
@click.argument("name")
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="Folder to write <name>/ and <name>.zip into.")
@click.option("--no-test-run", is_flag=True,
              help="Do not run the public tests on the skeleton before keeping the kit.")
@course_option
def release(name: str, out: str, no_test_run: bool, course_dir: str | None) -> None:
    """Build the student starter kit of assignment NAME (no reference code in it)."""
    from grader import runner
    from grader.release import ReleaseError
    from grader.release import build as build_kit

    course = _course(course_dir)
    runner.assignment_names(course, name)
    try:
        kit = build_kit(course, name, Path(out), check_tests=not no_test_run)
    except ReleaseError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(f"{name}: {len(kit.files)} files -> {kit.folder} and {kit.archive}")
    if kit.shared:
        click.echo("functions handed out unchanged (identical in the reference):")
        for function in kit.shared:
            click.echo(f"  {function}")


if __name__ == "__main__":
    main()
