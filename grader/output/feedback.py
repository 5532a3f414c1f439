"""The one line a student reads next to a grade in the LMS: the terms of the final grade."""

from __future__ import annotations

from grader import i18n
from grader.grades import Grade
from grader.output.tables import format_points
from grader.results import JobStatus


def feedback_text(grade: Grade, lang: str) -> str:
    """One line a student reads in the LMS: the terms of the final grade."""
    def t(key: str, **params: object) -> str:
        return i18n.text(key, lang, **params)

    if grade.status == JobStatus.MISSING:
        return t("report.no_submission")
    if grade.status == JobStatus.ERROR:
        return t("report.grader_error_student")
    parts = [f"{t('report.test_points')} {format_points(grade.points)}"
             f"/{format_points(grade.max_points)}"]
    if grade.late_penalty:
        waived = f" {t('report.penalty_waived')}" if grade.penalty_waived else ""
        parts.append(f"{t('report.late_penalty')} -{format_points(grade.late_penalty)}{waived}")
    for adjustment in grade.adjustments:
        if adjustment.points:
            parts.append(f"{t('report.adjustment')} {adjustment.points:+g} ({adjustment.reason})")
        elif adjustment.waive_late_penalty:
            parts.append(f"{t('report.waive')} ({adjustment.reason})")
    parts.append(f"{t('report.final')} {format_points(grade.final)}")
    return "; ".join(parts)
