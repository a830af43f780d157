"""
The workshop block's cross-learner records: one lock row per session (sign-ups to a session queue on it) and
one booking per learner per session, carrying their place (booked, waiting, cancelled) and their attendance.
"""
from django.db import models


class WorkshopSession(models.Model):
    """
    A session's row, locked (``SELECT ... FOR UPDATE`` on MySQL/MariaDB; the first write of the transaction on
    SQLite) by every sign-up and cancellation, so that two learners can never take the last place at once.
    ``booked`` counts the places taken, kept in the same transactions as the bookings.
    """

    block_key = models.CharField(max_length=255, help_text="Usage key of the block.")
    course_key = models.CharField(max_length=255, blank=True, default="", help_text="Course of the block.")
    session_id = models.CharField(max_length=100, help_text="The session's id in the block's content.")
    title = models.CharField(max_length=200, blank=True, default="", help_text="The session's title when last used.")
    module = models.CharField(max_length=200, blank=True, default="", help_text="The module the session belongs to.")
    starts_at = models.DateTimeField(null=True, blank=True, help_text="The session's start (UTC) when last used.")
    booked = models.PositiveIntegerField(default=0, help_text="Places taken (bookings with status booked).")
    changes = models.PositiveIntegerField(default=0, help_text="Sign-ups and cancellations so far (the lock's counter).")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["block_key", "session_id"], name="lp_ws_session_unique"),
        ]
        indexes = [models.Index(fields=["course_key", "module"], name="lp_ws_session_course_idx")]

    def __str__(self):
        return f"session {self.session_id} of {self.block_key}"


class WorkshopBooking(models.Model):
    """One learner's place in one session: booked, waiting (in ``created_at`` order) or cancelled; attendance."""

    session = models.ForeignKey(WorkshopSession, on_delete=models.CASCADE, related_name="bookings")
    course_key = models.CharField(max_length=255, blank=True, default="", help_text="Course of the block.")
    student_id = models.CharField(max_length=255, help_text="Anonymous student id (the runtime's user id in the workbench).")
    username = models.CharField(max_length=150, blank=True, default="", help_text="Username when the runtime gives one.")
    status = models.CharField(max_length=16, help_text="booked, waiting or cancelled.")
    queued_at = models.DateTimeField(help_text="When the learner last signed up (the waiting list's order).")
    updated_at = models.DateTimeField()
    attendance = models.CharField(max_length=16, blank=True, default="", help_text="attended, absent, apologies or ''.")
    marked_by = models.CharField(max_length=150, blank=True, default="", help_text="Who recorded the attendance.")
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "student_id"], name="lp_ws_booking_unique"),
        ]
        indexes = [
            models.Index(fields=["session", "status", "queued_at"], name="lp_ws_booking_queue_idx"),
            models.Index(fields=["course_key", "student_id"], name="lp_ws_booking_learner_idx"),
        ]

    def __str__(self):
        return f"{self.student_id}: {self.status} (session row {self.session_id})"
