"""
The queries the blocks run on cross-learner data, one module per block. Blocks call these functions;
they never build ORM queries themselves. Every listing query filters on an indexed column and returns
plain data.
"""
# Imported for its side effect too: it registers the "activity" source of citable records (api.citations),
# so the source exists whenever anything imports the registry (which imports this package first).
from . import activity  # noqa: F401  pylint: disable=unused-import
from .facilitation import (
    DuplicateChoice, archive_facilitation_learner, facilitation_choice_report, record_facilitation_choice,
)
from . import mentoring  # registers the "mentoring_session" citation source
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
    "membership", "mentoring", "needs_assessment_cohort", "needs_assessment_latest", "partnership_ratings",
    "rebuild_needs_assessment_summary", "recompute_needs_assessment_cohort", "record_facilitation_choice",
    "record_needs_assessment_attempt", "withdraw_needs_assessment_latest",
]
