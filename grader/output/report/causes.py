"""What to fix first: a job's failed tests grouped by what caused them.

A file that does not parse, or a module whose import ends the worker, fails every test
that needs it with the same message: that is one :class:`Banner` (file, line, message,
the offending line) instead of one message per test. It is recognised from the messages
the judge writes (``student.syntax_error*``, ``student.import_crashed*``,
``student.import_failed``, or a crash located ``in <module>``), read back with the same
catalogue templates, so the file and line come from the data and not from guesses.

Every other failed test goes to one :class:`Cause`, the first that applies:

1. a catalogued mistake (``TestOutcome.diagnoses``; the first one): its text is the
   catalogue's (``reference/<name>/mistakes.toml``), else the "Likely mistake" line of
   the message;
2. a recognised kind of difference (``TestOutcome.hints``, named in the message): grouped
   by the "Hint:" / "ヒント:" line of the message (the same difference reads the same);
3. otherwise its status (not implemented, timeout, failed without a diagnosis ...).

Causes are listed by the points they cost, largest first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from grader import i18n
from grader.i18n import Bilingual
from grader.results import Status, TestOutcome, round_points

Translate = Callable[..., str]

HINT_PREFIXES = ("ヒント:", "Hint:")
"""How ``assignments/_kit/checks.py`` starts the hint line of a message."""
MISTAKE_PREFIXES = ("よくある間違い:", "Likely mistake:")
CASE = re.compile(r"^\[(?P<case>[^\]\n]{1,80})\] ")
"""The case a parametrized test failed on, put first in the message by the judge."""

_SYNTAX_KEYS = ("student.syntax_error_others", "student.syntax_error")
_IMPORT_KEYS = ("student.import_crashed_others", "student.import_crashed",
                "student.import_failed")
_GROUPS = {"file": r"\S+?", "module": r"\S+?", "line": r"\d+"}


@dataclass(frozen=True)
class TestRef:
    """A test named in a summary line, linked to its row."""

    __test__ = False

    title: str
    anchor: str
    lost: float
    """Points the test did not earn."""


@dataclass(frozen=True)
class Banner:
    kind: str
    """``syntax_error`` or ``import_crash``."""
    file: str
    line: str
    message: str
    """The judge's message (for a crash at import; a syntax error's is ``error``)."""
    error: str
    """Python's own words, shown as code: ``SyntaxError: expected ':'``."""
    code: str
    """The offending line with a caret (the student's own code), or ""."""
    tests: tuple[TestRef, ...]
    lost: float


@dataclass(frozen=True)
class Cause:
    kind: str
    """``mistake``, ``hint`` or ``status``."""
    key: str
    text: str
    status: str
    """The worst status among its tests (the badge's colour)."""
    tests: tuple[TestRef, ...]
    lost: float


def split_case(message: str) -> tuple[str, str]:
    """``[max] message`` -> (``max``, ``message``); no case -> ("", message)."""
    match = CASE.match(message)
    return (match.group("case"), message[match.end():]) if match else ("", message)


@cache
def _template(key: str, lang: str) -> re.Pattern[str]:
    """The catalogue template ``key`` as a pattern with one named group per field."""
    template = i18n.catalogue(lang).get(key, "")
    parts = re.split(r"\{(\w+)(?::[^}]*)?\}", template)
    pattern = "".join(re.escape(part) if index % 2 == 0
                      else f"(?P<{part}>{_GROUPS.get(part, '.*?')})"
                      for index, part in enumerate(parts))
    return re.compile(pattern, re.DOTALL)


def _read(message: Bilingual, keys: Iterable[str]) -> dict[str, str] | None:
    """The fields of the first template among ``keys`` that the message matches."""
    for lang in i18n.LANGUAGES:
        text = split_case(str(message.get(lang) or ""))[1]
        for key in keys:
            found = _template(key, lang).match(text)
            if found:
                return found.groupdict()
    return None


