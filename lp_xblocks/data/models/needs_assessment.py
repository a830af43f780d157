"""
The needs-assessment block's cross-learner records: every attempt and its theme scores, the running
per-theme, per-band summary that staff reports read, and multi-rater partnerships.
"""
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
    overall = models.FloatField(null=True, help_text="Mean of the scored themes; None when every answer was 'Don't know'.")
    stage = models.CharField(max_length=100, blank=True, default="")
    answers = models.JSONField(default=dict, help_text="Statement id -> scale value.")
    scores = models.JSONField(default=dict, help_text="Theme id -> score in this attempt.")
    first_scores = models.JSONField(default=dict, help_text="Theme id -> score in the learner's first attempt.")
    dont_know = models.PositiveIntegerField(default=0, help_text="Statements answered 'Don't know / not applicable'.")
    placements = models.JSONField(default=dict, help_text="Placement target (whole partnership or activity) -> stage id.")
    comments = models.JSONField(default=dict, help_text="Theme id -> the learner's optional comment (satisfaction surveys).")
    partnership = models.ForeignKey(
        "Partnership", null=True, blank=True, on_delete=models.SET_NULL, related_name="attempts",
        help_text="The partnership the learner rated, when they belong to one.")

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
    score = models.FloatField(null=True, help_text="None when every statement was answered 'Don't know'.")
    band = models.CharField(max_length=100, blank=True, default="")
    dont_know = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "theme_id"], name="lp_na_theme_unique"),
        ]

    def __str__(self):
        return f"{self.theme_id}={self.score}"


class NeedsAssessmentSummary(models.Model):
    """
    Running totals over every learner's latest attempt at one block, kept in step inside the submit
    transaction with atomic increments, so a cohort report reads a few rows whatever the cohort's size.

    One row per (theme, band): ``learners`` whose latest attempt put the theme in that band, the sum of their
    theme scores in hundredths (exact: scores have two decimal places) and their "don't know" answers. Band
    ``""`` holds learners whose theme had no score (every statement "don't know"). The row with theme ``""``
    and band ``""`` counts learners and all their "don't know" answers for the whole block.
    """

    block_key = models.CharField(max_length=255)
    theme_id = models.CharField(max_length=100, blank=True, default="")
    band = models.CharField(max_length=100, blank=True, default="")
    learners = models.IntegerField(default=0)
    score_hundredths = models.BigIntegerField(default=0)
    dont_know = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["block_key", "theme_id", "band"], name="lp_na_summary_unique"),
        ]

    def __str__(self):
        return f"{self.block_key} {self.theme_id or '*'}/{self.band or '-'}: {self.learners}"


class Partnership(models.Model):
    """A partnership rated by several people: created by its manager, joined by partners with its code."""

    course_key = models.CharField(max_length=255)
    code = models.CharField(max_length=16, unique=True, help_text="What partners type to join.")
    name = models.CharField(max_length=200)
    manager_student_id = models.CharField(max_length=255)
    manager_username = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course_key", "manager_student_id"], name="lp_partnership_one_per_manager"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class PartnershipRater(models.Model):
    """A member of one partnership in a course: its manager or a partner (partners take only the health check)."""

    MANAGER, PARTNER = "manager", "partner"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="raters")
    course_key = models.CharField(max_length=255)
    student_id = models.CharField(max_length=255)
    username = models.CharField(max_length=150, blank=True, default="")
    role = models.CharField(max_length=10, choices=[(MANAGER, "manager"), (PARTNER, "partner")])
    joined_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course_key", "student_id"], name="lp_partnership_rater_once"),
        ]

    def __str__(self):
        return f"{self.student_id} ({self.role}) in {self.partnership_id}"
