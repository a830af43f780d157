"""
The mentoring block's cross-learner records: who mentors whom (with the agreement both signed and the
closing review), and the sessions a mentee logs and their mentor confirms.

A pair belongs to one mentoring block (``block_key``); mentee and mentor are named by username (what a
coordinator knows and puts in a CSV file); the mentee's anonymous student id is filled in when they first
open the block (citations and reports are scoped by it). Unpairing keeps the row (``active`` false) and
its sessions, for the record.
"""
from django.db import models


class MentoringPair(models.Model):
    """One mentee and their mentor in one mentoring block."""

    block_key = models.CharField(max_length=255, help_text="Usage key of the mentoring block.")
    course_key = models.CharField(max_length=255, blank=True, default="", help_text="Course of the block.")
    mentee_username = models.CharField(max_length=150, help_text="The mentee's username.")
    mentee_student_id = models.CharField(
        max_length=255, blank=True, default="", help_text="The mentee's anonymous id, once they opened the block.")
    mentor_username = models.CharField(max_length=150, help_text="The mentor's username.")
    mentor_organisation = models.CharField(max_length=200, blank=True, default="")
    paired_by = models.CharField(max_length=150, blank=True, default="", help_text="The coordinator who paired them.")
    paired_at = models.DateTimeField()
    active = models.BooleanField(default=True, help_text="False once the coordinator ended the pairing.")
    agreement = models.JSONField(default=dict, help_text="Terms, versions and signatures (mentoring/agreement.py).")
    agreement_status = models.CharField(max_length=20, default="none", help_text="none, awaiting, agreed, changed.")
    agreed_at = models.DateTimeField(null=True, blank=True, help_text="When both first signed an agreement.")
    review = models.JSONField(default=dict, blank=True, help_text="The closing review: goals met, what next, continue.")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["block_key", "mentee_username"], name="lp_mentor_pair_unique"),
        ]
        indexes = [
            models.Index(fields=["block_key", "mentor_username", "active"], name="lp_mentor_mentor_idx"),
            models.Index(fields=["course_key", "mentee_student_id"], name="lp_mentor_mentee_idx"),
        ]

    def __str__(self):
        return f"{self.mentor_username} mentors {self.mentee_username} in {self.block_key}"


class MentoringSession(models.Model):
    """A session the mentee logged: what was discussed and the actions agreed; the mentor confirms it."""

    pair = models.ForeignKey(MentoringPair, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveIntegerField(help_text="1 for the pair's first session, then 2, 3 ...")
    course_key = models.CharField(max_length=255, blank=True, default="")
    mentee_student_id = models.CharField(max_length=255, blank=True, default="")
    mentor_username = models.CharField(max_length=150, help_text="The mentor when the session was logged.")
    held_on = models.DateField(help_text="The day the session was held.")
    focus = models.CharField(max_length=200)
    discussed = models.TextField()
    actions = models.JSONField(default=list, help_text="Agreed actions: what, where, whom, when.")
    state = models.CharField(max_length=20, default="logged", help_text="logged, commented, confirmed.")
    version = models.PositiveIntegerField(default=1)
    comment = models.TextField(blank=True, default="", help_text="The mentor's comment asking for a change.")
    logged_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pair", "number"], name="lp_mentor_session_unique"),
        ]
        indexes = [
            models.Index(fields=["course_key", "mentee_student_id", "state"], name="lp_mentor_cite_idx"),
        ]

    def __str__(self):
        return f"session {self.number} of {self.pair_id} ({self.state})"
