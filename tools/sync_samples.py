#!/usr/bin/env python3
"""Regenerate the copies of kit files that cannot be links.

``submissions/<assignment>/skeleton/scripts/`` is the untouched skeleton handed in as a
sample student (it must score 0). Ingest refuses links in a submission, so it is a copy
of ``assignments/<assignment>/scripts/``, made by this script; ``tests/test_copies.py``
fails when the two drift apart. Run it after changing a skeleton:

    python3 tools/sync_samples.py
"""

from __future__ import annotations

import filecmp
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def skeleton_copies(root: Path = ROOT) -> list[tuple[Path, Path]]:
    """(kit scripts folder, sample copy) for every assignment with a skeleton sample."""
    pairs = []
    for kit in sorted((root / "assignments").iterdir()):
        sample = root / "submissions" / kit.name / "skeleton" / "scripts"
        if (kit / "scripts").is_dir() and sample.parent.is_dir():
            pairs.append((kit / "scripts", sample))
    return pairs


def differences(source: Path, copy: Path) -> list[str]:
    """Names that differ between the two folders (files only, no subfolders)."""
    if not copy.is_dir():
        return ["(missing)"]
    names = {p.name for p in source.iterdir() if p.is_file()} | {
        p.name for p in copy.iterdir() if p.is_file()}
    return sorted(name for name in names
                  if not ((source / name).is_file() and (copy / name).is_file()
                          and filecmp.cmp(source / name, copy / name, shallow=False)))


def main() -> int:
    for source, copy in skeleton_copies():
        if differences(source, copy):
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
            print(f"updated {copy.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
