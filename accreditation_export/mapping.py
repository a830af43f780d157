"""
Evidence -> criteria -> units -> credits -> qualification (pure: no I/O, plain records in, plain results out).

- A criterion is met by a *passed* reflective-log entry whose passed version claimed it (and, where the
  source tells, whose decision marked it met). The earliest pass is the achievement date and its entry the
  evidence; entries still in draft, submitted or referred are kept to explain what is missing.
- A unit is achieved when every criterion is met and every extra requirement the catalogue names holds
  (a passed facilitation exercise, a needs assessment taken); its date is the latest of those dates.
- A qualification is achieved when its rules of combination hold over the achieved units that belong to it:
  every mandatory unit, each optional group's minimum credits, the total credits, and the credits at or above
  the qualification's level. Its date is the first date on which all of them held.

Every result keeps what it was decided on, so :mod:`.explain` can give the reason for each decision.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from lp_programme.catalogue import Catalogue, Qualification, Requirement, Unit
from .sources.base import Exercise, Learner, ReflectiveEntry

PASSED = "passed"


@dataclass(slots=True)
class CriterionResult:
    id: str
    met: bool
    at: dt.datetime | None = None               # the earliest pass
    evidence: ReflectiveEntry | None = None     # the entry that passed first
    others: list = field(default_factory=list)  # entries that claim it but do not (yet) meet it


@dataclass(slots=True)
class RequirementResult:
    requirement: Requirement
    met: bool
    at: dt.datetime | None = None
    record: Exercise | None = None              # the passing record, or the best try when none passed


@dataclass(slots=True)
class UnitResult:
    unit: Unit
    achieved: bool
    date: dt.date | None
    requirements: list
    _met: dict = field(repr=False)          # the learner's criterion id -> (earliest pass, entry)
    _others: dict = field(repr=False)       # the learner's criterion id -> entries not (yet) meeting it

    @property
    def criteria(self) -> list:
        """Each criterion's decision: the evidence, or the entries that claim it without meeting it."""
        found = []
        for ident in self.unit.criterion_ids:
            hit = self._met.get(ident)
            others = self._others.get(ident, [])
            found.append(CriterionResult(ident, True, hit[0], hit[1], others) if hit else
                         CriterionResult(ident, False, others=others))
        return found

    @property
    def evidence_refs(self) -> tuple:
        """What the unit was achieved on, as stable references (the idempotency key hashes them)."""
        refs = set()
        for ident in self.unit.criterion_ids:
            hit = self._met.get(ident)
            if hit:
                refs.add(f"reflective_entry:{hit[1].entry_id}:v{hit[1].version}")
        refs.update(r.requirement.ref for r in self.requirements if r.met)
        return tuple(sorted(refs))

    @property
    def missing(self) -> int:
        return sum(ident not in self._met for ident in self.unit.criterion_ids) + sum(
            not r.met for r in self.requirements)


@dataclass(slots=True)
class Check:
    """One rule of combination: what it needs, what the learner has."""
    rule: str           # mandatory, group, credits, level
    ok: bool
    needed: int
    have: int
    subject: str = ""   # the unit id (mandatory) or the group title


@dataclass(slots=True)
class QualificationResult:
    qualification: Qualification
    achieved: bool
    date: dt.date | None
    credits: int
    credits_at_level: int
    _totals: object = field(repr=False)

    @property
    def checks(self) -> list:
        """Each rule of combination with what it needs and what the learner has."""
        return self._totals.checks()


@dataclass(slots=True)
class LearnerResult:
    username: str
    known: bool                                 # the source has any record of the learner
    units: dict                                 # unit id -> UnitResult, in catalogue order
    unknown_criteria: tuple                     # ids claimed in passed entries that the catalogue lacks

    def qualification(self, qualification: Qualification, tz) -> QualificationResult:
        return combine(qualification, self.units, tz)


