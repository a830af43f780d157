"""
The reflective log's cross-learner queries and writes.

Every state change is one transaction holding the conditional UPDATE that makes it (so two tutors, or
a tutor and the learner, cannot both win), the new version or feedback row, the audit event and, for
submissions and passes, the edx-submissions record. Functions return plain dicts.
"""
import uuid

from django.db import transaction
from django.db.models import Count, F, Q
from submissions import api as submissions_api

from ...common import marking as rules
from ...common.errors import N_
from ...common.marking import StateError
from ..models import EvidenceFile, ReflectiveAuditEvent, ReflectiveEntry, ReflectiveEntryVersion, ReflectiveFeedback
from . import citations as citation_registry
from . import evidence as evidence_api

ITEM_TYPE = "lp_reflective_log"
JUSTIFICATION_ITEM_TYPE = "lp_facilitation_justification"
JUSTIFICATION = ReflectiveEntry.JUSTIFICATION
# edx-submissions needs a course id; the workbench's usage ids carry none.
NO_COURSE = "workbench"


class EntryTooLarge(Exception):
    """The entry does not fit one edx-submissions record."""


class SubmissionRefused(Exception):
    """
    edx-submissions refused the record for another reason than its size: ``fields`` are the fields it
    named (``student_item`` for the learner's record as a whole, e.g. two learner ids it treats as one),
    ``detail`` its own words. Nothing was stored.
    """

    def __init__(self, fields, detail):
        super().__init__(detail)
        self.fields = fields
        self.detail = detail


def _refusal(error):
    """The error edx-submissions' ``SubmissionRequestError`` stands for: too large, or refused with its cause."""
    field_errors = dict(getattr(error, "field_errors", None) or {})
    if "answer" in field_errors:
        return EntryTooLarge(str(error))
    details = []
    for name, problems in sorted(field_errors.items()):
        texts = problems if isinstance(problems, (list, tuple)) else [problems]
        details.append(f"{name}: " + " ".join(str(text) for text in texts))
    fields = sorted("student_item" if name == "non_field_errors" else name for name in field_errors) or ["student_item"]
    return SubmissionRefused(fields, "; ".join(details) or str(error) or "no reason given")


def _iso(moment):
    return moment.isoformat() if moment else None


def student_item(block_key, course_key, student_id):
    """The edx-submissions student item of a learner in a block."""
    return {"student_id": student_id, "course_id": course_key or NO_COURSE, "item_id": block_key, "item_type": ITEM_TYPE}


def _audit(entry, *, at, actor, role, action, from_status, to_status, version):
    ReflectiveAuditEvent.objects.create(
        entry=entry, at=at, actor=actor, role=role, action=action,
        from_status=from_status or "", to_status=to_status, version=version,
    )


# ------------------------------------------------------------------------------------------ reads

def log_entries(block_key, scope=None):
    """
    The entries a log lists: its own, and with ``scope`` (``{"course_key", "units"}``) the exercise
    justifications of the same course whose criteria belong to one of the log's units.
    """
    condition = Q(block_key=block_key)
    if scope and scope.get("units"):
        condition |= Q(kind=JUSTIFICATION, course_key=scope.get("course_key") or "", unit__in=list(scope["units"]))
    return ReflectiveEntry.objects.filter(condition)


def find_entry(block_key, entry_id, scope=None):
    """The entry this log lists with that public id (not archived), or None (also for a malformed id)."""
    try:
        entry_id = uuid.UUID(str(entry_id))
    except ValueError:
        return None
    return log_entries(block_key, scope).exclude(status=rules.ARCHIVED).filter(entry_id=entry_id).first()


def resolve_citations(entry, cited):
    """
    Cited records as they read now: ``{kind, id, resolved}`` where ``resolved`` is the source's item (with
    its label) for this entry's learner and course, or None when it no longer resolves (never another learner's).
    """
    resolved = []
    for citation in cited or []:
        try:
            item = citation_registry.describe(entry.course_key, entry.student_id, citation)
        except Exception:  # pylint: disable=broad-except  # a broken source must not break a portfolio
            item = None
        resolved.append({"kind": citation.get("kind"), "id": citation.get("id"), "resolved": item})
    return resolved


