#!/usr/bin/env python3
"""Write each kit's ``uv.lock`` and ``requirements.txt`` from its ``pyproject.toml``.

Students install a kit with ``uv sync``/``uv run`` (the lock pins every package) or with
``pip install -r requirements.txt`` (the same versions, exported from the lock). Run this
after changing a kit's dependencies, with uv installed (``pip install -e '.[kits]'``); it
needs the package index. ``tests/test_copies.py`` checks, without uv or a network, that
each lock still matches its pyproject and that requirements.txt pins what the lock pins.

    python3 tools/lock_kits.py            # every kit
    python3 tools/lock_kits.py 02_perceptron
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = """\
# 課題 {name} を pip で使うとき / for pip users of assignment {name}:
#   python -m venv .venv && .venv/bin/pip install -r requirements.txt
# uv.lock と同じ版です (tools/lock_kits.py が生成) / the versions of uv.lock
# (written by tools/lock_kits.py).
"""


def uv() -> str:
    found = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    if not Path(found).is_file():
        sys.exit("uv is not installed: pip install -e '.[kits]'")
    return found


def lock(kit: Path) -> None:
    subprocess.run([uv(), "lock", "--quiet"], cwd=kit, check=True)
    exported = subprocess.run(
        [uv(), "export", "--quiet", "--frozen", "--format", "requirements-txt", "--no-hashes",
         "--no-header", "--no-emit-project", "--no-annotate"],
        cwd=kit, check=True, capture_output=True, text=True).stdout
    (kit / "requirements.txt").write_text(HEADER.format(name=kit.name) + exported,
                                          encoding="utf-8")
    print(f"locked {kit.relative_to(ROOT)}")


def main(names: list[str]) -> int:
    kits = sorted(p for p in (ROOT / "assignments").iterdir()
                  if (p / "pyproject.toml").is_file() and not p.name.startswith("_"))
    for kit in kits:
        if not names or kit.name in names:
            lock(kit)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
