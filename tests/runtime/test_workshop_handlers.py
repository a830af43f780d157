"""
The workshop block's handlers on the SDK workbench runtime: places, the waiting list and promotion, the
calendar download, the register and attendance, and the permission matrix (anonymous, learner, another
learner, tutor).
"""
import pytest
from lxml import etree

from lp_xblocks.data.api import citations
from lp_xblocks.data.models import WorkshopBooking, WorkshopSession
from tests.conftest import call_handler

XML = """
<lp_workshop display_name="Chairing workshop">
  <plan>
    <objective>Plan a meeting that runs to time</objective>
    <activity minutes="20" title="Welcome">Hopes for the day</activity>
    <activity minutes="40" title="Role play">Chair a contentious item</activity>
    <material>Protocols handout</material>
  </plan>
  <session id="small" title="Small room, Harwich; 1 place" module="Induction" start="2030-03-12T10:00"
           end="2030-03-12T13:00" timezone="Europe/London" capacity="1" place="Room 2, Harwich">
    <prework href="/jump_to_id/chairing-preparation">Read: preparing to chair</prework>
    <posttask href="/jump_to_id/induction-log">Write a log entry</posttask>
    <notes>SECRET-FACILITATOR-NOTE: watch for chairs who do everything themselves.</notes>
  </session>
  <session id="online" title="Online" module="Induction" start="2030-07-01T14:00" end="2030-07-01T16:00"
           timezone="America/New_York" capacity="5" online="https://meet.example.org/lp"/>
  <session id="past" title="Last year's" module="Induction" start="2020-01-01T10:00" end="2020-01-01T12:00"
           timezone="Europe/London" capacity="5" place="Colchester"/>
</lp_workshop>
"""

pytestmark = pytest.mark.django_db


@pytest.fixture
def block(workbench_block):
    return workbench_block(XML)


def session_of(reply, ident):
    return next(item for item in reply["sessions"] if item["id"] == ident)


def test_the_state_shows_sessions_with_times_in_their_zone_and_places(block):
    status, reply, _ = call_handler(block("ann"), "state", {})
    assert status == 200
    small = session_of(reply, "small")
    assert small["when"] == "Tue 12 Mar 2030, 10:00 to 13:00 GMT (Europe/London)"
    assert session_of(reply, "online")["when"].endswith("EDT (America/New_York)")
    assert small["left"] == 1 and small["open"] and not small["past"]
    assert "notes" not in small  # facilitator notes are for staff only
    # A past session is listed for tutors (its register), not for learners who never signed up for it.
    assert [item["id"] for item in reply["sessions"]] == ["small", "online"]
    past = session_of(call_handler(block("tutor"), "state", {})[1], "past")
    assert past["past"] and not past["open"]


def test_sign_up_books_then_waits_and_cancel_promotes_the_first_waiting(block):
    status, reply, _ = call_handler(block("ann"), "sign_up", {"session": "small"})
    assert status == 200 and reply["status"] == "booked"
    status, reply, _ = call_handler(block("bob"), "sign_up", {"session": "small"})
    assert reply["status"] == "waiting" and session_of(reply, "small")["mine"]["position"] == 1
    reply = call_handler(block("cat"), "sign_up", {"session": "small"})[1]
    assert session_of(reply, "small")["mine"] == {"status": "waiting", "position": 2, "attendance": ""}
    # Signing up twice changes nothing.
    assert call_handler(block("ann"), "sign_up", {"session": "small"})[1]["status"] == "booked"
    status, reply, _ = call_handler(block("ann"), "cancel", {"session": "small"})
    assert status == 200 and session_of(reply, "small")["mine"]["status"] == "cancelled"
    bob = session_of(call_handler(block("bob"), "state", {})[1], "small")
    cat = session_of(call_handler(block("cat"), "state", {})[1], "small")
    assert bob["mine"]["status"] == "booked" and cat["mine"]["position"] == 1
    assert WorkshopSession.objects.get(session_id="small").booked == 1
    assert {"session": "small", "student": "bob"} in block.events.of("lp.workshop.promoted")


