"""
Internal quality assurance of reflective-log marking: verifiers' decisions, learners' appeals and
reasonable-adjustments notes (docs/decisions/0008-verification-and-appeals.md). Every row is kept: a
verification or an appeal outcome is never edited, and a note is a new row each time it changes (its history
is its audit trail). State changes of entries are also audit events (``ReflectiveAuditEvent``).
"""
from django.db import models

from .reflective_log import ReflectiveEntry


class VerificationDecision(models.Model):
    """An internal verifier's agreement or disagreement with one tutor decision on one version."""

    AGREEMENT_CHOICES = [("agree", "Agrees"), ("disagree", "Disagrees: returned to the tutors")]

    entry = models.ForeignKey(ReflectiveEntry, on_delete=models.CASCADE, related_name="verifications")
    version = models.PositiveIntegerField(help_text="The version whose decision was verified.")
    decision = models.CharField(max_length=10, help_text="The decision verified: pass or refer.")
    marker = models.CharField(max_length=150, help_text="The tutor who made the decision.")
    verifier = models.CharField(max_length=150)
    agreement = models.CharField(max_length=10, choices=AGREEMENT_CHOICES)
    comment = models.TextField(blank=True, default="", help_text="Required to disagree; the tutor reads it.")
    reasons = models.JSONField(default=list, help_text="Why the sampling plan picked the entry ([] added by hand).")
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["entry", "at"], name="lp_qa_verify_idx")]

    def __str__(self):
        return f"{self.entry_id} v{self.version} {self.decision}: {self.agreement} ({self.verifier})"


class Appeal(models.Model):
    """A learner's appeal against the referral of one version, and its outcome."""

    STATUS_CHOICES = [("open", "Open"), ("upheld", "Upheld"), ("not_upheld", "Not upheld")]

    entry = models.ForeignKey(ReflectiveEntry, on_delete=models.CASCADE, related_name="appeals")
    version = models.PositiveIntegerField(help_text="The referred version appealed against.")
    referred_by = models.CharField(max_length=150, help_text="The tutor who referred it (may not decide the appeal).")
    reasons = models.TextField(help_text="The learner's reasons.")
    appealed_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, default="open")
    decided_by = models.CharField(max_length=150, blank=True, default="")
    decided_role = models.CharField(max_length=20, blank=True, default="", help_text="tutor or verifier.")
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome_reasons = models.TextField(blank=True, default="", help_text="Shown to the learner.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "version"], name="lp_qa_appeal_once")]
        indexes = [models.Index(fields=["status", "appealed_at"], name="lp_qa_appeal_idx")]

    def __str__(self):
        return f"appeal {self.pk} on {self.entry_id} v{self.version}: {self.status}"


class AdjustmentNote(models.Model):
    """One version of the reasonable-adjustments note of a learner in a course (the latest row is current)."""

    course_key = models.CharField(max_length=255, help_text="Course (the block key in the workbench, which has none).")
    username = models.CharField(max_length=150, help_text="The learner the note is about.")
    note = models.TextField(blank=True, default="")
    author = models.CharField(max_length=150)
    role = models.CharField(max_length=20, help_text="tutor or verifier.")
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["course_key", "username", "at"], name="lp_qa_note_idx")]

    def __str__(self):
        return f"adjustments of {self.username} in {self.course_key} by {self.author}"
