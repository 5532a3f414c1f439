"""nn-grader: grades a numpy neural-network course.

The package is split by trust:

* ``grader.worker`` runs inside the student sandbox. It imports nothing else from
  ``grader`` so that it can be mounted alone into the sandbox.
* everything else is trusted: the judge (pytest + reference + hidden tests), the
  batch runner, the gradebook and the reports.

This module stays import-free: the sandboxed worker imports it as its parent package.
"""

__version__ = "0.1.0"
