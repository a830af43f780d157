"""
The workshop block's cross-learner queries: places (sign up, waiting list, cancel, promotion), the register
and attendance, and the learner's attended sessions as citable evidence (source ``workshop``).

Capacity holds under concurrency: every sign-up and cancellation of a session first writes the session's
row (``UPDATE ... changes + 1``), which takes the row's lock on MySQL/MariaDB (then read ``FOR UPDATE``) and the
database's write lock on SQLite, so the count of places taken is read and changed by one transaction at a time;
a learner has at most one booking per session (unique constraint).
"""
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, F, Q

from ...common import places as core
from ..models import WorkshopBooking, WorkshopSession
from . import citations

MAX_REGISTER_ROWS = 2000


class NotBooked(Exception):
    """The learner has no place and is not waiting in this session."""


class UnknownLearners(Exception):
    """Attendance was given for learners who never signed up for the session; ``learners`` names them."""

    def __init__(self, learners):
        super().__init__(", ".join(learners))
        self.learners = learners


def _retrying(func):
    """Run ``func`` in a transaction, again when a concurrent first sign-up created the row or a deadlock hit."""
    for tries_left in (4, 3, 2, 1, 0):
        try:
            with transaction.atomic():
                return func()
        except (IntegrityError, OperationalError):
            if not tries_left:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _locked_session(block_key, course_key, session):
    """The session's row, created if need be, locked for this transaction, its title and start brought up to date."""
    row, _created = WorkshopSession.objects.get_or_create(
        block_key=block_key, session_id=session["id"],
        defaults={"course_key": course_key, "title": session["title"][:200], "module": session["module"][:200],
                  "starts_at": core.start_utc(session)})
    WorkshopSession.objects.filter(pk=row.pk).update(
        changes=F("changes") + 1, title=session["title"][:200], module=session["module"][:200],
        starts_at=core.start_utc(session), course_key=course_key)
    return WorkshopSession.objects.select_for_update().get(pk=row.pk)


def _promote(row, capacity, now):
    """Move the first waiting learners into the free places; returns their student ids."""
    free = capacity - row.booked
    if free <= 0:
        return []
    waiting = list(row.bookings.filter(status=core.WAITING).order_by("queued_at", "pk")[:free])
    ids = [booking.pk for booking in waiting]
    if ids:
        WorkshopBooking.objects.filter(pk__in=ids).update(status=core.BOOKED, updated_at=now)
        row.booked += len(ids)
        WorkshopSession.objects.filter(pk=row.pk).update(booked=row.booked)
    return [booking.student_id for booking in waiting]


def sign_up(*, block_key, course_key, session, student_id, username, now):
    """
    Give the learner a place while fewer than the session's capacity are booked, else a place on the waiting
    list; a learner already booked or waiting keeps what they have. Returns ``{"status", "promoted"}``
    (``promoted``: learners moved off the waiting list because the capacity was raised).
    """
    def run():
        row = _locked_session(block_key, course_key, session)
        promoted = _promote(row, session["capacity"], now)
        booking = row.bookings.filter(student_id=student_id).first()
        if booking is not None and booking.status in (core.BOOKED, core.WAITING):
            return {"status": booking.status, "promoted": promoted}
        status = core.sign_up_outcome(row.booked, session["capacity"])
        if booking is None:
            WorkshopBooking.objects.create(session=row, course_key=course_key, student_id=student_id,
                                           username=username, status=status, queued_at=now, updated_at=now)
        else:
            WorkshopBooking.objects.filter(pk=booking.pk).update(status=status, queued_at=now, updated_at=now,
                                                                 username=username)
        if status == core.BOOKED:
            row.booked += 1
            WorkshopSession.objects.filter(pk=row.pk).update(booked=row.booked)
        return {"status": status, "promoted": promoted}
    return _retrying(run)


def cancel(*, block_key, course_key, session, student_id, now):
    """
    Give up the learner's place (or leave the waiting list); a freed place goes to the first learner waiting.
    Returns the student ids promoted; raises :class:`NotBooked` when the learner had neither.
    """
    live = (core.BOOKED, core.WAITING)
    if not WorkshopBooking.objects.filter(session__block_key=block_key, session__session_id=session["id"],
                                          student_id=student_id, status__in=live).exists():
        raise NotBooked(student_id)  # refused before anything is written or locked

    def run():
        row = _locked_session(block_key, course_key, session)
        booking = row.bookings.filter(student_id=student_id, status__in=live).first()
        if booking is None:
            raise NotBooked(student_id)
        WorkshopBooking.objects.filter(pk=booking.pk).update(status=core.CANCELLED, updated_at=now)
        if booking.status == core.BOOKED:
            row.booked -= 1
            WorkshopSession.objects.filter(pk=row.pk).update(booked=row.booked)
        return _promote(row, session["capacity"], now)
    return _retrying(run)


def counts(block_key):
    """``{session id: {"booked": n, "waiting": n}}`` in one grouped query."""
    rows = (WorkshopBooking.objects.filter(session__block_key=block_key)
            .values("session__session_id")
            .annotate(booked=Count("pk", filter=Q(status=core.BOOKED)),
                      waiting=Count("pk", filter=Q(status=core.WAITING)))
            .order_by())
    return {row["session__session_id"]: {"booked": row["booked"], "waiting": row["waiting"]} for row in rows}


