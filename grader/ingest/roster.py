"""The class roster: who is behind an LMS identity.

A CSV file with a header row (UTF-8, with or without BOM, or cp932 as Excel saves it on
Japanese Windows)::

    student_id,name,email,lms_id
    s2601234,山田 太郎,s2601234@example.ac.jp,1234567
    s2601235,Hanako Suzuki,s2601235@example.ac.jp,moodle:88;canvas:340934

Only ``student_id`` is required. Column names are matched loosely (``学籍番号``,
``氏名``, ``メールアドレス``, ``ID number``, ``Full name``, ``First name`` +
``Surname``...), so Moodle's grading worksheet (``Identifier`` = ``Participant 1234567``,
the id in its download's folder names) works as a roster as it is. ``lms_id`` holds one
or more ids separated by ``;`` (the Canvas user id, the Moodle participant id); a
``canvas:`` style prefix is allowed and ignored.

An export's identity is looked up by LMS id, then as a student id, then by e-mail, then
by name (spaces, case, width and the order of family and given name do not matter:
Canvas writes ``yamadataro`` for 山田 太郎 / Taro Yamada). A name shared by two people
matches no one.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from grader.ingest.decode import decode_text
from grader.ingest.errors import IngestError

COLUMNS = {
    "student_id": ("student_id", "studentid", "student id", "student number", "学籍番号",
                   "id number", "idnumber", "学生番号", "sis user id"),
    "name": ("name", "full name", "fullname", "氏名", "名前", "student name", "student"),
    "email": ("email", "email address", "e-mail", "mail", "メールアドレス", "メール"),
    "lms_id": ("lms_id", "lms id", "lms", "lms_ids", "user id", "userid", "canvas id",
               "moodle id", "participant", "participant id", "identifier"),
    "first": ("first name", "firstname", "given name", "名"),
    "last": ("last name", "lastname", "surname", "family name", "姓"),
}


@dataclass(frozen=True)
class Person:
    student_id: str
    name: str = ""
    email: str = ""
    lms_ids: tuple[str, ...] = ()


def name_keys(name: str) -> set[str]:
    """Forms of a name that compare equal whatever the order, spacing, case and width."""
    tokens = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", name).casefold())
    if not tokens:
        return set()
    return {"".join(tokens), "".join(reversed(tokens))}


def _column(header: Sequence[str], field: str) -> str | None:
    wanted = COLUMNS[field]
    for column in header:
        if column.strip().casefold() in wanted:
            return column
    return None


def _lms_id(text: str) -> str:
    """``canvas:340934`` -> ``340934``; ``Participant 1234567`` (Moodle's worksheet) too."""
    text = text.strip().split(":")[-1].strip()
    match = re.fullmatch(r"\D+\s(\d+)", text)
    return match.group(1) if match else text


class Roster:
    def __init__(self, people: list[Person], source: str = "") -> None:
        self.people = people
        self.source = source
        self.by_id = {p.student_id.casefold(): p for p in people}
        self.by_lms: dict[str, Person] = {}
        self.by_email: dict[str, Person] = {}
        self.by_name: dict[str, list[Person]] = {}
        for person in people:
            for lms_id in person.lms_ids:
                self.by_lms[lms_id.casefold()] = person
            if person.email:
                self.by_email[person.email.casefold()] = person
                self.by_email.setdefault(person.email.split("@")[0].casefold(), person)
            for key in name_keys(person.name):
                if person not in self.by_name.setdefault(key, []):
                    self.by_name[key].append(person)

    @classmethod
    def load(cls, path: Path) -> Roster:
        """Read a roster CSV. Raises :class:`IngestError` with what to fix."""
        try:
            data = path.read_bytes()
        except OSError as error:
            raise IngestError(f"cannot read the roster {path}: {error.strerror}") from None
        decoded = decode_text(data)
        if decoded is None:
            raise IngestError(f"the roster {path} is not a text file in UTF-8 or Shift-JIS")
        reader = csv.DictReader(decoded.text.splitlines())
        header = reader.fieldnames or []
        columns = {field: _column(header, field) for field in COLUMNS}
        if columns["student_id"] is None:
            raise IngestError(f"the roster {path} has no student_id column (columns: "
                              f"{', '.join(header) or 'none'}); the first row must name "
                              f"the columns: student_id,name,email,lms_id")
        people, seen = [], set()
        for number, row in enumerate(reader, start=2):
            def value(field: str, row: dict = row) -> str:
                column = columns[field]
                return (row.get(column) or "").strip() if column else ""

            student_id = value("student_id")
            if not student_id:
                if any((cell or "").strip() for cell in row.values() if isinstance(cell, str)):
                    raise IngestError(f"{path} line {number}: no student_id")
                continue
            if student_id.casefold() in seen:
                raise IngestError(f"{path} line {number}: student_id {student_id} appears twice")
            seen.add(student_id.casefold())
            name = value("name") or " ".join(filter(None, (value("last"), value("first"))))
            lms_ids = tuple(_lms_id(part) for part in re.split(r"[;|]", value("lms_id"))
                            if part.strip())
            people.append(Person(student_id, name, value("email"), lms_ids))
        return cls(people, str(path))

    def find(self, *, lms_id: str | None = None, key: str | None = None,
             email: str | None = None, name: str | None = None) -> Person | None:
        """The person behind an identity, or None when the roster does not know it."""
        if lms_id and lms_id.casefold() in self.by_lms:
            return self.by_lms[lms_id.casefold()]
        for candidate in (key, lms_id):
            if candidate and candidate.casefold() in self.by_id:
                return self.by_id[candidate.casefold()]
        for candidate in (email, key):
            if candidate and candidate.casefold() in self.by_email:
                return self.by_email[candidate.casefold()]
        for text in (name, key):
            matches = {p.student_id: p for k in name_keys(text or "")
                       for p in self.by_name.get(k, [])}
            if len(matches) == 1:
                return next(iter(matches.values()))
        return None
