"""
What every source gives the mapping: one stream of plain records, sorted by username.

A source reads what the blocks stored or reported (never the blocks' code) and yields, for each learner,
every record it knows, of these kinds:

- :class:`Learner`: the learner exists in the course (an enrolment, a row of the grade report);
- :class:`ReflectiveEntry`: one reflective-log entry (its latest version, status and latest decision);
- :class:`Exercise`: a facilitation exercise's result for the learner, or a needs assessment taken.

Another kind of evidence is one more record class with a ``username``; the mapping decides what counts.
"""
from __future__ import annotations

import datetime as dt
import heapq
import itertools
import operator
import re
from typing import Iterable, Iterator, NamedTuple, Protocol

UTC = dt.timezone.utc
# block-v1:Org+Course+Run+type@lp_reflective_log+block@log-induction -> log-induction
_OPEN_EDX_KEY = re.compile(r"^block-v1:.*\+block@(?P<name>[^+]+)$")
_OLD_KEY = re.compile(r"^i4x://[^/]+/[^/]+/[^/]+/(?P<name>[^/@]+)")


_USERNAME = operator.attrgetter("username")


class SourceError(RuntimeError):
    """A source that cannot be read: the message says which and why."""


# Records are named tuples: immutable, and cheap to make by the million (a frozen dataclass's __init__ is not).
class Learner(NamedTuple):
    username: str
    enrolled: bool | None = None


class ReflectiveEntry(NamedTuple):
    username: str
    entry_id: str
    block: str                      # the block's url_name where known, else its usage key
    title: str
    status: str                     # draft, submitted, passed, referred
    version: int                    # latest submitted version (0 for a draft never submitted)
    criteria: tuple                 # criterion ids the latest version (or the draft) claims
    criteria_met: tuple | None      # ids the latest decision marked met; None when the source cannot tell
    decided_at: dt.datetime | None  # the latest decision (for a passed entry: when it passed), aware
    referrals: int = 0


class Exercise(NamedTuple):
    """A facilitation exercise (``kind='facilitation_exercise'``) or a needs assessment (``'needs_assessment'``)."""
    username: str
    kind: str
    block: str
    passed: bool                    # a needs assessment 'passes' once taken
    completed_at: dt.datetime | None
    attempts: int = 1

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.block}"


class Decision(NamedTuple):
    """
    A tutor's decision on one submitted version of a reflective-log entry, for the MI report's tutor turnaround
    (not part of :meth:`Source.records`): a source that can tell gives these from ``decisions()``.
    """
    username: str
    block: str
    version: int
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    decision: str                   # pass or refer


class Attendance(NamedTuple):
    """
    A participant's place in one workshop session and the attendance a tutor recorded, for the MI report's
    workshop attendance (not part of :meth:`Source.records`): a source that can tell gives these from
    ``attendance()``, sorted by username.
    """
    username: str
    block: str                      # the workshop block's url_name where known, else its usage key
    session: str                    # the session's id in the block
    title: str
    module: str                     # the module the session belongs to (the chapter's title)
    starts_at: dt.datetime | None
    status: str                     # booked, waiting, cancelled
    attendance: str                 # attended, absent, apologies, or '' (not recorded)


class Source(Protocol):
    """A place evidence comes from."""

    description: str

    def records(self) -> Iterator:
        """Every record, sorted by username (records of one learner together)."""


def block_name(block_key: str) -> str:
    """The url_name in an Open edX usage key; any other key (the workbench's) unchanged."""
    match = _OPEN_EDX_KEY.match(block_key) or _OLD_KEY.match(block_key)
    return match.group("name") if match else block_key


def by_learner(records: Iterable) -> Iterator[tuple[str, list]]:
    """``(username, records)`` for each learner of a username-sorted stream."""
    for username, group in itertools.groupby(records, key=_USERNAME):
        yield username, list(group)


def merge_sorted(*streams: Iterable) -> Iterator:
    """Merge username-sorted streams into one username-sorted stream."""
    return heapq.merge(*streams, key=_USERNAME)


def parse_time(text: str | None) -> dt.datetime | None:
    """An ISO 8601 time (``2026-10-14T09:00:00+00:00``, ``2026-10-14 09:00:00``: naive means UTC), or None."""
    if not text:
        return None
    value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Assessment(NamedTuple):
    """
    One needs-assessment attempt (a diagnostic or a satisfaction survey), for the management-information report.

    Not part of :meth:`Source.records` (the mapping needs only that a needs assessment was taken): a source
    that can tell more gives these from ``assessments()``, sorted by username. ``scores`` and ``first_scores``
    map a theme to its score in this attempt and in the learner's first; a theme is named by its id, or by its
    title where the source only has titles (Open edX reports). A source that keeps only the latest attempt
    (Open edX reports) gives that one, numbered by the count of attempts.
    """
    username: str
    block: str
    attempt: int
    submitted_at: dt.datetime | None
    overall: float | None
    stage: str
    scores: dict
    first_scores: dict
    # Known only to sources that read the plugin's tables (the workbench database): the partnership code the
    # learner rated as a member of (multi-rater health checks), "don't know" answers and a satisfaction
    # survey's comments per delivery element (theme id -> text).
    partnership: str = ""
    dont_know: int = 0
    comments: dict = {}
