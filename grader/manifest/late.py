"""A manifest's deadline and ``[late]`` table: how late work is scored."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

from grader.manifest.schema import ManifestError


RESUBMISSION_POLICIES = ("last_before_deadline", "last")
LATE_KEYS = ("grace_minutes", "penalty_per_day", "max_penalty", "resubmissions")


@dataclass(frozen=True)
class Amount:
    """Points, or a fraction of the assignment's maximum (written ``"10%"``)."""

    value: float
    fraction: bool = False

    def points(self, max_points: float) -> float:
        return self.value * max_points if self.fraction else self.value

    def __str__(self) -> str:
        return f"{self.value * 100:g}%" if self.fraction else f"{self.value:g} points"


@dataclass(frozen=True)
class LatePolicy:
    """``[assignment] deadline`` and the ``[late]`` table (see the module docstring)."""

    deadline: dt.datetime
    """Timezone-aware."""
    grace_minutes: float = 0.0
    penalty_per_day: Amount = Amount(0.0)
    max_penalty: Amount | None = None
    resubmissions: str = "last_before_deadline"

    @property
    def cutoff(self) -> dt.datetime:
        """The last moment that still counts as on time (deadline plus grace)."""
        return self.deadline + dt.timedelta(minutes=self.grace_minutes)

    def summary(self) -> str:
        """A short description, e.g. ``10%/day late, at most 50%, 10 min grace``."""
        parts = [f"{self.penalty_per_day}/day late"]
        if self.max_penalty is not None:
            parts.append(f"at most {self.max_penalty}")
        if self.grace_minutes:
            parts.append(f"{self.grace_minutes:g} min grace")
        parts.append(self.resubmissions.replace("_", " ") + " counts")
        return ", ".join(parts)


def amount(name: str, key: str, value: object) -> Amount:
    """``"10%"`` (of the maximum points) or a number of points, never negative."""
    where = f"{name}: [late] {key}"
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            percent = float(value.strip()[:-1])
        except ValueError:
            raise ManifestError(f"{where} = {value!r}: write a percentage like \"10%\"") from None
        if not 0 <= percent <= 100:
            raise ManifestError(f"{where} = {value!r}: a percentage between 0% and 100%")
        return Amount(percent / 100, fraction=True)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ManifestError(f"{where} = {value!r}: points (a number >= 0) or a percentage "
                            f"of the maximum like \"10%\"")
    return Amount(float(value))


def late_policy(name: str, info: dict, late: object) -> LatePolicy | None:
    """The deadline and ``[late]`` table, checked (None without a deadline)."""
    deadline = info.get("deadline")
    if deadline is None:
        if late:
            raise ManifestError(f"{name}: [late] needs [assignment] deadline")
        return None
    if isinstance(deadline, str):
        try:
            deadline = dt.datetime.fromisoformat(deadline)
        except ValueError:
            raise ManifestError(f"{name}: [assignment] deadline = {deadline!r} is not an ISO "
                                f"date-time like 2025-05-20T23:59:00+09:00") from None
    if not isinstance(deadline, dt.datetime) or deadline.tzinfo is None:
        raise ManifestError(f"{name}: [assignment] deadline must be a date-time with its UTC "
                            f"offset, like 2025-05-20T23:59:00+09:00 (got {deadline!r})")
    table = late if isinstance(late, dict) else {}
    if late is not None and not isinstance(late, dict):
        raise ManifestError(f"{name}: [late] must be a table")
    for key in table:
        if key not in LATE_KEYS:
            close = difflib.get_close_matches(key, LATE_KEYS, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ManifestError(f"{name}: [late] has an unknown key {key!r}{hint}; known: "
                                f"{', '.join(LATE_KEYS)}")
    grace = table.get("grace_minutes", 0)
    if isinstance(grace, bool) or not isinstance(grace, (int, float)) or grace < 0:
        raise ManifestError(f"{name}: [late] grace_minutes must be a number >= 0")
    resubmissions = table.get("resubmissions", "last_before_deadline")
    if resubmissions not in RESUBMISSION_POLICIES:
        raise ManifestError(f"{name}: [late] resubmissions must be one of "
                            f"{', '.join(RESUBMISSION_POLICIES)} (got {resubmissions!r})")
    cap = table.get("max_penalty")
    return LatePolicy(deadline=deadline, grace_minutes=float(grace),
                      penalty_per_day=amount(name, "penalty_per_day",
                                              table.get("penalty_per_day", 0)),
                      max_penalty=None if cap is None else amount(name, "max_penalty", cap),
                      resubmissions=resubmissions)
