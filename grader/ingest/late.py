"""Lateness: the manifest's deadline and policy applied to the time the source gives.

The result is a :class:`grader.results.Lateness` (``IngestFacts.late``): the deadline,
the submission time (None when the source gives none), the days late, the penalty in
points, the policy in words, where the time came from, and whether the LMS said LATE.

Days late count every started 24 hours after the deadline, once the grace period is
over (one minute past a 23:59 deadline without grace is one day). The penalty is in
points, capped by ``max_penalty`` and by the maximum points. The report subtracts it;
an instructor can waive it (grader/adjustments.py).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

from grader.manifest import LatePolicy
from grader.results import Lateness, round_points

Note = tuple[str, dict]


def _moment(value: dt.datetime) -> str:
    return value.isoformat(timespec="minutes")


def aware(value: dt.datetime | None, policy: LatePolicy | None) -> dt.datetime | None:
    """A zip's naive local time read in the deadline's timezone (the course's)."""
    if value is None or value.tzinfo is not None or policy is None:
        return value
    return value.replace(tzinfo=policy.deadline.tzinfo)


def days_late(policy: LatePolicy, submitted_at: dt.datetime) -> int:
    if submitted_at <= policy.cutoff:
        return 0
    return max(1, math.ceil((submitted_at - policy.deadline) / dt.timedelta(days=1)))


def penalty(policy: LatePolicy, days: int, max_points: float) -> float:
    points = policy.penalty_per_day.points(max_points) * days
    if policy.max_penalty is not None:
        points = min(points, policy.max_penalty.points(max_points))
    return round_points(min(points, max_points))


def assess(policy: LatePolicy | None, submitted_at: dt.datetime | None, *,
           max_points: float, time_source: str | None = None, lms: str = "",
           lms_late: bool = False) -> tuple[Lateness | None, list[Note]]:
    """The lateness (None when there is nothing to say) and warnings for the report."""
    if policy is None:
        if lms_late:
            return None, [("lms_late_no_policy", {"lms": lms})]
        return None, []
    submitted_at = aware(submitted_at, policy)
    late = Lateness(deadline=policy.deadline.isoformat(), policy=policy.summary(),
                    time_source=time_source, lms_flag=lms_late)
    if submitted_at is None:
        if lms_late:
            return late, [("late_no_time", {"lms": lms})]
        return None, []
    days = days_late(policy, submitted_at)
    late = replace(late, submitted_at=submitted_at.isoformat(), days_late=days,
                   penalty=penalty(policy, days, max_points))
    params = {"submitted": _moment(submitted_at), "deadline": _moment(policy.deadline),
              "days": days, "penalty": late.penalty, "policy": policy.summary(),
              "source": {"ja": "", "en": ""}}
    if time_source:
        from grader import i18n
        params["source"] = i18n.message(f"ingest.time_{time_source}")
    if days:
        return late, [("late", params)]
    if submitted_at > policy.deadline:
        minutes = math.ceil((submitted_at - policy.deadline) / dt.timedelta(minutes=1))
        return late, [("late_within_grace", {**params, "minutes": minutes})]
    return late, []