def map_learner(catalogue: Catalogue, username: str, records, tz) -> LearnerResult:
    """Decide every criterion and unit of the catalogue for one learner's records (dates in ``tz``)."""
    met: dict[str, tuple] = {}
    others: dict[str, list] = {}
    exercises: dict[str, Exercise] = {}
    unknown = set()
    known = False
    in_catalogue = catalogue.criterion_unit
    met_get = met.get
    for record in records:
        known = True
        if type(record) is ReflectiveEntry:  # pylint: disable=unidiomatic-typecheck  # the hot path
            counted = record.status == PASSED and record.decided_at is not None
            marked = record.criteria_met
            when = record.decided_at
            for ident in record.criteria:
                if ident not in in_catalogue:
                    if counted:
                        unknown.add(ident)
                    continue
                if counted and (marked is None or ident in marked):
                    best = met_get(ident)
                    if best is None or when < best[0]:
                        met[ident] = (when, record)
                else:
                    others.setdefault(ident, []).append(record)
        elif isinstance(record, Exercise):
            best = exercises.get(record.ref)
            if best is None or _better(record, best):
                exercises[record.ref] = record
        elif not isinstance(record, Learner):
            raise TypeError(f"unknown record {record!r}")
    units = {}
    days: dict = {}  # local dates of the moments seen, computed once each
    for unit in catalogue.units:
        achieved = True
        latest = None
        for ident in unit.criterion_ids:
            found = met_get(ident)
            if found is None:
                achieved = False
                break
            if latest is None or found[0] > latest:
                latest = found[0]
        requirements = []
        for requirement in unit.requires:
            record = exercises.get(requirement.ref)
            ok = record is not None and record.passed
            if ok and record.completed_at is not None and (latest is None or record.completed_at > latest):
                latest = record.completed_at
            achieved = achieved and ok
            requirements.append(RequirementResult(requirement, ok, record.completed_at if ok else None, record))
        date = None
        if achieved and latest is not None:
            date = days.get(latest)
            if date is None:
                date = days[latest] = latest.astimezone(tz).date()
        units[unit.id] = UnitResult(unit, achieved, date, requirements, met, others)
    return LearnerResult(username, known, units, tuple(sorted(unknown)))


def _better(record: Exercise, best: Exercise) -> bool:
    """A passed result beats a failed one; among passes the earliest counts."""
    if record.passed != best.passed:
        return record.passed
    if record.passed:
        return best.completed_at is None or (record.completed_at is not None and record.completed_at < best.completed_at)
    return record.attempts > best.attempts


class _Totals:
    """Running sums of one qualification's rules of combination as achieved units are added."""

    __slots__ = ("q", "mandatory", "groups", "credits", "at_level")

    def __init__(self, qualification: Qualification):
        self.q = qualification
        self.mandatory = set()
        self.groups = [0] * len(qualification.optional_groups)
        self.credits = 0
        self.at_level = 0

    def add(self, unit: Unit):
        credit = unit.credit
        self.credits += credit
        if unit.rank >= self.q.rank:
            self.at_level += credit
        mandatory, group = self.q.membership[unit.id]
        if mandatory:
            self.mandatory.add(unit.id)
        elif group >= 0:
            self.groups[group] += credit

    def ok(self) -> bool:
        q = self.q
        return (len(self.mandatory) == len(q.mandatory_units) and self.credits >= q.credits_required
                and self.at_level >= q.min_credits_at_or_above_level
                and all(have >= group.min_credits for have, group in zip(self.groups, q.optional_groups)))

    def checks(self) -> list:
        q = self.q
        found = [Check("mandatory", unit_id in self.mandatory, 1, int(unit_id in self.mandatory), unit_id)
                 for unit_id in q.mandatory_units]
        found += [Check("group", have >= group.min_credits, group.min_credits, have, group.title)
                  for have, group in zip(self.groups, q.optional_groups)]
        found.append(Check("credits", self.credits >= q.credits_required, q.credits_required, self.credits))
        found.append(Check("level", self.at_level >= q.min_credits_at_or_above_level, q.min_credits_at_or_above_level,
                           self.at_level, q.level))
        return found


def combine(qualification: Qualification, units: dict, tz=None) -> QualificationResult:  # pylint: disable=unused-argument
    """Apply the rules of combination to the achieved units; the date is when they first all held."""
    achieved = [units[unit_id] for unit_id in qualification.unit_ids if unit_id in units and units[unit_id].achieved]
    totals = _Totals(qualification)
    for result in achieved:
        totals.add(result.unit)
    ok = totals.ok()
    date = None
    dates = {result.date for result in achieved}
    if ok and len(dates) == 1:
        date = dates.pop()  # everything on one day (the common case): no need to replay
    elif ok:
        running = _Totals(qualification)
        for result in sorted(achieved, key=lambda result: result.date or dt.date.min):
            running.add(result.unit)
            if running.ok():
                date = result.date
                break
    return QualificationResult(qualification, ok, date, totals.credits, totals.at_level, totals)


def idempotency_key(centre_number: str, uln: str, candidate_number: str, unit_code: str, evidence_refs) -> str:
    """A stable key for one claim: the same candidate, unit and evidence always give the same key."""
    text = json.dumps([centre_number, uln, candidate_number, unit_code, sorted(evidence_refs)], separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]
