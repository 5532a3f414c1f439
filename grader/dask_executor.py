"""Scale-out on an existing Dask distributed cluster (optional: ``pip install nn-grader[dask]``).

The grader does not build a cluster; it submits jobs to one. Each job is plain data
(``JobSpec.to_dict()``, the submission's files included) and comes back as plain data
(``JobResult.to_dict()``); the gradebook is written here, by the process that submitted
the jobs, exactly as with the local executor, so runs stay resumable.

Every Dask worker needs this package and the course directory (assignments/ and
reference/, at the same path or at ``$GRADER_COURSE``), and bubblewrap for the sandbox.
A Dask worker process acts as a warm judge: pytest, numpy, the reference and a zygote
stay loaded between jobs. Jobs in one worker process run one at a time (pytest is not
thread-safe), so start workers with one thread each and as many processes as cores::

    dask scheduler                                   # on one machine
    dask worker tcp://SCHEDULER:8786 --nworkers 8 --nthreads 1   # on each grading machine
    grader grade --executor dask --scheduler tcp://SCHEDULER:8786
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator

from grader.results import JobResult, JobSpec

_one_job_at_a_time = threading.Lock()


def grade_on_worker(spec_data: dict) -> dict:
    """Runs on a Dask worker: grade one submission with the local course copy."""
    from grader.judge.job import run_job

    spec = JobSpec.from_dict(spec_data)
    course = os.environ.get("GRADER_COURSE")
    if course:
        spec = JobSpec.from_dict({**spec_data, "course_root": course})
    with _one_job_at_a_time:
        return run_job(spec).to_dict()


class DaskExecutor:
    """Sends jobs to the Dask scheduler at ``address`` (or uses an existing ``client``)."""

    def __init__(self, address: str | None = None, client: object | None = None) -> None:
        from distributed import Client

        self.client = client if client is not None else Client(address)
        self.owns_client = client is None

    def run(self, specs: Iterable[JobSpec]) -> Iterator[JobResult]:
        from distributed import as_completed

        pending = {}
        for spec in specs:
            future = self.client.submit(  # type: ignore[attr-defined]
                grade_on_worker, spec.to_dict(), pure=False,
                key=f"grade-{spec.assignment}-{spec.student_id}-{spec.submission_hash[:12]}")
            pending[future.key] = (future, spec)
        for future in as_completed([future for future, _ in pending.values()]):
            spec = pending[future.key][1]
            try:
                yield JobResult.from_dict(future.result())
            except Exception as error:  # noqa: BLE001 - a lost worker is a grader fault
                yield JobResult.crashed(spec, "", f"Dask worker failed: {error!r}")

    def close(self) -> None:
        if self.owns_client:
            self.client.close()  # type: ignore[attr-defined]
