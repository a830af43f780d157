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

from .catalogue import Catalogue, Qualification, Requirement, Unit, level_rank
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
    criteria: list
    requirements: list

    @property
    def evidence_refs(self) -> tuple:
        """What the unit was achieved on, as stable references (the idempotency key hashes them)."""
        refs = {f"reflective_entry:{c.evidence.entry_id}:v{c.evidence.version}" for c in self.criteria if c.met}
        refs.update(r.requirement.ref for r in self.requirements if r.met)
        return tuple(sorted(refs))

    @property
    def missing(self) -> int:
        return sum(not c.met for c in self.criteria) + sum(not r.met for r in self.requirements)


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
    checks: list


@dataclass(slots=True)
class LearnerResult:
    username: str
    known: bool                                 # the source has any record of the learner
    units: dict                                 # unit id -> UnitResult, in catalogue order
    unknown_criteria: tuple                     # ids claimed in passed entries that the catalogue lacks

    def qualification(self, qualification: Qualification, tz) -> QualificationResult:
        return combine(qualification, self.units, tz)


def _local_date(moment: dt.datetime | None, tz) -> dt.date | None:
    return moment.astimezone(tz).date() if moment is not None else None


def map_learner(catalogue: Catalogue, username: str, records, tz) -> LearnerResult:
    """Decide every criterion and unit of the catalogue for one learner's records (dates in ``tz``)."""
    met: dict[str, tuple] = {}
    others: dict[str, list] = {}
    exercises: dict[str, Exercise] = {}
    unknown = set()
    known = False
    for record in records:
        known = True
        if isinstance(record, ReflectiveEntry):
            counted = record.status == PASSED and record.decided_at is not None
            for ident in record.criteria:
                if ident not in catalogue.criterion_unit:
                    if counted:
                        unknown.add(ident)
                    continue
                if counted and (record.criteria_met is None or ident in record.criteria_met):
                    best = met.get(ident)
                    if best is None or record.decided_at < best[0]:
                        met[ident] = (record.decided_at, record)
                else:
                    others.setdefault(ident, []).append(record)
        elif isinstance(record, Exercise):
            best = exercises.get(record.ref)
            if best is None or _better(record, best):
                exercises[record.ref] = record
        elif not isinstance(record, Learner):
            raise TypeError(f"unknown record {record!r}")
    units = {}
    for unit in catalogue.units:
        criteria = []
        achieved = True
        latest = None
        for criterion in unit.criteria:
            found = met.get(criterion.id)
            if found is None:
                achieved = False
                criteria.append(CriterionResult(criterion.id, False, others=others.get(criterion.id, [])))
            else:
                if latest is None or found[0] > latest:
                    latest = found[0]
                criteria.append(CriterionResult(criterion.id, True, found[0], found[1], others.get(criterion.id, [])))
        requirements = []
        for requirement in unit.requires:
            record = exercises.get(requirement.ref)
            ok = record is not None and record.passed
            if ok and record.completed_at is not None and (latest is None or record.completed_at > latest):
                latest = record.completed_at
            achieved = achieved and ok
            requirements.append(RequirementResult(requirement, ok, record.completed_at if ok else None, record))
        units[unit.id] = UnitResult(unit, achieved, _local_date(latest, tz) if achieved else None, criteria, requirements)
    return LearnerResult(username, known, units, tuple(sorted(unknown)))


def _better(record: Exercise, best: Exercise) -> bool:
    """A passed result beats a failed one; among passes the earliest counts."""
    if record.passed != best.passed:
        return record.passed
    if record.passed:
        return best.completed_at is None or (record.completed_at is not None and record.completed_at < best.completed_at)
    return record.attempts > best.attempts


def combine(qualification: Qualification, units: dict, tz=None) -> QualificationResult:  # pylint: disable=unused-argument
    """Apply the rules of combination to the achieved units; the date is when they first all held."""
    members = [units[unit_id] for unit_id in qualification.unit_ids if unit_id in units]
    achieved = [result for result in members if result.achieved]
    checks = _checks(qualification, achieved)
    ok = all(check.ok for check in checks)
    date = None
    if ok:
        ordered = sorted(achieved, key=lambda result: result.date or dt.date.min)
        for count in range(1, len(ordered) + 1):
            if all(check.ok for check in _checks(qualification, ordered[:count])):
                date = ordered[count - 1].date
                break
    credits = sum(result.unit.credit for result in achieved)
    at_level = sum(result.unit.credit for result in achieved if _at_level(result.unit, qualification))
    return QualificationResult(qualification, ok, date, credits, at_level, checks)


def _at_level(unit: Unit, qualification: Qualification) -> bool:
    return level_rank(unit.level) >= level_rank(qualification.level)


def _checks(qualification: Qualification, achieved: list) -> list:
    by_id = {result.unit.id: result for result in achieved}
    checks = [Check("mandatory", unit_id in by_id, 1, int(unit_id in by_id), unit_id)
              for unit_id in qualification.mandatory_units]
    for group in qualification.optional_groups:
        have = sum(by_id[unit_id].unit.credit for unit_id in group.units if unit_id in by_id)
        checks.append(Check("group", have >= group.min_credits, group.min_credits, have, group.title))
    credits = sum(result.unit.credit for result in achieved)
    checks.append(Check("credits", credits >= qualification.credits_required, qualification.credits_required, credits))
    at_level = sum(result.unit.credit for result in achieved if _at_level(result.unit, qualification))
    checks.append(Check("level", at_level >= qualification.min_credits_at_or_above_level,
                        qualification.min_credits_at_or_above_level, at_level, qualification.level))
    return checks


def idempotency_key(centre_number: str, uln: str, candidate_number: str, unit_code: str, evidence_refs) -> str:
    """A stable key for one claim: the same candidate, unit and evidence always give the same key."""
    text = json.dumps([centre_number, uln, candidate_number, unit_code, sorted(evidence_refs)], separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]