def test_leaving_the_waiting_list_promotes_nobody(block):
    for learner in ("ann", "bob", "cat"):
        call_handler(block(learner), "sign_up", {"session": "small"})
    assert call_handler(block("bob"), "cancel", {"session": "small"})[0] == 200
    cat = session_of(call_handler(block("cat"), "state", {})[1], "small")
    assert cat["mine"] == {"status": "waiting", "position": 1, "attendance": ""}


def test_a_cancelled_learner_who_signs_up_again_joins_the_end_of_the_queue(block):
    for learner in ("ann", "bob"):
        call_handler(block(learner), "sign_up", {"session": "small"})
    call_handler(block("ann"), "cancel", {"session": "small"})
    reply = call_handler(block("ann"), "sign_up", {"session": "small"})[1]
    assert reply["status"] == "waiting" and session_of(reply, "small")["mine"]["position"] == 1


@pytest.mark.parametrize("body, status, field", [
    ({}, 400, "session"), ({"session": 3}, 400, "session"), ({"session": "nope"}, 404, "session"),
    ({"session": "past"}, 409, "session"),
])
def test_bad_sign_ups_name_the_field_and_store_nothing(block, body, status, field):
    got, reply, _ = call_handler(block("ann"), "sign_up", body)
    assert got == status and reply["field"] == field and reply["error"]
    assert not WorkshopBooking.objects.exists()


def test_cancel_without_a_place_is_409(block):
    status, reply, _ = call_handler(block("ann"), "cancel", {"session": "small"})
    assert status == 409 and "no place" in reply["error"]


def test_anonymous_visitors_see_sessions_but_cannot_sign_up(block):
    assert call_handler(block("none"), "state", {})[0] == 200
    for handler in ("sign_up", "cancel"):
        status, reply, _ = call_handler(block("none"), handler, {"session": "small"})
        assert status == 403 and reply["error"]
    assert not WorkshopBooking.objects.exists()


def test_another_learner_cannot_cancel_or_see_a_learners_place(block):
    call_handler(block("ann"), "sign_up", {"session": "small"})
    assert call_handler(block("bob"), "cancel", {"session": "small"})[0] == 409
    assert session_of(call_handler(block("bob"), "state", {})[1], "small")["mine"]["status"] == ""
    assert WorkshopBooking.objects.get(student_id="ann").status == "booked"


@pytest.mark.parametrize("who", ["none", "ann", "bob"])
@pytest.mark.parametrize("handler, body", [
    ("register", {"session": "small"}), ("mark_attendance", {"session": "small", "marks": {"ann": "attended"}}),
])
def test_only_tutors_see_the_register_and_take_attendance(block, who, handler, body):
    call_handler(block("ann"), "sign_up", {"session": "small"})
    status, reply, _ = call_handler(block(who), handler, body)
    assert status == 403 and reply["error"]
    assert WorkshopBooking.objects.get(student_id="ann").attendance == ""


@pytest.mark.parametrize("who", ["none", "ann"])
def test_only_tutors_download_the_register(block, who):
    status, _, response = call_handler(block(who), "register_csv", method="GET", query="session=small")
    assert status == 403 and response.content_type == "application/json"


def test_tutor_takes_the_register_all_or_nothing(block):
    for learner in ("ann", "bob"):
        call_handler(block(learner), "sign_up", {"session": "small"})
    tutor = block("tutor")
    status, reply, _ = call_handler(tutor, "register", {"session": "small"})
    assert [(row["student_id"], row["status"]) for row in reply["learners"]] == [("ann", "booked"), ("bob", "waiting")]
    status, reply, _ = call_handler(tutor, "mark_attendance", {"session": "small", "marks": {"ann": "attended",
                                                                                            "zed": "absent"}})
    assert status == 400 and reply["field"] == "marks" and reply["learners"] == ["zed"]
    status, reply, _ = call_handler(tutor, "mark_attendance", {"session": "small", "marks": {"ann": "late"}})
    assert status == 400 and reply["learners"] == ["ann"]
    assert not WorkshopBooking.objects.exclude(attendance="").exists()
    status, reply, _ = call_handler(tutor, "mark_attendance", {"session": "small", "marks": {"ann": "attended",
                                                                                            "bob": "apologies"}})
    assert status == 200 and reply["recorded"] == 2
    assert reply["summary"] == {"attended": 1, "absent": 0, "apologies": 1, "unmarked": 0}
    row = WorkshopBooking.objects.get(student_id="ann")
    assert row.attendance == "attended" and row.marked_by == "tutor" and row.marked_at is not None
    assert session_of(call_handler(block("ann"), "state", {})[1], "small")["mine"]["attendance"] == "attended"


