"""
The workbench database (the SQLite file ``make run`` creates, ``var/workbench.db``): the embedded default.

Read with plain SQL over the standard library's ``sqlite3``, opened read-only, rather than through the Django
ORM: the exporter then needs no Django settings and no XBlock SDK (``lp-accredit`` works from a plain
``pip install`` against a copied database), it can never write to or migrate the learners' database, it runs
while the workbench is serving, and rows stream from a cursor without building model instances. The price,
a second description of the tables, is paid by a test that checks every table and column used here against
the models of ``lp_xblocks.data`` and by the end-to-end test on a real migrated database.

Tables read (the plugin app's label is ``lp_xblocks``): reflective entries with their latest version and
latest decision, facilitation-exercise attempts, needs-assessment attempts. A table an older database does
not have yet (the facilitation exercise's) is skipped.
"""
from __future__ import annotations

import json
import re
import sqlite3
import uuid
from pathlib import Path
from typing import Callable, Iterator

from ..i18n import _
from .base import (
    Assessment, Attendance, Decision, Exercise, ReflectiveEntry, SourceError, block_name, merge_sorted, parse_time,
)

ENTRY = "lp_xblocks_reflectiveentry"
VERSION = "lp_xblocks_reflectiveentryversion"
FEEDBACK = "lp_xblocks_reflectivefeedback"
FACILITATION = "lp_xblocks_facilitationattempt"
NEEDS = "lp_xblocks_needsassessmentattempt"
PARTNERSHIP = "lp_xblocks_partnership"
WORKSHOP_BOOKING, WORKSHOP_SESSION = "lp_xblocks_workshopbooking", "lp_xblocks_workshopsession"
ATTENDANCE_SQL = f"""
SELECT COALESCE(NULLIF(b.username, ''), b.student_id) AS learner, s.block_key, s.session_id, s.title, s.module,
       s.starts_at, b.status, b.attendance
  FROM {WORKSHOP_BOOKING} b JOIN {WORKSHOP_SESSION} s ON s.id = b.session_id
 WHERE b.status != 'cancelled' OR b.attendance != ''
 ORDER BY learner, s.starts_at, s.session_id
"""

# Every column read, per table (the schema test compares these with the Django models).
COLUMNS = {
    ENTRY: ("id", "entry_id", "block_key", "student_id", "username", "status", "title", "draft", "version",
            "decided_at", "referrals", "created_at"),
    VERSION: ("entry_id", "number", "criteria", "submitted_at"),
    FEEDBACK: ("id", "entry_id", "version", "decision", "criteria", "marked_at"),
    FACILITATION: ("block_key", "student_id", "username", "ending_id", "passed", "completed_at"),
    NEEDS: ("block_key", "student_id", "username", "submitted_at", "attempt", "overall", "stage", "scores",
            "first_scores", "dont_know", "comments", "partnership_id"),
    PARTNERSHIP: ("id", "code"),
}

_LEARNER = "COALESCE(NULLIF({t}.username, ''), {t}.student_id)"

ENTRIES_SQL = f"""
SELECT {_LEARNER.format(t='e')} AS learner, e.entry_id, e.block_key, e.title, e.status, e.version,
       v.criteria, e.draft, e.decided_at, e.referrals,
       (SELECT f.criteria FROM {FEEDBACK} f
         WHERE f.entry_id = e.id AND f.version = e.version AND f.decision != ''
         ORDER BY f.marked_at DESC, f.id DESC LIMIT 1) AS marks
  FROM {ENTRY} e
  LEFT JOIN {VERSION} v ON v.entry_id = e.id AND v.number = e.version
 WHERE e.status != 'archived'
 ORDER BY learner, e.created_at, e.id
"""

FACILITATION_SQL = f"""
SELECT {_LEARNER.format(t='a')} AS learner, a.block_key, COUNT(*) AS attempts, MAX(a.passed) AS passed,
       MIN(CASE WHEN a.passed THEN a.completed_at END) AS first_pass, MAX(a.completed_at) AS last_try
  FROM {FACILITATION} a
 WHERE a.ending_id != ''
 GROUP BY learner, a.block_key
 ORDER BY learner, a.block_key
"""

NEEDS_SQL = f"""
SELECT {_LEARNER.format(t='n')} AS learner, n.block_key, COUNT(*) AS attempts, MIN(n.submitted_at) AS first_taken
  FROM {NEEDS} n
 GROUP BY learner, n.block_key
 ORDER BY learner, n.block_key
"""

