"""
Places at a timed session (pure: no XBlock, no Django), shared by the workshop block and its records in
``lp_xblocks.data``: the states of a booking and of attendance, who gets a place, and a session's start and end
in UTC from its local wall-clock times and IANA time zone.
"""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

BOOKED, WAITING, CANCELLED = "booked", "waiting", "cancelled"
BOOKING_STATES = (BOOKED, WAITING, CANCELLED)
ATTENDED, ABSENT, APOLOGIES = "attended", "absent", "apologies"
ATTENDANCE = (ATTENDED, ABSENT, APOLOGIES)


def sign_up_outcome(booked_count, capacity):
    """What a new sign-up gets: a place while fewer than ``capacity`` are booked, else the waiting list."""
    return BOOKED if booked_count < capacity else WAITING


def start_utc(session):
    """The session's start as an aware UTC datetime."""
    tz = ZoneInfo(session["timezone"])
    return datetime.strptime(session["start"], "%Y-%m-%dT%H:%M").replace(tzinfo=tz).astimezone(timezone.utc)


def end_utc(session):
    """The session's end as an aware UTC datetime."""
    tz = ZoneInfo(session["timezone"])
    return datetime.strptime(session["end"], "%Y-%m-%dT%H:%M").replace(tzinfo=tz).astimezone(timezone.utc)
