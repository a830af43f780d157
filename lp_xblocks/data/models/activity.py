"""
The saved-learning-activity block's records: one row per learner per activity holding their latest saved
response, so that responses collect into the learner's own portfolio and can be cited as evidence.
"""
from django.db import models


class ActivityResponse(models.Model):
    """A learner's latest saved response to one learning activity."""

    block_key = models.CharField(max_length=255, help_text="Usage key of the block.")
    course_key = models.CharField(max_length=255, blank=True, default="", help_text="Course of the block.")
    student_id = models.CharField(max_length=255, help_text="Anonymous student id (the runtime's user id in the workbench).")
    username = models.CharField(max_length=150, blank=True, default="", help_text="Username when the runtime gives one.")
    title = models.CharField(max_length=255, blank=True, default="", help_text="The activity's name when last saved.")
    prompt = models.TextField(blank=True, default="", help_text="The activity's prompt when last saved.")
    response = models.TextField(help_text="The learner's response (plain text).")
    word_count = models.PositiveIntegerField(default=0)
    first_saved_at = models.DateTimeField()
    saved_at = models.DateTimeField()
    archived = models.BooleanField(
        default=False, help_text="Removed by an instructor's delete of the learner's state (kept, in no portfolio).")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["block_key", "student_id"], name="lp_act_response_unique"),
        ]
        indexes = [
            models.Index(fields=["course_key", "student_id"], name="lp_act_learner_idx"),
            models.Index(fields=["course_key", "username"], name="lp_act_username_idx"),
        ]

    def __str__(self):
        return f"{self.student_id}'s response to {self.block_key}"