# Every needs-assessment attempt with its scores (the MI report's :meth:`WorkbenchSource.assessments`).
ASSESSMENTS_SQL = f"""
SELECT {_LEARNER.format(t='n')} AS learner, n.block_key, n.attempt, n.submitted_at, n.overall, n.stage, n.scores,
       n.first_scores
  FROM {NEEDS} n
 ORDER BY learner, n.block_key, n.attempt
"""

# Every tutor's decision with the submission it decided (the MI report's tutor turnaround).
DECISIONS_SQL = f"""
SELECT {_LEARNER.format(t='e')} AS learner, e.block_key, f.version, v.submitted_at, f.marked_at, f.decision
  FROM {FEEDBACK} f
  JOIN {ENTRY} e ON e.id = f.entry_id
  LEFT JOIN {VERSION} v ON v.entry_id = f.entry_id AND v.number = f.version
 WHERE f.decision != ''
 ORDER BY learner, f.marked_at, f.id
"""

# The same with what databases migrated to 0006 (diagnostics) also hold: partnership, "don't know", comments.
ASSESSMENTS_WITH_PARTNERSHIPS_SQL = f"""
SELECT {_LEARNER.format(t='n')} AS learner, n.block_key, n.attempt, n.submitted_at, n.overall, n.stage, n.scores,
       n.first_scores, COALESCE(p.code, ''), n.dont_know, n.comments
  FROM {NEEDS} n
  LEFT JOIN {PARTNERSHIP} p ON p.id = n.partnership_id
 ORDER BY learner, n.block_key, n.attempt
"""

# The workbench's course pages parse each unit as scenario "course-<unit>": usage ids look like
# course-<unit url_name>.<block type>.d<n>.u<m>, the n-th block of that type in the unit.
_COURSE_USAGE = re.compile(r"^course-(?P<unit>[^.]+)\.(?P<type>[^.]+)\.d(?P<n>\d+)\.u\d+$")


def course_block_names(course) -> dict:
    """``{"course-<unit>.<type>.d<n>": url_name}`` for the blocks of a course tree (``lp_programme.course_tree``)."""
    names = {}
    for _chapter, _sequential, unit in course.units():
        counts: dict[str, int] = {}
        for component in unit.components:
            number = counts.get(component.tag, 0)
            counts[component.tag] = number + 1
            names[f"course-{unit.url_name}.{component.tag}.d{number}"] = component.url_name
    return names


def _installed_course_names() -> dict:
    """Block names of the course the package ships, when it ships one (``lp_programme.course_tree``)."""
    try:
        from lp_programme import course_tree as tree  # pylint: disable=import-outside-toplevel
    except ImportError:
        return {}
    if not hasattr(tree, "load_course"):
        return {}
    try:
        return course_block_names(tree.load_course())
    except Exception:  # pylint: disable=broad-except  # a broken course tree must not stop an export
        return {}