def _version_dict(version, entry=None):
    evidence = version.evidence or {}
    return {
        "number": version.number,
        "title": version.title,
        "activity_date": version.activity_date.isoformat(),
        "entry_type": version.entry_type,
        "body": version.body,
        "criteria": list(version.criteria),
        "word_count": version.word_count,
        "submitted_at": _iso(version.submitted_at),
        "feedback": [],
        "files": [],
        "witnesses": list(evidence.get("witnesses") or []),
        "citations": resolve_citations(entry, evidence.get("citations")) if entry is not None else [],
        "declaration": evidence.get("declaration"),
    }


def _feedback_dict(row):
    return {
        "marker": row.marker,
        "marked_at": _iso(row.marked_at),
        "decision": row.decision or None,
        "criteria": row.criteria,
        "feedback": row.feedback,
    }


def _audit_dict(row):
    return {
        "at": _iso(row.at), "actor": row.actor, "role": row.role, "action": row.action,
        "from": row.from_status or None, "to": row.to_status, "version": row.version,
    }


def _lock(entry, now):
    """The marking lock as the views show it (holder and expiry), or None when nobody holds it now."""
    if rules.lock_state(entry.lock_holder, entry.lock_expires_at, "", now) == "free":
        return None
    return {"holder": entry.lock_holder, "expires_at": _iso(entry.lock_expires_at)}


def entry_dict(entry, versions=(), feedback=(), audit=None, owner=False, now=None, files=()):
    """
    An entry as the handlers answer it. ``owner`` adds the learner's working copy (``draft``, with the files
    attached to it as ``draft_files`` and its citations resolved); the tutors' views never carry it. ``audit``
    (a list of rows) adds the audit trail. Each version lists its evidence files, witnesses, citations, declaration.
    """
    by_number = {}
    for version in sorted(versions, key=lambda v: v.number):
        by_number[version.number] = _version_dict(version, entry)
    for row in sorted(feedback, key=lambda f: (f.marked_at, f.pk)):
        if row.version in by_number:
            by_number[row.version]["feedback"].append(_feedback_dict(row))
    draft_files = []
    for row in files:
        if row.version is None:
            draft_files.append(evidence_api.file_dict(row))
        elif row.version in by_number:
            by_number[row.version]["files"].append(evidence_api.file_dict(row))
    data = {
        "entry_id": str(entry.entry_id),
        "kind": entry.kind,
        "learner": entry.username or entry.student_id,
        "status": entry.status,
        "title": entry.title,
        "entry_type": entry.entry_type,
        "version": entry.version,
        "submitted_at": _iso(entry.submitted_at),
        "referrals": entry.referrals,
        "marker": entry.marker,
        "decided_at": _iso(entry.decided_at),
        "updated_at": _iso(entry.updated_at),
        "lock": _lock(entry, now) if now is not None else None,
        "versions": list(by_number.values()),
    }
    if owner:
        data["draft"] = entry.draft
        data["editable"] = rules.is_editable(entry.status)
        data["draft_files"] = draft_files
        data["draft_citations"] = resolve_citations(entry, (entry.draft or {}).get("citations"))
    if audit is not None:
        data["audit"] = [_audit_dict(row) for row in sorted(audit, key=lambda a: (a.at, a.pk))]
    return data


def portfolio(block_key, *, student_id=None, username=None, owner=False, with_audit=False, now=None, scope=None):
    """
    A learner's entries (by student id or username) with every version and its feedback, oldest
    entry first, in four queries whatever their number. Tutors (``owner=False``) see only entries
    that were submitted at least once. ``scope`` adds the learner's exercise justifications (:func:`log_entries`).
    """
    entries = log_entries(block_key, scope).exclude(status=rules.ARCHIVED)
    entries = entries.filter(student_id=student_id) if student_id is not None else entries.filter(username=username)
    if not owner:
        entries = entries.filter(version__gt=0)
    return entry_dicts(list(entries.order_by("created_at", "id")), owner=owner, with_audit=with_audit, now=now)


