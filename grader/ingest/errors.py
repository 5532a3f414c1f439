"""The one error ingest raises: a problem with the whole batch that a person must fix."""

from __future__ import annotations

from grader.errors import UserError


class IngestError(UserError):
    """The submissions or the roster cannot be read at all (not one student's mistake).

    A student's mistake never raises: it becomes a warning in that student's report.
    """
