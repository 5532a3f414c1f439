"""How long rendering a class takes, and how big the pages are.

    .venv/bin/python -m grader.bench.rendering --students 300 [--json out.json]

Renders a synthetic class (``synthetic.synthetic_class``: 30 tests, three loss curves
and one script figure per student) to a temporary folder: the instructor reports (every
student page, the dashboard, the downloads), the published student folders, and the
reports again the way ``grader report`` makes them (reading a gradebook holding the
class). Prints the wall times and page sizes; a measurement, not a test with a threshold.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from grader.gradebook import Gradebook
from grader.output.publish import publish
from grader.output.report.render import render_from_gradebook, render_reports
from grader.bench.synthetic import script_png, synthetic_class


def measure(students: int, lang: str = "ja") -> dict:
    script_png()  # made once, like a student's own figure: not part of the timing
    started = time.perf_counter()
    results = synthetic_class(students)
    built = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        started = time.perf_counter()
        index = render_reports(results, out / "reports", lang)
        rendered = time.perf_counter() - started
        started = time.perf_counter()
        publish(results, out / "publish", b"k" * 32, lang)
        published = time.perf_counter() - started
        book_path = out / "gradebook.sqlite"
        with Gradebook(book_path) as book:
            for one in results:
                book.record(one)
        started = time.perf_counter()
        render_from_gradebook(book_path, out / "from-gradebook", lang)
        from_book = time.perf_counter() - started
        sizes = [p.stat().st_size for p in (out / "reports" / "students").glob("*.html")]
        published_sizes = [p.stat().st_size for p in (out / "publish").glob("*/report.html")]
        return {
            "students": students, "lang": lang,
            "build_results_s": round(built, 3),
            "render_reports_s": round(rendered, 3),
            "publish_s": round(published, 3),
            "report_from_gradebook_s": round(from_book, 3),
            "per_student_ms": round(1000 * (rendered + published) / max(students, 1), 2),
            "page_kb_mean": round(statistics.fmean(sizes) / 1024, 1),
            "page_kb_max": round(max(sizes) / 1024, 1),
            "published_page_kb_mean": round(statistics.fmean(published_sizes) / 1024, 1),
            "dashboard_kb": round(index.stat().st_size / 1024, 1),
        }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--lang", choices=("ja", "en"), default="ja")
    parser.add_argument("--json", type=Path, help="Also write the figures as JSON.")
    arguments = parser.parse_args(argv)
    figures = measure(arguments.students, arguments.lang)
    for key, value in figures.items():
        print(f"{key:>24}: {value}")
    if arguments.json:
        arguments.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