def entry_dicts(entries, *, owner=False, with_audit=False, now=None):
    """:func:`entry_dict` for each of ``entries`` (a list of rows): their versions, feedback and audit in three queries."""
    ids = [entry.pk for entry in entries]
    versions, feedback, audit = {}, {}, {}
    files = evidence_api.files_by_entry(ids)
    if ids:
        for row in ReflectiveEntryVersion.objects.filter(entry_id__in=ids):
            versions.setdefault(row.entry_id, []).append(row)
        for row in ReflectiveFeedback.objects.filter(entry_id__in=ids):
            feedback.setdefault(row.entry_id, []).append(row)
        if with_audit:
            for row in ReflectiveAuditEvent.objects.filter(entry_id__in=ids):
                audit.setdefault(row.entry_id, []).append(row)
    return [
        entry_dict(entry, versions.get(entry.pk, ()), feedback.get(entry.pk, ()),
                   audit.get(entry.pk, []) if with_audit else None, owner=owner, now=now,
                   files=files.get(entry.pk, ()))
        for entry in entries
    ]


def open_entry(entry, *, with_audit=True, now=None):
    """One entry with its versions, feedback and audit trail (as a tutor sees it)."""
    return entry_dict(
        entry, entry.versions.all(), entry.feedback.all(),
        list(entry.audit.all()) if with_audit else None, now=now, files=entry.files.all(),
    )


def owner_view(entry, now):
    """One entry as its learner sees it: versions, feedback and the working copy."""
    return entry_dict(entry, entry.versions.all(), entry.feedback.all(), owner=True, now=now, files=entry.files.all())


def working_copy(entry):
    """
    What the learner edits: the saved working copy, else (a referred entry being revised) its latest
    submitted version; None for neither.
    """
    if entry.draft:
        return entry.draft
    latest = entry.versions.order_by("-number").first()
    if latest is None:
        return None
    copy = {"title": latest.title, "activity_date": latest.activity_date.isoformat(),
            "entry_type": latest.entry_type, "body": latest.body, "criteria": list(latest.criteria)}
    for key in ("witnesses", "citations"):
        if (latest.evidence or {}).get(key):
            copy[key] = list(latest.evidence[key])
    return copy


def claimed_criteria(entry, version):
    """The criteria ``version`` of the entry claims, or None when it has no such version."""
    claimed = entry.versions.filter(number=version).values_list("criteria", flat=True).first()
    return None if claimed is None else list(claimed)


def passed_entries(block_key, *, student_id=None, username=None, scope=None):
    """A learner's passed entries (and, with ``scope``, justifications) with the criteria their passed version claimed."""
    rows = ReflectiveEntryVersion.objects.filter(
        entry__in=log_entries(block_key, scope), entry__status=rules.PASSED, number=F("entry__version"),
    )
    rows = rows.filter(entry__student_id=student_id) if student_id is not None else rows.filter(entry__username=username)
    return [
        {"entry_id": str(row["entry__entry_id"]), "title": row["title"], "version": row["number"],
         "criteria": row["criteria"], "passed_at": _iso(row["entry__decided_at"])}
        for row in rows.values("entry__entry_id", "title", "number", "criteria", "entry__decided_at")
    ]


