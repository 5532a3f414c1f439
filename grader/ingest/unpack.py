"""Listing a submission's files without trusting them: folders and zip archives.

Nothing is ever extracted to disk. A folder is walked without following links; a zip
archive is read in memory after every member has been checked:

* names: no absolute paths, drive letters or ``..`` (path traversal);
* types: regular files only (no symbolic links, devices, pipes or sockets);
* limits: number of members, total unpacked size, and the compression ratio of each
  member (a zip bomb); a member is read with a hard cap, whatever its header claims.

Each file becomes an :class:`Entry` whose content is read on demand (only the files the
manifest asks for are ever read). A refused file becomes a :class:`Refusal`, which the
student's report shows; refusals never stop the batch.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

#: Folders and files that tools leave behind; never part of a submission.
IGNORED_DIRS = {"__pycache__", ".git", ".ipynb_checkpoints", "__MACOSX", ".venv", "venv",
                "outputs", "node_modules", ".idea", ".vscode"}
IGNORED_FILES = {"Thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class ArchiveLimits:
    """What one archive may hold before it is refused as a whole."""

    max_members: int = 1000
    max_total_bytes: int = 50_000_000
    """Sum of the members' unpacked sizes."""
    max_ratio: float = 100.0
    """Unpacked / packed size of a member, checked for members above ``ratio_floor``."""
    ratio_floor: int = 1_000_000
    max_archive_bytes: int = 50_000_000
    """Size of an archive found inside a submission (a student's own zip)."""
    whole: bool = True
    """Refuse the whole archive for one bad member (a student's zip), or just the member
    (an LMS export: one student's zip bomb must not stop the class)."""


#: A student's own archive (one zip per student, or a zip inside an LMS export).
STUDENT_LIMITS = ArchiveLimits()
#: A whole LMS export ("download all submissions"): many students, so more room.
EXPORT_LIMITS = ArchiveLimits(max_members=200_000, max_total_bytes=20_000_000_000,
                              max_archive_bytes=20_000_000_000, whole=False)
NO_PREFIX = PurePosixPath()
#: Files looked at in one student's folder (a whole virtualenv is not a submission).
MAX_FOLDER_FILES = 2000


@dataclass
class Entry:
    """One file of a submission, read on demand."""

    path: PurePosixPath
    """Relative POSIX path inside the submission (or the export)."""
    size: int
    """Size in bytes as declared (a zip header) or seen (a folder)."""
    mtime: dt.datetime | None
    """Naive for zip members (local time of whoever made the zip), aware for folders."""
    loader: Callable[[int], bytes] = field(repr=False)
    """``loader(limit)`` returns the content, or at most ``limit + 1`` bytes of it."""

    @property
    def name(self) -> str:
        return self.path.name

    def read(self, limit: int) -> bytes | None:
        """The content, or None when it is larger than ``limit`` bytes."""
        data = self.loader(limit)
        return None if len(data) > limit else data

    def moved(self, path: PurePosixPath) -> Entry:
        return Entry(path=path, size=self.size, mtime=self.mtime, loader=self.loader)


@dataclass(frozen=True)
class Refusal:
    """A file (or archive) that was not accepted, and why: a message key under ingest."""

    path: str
    key: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, path: object, key: str, **params: object) -> Refusal:
        return cls(str(path), key, tuple(sorted(params.items())))


