"""A student's git repository: the commit that counts, read without a checkout.

The ``git`` command line reads the repository (no network: nothing is fetched). The
commit graded is the latest made before the deadline (plus grace), unless the policy is
``resubmissions = "last"`` or there is none before; its committer time is the
submission time. Files are listed with ``git ls-tree`` and read with
``git cat-file``, so nothing is written to disk and a link in the tree (mode 120000)
is refused like a link in a zip.

The repository is the student's: git runs with no system or global configuration,
and with the repository's own settings that could start a program (hooks, fsmonitor,
signature checks) switched off.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from grader.ingest.unpack import Entry, Refusal, ignored
from grader.manifest import LatePolicy

SAFE_CONFIG = ("safe.directory=*", "core.fsmonitor=false", "core.hooksPath=/dev/null",
               "log.showSignature=false", "gpg.program=false", "gpg.ssh.program=false",
               "gpg.x509.program=false", "protocol.allow=never", "core.pager=cat")
MAX_COMMITS = 10_000


class GitError(Exception):
    """The repository cannot be read."""


@dataclass(frozen=True)
class Commit:
    sha: str
    time: dt.datetime
    subject: str


@dataclass
class Chosen:
    commit: Commit | None
    entries: list[Entry]
    refusals: list[Refusal]
    notes: list[tuple[str, dict]]


def is_repository(path: Path) -> bool:
    """A working copy (``.git/`` inside, not a link) or a bare repository."""
    dot_git = path / ".git"
    if dot_git.is_dir() and not dot_git.is_symlink():
        return True
    return (path / "HEAD").is_file() and (path / "objects").is_dir()


def _environment() -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "GIT_NO_REPLACE_OBJECTS": "1",
            "GIT_ATTR_NOSYSTEM": "1", "LC_ALL": "C"}


def git(repository: Path, *args: str, timeout: float = 60) -> bytes:
    command = ["git"]
    for setting in SAFE_CONFIG:
        command += ["-c", setting]
    command += ["-C", str(repository), *args]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout,
                              env=_environment(), stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(str(error)) from None
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip()[:300])
    return done.stdout


def commits(repository: Path) -> list[Commit]:
    """Commits reachable from HEAD, newest first (empty for a repository without any)."""
    try:
        git(repository, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except GitError:
        git(repository, "rev-parse", "--git-dir")  # raises when it is no repository at all
        return []
    out = git(repository, "log", "HEAD", f"--max-count={MAX_COMMITS}", "--no-show-signature",
              "--format=%H%x1f%cI%x1f%s%x1e")
    found = []
    for record in out.decode("utf-8", "replace").split("\x1e"):
        fields = record.strip("\n").split("\x1f")
        if len(fields) == 3:
            found.append(Commit(fields[0], dt.datetime.fromisoformat(fields[1]), fields[2]))
    return found


def choose(history: list[Commit], policy: LatePolicy | None
           ) -> tuple[Commit | None, list[tuple[str, dict]]]:
    """The commit that counts under the policy, and notes for the report."""
    if not history:
        return None, [("git_no_commits", {})]
    head = history[0]
    if policy is None or policy.resubmissions == "last":
        return head, []
    before = [c for c in history if c.time <= policy.cutoff]
    after = [c for c in history if c.time > policy.cutoff]
    if not before:
        return head, [("git_none_before_deadline", {
            "deadline": policy.deadline.isoformat(timespec="minutes")})]
    chosen = max(before, key=lambda c: c.time)
    notes = []
    if after:
        last = max(after, key=lambda c: c.time)
        notes.append(("git_after_deadline", {"count": len(after),
                                             "last": last.time.isoformat(timespec="minutes")}))
    return chosen, notes


def _blob_loader(repository: Path, sha: str, size: int) -> Callable[[int], bytes]:
    def load(limit: int) -> bytes:
        if size > limit:
            return b"\0" * (limit + 1)  # too large: not read at all
        return git(repository, "cat-file", "blob", sha)[:limit + 1]
    return load


def files_at(repository: Path, commit: Commit) -> tuple[list[Entry], list[Refusal]]:
    """The commit's files as entries (links and submodules refused)."""
    out = git(repository, "ls-tree", "-r", "-z", "-l", "--full-tree", commit.sha)
    entries, refusals = [], []
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        fields = meta.split()
        if len(fields) < 4:
            continue
        mode, kind, sha, size = (f.decode("ascii", "replace") for f in fields[:4])
        path = PurePosixPath(raw_path.decode("utf-8", "replace"))
        if ignored(path):
            continue
        if mode == "120000":
            refusals.append(Refusal.of(path, "refused_link"))
        elif kind != "blob":
            refusals.append(Refusal.of(path, "refused_special"))
        else:
            declared = int(size) if size.isdigit() else 0
            entries.append(Entry(path, declared, commit.time,
                                 _blob_loader(repository, sha, declared)))
    return entries, refusals


def read(repository: Path, policy: LatePolicy | None) -> Chosen:
    """The files of the commit that counts. Raises :class:`GitError`."""
    commit, notes = choose(commits(repository), policy)
    if commit is None:
        return Chosen(None, [], [], notes)
    entries, refusals = files_at(repository, commit)
    return Chosen(commit, entries, refusals, notes)