def queue_page(block_key, status, page, now, page_size=rules.PAGE_SIZE, scope=None):
    """
    One page of the marking queue: entries of one status, oldest submission first, with the counts
    per status. Two queries (the counts and the page), on the ``lp_rl_queue_idx`` index and, with
    ``scope`` (the exercise justifications of the log's units), the ``lp_rl_justify_idx`` index.
    """
    counts = {name: 0 for name in rules.QUEUE_STATUSES}
    grouped = (
        log_entries(block_key, scope).filter(status__in=rules.QUEUE_STATUSES)
        .values("status").annotate(count=Count("id")).order_by()
    )
    for row in grouped:
        counts[row["status"]] = row["count"]
    pages = rules.page_count(counts[status], page_size)
    start = (page - 1) * page_size
    rows = (
        log_entries(block_key, scope).filter(status=status)
        .order_by("submitted_at", "id")
        .only("entry_id", "kind", "student_id", "username", "status", "title", "entry_type", "version", "submitted_at",
              "referrals", "marker", "decided_at", "lock_holder", "lock_expires_at")[start:start + page_size]
    )
    entries = []
    for entry in rows:
        entries.append({
            "entry_id": str(entry.entry_id), "kind": entry.kind, "learner": entry.username or entry.student_id,
            "title": entry.title, "entry_type": entry.entry_type, "status": entry.status,
            "version": entry.version, "submitted_at": _iso(entry.submitted_at), "referrals": entry.referrals,
            "marker": entry.marker, "decided_at": _iso(entry.decided_at), "lock": _lock(entry, now),
        })
    return {"counts": counts, "entries": entries, "page": page, "pages": pages, "page_size": page_size}


def report_rows(block_key, usernames=None, chunk_size=1000):
    """
    Every submitted entry of the block (or of the learners named) with its latest version and latest
    decision, for reports: one query for the entries and versions (streamed), one for the decisions.
    """
    met = {}
    decisions = (
        ReflectiveFeedback.objects.filter(entry__block_key=block_key, version=F("entry__version"))
        .exclude(decision="").order_by("marked_at", "id").values("entry_id", "criteria")
    )
    if usernames is not None:
        decisions = decisions.filter(entry__username__in=usernames)
    for row in decisions:
        met[row["entry_id"]] = [ident for ident, mark in row["criteria"].items() if mark.get("decision") == rules.MET]
    versions = (
        ReflectiveEntryVersion.objects
        .filter(entry__block_key=block_key, number=F("entry__version"))
        .exclude(entry__status=rules.ARCHIVED)
    )
    if usernames is not None:
        versions = versions.filter(entry__username__in=usernames)
    versions = (
        versions.order_by("entry__username", "entry__student_id", "entry__created_at", "entry_id")
        .values("entry_id", "entry__entry_id", "entry__student_id", "entry__username", "entry__status",
                "entry__referrals", "entry__marker", "entry__decided_at", "entry__created_at", "title",
                "entry_type", "activity_date", "criteria", "word_count", "number", "submitted_at")
    )
    for row in versions.iterator(chunk_size=chunk_size):
        yield {
            "entry_id": str(row["entry__entry_id"]), "student_id": row["entry__student_id"],
            "learner": row["entry__username"] or row["entry__student_id"], "title": row["title"],
            "entry_type": row["entry_type"], "status": row["entry__status"], "version": row["number"],
            "activity_date": row["activity_date"].isoformat(), "word_count": row["word_count"],
            "criteria_claimed": list(row["criteria"]), "criteria_met": met.get(row["entry_id"], []),
            "marker": row["entry__marker"], "created_at": _iso(row["entry__created_at"]),
            "submitted_at": _iso(row["submitted_at"]), "decided_at": _iso(row["entry__decided_at"]),
            "referrals": row["entry__referrals"],
        }


# ------------------------------------------------------------------------------------------ writes

def create_entry(*, block_key, course_key, student_id, username, draft, now):
    """A new draft entry (and its 'created' audit event)."""
    status = rules.next_status(None, "save")
    with transaction.atomic():
        entry = ReflectiveEntry.objects.create(
            block_key=block_key, course_key=course_key, student_id=student_id, username=username,
            status=status, title=draft["title"], entry_type=draft["entry_type"], draft=draft,
            created_at=now, updated_at=now,
        )
        _audit(entry, at=now, actor=username, role="learner", action="created", from_status="", to_status=status, version=0)
    return entry


