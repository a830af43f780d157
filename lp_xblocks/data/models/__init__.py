"""
Cross-learner records, one module per block. Each learner's own state also lives in the block's
``user_state`` fields; these tables exist so that staff views read every learner in a few indexed queries.
"""
from .facilitation import FacilitationActionPlan, FacilitationAttempt, FacilitationChoice
from .needs_assessment import (
    NeedsAssessmentAttempt, NeedsAssessmentSummary, NeedsAssessmentThemeScore, Partnership, PartnershipRater,
)
from .reflective_log import ReflectiveAuditEvent, ReflectiveEntry, ReflectiveEntryVersion, ReflectiveFeedback
from .workshop import WorkshopBooking, WorkshopSession

__all__ = [
    "FacilitationActionPlan", "FacilitationAttempt", "FacilitationChoice",
    "NeedsAssessmentAttempt", "NeedsAssessmentSummary", "NeedsAssessmentThemeScore", "Partnership",
    "PartnershipRater",
    "ReflectiveAuditEvent", "ReflectiveEntry", "ReflectiveEntryVersion", "ReflectiveFeedback",
    "WorkshopBooking", "WorkshopSession",
]
