"""The zygote: a warm process that forks one fresh worker per submission.

Starting Python and importing numpy and matplotlib costs about half a second; a fork
costs milliseconds. The judge starts one zygote (inside bubblewrap when available) with
those modules imported. The zygote itself never runs student code: for each submission
it forks a child that

1. leaves the zygote's namespaces for new PID, network, IPC and mount namespaces (when
   ``namespaces`` is on) and becomes PID 1 of its own PID namespace;
2. mounts its own job directory at ``/submission``, hides every other job directory,
   gets a private size-capped ``/tmp`` and a ``/proc`` showing only itself;
3. drops every capability, then confines itself like any worker (rlimits, Landlock,
   seccomp: see ``confine``) and serves the judge (``server.run_worker``).

So each submission still gets a sandbox of its own, never reused; only the start-up is
shared. The control messages are typed and versioned in ``zygote_protocol``.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import select
import signal
import socket
import sys
from grader.worker import confine
from grader.worker import zygote_protocol as protocol


def _preload(modules: list[str]) -> list[str]:
    loaded = []
    for name in modules:
        try:
            module = importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a missing optional module is only slower later
            continue
        if name == "matplotlib":
            module.use("Agg")
        loaded.append(name)
    _warm_up(loaded)
    return loaded


def _warm_up(loaded: list[str]) -> None:
    """Pay first-use costs once, for every child: fonts, the Agg renderer, PNG, text I/O.

    A student's script typically plots its loss and saves a PNG; in a fresh process the
    first figure costs ~0.2 s (font files parsed, caches built). Done here, it is free.
    """
    import io

    if "numpy" in loaded:
        import numpy as np
        np.genfromtxt(io.StringIO("a,b\n1,2\n3,4\n"), delimiter=",", names=True)
        np.linalg.lstsq(np.eye(3), np.ones(3), rcond=None)
    if "matplotlib.pyplot" in loaded:
        import matplotlib.pyplot as plt
        figure, (left, right) = plt.subplots(1, 2, figsize=(4, 2))
        left.scatter([0, 1], [1, 2], s=4, label="data")
        left.plot([0, 1], [1, 2], label="fit")
        left.legend()
        left.set_xlabel("x")
        right.plot([1.0, 0.1, 0.01])
        right.set_yscale("log")
        right.set_title("loss")
        figure.tight_layout()
        figure.savefig(io.BytesIO(), format="png", dpi=50)
        plt.close(figure)


def _send(control: socket.socket, message: protocol.Message) -> None:
    control.send(protocol.encode(message))


def _child(config: dict, request: protocol.Spawn, fds: list[int],
           control: socket.socket) -> None:
    """In the forked child: isolate, confine, serve. Never returns."""
    try:
        channel_fd, output_fd = fds
        control.close()
        # A session (and process group) of its own: kill(0, sig), which seccomp allows
        # (it names the caller's own group), must not reach the zygote or other workers.
        os.setsid()
        start = 3  # every descriptor but the two of this worker (one syscall per range)
        for fd in sorted({channel_fd, output_fd}):
            if fd >= start:
                os.closerange(start, fd)
                start = fd + 1
        os.closerange(start, 1024)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        confine.die_with_parent()
        worker = dict(request.config, fd=channel_fd)
        if config["namespaces"]:
            confine.unshare(confine.CLONE_NEWPID | confine.CLONE_NEWNET | confine.CLONE_NEWIPC
                            | confine.CLONE_NEWNS)
            pid = os.fork()  # the grandchild is PID 1 of the new PID namespace
            if pid:
                _, status = os.waitpid(pid, 0)
                code = os.waitstatus_to_exitcode(status)
                os._exit(code if code >= 0 else 128 - code)
            confine.die_with_parent()
            confine.private_mounts(os.path.join(config["jobs_dir"], request.job),
                                   config["inside"], config["jobs_dir"], request.tmp_mb,
                                   keep=config.get("python_paths", []))
            confine.drop_capabilities()
            worker["namespaces"] = ["pid", "net", "ipc", "mount"]
        from grader.worker.server import run_worker
        run_worker(worker)
    except BaseException as error:  # noqa: BLE001 - never fall back into the zygote's loop
        try:
            os.write(2, f"worker set-up failed: {error!r}\n".encode())
        finally:
            os._exit(71)
    os._exit(0)


def serve(config: dict) -> None:
    control = socket.socket(fileno=config["control_fd"])
    loaded = _preload(config.get("preload", []))
    import grader.worker.server  # noqa: F401 - imported once, inherited by every child

    # Everything imported so far is shared with the children copy-on-write. Freezing it
    # keeps the children's garbage collector from touching (and so copying) those pages.
    gc.collect()
    gc.freeze()
    children: dict[int, int] = {}  # pid -> spawn id
    # SIGCHLD writes to this pipe, so a dead child wakes the loop at once.
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    signal.set_wakeup_fd(wake_write, warn_on_full_buffer=False)
    _send(control, protocol.Ready(pid=os.getpid(), preloaded=loaded, version=protocol.VERSION))
    while True:
        while children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            code = os.waitstatus_to_exitcode(status)
            spawn_id = children.pop(pid, None)
            if spawn_id is not None:
                _send(control, protocol.Exited(id=spawn_id,
                                               status=code if code >= 0 else 128 - code))
        ready, _, _ = select.select([control.fileno(), wake_read], [], [], 1.0)
        if wake_read in ready:
            try:
                os.read(wake_read, 512)
            except BlockingIOError:
                pass
        if control.fileno() not in ready:
            continue
        data, fds, _, _ = socket.recv_fds(control, 1 << 20, 4)
        if not data:
            break  # the judge is gone
        request = protocol.decode(data)
        if isinstance(request, protocol.Spawn):
            pid = os.fork()
            if pid == 0:
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                os.close(wake_read)
                os.close(wake_write)
                _child(config, request, fds, control)
            for fd in fds:
                os.close(fd)
            children[pid] = request.id
            _send(control, protocol.Spawned(id=request.id))
        elif isinstance(request, protocol.Kill):
            for pid, spawn_id in list(children.items()):
                if spawn_id == request.id:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
    for pid in children:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def main() -> None:
    serve(json.loads(sys.argv[1]))


if __name__ == "__main__":
    main()
