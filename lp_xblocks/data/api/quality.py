"""
Quality assurance of reflective-log marking: the verifier's sample and decisions, appeals against referrals and
reasonable-adjustments notes (docs/decisions/0008-verification-and-appeals.md). State changes of an entry
(a verifier's return, an upheld appeal) are one transaction with a conditional UPDATE, their record and the
audit event, like every change in :mod:`.reflective_log`. Functions return plain dicts.
"""
from django.db import IntegrityError, transaction
from django.db.models import F
from submissions import api as submissions_api

from ...common import marking as rules
from ...common import quality
from ...common.errors import N_
from ...common.marking import StateError
from ..models import (
    AdjustmentNote, Appeal, ReflectiveAuditEvent, ReflectiveEntry, ReflectiveEntryVersion, ReflectiveFeedback,
    VerificationDecision,
)
from .reflective_log import log_entries, passed_entries

# An appeal or a verification is about the current decision: passed or referred, not yet changed.
DECIDED = (rules.PASSED, rules.REFERRED)
_DECISION = {rules.PASSED: rules.PASS, rules.REFERRED: rules.REFER}
# Standing decisions outside the sample listed for the verifier to add (latest first).
MAX_OTHERS = 500


def _iso(moment):
    return moment.isoformat() if moment else None


def _audit(entry, *, at, actor, role, action, from_status, to_status, version):
    ReflectiveAuditEvent.objects.create(entry=entry, at=at, actor=actor, role=role, action=action,
                                        from_status=from_status or "", to_status=to_status, version=version)


# ------------------------------------------------------------------------------------------ sampling

def marked_entries(block_key, scope=None):
    """The log's entries whose latest decision stands (passed or referred), with the criteria that version claimed."""
    rows = ReflectiveEntryVersion.objects.filter(
        entry__in=log_entries(block_key, scope), entry__status__in=DECIDED, number=F("entry__version"),
    ).order_by("entry__decided_at", "entry_id").values(
        "entry__entry_id", "entry__status", "entry__marker", "entry__decided_at", "entry__username",
        "entry__student_id", "entry__kind", "title", "number", "criteria")
    return [{
        "entry_id": str(row["entry__entry_id"]), "decision": _DECISION[row["entry__status"]],
        "marker": row["entry__marker"], "decided_at": _iso(row["entry__decided_at"]), "criteria": list(row["criteria"]),
        "learner": row["entry__username"] or row["entry__student_id"], "title": row["title"], "version": row["number"],
        "kind": row["entry__kind"],
    } for row in rows]


def verification_sample(block_key, plan, criteria, scope=None):
    """
    The plan's sample of the log's standing decisions, each with its reasons and its verification (if any) of
    that version; ``others`` lists the standing decisions not sampled, which the verifier may add.
    """
    marked = marked_entries(block_key, scope)
    sample = quality.pick_sample(marked, plan, criteria)
    done = latest_verifications([item["entry_id"] for item in marked])
    for item in marked + sample:
        verification = done.get(item["entry_id"])
        item["verification"] = verification if verification and verification["version"] == item["version"] else None
    picked = {item["entry_id"] for item in sample}
    others = [item for item in marked if item["entry_id"] not in picked]
    # The verifier adds entries by hand from this list: the most recent decisions, bounded.
    return {"sample": sample, "others": others[-MAX_OTHERS:][::-1], "others_total": len(others),
            "plan": quality.clean_plan(plan), "marked": len(marked)}


def _verification_dict(row):
    return {"version": row.version, "decision": row.decision, "marker": row.marker, "verifier": row.verifier,
            "agreement": row.agreement, "comment": row.comment, "reasons": row.reasons, "at": _iso(row.at)}


def latest_verifications(entry_ids):
    """The latest verification of each entry (by public id), one query."""
    latest = {}
    rows = (VerificationDecision.objects.filter(entry__entry_id__in=list(entry_ids))
            .select_related("entry").order_by("at", "id"))
    for row in rows:
        latest[str(row.entry.entry_id)] = _verification_dict(row)
    return latest


def record_verification(entry, *, verifier, agreement, comment, reasons, now):
    """
    Record the verifier's view of the entry's standing decision. To disagree returns the entry to the tutors
    (passed or referred -> submitted, same version, lock cleared), with the comment as the note they read.
    """
    from_status = entry.status
    if from_status not in DECIDED:
        raise StateError(N_("This entry has no standing decision to verify (it is {status})."), status=from_status)
    version = entry.version
    with transaction.atomic():
        if agreement == quality.DISAGREE:
            to_status = rules.next_status(from_status, rules.RETURN)
            updated = ReflectiveEntry.objects.filter(pk=entry.pk, status=from_status, version=version).update(
                status=to_status, lock_holder="", lock_expires_at=None, updated_at=now)
        else:
            to_status = from_status
            updated = ReflectiveEntry.objects.filter(pk=entry.pk, status=from_status, version=version).count()
        if not updated:
            raise StateError(N_("This entry changed meanwhile; reload it."))
        VerificationDecision.objects.create(
            entry=entry, version=version, decision=_DECISION[from_status], marker=entry.marker, verifier=verifier,
            agreement=agreement, comment=comment, reasons=reasons, at=now)
        _audit(entry, at=now, actor=verifier, role="verifier",
               action="verified" if agreement == quality.AGREE else "returned",
               from_status=from_status, to_status=to_status, version=version)
    entry.refresh_from_db()
    return entry


