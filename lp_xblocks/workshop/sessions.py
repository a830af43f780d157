"""
A workshop's content and the rules of its places (pure: no XBlock, no Django).

A workshop has a session plan (objectives, timed activities, materials) and one or more sessions. A session:
``id``, ``title``, ``module``, ``start`` and ``end`` (local wall-clock times, ``YYYY-MM-DDTHH:MM``) in an IANA
``timezone``, a ``place`` and/or an ``online`` link (http or https), a ``capacity``, ``prework`` and ``posttask``
links to course units (``{"label", "href"}``), and ``notes`` that only staff see.

Places: a learner signs up and is *booked* while places are left, else joins the *waiting* list; cancelling a
booked place promotes the first learner waiting. Tutors record *attended*, *absent* or *apologies* per learner.
"""
import re
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..common.errors import N_, LocalisedError
from ..common.olx import ID_PATTERN

from ..common.places import (  # noqa: F401  # pylint: disable=unused-import  # the block reads them here
    ABSENT, APOLOGIES, ATTENDANCE, ATTENDED, BOOKED, BOOKING_STATES, CANCELLED, WAITING, end_utc, sign_up_outcome,
    start_utc,
)

MAX_SESSIONS = 20
MAX_CAPACITY = 500
MAX_TEXT = 200
MAX_NOTES = 5000
MAX_LINKS = 5
MAX_PLAN_ITEMS = 30
MAX_MINUTES = 600
MAX_URL = 500
_LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")
_COURSE_LINK = re.compile(r"^/[A-Za-z0-9_./:@+~-]*$")


class WorkshopError(LocalisedError):
    """Workshop content that breaks a rule; the message names the session and the field."""


def _text(value, what, limit=MAX_TEXT, required=True, **where):
    if not isinstance(value, str):
        raise WorkshopError(N_("{where}{what}: must be text."), where=_where(**where), what=what, **where)
    text = " ".join(value.split())
    if required and not text:
        raise WorkshopError(N_("{where}{what}: is required."), where=_where(**where), what=what, **where)
    if len(text) > limit:
        raise WorkshopError(N_("{where}{what}: at most {limit} characters."), where=_where(**where), what=what,
                            limit=limit)
    return text


def _where(session=None, **_ignored):
    return f"session '{session}': " if session else ""


def web_link(value, what, **where):
    """An online link: an absolute http or https URL with a host, no spaces or control characters."""
    text = _text(value, what, MAX_URL, **where)
    match = re.match(r"^(https?)://([^/\s?#]+)[^\s]*$", text, re.IGNORECASE)
    if not match or any(ord(ch) < 32 for ch in text) or "@" in match.group(2):
        raise WorkshopError(N_("{where}{what}: must be a web address starting with http:// or https://."),
                            where=_where(**where), what=what, **where)
    return text


def unit_link(value, what, **where):
    """A link to a course unit: a path on the site (``/jump_to_id/...``) or an http(s) address."""
    text = _text(value, what, MAX_URL, **where)
    if _COURSE_LINK.match(text) and not text.startswith("//"):
        return text
    return web_link(text, what, **where)