def save_draft(entry, draft, now):
    """Replace the working copy of a draft or referred entry; StateError if it is no longer editable."""
    new_status = rules.next_status(entry.status, "save")
    changes = {"draft": draft, "updated_at": now}
    if entry.version == 0:  # never submitted: the queue columns follow the draft
        changes.update(title=draft["title"], entry_type=draft["entry_type"])
    updated = ReflectiveEntry.objects.filter(pk=entry.pk, status=entry.status, version=entry.version).update(**changes)
    if not updated:
        entry.refresh_from_db()
        rules.next_status(entry.status, "save")  # raises the refusal for the state it is in now
        raise StateError(N_("This entry changed while you were editing it; reload the page."))
    entry.status = new_status
    entry.draft = draft
    return entry


def submit_entry(entry, draft, word_count, now, actor, item, declaration=None):
    """
    Submit the working copy as a new, immutable version: an edx-submissions submission, a version
    row and an audit event, with the entry's state change, all in one transaction. The working copy's
    files are frozen into the version; its witness testimony, citations and the learner's authenticity
    ``declaration`` (``{"version", "text", "at"}``) are recorded on it (and the declaration in the audit trail).
    """
    from_status = entry.status
    new_status = rules.next_status(from_status, "submit")
    number = entry.version + 1
    answer = {
        "entry_id": str(entry.entry_id), "version": number, "title": draft["title"],
        "activity_date": draft["activity_date"], "entry_type": draft["entry_type"], "body": draft["body"],
        "criteria": draft["criteria"],
    }
    with transaction.atomic():
        updated = ReflectiveEntry.objects.filter(pk=entry.pk, status=from_status, version=entry.version).update(
            status=new_status, version=number, submitted_at=now, updated_at=now, title=draft["title"],
            entry_type=draft["entry_type"], draft=None, lock_holder="", lock_expires_at=None,
        )
        if not updated:
            entry.refresh_from_db()
            rules.next_status(entry.status, "submit")
            raise StateError(N_("This entry changed while you were editing it; reload the page."))
        try:
            submission = submissions_api.create_submission(item, answer, submitted_at=now, attempt_number=number)
        except submissions_api.SubmissionRequestError as error:
            raise _refusal(error) from error
        evidence = {"witnesses": list(draft.get("witnesses") or []), "citations": list(draft.get("citations") or [])}
        if declaration is not None:
            evidence["declaration"] = declaration
        ReflectiveEntryVersion.objects.create(
            entry=entry, number=number, title=draft["title"], activity_date=draft["activity_date"],
            entry_type=draft["entry_type"], body=draft["body"], criteria=draft["criteria"], word_count=word_count,
            submitted_at=now, submission_uuid=submission["uuid"], evidence=evidence,
        )
        evidence_api.freeze(entry, number)
        if declaration is not None:
            _audit(entry, at=now, actor=actor, role="learner", action="declared", from_status=from_status,
                   to_status=from_status, version=number)
        _audit(entry, at=now, actor=actor, role="learner", action="submitted", from_status=from_status,
               to_status=new_status, version=number)
    entry.refresh_from_db()
    return entry


def submit_new_entry(*, block_key, course_key, student_id, username, draft, word_count, now, item, declaration=None):
    """Create an entry and submit it as version 1 in one transaction (nothing stays behind if it fails)."""
    with transaction.atomic():
        entry = create_entry(block_key=block_key, course_key=course_key, student_id=student_id, username=username,
                             draft=draft, now=now)
        return submit_entry(entry, draft, word_count, now, username, item, declaration)