def _banner_key(outcome: TestOutcome) -> tuple[str, str, str, str] | None:
    """(kind, file, line, Python's error) when the outcome failed because its file could
    not be loaded."""
    if outcome.status in (Status.SYNTAX_ERROR, Status.FAILED):  # failed: older gradebooks
        fields = _read(outcome.message, _SYNTAX_KEYS)
        if fields:
            return "syntax_error", fields["file"], fields["line"], \
                f"SyntaxError: {fields['msg']}"
    if outcome.status in (Status.CRASHED, Status.ERROR, Status.FAILED):
        fields = _read(outcome.message, _IMPORT_KEYS)
        if fields:
            return "import_crash", f"{fields['module']}.py", "", ""
    if outcome.status == Status.CRASHED:
        for lang in i18n.LANGUAGES:
            at = _template("student.at", lang).search(str(outcome.message.get(lang) or ""))
            if at and at.group("function") == "<module>":
                return "import_crash", at.group("file"), at.group("line"), ""
    return None


def _first_line(text: str, prefixes: tuple[str, ...]) -> str:
    for line in text.splitlines():
        for prefix in prefixes:
            if line.startswith(prefix):
                return line[len(prefix):].strip()
    return ""


def summarise(items: list[tuple[TestOutcome, str, str]], lang: str, t: Translate,
              mistakes: dict[str, Bilingual], show_code: Callable[[TestOutcome], bool]
              ) -> tuple[tuple[Banner, ...], tuple[Cause, ...], set[str]]:
    """(banners, causes, ids of the tests a banner covers) of the failed tests.

    ``items`` are (outcome, title, anchor) of every test; ``show_code(outcome)`` says
    whether the outcome's details may be shown (not for a hidden test on a student's
    page).
    """
    banner_tests: dict[tuple[str, str, str, str], list[tuple[TestOutcome, TestRef]]] = {}
    cause_tests: dict[tuple[str, str], list[tuple[TestOutcome, TestRef]]] = {}
    texts: dict[tuple[str, str], str] = {}
    for outcome, title, anchor in items:
        if outcome.status == Status.PASSED:
            continue
        ref = TestRef(title=title, anchor=anchor,
                      lost=round_points(outcome.points - outcome.earned))
        banner = _banner_key(outcome)
        if banner is not None:
            banner_tests.setdefault(banner, []).append((outcome, ref))
            continue
        message = split_case(str(outcome.message.get(lang) or ""))[1]
        if outcome.diagnoses:
            mistake = outcome.diagnoses[0]
            key = ("mistake", mistake)
            text = str((mistakes.get(mistake) or {}).get(lang) or "") \
                or _first_line(message, MISTAKE_PREFIXES) or mistake
        elif _first_line(message, HINT_PREFIXES):
            text = _first_line(message, HINT_PREFIXES)
            key = ("hint", text)
        else:
            key = ("status", str(outcome.status))
            text = t(f"report.cause.{outcome.status}")
        texts.setdefault(key, text)
        cause_tests.setdefault(key, []).append((outcome, ref))
    banners = []
    for (kind, file, line, error), group in banner_tests.items():
        first = group[0][0]
        code = next((o.details for o, _ in group if o.details and show_code(o)), "")
        banners.append(Banner(
            kind=kind, file=file, line=line, error=error,
            message="" if error else split_case(str(first.message.get(lang) or ""))[1],
            code=code if kind == "syntax_error" else "",
            tests=tuple(ref for _, ref in group),
            lost=round_points(sum(ref.lost for _, ref in group))))
    causes = [Cause(kind=key[0], key=key[1], text=texts[key],
                    status=str(max((o.status for o, _ in group), key=lambda s: s.severity)),
                    tests=tuple(ref for _, ref in group),
                    lost=round_points(sum(ref.lost for _, ref in group)))
              for key, group in cause_tests.items()]
    causes.sort(key=lambda c: (-c.lost, -len(c.tests)))
    covered = {o.test_id for group in banner_tests.values() for o, _ in group}
    return tuple(banners), tuple(causes), covered
