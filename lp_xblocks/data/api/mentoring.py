"""
The mentoring block's cross-learner queries: pairs (with their agreement and closing review) and sessions.

Who may see what is decided by the callers' arguments, never widened here: a mentee's functions take the
mentee's own username, a mentor's take the mentor's username and answer only for their own active mentees,
and the coordinator's listing (:func:`pairs_overview`) returns counts and states, never a session's content.
State changes go through a function the block passes in (the pure rules in ``lp_xblocks/mentoring/``), run
inside a transaction on the locked row, so two requests never both act on the same version.

Registers the ``mentoring_session`` citation source (:mod:`.citations`): a mentee may cite a session their
mentor confirmed, as witness evidence naming the mentor.
"""
from django.db import transaction
from django.db.models import Count, Max, Q

from ..models import MentoringPair, MentoringSession
from . import citations


class NotFound(Exception):
    """No such pair or session for this caller (or not theirs)."""


class Full(Exception):
    """The pair already has the most sessions a pair may log."""


def _iso(moment):
    return moment.isoformat() if moment else None


def pair_dict(pair):
    return {"mentee": pair.mentee_username, "mentor": pair.mentor_username,
            "organisation": pair.mentor_organisation, "paired_at": _iso(pair.paired_at),
            "agreement": pair.agreement or {}, "agreement_status": pair.agreement_status,
            "review": pair.review or {}, "reviewed_at": _iso(pair.reviewed_at)}


def session_dict(session):
    return {"session_id": session.number, "date": session.held_on.isoformat(), "focus": session.focus,
            "discussed": session.discussed, "actions": session.actions, "state": session.state,
            "version": session.version, "comment": session.comment, "logged_at": _iso(session.logged_at),
            "confirmed_at": _iso(session.confirmed_at), "mentor": session.mentor_username}


def session_record(session):
    """A session as the pure rules take it (``mentoring/sessions.py``)."""
    return {"date": session.held_on.isoformat(), "focus": session.focus, "discussed": session.discussed,
            "actions": session.actions, "state": session.state, "version": session.version,
            "comment": session.comment, "logged_at": _iso(session.logged_at),
            "confirmed_at": _iso(session.confirmed_at)}


# ------------------------------------------------------------------------------ coordinator

def save_pairs(*, block_key, course_key, pairs, by, now, on_new_mentor):
    """
    Pair each ``{"mentee", "mentor", "organisation"}`` in one transaction. A mentee already paired with
    someone else gets the new mentor and their agreement goes through ``on_new_mentor`` (nothing agreed with
    the previous mentor binds the new one). Returns ``{"created", "changed", "unchanged"}`` counts.
    """
    counts = {"created": 0, "changed": 0, "unchanged": 0}
    with transaction.atomic():
        existing = {pair.mentee_username: pair for pair in MentoringPair.objects.select_for_update().filter(
            block_key=block_key, mentee_username__in=[item["mentee"] for item in pairs])}
        for item in pairs:
            pair = existing.get(item["mentee"])
            if pair is None:
                MentoringPair.objects.create(
                    block_key=block_key, course_key=course_key, mentee_username=item["mentee"],
                    mentor_username=item["mentor"], mentor_organisation=item["organisation"], paired_by=by,
                    paired_at=now)
                counts["created"] += 1
                continue
            same = (pair.active and pair.mentor_username == item["mentor"]
                    and pair.mentor_organisation == item["organisation"])
            if same:
                counts["unchanged"] += 1
                continue
            if pair.mentor_username != item["mentor"]:
                pair.agreement = on_new_mentor(pair.agreement or None)
                pair.agreement_status = "awaiting" if pair.agreement.get("version") else "none"
            pair.mentor_username, pair.mentor_organisation = item["mentor"], item["organisation"]
            pair.active, pair.paired_by, pair.paired_at = True, by, now
            pair.save()
            counts["changed"] += 1
    return counts


def end_pair(*, block_key, mentee):
    """The coordinator ends a pairing (kept, inactive, with its sessions). False when there is none."""
    return bool(MentoringPair.objects.filter(block_key=block_key, mentee_username=mentee, active=True)
                .update(active=False))


def pairs_overview(block_key):
    """
    Every active pair with counts for the coordinator: sessions logged and confirmed, the agreement's
    state, whether the closing review is done. No session content, no agreement terms.
    """
    rows = (MentoringPair.objects.filter(block_key=block_key, active=True)
            .annotate(logged=Count("sessions"), confirmed=Count("sessions", filter=Q(sessions__state="confirmed")))
            .order_by("mentee_username"))
    return [{"mentee": row.mentee_username, "mentor": row.mentor_username, "organisation": row.mentor_organisation,
             "paired_at": _iso(row.paired_at), "agreement_status": row.agreement_status,
             "sessions_logged": row.logged, "sessions_confirmed": row.confirmed,
             "reviewed": row.reviewed_at is not None} for row in rows]


# ------------------------------------------------------------------------------ mentee and mentor

def pair_of_mentee(block_key, mentee):
    """The mentee's active pair as a dict, or None."""
    pair = MentoringPair.objects.filter(block_key=block_key, mentee_username=mentee, active=True).first()
    return pair_dict(pair) if pair else None


def link_mentee(*, block_key, mentee, student_id):
    """Remember the mentee's anonymous id (their first visit) on the pair and its sessions."""
    updated = MentoringPair.objects.filter(block_key=block_key, mentee_username=mentee).exclude(
        mentee_student_id=student_id).update(mentee_student_id=student_id)
    if updated:
        MentoringSession.objects.filter(pair__block_key=block_key, pair__mentee_username=mentee).exclude(
            mentee_student_id=student_id).update(mentee_student_id=student_id)