def test_attended_sessions_are_citable_by_their_learner_only(block):
    for learner in ("ann", "bob"):
        call_handler(block(learner), "sign_up", {"session": "online"})
    call_handler(block("tutor"), "mark_attendance", {"session": "online", "marks": {"ann": "attended", "bob": "absent"}})
    course = WorkshopBooking.objects.get(student_id="ann").course_key
    items = citations.citable(course, "ann")["workshop"]
    assert [(item["title"], item["date"]) for item in items] == [("Online", "2030-07-01")]
    assert citations.citable(course, "bob")["workshop"] == []  # absent: nothing to cite
    assert citations.describe(course, "ann", {"kind": "workshop", "id": items[0]["id"]})["label"] == "workshop session"
    assert citations.describe(course, "bob", {"kind": "workshop", "id": items[0]["id"]}) is None
    assert citations.describe(course, "ann", {"kind": "workshop", "id": "1e9"}) is None


def test_register_csv_is_formula_safe(block):
    call_handler(block("=HYPERLINK(1)"), "sign_up", {"session": "online"})
    status, text, response = call_handler(block("tutor"), "register_csv", method="GET", query="session=online")
    assert status == 200 and response.content_type == "text/csv"
    assert "'=HYPERLINK(1)" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    assert 'filename="register-online.csv"' in response.headers["Content-Disposition"]
    header, row = text.split("\r\n")[:2]
    assert header == "Session,When,Learner,Student id,Place,Attendance,Recorded by,Recorded at (UTC)"
    assert row.startswith('Online,"Mon 01 Jul 2030, 14:00 to 16:00 EDT (America/New_York)",\'=HYPERLINK(1),')


def test_calendar_is_rfc5545_with_crlf_escaping_utc_and_uid(block):
    status, text, response = call_handler(block("ann"), "calendar", method="GET", query="session=small")
    assert status == 200 and response.content_type == "text/calendar"
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "SUMMARY:Small room\\, Harwich\\; 1 place\r\n" in text
    assert "DTSTART:20300312T100000Z\r\n" in text and "DTEND:20300312T130000Z\r\n" in text
    assert "UID:" in text and "DTSTAMP:" in text
    assert "SECRET" not in text
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    status, reply, _ = call_handler(block("ann"), "calendar", method="GET", query="session=nope")
    assert status == 404 and reply["field"] == "session"


def test_facilitator_notes_reach_tutors_only(block):
    learner_html = block("ann").render("student_view").body_html()
    tutor_html = block("tutor").render("student_view").body_html()
    assert "SECRET-FACILITATOR-NOTE" not in learner_html
    assert "SECRET-FACILITATOR-NOTE" in tutor_html
    assert session_of(call_handler(block("tutor"), "state", {})[1], "small")["notes"].startswith("SECRET")


def test_student_view_has_the_plan_live_region_and_escaped_author_text(workbench_block):
    get = workbench_block(XML.replace("Hopes for the day", "&lt;script&gt;alert(1)&lt;/script&gt;"))
    html = get("ann").render("student_view").body_html()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert 'aria-live="polite"' in html and "60 minutes in all" in html


def test_student_view_data_leaves_out_the_notes(block):
    data = block("ann").student_view_data()
    assert all("notes" not in session for session in data["sessions"])


def test_olx_round_trips(block):
    original = block("ann")
    node = etree.Element("root")
    original.add_xml_to_node(node)
    again = etree.tostring(node, encoding="unicode")
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
    runtime = WorkbenchRuntime("ann")
    parsed = runtime.get_block(runtime.parse_xml_string(again))
    assert parsed.sessions == original.sessions and parsed.plan == original.plan
    assert parsed.display_name == "Chairing workshop"


