"""
Cross-learner records, one module per block. Each learner's own state also lives in the block's
``user_state`` fields; these tables exist so that staff views read every learner in a few indexed queries.
"""
from .activity import ActivityResponse
from .facilitation import FacilitationActionPlan, FacilitationAttempt, FacilitationChoice
from .mentoring import MentoringPair, MentoringSession
from .needs_assessment import (
    NeedsAssessmentAttempt, NeedsAssessmentSummary, NeedsAssessmentThemeScore, Partnership, PartnershipRater,
)
from .quality import AdjustmentNote, Appeal, VerificationDecision
from .reflective_log import EvidenceFile, ReflectiveAuditEvent, ReflectiveEntry, ReflectiveEntryVersion, ReflectiveFeedback
from .workshop import WorkshopBooking, WorkshopSession

__all__ = [
    "ActivityResponse", "AdjustmentNote", "Appeal", "VerificationDecision", "EvidenceFile",
    "FacilitationActionPlan", "FacilitationAttempt", "FacilitationChoice", "MentoringPair", "MentoringSession",
    "NeedsAssessmentAttempt", "NeedsAssessmentSummary", "NeedsAssessmentThemeScore", "Partnership",
    "PartnershipRater",
    "ReflectiveAuditEvent", "ReflectiveEntry", "ReflectiveEntryVersion", "ReflectiveFeedback",
    "WorkshopBooking", "WorkshopSession",
]
