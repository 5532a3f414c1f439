"""考察 for people to grade: answers read per question, one page per question with every
student's answer, the prefilled CSV, importing the points, the dashboard's count.

The class here is built from results directly (three questions, five students who
answer in every way a TA meets), so each behaviour is pinned without grading code.
"""

from __future__ import annotations

import base64
import csv
import importlib.util
import io
from pathlib import Path

import pytest

from conftest import ROOT
from grader.adjustments import AdjustmentError
from grader.gradebook import Gradebook, import_file
from grader.grades import grades
from grader.ingest.discussion import parse_answers, untagged_text
from grader.manifest import Figure, Question
from grader.manifest.questions import template
from grader.output.discussion import csv_name
from grader.output.report.render import render_reports
from grader.output.report.views import Catalogue
from grader.results import IngestFacts, JobResult, JobStatus, Status, TestOutcome

ASSIGNMENT = "09_demo"
QUESTIONS = (
    Question(id="batch_size", title={"ja": "バッチサイズの決め方", "en": "Batch size"},
             text={"ja": "バッチサイズはどう決めるか。", "en": "How to choose it?"},
             slides=("002 「[グループワーク] ミニバッチ学習時のバッチサイズ決め方」",), points=2),
    Question(id="saddle", title={"ja": "鞍点の回避", "en": "Avoiding saddle points"},
             text={"ja": "鞍点をどう避けるか。", "en": "How to avoid them?"}, slides=(),
             points=3),
)
FIGURES = (Figure(file="curve.png", title={"ja": "学習曲線", "en": "Learning curve"},
                  question="batch_size"),
           Figure(file="saddle.png", title={"ja": "鞍点", "en": "Saddle"}))
TEMPLATE = template({"ja": "デモ", "en": "Demo"}, QUESTIONS)
PNG = (b"\x89PNG\r\n\x1a\n" + b"\0" * 64)


def filled(**answers: str) -> str:
    """The template with some sections answered."""
    text = TEMPLATE
    for question_id, answer in answers.items():
        head = next(line for line in text.splitlines() if line.startswith(f"## [{question_id}]"))
        section = text[text.index(head):]
        placeholder = section.index("(ここに回答を書いてください")
        start = text.index(head) + placeholder
        end = text.index("\n", start)
        text = text[:start] + answer + text[end:]
    return text


def result(student: str, discussion: str | None, images: tuple[str, ...] = ()) -> JobResult:
    artifacts = tuple({"kind": "image", "name": name, "title": {"ja": name, "en": name},
                       "png_base64": base64.b64encode(PNG).decode()} for name in images)
    outcome = TestOutcome(test_id="test_a.py::test_plot", title={"ja": "図", "en": "plot"},
                          hidden=False, points=1, earned=1, status=Status.PASSED,
                          message={"ja": "", "en": ""}, artifacts=artifacts)
    facts = IngestFacts(discussion=discussion,
                        answers=parse_answers(discussion, QUESTIONS),
                        untagged=untagged_text(discussion, QUESTIONS),
                        student_name=f"名前 {student}")
    return JobResult(assignment=ASSIGNMENT, student_id=student, status=JobStatus.GRADED,
                     points=1, max_points=1, submission_hash=student, suite_hash="x",
                     outcomes=(outcome,), facts=facts)


CLASS = {
    "s01": (filled(batch_size="2 のべき乗で、メモリに載る大きさ。", saddle="モーメンタム。"),
            ("curve.png", "saddle.png")),
    "s02": (TEMPLATE, ()),                                  # the template, untouched
    "s03": (None, ("curve.png",)),                          # no 考察.md at all
    "s04": ("バッチサイズは 32 にした。鞍点はモーメンタムで抜ける。", ()),  # headings deleted
    "s05": (filled(saddle="<script>alert(1)</script> 学習率を上げる"), ()),  # one of two, hostile
}


def catalogue() -> Catalogue:
    return Catalogue(titles={ASSIGNMENT: {"ja": "デモ課題", "en": "Demo"}},
                     questions={ASSIGNMENT: QUESTIONS}, figures={ASSIGNMENT: FIGURES})


