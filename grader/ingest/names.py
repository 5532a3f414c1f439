"""Matching the files students actually hand in to the names the manifest expects.

Names drift: ``perceptron (1).py`` (a browser's second download), ``perceptron-1.py``
(Canvas renames a resubmitted file), ``Perceptron.py``, ``perceptron のコピー.py`` /
``Copy of perceptron.ipynb`` (Colab), ``perceptron - コピー.py`` (Explorer), full-width
letters, ``perceptron.py.txt`` (an LMS that refuses ``.py``), ``gradient method.py``,
files nested in extra folders, and a notebook where a module was expected.

Candidates are ranked: the exact name beats a drifted one, a ``.py`` beats a notebook,
and a shallower path beats a deeper one. Files that would shadow a module the grader
or the tests import (``numpy.py``, ``conftest.py``, ``sitecustomize.py``, ``*.pth``)
are refused outright.
"""

from __future__ import annotations

import fnmatch
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath

from grader.ingest.unpack import Entry
from grader.manifest import ExpectedFile

#: Modules a stray student file must not shadow, besides the standard library.
SHADOWED = {"numpy", "matplotlib", "pandas", "scipy", "sklearn", "pytest", "_pytest",
            "pluggy", "conftest", "sitecustomize", "usercustomize", "studentops", "checks",
            "grader", "mpl_toolkits", "PIL", "pylab"}

_COPY_MARKERS = [
    re.compile(r"\s*\(\d+\)$"),                      # perceptron (1)
    re.compile(r"\s*-\s*(copy|コピー)(\s*\(\d+\))?$"),  # perceptron - Copy, perceptron - コピー
    re.compile(r"\s*の?コピー$"),                      # perceptron のコピー
    re.compile(r"^(copy of|コピー ?[〜~]?)\s*"),        # Copy of perceptron
    re.compile(r"-\d+$"),                            # perceptron-1 (Canvas)
]


def shadows(name: str) -> str | None:
    """The module a file named ``name`` would shadow when put beside the graded code."""
    if name.lower().endswith(".pth"):
        return ".pth"  # site runs the lines of a .pth file at start-up
    if not name.endswith(".py"):
        return None
    stem = name[:-3]
    if stem in SHADOWED or stem in sys.stdlib_module_names:
        return stem
    return None


def normalized(name: str) -> str:
    """A drifted file name brought back to the form the manifest writes.

    ``Perceptron (1).py`` -> ``perceptron.py``; ``gradient method.ipynb`` ->
    ``gradient_method.ipynb``; ``ｐｅｒｃｅｐｔｒｏｎ.py.txt`` -> ``perceptron.py``.
    """
    name = unicodedata.normalize("NFKC", name).strip().lower()
    if re.search(r"\.(py|ipynb|md)\.txt$", name):
        name = name[:-4]
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    changed = True
    while changed:
        changed = False
        for marker in _COPY_MARKERS:
            shorter = marker.sub("", stem).strip()
            if shorter and shorter != stem:
                stem, changed = shorter, True
    stem = re.sub(r"[\s\-]+", "_", stem)
    return f"{stem}.{suffix}" if suffix else stem


@dataclass(frozen=True)
class Match:
    entry: Entry
    rank: int
    """0 exact, 1 exact notebook, 2 drifted name, 3 drifted notebook."""
    notebook: bool

    @property
    def renamed(self) -> bool:
        return self.rank >= 2


def _rank(expected: ExpectedFile, name: str) -> tuple[int, bool] | None:
    pattern = expected.pattern
    notebook_pattern = pattern[:-3] + ".ipynb" if pattern.endswith(".py") else None
    if fnmatch.fnmatchcase(name, pattern):
        return 0, False
    if notebook_pattern and fnmatch.fnmatchcase(name, notebook_pattern):
        return 1, True
    drifted = normalized(name)
    if fnmatch.fnmatchcase(drifted, pattern.lower()):
        return 2, False
    if notebook_pattern and fnmatch.fnmatchcase(drifted, notebook_pattern.lower()):
        return 3, True
    return None


def candidates(expected: ExpectedFile, entries: list[Entry]) -> list[Match]:
    """Every entry that could be ``expected``, best first."""
    found = []
    for entry in entries:
        ranked = _rank(expected, entry.name)
        if ranked is not None:
            found.append(Match(entry, ranked[0], ranked[1]))
    return sorted(found, key=lambda m: (m.rank, len(m.entry.path.parts), str(m.entry.path)))


def written_id(expected: ExpectedFile, name: str, student_id: str = "") -> str | None:
    """The student id written in a file name matching a ``{student_id}`` pattern.

    Copy markers are not part of it: ``ex_02_s123 (1).py`` carries ``s123``.
    """
    if "{student_id}" not in expected.name:
        return None
    exact = expected.id_in(name)
    if exact is not None and (exact == student_id
                              or not re.search(r"(\s*\(\d+\)|-\d+)$", exact)):
        return exact
    drifted = normalized(name)
    suffix = PurePosixPath(expected.name).suffix
    if drifted.endswith(".ipynb") and suffix == ".py":
        drifted = drifted[:-6] + ".py"
    head = expected.name.split("{student_id}", 1)[0].lower()
    tail = expected.name.split("{student_id}", 1)[1].lower()
    match = re.fullmatch(re.escape(head) + r"(.+)" + re.escape(tail), drifted)
    if match is None:
        return exact
    # Keep the id's own spelling (case) from the original name where it is there.
    original = re.search(re.escape(match.group(1)), unicodedata.normalize("NFKC", name),
                         re.IGNORECASE)
    return original.group(0) if original else match.group(1)


def graded_name(expected: ExpectedFile, student_id: str, written: str | None) -> str:
    """The plain file name the worker gets in scripts/ (importable by the tests)."""
    if "{student_id}" not in expected.name:
        return expected.name
    for candidate in (written, student_id):
        if candidate and re.fullmatch(r"\w+", candidate):
            return expected.name_for(candidate)
    return expected.name_for(re.sub(r"\W", "_", student_id) or "student")