def mentees_of(block_key, mentor):
    """The mentor's active pairs, mentee by mentee."""
    return [pair_dict(pair) for pair in MentoringPair.objects.filter(
        block_key=block_key, mentor_username=mentor, active=True).order_by("mentee_username")]


def is_mentor(block_key, username):
    return MentoringPair.objects.filter(block_key=block_key, mentor_username=username, active=True).exists()


def _locked_pair(block_key, mentee, mentor=None):
    query = MentoringPair.objects.select_for_update().filter(block_key=block_key, mentee_username=mentee,
                                                             active=True)
    if mentor is not None:
        query = query.filter(mentor_username=mentor)
    pair = query.first()
    if pair is None:
        raise NotFound(mentee)
    return pair


def change_agreement(*, block_key, mentee, mentor=None, change, status, now):
    """
    Apply ``change(agreement) -> agreement`` to the pair's agreement (the mentee's, or a mentor's own
    mentee's when ``mentor`` is given); ``status(agreement)`` (the block's pure rule) is stored alongside.
    Returns the new agreement.
    """
    with transaction.atomic():
        pair = _locked_pair(block_key, mentee, mentor)
        agreement = change(pair.agreement or None)
        pair.agreement, pair.agreement_status = agreement, status(agreement)
        if pair.agreement_status == "agreed" and pair.agreed_at is None:
            pair.agreed_at = now
        pair.save(update_fields=["agreement", "agreement_status", "agreed_at"])
        return agreement


def save_review(*, block_key, mentee, review, now):
    with transaction.atomic():
        pair = _locked_pair(block_key, mentee)
        pair.review, pair.reviewed_at = review, now
        pair.save(update_fields=["review", "reviewed_at"])
        return pair_dict(pair)


def sessions_of(block_key, mentee, mentor=None):
    """The pair's sessions, newest first; a mentor sees only the sessions logged while they were the mentor."""
    query = MentoringSession.objects.filter(pair__block_key=block_key, pair__mentee_username=mentee,
                                            pair__active=True)
    if mentor is not None:
        query = query.filter(pair__mentor_username=mentor, mentor_username=mentor)
    return [session_dict(row) for row in query.order_by("-number")]


def log_session(*, block_key, mentee, student_id, session_id, session, create, edit, now, most):
    """
    The mentee logs a new session (``session_id`` None: ``create(session, now)``) or changes one of their
    own (``edit(record, session, now)``). At most ``most`` sessions per pair. Returns the session dict.
    """
    with transaction.atomic():
        pair = _locked_pair(block_key, mentee)
        if session_id is None:
            if pair.sessions.count() >= most:
                raise Full(most)
            record = create(session, now)
            number = (pair.sessions.aggregate(highest=Max("number"))["highest"] or 0) + 1
            row = MentoringSession(pair=pair, number=number, course_key=pair.course_key,
                                   mentee_student_id=student_id, mentor_username=pair.mentor_username)
        else:
            row = pair.sessions.filter(number=session_id).first()
            if row is None:
                raise NotFound(session_id)
            record = edit(session_record(row), session, now)
            row.mentor_username = pair.mentor_username
        _store(row, record)
        return session_dict(row)


def mentor_act(*, block_key, mentee, mentor, session_id, act):
    """The mentor confirms or comments on a session of their own mentee: ``act(record) -> record``."""
    with transaction.atomic():
        pair = _locked_pair(block_key, mentee, mentor)
        row = pair.sessions.filter(number=session_id, mentor_username=mentor).first()
        if row is None:
            raise NotFound(session_id)
        _store(row, act(session_record(row)))
        return session_dict(row)


def _store(row, record):
    from datetime import date, datetime  # pylint: disable=import-outside-toplevel
    row.held_on = date.fromisoformat(record["date"])
    row.focus, row.discussed, row.actions = record["focus"], record["discussed"], record["actions"]
    row.state, row.version, row.comment = record["state"], record["version"], record["comment"]
    row.logged_at = datetime.fromisoformat(record["logged_at"])
    row.confirmed_at = datetime.fromisoformat(record["confirmed_at"]) if record.get("confirmed_at") else None
    row.save()


# ------------------------------------------------------------------------------ citations

def _citable(session):
    pair = session.pair
    witness = pair.mentor_username + (f", {pair.mentor_organisation}" if pair.mentor_organisation else "")
    return {"id": str(session.pk), "title": f"Mentoring session: {session.focus}",
            "date": session.held_on.isoformat(), "summary": session.discussed[:300], "witness": True,
            "witness_name": session.mentor_username, "witness_role": "mentor", "witness_description": witness}


def citable_sessions(course_key, student_id):
    """The learner's confirmed mentoring sessions in the course, newest first."""
    rows = (MentoringSession.objects.select_related("pair")
            .filter(course_key=course_key, mentee_student_id=student_id, state="confirmed")
            .order_by("-held_on", "-pk"))
    return [_citable(row) for row in rows]


def citable_session(course_key, student_id, item_id):
    """One of the learner's confirmed sessions, or None (another learner's, unconfirmed, unknown)."""
    if not str(item_id).isdigit() or len(str(item_id)) > 18:
        return None
    row = (MentoringSession.objects.select_related("pair")
           .filter(pk=int(item_id), course_key=course_key, mentee_student_id=student_id, state="confirmed").first())
    return _citable(row) if row else None


citations.register("mentoring_session", "Mentoring session confirmed by the mentor", citable_sessions,
                   citable_session)
