"""Measurements, never tests with thresholds.

* ``throughput`` (``grader bench``): the grader against one ``pytest`` subprocess per
  submission (``baseline`` is the pytest plugin that run uses) and against the same tests
  in one process, in the same run;
* ``rendering`` (``python -m grader.bench.rendering``): how long reports for a class take;
* ``synthetic``: made-up results shaped like a real class, for ``rendering`` and for
  the report's own tests.
"""

from grader.bench.throughput import bench, format_report, write_json

__all__ = ["bench", "format_report", "write_json"]
