"""Slide citations name headings that exist, and the conventions the slides allow are
declared, documented and sampled.

A citation is written ``NNN 「heading」`` (the deck's number, the heading as the slide
shows it; a heading may be cited by a part of it, e.g. 「平均二乗誤差関数と逆伝播」 for
「平均二乗誤差関数と逆伝播(2)」). They are checked against ``docs/slide-headings.toml``,
generated from the decks by ``tools/slide_headings.py``, so the check runs without them.
"""

from __future__ import annotations

import importlib.util
import re
import tomllib

import pytest

from conftest import ROOT, expected_samples

from grader.manifest import load_assignment
from grader.paths import Course

HEADINGS = tomllib.loads((ROOT / "docs" / "slide-headings.toml").read_text(encoding="utf-8"))
SLIDES = ROOT.parent / "shared" / "slides"
CITATION = re.compile(r"(\d{3})\s*「([^」]+)」")
#: A mention of the slides that should carry a citation: "(スライド: ...)", "(slides: ...)".
MENTION = re.compile(r"[(（](?:スライド|slides?)\s*[:：]\s*((?:「[^」]*」|[^)）「])*)[)）]")
COURSE = Course(ROOT)
ASSIGNMENTS = COURSE.assignment_names()


def normalized(text: str) -> str:
    """Without markup, spaces and decorations: how a citation and a heading are compared."""
    return re.sub(r"[\s$*➤✓■・#（）()]", "", text).replace("\\", "")


def resolves(deck: str, heading: str) -> bool:
    entry = HEADINGS["decks"].get(deck)
    if entry is None:
        return False
    wanted = normalized(heading)
    return bool(wanted) and any(wanted in normalized(h) for h in entry["headings"])


def citations(text: str) -> list[tuple[str, str]]:
    return CITATION.findall(text)


def cited_texts() -> list[tuple[str, str]]:
    """(where, text) of every file that may cite the slides."""
    texts = []
    for name in ASSIGNMENTS:
        paths = COURSE.assignment(name)
        for path in (paths.kit / "TASK.ja.md", paths.kit / "TASK.en.md", paths.mistakes,
                     paths.manifest):
            if path.is_file():
                texts.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
    return texts


def test_the_heading_list_matches_the_decks() -> None:
    if not SLIDES.is_dir():
        pytest.skip("the decks (../shared/slides) are not on this machine")
    spec = importlib.util.spec_from_file_location("slide_headings",
                                                  ROOT / "tools" / "slide_headings.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.render(tool.decks(SLIDES)) == (ROOT / "docs" / "slide-headings.toml").read_text(
        encoding="utf-8"), "run python3 tools/slide_headings.py"


TEXTS = cited_texts()


@pytest.mark.parametrize("where, text", TEXTS, ids=[where for where, _ in TEXTS])
def test_every_citation_names_a_heading(where: str, text: str) -> None:
    wrong = [f"{deck} 「{heading}」" for deck, heading in citations(text)
             if not resolves(deck, heading)]
    assert not wrong, f"{where}: no such slide heading: {wrong}"
    vague = [mention for mention in MENTION.findall(text) if not citations(mention)]
    assert not vague, f"{where}: cite slides as NNN 「heading」: {vague}"


def test_a_wrong_citation_is_found() -> None:
    assert resolves("004", "計算グラフの一般化(4)")
    assert resolves("001", "誤差総和 E の最小化")
    assert not resolves("004", "存在しない見出し")
    assert not resolves("009", "計算グラフの一般化(4)")


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_conventions_are_documented_and_sampled(name: str) -> None:
    """Each accepted convention: its slides exist, TASK names them in both languages, and
    a sample student using it is graded at full marks with the convention recognised."""
    assignment = load_assignment(COURSE, name)
    tasks = {lang: (assignment.paths.kit / f"TASK.{lang}.md").read_text(encoding="utf-8")
             for lang in ("ja", "en")}
    expected = expected_samples(name) if (ROOT / "tests" / "expected" / f"{name}.toml"
                                          ).is_file() else {}
    for convention in assignment.conventions:
        for way in convention.accepted:
            for slide in way.slides:
                found = citations(slide)
                assert found, f"{name}: {convention.id}={way.id}: cite as NNN 「heading」"
                for deck, heading in found:
                    assert resolves(deck, heading), f"{name}: no such heading {slide}"
                    for lang, text in tasks.items():
                        assert heading in text, \
                            f"{name}: TASK.{lang}.md does not name 「{heading}」"
            assert way.sample, f"{name}: {convention.id}={way.id} has no sample student"
            assert (ROOT / "submissions" / name / way.sample).is_dir(), way.sample
            entry = expected.get(way.sample, {})
            assert entry.get("points") == assignment.max_points, \
                f"{name}/{way.sample} must be expected at full marks"
            assert entry.get("conventions", {}).get(convention.id) == way.id, \
                f"{name}/{way.sample}: expect conventions = {{ {convention.id} = \"{way.id}\" }}"
