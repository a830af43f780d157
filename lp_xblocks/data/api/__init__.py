"""
The queries the blocks run on cross-learner data, one module per block. Blocks call these functions;
they never build ORM queries themselves. Every listing query filters on an indexed column and returns
plain data.
"""
from .facilitation import (
    DuplicateChoice, archive_facilitation_learner, facilitation_choice_report, record_facilitation_choice,
)
from .needs_assessment import (
    DuplicateAttempt, PartnershipRefused, archive_needs_assessment_learner, create_partnership, join_partnership,
    membership, needs_assessment_cohort, needs_assessment_latest, partnership_ratings,
    rebuild_needs_assessment_summary, recompute_needs_assessment_cohort, record_needs_assessment_attempt,
    withdraw_needs_assessment_latest,
)
# The workshop's data API registers its citable records (attended sessions) when imported.
from . import workshop  # noqa: F401  pylint: disable=unused-import

__all__ = [
    "DuplicateAttempt", "DuplicateChoice", "PartnershipRefused", "archive_facilitation_learner",
    "archive_needs_assessment_learner", "create_partnership", "facilitation_choice_report", "join_partnership",
    "membership", "needs_assessment_cohort", "needs_assessment_latest", "partnership_ratings",
    "rebuild_needs_assessment_summary", "recompute_needs_assessment_cohort", "record_facilitation_choice",
    "record_needs_assessment_attempt", "withdraw_needs_assessment_latest",
]
