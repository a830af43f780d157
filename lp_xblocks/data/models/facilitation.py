"""
The facilitation-exercise block's cross-learner records: one row per learner per attempt, and one per
choice made, so that the tutors' choice report is a few grouped, indexed SQL queries.
"""
from django.db import models


class FacilitationAttempt(models.Model):
    """One learner's play through a facilitation scenario, from its first choice to an ending."""

    block_key = models.CharField(max_length=255, help_text="Usage key of the block.")
    course_key = models.CharField(max_length=255, blank=True, default="", help_text="Course of the block.")
    student_id = models.CharField(max_length=255, help_text="Anonymous student id (the runtime's user id in the workbench).")
    username = models.CharField(max_length=150, blank=True, default="", help_text="Username when the runtime gives one.")
    attempt = models.PositiveIntegerField(help_text="1 for the learner's first play, then 2, 3 ...")
    started_at = models.DateTimeField()
    ending_id = models.CharField(max_length=100, blank=True, default="", help_text="The ending reached; empty while playing.")
    completed_at = models.DateTimeField(null=True, blank=True)
    points = models.PositiveIntegerField(null=True, blank=True, help_text="Points of the path, once ended.")
    max_points = models.PositiveIntegerField(null=True, blank=True, help_text="The scenario's maximum when it ended.")
    passed = models.BooleanField(
        default=False, help_text="The attempt counts and passed: points and a passing ending (never for practice).")
    practice = models.BooleanField(default=False, help_text="A practice play that can never count (graded_attempt).")
    archived = models.BooleanField(
        default=False, help_text="Removed by an instructor's delete of the learner's state (kept for audit, in no report).")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["block_key", "student_id", "attempt"], name="lp_fx_attempt_unique"),
        ]
        indexes = [
            models.Index(fields=["block_key", "ending_id", "student_id", "passed"], name="lp_fx_ending_idx"),
        ]

    def __str__(self):
        return f"{self.student_id} attempt {self.attempt} of {self.block_key}"


class FacilitationChoice(models.Model):
    """One choice a learner made in one scene during one attempt."""

    block_key = models.CharField(max_length=255, help_text="Usage key of the block.")
    student_id = models.CharField(max_length=255)
    attempt = models.PositiveIntegerField()
    scene_id = models.CharField(max_length=100)
    choice_index = models.PositiveSmallIntegerField(help_text="0-based position of the choice in its scene.")
    chosen_at = models.DateTimeField()
    archived = models.BooleanField(default=False, help_text="As the attempt's: removed by a delete of learner state.")

    class Meta:
        constraints = [
            # The graph has no cycles, so a scene is met at most once per attempt.
            models.UniqueConstraint(fields=["block_key", "student_id", "attempt", "scene_id"], name="lp_fx_choice_unique"),
        ]
        indexes = [
            models.Index(fields=["block_key", "scene_id", "choice_index", "student_id"], name="lp_fx_choice_idx"),
        ]

    def __str__(self):
        return f"{self.student_id} took {self.scene_id}[{self.choice_index}] in attempt {self.attempt}"


class FacilitationActionPlan(models.Model):
    """A learner's saved action plan for one exercise (its latest version), for the whole-programme portfolio."""

    block_key = models.CharField(max_length=255, help_text="Usage key of the block.")
    course_key = models.CharField(max_length=255, blank=True, default="", help_text="Course of the block.")
    student_id = models.CharField(max_length=255, help_text="Anonymous student id (the runtime's user id in the workbench).")
    username = models.CharField(max_length=150, blank=True, default="", help_text="Username when the runtime gives one.")
    rows = models.JSONField(default=list, help_text="Actions: what, where, whom, when.")
    reflection = models.TextField(blank=True, default="")
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["block_key", "student_id"], name="lp_fx_plan_unique"),
        ]
        indexes = [
            models.Index(fields=["course_key", "student_id"], name="lp_fx_plan_learner_idx"),
            models.Index(fields=["course_key", "username"], name="lp_fx_plan_username_idx"),
        ]

    def __str__(self):
        return f"{self.student_id}'s action plan in {self.block_key}"
