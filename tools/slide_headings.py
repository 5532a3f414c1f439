#!/usr/bin/env python3
"""Write docs/slide-headings.toml: the headings of the course's lecture decks.

The decks' text lives outside the project (``../shared/slides``); citations in
manifests, mistake catalogues and TASK files ("004 「計算グラフの一般化(4)」") are checked
against this checked-in list, so the check runs on a machine without the decks.
``tests/test_citations.py`` also compares the list with the decks when they are there.

    python3 tools/slide_headings.py [SLIDES_DIR]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SLIDES = ROOT.parent / "shared" / "slides"
OUT = ROOT / "docs" / "slide-headings.toml"


def headings(text: str) -> list[str]:
    """Markdown headings, and in decks without markup the short lines that open a slide
    (a line after a blank line, before the slide's body)."""
    lines = text.splitlines()
    marked = [re.sub(r"^#+\s*", "", line).strip() for line in lines if line.startswith("#")]
    found = [heading for heading in marked if heading]
    if not found:
        for previous, line in zip([""] + lines, lines):
            stripped = line.strip()
            if (not previous.strip() and stripped and len(stripped) <= 45
                    and not stripped.startswith(("-", "$", "\\", "|", "`", "※", "図"))):
                found.append(stripped)
    return list(dict.fromkeys(found))


def decks(slides: Path) -> dict[str, dict]:
    result = {}
    for path in sorted(slides.glob("[0-9][0-9][0-9]_*.txt")):
        result[path.name[:3]] = {"file": path.name,
                                 "headings": headings(path.read_text(encoding="utf-8"))}
    return result


def render(found: dict[str, dict]) -> str:
    out = ["# Headings of the course's lecture decks, for checking slide citations offline.",
           "# Generated from ../shared/slides by tools/slide_headings.py; do not edit.", ""]
    for number, deck in found.items():
        out.append(f'[decks."{number}"]')
        out.append(f"file = {json.dumps(deck['file'], ensure_ascii=False)}")
        out.append("headings = [")
        out += [f"    {json.dumps(h, ensure_ascii=False)}," for h in deck["headings"]]
        out += ["]", ""]
    return "\n".join(out)


def main() -> int:
    slides = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SLIDES
    if not slides.is_dir():
        print(f"no slides at {slides}", file=sys.stderr)
        return 1
    OUT.write_text(render(decks(slides)), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
