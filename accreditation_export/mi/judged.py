"""
Progress judged by someone other than the learner (pure, like :mod:`.figures`): tutors' decisions on
reflective-log criteria and the results of facilitation exercises, beside the self-rated progress of the
needs assessments.

- **Criteria met per unit**: a criterion counts as met when a tutor's decision on an entry marked it met (the
  entry's latest decision, passed or referred); where the source cannot tell which criteria a decision marked
  (``criteria_met`` is None), a passed entry meets the criteria it claimed, as the accreditation mapping reads
  it. Evidence as it stood at the end of the period (a pass decided later is not yet one).
- **First submission against after referral**: tutors' decisions made in the period (by the decision's local
  date), from the source's decision stream: decisions on a first version, and how many passed; decisions on a
  resubmission (a version after a referral), and how many passed.
- **Facilitation exercises**: participants who played each exercise (graded attempts), attempts, and those
  whose result passes, as the results stood at the end of the period.
- **Participant groups**: the same over each value of the register's group column (``cohort`` by default;
  blank is "Not stated"), and over all participants.

Every row over fewer than the minimum participants is suppressed. Both editions have the cohort tables; the
staff edition adds one row per participant (names; staff only).
"""
from __future__ import annotations

from ..i18n import _
from ..sources.base import Exercise, ReflectiveEntry
from .figures import STAFF, Counts, Section, Table, percent, person_name, records_until, round2

EXERCISE = "facilitation_exercise"


def tutor_met(entry: ReflectiveEntry) -> set:
    """The criterion ids a tutor's decision judged met on ``entry``."""
    if entry.version < 1 or entry.status not in ("passed", "referred"):
        return set()
    if entry.criteria_met is not None:
        return set(entry.criteria_met)
    return set(entry.criteria) if entry.status == "passed" else set()


class _Person:
    __slots__ = ("submitted", "met", "first", "first_passed", "again", "again_passed", "played", "passed")

    def __init__(self):
        self.submitted = False
        self.met = set()                # criterion ids judged met
        self.first = self.first_passed = self.again = self.again_passed = 0
        self.played = set()             # exercise blocks with a graded attempt
        self.passed = set()             # exercise blocks passed

    @property
    def active(self) -> bool:
        return self.submitted or bool(self.played) or bool(self.first or self.again)


def gather(records, decisions, scope) -> dict:
    """``{username: _Person}`` over the participants in scope, from the evidence and the decision stream."""
    people = {}
    for record in records_until(records, scope):
        if not scope.includes(record.username):
            continue
        if isinstance(record, ReflectiveEntry) and record.version >= 1:
            person = people.setdefault(record.username, _Person())
            person.submitted = True
            person.met |= tutor_met(record)
        elif isinstance(record, Exercise) and record.kind == EXERCISE and record.attempts > 0:
            person = people.setdefault(record.username, _Person())
            person.played.add(record.block)
            if record.passed:
                person.passed.add(record.block)
    for decision in decisions:
        if not scope.includes(decision.username) or not scope.in_range(decision.decided_at):
            continue
        person = people.setdefault(decision.username, _Person())
        if decision.version <= 1:
            person.first += 1
            person.first_passed += decision.decision == "pass"
        else:
            person.again += 1
            person.again_passed += decision.decision == "pass"
    return people


def _unit_rows(catalogue, people: dict, scope) -> list:
    rows = []
    for unit in catalogue.units:
        ids = set(unit.criterion_ids)
        hits = {name: len(person.met & ids) for name, person in people.items() if person.met & ids}
        n = len(hits)
        total = sum(hits.values())
        guard = scope.guard
        rows.append([f"{unit.code} {unit.title}", len(ids), guard(n, n),
                     guard(n, percent(n, len(people)) if people else None), guard(n, total),
                     guard(n, round2(total / n) if n else None)])
    return rows


def _decision_rows(decisions, scope, titles: dict) -> list:
    groups = {}
    for decision in decisions:
        if not scope.includes(decision.username) or not scope.in_range(decision.decided_at):
            continue
        for key in (decision.block, None):
            groups.setdefault(key, []).append(decision)
    rows = []
    if not groups:
        return rows
    for key in sorted((k for k in groups if k is not None), key=lambda k: titles.get(k, k)) + [None]:
        found = groups.get(key, [])
        people = len({decision.username for decision in found})
        first = [d for d in found if d.version <= 1]
        again = [d for d in found if d.version > 1]
        first_passed = sum(1 for d in first if d.decision == "pass")
        again_passed = sum(1 for d in again if d.decision == "pass")
        guard = scope.guard
        label = _("All reflective logs") if key is None else titles.get(key, key)
        rows.append([label, guard(people, people), guard(people, len(first)), guard(people, first_passed),
                     guard(people, percent(first_passed, len(first)) if first else None),
                     guard(people, len(again)), guard(people, again_passed),
                     guard(people, percent(again_passed, len(again)) if again else None)])
    return rows


def _exercise_rows(records, scope, titles: dict) -> list:
    groups = {}
    for record in records_until(records, scope):
        if isinstance(record, Exercise) and record.kind == EXERCISE and record.attempts > 0 \
                and scope.includes(record.username):
            for key in (record.block, None):
                groups.setdefault(key, []).append(record)
    rows = []
    if not groups:
        return rows
    for key in sorted((k for k in groups if k is not None), key=lambda k: titles.get(k, k)) + [None]:
        found = groups.get(key, [])
        people = {record.username for record in found}
        passed = {record.username for record in found if record.passed}
        n = len(people)
        guard = scope.guard
        label = _("All facilitation exercises") if key is None else titles.get(key, key)
        # Over all exercises: participants who passed at least one.
        rows.append([label, guard(n, n), guard(n, sum(record.attempts for record in found)), guard(n, len(passed)),
                     guard(n, percent(len(passed), n) if n else None)])
    return rows