def learner_places(block_key, student_id):
    """``{session id: {"status", "position", "attendance"}}`` for one learner (position: on the waiting list)."""
    mine = list(WorkshopBooking.objects.filter(session__block_key=block_key, student_id=student_id)
                .select_related("session"))
    places = {}
    for booking in mine:
        position = None
        if booking.status == core.WAITING:
            position = 1 + WorkshopBooking.objects.filter(
                Q(queued_at__lt=booking.queued_at) | Q(queued_at=booking.queued_at, pk__lt=booking.pk),
                session=booking.session, status=core.WAITING).count()
        places[booking.session.session_id] = {"status": booking.status, "position": position,
                                              "attendance": booking.attendance}
    return places


def register(block_key, session_id):
    """The session's sign-ups in order (booked first, then waiting, then cancelled), with attendance."""
    order = {core.BOOKED: 0, core.WAITING: 1, core.CANCELLED: 2}
    rows = list(WorkshopBooking.objects.filter(session__block_key=block_key, session__session_id=session_id)
                .order_by("queued_at", "pk")
                .values("student_id", "username", "status", "queued_at", "attendance", "marked_by", "marked_at")
                [:MAX_REGISTER_ROWS])
    rows.sort(key=lambda row: order.get(row["status"], 3))
    return rows


def mark_attendance(*, block_key, session_id, marks, marked_by, now):
    """
    Record attendance (``{student id: attended|absent|apologies|''}``) for learners who signed up for the
    session, in one transaction; raises :class:`UnknownLearners` (nothing stored) naming every other id.
    """
    with transaction.atomic():
        known = set(WorkshopBooking.objects.filter(
            session__block_key=block_key, session__session_id=session_id, student_id__in=list(marks))
            .values_list("student_id", flat=True))
        unknown = sorted(set(marks) - known)
        if unknown:
            raise UnknownLearners(unknown)
        for student_id, mark in sorted(marks.items()):
            WorkshopBooking.objects.filter(
                session__block_key=block_key, session__session_id=session_id, student_id=student_id).update(
                attendance=mark, marked_by=marked_by if mark else "", marked_at=now if mark else None)
    return len(marks)


def cancel_learner_upcoming(block_key, student_id, now, capacities):
    """
    An instructor's "delete learner state": the learner's places in sessions not yet started are given up
    (the first waiting learners promoted); attendance already recorded stays for the MI report.
    ``capacities``: ``{session id: capacity}`` from the block's content.
    """
    bookings = list(WorkshopBooking.objects.filter(
        session__block_key=block_key, student_id=student_id, status__in=(core.BOOKED, core.WAITING),
        session__starts_at__gt=now).select_related("session"))
    for booking in bookings:
        def run(booking=booking):
            row = WorkshopSession.objects.select_for_update().get(pk=booking.session_id)
            WorkshopSession.objects.filter(pk=row.pk).update(changes=F("changes") + 1)
            current = WorkshopBooking.objects.get(pk=booking.pk)
            if current.status == core.CANCELLED:
                return
            WorkshopBooking.objects.filter(pk=booking.pk).update(status=core.CANCELLED, updated_at=now)
            if current.status == core.BOOKED:
                row.booked -= 1
                WorkshopSession.objects.filter(pk=row.pk).update(booked=row.booked)
            if row.session_id in capacities:
                _promote(row, capacities[row.session_id], now)
        _retrying(run)
    return len(bookings)


def attendance_by_learner(course_key):
    """
    Every recorded attendance in a course, for the MI report: rows ``{student_id, username, block_key,
    session_id, title, module, starts_at, status, attendance}`` ordered by session start.
    """
    return list(WorkshopBooking.objects.filter(course_key=course_key).exclude(status=core.CANCELLED, attendance="")
                .order_by("session__starts_at", "session__session_id", "student_id")
                .values("student_id", "username", "status", "attendance", block_key=F("session__block_key"),
                        session_key=F("session__session_id"), title=F("session__title"),
                        module=F("session__module"), starts_at=F("session__starts_at")))


# ------------------------------------------------------------------------------------------ citations


def _item(booking):
    start = booking.session.starts_at
    return {"id": str(booking.pk), "title": booking.session.title,
            "date": start.date().isoformat() if start else "",
            "summary": booking.session.module, "witness": False}


def _attended(course_key, student_id):
    return (WorkshopBooking.objects.filter(course_key=course_key, student_id=student_id, attendance=core.ATTENDED)
            .select_related("session"))


def citable_sessions(course_key, student_id):
    """The workshop sessions the learner attended in the course (a tutor recorded it), newest first."""
    return [_item(booking) for booking in _attended(course_key, student_id).order_by("-session__starts_at", "-pk")]


def citable_session(course_key, student_id, item_id):
    """One attended session by its id, or None when it does not exist, is not attended or not this learner's."""
    if not str(item_id).isascii() or not str(item_id).isdigit() or len(str(item_id)) > 18:
        return None
    booking = _attended(course_key, student_id).filter(pk=int(item_id)).first()
    return _item(booking) if booking is not None else None


citations.register("workshop", "workshop session", citable_sessions, citable_session)
