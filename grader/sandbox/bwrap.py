"""What a sandboxed process sees: bubblewrap's command line, the environment, the paths.

Shared by both ways of starting a worker (a process per submission, or a fork of the
zygote): the system and Python read-only, ``grader/worker`` mounted alone at
``SANDBOX_LIB``, private ``/tmp``, ``/proc`` and ``/dev``, a cleared environment.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import grader

GRADER_PACKAGE = Path(grader.__file__).resolve().parent
WORKER_PACKAGE = GRADER_PACKAGE / "worker"
SANDBOX_ROOT = "/submission"
SANDBOX_LIB = "/opt/nngrader"

SYSTEM_READ_ONLY = ["/usr", "/lib", "/lib64", "/bin", "/etc/ld.so.cache",
                    "/sys/devices/system/cpu", "/proc/self", "/dev/urandom"]
BOOT = ("import sys; sys.path.insert(0, {lib!r}); "
        "from grader.worker.{module} import main; main()")


def python_paths() -> list[str]:
    """Directories the interpreter and its site-packages live in."""
    paths = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix), sys.prefix}
    executable = os.path.realpath(sys.executable)
    paths.add(os.path.dirname(os.path.dirname(executable)))
    return sorted(path for path in paths if not path.startswith("/usr/"))


def fallback_read_only() -> list[str]:
    """What a fallback worker may read (Landlock): the system, Python, the worker code."""
    return SYSTEM_READ_ONLY + python_paths() + [
        str(WORKER_PACKAGE), str(GRADER_PACKAGE / "__init__.py")]


def boot_command(module: str, config: str, *, inside_bwrap: bool) -> list[str]:
    """``python -I -c ...`` that starts ``grader.worker.<module>.main()``."""
    lib = SANDBOX_LIB if inside_bwrap else str(GRADER_PACKAGE.parent)
    return [sys.executable, "-I", "-c", BOOT.format(lib=lib, module=module), config]


def worker_env(tmp: str) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": tmp,
        "TMPDIR": tmp,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": os.path.join(tmp, "matplotlib"),
    }


def bwrap_base(tmp_mb: int, env_tmp: str) -> list[str]:
    """bubblewrap arguments shared by every sandbox: read-only system and Python,
    the worker package, private /tmp, /proc and /dev, a cleared environment."""
    # bubblewrap applies mounts in order: the private /tmp (and /proc, /dev) first, so
    # that a Python environment or checkout under /tmp is bound on top of it, not hidden.
    command = [shutil.which("bwrap") or "bwrap",
               "--unshare-all", "--unshare-user", "--uid", "1000", "--gid", "1000",
               "--die-with-parent", "--new-session", "--hostname", "grader",
               "--size", str(tmp_mb * 1024 * 1024), "--tmpfs", "/tmp",
               "--proc", "/proc", "--dev", "/dev",
               "--ro-bind", "/usr", "/usr"]
    for link in ("bin", "lib", "lib64", "sbin"):
        top = Path("/") / link
        if top.is_symlink():
            command += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            command += ["--ro-bind", str(top), str(top)]
    command += ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    for path in python_paths():
        command += ["--ro-bind", path, path]
    command += ["--ro-bind", str(GRADER_PACKAGE / "__init__.py"),
                f"{SANDBOX_LIB}/grader/__init__.py",
                "--ro-bind", str(WORKER_PACKAGE), f"{SANDBOX_LIB}/grader/worker",
                "--clearenv"]
    for key, value in worker_env(env_tmp).items():
        command += ["--setenv", key, value]
    return command