@pytest.mark.parametrize("xml, message", [
    ('<workshop><session id="a" title="A" start="2030-01-01T10:00" end="2030-01-01T09:00" timezone="Europe/London" '
     'capacity="3" place="X"/></workshop>', "end: must be after the start"),
    ('<workshop><session id="a" title="A" start="2030-01-01T10:00" end="2030-01-01T11:00" timezone="Mars/Base" '
     'capacity="3" place="X"/></workshop>', "not a known time zone"),
    ('<workshop><session id="a" title="A" start="2030-01-01T10:00" end="2030-01-01T11:00" timezone="Europe/London" '
     'capacity="0" place="X"/></workshop>', "capacity"),
    ('<workshop><session id="a" title="A" start="2030-01-01T10:00" end="2030-01-01T11:00" timezone="Europe/London" '
     'capacity="3" online="javascript:alert(1)"/></workshop>', "http:// or https://"),
    ('<workshop><session id="a" title="A" start="2030-02-30T10:00" end="2030-03-01T11:00" timezone="Europe/London" '
     'capacity="3" place="X"/></workshop>', "not a real date"),
    ("<workshop><session", "not well formed"),
])
def test_studio_submit_refuses_bad_values_with_400_and_keeps_the_content(block, xml, message):
    tutor = block("tutor")
    status, reply, _ = call_handler(tutor, "studio_submit", {"display_name": "X", "workshop_xml": xml})
    assert status == 400 and reply["field"] == "workshop_xml" and message in reply["error"], reply
    assert [s["id"] for s in block("tutor").sessions] == ["small", "online", "past"]


def test_studio_submit_saves_valid_xml_and_learners_cannot_edit(block):
    xml = ('<workshop><session id="new" title="New" start="2031-01-01T10:00" end="2031-01-01T11:00" '
           'timezone="Europe/London" capacity="3" place="X"/></workshop>')
    assert call_handler(block("ann"), "studio_submit", {"workshop_xml": xml})[0] == 403
    status, reply, _ = call_handler(block("tutor"), "studio_submit", {"display_name": "Renamed", "workshop_xml": xml})
    assert status == 200, reply
    saved = block("tutor")
    assert [s["id"] for s in saved.sessions] == ["new"] and saved.display_name == "Renamed"


def test_the_studio_editor_renders_and_validates_drafts(block):
    tutor = block("tutor")
    assert "workshop_xml" in tutor.render("studio_view").body_html()
    status, reply, _ = call_handler(tutor, "validate_draft", {"draft": {"plan": {}, "sessions": [
        {"id": "a", "title": "A", "start": "2030-01-01T10:00", "end": "2030-01-01T11:00", "timezone": "Europe/London",
         "capacity": 3, "place": "", "online": ""}]}})
    assert status == 200 and not reply["valid"]
    assert "place" in reply["problems"][0]["message"]


def test_delete_learner_state_gives_up_upcoming_places_and_promotes(block):
    for learner in ("ann", "bob"):
        call_handler(block(learner), "sign_up", {"session": "small"})
    shell = block("tutor")
    shell.clear_student_state(user_id="ann", course_id="", item_id=str(shell.scope_ids.usage_id),
                              requesting_user_id="tutor")
    assert WorkshopBooking.objects.get(student_id="ann").status == "cancelled"
    assert WorkshopBooking.objects.get(student_id="bob").status == "booked"


def test_retirement_renames_the_learner_and_the_tutor_in_workshop_records(block):
    from lp_xblocks.data.api.retirement import pseudonym, retire_learner  # pylint: disable=import-outside-toplevel
    call_handler(block("ann"), "sign_up", {"session": "online"})
    call_handler(block("tutor"), "mark_attendance", {"session": "online", "marks": {"ann": "attended"}})
    retire_learner(student_ids=["ann"], usernames=["ann"])
    retire_learner(student_ids=[], usernames=["tutor"])
    row = WorkshopBooking.objects.get()
    assert row.student_id == pseudonym("ann") and row.username == "" and row.marked_by == pseudonym("tutor")
    assert row.attendance == "attended"  # kept, anonymised, for the MI report
