"""
The queries the blocks run on cross-learner data, one module per block. Blocks call these functions;
they never build ORM queries themselves. Every listing query filters on an indexed column and returns
plain data.
"""
from .facilitation import (
    DuplicateChoice, archive_facilitation_learner, facilitation_choice_report, record_facilitation_choice,
)
from .needs_assessment import (
    DuplicateAttempt, archive_needs_assessment_learner, needs_assessment_cohort, needs_assessment_latest,
    record_needs_assessment_attempt,
)

__all__ = [
    "DuplicateAttempt", "DuplicateChoice", "archive_facilitation_learner", "archive_needs_assessment_learner",
    "facilitation_choice_report", "needs_assessment_cohort", "needs_assessment_latest",
    "record_facilitation_choice", "record_needs_assessment_attempt",
]
