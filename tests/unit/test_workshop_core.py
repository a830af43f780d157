"""The workshop's pure core: session rules, places and the waiting list, attendance, the .ics entry, OLX."""
from datetime import datetime, timezone

import pytest

from lp_xblocks.workshop import ics, olx
from lp_xblocks.workshop import sessions as core

SESSION = {"id": "s1", "title": "Chairing", "module": "Induction", "start": "2030-03-30T10:00",
           "end": "2030-03-30T12:00", "timezone": "Europe/London", "place": "Room 1", "capacity": 2}


def clean(**changes):
    return core.clean_session({**SESSION, **changes})


# ------------------------------------------------------------------------------------------ places


@pytest.mark.parametrize("booked, capacity, outcome", [(0, 1, "booked"), (1, 1, "waiting"), (11, 12, "booked"),
                                                       (12, 12, "waiting"), (13, 12, "waiting")])
def test_sign_up_gets_a_place_while_places_are_left(booked, capacity, outcome):
    assert core.sign_up_outcome(booked, capacity) == outcome


def test_promotion_is_first_come_first_served_into_free_places_only():
    bookings = [("a", "booked"), ("b", "waiting"), ("c", "cancelled"), ("d", "waiting"), ("e", "waiting")]
    assert core.promotions(bookings, 1) == []
    assert core.promotions(bookings, 2) == ["b"]
    assert core.promotions(bookings, 3) == ["b", "d"]
    assert core.promotions(bookings, 10) == ["b", "d", "e"]
    assert core.promotions([("a", "booked"), ("b", "booked"), ("c", "waiting")], 1) == []  # capacity lowered


def test_waiting_position_counts_only_the_waiting():
    bookings = [("a", "booked"), ("b", "waiting"), ("c", "cancelled"), ("d", "waiting")]
    assert core.waiting_position(bookings, "d") == 2
    assert core.waiting_position(bookings, "b") == 1
    assert core.waiting_position(bookings, "a") is None


def test_attendance_states_and_summary():
    assert [core.check_attendance(v) for v in ("attended", "absent", "apologies", "")] == [
        "attended", "absent", "apologies", ""]
    with pytest.raises(core.WorkshopError):
        core.check_attendance("late")
    assert core.attendance_summary(["attended", "", "absent", "attended", "x"]) == {
        "attended": 2, "absent": 1, "apologies": 0, "unmarked": 2}


# ------------------------------------------------------------------------------------------ sessions


def test_a_session_is_normalised_and_its_times_read_in_its_zone():
    session = clean(title="  Chairing   meetings ", notes="one\n  two\n\n\nthree")
    assert session["title"] == "Chairing meetings" and session["notes"] == "one two\n\nthree"
    assert core.start_utc(session) == datetime(2030, 3, 30, 10, 0, tzinfo=timezone.utc)  # GMT: BST starts on 31 March
    assert core.zone_label(session) == "GMT (Europe/London)"
    summer = clean(start="2030-04-02T10:00", end="2030-04-02T12:00")
    assert core.start_utc(summer) == datetime(2030, 4, 2, 9, 0, tzinfo=timezone.utc)
    assert core.zone_label(summer) == "BST (Europe/London)"


@pytest.mark.parametrize("changes, words", [
    ({"id": "bad id"}, "needs an id"),
    ({"title": " "}, "title: is required"),
    ({"timezone": "+01:00"}, "IANA time zone"),
    ({"timezone": "Europe/Atlantis"}, "not a known time zone"),
    ({"start": "30/03/2030 10:00"}, "YYYY-MM-DDTHH:MM"),
    ({"start": "2030-02-30T10:00"}, "not a real date"),
    ({"end": "2030-03-30T10:00"}, "end: must be after the start"),
    ({"end": "2030-04-02T10:00"}, "at most 24 hours"),
    ({"place": "", "online": ""}, "a place, an online link"),
    ({"online": "javascript:alert(1)"}, "http:// or https://"),
    ({"online": "ftp://example.org"}, "http:// or https://"),
    ({"online": "https://user@evil.example"}, "http:// or https://"),
    ({"online": "https://exa mple.org"}, "http:// or https://"),
    ({"capacity": 0}, "capacity"), ({"capacity": "\u0661"}, "capacity"), ({"capacity": True}, "capacity"),
    ({"capacity": 501}, "capacity"), ({"capacity": 2.5}, "capacity"),
    ({"prework": [{"label": "Read", "href": "javascript:x"}]}, "prework href"),
    ({"prework": [{"label": "Read", "href": "//evil.example/x"}]}, "prework href"),
    ({"posttask": "x"}, "posttask"),
    ({"notes": "x" * 5001}, "notes: at most"),
])
def test_bad_sessions_are_refused_naming_the_session_and_field(changes, words):
    with pytest.raises(core.WorkshopError) as caught:
        clean(**changes)
    assert words in str(caught.value)