def returned_in_log(block_key, scope=None):
    """:func:`returned_notes` of the log's entries waiting to be marked (one query on the queue index, one for the notes)."""
    waiting = (log_entries(block_key, scope).filter(status=rules.SUBMITTED).order_by("submitted_at", "id")
               .values_list("entry_id", flat=True))
    return returned_notes([str(ident) for ident in waiting[:1000]])


def returned_notes(entry_ids):
    """
    For entries waiting to be marked again because a verifier disagreed (no decision since): the verifier's
    note, by public id. One query.
    """
    notes = {}
    rows = (VerificationDecision.objects.filter(entry__entry_id__in=list(entry_ids), agreement=quality.DISAGREE,
                                                entry__status=rules.SUBMITTED, version=F("entry__version"))
            .select_related("entry").order_by("at", "id"))
    for row in rows:
        if row.entry.decided_at is None or row.at >= row.entry.decided_at:
            notes[str(row.entry.entry_id)] = {"verifier": row.verifier, "comment": row.comment, "at": _iso(row.at),
                                              "title": row.entry.title, "learner": row.entry.username or row.entry.student_id,
                                              "decision": row.decision, "marker": row.marker}
    return notes


# ------------------------------------------------------------------------------------------ appeals

def _appeal_dict(row, staff=True):
    data = {"appeal_id": row.pk, "entry_id": str(row.entry.entry_id), "version": row.version,
            "reasons": row.reasons, "appealed_at": _iso(row.appealed_at), "status": row.status,
            "decided_at": _iso(row.decided_at), "outcome_reasons": row.outcome_reasons}
    if staff:
        data.update(referred_by=row.referred_by, decided_by=row.decided_by, decided_role=row.decided_role,
                    learner=row.entry.username or row.entry.student_id, title=row.entry.title)
    return data


def learner_appeals(block_key, student_id, days, now):
    """For each of a learner's submitted entries, by public id: whether they may appeal now, the deadline, their appeal."""
    entries = list(ReflectiveEntry.objects.filter(block_key=block_key, student_id=student_id, version__gt=0)
                   .exclude(status=rules.ARCHIVED))
    rows = {}
    for row in Appeal.objects.filter(entry__in=[entry.pk for entry in entries]).select_related("entry"):
        if row.version == row.entry.version:
            rows[row.entry_id] = row
    result = {}
    for entry in entries:
        appeal = rows.get(entry.pk)
        try:
            quality.check_appealable(status=entry.status, decision=_DECISION.get(entry.status),
                                     decided_at=entry.decided_at, days=days, now=now, already=appeal is not None)
            may_appeal = True
        except quality.AppealRefused:
            may_appeal = False
        deadline = quality.appeal_deadline(entry.decided_at, days) if entry.decided_at else None
        result[str(entry.entry_id)] = {
            "may_appeal": may_appeal, "deadline": _iso(deadline) if entry.status == rules.REFERRED else None,
            "appeal": _appeal_dict(appeal, staff=False) if appeal is not None else None}
    return result


def create_appeal(entry, *, learner, reasons, days, now):
    """The learner's appeal against the standing referral; :class:`quality.AppealRefused` out of time or twice."""
    already = entry.appeals.filter(version=entry.version).exists()
    quality.check_appealable(status=entry.status, decision=_DECISION.get(entry.status), decided_at=entry.decided_at,
                             days=days, now=now, already=already)
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(entry=entry, version=entry.version, referred_by=entry.marker,
                                           reasons=reasons, appealed_at=now)
            _audit(entry, at=now, actor=learner, role="learner", action="appealed", from_status=entry.status,
                   to_status=entry.status, version=entry.version)
    except IntegrityError:  # a concurrent request of the same learner appealed first
        raise quality.AppealRefused(N_("This referral has already been appealed; an appeal can be made once.")) from None
    return _appeal_dict(appeal, staff=False)


def log_appeals(block_key, scope=None):
    """The log's appeals, open ones first (oldest first), then decided ones (latest first)."""
    rows = list(Appeal.objects.filter(entry__in=log_entries(block_key, scope)).select_related("entry")
                .order_by("appealed_at", "id"))
    opened = [row for row in rows if row.status == quality.APPEAL_OPEN]
    decided = sorted((row for row in rows if row.status != quality.APPEAL_OPEN),
                     key=lambda row: (row.decided_at, row.pk), reverse=True)
    return [_appeal_dict(row) for row in opened + decided]


