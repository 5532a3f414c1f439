"""The trusted judge: pytest over public and hidden tests, with the reference loaded.

Student code never runs here; it runs in a sandboxed worker reached through
``grader.judge.session`` (proxies in ``proxies``).
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent

#: Grader files whose behaviour decides scores: part of every suite hash, so changing
#: how grading works re-grades everyone on the next run.
SCORING_FILES = sorted([
    *_HERE.glob("*.py"), _HERE / "pytest.ini", *(_HERE.parent / "worker").glob("*.py"),
    *(_HERE.parent / "manifest").glob("*.py"), _HERE.parent / "results.py",
])
