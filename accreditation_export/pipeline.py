"""
The register joined with a source (streaming): candidates and records are both sorted by username, so one
pass over each maps every candidate with no more than one learner's records in memory.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from .i18n import _
from .mapping import LearnerResult, QualificationResult, map_learner
from .register import Candidate, Rejection
from .sources.base import SourceError, by_learner


@dataclass(slots=True)
class Outcome:
    candidate: Candidate
    result: LearnerResult
    qualification: QualificationResult

    def achieved_units(self):
        """The achieved units of the registered qualification, in its order (what is claimed)."""
        units = self.result.units
        return [units[unit_id] for unit_id in self.qualification.qualification.unit_ids if units[unit_id].achieved]


def evaluate(catalogue, candidates: list, records: Iterable, tz, rejections: list,
             source_name: str = "the source") -> Iterator[Outcome]:
    """
    Map each candidate (sorted by username) on its records. A candidate the source has no record of at all
    is appended to ``rejections`` (a mistyped username would otherwise pass as 'nothing achieved').
    """
    qualifications = {q.code: q for q in catalogue.qualifications}
    groups = by_learner(records)
    current = next(groups, None)
    previous = None
    for candidate in candidates:
        while current is not None and current[0] < candidate.username:
            previous = current[0]
            current = next(groups, None)
            if current is not None and previous is not None and current[0] < previous:
                raise SourceError(_("{source} did not give its records sorted by username").format(source=source_name))
        found = current[1] if current is not None and current[0] == candidate.username else []
        if not found:
            rejections.append(Rejection(
                candidate.line, candidate.username, candidate.candidate_number, candidate.family_name,
                candidate.given_name, "username",
                _("no learner {username!r} in the evidence (no entries, exercises or enrolment): check the username")
                .format(username=candidate.username)))
            continue
        result = map_learner(catalogue, candidate.username, found, tz)
        qualification = qualifications[candidate.qualification]
        yield Outcome(candidate, result, result.qualification(qualification, tz))
