"""Render the gradebook's current results to ``reports/``.

``reports/index.html``           class dashboard (for instructors)
``reports/students/<id>.html``   one self-contained page per student
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from grader import __version__, i18n
from grader.report import plots
from grader.results import JobResult, TestOutcome

HERE = Path(__file__).resolve().parent


def safe_name(student_id: str) -> str:
    """A file name for a student id (ids come from folder names and LMS exports)."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", student_id).strip("._") or "student"
    return cleaned[:80]


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        # select_autoescape() would not escape *.html.j2: list the extensions explicitly.
        autoescape=jinja2.select_autoescape(["html", "j2", "html.j2"], default=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["css"] = (HERE / "static" / "report.css").read_text(encoding="utf-8")
    return env


@dataclass
class Figure:
    title: str
    uri: str


@dataclass
class TestView:
    title: str
    test_id: str
    hidden: bool
    earned: float
    points: float
    status: str
    status_label: str
    message: str
    details: str
    notes: list[str]
    output: str
    figures: list[Figure]


@dataclass
class AssignmentView:
    name: str
    status: str
    points: float
    max_points: float
    isolation: str
    started_at: str
    duration: float
    error: str
    warnings: list[str]
    discussion: str | None
    output: str
    tests: list[TestView] = field(default_factory=list)


def _figures(outcome: TestOutcome, lang: str) -> list[Figure]:
    figures = []
    for artifact in outcome.artifacts:
        title = artifact.get("title", {}).get(lang, artifact.get("name", ""))
        if artifact.get("kind") == "curve" and any(artifact.get("series", {}).values()):
            png = plots.curve_png(artifact["series"], artifact.get("xlabel", ""),
                                  artifact.get("ylabel", ""))
            figures.append(Figure(title, plots.data_uri(png)))
        elif artifact.get("kind") == "image" and artifact.get("png_base64"):
            figures.append(Figure(title, "data:image/png;base64," + artifact["png_base64"]))
    return figures


def assignment_view(result: JobResult, lang: str) -> AssignmentView:
    tests = [TestView(
        title=o.title.get(lang, o.test_id), test_id=o.test_id, hidden=o.hidden,
        earned=o.earned, points=o.points, status=o.status,
        status_label=i18n.text(f"status.{o.status}", lang),
        message="" if o.status == "passed" else o.message.get(lang, ""),
        details="" if o.status == "passed" else o.details,
        notes=[n.get("message", {}).get(lang, str(n.get("value"))) for n in o.notes],
        output=o.output, figures=_figures(o, lang)) for o in result.outcomes]
    return AssignmentView(
        name=result.assignment, status=result.status, points=result.points,
        max_points=result.max_points, isolation=result.isolation, started_at=result.started_at,
        duration=result.duration,
        error=i18n.text("report.grader_error", lang, error=result.error) if result.error else "",
        warnings=[w.get("message", {}).get(lang, w.get("id", "")) for w in result.warnings],
        discussion=result.extra.get("discussion"), output=result.output, tests=tests)


def render_reports(results: list[JobResult], out_dir: Path, lang: str = "ja") -> Path:
    """Write every student's page and the dashboard; returns the dashboard's path."""
    env = environment()
    students: dict[str, list[JobResult]] = defaultdict(list)
    for result in results:
        students[result.student_id].append(result)
    (out_dir / "students").mkdir(parents=True, exist_ok=True)
    common = {"lang": lang, "t": lambda key, **params: i18n.text(key, lang, **params),
              "version": __version__,
              "generated_at": dt.datetime.now().astimezone().isoformat(timespec="minutes")}
    student_template = env.get_template("student.html.j2")
    for student_id, own in sorted(students.items()):
        views = [assignment_view(r, lang) for r in sorted(own, key=lambda r: r.assignment)]
        page = student_template.render(
            student=student_id, assignments=views,
            total=round(sum(v.points for v in views), 4),
            total_max=round(sum(v.max_points for v in views), 4), **common)
        (out_dir / "students" / f"{safe_name(student_id)}.html").write_text(page, "utf-8")
    index = env.get_template("index.html.j2").render(**dashboard(results, lang), **common)
    path = out_dir / "index.html"
    path.write_text(index, encoding="utf-8")
    return path


def dashboard(results: list[JobResult], lang: str) -> dict[str, Any]:
    assignments = sorted({r.assignment for r in results})
    students = sorted({r.student_id for r in results})
    cells = {(r.student_id, r.assignment): r for r in results}
    rows = [{"student": s, "href": f"students/{safe_name(s)}.html",
             "cells": [cells.get((s, a)) for a in assignments],
             "total": round(sum(r.points for r in results if r.student_id == s), 4)}
            for s in students]
    summaries = []
    for name in assignments:
        own = [r for r in results if r.assignment == name]
        graded = [r for r in own if r.status == "graded"]
        tests: dict[str, list[TestOutcome]] = defaultdict(list)
        mistakes: Counter[str] = Counter()
        for result in graded:
            for outcome in result.outcomes:
                tests[outcome.test_id].append(outcome)
                mistakes.update(outcome.diagnoses)
        rates = sorted(
            ({"test": test_id, "title": outcomes[0].title.get(lang, test_id),
              "rate": sum(o.status == "passed" for o in outcomes) / len(outcomes)}
             for test_id, outcomes in tests.items()), key=lambda item: item["rate"])
        max_points = own[0].max_points if own else 0
        histogram = (plots.data_uri(plots.histogram_png([r.points for r in graded], max_points))
                     if graded else "")
        summaries.append({
            "name": name, "count": len(own), "graded": len(graded),
            "mean": round(sum(r.points for r in graded) / len(graded), 2) if graded else 0,
            "max_points": max_points, "histogram": histogram, "rates": rates,
            "mistakes": mistakes.most_common()})
    return {"assignments": assignments, "rows": rows, "summaries": summaries}