def zone(name, **where):
    """The IANA time zone ``name`` (``Europe/London``); UTC offsets and unknown names are refused."""
    if not isinstance(name, str) or not re.match(r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$", name):
        raise WorkshopError(N_("{where}timezone: must be an IANA time zone such as Europe/London."),
                            where=_where(**where))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise WorkshopError(N_("{where}timezone: '{zone}' is not a known time zone."), where=_where(**where),
                            zone=name) from None


def local_time(value, what, tz, **where):
    """``YYYY-MM-DDTHH:MM`` read as a wall-clock time in ``tz``; an aware datetime."""
    if not isinstance(value, str) or not _LOCAL_TIME.match(value.strip()):
        raise WorkshopError(N_("{where}{what}: must be a date and time written YYYY-MM-DDTHH:MM."),
                            where=_where(**where), what=what, **where)
    try:
        naive = datetime.strptime(value.strip(), "%Y-%m-%dT%H:%M")
    except ValueError:
        raise WorkshopError(N_("{where}{what}: '{value}' is not a real date and time."), where=_where(**where),
                            what=what, value=value.strip()) from None
    return naive.replace(tzinfo=tz)


def _links(raw, what, session):
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_LINKS:
        raise WorkshopError(N_("session '{session}': {what}: a list of at most {limit} links."), session=session,
                            what=what, limit=MAX_LINKS)
    links = []
    for link in raw:
        if not isinstance(link, dict):
            raise WorkshopError(N_("session '{session}': {what}: each link needs a label and an href."),
                                session=session, what=what)
        links.append({"label": _text(link.get("label"), what + " label", session=session),
                      "href": unit_link(link.get("href"), what + " href", session=session)})
    return links


def _capacity(raw, session):
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        raise WorkshopError(N_("session '{session}': capacity: must be a whole number from 1 to {most}."),
                            session=session, most=MAX_CAPACITY)
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_CAPACITY:
        raise WorkshopError(N_("session '{session}': capacity: must be a whole number from 1 to {most}."),
                            session=session, most=MAX_CAPACITY)
    return int(text)


def clean_session(raw):
    """One session checked and normalised; raises :class:`WorkshopError` naming the session and field."""
    if not isinstance(raw, dict):
        raise WorkshopError(N_("a session must be an object with an id, title, times and capacity."))
    ident = raw.get("id")
    if not isinstance(ident, str) or not ID_PATTERN.match(ident):
        raise WorkshopError(N_("a session needs an id of letters, digits, '-', '_' and '.'."))
    tz = zone(raw.get("timezone"), session=ident)
    start = local_time(raw.get("start"), "start", tz, session=ident)
    end = local_time(raw.get("end"), "end", tz, session=ident)
    if end <= start:
        raise WorkshopError(N_("session '{session}': end: must be after the start."), session=ident)
    if (end - start).total_seconds() > 24 * 3600:
        raise WorkshopError(N_("session '{session}': end: a session lasts at most 24 hours."), session=ident)
    place = _text(raw.get("place", ""), "place", required=False, session=ident)
    online = raw.get("online") or ""
    online = web_link(online, "online", session=ident) if online else ""
    if not place and not online:
        raise WorkshopError(N_("session '{session}': give a place, an online link, or both."), session=ident)
    return {
        "id": ident,
        "title": _text(raw.get("title"), "title", session=ident),
        "module": _text(raw.get("module", ""), "module", required=False, session=ident),
        "start": start.strftime("%Y-%m-%dT%H:%M"), "end": end.strftime("%Y-%m-%dT%H:%M"),
        "timezone": tz.key, "place": place, "online": online,
        "capacity": _capacity(raw.get("capacity"), ident),
        "prework": _links(raw.get("prework"), "prework", ident),
        "posttask": _links(raw.get("posttask"), "posttask", ident),
        "notes": _notes(raw.get("notes", ""), ident),
    }


def _notes(raw, session):
    if not isinstance(raw, str):
        raise WorkshopError(N_("session '{session}': notes: must be text."), session=session)
    if len(raw) > MAX_NOTES:
        raise WorkshopError(N_("session '{session}': notes: at most {limit} characters."), session=session,
                            limit=MAX_NOTES)
    return "\n\n".join(" ".join(part.split()) for part in re.split(r"\n\s*\n", raw) if part.strip())


def clean_sessions(raw):
    """A workshop's sessions: 1 to :data:`MAX_SESSIONS`, ids unique, each checked by :func:`clean_session`."""
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_SESSIONS:
        raise WorkshopError(N_("a workshop needs from 1 to {most} sessions."), most=MAX_SESSIONS)
    sessions, seen = [], set()
    for item in raw:
        session = clean_session(item)
        if session["id"] in seen:
            raise WorkshopError(N_("session '{session}': id is used more than once."), session=session["id"])
        seen.add(session["id"])
        sessions.append(session)
    return sessions


def clean_plan(raw):
    """The session plan: ``objectives`` and ``materials`` (lists of text), ``activities`` ``{minutes, title, text}``."""
    if not isinstance(raw, dict):
        raise WorkshopError(N_("plan: must have objectives, activities and materials."))
    plan = {}
    for key in ("objectives", "materials"):
        items = raw.get(key) or []
        if not isinstance(items, list) or len(items) > MAX_PLAN_ITEMS:
            raise WorkshopError(N_("plan {what}: a list of at most {limit} items."), what=key, limit=MAX_PLAN_ITEMS)
        plan[key] = [_text(item, f"plan {key[:-1]}", 1000) for item in items]
    activities = raw.get("activities") or []
    if not isinstance(activities, list) or len(activities) > MAX_PLAN_ITEMS:
        raise WorkshopError(N_("plan {what}: a list of at most {limit} items."), what="activities",
                            limit=MAX_PLAN_ITEMS)
    plan["activities"] = []
    for item in activities:
        item = item if isinstance(item, dict) else {}
        minutes = item.get("minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
            raise WorkshopError(N_("plan activity: minutes must be a whole number from 1 to {most}."),
                                most=MAX_MINUTES)
        plan["activities"].append({"minutes": minutes, "title": _text(item.get("title"), "plan activity title"),
                                   "text": _text(item.get("text", ""), "plan activity text", 2000, required=False)})
    return plan


def plan_minutes(plan):
    """The plan's total time in minutes."""
    return sum(item["minutes"] for item in plan.get("activities", []))


# ------------------------------------------------------------------------------------------ times


def zone_label(session):
    """The session's local zone abbreviation at its start (``GMT``, ``BST``) and the IANA name."""
    tz = ZoneInfo(session["timezone"])
    start = datetime.strptime(session["start"], "%Y-%m-%dT%H:%M").replace(tzinfo=tz)
    return f"{start.tzname()} ({session['timezone']})"


def is_open(session, now):
    """Whether learners may still sign up or cancel: the session has not started."""
    return now < start_utc(session)


def upcoming(sessions, now):
    """The sessions that have not ended, soonest first."""
    return sorted((s for s in sessions if end_utc(s) > now), key=start_utc)


# ------------------------------------------------------------------------------------------ places


def promotions(bookings, capacity):
    """
    The learners to move from the waiting list to a place, first come first served: ``bookings`` are
    ``(student_id, status)`` in sign-up order; as many of the first waiting as there are free places.
    """
    free = capacity - sum(1 for _student, status in bookings if status == BOOKED)
    waiting = [student for student, status in bookings if status == WAITING]
    return waiting[:max(0, free)]


def waiting_position(bookings, student_id):
    """A waiting learner's place in the queue (1 for the first), or None."""
    queue = [student for student, status in bookings if status == WAITING]
    return queue.index(student_id) + 1 if student_id in queue else None


def check_attendance(value):
    """An attendance mark: one of :data:`ATTENDANCE`, or '' to clear it."""
    if value == "" or value in ATTENDANCE:
        return value
    raise WorkshopError(N_("attendance: must be attended, absent or apologies."))


def attendance_summary(marks):
    """``{"attended": n, "absent": n, "apologies": n, "unmarked": n}`` for a list of marks ('' unmarked)."""
    summary = {state: 0 for state in ATTENDANCE}
    summary["unmarked"] = 0
    for mark in marks:
        summary[mark if mark in ATTENDANCE else "unmarked"] += 1
    return summary
