"""Student pages and the class dashboard: what must show, what must never show."""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from grader.results import IngestFacts, Lateness
from grader import i18n
from grader.adjustments import Adjustment
from grader.paths import Course
from grader.output.report import plots
from grader.output.report.render import load_catalogue, render_reports
from grader.paths import safe_name
from grader.bench.synthetic import curve, outcome, result, script_png
from grader.results import JobResult

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


class Elements(HTMLParser):
    """Counts tags and collects attribute values, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, int] = {}
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] = self.tags.get(tag, 0) + 1
        self.attributes += [(tag, name, value or "") for name, value in attrs]


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    return parser


def hostile_class() -> list[JobResult]:
    """Every field a student controls, set to markup; plus a hidden test that printed."""
    failing = outcome("test_public.py::test_a", "failed", message=f"got {HOSTILE}",
                      details=f'File "perceptron.py", line 3\n{HOSTILE}',
                      output=f"print: {HOSTILE}")
    hidden = outcome("test_hidden.py::test_b", "failed", hidden=True,
                     message="expected 1.0, got 2.0",
                     details="HIDDEN-DETAIL x=[0.123, 0.456]",
                     output="HIDDEN-INPUT x=[0.123, 0.456]")
    figure = outcome("test_hidden.py::test_curve", hidden=True,
                     artifacts=(curve("fit", [1.0, 0.5, 0.25], [1.0, 0.4, 0.2]),
                                {"kind": "image", "name": "fig.png", "png_base64": script_png(),
                                 "title": {"ja": HOSTILE, "en": HOSTILE}}))
    evil = result(f"evil{HOSTILE}", (failing, hidden, figure), output="x" * 20_000,
                  warnings=({"id": "renamed", "file": f"<b>{HOSTILE}.py",
                             "message": {"ja": f"名前を変更 {HOSTILE}",
                                         "en": f"renamed {HOSTILE}"}},),
                  facts=IngestFacts(
                      discussion=f"</pre>{HOSTILE}考察", student_name=HOSTILE,
                      late=Lateness(deadline="2026-05-01T00:00:00+09:00",
                                    submitted_at="2026-05-03T10:00:00+09:00",
                                    days_late=2, penalty=1.0, policy="-0.5/day")))
    return [evil,
            result("nobody", status="missing", max_points=3.0),
            result("broken", status="error", error="Traceback: /srv/reference/secret.py",
                   max_points=3.0),
            result("good", (outcome("test_public.py::test_a"),
                            outcome("test_hidden.py::test_b", hidden=True),
                            outcome("test_hidden.py::test_curve", hidden=True)))]


@pytest.fixture(params=["ja", "en"])
def rendered(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    render_reports(hostile_class(), tmp_path, request.param)
    return tmp_path, request.param


def page_of(folder: Path, student_id: str) -> str:
    return (folder / "students" / f"{safe_name(student_id)}.html").read_text("utf-8")


def test_student_controlled_text_is_escaped(rendered: tuple[Path, str]) -> None:
    folder, _ = rendered
    for page in [*(folder / "students").glob("*.html"), folder / "index.html"]:
        html = page.read_text("utf-8")
        elements = parse(html)
        assert "<script>alert" not in html and "<img src=x" not in html, page.name
        assert not any(name.startswith("on") for _, name, _ in elements.attributes), page.name
        # Only the dashboard carries a script, and it is ours.
        assert elements.tags.get("script", 0) == (1 if page.name == "index.html" else 0)
    evil = page_of(folder, f"evil{HOSTILE}")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in evil  # shown, as text


def test_every_text_is_translated(rendered: tuple[Path, str]) -> None:
    folder, lang = rendered
    keys = {key for key in i18n.catalogue("en")}
    for page in [*(folder / "students").glob("*.html"), folder / "index.html"]:
        html = page.read_text("utf-8")
        assert f'lang="{lang}"' in html
        leaked = {key for key in re.findall(r"\b(?:report|status)\.[a-z_]+", html) if key in keys}
        assert not leaked, (page.name, leaked)
    evil = page_of(folder, f"evil{HOSTILE}")
    expected = {"ja": ["最終得点", "遅延による減点", "2 日遅れ", "考察"],
                "en": ["Final grade", "Late penalty", "2 day(s) late", "discussion"]}[lang]
    for word in expected:
        assert word in evil


def test_instructor_page_has_everything_for_manual_grading(tmp_path: Path) -> None:
    render_reports(hostile_class(), tmp_path, "en")
    evil = page_of(tmp_path, f"evil{HOSTILE}")
    assert "HIDDEN-INPUT" in evil and "HIDDEN-DETAIL" in evil  # the instructor sees all
    assert "考察" in evil and "-0.5/day" in evil
    assert "renamed" in evil and "2026-05-03T10:00:00+09:00" in evil
    assert "more characters not shown" in evil  # 20 000 characters of output, capped
    assert evil.count("x" * 8_000) == 1 and "x" * 8_001 not in evil
    assert 'href="../index.html"' in evil
    broken = page_of(tmp_path, "broken")
    assert "could not be graded" in broken and "/srv/reference/secret.py" in broken
    assert "No submission" in page_of(tmp_path, "nobody")


def test_figures_are_inline_svg_and_png(tmp_path: Path) -> None:
    render_reports(hostile_class(), tmp_path, "ja")
    html = page_of(tmp_path, "good")
    assert "<svg" not in html  # no artifacts recorded for good: no figure
    evil = parse(page_of(tmp_path, f"evil{HOSTILE}"))
    assert evil.tags.get("svg") == 1 and evil.tags.get("polyline", 0) >= 2
    images = [value for tag, name, value in evil.attributes if tag == "img" and name == "src"]
    assert images == ["data:image/png;base64," + script_png()]


def test_a_broken_png_artifact_is_left_out(tmp_path: Path) -> None:
    bad = outcome("t.py::test", artifacts=({"kind": "image", "png_base64": "PHNjcmlwdD4="},))
    render_reports([result("s1", (bad,))], tmp_path, "en")
    assert "<img" not in page_of(tmp_path, "s1")


def test_dashboard(tmp_path: Path) -> None:
    hard = outcome("t.py::test_hard", "failed", diagnoses=("pc_update_sign",))
    easy = outcome("t.py::test_easy")
    other = outcome("t.py::test_other", "failed", diagnoses=("pc_update_sign",))
    results = [result("s1", (hard, easy, other)),
               result("s2", (outcome("t.py::test_hard"), easy)),
               result("s3", (hard, outcome("t.py::test_easy", "timeout"))),
               result("s4", status="missing", max_points=2.0)]
    adjustments = [Adjustment("s1", "a1", reason="discussion", by="ta", points=1.0)]
    render_reports(results, tmp_path, "en", adjustments=adjustments)
    html = (tmp_path / "index.html").read_text("utf-8")
    assert html.index("t.py::test_hard") < html.index("t.py::test_easy")  # hardest first
    assert "33% <span" in html and "67% <span" in html
    assert "timeout 1" in html
    assert "3 times (2 students)" in html  # twice for s1, once for s3
    for student in ("s1", "s2", "s3", "s4"):
        assert f'href="students/{student}.html"' in html
    assert "<svg" in html  # the histogram
    for name in ("grades.csv", "canvas.csv", "moodle-a1.csv", "gradescope-results.zip"):
        assert (tmp_path / "downloads" / name).is_file()
        assert f'href="downloads/{name}"' in html
    assert 'data-sort="2.0"' in html and "adjusted" in html  # s1: 1 test point + 1 adjusted


def test_safe_names_never_collide_or_escape() -> None:
    names = {safe_name(s) for s in ("a b", "a_b", "a/b", "../etc", "CON", ".hidden", "山田")}
    assert len(names) == 7
    assert all("/" not in n and not n.startswith(".") for n in names)
    assert safe_name("s001") == "s001" and safe_name("correct_sum") == "correct_sum"


def test_log_scale_only_when_the_curve_spans_decades() -> None:
    diverging = plots.curve_chart({"student": [1.0, 10.0, 1e131], "reference": [1.0, 0.5, 0.1]},
                                  title="t", xlabel="i", ylabel="E")
    assert diverging is not None and diverging.log
    assert all(math.log10(float(tick.label)).is_integer() for tick in diverging.yticks)
    assert len(diverging.yticks) <= 10
    flat = plots.curve_chart({"student": [1.0, 0.8, 0.7]}, title="t", xlabel="i", ylabel="E")
    assert flat is not None and not flat.log
    negative = plots.curve_chart({"s": [-5.0, 1e6]}, title="t", xlabel="i", ylabel="E")
    assert negative is not None and not negative.log
    assert plots.curve_chart({"student": [None, float("nan")]}, title="t", xlabel="",
                             ylabel="") is None


def test_gaps_split_a_line_and_long_series_are_thinned() -> None:
    chart = plots.curve_chart({"student": [1.0, 2.0, None, 3.0, 4.0]}, title="t", xlabel="",
                              ylabel="")
    assert chart is not None and len(chart.lines[0].segments) == 2
    long = plots.curve_chart({"student": [float(i) for i in range(10_000)]}, title="t",
                             xlabel="", ylabel="")
    assert long is not None
    assert len(long.lines[0].segments[0].split()) <= plots.MAX_POINTS + 1
    fit = plots.curve_chart({"data": {"x": [0, 1, 2], "y": [1, 3, 5], "style": "points"},
                             "fit": {"x": [0, 2], "y": [1, 5]}}, title="t", xlabel="x",
                            ylabel="y")
    assert fit is not None and len(fit.lines[0].dots) == 3 and fit.lines[1].segments


def test_histogram_counts_every_value() -> None:
    chart = plots.histogram([0, 1, 39, 39, 20], 39, title="t", xlabel="p", ylabel="n")
    assert sum(bar.count for bar in chart.bars) == 5
    assert chart.bars[-1].count == 2


@pytest.mark.slow
def test_real_class_end_to_end(graded_perceptron: dict[str, JobResult], course: Course,
                               tmp_path: Path) -> None:
    results = list(graded_perceptron.values())
    catalogue = load_catalogue(course, {"02_perceptron"})
    render_reports(results, tmp_path, "ja", catalogue=catalogue)
    pages = {p.stem for p in (tmp_path / "students").glob("*.html")}
    assert pages == set(graded_perceptron)
    board = (tmp_path / "index.html").read_text("utf-8")
    assert "02 勾配法とパーセプトロン" in board  # the manifest's title
    # The catalogue's text of a diagnosed mistake, not just its id.
    assert "更新の符号が逆です" in board
    sign = page_of(tmp_path, "mistake_update_sign")
    assert "<svg" in sign and "data:image/png;base64," in sign
    assert "更新の符号が逆です" in sign
    skeleton = page_of(tmp_path, "skeleton")
    assert "未実装" in skeleton or "not implemented" in skeleton
