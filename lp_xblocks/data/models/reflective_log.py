"""
The reflective log's records: entries, their submitted versions, tutors' feedback, and the audit trail.

The entry row is what the marking queue reads (one indexed query a page); a version is immutable once
submitted (it is also an edx-submissions submission, which carries the learner's score); feedback is
given on one version; every state change is an audit event.
"""
import uuid

from django.db import models


class ReflectiveEntry(models.Model):
    """
    One learner's reflective entry in one block, with its current state and marking lock.

    An entry of kind ``exercise_justification`` is a facilitation exercise's written justification of a
    key decision: its ``block_key`` is the exercise's, and the reflective logs of the same course whose
    criteria belong to its ``unit`` list it in their marking queue (docs/decisions/0003-...).
    """

    STATUS_CHOICES = [(s, s) for s in ("draft", "submitted", "passed", "referred", "archived")]
    REFLECTION, JUSTIFICATION = "reflection", "exercise_justification"
    KIND_CHOICES = [(REFLECTION, "Reflective entry"), (JUSTIFICATION, "Exercise justification")]

    entry_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="Public id of the entry.")
    block_key = models.CharField(max_length=255, help_text="Usage key of the block.")
    course_key = models.CharField(max_length=255, blank=True, default="", help_text="Course of the block.")
    student_id = models.CharField(max_length=255, help_text="Anonymous student id (the runtime's user id in the workbench).")
    username = models.CharField(max_length=150, blank=True, default="", help_text="Username when the runtime gives one.")
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default="draft")
    title = models.CharField(
        max_length=200, blank=True, default="",
        help_text="The latest submitted version's title (the draft's until the first submission).",
    )
    entry_type = models.CharField(max_length=100, blank=True, default="", help_text="As ``title``.")
    draft = models.JSONField(
        null=True, blank=True,
        help_text="The learner's working copy (title, activity_date, entry_type, body, criteria) while editable.",
    )
    version = models.PositiveIntegerField(default=0, help_text="Number of the latest submitted version; 0 before.")
    submitted_at = models.DateTimeField(null=True, blank=True, help_text="When the latest version was submitted.")
    referrals = models.PositiveIntegerField(default=0, help_text="How many times the entry was referred.")
    marker = models.CharField(max_length=150, blank=True, default="", help_text="Tutor of the latest decision.")
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When the latest decision was made.")
    kind = models.CharField(max_length=30, choices=KIND_CHOICES, default=REFLECTION,
                            help_text="A learner's reflective entry, or an exercise's justification of a key decision.")
    unit = models.CharField(max_length=50, blank=True, default="",
                            help_text="For a justification: the unit of the criteria it is marked against.")
    attempt = models.PositiveIntegerField(null=True, blank=True, help_text="For a justification: the exercise attempt.")
    scene_id = models.CharField(max_length=100, blank=True, default="", help_text="For a justification: the scene.")
    lock_holder = models.CharField(max_length=150, blank=True, default="", help_text="Tutor marking the entry now.")
    lock_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [
            # The marking queue: one status of one block, oldest submission first.
            models.Index(fields=["block_key", "status", "submitted_at", "id"], name="lp_rl_queue_idx"),
            # One learner's portfolio in one block.
            models.Index(fields=["block_key", "student_id"], name="lp_rl_learner_idx"),
            models.Index(fields=["block_key", "username"], name="lp_rl_username_idx"),
            # Exercise justifications waiting in the queues of a course's logs for one unit.
            models.Index(fields=["course_key", "kind", "unit", "status", "submitted_at"], name="lp_rl_justify_idx"),
        ]
        constraints = [
            # One justification per scene of an attempt (reflections have no attempt: NULLs never collide).
            models.UniqueConstraint(fields=["block_key", "student_id", "attempt", "scene_id"], name="lp_rl_justify_unique"),
        ]

    def __str__(self):
        return f"{self.entry_id} ({self.status}) of {self.student_id}"


class ReflectiveEntryVersion(models.Model):
    """A submitted version: immutable, and stored as an edx-submissions submission too."""

    entry = models.ForeignKey(ReflectiveEntry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    activity_date = models.DateField()
    entry_type = models.CharField(max_length=100)
    body = models.TextField()
    criteria = models.JSONField(default=list, help_text="Criterion ids the version claims to evidence.")
    word_count = models.PositiveIntegerField()
    submitted_at = models.DateTimeField()
    submission_uuid = models.CharField(max_length=36, blank=True, default="", help_text="edx-submissions uuid.")
    evidence = models.JSONField(
        default=dict, blank=True,
        help_text="Witness testimony, cited records ({kind, id}) and the authenticity declaration of this version.",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="lp_rl_version_unique")]

    def __str__(self):
        return f"{self.entry_id} v{self.number}"


class ReflectiveFeedback(models.Model):
    """A tutor's marking of one version: per-criterion decisions and comments, overall feedback, decision."""

    entry = models.ForeignKey(ReflectiveEntry, on_delete=models.CASCADE, related_name="feedback")
    version = models.PositiveIntegerField(help_text="The version the feedback was given on.")
    marker = models.CharField(max_length=150)
    marked_at = models.DateTimeField()
    decision = models.CharField(max_length=10, blank=True, default="", help_text="pass, refer, or '' (feedback only).")
    criteria = models.JSONField(default=dict, help_text="Criterion id -> {decision, comment}.")
    feedback = models.TextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["entry", "version"], name="lp_rl_feedback_idx")]

    def __str__(self):
        return f"{self.entry_id} v{self.version} by {self.marker}: {self.decision or 'feedback'}"


class ReflectiveAuditEvent(models.Model):
    """One state change of an entry: who, when, from, to, which version."""

    entry = models.ForeignKey(ReflectiveEntry, on_delete=models.CASCADE, related_name="audit")
    at = models.DateTimeField()
    actor = models.CharField(max_length=150)
    role = models.CharField(max_length=20, help_text="learner, tutor or staff (an instructor's reset).")
    action = models.CharField(max_length=20, help_text="created, submitted, feedback, passed, referred, reset.")
    from_status = models.CharField(max_length=20, blank=True, default="")
    to_status = models.CharField(max_length=20)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["entry", "at"], name="lp_rl_audit_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.from_status}->{self.to_status}"


class EvidenceFile(models.Model):
    """
    A file a learner attached to an entry as evidence. While ``version`` is null it belongs to the entry's
    working copy (the learner may remove it); submitting freezes it into that version (never changed again).
    The bytes live in Django storage under ``storage_name`` (random, never derived from the learner's name);
    ``sha256`` is checked again whenever the file goes into the verifier's zip.
    """

    file_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="Public id of the file.")
    entry = models.ForeignKey(ReflectiveEntry, on_delete=models.CASCADE, related_name="files")
    version = models.PositiveIntegerField(null=True, blank=True,
                                          help_text="The version the file belongs to; null while on the working copy.")
    student_id = models.CharField(max_length=255, help_text="The learner who uploaded it (the entry's owner).")
    name = models.CharField(max_length=120, help_text="Safe display name, with the detected type's extension.")
    content_type = models.CharField(max_length=120, help_text="The type detected from the content.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=255, unique=True, help_text="Name in the evidence storage.")
    uploaded_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["entry", "version"], name="lp_rl_file_idx")]

    def __str__(self):
        return f"{self.name} ({self.content_type}, {self.size} bytes) on {self.entry_id} v{self.version}"