def _group_rows(people: dict, register_rows: dict, group_column: str, scope) -> list:
    groups = {}
    for name, person in people.items():
        if not person.active:
            continue
        value = ((register_rows.get(name) or {}).get(group_column) or "").strip() or _("Not stated")
        for key in (value, None):
            groups.setdefault(key, []).append(person)
    rows = []
    if not groups:
        return rows
    for key in sorted(k for k in groups if k is not None) + [None]:
        found = groups.get(key, [])
        n = len(found)
        met = sum(1 for person in found if person.met)
        first = sum(person.first for person in found)
        first_passed = sum(person.first_passed for person in found)
        played = sum(1 for person in found if person.played)
        passed = sum(1 for person in found if person.passed)
        guard = scope.guard
        rows.append([_("All participants") if key is None else key, guard(n, n), guard(n, met),
                     guard(n, percent(met, n) if n else None),
                     guard(n, percent(first_passed, first) if first else None),
                     guard(n, played), guard(n, passed), guard(n, percent(passed, played) if played else None)])
    return rows


def judged_progress(catalogue, records, decisions, register_rows: dict, scope, titles: dict | None = None,
                    group_column: str = "cohort") -> Section:
    """
    ``records``: the source's evidence stream; ``decisions``: tutors' decisions (empty where the source gives
    none); ``register_rows``: ``{username: raw row}`` in scope; ``titles``: block -> name; ``group_column``:
    the register column that names a participant's group.
    """
    titles = titles or {}
    records = list(records)
    decisions = list(decisions)
    people = gather(records, decisions, scope)
    judged = {name: person for name, person in people.items() if person.submitted}
    unit_rows = _unit_rows(catalogue, judged, scope)
    units = Table("judged-units", _("Reflective-log criteria met as judged by a tutor, per unit (participants with "
                                     "an entry submitted: {n})").format(n=scope.guard(len(judged), len(judged))),
                  [_("Unit"), _("Criteria in the unit"), _("Participants with at least one met"), _("Percent"),
                   _("Criteria met"), _("Mean met per participant")], unit_rows,
                  empty=_("The catalogue has no unit."))
    chart = Counts("judged-units-chart", _("Participants with at least one criterion met by a tutor, per unit"),
                   _("Bar chart of the number of participants with at least one of the unit's criteria judged met "
                     "by a tutor (units of too few participants are left out); the table below gives the same "
                     "figures."), [(row[0], row[2]) for row in unit_rows if isinstance(row[2], int)],
                   table="judged-units")
    first = Table("judged-first-submission", _("Tutors' decisions: passed at first submission and after referral"),
                  [_("Reflective log"), _("Participants"), _("First submissions decided"), _("Passed first time"),
                   _("Percent passed first time"), _("Resubmissions decided"), _("Passed after referral"),
                   _("Percent passed after referral")], _decision_rows(decisions, scope, titles),
                  empty=_("No tutor decision in the period, or the source does not give tutors' decisions (the "
                          "workbench database does)."))
    exercises = Table("judged-exercises", _("Facilitation exercises: graded attempts and passes"),
                      [_("Exercise"), _("Participants who attempted"), _("Graded attempts"), _("Participants passed"),
                       _("Percent passed")], _exercise_rows(records, scope, titles),
                      empty=_("No facilitation exercise was attempted."))
    groups = Table("judged-groups", _("Judged progress per participant group (register column {column!r})").format(
                       column=group_column),
                   [_("Participant group"), _("Participants"), _("With a criterion met by a tutor"), _("Percent"),
                    _("Percent of first submissions passed"), _("Attempted an exercise"), _("Passed an exercise"),
                    _("Percent passed an exercise")], _group_rows(people, register_rows, group_column, scope),
                   empty=_("No participant has work judged by a tutor or an exercise attempted."))
    items = [chart, units, first, exercises, groups]
    tables = [units, first, exercises, groups]
    if scope.audience == STAFF:
        person_rows = []
        for name in sorted(people):
            person = people[name]
            if not person.active:
                continue
            row = register_rows.get(name) or {}
            given, family = person_name(row)
            unit_codes = [unit.code for unit in catalogue.units if person.met & set(unit.criterion_ids)]
            person_rows.append([name, given, family, (row.get(group_column) or "").strip(), len(person.met),
                                " ".join(unit_codes), person.first, person.first_passed, person.again,
                                person.again_passed, len(person.played), len(person.passed)])
        people_table = Table(
            "judged-participants", _("Judged progress of each participant"),
            [_("Username"), _("Given name"), _("Family name"), _("Participant group"), _("Criteria met"),
             _("Units with a criterion met"), _("First submissions decided"), _("Passed first time"),
             _("Resubmissions decided"), _("Passed after referral"), _("Exercises attempted"), _("Exercises passed")],
            person_rows, personal=True, empty=_("No participant has work judged by a tutor or an exercise attempted."))
        items.append(people_table)
        tables.append(people_table)
    intro = [_("Progress judged by someone other than the participant: the reflective-log criteria tutors marked "
               "met (as the evidence stood at the end of the period), tutors' decisions in the period on first "
               "submissions and on resubmissions after a referral, and facilitation exercises passed. Participant "
               "groups are the values of the register's {column!r} column. A row over fewer than {n} participants "
               "is suppressed.").format(column=group_column, n=scope.minimum)]
    return Section("judged-progress", _("Progress judged by tutors and exercises"), intro, items, tables)
