"""Student pages and the class dashboard: what must show, what must never show."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from grader.results import IngestFacts, Lateness
from grader import i18n
from grader.adjustments import Adjustment
from grader.paths import Course
from grader.output.publish import publish
from grader.output.report import figures, plots, views
from grader.output.report.render import load_catalogue, render_reports
from grader.output.report.views import Catalogue
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
    charts = [value for tag, name, value in evil.attributes
              if tag == "svg" and name == "class" and value == "chart"]
    assert len(charts) == 1 and evil.tags.get("polyline", 0) >= 2
    # The legend is listed under the chart (a swatch per line), never drawn over the plot.
    swatches = [value for tag, name, value in evil.attributes
                if tag == "svg" and name == "class" and value == "swatch"]
    assert len(swatches) == 2 and "legend-bg" not in page_of(tmp_path, f"evil{HOSTILE}")
    images = [value for tag, name, value in evil.attributes if tag == "img" and name == "src"]
    assert images == ["data:image/png;base64," + script_png()]  # one copy of the image
    # At the page's width, and an anchor to show it at its own size.
    links = [value for tag, name, value in evil.attributes if tag == "a" and name == "href"]
    figure_ids = [value for tag, name, value in evil.attributes
                  if tag == "figure" and name == "id"]
    assert any(f"#{figure}" in links for figure in figure_ids)


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
    # Round decades only, drawn as 10 with a superscript: 10^-1 ... 10^6.
    assert all(tick.label == "10" for tick in diverging.yticks)
    exponents = [int(tick.exponent.replace("−", "-")) for tick in diverging.yticks]
    assert exponents == list(range(exponents[0], exponents[-1] + 1))
    assert exponents[0] == -1 and exponents[-1] == plots.CLIP_DECADES
    assert len(diverging.yticks) <= plots.MAX_DECADE_TICKS
    # 1e131 is cut at the edge, and the chart says so.
    assert diverging.cut_above == 1e131 and diverging.limit_above == 10.0 ** plots.CLIP_DECADES
    wide = plots.curve_chart({"reference": [1e-30, 1.0]}, title="t", xlabel="i", ylabel="E")
    assert wide is not None and len(wide.yticks) <= plots.MAX_DECADE_TICKS
    assert all(tick.label == "10" for tick in wide.yticks)
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


# ----------------------------------------------------------------------------- plots


def test_labels_never_overlap_the_ticks() -> None:
    chart = plots.curve_chart({"student": [1234567.0, 2345678.0], "reference": [1.5e6, 2e6]},
                              title="t", xlabel="iteration " * 20, ylabel="E " * 60)
    assert chart is not None
    widest = max(len(tick.label) for tick in chart.yticks) * plots.TICK_CHAR
    assert chart.left >= widest + 6  # tick labels end left of the plot, inside the figure
    assert len(chart.ylabel) <= plots.MAX_LABEL and len(chart.xlabel) <= plots.MAX_LABEL
    assert chart.top >= 20  # room for the y label above the plot


def test_only_the_reference_of_the_recognised_convention() -> None:
    series = {"student": [3.0, 2.0], "reference (sum)": [3.0, 1.0],
              "reference (mean)": [3.0, 2.5]}
    assert list(figures.pick_references(series, {"mean"})) == ["student", "reference (mean)"]
    assert list(figures.pick_references(series, set())) == list(series)  # unknown: all
    assert list(figures.pick_references(series, {"sum", "mean"})) == list(series)
    one = {"student": [1.0], "reference": [1.0]}
    assert figures.pick_references(one, {"sum"}) == one
    train = {"student (train)": [1.0], "reference (train)": [1.0], "reference (test)": [1.0]}
    assert figures.pick_references(train, {"sum"}) == train


def convention_note(value: str) -> dict:
    return {"key": "convention", "quantity": "gradient", "value": value,
            "message": {"ja": f"勾配の流儀: {value}", "en": f"Gradient convention: {value}"}}


def test_figures_speak_the_page_language(tmp_path: Path) -> None:
    training = curve("training", [3.0, 2.0, 1.0], [3.0, 1.5, 0.5])
    training["series"] = {"student": [3.0, 2.0, 1.0], "reference (sum)": [3.0, 1.5, 0.5],
                          "reference (mean)": [3.0, 2.5, 2.0]}
    training["ylabel"] = "E (standardized units)"
    test = outcome("h.py::test_training", hidden=True, artifacts=(training,),
                   notes=(convention_note("mean"),))
    render_reports([result("s1", (test,))], tmp_path, "ja")
    page = page_of(tmp_path, "s1")
    assert ">反復<" in page and "E (標準化した単位)" in page  # axis labels
    assert "参照解 (平均)" in page and "参照解 (和)" not in page  # only the student's
    assert "iteration" not in page and "(sum)" not in page
    assert "勾配の流儀: mean" in page  # the conventions block, near the summary
    assert page.index("勾配の流儀") < page.index('<section class="assignment"')


# ----------------------------------------------------------------------------- student page

SYNTAX = i18n.message("student.syntax_error_others", file="perceptron.py", line=23,
                      msg="expected ':'")
AT_IMPORT = i18n.message("student.system_exit", code="", where=i18n.message(
    "student.at", file="perceptron.py", line=11, function="<module>"))


def summary_class() -> list[JobResult]:
    """One student with every kind of cause, one with a crash at import."""
    broken = tuple(outcome(f"t.py::test_{n}", "syntax_error", 2.0, hidden=n > 1,
                           message=SYNTAX if n != 3 else {
                               lang: f"[partial] {text}" for lang, text in SYNTAX.items()},
                           details="    def forward(self, x)\n                        ^")
                   for n in range(4))
    sign = outcome("t.py::test_sign", "failed", 3.0, hidden=True, diagnoses=("pc_update_sign",),
                   message={"ja": "値が違います。\nよくある間違い: 符号",
                            "en": "wrong\nLikely mistake: sign"})
    twice = tuple(outcome(f"t.py::test_twice_{n}", "failed",
                          message={"ja": "値が違います。\nヒント: ちょうど 2 倍です。",
                                   "en": "wrong\nHint: exactly 2 times."}, hints=("factor_two",))
                  for n in range(2))
    todo = outcome("t.py::test_todo", "not_implemented",
                   message={"ja": "f はまだ実装されていません", "en": "f is not implemented"})
    scaled = outcome("t.py::test_scaler", "failed", cases=3, cases_passed=2,
                     message={"ja": "[max] Scaler の値が違います", "en": "[max] Scaler differs"})
    fine = tuple(outcome(f"t.py::test_ok_{n}", notes=(convention_note("sum"),)) for n in range(3))
    crash = tuple(outcome(f"t.py::test_c{n}", "crashed", message=AT_IMPORT) for n in range(5))
    return [result("many", (*broken, sign, *twice, todo, scaled, *fine)),
            result("exits", (*crash, outcome("t.py::test_fine")))]


@pytest.fixture(params=["ja", "en"])
def summarised(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    catalogue = Catalogue(mistakes={"a1": {"pc_update_sign": {"ja": "更新の符号が逆です。",
                                                              "en": "The update's sign."}}})
    render_reports(summary_class(), tmp_path, request.param, catalogue=catalogue)
    return tmp_path, request.param


def test_a_syntax_error_is_one_banner(summarised: tuple[Path, str]) -> None:
    folder, lang = summarised
    page = page_of(folder, "many")
    headline = i18n.text("report.banner_syntax", lang, file="perceptron.py", line=23)
    assert page.count(headline) == 1
    # Python's words once (not once per test), the offending line, no repeated message.
    assert page.count("SyntaxError: expected &#39;:&#39;") == 1
    assert SYNTAX[lang].replace("'", "&#39;") not in page
    assert page.count("def forward(self, x)") == 1
    cost = i18n.text("report.banner_cost", lang, count=4, points=8)
    assert cost in page
    blocked = page[page.index('<details class="blocked"'):]
    for n in range(4):
        assert f"t.py::test_{n}" in blocked


def test_an_exit_at_import_is_one_banner(summarised: tuple[Path, str]) -> None:
    folder, lang = summarised
    page = page_of(folder, "exits")
    headline = i18n.text("report.banner_import_line", lang, file="perceptron.py", line=11)
    assert page.count(headline) == 1
    assert page.count(i18n.text("report.banner_cost", lang, count=5, points=5)) == 1


def test_failed_tests_are_grouped_by_cause(summarised: tuple[Path, str]) -> None:
    folder, lang = summarised
    page = page_of(folder, "many")
    fix = page[page.index('id="fix"'):page.index('<section class="assignment"')]
    causes = re.findall(r'<li class="(mistake|hint|status)">', fix)
    # Most points lost first: the catalogued mistake (3), the hint (2), then the statuses.
    assert causes[:2] == ["mistake", "hint"] and sorted(causes[2:]) == ["status", "status"]
    assert {"ja": "更新の符号が逆です。", "en": "The update's sign."}[lang].replace(
        "'", "&#39;") in fix
    assert {"ja": "ちょうど 2 倍です。", "en": "exactly 2 times."}[lang] in fix
    assert i18n.text("report.cause.not_implemented", lang) in fix
    assert i18n.text("report.lost", lang, points=3) in fix
    assert f'href="#{views.anchor_of("a1")}-t4"' in fix  # each test linked to its row


def test_passed_tests_are_collapsed_and_cases_are_code(summarised: tuple[Path, str]) -> None:
    folder, lang = summarised
    page = page_of(folder, "many")
    passed = page[page.index('<details class="passed">'):]
    assert "t.py::test_ok_0" in passed[:passed.index("</details>")]
    assert "[max]" not in page and "<code>max</code>" in page
    assert i18n.text("report.cases_passed", lang, passed=2, count=3) in page


def test_a_hidden_tests_code_is_never_in_a_students_banner(tmp_path: Path) -> None:
    hidden = tuple(outcome(f"h.py::test_{n}", "syntax_error", hidden=True, message=SYNTAX,
                           details="SECRET-LINE\n  ^") for n in range(2))
    results = [result("s1", hidden)]
    render_reports(results, tmp_path / "reports", "en")
    assert "SECRET-LINE" in page_of(tmp_path / "reports", "s1")  # the instructor's view
    published = publish(results, tmp_path / "publish", b"k" * 32, "en")
    student = published[0].path.read_text("utf-8")
    assert "Syntax error in perceptron.py, line 23" in student and "SECRET-LINE" not in student


def test_history_of_graded_submissions(tmp_path: Path) -> None:
    from grader.gradebook import Gradebook
    from grader.output.report.render import render_from_gradebook

    db = tmp_path / "gradebook.sqlite"
    first = result("s1", (outcome("t.py::test_a", "failed"), outcome("t.py::test_b")))
    regraded = first.with_changes(suite_hash="new suite")
    second = result("s1", (outcome("t.py::test_a"), outcome("t.py::test_b"))).with_changes(
        submission_hash="h-s1-v2", started_at="2026-05-03T09:00:00+09:00")
    with Gradebook(db) as book:
        for one in (first, regraded, second, result("s2", (outcome("t.py::test_a"),))):
            book.record(one)
    render_from_gradebook(db, tmp_path / "reports", "en")
    page = page_of(tmp_path / "reports", "s1")
    table = page[page.index('<table class="history">'):]
    table = table[:table.index("</table>")]
    assert table.count("<tr>") == 3  # heading + two submissions (a re-grade is not one)
    assert "2026-05-03T09:00:00+09:00" in table and "current grade" in table
    assert '<table class="history">' not in page_of(tmp_path / "reports", "s2")


# ----------------------------------------------------------------------------- dashboard


def attention_class() -> list[JobResult]:
    good = tuple(outcome(f"t.py::test_{n}") for n in range(5))
    low = tuple(outcome(f"t.py::test_{n}", "failed" if n < 3 else "passed") for n in range(5))
    late = Lateness(deadline="2026-05-01T00:00:00+09:00",
                    submitted_at="2026-05-02T10:00:00+09:00", days_late=1, penalty=0.5)
    return [result("good", good), result("low", low),
            result("latecomer", good, facts=IngestFacts(late=late)),
            result("broken", (outcome("t.py::test_0", "syntax_error", message=SYNTAX),
                              *good[1:])),
            result("exits", (outcome("t.py::test_0", "crashed", message=AT_IMPORT), *good[1:])),
            result("slow", (outcome("t.py::test_0", "timeout"), *good[1:])),
            result("nobody", status="missing", max_points=5.0),
            result("good", good, assignment="02_second")]


def test_the_dashboard_shows_who_needs_help(tmp_path: Path) -> None:
    render_reports(attention_class(), tmp_path, "en", downloads=False)
    html = (tmp_path / "index.html").read_text("utf-8")
    listed = html[html.index('id="attention"'):html.index('id="grades"')]
    for student in ("low", "broken", "exits", "nobody"):
        assert f'href="students/{student}.html"' in listed, student
    for student in ("good", "latecomer", "slow"):  # late or slow, but above the threshold
        assert f'href="students/{student}.html"' not in listed, student
    assert listed.index("students/broken.html") < listed.index("students/low.html")
    # Short headings with the maximum; the full title on hover; a counter per assignment.
    assert re.search(r'<button type="button" data-type="number">a1 <span class="max">/5</span>',
                     html)
    assert re.search(r'<button type="button" data-type="number">02 <span class="max">/5</span>',
                     html)
    table = html[html.index('id="grades"'):html.index('id="overview"')]
    for kind in ("syntax_error", "crashed", "timeout", "missing", "late"):
        assert f'class="b b-{kind}"' in table, kind
    assert 'class="num cell lv4"' in table and 'class="num cell lv0"' not in table
    assert 'class="num cell lv1"' in table  # low: 2 of 5 is 40 %, in the 40-60 % band
    assert 'class="c-attention"><dt>Need attention</dt><dd>4</dd>' in html
    # The filter works without script too: its form is hidden until the script shows it.
    assert '<form class="filter" hidden>' in html and 'data-search="low' in html


def test_common_mistakes_link_to_their_students(tmp_path: Path) -> None:
    wrong = outcome("t.py::test_sign", "failed", diagnoses=("pc_update_sign",))
    results = [result("s1", (wrong,)), result("s2", (wrong,)),
               result("s3", (outcome("t.py::test_sign"),))]
    render_reports(results, tmp_path, "en", downloads=False)
    html = (tmp_path / "index.html").read_text("utf-8")
    mistakes = html[html.index('<table class="mistakes">'):]
    mistakes = mistakes[:mistakes.index("</table>")]
    assert 'href="students/s1.html#a-a1"' in mistakes and 'href="students/s2.html#a-a1"' in mistakes
    assert "students/s3.html" not in mistakes
