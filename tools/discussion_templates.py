#!/usr/bin/env python3
"""Write each kit's 考察.md from its manifest's [[questions]].

The template (``grader.manifest.questions.template``) has one tagged section per
question; ingest reads the answers back by those tags. ``tests/test_discussion.py``
fails when a kit's file differs from what this writes. Run it after changing questions:

    python3 tools/discussion_templates.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.manifest import load_assignment  # noqa: E402
from grader.manifest.questions import DISCUSSION_FILE, template  # noqa: E402
from grader.paths import Course  # noqa: E402


def expected_templates(course: Course) -> dict[Path, str]:
    """Kit file -> its content, for every assignment with questions."""
    found = {}
    for name in course.assignment_names():
        assignment = load_assignment(course, name)
        if assignment.questions:
            found[assignment.paths.kit / DISCUSSION_FILE] = template(assignment.title,
                                                                     assignment.questions)
    return found


def main() -> int:
    for path, text in expected_templates(Course(ROOT)).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