class WorkbenchSource:
    """Records from the workbench's SQLite database, sorted by username."""

    def __init__(self, path, course_names: dict | Callable[[], dict] | None = None):
        self.path = Path(path)
        self.description = _("the workbench database {path}").format(path=self.path)
        self._course_names = course_names

    def _connect(self):
        if not self.path.is_file():
            raise SourceError(_("{path}: no such database (run `make run` first, or pass --db)").format(path=self.path))
        try:
            connection = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=20)
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as error:
            raise SourceError(_("{path}: not a readable SQLite database: {why}").format(path=self.path, why=error)) from error
        if ENTRY not in tables:
            connection.close()
            raise SourceError(_("{path}: has no reflective-log tables: is it the workbench database, migrated?")
                              .format(path=self.path))
        return connection, tables

    def _names(self) -> dict:
        if callable(self._course_names):
            self._course_names = self._course_names()
        elif self._course_names is None:
            self._course_names = _installed_course_names()
        return self._course_names

    def block(self, block_key: str) -> str:
        """The block's url_name where it can be known, else its usage key."""
        match = _COURSE_USAGE.match(block_key)
        if match:
            return self._names().get(block_key.rsplit(".u", 1)[0], block_key)
        return block_name(block_key)

    def records(self) -> Iterator:
        connection, tables = self._connect()
        try:
            streams = [self._entries(connection)]
            if FACILITATION in tables:
                streams.append(self._exercises(connection, FACILITATION_SQL, "facilitation_exercise"))
            if NEEDS in tables:
                streams.append(self._exercises(connection, NEEDS_SQL, "needs_assessment"))
            yield from merge_sorted(*streams)
        except sqlite3.DatabaseError as error:
            raise SourceError(_("{path}: cannot be read: {why}").format(path=self.path, why=error)) from error
        finally:
            connection.close()

    def _entries(self, connection) -> Iterator[ReflectiveEntry]:
        for (learner, entry_id, block_key, title, status, version, criteria, draft, decided_at, referrals,
             marks) in connection.execute(ENTRIES_SQL):
            if version:
                claimed = json.loads(criteria) if criteria else []
            else:
                claimed = (json.loads(draft) or {}).get("criteria", []) if draft else []
            met = None
            if marks:
                met = tuple(ident for ident, mark in json.loads(marks).items() if mark.get("decision") == "met")
            yield ReflectiveEntry(
                learner, str(uuid.UUID(entry_id)), self.block(block_key), title, status, version,
                tuple(claimed), met, parse_time(decided_at), referrals,
            )

    def _exercises(self, connection, sql, kind) -> Iterator[Exercise]:
        for row in connection.execute(sql):
            if kind == "facilitation_exercise":
                learner, block_key, attempts, passed, first_pass, last_try = row
                passed = bool(passed)
                when = parse_time(first_pass if passed else last_try)
            else:
                learner, block_key, attempts, first_taken = row
                passed, when = True, parse_time(first_taken)
            yield Exercise(learner, kind, self.block(block_key), passed, when, attempts)

    def decisions(self) -> Iterator[Decision]:
        """Every tutor's decision on a submitted version, sorted by username (for the MI report's turnaround)."""
        connection, _tables = self._connect()
        try:
            for learner, block_key, version, submitted_at, marked_at, decision in connection.execute(DECISIONS_SQL):
                yield Decision(learner, self.block(block_key), version, parse_time(submitted_at),
                               parse_time(marked_at), decision)
        except sqlite3.DatabaseError as error:
            raise SourceError(_("{path}: cannot be read: {why}").format(path=self.path, why=error)) from error
        finally:
            connection.close()

    def mentoring(self) -> list:
        """The mentoring scheme's pairings with their sessions' times (for the MI report's mentoring uptake)."""
        from . import mentoring  # pylint: disable=import-outside-toplevel
        connection, tables = self._connect()
        try:
            return mentoring.read(connection, tables)
        finally:
            connection.close()

    def attendance(self) -> Iterator[Attendance]:
        """Every workshop place with its recorded attendance, sorted by username (for the MI report)."""
        connection, tables = self._connect()
        try:
            if WORKSHOP_BOOKING not in tables:  # a database from before the workshop migration
                return
            for learner, block_key, session, title, module, starts_at, status, mark in connection.execute(
                    ATTENDANCE_SQL):
                yield Attendance(learner, self.block(block_key), session, title, module, parse_time(starts_at),
                                 status, mark or "")
        except sqlite3.DatabaseError as error:
            raise SourceError(_("{path}: cannot be read: {why}").format(path=self.path, why=error)) from error
        finally:
            connection.close()

    def assessments(self) -> Iterator[Assessment]:
        """Every needs-assessment attempt with its theme scores, sorted by username (for the MI report)."""
        connection, tables = self._connect()
        try:
            if NEEDS not in tables:
                return
            if PARTNERSHIP not in tables:       # a database from before the diagnostics migration
                for learner, block_key, attempt, submitted_at, overall, stage, scores, first in connection.execute(
                        ASSESSMENTS_SQL):
                    yield Assessment(learner, self.block(block_key), attempt, parse_time(submitted_at), overall,
                                     stage or "", json.loads(scores or "{}"), json.loads(first or "{}"))
                return
            for (learner, block_key, attempt, submitted_at, overall, stage, scores, first, partnership, dont_know,
                 comments) in connection.execute(ASSESSMENTS_WITH_PARTNERSHIPS_SQL):
                yield Assessment(learner, self.block(block_key), attempt, parse_time(submitted_at), overall,
                                 stage or "", json.loads(scores or "{}"), json.loads(first or "{}"),
                                 partnership or "", dont_know or 0, json.loads(comments or "{}"))
        except sqlite3.DatabaseError as error:
            raise SourceError(_("{path}: cannot be read: {why}").format(path=self.path, why=error)) from error
        finally:
            connection.close()