def render(tmp_path: Path, adjustments: list | None = None) -> Path:
    results = [result(s, text, images) for s, (text, images) in CLASS.items()]
    render_reports(results, tmp_path / "reports", "ja", adjustments=adjustments or [],
                   catalogue=catalogue(), downloads=False)
    return tmp_path / "reports" / "discussion" / ASSIGNMENT


def read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


# ----------------------------------------------------------------------------- answers


def test_answers_per_question() -> None:
    assert parse_answers(TEMPLATE, QUESTIONS) == {}
    assert untagged_text(TEMPLATE, QUESTIONS) is None  # the template is not an answer
    both = filled(batch_size="32", saddle="momentum")
    assert parse_answers(both, QUESTIONS) == {"batch_size": "32", "saddle": "momentum"}
    assert untagged_text(both, QUESTIONS) is None
    free = "バッチサイズは 32。\n鞍点はモーメンタム。"
    assert parse_answers(free, QUESTIONS) == {}
    assert untagged_text(free, QUESTIONS) == free
    # With one question, untagged text is its answer (and not also "untagged").
    assert parse_answers(free, QUESTIONS[:1]) == {"batch_size": free}
    assert untagged_text(free, QUESTIONS[:1]) is None
    # Text before the first heading or under an unknown tag is kept for the TA.
    extra = "はじめに: 参考文献 X\n\n" + filled(saddle="momentum") + "\n## [other] 補足\n補足です"
    assert untagged_text(extra, QUESTIONS) == "はじめに: 参考文献 X\n\n## [other] 補足\n補足です"


# ----------------------------------------------------------------------------- pages


