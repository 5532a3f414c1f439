"""The gradebook: an embedded SQLite database, written one transaction per job.

Properties it keeps (architecture, "Nothing lost"):

* every job ends with a stored row, committed before the next one starts, so killing the
  grader mid-batch loses nothing already graded;
* a result is *current* for its (assignment, student); a re-run skips pairs whose current
  result has the same submission hash and suite hash;
* a run that fails for the grader's own reasons (status ``error``) never replaces a
  stored grade: it is recorded beside it as an attempt, and the grade stays current.

Rows hold the JobResult as JSON (``results.result_json``) plus the columns exports and
the dashboard query; ``outcomes`` repeats per-test status for SQL (pass rates).

Manual adjustments (``grader.adjustments``) live in ``adjustments``, grouped by the
import they came from (``adjustment_imports``: which file, its hash, who imported it and
when). Re-importing a file replaces its earlier import (marked ``replaced_at``, kept for
the record), so nothing is counted twice and nothing is lost.

Schema versions (``SCHEMA_VERSION``; older gradebooks are migrated when opened):

1. results, outcomes, runs.
2. adjustment_imports, adjustments (manual adjustments with who, why, when, source).
3. adjustments.question (points for one written question, graded from the 考察 pages).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from grader import __version__
from grader.adjustments import Adjustment, AdjustmentError, check_questions, parse
from grader.errors import UserError
from grader.results import JobResult, JobStatus

SCHEMA_VERSION = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    command TEXT NOT NULL,
    grader_version TEXT NOT NULL,
    isolation TEXT,
    graded INTEGER DEFAULT 0,
    skipped INTEGER DEFAULT 0,
    errors INTEGER DEFAULT 0
);
CREATE TABLE IF NOT EXISTS results (
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES runs(id),
    assignment TEXT NOT NULL,
    student_id TEXT NOT NULL,
    submission_hash TEXT NOT NULL,
    suite_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    points REAL NOT NULL,
    max_points REAL NOT NULL,
    isolation TEXT,
    duration REAL,
    recorded_at TEXT NOT NULL,
    current INTEGER NOT NULL DEFAULT 0,
    result_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS results_by_student ON results (assignment, student_id);
CREATE UNIQUE INDEX IF NOT EXISTS one_current_result
    ON results (assignment, student_id) WHERE current = 1;
CREATE TABLE IF NOT EXISTS outcomes (
    result_id INTEGER NOT NULL REFERENCES results(id),
    test_id TEXT NOT NULL,
    hidden INTEGER NOT NULL,
    status TEXT NOT NULL,
    points REAL NOT NULL,
    earned REAL NOT NULL,
    diagnoses TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outcomes_by_result ON outcomes (result_id);
"""

