"""Which isolation this machine gives student code: bubblewrap namespaces or the fallback.

Probed once per process. The fallback (rlimits, Landlock and seccomp in the worker
itself, a scratch folder on the judge's disk) is used with one warning when bubblewrap
cannot create namespaces here; which one was in force is recorded with every result.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import warnings

from grader.errors import UserError

BUBBLEWRAP = "bubblewrap"
FALLBACK = "rlimits+landlock+seccomp"

_probe_lock = threading.Lock()
_probe_result: dict[str, str | None] = {}
_warned = False


class IsolationUnavailable(UserError):
    """The isolation asked for on the command line cannot be had on this machine."""


def bubblewrap_problem() -> str | None:
    """None when bubblewrap works here, else why not (probed once per process)."""
    with _probe_lock:
        if "result" not in _probe_result:
            _probe_result["result"] = _probe_bubblewrap()
        return _probe_result["result"]


def _probe_bubblewrap() -> str | None:
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bwrap is not installed (apt-get install bubblewrap)"
    try:
        result = subprocess.run(
            [bwrap, "--unshare-all", "--unshare-user", "--die-with-parent",
             "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib",
             "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin",
             "--proc", "/proc", "--dev", "/dev", "/bin/true"],
            capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bwrap could not run: {error}"
    if result.returncode != 0:
        reason = result.stderr.decode(errors="replace").strip()
        return f"bwrap cannot create namespaces here: {reason}"
    return None


def choose_isolation(requested: str = "auto") -> str:
    """Resolve ``auto``/``bubblewrap``/``fallback`` to the isolation that will be used."""
    global _warned
    requested = os.environ.get("GRADER_ISOLATION", requested)
    if requested in ("fallback", "rlimits", FALLBACK):
        return FALLBACK
    problem = bubblewrap_problem()
    if problem is None:
        return BUBBLEWRAP
    if requested == "bubblewrap":
        raise IsolationUnavailable(f"bubblewrap was requested but {problem}")
    if not _warned:
        _warned = True
        warnings.warn(f"No namespace sandbox: {problem}. Student code runs with rlimits, "
                      "Landlock and seccomp only.", RuntimeWarning, stacklevel=2)
    return FALLBACK


def describe_isolation(isolation: str, hello: dict) -> str:
    """One line for the report: what confined this submission's code."""
    parts = [isolation]
    if hello.get("namespaces"):
        parts.append("own " + "/".join(hello["namespaces"]) + " namespaces")
    if hello.get("landlock"):
        parts.append(f"landlock v{hello['landlock']}")
    if hello.get("seccomp"):
        parts.append("seccomp")
    return ", ".join(parts)
