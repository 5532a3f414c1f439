"""A warm judge process: grades job after job without paying start-up again.

Started by the local executor as ``python -m grader.judge.serve FD``. It reads one
JSON job spec per line on stdin and writes one JSON result per line to file descriptor
FD (stdout is left to pytest and the tests, so nothing they print can corrupt the
stream). pytest, numpy, the test modules and the reference stay imported between jobs.
When stdin closes it stops its zygote and removes its scratch space before exiting.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from typing import TextIO


def serve_jobs(results: TextIO) -> None:
    from grader.judge.job import keep_suites, run_job  # the expensive imports, paid once
    keep_suites()
    from grader.results import JobResult, JobSpec

    results.write(json.dumps({"ready": os.getpid()}) + "\n")
    for line in sys.stdin:
        if not line.strip():
            continue
        spec = JobSpec.from_dict(json.loads(line))
        try:
            result = run_job(spec)
        except Exception:  # noqa: BLE001 - a grader fault is a result, not a dead judge
            result = JobResult.crashed(spec, "", "judge error: " + traceback.format_exc()[-3000:])
        results.write(json.dumps({"result": result.to_dict()}, ensure_ascii=False) + "\n")


def main() -> None:
    os.environ.setdefault("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    results = os.fdopen(int(sys.argv[1]), "w", buffering=1, encoding="utf-8")
    try:
        serve_jobs(results)
    finally:
        from grader.judge.job import close_spawners
        close_spawners()


if __name__ == "__main__":
    main()
