"""A manifest's ``[[conventions]]``: the quantities the slides allow to be computed in more
than one way, each way earning full marks and named in the report when recognised."""

from __future__ import annotations

from dataclasses import dataclass

from grader.i18n import Bilingual
from grader.manifest.schema import ManifestError, bilingual


@dataclass(frozen=True)
class AcceptedConvention:
    """One way the slides compute a quantity; it earns full marks."""

    id: str
    title: Bilingual
    recognised: Bilingual
    """What the report says when a submission is recognised to use it."""
    slides: tuple[str, ...]
    """Where the slides show it: deck number and heading, e.g. ``004 「計算グラフの一般化(4)」``."""
    sample: str | None = None
    """The sample student that uses it (``submissions/<assignment>/<sample>/``)."""


@dataclass(frozen=True)
class Convention:
    """A quantity the slides allow to be computed in more than one way."""

    id: str
    title: Bilingual
    accepted: tuple[AcceptedConvention, ...]

    def accepted_as(self, accepted_id: str) -> AcceptedConvention | None:
        return next((a for a in self.accepted if a.id == accepted_id), None)


def conventions(name: str, entries: object) -> tuple[Convention, ...]:
    """``[[conventions]]`` with their ``[[conventions.accepted]]`` ways, checked."""
    if not isinstance(entries, list):
        raise ManifestError(f"{name}: conventions must be an array of tables")
    found: list[Convention] = []
    for index, entry in enumerate(entries):
        where = f"{name}: conventions[{index}]"
        convention_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(convention_id, str) or not convention_id:
            raise ManifestError(f"{where} needs an id")
        if any(c.id == convention_id for c in found):
            raise ManifestError(f"{where}: convention {convention_id!r} is declared twice")
        accepted = []
        for number, way in enumerate(entry.get("accepted", [])):
            here = f"{where}.accepted[{number}]"
            slides = way.get("slides")
            if not isinstance(way.get("id"), str) or not isinstance(slides, list) or not slides \
                    or not all(isinstance(slide, str) for slide in slides):
                raise ManifestError(f"{here} needs an id and slides = [\"NNN 「heading」\", ...]")
            accepted.append(AcceptedConvention(
                id=way["id"], title=bilingual(way.get("title", way["id"]), f"{here} title"),
                recognised=bilingual(way.get("recognised", way["id"]), f"{here} recognised"),
                slides=tuple(slides), sample=way.get("sample")))
        if len(accepted) < 2 or len({a.id for a in accepted}) != len(accepted):
            raise ManifestError(f"{where}: a convention needs two or more accepted ways with "
                                f"different ids")
        found.append(Convention(id=convention_id,
                                title=bilingual(entry.get("title", convention_id),
                                                 f"{where} title"),
                                accepted=tuple(accepted)))
    return tuple(found)