def test_one_page_per_question_with_every_answer(tmp_path: Path) -> None:
    folder = render(tmp_path)
    page = (folder / "batch_size.html").read_text(encoding="utf-8")
    assert "2 のべき乗で、メモリに載る大きさ。" in page
    assert "バッチサイズはどう決めるか。" in page and "002 「[グループワーク]" in page
    # Headings deleted: shown, flagged, counted as something to grade.
    assert "バッチサイズは 32 にした。" in page and "見出しの外に書かれた文章" in page
    # The unanswered (template, nothing sent, only the other question) listed at the end.
    unanswered = page[page.index('id="unanswered"'):]
    for student in ("s02", "s03", "s05"):
        assert f">{student}</a>" in unanswered
    assert ">s01</a>" not in unanswered and ">s04</a>" not in unanswered
    # The question's figure, as a file loaded lazily (not inlined).
    assert 'src="img/s01/curve.png"' in page and 'loading="lazy"' in page
    assert (folder / "img" / "s01" / "curve.png").read_bytes() == PNG
    assert "data:image/png" not in page
    # Links to the student's page, at the assignment.
    assert 'href="../../students/s01.html#a-09-demo"' in page

    saddle = (folder / "saddle.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 学習率を上げる" in saddle
    assert "<script>alert" not in saddle
    # Figures of no question: their own page, with who has none.
    figures = (folder / "figures.html").read_text(encoding="utf-8")
    assert 'src="img/s01/saddle.png"' in figures and "図がありません" in figures


def test_dashboard_counts_answers_left_to_grade(tmp_path: Path) -> None:
    render(tmp_path)
    index = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    # batch_size: s01, s04 (untagged); saddle: s01, s04, s05 -> 5 answers to grade.
    assert "考察を採点する (5 件未採点)" in index
    assert 'href="discussion/09_demo/index.html"' in index
    overview = (tmp_path / "reports" / "discussion" / ASSIGNMENT / "index.html").read_text(
        encoding="utf-8")
    assert "未採点の回答: 5 件" in overview and csv_name(ASSIGNMENT) in overview


# ----------------------------------------------------------------------------- CSV round trip


def test_grading_csv_round_trip(tmp_path: Path) -> None:
    folder = render(tmp_path)
    sheet = folder / csv_name(ASSIGNMENT)
    assert sheet.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = read_csv(sheet)
    assert [(r["student_id"], r["question"], r["answered"]) for r in rows] == [
        (s, q, answered) for s, answers in (
            ("s01", "yy"), ("s02", "nn"), ("s03", "nn"), ("s04", "yy"), ("s05", "ny"))
        for q, answered in zip(("batch_size", "saddle"),
                               ("yes" if a == "y" else "no" for a in answers))]
    assert all(r["points"] == "" for r in rows) and rows[0]["max_points"] == "2"
    assert rows[0]["name"] == "名前 s01"

    # The TA grades two answers, gives 0 to an unanswered one, leaves the rest blank.
    graded = {("s01", "batch_size"): ("2", "よく考えている"), ("s04", "saddle"): ("1.5", ""),
              ("s02", "batch_size"): ("0", "")}
    for row in rows:
        row["points"], row["reason"] = graded.get((row["student_id"], row["question"]),
                                                  ("", ""))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    sheet.write_text(out.getvalue(), encoding="utf-8")
    known = {ASSIGNMENT: {q.id: q.points for q in QUESTIONS}}
    db = tmp_path / "gradebook.sqlite"
    with Gradebook(db) as book:
        for student, (text, images) in CLASS.items():
            book.record(result(student, text, images))
        summary = import_file(book, sheet, by="ta", questions=known)
        assert summary.entries == 3  # blank rows are not graded yet
        adjustments = book.adjustments()
        results = book.current()
    final = grades(results, adjustments)
    assert final[("s01", ASSIGNMENT)].final == 3.0
    assert final[("s04", ASSIGNMENT)].final == 2.5
    assert {a.question for a in adjustments} == {"batch_size", "saddle"}
    assert next(a for a in adjustments if a.student_id == "s04").reason == "考察 [saddle]"

    # Rendered again: graded shown, count down, the CSV keeps what was imported from it.
    render(tmp_path, adjustments)
    page = (folder / "batch_size.html").read_text(encoding="utf-8")
    assert "採点済み 2 / 2 (ta)" in page
    index = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    assert "考察を採点する (3 件未採点)" in index
    again = {(r["student_id"], r["question"]): r["points"] for r in read_csv(sheet)}
    assert again[("s01", "batch_size")] == "2" and again[("s04", "saddle")] == "1.5"
    assert again[("s05", "saddle")] == ""


@pytest.mark.parametrize("row, problem", [
    ("s01,09_demo,batch_size,3,", "gives 0 to 2 points, not 3"),
    ("s01,09_demo,batch_size,-1,", "gives 0 to 2 points, not -1"),
    ("s01,09_demo,batch_sise,1,", "no question 'batch_sise'"),
])
def test_question_points_are_checked(row: str, problem: str, tmp_path: Path) -> None:
    sheet = tmp_path / "points.csv"
    sheet.write_text(f"student_id,assignment,question,points,reason\n{row}\n", "utf-8")
    with Gradebook(tmp_path / "g.sqlite") as book:
        with pytest.raises(AdjustmentError, match=problem):
            import_file(book, sheet, by="ta",
                        questions={ASSIGNMENT: {q.id: q.points for q in QUESTIONS}})
        assert book.adjustments() == []


def test_a_question_is_graded_once(tmp_path: Path) -> None:
    first, second = tmp_path / "ta1.csv", tmp_path / "ta2.csv"
    first.write_text("student_id,assignment,question,points,reason\n"
                     "s01,09_demo,saddle,2,\n", "utf-8")
    second.write_text("student_id,assignment,question,points,reason\n"
                      "s01,09_demo,saddle,3,\n", "utf-8")
    twice = tmp_path / "twice.csv"
    twice.write_text("student_id,assignment,question,points,reason\n"
                     "s01,09_demo,saddle,2,\ns01,09_demo,saddle,1,\n", "utf-8")
    with Gradebook(tmp_path / "g.sqlite") as book:
        import_file(book, first, by="ta")
        with pytest.raises(AdjustmentError, match="already graded in 'ta1.csv'"):
            import_file(book, second, by="ta")
        with pytest.raises(AdjustmentError, match="graded twice in this file"):
            import_file(book, twice, by="ta")
        first.write_text("student_id,assignment,question,points,reason\n"
                         "s01,09_demo,saddle,1,\n", "utf-8")
        assert import_file(book, first, by="ta").outcome == "replaced"
        assert [(a.question, a.points) for a in book.adjustments()] == [("saddle", 1.0)]


# ----------------------------------------------------------------------------- the kit's pack.py


def test_pack_sees_unanswered_questions_as_ingest_does(tmp_path: Path) -> None:
    """pack.py (stdlib only, in the kit) and ingest agree on what is answered."""
    spec = importlib.util.spec_from_file_location("pack", ROOT / "assignments/_kit/pack.py")
    assert spec is not None and spec.loader is not None
    pack = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pack)
    pack.KIT = tmp_path
    submission = {"discussion": "考察.md", "questions": [{"id": q.id} for q in QUESTIONS],
                  "placeholder": "(ここに回答を書いてください / Write your answer here)"}
    for text, _images in CLASS.values():
        if text is None:
            continue
        (tmp_path / "考察.md").write_text(text, encoding="utf-8")
        answered = set(parse_answers(text, QUESTIONS))
        if untagged_text(text, QUESTIONS):
            continue  # headings deleted: pack cannot tell, and says they are unanswered
        assert set(pack.unanswered(submission)) == {q.id for q in QUESTIONS} - answered


