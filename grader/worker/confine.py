"""Confinement the worker applies to itself before it imports any student code.

Three layers, each useful on its own:

* **rlimits**: address space, CPU seconds, file size, open files, no core dumps.
  ``RLIMIT_NPROC`` is set too, but the kernel ignores it for processes of real uid 0,
  which is why process creation is also refused by seccomp.
* **seccomp**: a small BPF filter refusing the system calls no exercise needs and an
  attacker wants: new processes (fork, vfork, clone without CLONE_THREAD), exec,
  sockets, signals to other processes, ptrace and reading other processes' memory,
  namespaces, mounts, io_uring, bpf, and memory that RLIMIT_AS does not count or that
  outlives the process (memfd_create, System V shared memory, semaphores and message
  queues, POSIX message queues). Threads keep working.
* **Landlock**: the filesystem is limited to the paths the judge lists (read-only
  Python and libraries, read-write scratch). With ABI >= 4 TCP is refused, with ABI >= 6
  signals and abstract unix sockets outside the sandbox are refused as well.

bubblewrap namespaces, when present, come on top (see ``grader.sandbox``). Each layer
reports whether it took effect, and the judge records that in the gradebook.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import resource
import struct

# ----------------------------------------------------------------------------- rlimits


def apply_rlimits(*, memory_mb: int, cpu_seconds: int, file_size_mb: int,
                  processes: int, open_files: int = 256) -> None:
    """Lower this process's resource limits (they can only go down from here)."""

    def lower(which: int, value: int) -> None:
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, value if which != resource.RLIMIT_CPU else value + 1))

    lower(resource.RLIMIT_AS, memory_mb * 1024 * 1024)
    lower(resource.RLIMIT_CPU, cpu_seconds)
    lower(resource.RLIMIT_FSIZE, file_size_mb * 1024 * 1024)
    lower(resource.RLIMIT_NOFILE, open_files)
    lower(resource.RLIMIT_CORE, 0)
    lower(resource.RLIMIT_NPROC, max(processes, 1))


# ----------------------------------------------------------------------------- seccomp

_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}

# System calls refused with EPERM (by name; numbers per architecture below).
_DENIED = (
    "fork", "vfork", "execve", "execveat", "ptrace", "process_vm_readv", "process_vm_writev",
    "socket", "socketpair", "unshare", "setns", "mount", "umount2", "pivot_root", "chroot",
    "bpf", "perf_event_open", "keyctl", "add_key", "request_key", "userfaultfd",
    "io_uring_setup", "io_uring_enter", "io_uring_register", "pidfd_open", "pidfd_send_signal",
    "pidfd_getfd", "tkill", "kexec_load", "init_module", "finit_module", "delete_module",
    "reboot", "swapon", "swapoff", "acct", "mknod", "mknodat", "personality",
    "open_by_handle_at", "name_to_handle_at",
    # Memory outside RLIMIT_AS (a memfd is written, never mapped) or outliving the worker
    # (System V IPC objects stay in the IPC namespace, which the fallback shares).
    "memfd_create", "shmget", "shmat", "shmctl", "shmdt", "semget", "semctl", "semop",
    "semtimedop", "msgget", "msgctl", "msgsnd", "msgrcv", "mq_open",
)

