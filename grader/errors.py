"""Errors a person can fix, as opposed to bugs.

Everything a user can act on (a malformed manifest, a submissions folder that cannot be
read, a bad CSV, a sandbox that is not available, a gradebook from a newer grader)
derives from :class:`UserError`. The command line catches ``UserError`` once and prints
it as one line (exit code 2); anything else is a bug in the grader and keeps its
traceback. Each module defines its own subclass next to the code that raises it.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the person running the grader can fix; its message says how."""
