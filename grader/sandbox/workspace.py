"""The scratch directory of one job, laid out like the course's assignment folder.

``scripts/`` (the student's files), ``data/`` (the assignment's data), ``outputs/`` and
``tmp/``. Under bubblewrap the worker sees a copy of it on a size-capped tmpfs; in the
fallback the worker writes here directly, so this module never follows a link the
student's code may have planted, and :func:`tree_usage` lets the judge watch its size.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Workspace:
    """One job's scratch directory (see the module docstring)."""

    root: Path
    data_dir: Path | None

    @classmethod
    def create(cls, files: dict[str, bytes], data_dir: Path | None,
               base: Path | None = None) -> Workspace:
        root = Path(tempfile.mkdtemp(prefix="nngrader-", dir=base))
        os.chmod(root, 0o755)
        for sub in ("outputs", "tmp", "data"):
            (root / sub).mkdir()
        workspace = cls(root=root, data_dir=data_dir)
        workspace.reset_scripts(files)
        return workspace

    def reset_scripts(self, files: dict[str, bytes]) -> None:
        """(Re)write scripts/ from the submission and empty outputs/ and tmp/, undoing
        whatever a previous run changed (a worker restarts on a clean copy).

        Without namespaces the student's code can write here: a link it planted (say
        ``data -> /somewhere``) is removed, never followed, so the judge, which is not
        confined, never writes outside the scratch directory on its behalf.
        """
        for sub in ("outputs", "tmp"):
            fresh_dir(self.root / sub)
        scripts = self.root / "scripts"
        fresh_dir(scripts)
        for name, content in files.items():
            target = (scripts / name).resolve()
            if not str(target).startswith(str(scripts) + os.sep):
                raise ValueError(f"refusing file name {name!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)

    def populate_data(self) -> None:
        """Copy the data set in, afresh (the fallback has no read-only bind mount)."""
        target = self.root / "data"
        fresh_dir(target)
        if self.data_dir and self.data_dir.is_dir():
            shutil.copytree(self.data_dir, target, dirs_exist_ok=True)

    def remove(self) -> None:
        remove_tree(self.root)


def remove_tree(path: Path) -> None:
    """Remove a directory tree without following links, even folders the student's code
    made read-only (chmod needs no Landlock right)."""
    shutil.rmtree(path, ignore_errors=True)
    if path.is_dir() and not path.is_symlink():
        os.chmod(path, 0o700)
        for folder, subfolders, _ in os.walk(path):
            for name in subfolders:
                if not os.path.islink(os.path.join(folder, name)):
                    os.chmod(os.path.join(folder, name), 0o700)
        shutil.rmtree(path, ignore_errors=True)


def fresh_dir(path: Path) -> None:
    """An empty directory at ``path``, whatever was there (a link is removed, not followed)."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        path.unlink()
    elif path.is_dir():
        remove_tree(path)
    path.mkdir()


def tree_usage(path: Path, stop_bytes: int, stop_entries: int) -> tuple[int, int]:
    """(bytes allocated, entries) under ``path``, without following links.

    Counting stops early once either bound is passed: the caller only needs to know
    that the tree is too big, and a student may have made a million files.
    """
    used = entries = 0
    stack = [str(path)]
    while stack:
        try:
            with os.scandir(stack.pop()) as listing:
                for entry in listing:
                    entries += 1
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    used += getattr(info, "st_blocks", 0) * 512 or info.st_size
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    if used > stop_bytes or entries > stop_entries:
                        return used, entries
        except OSError:
            continue
    return used, entries