#: Statements that bring a gradebook from the previous version to this one.
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    2: ("""CREATE TABLE IF NOT EXISTS adjustment_imports (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            imported_by TEXT NOT NULL,
            entries INTEGER NOT NULL,
            replaced_at TEXT
        )""",
        """CREATE TABLE IF NOT EXISTS adjustments (
            id INTEGER PRIMARY KEY,
            import_id INTEGER NOT NULL REFERENCES adjustment_imports(id),
            assignment TEXT NOT NULL,
            student_id TEXT NOT NULL,
            points REAL NOT NULL,
            waive_late_penalty INTEGER NOT NULL,
            reason TEXT NOT NULL,
            author TEXT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS adjustments_by_import ON adjustments (import_id)",
        "CREATE UNIQUE INDEX IF NOT EXISTS one_active_import ON adjustment_imports (source) "
        "WHERE replaced_at IS NULL"),
    3: ("ALTER TABLE adjustments ADD COLUMN question TEXT NOT NULL DEFAULT ''",),
}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class GradebookError(UserError):
    """The gradebook cannot be used by this grader (written by a newer one)."""


@dataclass(frozen=True)
class ImportSummary:
    source: str
    outcome: str
    """``added`` (a new source), ``replaced`` (a new version of a source) or ``unchanged``."""
    entries: int
    unknown: tuple[tuple[str, str], ...] = ()
    """(student, assignment) pairs with no result in the gradebook (kept all the same)."""


@dataclass(frozen=True)
class StoredResult:
    id: int
    run_id: int | None
    recorded_at: str
    current: bool
    result: JobResult


class Gradebook:
    """Open (creating if needed) the gradebook at ``path``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(_SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        """Bring the schema to SCHEMA_VERSION (a new gradebook starts at version 1)."""
        with self.transaction() as db:
            row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            version = int(row[0]) if row else 1
            if version > SCHEMA_VERSION:
                raise GradebookError(f"{self.path} was written by a newer grader "
                                     f"(schema {version} > {SCHEMA_VERSION}): upgrade "
                                     f"the grader")
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[target]:
                    db.execute(statement)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)",
                       (str(max(version, SCHEMA_VERSION)),))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # ------------------------------------------------------------------ runs
    def start_run(self, command: str, isolation: str = "") -> int:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (started_at, command, grader_version, isolation) "
                "VALUES (?, ?, ?, ?)", (_now(), command, __version__, isolation))
            return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, graded: int, skipped: int, errors: int) -> None:
        with self.transaction() as db:
            db.execute("UPDATE runs SET finished_at=?, graded=?, skipped=?, errors=? WHERE id=?",
                       (_now(), graded, skipped, errors, run_id))

    # ------------------------------------------------------------------ results
    def record(self, result: JobResult, run_id: int | None = None) -> int:
        """Store one job's result in its own transaction; returns the row id."""
        with self.transaction() as db:
            previous = db.execute(
                "SELECT id, status FROM results WHERE assignment=? AND student_id=? "
                "AND current=1", (result.assignment, result.student_id)).fetchone()
            # A grader fault never displaces a grade: it is kept as an attempt beside it.
            becomes_current = result.status != JobStatus.ERROR or previous is None \
                or previous[1] == JobStatus.ERROR
            if becomes_current and previous is not None:
                db.execute("UPDATE results SET current=0 WHERE id=?", (previous[0],))
            cursor = db.execute(
                "INSERT INTO results (run_id, assignment, student_id, submission_hash, "
                "suite_hash, status, points, max_points, isolation, duration, recorded_at, "
                "current, result_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (run_id, result.assignment, result.student_id, result.submission_hash,
                 result.suite_hash, result.status, result.points, result.max_points,
                 result.isolation, result.duration, _now(), int(becomes_current),
                 json.dumps(result.to_dict(), ensure_ascii=False)))
            row_id = int(cursor.lastrowid or 0)
            db.executemany(
                "INSERT INTO outcomes VALUES (?,?,?,?,?,?,?)",
                [(row_id, o.test_id, int(o.hidden), o.status, o.points, o.earned,
                  ",".join(o.diagnoses)) for o in result.outcomes])
            return row_id

    def is_up_to_date(self, assignment: str, student_id: str, submission_hash: str,
                      suite_hash: str) -> bool:
        """True when the current grade was made from this submission with this suite."""
        row = self.db.execute(
            "SELECT 1 FROM results WHERE assignment=? AND student_id=? AND current=1 "
            "AND status IN ('graded', 'missing') AND submission_hash=? AND suite_hash=?",
            (assignment, student_id, submission_hash, suite_hash)).fetchone()
        return row is not None

    def current(self, assignment: str | None = None) -> list[JobResult]:
        """The current result of every (assignment, student), sorted."""
        query = "SELECT result_json FROM results WHERE current=1"
        params: tuple = ()
        if assignment:
            query += " AND assignment=?"
            params = (assignment,)
        query += " ORDER BY assignment, student_id"
        return [JobResult.from_dict(json.loads(row[0]))
                for row in self.db.execute(query, params)]

    def history(self, assignment: str, student_id: str) -> list[StoredResult]:
        """Every attempt for one (assignment, student), oldest first."""
        rows = self.db.execute(
            "SELECT id, run_id, recorded_at, current, result_json FROM results "
            "WHERE assignment=? AND student_id=? ORDER BY id", (assignment, student_id))
        return [StoredResult(row[0], row[1], row[2], bool(row[3]),
                             JobResult.from_dict(json.loads(row[4]))) for row in rows]

    def runs(self) -> list[dict]:
        cursor = self.db.execute("SELECT * FROM runs ORDER BY id")
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    # ------------------------------------------------------------------ adjustments
    def import_adjustments(self, *, source: str, path: str, sha256: str,
                           entries: list[Adjustment], imported_by: str) -> str:
        """Store one adjustments file's entries; returns added, replaced or unchanged.

        The entries of an earlier import of the same ``source`` stop counting (the import
        is kept, marked replaced). Content already imported under another source name is
        refused, so a copied file cannot count twice.
        """
        with self.transaction() as db:
            active = db.execute(
                "SELECT id, sha256 FROM adjustment_imports WHERE source=? "
                "AND replaced_at IS NULL", (source,)).fetchone()
            if active is not None and active[1] == sha256:
                return "unchanged"
            twin = db.execute(
                "SELECT source FROM adjustment_imports WHERE sha256=? AND source<>? "
                "AND replaced_at IS NULL", (sha256, source)).fetchone()
            if twin is not None:
                raise AdjustmentError(f"the same adjustments were already imported as "
                                      f"{twin[0]!r}; import that file again instead")
            self._refuse_regrading(entries, source)
            now = _now()
            if active is not None:
                db.execute("UPDATE adjustment_imports SET replaced_at=? WHERE id=?",
                           (now, active[0]))
            cursor = db.execute(
                "INSERT INTO adjustment_imports (source, path, sha256, imported_at, "
                "imported_by, entries) VALUES (?,?,?,?,?,?)",
                (source, path, sha256, now, imported_by, len(entries)))
            import_id = int(cursor.lastrowid or 0)
            db.executemany(
                "INSERT INTO adjustments (import_id, assignment, student_id, points, "
                "waive_late_penalty, reason, author, question) VALUES (?,?,?,?,?,?,?,?)",
                [(import_id, e.assignment, e.student_id, e.points, int(e.waive_late_penalty),
                  e.reason, e.by, e.question) for e in entries])
            return "added" if active is None else "replaced"

    def _refuse_regrading(self, entries: list[Adjustment], source: str) -> None:
        """A written question graded by another file in force would count twice."""
        graded = {(e.student_id, e.assignment, e.question) for e in entries if e.question}
        if not graded:
            return
        rows = self.db.execute(
            "SELECT a.student_id, a.assignment, a.question, i.source FROM adjustments a "
            "JOIN adjustment_imports i ON i.id = a.import_id "
            "WHERE i.replaced_at IS NULL AND a.question <> '' AND i.source <> ?", (source,))
        for student, assignment, question, other in rows:
            if (student, assignment, question) in graded:
                raise AdjustmentError(
                    f"{student} / {assignment}: question {question!r} is already graded in "
                    f"{other!r}; change it there (and import that file again)")

    def adjustments(self, assignment: str | None = None) -> list[Adjustment]:
        """The adjustments in force (from each source's latest import), in import order."""
        query = ("SELECT a.student_id, a.assignment, a.reason, a.author, a.points, "
                 "a.waive_late_penalty, i.source, i.imported_at, a.question "
                 "FROM adjustments a "
                 "JOIN adjustment_imports i ON i.id = a.import_id "
                 "WHERE i.replaced_at IS NULL")
        params: tuple = ()
        if assignment:
            query += " AND a.assignment=?"
            params = (assignment,)
        query += " ORDER BY a.id"
        return [Adjustment(student_id=row[0], assignment=row[1], reason=row[2], by=row[3],
                           points=row[4], waive_late_penalty=bool(row[5]), source=row[6],
                           imported_at=row[7], question=row[8])
                for row in self.db.execute(query, params)]

    def adjustment_imports(self) -> list[dict]:
        """Every import, replaced ones included (the audit trail)."""
        cursor = self.db.execute("SELECT * FROM adjustment_imports ORDER BY id")
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row)) for row in cursor]


def import_file(book: Gradebook, path: Path, by: str | None = None,
                source: str | None = None,
                questions: dict[str, dict[str, float]] | None = None) -> ImportSummary:
    """Read an adjustments file and store its entries (idempotent: see grader.adjustments).

    ``questions`` (assignment -> question id -> most points, from the manifests) checks
    the points given to written questions."""
    data = path.read_bytes()
    entries = parse(data, path.name, by or getpass.getuser())
    check_questions(entries, questions or {})
    name = source or path.name
    outcome = book.import_adjustments(
        source=name, path=str(path.resolve()), sha256=hashlib.sha256(data).hexdigest(),
        entries=entries, imported_by=by or getpass.getuser())
    graded = {(r.student_id, r.assignment) for r in book.current()}
    unknown = tuple(sorted({(e.student_id, e.assignment) for e in entries} - graded))
    return ImportSummary(source=name, outcome=outcome, entries=len(entries), unknown=unknown)