def test_a_filled_in_csv_is_never_overwritten(tmp_path: Path) -> None:
    """The TA filled in points, then re-ran the grader before importing them."""
    folder = render(tmp_path)
    sheet = folder / csv_name(ASSIGNMENT)
    text = sheet.read_text(encoding="utf-8-sig")
    edited = text.replace("s01,名前 s01,09_demo,batch_size,2,yes,,",
                          "s01,名前 s01,09_demo,batch_size,2,yes,2,")
    assert edited != text
    sheet.write_text(edited, encoding="utf-8")
    render(tmp_path)
    kept = list(folder.glob("grading-09_demo-edited-*.csv"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == edited
    assert sheet.read_text(encoding="utf-8-sig") == text  # a fresh sheet beside it
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert f"grader adjust --source {csv_name(ASSIGNMENT)}" in index and kept[0].name in index
    render(tmp_path)  # nothing filled in the fresh one: simply rewritten
    assert len(list(folder.glob("grading-09_demo-edited-*.csv"))) == 1


def test_the_sample_class_discussion(graded_classes: dict, tmp_path: Path) -> None:
    """01's sample class through the real pipeline: the answers read from each student's
    考察.md, the figures their scripts drew, and a CSV row per student and question."""
    from grader.output.report.render import load_catalogue
    from grader.paths import Course

    results = list(graded_classes["01_numerical_gradient"].values())
    course = Course(ROOT)
    catalogue = load_catalogue(course, {"01_numerical_gradient"})
    asked = catalogue.questions["01_numerical_gradient"]
    render_reports(results, tmp_path / "reports", "ja", catalogue=catalogue, downloads=False)
    folder = tmp_path / "reports" / "discussion" / "01_numerical_gradient"
    complete = (ROOT / "submissions/01_numerical_gradient/correct/考察.md").read_text("utf-8")
    answers = parse_answers(complete, asked)
    assert set(answers) == {q.id for q in asked}
    page = (folder / "sampling.html").read_text(encoding="utf-8")
    assert answers["sampling"].splitlines()[0] in page
    figure = folder / "img" / "correct" / "minibatch_comparison.png"
    assert figure.read_bytes().startswith(b"\x89PNG") and figure.stat().st_size > 5_000
    rows = read_csv(folder / csv_name("01_numerical_gradient"))
    assert len(rows) == len(results) * len(asked)
    answered = {(r["student_id"], r["question"]) for r in rows if r["answered"] == "yes"}
    partly = parse_answers((ROOT / "submissions/01_numerical_gradient/correct_slide_literal"
                            / "考察.md").read_text("utf-8"), asked)
    assert 0 < len(partly) < len(asked)
    assert {q for s, q in answered if s == "correct_slide_literal"} == set(partly)
    assert {q for s, q in answered if s == "skeleton"} == set()
