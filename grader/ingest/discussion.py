"""The written 考察: answers per question, read from the submitted 考察.md.

The kit's 考察.md (``grader.manifest.questions.template``) has one section per question,
headed ``## [id] title``; a student writes under each heading. Here each section becomes
that question's answer, without the quoted question (``> ...`` lines) and the template's
placeholder; a section left as the template gave it is *not answered* (no entry). A file
without any tagged heading (a free-form ``ex_02_<id>.md``, a module docstring) is the
answer to the only question when there is one, else to none; :func:`untagged_text`
keeps what lies outside the questions' sections, so a TA still reads an answer whose
heading was deleted.
"""

from __future__ import annotations

import re

from grader.manifest import Question
from grader.manifest.questions import PLACEHOLDER

_HEADING = re.compile(r"^#{1,6}\s*\[([a-z][a-z0-9_]*)\][^\n]*$", re.MULTILINE)
#: Lines the template writes besides the headings (its introduction).
_TEMPLATE_LINES = ("各問の見出し", "Keep each heading", "# 考察 / Discussion")


def _clean(section: str) -> str:
    lines = [line for line in section.splitlines()
             if not line.lstrip().startswith(">") and line.strip() != PLACEHOLDER
             and not line.startswith(_TEMPLATE_LINES)]
    return "\n".join(lines).strip()


def parse_answers(text: str | None, asked: tuple[Question, ...]) -> dict[str, str]:
    """question id -> the student's answer, for the questions they answered."""
    if not text or not asked:
        return {}
    known = {q.id for q in asked}
    marks = list(_HEADING.finditer(text))
    answers: dict[str, str] = {}
    if not marks:
        free = _clean(text)
        if free and len(asked) == 1:
            answers[asked[0].id] = free
        return answers
    for mark, following in zip(marks, [*marks[1:], None]):
        question_id = mark.group(1)
        end = following.start() if following is not None else len(text)
        answer = _clean(text[mark.end():end])
        if question_id in known and answer:
            answers[question_id] = answers.get(question_id, "") + answer
    return answers


def untagged_text(text: str | None, asked: tuple[Question, ...]) -> str | None:
    """What the student wrote outside the sections of the questions asked (before the
    first tagged heading, under unknown tags), when it is more than the template's.
    None when nothing is left, or when :func:`parse_answers` took it as the only
    question's answer."""
    if not text or not asked:
        return None
    known = {q.id for q in asked}
    marks = list(_HEADING.finditer(text))
    if not marks:
        return None if len(asked) == 1 else (_clean(text) or None)
    pieces = [text[:marks[0].start()]]
    for mark, following in zip(marks, [*marks[1:], None]):
        if mark.group(1) not in known:
            end = following.start() if following is not None else len(text)
            pieces.append(text[mark.start():end])
    left = "\n\n".join(piece for piece in map(_clean, pieces) if piece)
    return left or None
