"""Messages in Japanese and English, kept as data.

One catalogue per language (``grader/messages/<lang>.toml``), keyed by dotted ids. A
message is built once in both languages and stored that way (``{"ja": ..., "en": ...}``),
so the same diagnosis reads the same in a test failure, a report and an export, and a
translator edits one file.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("ja", "en")
CATALOGUE_DIR = Path(__file__).with_name("messages")

Bilingual = dict[str, str]


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Flattened ``{"section.key": template}`` for one language."""
    with open(CATALOGUE_DIR / f"{lang}.toml", "rb") as handle:
        data = tomllib.load(handle)
    flat: dict[str, str] = {}

    def walk(prefix: str, node: dict) -> None:
        for key, value in node.items():
            if isinstance(value, dict):
                walk(f"{prefix}{key}.", value)
            else:
                flat[f"{prefix}{key}"] = value

    walk("", data)
    return flat


class _Lenient(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def text(key: str, lang: str, **params: Any) -> str:
    """One message in one language; a missing parameter stays visible as ``{name}``."""
    template = catalogue(lang).get(key) or catalogue("en").get(key) or key
    try:
        return template.format_map(_Lenient(params))
    except (ValueError, TypeError):
        return template


def message(key: str, **params: Any) -> Bilingual:
    """The message in every language, with language-specific parameters resolved.

    A parameter that is itself bilingual (a dict with ``ja``/``en``) is substituted in
    the matching language.
    """
    result = {}
    for lang in LANGUAGES:
        local = {name: (value[lang] if isinstance(value, dict) and lang in value else value)
                 for name, value in params.items()}
        result[lang] = text(key, lang, **local)
    return result


def same(text_in_both: str) -> Bilingual:
    """A message that reads the same in both languages (a code excerpt, a number)."""
    return {lang: text_in_both for lang in LANGUAGES}


def join(*parts: Bilingual, separator: str = " ") -> Bilingual:
    return {lang: separator.join(part[lang] for part in parts if part.get(lang))
            for lang in LANGUAGES}