def delete_draft(entry):
    """
    Delete a learner's never-submitted draft (its rows go with it). False when the entry is no longer a
    draft (submitted meanwhile): submitted work is never deleted.
    """
    files = list(EvidenceFile.objects.filter(entry=entry))
    deleted, _ = ReflectiveEntry.objects.filter(pk=entry.pk, status=rules.DRAFT, version=0).delete()
    if deleted:
        transaction.on_commit(lambda: evidence_api.delete_stored(files))
    return bool(deleted)


def _lock_free_or_mine(tutor, now):
    return Q(lock_holder="") | Q(lock_holder=tutor) | Q(lock_expires_at__isnull=True) | Q(lock_expires_at__lte=now)


def _held_by_other(entry, tutor, now):
    return rules.lock_state(entry.lock_holder, entry.lock_expires_at, tutor, now) == "other"


def lock_refusal(entry):
    """The 409 a tutor gets while another tutor holds the entry."""
    return StateError(
        N_("{holder} is marking this entry (locked until {until} UTC); try again when they release it."),
        holder=entry.lock_holder, until=entry.lock_expires_at.strftime("%H:%M"),
    )


def claim_lock(entry, tutor, now):
    """
    Claim (or renew) the marking lock on a submitted entry for :data:`rules.LOCK_MINUTES`. Returns
    True when the tutor holds it now, False when another tutor does or the entry is not waiting.
    """
    claimed = (
        ReflectiveEntry.objects.filter(pk=entry.pk, status=rules.SUBMITTED)
        .filter(_lock_free_or_mine(tutor, now))
        .update(lock_holder=tutor, lock_expires_at=rules.lock_expiry(now))
    )
    entry.refresh_from_db()
    return bool(claimed)


def release_lock(entry, tutor, now):
    """Release the tutor's lock; StateError when another tutor holds it (releasing nothing is fine)."""
    released = ReflectiveEntry.objects.filter(pk=entry.pk, lock_holder=tutor).update(lock_holder="", lock_expires_at=None)
    entry.refresh_from_db()
    if not released and _held_by_other(entry, tutor, now):
        raise lock_refusal(entry)
    return bool(released)


def mark_entry(entry, *, version, tutor, marking, now, config, log_key=None, scope=None):
    """
    Record a tutor's marking of ``version``: feedback only, or a pass / referral. On a pass the
    learner's score (criteria met by passed entries of the log ``log_key`` and, with ``scope``, its
    justifications, out of the log's criteria) is computed; a reflective entry's score is set through
    edx-submissions (a justification's submission belongs to the exercise, whose grade is its own).
    Returns ``(entry, (points, possible) or None)``.
    """
    log_key = log_key or entry.block_key
    decision = marking["decision"]
    new_status = rules.next_status(rules.SUBMITTED, decision or "feedback")
    changes = {"status": new_status, "updated_at": now}
    # Marking ends the tutor's hold on the entry (feedback only too): the next tutor can start at once.
    changes.update(lock_holder="", lock_expires_at=None)
    if decision:
        changes.update(marker=tutor, decided_at=now)
        if decision == rules.REFER:
            changes["referrals"] = F("referrals") + 1
    with transaction.atomic():
        updated = (
            ReflectiveEntry.objects.filter(pk=entry.pk, status=rules.SUBMITTED, version=version)
            .filter(_lock_free_or_mine(tutor, now)).update(**changes)
        )
        if not updated:
            entry.refresh_from_db()
            if entry.status != rules.SUBMITTED:
                raise StateError(N_("This entry is {status}, not waiting to be marked."), status=entry.status)
            if entry.version != version:
                raise StateError(
                    N_("Version {version} is not the latest: the learner submitted version {latest}; reload it."),
                    version=version, latest=entry.version,
                )
            raise lock_refusal(entry)
        ReflectiveFeedback.objects.create(
            entry=entry, version=version, marker=tutor, marked_at=now, decision=decision or "",
            criteria=marking["criteria"], feedback=marking["feedback"],
        )
        _audit(entry, at=now, actor=tutor, role="tutor", action={None: "feedback", rules.PASS: "passed",
               rules.REFER: "referred"}[decision], from_status=rules.SUBMITTED, to_status=new_status, version=version)
        score = None
        if decision == rules.PASS:
            covered = rules.coverage(config, passed_entries(log_key, student_id=entry.student_id, scope=scope))
            score = rules.score(covered)
            submission_uuid = ReflectiveEntryVersion.objects.filter(entry=entry, number=version).values_list(
                "submission_uuid", flat=True).get()
            if entry.kind != JUSTIFICATION:
                submissions_api.set_score(
                    submission_uuid, score[0], score[1], annotation_creator=tutor,
                    annotation_type="lp_reflective_log_pass", annotation_reason=f"entry {entry.entry_id} version {version} passed",
                )
    entry.refresh_from_db()
    return entry, score