def test_course_unit_links_and_web_links_are_accepted():
    session = clean(online="https://meet.example.org/lp?x=1", prework=[{"label": "Read", "href": "/jump_to_id/x"}],
                    posttask=[{"label": "Do", "href": "http://example.org/unit"}])
    assert session["online"] == "https://meet.example.org/lp?x=1"
    assert session["prework"][0]["href"] == "/jump_to_id/x"


def test_sessions_need_unique_ids_and_a_bounded_count():
    with pytest.raises(core.WorkshopError, match="more than once"):
        core.clean_sessions([SESSION, SESSION])
    with pytest.raises(core.WorkshopError, match="from 1 to"):
        core.clean_sessions([])
    with pytest.raises(core.WorkshopError, match="from 1 to"):
        core.clean_sessions([{**SESSION, "id": f"s{n}"} for n in range(core.MAX_SESSIONS + 1)])


def test_open_and_upcoming_follow_the_clock():
    session = clean()
    before = datetime(2030, 3, 30, 9, 59, tzinfo=timezone.utc)
    during = datetime(2030, 3, 30, 10, 0, tzinfo=timezone.utc)
    after = datetime(2030, 3, 30, 12, 0, tzinfo=timezone.utc)
    assert core.is_open(session, before) and not core.is_open(session, during)
    assert core.upcoming([session], during) == [session] and core.upcoming([session], after) == []


def test_the_plan_is_checked():
    plan = core.clean_plan({"objectives": ["A"], "activities": [{"minutes": 20, "title": "T", "text": "x"}],
                            "materials": ["M"]})
    assert core.plan_minutes(plan) == 20
    for bad in ({"activities": [{"minutes": 0, "title": "T"}]}, {"activities": [{"minutes": True, "title": "T"}]},
                {"objectives": "x"}, {"activities": [{"minutes": 5, "title": ""}]}, "x"):
        with pytest.raises(core.WorkshopError):
            core.clean_plan(bad)


# ------------------------------------------------------------------------------------------ .ics


def test_text_escaping_follows_rfc5545():
    assert ics.escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    assert ics.escape_text("bell\x07 here") == "bell here"


def test_lines_fold_at_75_octets_without_splitting_characters():
    line = "DESCRIPTION:" + "é" * 100
    folded = ics.fold(line)
    parts = folded[:-2].split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join([parts[0]] + [part[1:] for part in parts[1:]]) == line
    assert ics.fold("SHORT:x") == "SHORT:x\r\n"


def test_the_calendar_has_utc_times_uid_dtstamp_and_escaped_text():
    session = clean(title="Budgets, chairing; more", place="Room 1, Harwich",
                    online="https://meet.example.org/x")
    now = datetime(2026, 11, 26, 5, 0, 7, tzinfo=timezone.utc)
    text = ics.calendar(session, "block-v1:x", now, ["Pre-work: read, then\nthink; =1"])
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "DTSTAMP:20261126T050007Z" in lines and "DTSTART:20300330T100000Z" in lines
    assert "SUMMARY:Budgets\\, chairing\\; more" in lines
    assert "LOCATION:Room 1\\, Harwich\\, https://meet.example.org/x" in lines
    assert "DESCRIPTION:Pre-work: read\\, then\\nthink\\; =1" in lines
    uid = next(line for line in lines if line.startswith("UID:"))
    assert uid == "UID:" + ics.uid("block-v1:x", "s1") and uid != "UID:" + ics.uid("block-v1:y", "s1")
    assert "\n" not in text.replace("\r\n", "")


# ------------------------------------------------------------------------------------------ OLX


def test_olx_round_trip_keeps_plan_sessions_links_and_notes():
    xml = ('<lp_workshop><plan><objective>O</objective><activity minutes="15" title="T">Do, this</activity>'
           '<material>M</material></plan><session id="s1" title="A" module="M1" start="2030-01-01T10:00" '
           'end="2030-01-01T12:00" timezone="Europe/London" capacity="4" place="P" online="https://x.example">'
           '<prework href="/jump_to_id/a">Read A</prework><posttask href="/jump_to_id/b">Do B</posttask>'
           '<notes>first\n\nsecond</notes></session></lp_workshop>')
    plan, sessions = olx.parse_workshop_string(xml)
    again = olx.parse_workshop_string(olx.workshop_to_string(plan, sessions))
    assert again == (plan, sessions)
    assert sessions[0]["notes"] == "first\n\nsecond" and sessions[0]["capacity"] == 4


def test_olx_refuses_unknown_elements_and_entities():
    with pytest.raises(core.WorkshopError, match="not part of a workshop"):
        olx.parse_workshop_string("<w><script/></w>")
    with pytest.raises(core.WorkshopError):
        olx.parse_workshop_string('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                                  '<w><session id="a" title="&e;"/></w>')
