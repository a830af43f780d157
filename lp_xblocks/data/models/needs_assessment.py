"""The needs-assessment block's cross-learner records: every attempt and its theme scores."""
from django.db import models


class NeedsAssessmentAttempt(models.Model):
    """One learner's submission of one needs-assessment block."""

    block_key = models.CharField(max_length=255, help_text="Usage key of the block.")
    course_key = models.CharField(max_length=255, blank=True, default="", help_text="Course of the block.")
    student_id = models.CharField(max_length=255, help_text="Anonymous student id (the runtime's user id in the workbench).")
    username = models.CharField(max_length=150, blank=True, default="", help_text="Username when the runtime gives one.")
    attempt = models.PositiveIntegerField(help_text="1 for the first submission, then 2, 3 ...")
    is_latest = models.BooleanField(default=True, help_text="True on the learner's most recent attempt only.")
    archived = models.BooleanField(
        default=False, help_text="Removed by an instructor's delete of the learner's state (kept for audit, in no report).")
    submitted_at = models.DateTimeField()
    overall = models.FloatField()
    stage = models.CharField(max_length=100, blank=True, default="")
    answers = models.JSONField(default=dict, help_text="Statement id -> scale value.")
    scores = models.JSONField(default=dict, help_text="Theme id -> score in this attempt.")
    first_scores = models.JSONField(default=dict, help_text="Theme id -> score in the learner's first attempt.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["block_key", "student_id", "attempt"], name="lp_na_attempt_unique"),
        ]
        indexes = [
            models.Index(fields=["block_key", "is_latest", "student_id"], name="lp_na_latest_idx"),
        ]

    def __str__(self):
        return f"{self.student_id} attempt {self.attempt} of {self.block_key}"


class NeedsAssessmentThemeScore(models.Model):
    """A theme's score and band within one attempt (one row per theme, for SQL aggregation)."""

    attempt = models.ForeignKey(NeedsAssessmentAttempt, on_delete=models.CASCADE, related_name="theme_scores")
    theme_id = models.CharField(max_length=100)
    score = models.FloatField()
    band = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "theme_id"], name="lp_na_theme_unique"),
        ]

    def __str__(self):
        return f"{self.theme_id}={self.score}"