_SYSCALLS = {
    "x86_64": {
        "clone": 56, "fork": 57, "vfork": 58, "execve": 59, "kill": 62, "ptrace": 101,
        "tkill": 200, "tgkill": 234, "socket": 41, "socketpair": 53, "unshare": 272,
        "setns": 308, "mount": 165, "umount2": 166, "pivot_root": 155, "chroot": 161,
        "process_vm_readv": 310, "process_vm_writev": 311, "bpf": 321,
        "perf_event_open": 298, "keyctl": 250, "add_key": 248, "request_key": 249,
        "execveat": 322, "userfaultfd": 323, "io_uring_setup": 425, "io_uring_enter": 426,
        "io_uring_register": 427, "pidfd_open": 434, "clone3": 435, "pidfd_send_signal": 424,
        "pidfd_getfd": 438, "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297,
        "kexec_load": 246, "init_module": 175, "finit_module": 313, "delete_module": 176,
        "reboot": 169, "swapon": 167, "swapoff": 168, "acct": 163, "mknod": 133,
        "mknodat": 259, "personality": 135, "open_by_handle_at": 304,
        "name_to_handle_at": 303, "seccomp": 317, "memfd_create": 319, "shmget": 29,
        "shmat": 30, "shmctl": 31, "shmdt": 67, "semget": 64, "semop": 65, "semctl": 66,
        "semtimedop": 220, "msgget": 68, "msgsnd": 69, "msgrcv": 70, "msgctl": 71,
        "mq_open": 240,
    },
    "aarch64": {
        "clone": 220, "execve": 221, "kill": 129, "tkill": 130, "tgkill": 131, "ptrace": 117,
        "socket": 198, "socketpair": 199, "unshare": 97, "setns": 268, "mount": 40,
        "umount2": 39, "pivot_root": 41, "chroot": 51, "process_vm_readv": 270,
        "process_vm_writev": 271, "bpf": 280, "perf_event_open": 241, "keyctl": 219,
        "add_key": 217, "request_key": 218, "execveat": 281, "userfaultfd": 282,
        "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
        "pidfd_open": 434, "clone3": 435, "pidfd_send_signal": 424, "pidfd_getfd": 438,
        "rt_sigqueueinfo": 138, "rt_tgsigqueueinfo": 240, "kexec_load": 104,
        "init_module": 105, "finit_module": 273, "delete_module": 106, "reboot": 142,
        "swapon": 224, "swapoff": 225, "acct": 89, "mknodat": 33, "personality": 92,
        "open_by_handle_at": 265, "name_to_handle_at": 264, "seccomp": 277,
        "memfd_create": 279, "mq_open": 180, "msgget": 186, "msgctl": 187, "msgrcv": 188,
        "msgsnd": 189, "semget": 190, "semctl": 191, "semtimedop": 192, "semop": 193,
        "shmget": 194, "shmctl": 195, "shmat": 196, "shmdt": 197,
    },
}

_LD_ABS_W = 0x20
_JEQ = 0x15
_JGE = 0x35
_JSET = 0x45
_RET = 0x06
_ALLOW = 0x7FFF0000
_KILL_PROCESS = 0x80000000
_CLONE_THREAD = 0x00010000
_NR, _ARCH, _ARG0 = 0, 4, 16


def _errno(code: int) -> int:
    return 0x00050000 | code