def submit_justification(*, block_key, course_key, student_id, username, unit, attempt, scene_id, title, body,
                         criteria, word_count, now):
    """
    Store a facilitation exercise's justification of a key decision as a submitted entry of kind
    ``exercise_justification`` (version 1, an edx-submissions record of the exercise's item, and the
    audit event), so the reflective logs of its unit list it in their marking queue. Call it inside the
    transaction that records the choice. Raises :class:`EntryTooLarge` when it does not fit a record.
    """
    draft = {"title": title[:rules.MAX_TITLE], "activity_date": now.date().isoformat(),
             "entry_type": JUSTIFICATION, "body": body, "criteria": list(criteria)}
    item = {"student_id": student_id, "course_id": course_key or NO_COURSE, "item_id": block_key,
            "item_type": JUSTIFICATION_ITEM_TYPE}
    with transaction.atomic():
        entry = ReflectiveEntry.objects.create(
            block_key=block_key, course_key=course_key, student_id=student_id, username=username, kind=JUSTIFICATION,
            unit=unit, attempt=attempt, scene_id=scene_id, status=rules.DRAFT, title=draft["title"],
            entry_type=JUSTIFICATION, draft=draft, created_at=now, updated_at=now,
        )
        _audit(entry, at=now, actor=username, role="learner", action="created", from_status="",
               to_status=rules.DRAFT, version=0)
        return submit_entry(entry, draft, word_count, now, username, item)


def justifications(block_key, student_id):
    """A learner's justifications in one exercise with their status and latest decision (two queries)."""
    entries = list(ReflectiveEntry.objects.filter(block_key=block_key, student_id=student_id, kind=JUSTIFICATION)
                   .exclude(status=rules.ARCHIVED).order_by("attempt", "created_at"))
    decisions = {}
    for row in (ReflectiveFeedback.objects.filter(entry__in=entries).exclude(decision="")
                .order_by("marked_at", "id")):
        decisions[row.entry_id] = {"decision": row.decision, "feedback": row.feedback, "criteria": row.criteria}
    return [{"entry_id": str(entry.entry_id), "attempt": entry.attempt, "scene": entry.scene_id,
             "status": entry.status, "decision": decisions.get(entry.pk)} for entry in entries]


def archive_learner(block_key, student_id, actor, now):
    """An instructor's reset: the learner's entries leave every view (kept, with an audit event)."""
    with transaction.atomic():
        entries = list(ReflectiveEntry.objects.filter(block_key=block_key, student_id=student_id)
                       .exclude(status=rules.ARCHIVED))
        for entry in entries:
            _audit(entry, at=now, actor=actor, role="staff", action="reset", from_status=entry.status,
                   to_status=rules.ARCHIVED, version=entry.version)
        ReflectiveEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
            status=rules.ARCHIVED, lock_holder="", lock_expires_at=None, updated_at=now)
    return len(entries)


def reset_learner_score(*, student_id, course_key, block_key):
    """
    The learner's score for the block leaves the gradebook: edx-submissions' ``reset_score`` with
    ``clear_state`` (their submissions are marked reset too), which signals the LMS to recompute grades.
    """
    submissions_api.reset_score(student_id, course_key, block_key, clear_state=True)
