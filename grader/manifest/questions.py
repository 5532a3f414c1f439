"""A manifest's written questions (考察) and the figures collected for people to grade.

::

    [[questions]]
    id = "batch_size"                       # [a-z0-9_]; the 考察.md section's tag
    title = { ja = "バッチサイズの決め方", en = "Choosing the batch size" }
    text = { ja = "(the slide's question, quoted)", en = "(in English)" }
    slides = ["002 「[グループワーク] ミニバッチ学習時のバッチサイズ決め方」"]
    points = 2                              # the most a TA gives for it (graded by hand)

    [[figures]]
    file = "minibatch_comparison.png"       # under outputs/, made by the student's script
    title = { ja = "...", en = "..." }
    question = "sampling"                   # optional: shown on that question's page

Questions are never scored by the tests: ingest collects the answers from the kit's
``考察.md`` (:func:`template` writes it; one section per question, tagged ``[id]``), a
TA grades them from one page per question and imports the points with ``grader
adjust``. Figures come from the tests that run the student's scripts (an image
artifact with the figure's file name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.i18n import Bilingual
from grader.manifest.schema import ManifestError, bilingual

DISCUSSION_FILE = "考察.md"
PLACEHOLDER = "(ここに回答を書いてください / Write your answer here)"
_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass(frozen=True)
class Question:
    id: str
    title: Bilingual
    text: Bilingual
    slides: tuple[str, ...]
    points: float


@dataclass(frozen=True)
class Figure:
    file: str
    title: Bilingual
    question: str | None = None


def questions(name: str, entries: object) -> tuple[Question, ...]:
    if not isinstance(entries, list):
        raise ManifestError(f"{name}: questions must be an array of tables")
    found: list[Question] = []
    for index, entry in enumerate(entries):
        where = f"{name}: questions[{index}]"
        question_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(question_id, str) or not _ID.fullmatch(question_id):
            raise ManifestError(f"{where} needs an id of lower-case letters, digits and _")
        if any(q.id == question_id for q in found):
            raise ManifestError(f"{where}: question {question_id!r} is declared twice")
        slides = entry.get("slides", [])
        points = entry.get("points", 0)
        if not isinstance(slides, list) or not all(isinstance(s, str) for s in slides):
            raise ManifestError(f"{where}: slides = [\"NNN 「heading」\", ...]")
        if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
            raise ManifestError(f"{where}: points must be a number >= 0")
        found.append(Question(id=question_id,
                              title=bilingual(entry.get("title", question_id), f"{where} title"),
                              text=bilingual(entry.get("text", ""), f"{where} text"),
                              slides=tuple(slides), points=float(points)))
    return tuple(found)


def figures(name: str, entries: object, known: tuple[Question, ...]) -> tuple[Figure, ...]:
    if not isinstance(entries, list):
        raise ManifestError(f"{name}: figures must be an array of tables")
    found = []
    for index, entry in enumerate(entries):
        where = f"{name}: figures[{index}]"
        file = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(file, str) or "/" in file or not file.endswith(".png"):
            raise ManifestError(f"{where} needs file = \"name.png\" (under outputs/)")
        question = entry.get("question")
        if question is not None and question not in {q.id for q in known}:
            raise ManifestError(f"{where}: no question {question!r}")
        found.append(Figure(file=file, title=bilingual(entry.get("title", file),
                                                       f"{where} title"),
                            question=question))
    return tuple(found)


def template(title: Bilingual, asked: tuple[Question, ...]) -> str:
    """The kit's 考察.md: one section per question, tagged so ingest can find the answers."""
    lines = [f"# 考察 / Discussion — {title['ja']} / {title['en']}", "",
             "各問の見出し ([...] の部分) は消さずに、その下に回答を書いてください。",
             "Keep each heading (with its [tag]) and write your answer below it.", ""]
    for question in asked:
        lines += [f"## [{question.id}] {question.title['ja']} / {question.title['en']}", ""]
        lines += [f"> {line}" for line in question.text["ja"].splitlines() if line.strip()]
        lines += [">"] if question.text["en"] else []
        lines += [f"> {line}" for line in question.text["en"].splitlines() if line.strip()]
        if question.slides:
            lines += [">", "> " + " / ".join(question.slides)]
        lines += ["", PLACEHOLDER, ""]
    return "\n".join(lines)
