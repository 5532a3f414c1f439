"""One term per concept in everything a student or TA reads (issue 11): 前進差分 (not
前方差分), 隠れ層 (not 中間層), 誤差逆伝播法 (not 誤差逆伝搬). A slide's own wording may
be quoted as it is, inside 「」 (a heading cited by name)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT

PREFERRED = {"前方差分": "前進差分", "中間層": "隠れ層", "誤差逆伝搬": "誤差逆伝播法",
             "逆誤差伝播": "誤差逆伝播法"}
QUOTED = re.compile(r"「[^」\n]*」")


def readable_files() -> list[Path]:
    """What students and TAs read: kits (task, skeletons, public tests, 考察 template),
    the manifests' titles and questions, the mistake catalogues, the grader's messages."""
    files = []
    for kit in sorted((ROOT / "assignments").iterdir()):
        if kit.is_dir() and not kit.name.startswith("_"):
            files += sorted(kit.glob("*.md")) + sorted(kit.glob("scripts/*.py"))
            files += sorted(kit.glob("tests/test_*.py"))
    files += sorted((ROOT / "assignments" / "_kit").glob("*.py"))
    files += sorted((ROOT / "reference").glob("*/manifest.toml"))
    files += sorted((ROOT / "reference").glob("*/mistakes.toml"))
    files += sorted((ROOT / "grader" / "messages").glob("*.toml"))
    return files


@pytest.mark.parametrize("path", readable_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_one_term_per_concept(path: Path) -> None:
    text = QUOTED.sub("", path.read_text(encoding="utf-8"))
    found = [(line_number, avoided, preferred)
             for line_number, line in enumerate(text.splitlines(), start=1)
             for avoided, preferred in PREFERRED.items() if avoided in line]
    assert not found, [f"line {n}: {a} -> {p}" for n, a, p in found]


def test_the_check_can_fail(tmp_path: Path) -> None:
    sample = "隠れ層 (「中間層」と書くスライドもある) と 中間層"
    stripped = QUOTED.sub("", sample)
    assert stripped.count("中間層") == 1
