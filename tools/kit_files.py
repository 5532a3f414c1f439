#!/usr/bin/env python3
"""Write the kit files generated from each manifest: ``考察.md`` and ``submission.toml``.

* ``考察.md`` (``grader.manifest.questions.template``): one tagged section per question of
  ``[[questions]]``; ingest reads the answers back by those tags.
* ``submission.toml``: what ``pack.py`` puts in the student's zip (the manifest's
  ``[[files]]``, the declared figures) and the question tags it reminds them of.

``tests/test_copies.py`` fails when a kit's file differs from what this writes. Run
it after changing a manifest's files, questions or figures:

    python3 tools/kit_files.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.manifest import load_assignment  # noqa: E402
from grader.manifest.questions import DISCUSSION_FILE, template  # noqa: E402
from grader.paths import Course  # noqa: E402
from grader.release import submission_toml  # noqa: E402


def expected_files(course: Course) -> dict[Path, str]:
    """Kit file -> its content, for every assignment."""
    found = {}
    for name in course.assignment_names():
        assignment = load_assignment(course, name)
        if assignment.questions:
            found[assignment.paths.kit / DISCUSSION_FILE] = template(assignment.title,
                                                                     assignment.questions)
        found[assignment.paths.kit / "submission.toml"] = submission_toml(assignment)
    return found


def main() -> int:
    for path, text in expected_files(Course(ROOT)).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