class ArchiveError(Exception):
    """An archive refused as a whole: unreadable, encrypted, or over a limit."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def ignored(path: PurePosixPath) -> bool:
    """Tool clutter: caches, virtualenvs, macOS resource forks, hidden files."""
    return (any(part in IGNORED_DIRS or part.startswith(".") for part in path.parts)
            or path.name in IGNORED_FILES)


# ----------------------------------------------------------------------------- folders


def _file_loader(path: Path) -> Callable[[int], bytes]:
    def load(limit: int) -> bytes:
        # O_NOFOLLOW: the file was a regular file when listed; refuse a swap for a link.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            return handle.read(limit + 1)
    return load


def list_folder(folder: Path, prefix: PurePosixPath = NO_PREFIX,
                max_files: int = MAX_FOLDER_FILES) -> tuple[list[Entry], list[Refusal]]:
    """Regular files under ``folder``; links and special files are refused, never followed."""
    entries: list[Entry] = []
    refusals: list[Refusal] = []
    pending = [(folder, prefix)]
    while pending:
        directory, relative = pending.pop()
        try:
            children = sorted(os.scandir(directory), key=lambda child: child.name)
        except OSError as error:
            refusals.append(Refusal.of(relative, "unreadable", detail=error.strerror or ""))
            continue
        for child in children:
            path = relative / child.name
            if ignored(path):
                continue
            info = child.stat(follow_symlinks=False)
            if stat.S_ISLNK(info.st_mode):
                refusals.append(Refusal.of(path, "refused_link"))
            elif stat.S_ISDIR(info.st_mode):
                pending.append((Path(child.path), path))
            elif not stat.S_ISREG(info.st_mode):
                refusals.append(Refusal.of(path, "refused_special"))
            elif len(entries) >= max_files:
                refusals.append(Refusal.of(relative, "too_many_files", limit=max_files))
                return entries, refusals
            else:
                mtime = dt.datetime.fromtimestamp(info.st_mtime, dt.UTC)
                entries.append(Entry(path, info.st_size, mtime, _file_loader(Path(child.path))))
    entries.sort(key=lambda entry: str(entry.path))
    return entries, refusals


# ----------------------------------------------------------------------------- zip archives

_DRIVE = re.compile(r"^[A-Za-z]:")


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name, decoded the way its maker meant it.

    Without the UTF-8 flag, zipfile decodes names as cp437; Japanese Windows writes
    them in cp932 (and some tools in UTF-8 without the flag), so decode again.
    """
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            return name
        for encoding in ("utf-8", "cp932"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
    return name


def safe_member_path(name: str) -> PurePosixPath | None:
    """The member's relative path, or None when it would leave the extraction folder."""
    name = name.replace("\\", "/")
    if name.startswith("/") or _DRIVE.match(name) or "\0" in name:
        return None
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if not parts or any(part == ".." for part in parts):
        return None
    return PurePosixPath(*parts)


def _member_kind(info: zipfile.ZipInfo) -> str:
    """``file``, ``dir``, ``link`` or ``special``, from the Unix mode when there is one."""
    mode = info.external_attr >> 16
    if info.create_system == 3 and mode:  # made on Unix: the mode is meaningful
        if stat.S_ISLNK(mode):
            return "link"
        if stat.S_ISDIR(mode):
            return "dir"
        if not stat.S_ISREG(mode):
            return "special"
    return "dir" if info.is_dir() else "file"


def _zip_loader(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[int], bytes]:
    def load(limit: int) -> bytes:
        with archive.open(info) as handle:
            return handle.read(limit + 1)
    return load


def read_zip(source: Path | bytes, limits: ArchiveLimits, label: str = "",
             prefix: PurePosixPath = NO_PREFIX
             ) -> tuple[list[Entry], list[Refusal], zipfile.ZipFile]:
    """Check every member of a zip archive, then list its regular files.

    Members with unsafe names, links and special files are refused one by one; an
    archive over ``limits`` (count, total size, a member's compression ratio) is refused
    as a whole with :class:`ArchiveError`, as is one that is not a readable zip. The
    returned ZipFile stays open: the entries read from it on demand. Entries are placed
    under ``prefix``; a refused member is named ``"<label>: <member>"`` (just the member
    without a label).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
        raise ArchiveError("archive_unreadable", detail=str(error)[:200]) from None
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise ArchiveError("archive_too_many", limit=limits.max_members)
    total = sum(info.file_size for info in members)
    if total > limits.max_total_bytes:
        raise ArchiveError("archive_too_large", limit=limits.max_total_bytes // 1_000_000)
    entries: list[Entry] = []
    refusals: list[Refusal] = []
    for info in members:
        name = member_name(info)
        path = safe_member_path(name)
        if path is None:
            refusals.append(Refusal.of(f"{label}: {name}" if label else name, "refused_path"))
            continue
        kind = _member_kind(info)
        if kind == "dir" or ignored(path):
            continue
        if kind == "link":
            refusals.append(Refusal.of(prefix / path, "refused_link"))
            continue
        if kind == "special":
            refusals.append(Refusal.of(prefix / path, "refused_special"))
            continue
        problem: ArchiveError | None = None
        if info.flag_bits & 0x1:
            problem = ArchiveError("archive_encrypted")
        elif (info.file_size > limits.ratio_floor
              and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
            problem = ArchiveError("archive_bomb", member=name,
                                   ratio=round(info.file_size / max(info.compress_size, 1)))
        if problem is not None:
            if limits.whole:
                raise problem
            refusals.append(Refusal.of(prefix / path, problem.key, **problem.params))
            continue
        try:
            mtime: dt.datetime | None = dt.datetime(*info.date_time)
        except ValueError:
            mtime = None
        entries.append(Entry(prefix / path, info.file_size, mtime, _zip_loader(archive, info)))
    return entries, refusals, archive


def archive_refusal(path: object, error: ArchiveError) -> Refusal:
    return Refusal.of(path, error.key, **error.params)
