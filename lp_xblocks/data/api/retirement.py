"""
Account retirement: erase a learner's personal data from the plugin tables, keep what accreditation audit
needs, anonymised.

Erased: usernames (learner's and, where the retired user was a tutor, marker and lock holder names), the
learner's free text (entry titles, bodies, drafts; the copies in edx-submissions; satisfaction comments; action
plans and their reflections; saved learning-activity responses) and tutors' comments on it; a partnership's manager and raters are renamed too. Kept, under a pseudonym: attempts and their scores, choices and endings, entries' dates, types,
claimed criteria, word counts, decisions per criterion, marking dates and the audit trail. The pseudonym
is one-way (a keyed hash of the old id), the same for every row of one learner, so an auditor still sees
which records belong together without learning whose they were.
"""
import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from submissions.models import Submission

from ..models import (
    ActivityResponse, FacilitationActionPlan, FacilitationAttempt, FacilitationChoice, MentoringPair, MentoringSession,
    NeedsAssessmentAttempt, Partnership,
    PartnershipRater, ReflectiveAuditEvent, ReflectiveEntry, ReflectiveEntryVersion, ReflectiveFeedback,
    WorkshopBooking,
)

PSEUDONYM_PREFIX = "retired-"


def pseudonym(identifier):
    """The retired stand-in for a student id or username: ``retired-`` and 24 hex digits of a keyed hash."""
    digest = hmac.new(settings.SECRET_KEY.encode("utf-8"), str(identifier).encode("utf-8"), hashlib.sha256)
    return PSEUDONYM_PREFIX + digest.hexdigest()[:24]


def _rename_students(model, student_ids, **blank):
    """Give every row of these students their pseudonym (one UPDATE per student) and blank the fields given."""
    for student_id in student_ids:
        model.objects.filter(student_id=student_id).update(student_id=pseudonym(student_id), **blank)


def _retire_reflective_entries(student_ids):
    entries = ReflectiveEntry.objects.filter(student_id__in=student_ids)
    versions = ReflectiveEntryVersion.objects.filter(entry__in=entries)
    uuids = [uuid for uuid in versions.values_list("submission_uuid", flat=True) if uuid]
    for submission in Submission._objects.filter(uuid__in=uuids):  # pylint: disable=protected-access
        answer = submission.answer if isinstance(submission.answer, dict) else {}
        kept = {key: answer[key] for key in ("entry_id", "version", "activity_date", "entry_type", "criteria")
                if key in answer}
        Submission._objects.filter(pk=submission.pk).update(  # pylint: disable=protected-access
            answer={**kept, "title": "", "body": "", "retired": True})
    versions.update(title="", body="")
    for feedback in ReflectiveFeedback.objects.filter(entry__in=entries):
        criteria = {ident: {**mark, "comment": ""} if isinstance(mark, dict) else mark
                    for ident, mark in (feedback.criteria or {}).items()}
        ReflectiveFeedback.objects.filter(pk=feedback.pk).update(criteria=criteria, feedback="")
    _rename_students(ReflectiveEntry, student_ids, username="", title="", draft=None)


def _retire_tutor_names(usernames):
    for name in usernames:
        alias = pseudonym(name)
        ReflectiveEntry.objects.filter(marker=name).update(marker=alias)
        ReflectiveEntry.objects.filter(lock_holder=name).update(lock_holder=alias)
        ReflectiveFeedback.objects.filter(marker=name).update(marker=alias)
        ReflectiveAuditEvent.objects.filter(actor=name).update(actor=alias)
        WorkshopBooking.objects.filter(marked_by=name).update(marked_by=alias)


def _retire_mentoring(student_ids, usernames):
    """
    A mentee's pairings keep their counts (agreement state, sessions and their states, dates) under a pseudonym;
    the agreement's terms, the closing review and every session's text go. A retired mentor's name and
    organisation are replaced, their comments erased.
    """
    mine = MentoringPair.objects.filter(Q(mentee_student_id__in=student_ids) | Q(mentee_username__in=usernames))
    for pair in mine:
        anonymous = pseudonym(pair.mentee_student_id) if pair.mentee_student_id else ""
        MentoringPair.objects.filter(pk=pair.pk).update(
            mentee_username=pseudonym(pair.mentee_student_id or pair.mentee_username), mentee_student_id=anonymous,
            agreement={}, review={})
        MentoringSession.objects.filter(pair=pair).update(mentee_student_id=anonymous, focus="", discussed="",
                                                          actions=[], comment="")
    for name in usernames:
        MentoringPair.objects.filter(mentor_username=name).update(mentor_username=pseudonym(name), mentor_organisation="")
        MentoringSession.objects.filter(mentor_username=name).update(mentor_username=pseudonym(name), comment="")


def retire_learner(*, student_ids, usernames):
    """
    Erase the personal data of the learner known by these anonymous ids and usernames from every plugin
    table, in one transaction. Returns how many rows of each kind were anonymised.
    """
    student_ids, usernames = set(filter(None, student_ids)), set(filter(None, usernames))
    by_name = Q(username__in=usernames)
    with transaction.atomic():
        for model in (NeedsAssessmentAttempt, FacilitationAttempt, ReflectiveEntry, ActivityResponse, WorkshopBooking):
            student_ids.update(model.objects.filter(by_name).values_list("student_id", flat=True).distinct())
        student_ids = sorted(student_ids)
        counts = {
            "needs_assessment_attempts": NeedsAssessmentAttempt.objects.filter(student_id__in=student_ids).count(),
            "facilitation_attempts": FacilitationAttempt.objects.filter(student_id__in=student_ids).count(),
            "reflective_entries": ReflectiveEntry.objects.filter(student_id__in=student_ids).count(),
        }
        # Satisfaction comments are the learner's free text; action plans too (the plan's existence and date stay).
        _rename_students(NeedsAssessmentAttempt, student_ids, username="", comments={})
        _rename_students(FacilitationActionPlan, student_ids, username="", rows=[], reflection="")
        # Saved activity responses are the learner's free text: the row (that they saved, when) stays.
        _rename_students(ActivityResponse, student_ids, username="", response="")
        _rename_students(PartnershipRater, student_ids, username="")
        for student_id in student_ids:
            Partnership.objects.filter(manager_student_id=student_id).update(
                manager_student_id=pseudonym(student_id), manager_username="")
        _rename_students(FacilitationAttempt, student_ids, username="")
        _rename_students(FacilitationChoice, student_ids)
        _rename_students(WorkshopBooking, student_ids, username="")  # places and attendance stay for the MI report
        _retire_reflective_entries(student_ids)
        _retire_tutor_names(sorted(usernames))
        _retire_mentoring(student_ids, sorted(usernames))
    return counts