def find_appeal(block_key, appeal_id, scope=None):
    """The log's appeal with that id, or None."""
    return Appeal.objects.filter(pk=appeal_id, entry__in=log_entries(block_key, scope)).select_related("entry").first()


def decide_appeal(appeal, *, person, role, outcome, reasons, now, config, log_key, scope=None):
    """
    Record the outcome. Upheld: the referral becomes a pass (a pass decision by ``person`` on the appealed
    version, every criterion it claimed met, the reasons as feedback), the learner's score is set as on a pass.
    Returns ``(appeal dict, (points, possible) or None)``.
    """
    entry = appeal.entry
    score = None
    with transaction.atomic():
        decided = Appeal.objects.filter(pk=appeal.pk, status=quality.APPEAL_OPEN).update(
            status=outcome, decided_by=person, decided_role=role, decided_at=now, outcome_reasons=reasons)
        if not decided:
            raise StateError(N_("This appeal has already been decided."))
        if outcome == quality.UPHELD:
            to_status = rules.next_status(rules.REFERRED, rules.APPEAL_UPHELD)
            updated = ReflectiveEntry.objects.filter(pk=entry.pk, status=rules.REFERRED, version=appeal.version).update(
                status=to_status, marker=person, decided_at=now, updated_at=now, lock_holder="", lock_expires_at=None)
            if not updated:
                raise StateError(N_("The entry is no longer referred (it was resubmitted or returned for marking "
                                    "again), so the appeal cannot change its decision now."))
            claimed = ReflectiveEntryVersion.objects.filter(entry=entry, number=appeal.version).values_list(
                "criteria", flat=True).get()
            ReflectiveFeedback.objects.create(
                entry=entry, version=appeal.version, marker=person, marked_at=now, decision=rules.PASS,
                criteria={ident: {"decision": rules.MET, "comment": ""} for ident in claimed}, feedback=reasons)
            _audit(entry, at=now, actor=person, role=role, action="appeal_upheld", from_status=rules.REFERRED,
                   to_status=to_status, version=appeal.version)
            covered = rules.coverage(config, passed_entries(log_key, student_id=entry.student_id, scope=scope))
            score = rules.score(covered)
            if entry.kind != ReflectiveEntry.JUSTIFICATION:
                submission_uuid = ReflectiveEntryVersion.objects.filter(entry=entry, number=appeal.version).values_list(
                    "submission_uuid", flat=True).get()
                submissions_api.set_score(submission_uuid, score[0], score[1], annotation_creator=person,
                                          annotation_type="lp_reflective_log_appeal",
                                          annotation_reason=f"appeal against entry {entry.entry_id} upheld")
        else:
            _audit(entry, at=now, actor=person, role=role, action="appeal_not_upheld", from_status=entry.status,
                   to_status=entry.status, version=appeal.version)
    appeal.refresh_from_db()
    entry.refresh_from_db()
    return _appeal_dict(appeal), score


# ------------------------------------------------------------------------------------------ adjustments

def adjustment_note(course_key, username, history=False):
    """The learner's current note (``note``, ``author``, ``at``) and, for staff, every earlier version."""
    rows = list(AdjustmentNote.objects.filter(course_key=course_key, username=username).order_by("at", "id"))
    current = rows[-1] if rows else None
    data = {"learner": username, "note": current.note if current else "", "updated_at": _iso(current.at) if current else None}
    if history:
        data["history"] = [{"note": row.note, "author": row.author, "role": row.role, "at": _iso(row.at)}
                           for row in reversed(rows)]
    return data


def save_adjustment_note(course_key, username, *, note, author, role, now):
    """A new version of the note (the old ones stay: the note's audit trail)."""
    AdjustmentNote.objects.create(course_key=course_key, username=username, note=note, author=author, role=role, at=now)
    return adjustment_note(course_key, username, history=True)


# ------------------------------------------------------------------------------------------ export

def quality_record(entry_ids):
    """
    For the portfolio export and the external verifier's material: every verification and appeal of the
    entries (by public id), oldest first. Two queries.
    """
    record = {str(ident): {"verifications": [], "appeals": []} for ident in entry_ids}
    for row in (VerificationDecision.objects.filter(entry__entry_id__in=list(entry_ids)).select_related("entry")
                .order_by("at", "id")):
        record[str(row.entry.entry_id)]["verifications"].append(_verification_dict(row))
    for row in Appeal.objects.filter(entry__entry_id__in=list(entry_ids)).select_related("entry").order_by("appealed_at", "id"):
        record[str(row.entry.entry_id)]["appeals"].append(_appeal_dict(row))
    return record