def build_seccomp_filter(arch: str, own_pid: int) -> list[tuple[int, int, int, int]]:
    """The BPF program as (code, jt, jf, k) instructions."""
    numbers = _SYSCALLS[arch]
    program = [
        (_LD_ABS_W, 0, 0, _ARCH),
        (_JEQ, 1, 0, _AUDIT_ARCH[arch]),
        (_RET, 0, 0, _KILL_PROCESS),
        (_LD_ABS_W, 0, 0, _NR),
    ]
    if arch == "x86_64":  # the x32 ABI would bypass every number below
        program += [(_JGE, 0, 1, 0x40000000), (_RET, 0, 0, _KILL_PROCESS)]
    # clone: threads (CLONE_THREAD) yes, processes no.
    program += [
        (_JEQ, 0, 4, numbers["clone"]),
        (_LD_ABS_W, 0, 0, _ARG0),
        (_JSET, 0, 1, _CLONE_THREAD),
        (_RET, 0, 0, _ALLOW),
        (_RET, 0, 0, _errno(errno.EPERM)),
    ]
    # clone3 passes its flags in memory BPF cannot read: ENOSYS makes libc fall back to clone.
    program += [(_JEQ, 0, 1, numbers["clone3"]), (_RET, 0, 0, _errno(errno.ENOSYS))]
    # kill(pid, sig): only to itself, or 0: its own process group, which is itself (a
    # worker is a session leader: start_new_session, bwrap --new-session, or setsid in
    # the zygote's child).
    program += [
        (_JEQ, 0, 5, numbers["kill"]),
        (_LD_ABS_W, 0, 0, _ARG0),
        (_JEQ, 2, 0, own_pid),
        (_JEQ, 1, 0, 0),
        (_RET, 0, 0, _errno(errno.EPERM)),
        (_RET, 0, 0, _ALLOW),
    ]
    # tgkill and the sigqueue calls take the target thread group first.
    for name in ("tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo"):
        program += [
            (_JEQ, 0, 4, numbers[name]),
            (_LD_ABS_W, 0, 0, _ARG0),
            (_JEQ, 1, 0, own_pid),
            (_RET, 0, 0, _errno(errno.EPERM)),
            (_RET, 0, 0, _ALLOW),
        ]
    # Reload the syscall number after the argument loads above.
    program.append((_LD_ABS_W, 0, 0, _NR))
    for name in _DENIED:
        if name in numbers:
            program += [(_JEQ, 0, 1, numbers[name]), (_RET, 0, 0, _errno(errno.EPERM))]
    program.append((_RET, 0, 0, _ALLOW))
    return program


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def apply_seccomp() -> bool:
    """Install the filter on every thread of this process. False if unsupported here."""
    arch = platform.machine()
    if arch not in _SYSCALLS:
        return False
    program = build_seccomp_filter(arch, os.getpid())
    raw = b"".join(struct.pack("=HBBI", *instruction) for instruction in program)
    buffer = ctypes.create_string_buffer(raw, len(raw))
    prog = _SockFprog(len(program), ctypes.cast(buffer, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        return False
    seccomp_set_mode_filter, tsync = 1, 1
    result = libc.syscall(_SYSCALLS[arch]["seccomp"], seccomp_set_mode_filter, tsync,
                          ctypes.byref(prog))
    return result == 0


# ----------------------------------------------------------------------------- landlock

_LANDLOCK_CREATE, _LANDLOCK_ADD_RULE, _LANDLOCK_RESTRICT = 444, 445, 446
_FS_EXECUTE, _FS_WRITE_FILE, _FS_READ_FILE, _FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_FS_TRUNCATE, _FS_IOCTL_DEV = 1 << 14, 1 << 15
_FILE_ONLY = _FS_EXECUTE | _FS_WRITE_FILE | _FS_READ_FILE | _FS_TRUNCATE | _FS_IOCTL_DEV


def _fs_rights(abi: int) -> int:
    rights = (1 << 13) - 1  # ABI 1: EXECUTE .. MAKE_SYM
    if abi >= 2:
        rights |= 1 << 13  # REFER
    if abi >= 3:
        rights |= _FS_TRUNCATE
    if abi >= 5:
        rights |= _FS_IOCTL_DEV
    return rights


def landlock_abi() -> int:
    if platform.machine() not in _SYSCALLS:  # syscall numbers are shared by both arches
        return 0
    libc = ctypes.CDLL(None, use_errno=True)
    version = libc.syscall(_LANDLOCK_CREATE, None, 0, 1)  # LANDLOCK_CREATE_RULESET_VERSION
    return max(version, 0)


def apply_landlock(read_only: list[str], read_write: list[str]) -> int:
    """Restrict the filesystem to the given paths. Returns the ABI used (0: not applied)."""
    abi = landlock_abi()
    if abi == 0:
        return 0
    libc = ctypes.CDLL(None, use_errno=True)
    handled_fs = _fs_rights(abi)
    attr = struct.pack("=Q", handled_fs)
    if abi >= 4:
        attr += struct.pack("=Q", 0b11)  # BIND_TCP | CONNECT_TCP
    if abi >= 6:
        attr += struct.pack("=Q", 0b11)  # scope: abstract unix sockets, signals
    attr_buffer = ctypes.create_string_buffer(attr, len(attr))
    ruleset = libc.syscall(_LANDLOCK_CREATE, attr_buffer, len(attr), 0)
    if ruleset < 0:
        return 0
    try:
        read_rights = _FS_EXECUTE | _FS_READ_FILE | _FS_READ_DIR
        for paths, rights in ((read_only, read_rights), (read_write, handled_fs)):
            for path in paths:
                try:
                    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
                except OSError:
                    continue  # a path that does not exist here needs no rule
                try:
                    allowed = rights
                    if not os.path.isdir(path):
                        allowed &= _FILE_ONLY
                    rule = ctypes.create_string_buffer(struct.pack("=Qi", allowed, fd), 12)
                    if libc.syscall(_LANDLOCK_ADD_RULE, ruleset, 1, rule, 0) != 0:
                        return 0
                finally:
                    os.close(fd)
        if libc.prctl(38, 1, 0, 0, 0) != 0:
            return 0
        if libc.syscall(_LANDLOCK_RESTRICT, ruleset, 0) != 0:
            return 0
        return abi
    finally:
        os.close(ruleset)


# ----------------------------------------------------------------------------- namespaces
# Used by the zygote's children (see grader.worker.zygote): each submission's worker
# leaves the zygote's namespaces for its own, mounts only its own scratch directory,
# then drops every capability before any student code runs.

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
_MS_REMOUNT, _MS_BIND, _MS_REC, _MS_PRIVATE = 0x20, 0x1000, 0x4000, 0x40000
_MS_RELATIME = 0x200000
_PR_SET_PDEATHSIG, _PR_CAPBSET_DROP = 1, 24


class ConfinementError(OSError):
    """A namespace or mount step failed: the worker must not run student code."""


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        code = ctypes.get_errno()
        raise ConfinementError(code, f"{what}: {os.strerror(code)}")


def unshare(flags: int) -> None:
    _check(_libc().unshare(flags), "unshare")


def die_with_parent() -> None:
    """SIGKILL this process when its parent dies (so nothing outlives the zygote)."""
    _libc().prctl(_PR_SET_PDEATHSIG, 9, 0, 0, 0)


def _mount(source: str, target: str, fstype: str | None, flags: int,
           data: str | None = None) -> None:
    _check(_libc().mount(source.encode(), target.encode(),
                         fstype.encode() if fstype else None, flags,
                         data.encode() if data else None), f"mount {target}")


def private_mounts(job_dir: str, inside: str, hide: str, scratch_mb: int,
                   keep: list[str] | None = None) -> None:
    """In a fresh mount namespace: a private copy of this job at ``inside``, nothing of others.

    ``inside`` becomes a tmpfs capped at ``scratch_mb`` (the scratch: ``scripts/``, a
    copy of the judge's, ``outputs/`` and ``tmp/``, also mounted at ``/tmp``), so however
    many files the student's code writes, it fills its own few megabytes of memory and
    never the judge's disk; ``data/`` is bound read-only. ``hide`` (where every job
    directory lives) is then covered by an empty read-only tmpfs. /proc stays the
    zygote's: the kernel refuses a new proc mount where bubblewrap has masked parts of
    /proc. Landlock limits it to /proc/self, the PID namespace makes other processes
    unreachable by signal, and workers are not dumpable, so no other worker's
    /proc/<pid>/mem can be opened.
    """
    _mount("none", "/", None, _MS_REC | _MS_PRIVATE)
    _mount("tmpfs", inside, "tmpfs", _MS_NOSUID | _MS_NODEV,
           f"size={scratch_mb}m,mode=0755")
    for sub in ("scripts", "outputs", "tmp", "data"):
        os.mkdir(os.path.join(inside, sub), 0o755)
    scripts = os.path.join(job_dir, "scripts")
    for name in os.listdir(scripts):  # plain file names, written by the judge
        source = os.path.join(scripts, name)
        if os.path.isfile(source) and not os.path.islink(source):
            with open(source, "rb") as src, open(os.path.join(inside, "scripts", name),
                                                 "wb") as dst:
                dst.write(src.read())
    data = os.path.join(inside, "data")
    _mount(os.path.join(job_dir, "data"), data, None, _MS_BIND | _MS_REC)
    _mount("none", data, None, _MS_BIND | _MS_REMOUNT | _MS_RDONLY | _locked_flags(data))
    # Python itself may live under /tmp (a checkout or a virtual environment there):
    # hold those folders by descriptor, cover /tmp, then bind them back read-only.
    held = [(path, os.open(path, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC))
            for path in (keep or []) if path.startswith("/tmp/") and os.path.isdir(path)]
    _mount(os.path.join(inside, "tmp"), "/tmp", None, _MS_BIND)
    for path, fd in held:
        os.makedirs(path, exist_ok=True)
        _mount(f"/proc/self/fd/{fd}", path, None, _MS_BIND | _MS_REC)
        _mount("none", path, None, _MS_BIND | _MS_REMOUNT | _MS_RDONLY | _locked_flags(path))
        os.close(fd)
    _mount("tmpfs", hide, "tmpfs", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC | _MS_RDONLY, "size=4k")


def _locked_flags(path: str) -> int:
    """The flags a read-only remount of ``path`` must keep: in a user namespace the
    kernel refuses to drop nosuid, nodev, noexec or the atime mode of a bind mount."""
    flag = os.statvfs(path).f_flag
    kept = flag & (os.ST_NOSUID | os.ST_NODEV | os.ST_NOEXEC | os.ST_NOATIME
                   | os.ST_NODIRATIME)  # same values as the MS_ flags
    return kept | (_MS_RELATIME if flag & os.ST_RELATIME else 0)


def not_dumpable() -> None:
    """No core dumps, and /proc/<pid>/mem, environ, ... closed to other processes."""
    _libc().prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE


def drop_capabilities() -> None:
    """Empty the bounding set and every capability set of this process."""
    libc = _libc()
    for capability in range(64):
        libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0)  # fails harmlessly past the last
    header = struct.pack("=Ii", 0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = ctypes.create_string_buffer(24)  # two empty __user_cap_data_struct
    _check(libc.capset(ctypes.create_string_buffer(header, 8), data), "capset")
