"""
The mentoring block's handlers on the SDK workbench runtime: the full permission matrix (anonymous visitor,
learner who is a mentee, another learner, the mentee's mentor, another mentor, the tutor who coordinates),
what each role sees, the agreement and session flows, the CSV upload and download, citations, and OLX.

Workbench student ids stand for usernames: ``ann`` is mentored by ``mara`` (Acme Ltd), ``carl`` by ``mo``.
"""
import csv
import io
import json

import pytest
from lxml import etree

from lp_xblocks.data.api import citations
from tests.conftest import call_handler

XML = '<lp_mentoring display_name="Mentoring"><briefing>Mentors only: meet monthly.</briefing></lp_mentoring>'

ANONYMOUS, MENTEE, OTHER, MENTOR, OTHER_MENTOR, TUTOR = "none", "ann", "bob", "mara", "mo", "tutor"
ROLES = (ANONYMOUS, MENTEE, OTHER, MENTOR, OTHER_MENTOR, TUTOR)

TERMS = {"goals": "Chair the board with confidence", "frequency": "Monthly",
         "confidentiality": "What we discuss stays between us.", "review_date": "2099-06-30"}
SESSION = {"date": "2026-01-15", "focus": "Chairing the board", "discussed": "SECRET: how the chair handled EFS.",
           "actions": [{"what": "Draft the agenda", "where": "Executive Board", "whom": "EFS", "when": "ongoing"}]}


@pytest.fixture
def scheme(workbench_block):
    """ann -> mara, carl -> mo, paired by the tutor; ann has logged session 1."""
    get = workbench_block(XML)
    assert call_handler(get(TUTOR), "upload_pairs", {"csv": "ann,mara,Acme Ltd\ncarl,mo"})[0] == 200
    assert call_handler(get(MENTEE), "log_session", SESSION)[0] == 200
    return get


def body_for(handler, role):
    """A valid request for the handler as this role would send it."""
    bodies = {
        "state": {}, "pair": {"mentee": "dee", "mentor": "mara"}, "unpair": {"mentee": "ann"},
        "upload_pairs": {"csv": "dee,mara"}, "save_agreement": dict(TERMS, version=0),
        "sign_agreement": {"version": 0}, "log_session": SESSION,
        "confirm_session": {"mentee": "ann", "session_id": 1, "version": 1},
        "comment_session": {"mentee": "ann", "session_id": 1, "version": 1, "comment": "Add the date."},
        "save_review": {"goals_met": "yes", "what_next": "Carry on", "continue": True},
        "studio_submit": {"display_name": "Buddy scheme", "briefing": "New briefing"},
        "save_form_draft": {"form": "session", "values": {"focus": "half typed"}},
        "discard_form_draft": {"form": "session"},
    }
    body = dict(bodies[handler])
    if handler in ("save_agreement", "sign_agreement") and role in (MENTOR, OTHER_MENTOR, TUTOR, OTHER):
        body["mentee"] = "ann"
    return body


# handler -> the status each role gets: (anonymous, mentee, other learner, mentor, other mentor, tutor)
MATRIX = {
    "state": (403, 200, 200, 200, 200, 200),
    "pair": (403, 403, 403, 403, 403, 200),
    "unpair": (403, 403, 403, 403, 403, 200),
    "upload_pairs": (403, 403, 403, 403, 403, 200),
    "save_agreement": (403, 200, 404, 200, 404, 404),
    "sign_agreement": (403, 409, 404, 409, 404, 404),  # version 0: no terms yet to sign (409 names the version)
    "log_session": (403, 200, 404, 404, 404, 404),
    "confirm_session": (403, 404, 404, 200, 404, 404),
    "comment_session": (403, 404, 404, 200, 404, 404),
    "save_review": (403, 200, 404, 404, 404, 404),
    "studio_submit": (403, 403, 403, 403, 403, 200),
    "save_form_draft": (403, 200, 200, 200, 200, 200),
    "discard_form_draft": (403, 200, 200, 200, 200, 200),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("handler", sorted(MATRIX))
def test_permission_matrix(scheme, handler, role):
    status, reply, _response = call_handler(scheme(role), handler, body_for(handler, role))
    assert status == MATRIX[handler][ROLES.index(role)], reply
    if status >= 400:
        assert reply["error"].strip()
        if status in (400, 404):
            assert "field" in reply


def test_the_matrix_covers_every_handler_of_the_block():
    from lp_xblocks.mentoring.block import MentoringBlock  # pylint: disable=import-outside-toplevel
    handlers = {name for name in dir(MentoringBlock)
                if getattr(getattr(MentoringBlock, name, None), "_is_xblock_handler", False)}
    assert handlers - set(MATRIX) == {"pairs_csv"}


@pytest.mark.parametrize("role, status", [(ANONYMOUS, 403), (MENTEE, 403), (OTHER, 403), (MENTOR, 403),
                                          (OTHER_MENTOR, 403), (TUTOR, 200)])
def test_only_the_coordinator_downloads_the_pairs(scheme, role, status):
    assert call_handler(scheme(role), "pairs_csv", method="GET")[0] == status


def state_of(get, role):
    return call_handler(get(role), "state", method="GET")[1]


def test_each_role_sees_only_what_is_theirs(scheme):
    mentee, other, mentor, other_mentor, tutor = (state_of(scheme, role) for role in ROLES[1:])
    assert mentee["mentee"]["mentor"] == "mara" and mentee["mentee"]["organisation"] == "Acme Ltd"
    assert mentee["mentee"]["sessions"][0]["discussed"] == SESSION["discussed"]
    assert mentee["briefing"] is None and mentee["pairs"] is None and mentee["mentees"] == []
    assert (other["mentee"], other["mentees"], other["pairs"], other["briefing"]) == (None, [], None, None)
    assert [pair["mentee"] for pair in mentor["mentees"]] == ["ann"]
    assert mentor["mentees"][0]["sessions"][0]["focus"] == SESSION["focus"]
    assert mentor["briefing"] == "Mentors only: meet monthly." and mentor["pairs"] is None
    assert [pair["mentee"] for pair in other_mentor["mentees"]] == ["carl"]
    assert other_mentor["mentees"][0]["sessions"] == []
    assert "SECRET" not in json.dumps(other_mentor)
    # The coordinator sees pairs and counts, never a session's content or the agreement's terms.
    assert tutor["pairs"] == [
        {"mentee": "ann", "mentor": "mara", "organisation": "Acme Ltd", "paired_at": tutor["pairs"][0]["paired_at"],
         "agreement_status": "none", "sessions_logged": 1, "sessions_confirmed": 0, "reviewed": False},
        {"mentee": "carl", "mentor": "mo", "organisation": "", "paired_at": tutor["pairs"][1]["paired_at"],
         "agreement_status": "none", "sessions_logged": 0, "sessions_confirmed": 0, "reviewed": False}]
    assert "SECRET" not in json.dumps(tutor) and "Chairing" not in json.dumps(tutor)


def test_the_agreement_both_sign_and_a_change_needs_both_again(scheme):
    status, reply, _ = call_handler(scheme(MENTEE), "save_agreement", dict(TERMS, version=0))
    assert status == 200 and reply["mentee"]["agreement_status"] == "awaiting"
    assert call_handler(scheme(MENTEE), "sign_agreement", {"version": 1})[0] == 200
    assert state_of(scheme, TUTOR)["pairs"][0]["agreement_status"] == "awaiting"
    status, reply, _ = call_handler(scheme(MENTOR), "sign_agreement", {"mentee": "ann", "version": 1})
    assert status == 200 and reply["mentees"][0]["agreement_status"] == "agreed"
    assert scheme.events.of("lp.mentoring.agreement_signed")[-1] == {"mentee": "ann", "by": "mentor", "version": 1,
                                                                   "agreed": True}
    # The mentor changes the frequency: a new version, nothing signed, version 1 stays in force.
    status, reply, _ = call_handler(scheme(MENTOR), "save_agreement", dict(TERMS, frequency="Fortnightly",
                                                                          mentee="ann", version=1))
    agreement = reply["mentees"][0]["agreement"]
    assert (agreement["version"], agreement["signatures"], agreement["agreed"]["terms"]["frequency"]) == (
        2, {}, "Monthly")
    # A stale signature (the version read before the change) is refused with 409 naming the version.
    status, reply, _ = call_handler(scheme(MENTEE), "sign_agreement", {"version": 1})
    assert status == 409 and reply["field"] == "version"
    status, reply, _ = call_handler(scheme(MENTEE), "save_agreement", dict(TERMS, version=1))
    assert status == 409 and "version 2" in reply["error"]
    # Every problem of the terms at once.
    status, reply, _ = call_handler(scheme(MENTEE), "save_agreement", {"version": 2, "goals": "", "review_date": "x"})
    assert status == 400 and [item["field"] for item in reply["errors"]] == [
        "goals", "frequency", "confidentiality", "review_date"]


def test_the_mentor_confirms_a_session_and_only_then_it_can_be_cited_as_witness_evidence(scheme):
    assert citations.citable("", "ann")["mentoring_session"] == []
    status, reply, _ = call_handler(scheme(MENTOR), "confirm_session", {"mentee": "ann", "session_id": 1, "version": 1})
    assert status == 200 and reply["mentees"][0]["sessions"][0]["state"] == "confirmed"
    items = citations.citable("", "ann")["mentoring_session"]
    assert len(items) == 1
    item = items[0]
    assert (item["witness"], item["witness_name"], item["witness_role"], item["date"]) == (
        True, "mara", "mentor", "2026-01-15")
    assert item["witness_description"] == "mara, Acme Ltd"
    described = citations.describe("", "ann", {"kind": "mentoring_session", "id": item["id"]})
    assert described["title"] == "Mentoring session: Chairing the board" and described["kind"] == "mentoring_session"
    # Nobody else reaches it through a citation.
    assert citations.describe("", "bob", {"kind": "mentoring_session", "id": item["id"]}) is None
    assert citations.describe("", "ann", {"kind": "mentoring_session", "id": "x' OR 1=1"}) is None
    # A confirmed session is frozen.
    status, reply, _ = call_handler(scheme(MENTEE), "log_session", dict(SESSION, session_id=1))
    assert status == 409 and "no longer be changed" in reply["error"]
    assert state_of(scheme, TUTOR)["pairs"][0]["sessions_confirmed"] == 1


def test_a_comment_sends_the_session_back_and_the_mentee_changes_it(scheme):
    status, reply, _ = call_handler(scheme(MENTOR), "comment_session",
                                    {"mentee": "ann", "session_id": 1, "version": 1, "comment": "Add the date."})
    assert status == 200
    mine = state_of(scheme, MENTEE)["mentee"]["sessions"][0]
    assert (mine["state"], mine["comment"]) == ("commented", "Add the date.")
    status, reply, _ = call_handler(scheme(MENTEE), "log_session", dict(SESSION, session_id=1, focus="Chairing, v2"))
    assert status == 200 and reply["mentee"]["sessions"][0]["version"] == 2
    status, reply, _ = call_handler(scheme(MENTOR), "confirm_session", {"mentee": "ann", "session_id": 1, "version": 1})
    assert status == 409 and reply["field"] == "version"
    assert call_handler(scheme(MENTOR), "confirm_session", {"mentee": "ann", "session_id": 1, "version": 2})[0] == 200
    assert citations.citable("", "ann")["mentoring_session"][0]["title"] == "Mentoring session: Chairing, v2"


def test_a_session_with_every_problem_is_refused_naming_each_field(scheme):
    status, reply, _ = call_handler(scheme(MENTEE), "log_session", {
        "date": "2999-01-01", "focus": "", "discussed": "x",
        "actions": [{"what": "Ask", "where": "", "whom": "KM", "when": "soon"}]})
    assert status == 400
    assert [(item["field"], item["line"]) for item in reply["errors"]] == [
        ("date", None), ("focus", None), ("where", 1), ("when", 1)]
    assert call_handler(scheme(MENTEE), "log_session", dict(SESSION, session_id=7))[0] == 404
    assert call_handler(scheme(MENTEE), "log_session", dict(SESSION, session_id="1"))[0] == 400


def test_a_new_mentor_sees_none_of_the_sessions_with_the_old_one_and_the_agreement_is_reset(scheme):
    call_handler(scheme(MENTEE), "save_agreement", dict(TERMS, version=0))
    call_handler(scheme(MENTEE), "sign_agreement", {"version": 1})
    call_handler(scheme(MENTOR), "sign_agreement", {"mentee": "ann", "version": 1})
    status, reply, _ = call_handler(scheme(TUTOR), "pair", {"mentee": "ann", "mentor": "mo"})
    assert status == 200 and reply["saved"] == {"created": 0, "changed": 1, "unchanged": 0}
    mo = state_of(scheme, OTHER_MENTOR)
    ann = [pair for pair in mo["mentees"] if pair["mentee"] == "ann"][0]
    assert ann["sessions"] == [] and ann["agreement_status"] == "awaiting" and ann["agreement"]["agreed"] is None
    assert state_of(scheme, MENTOR)["mentees"] == []
    assert call_handler(scheme(MENTOR), "confirm_session", {"mentee": "ann", "session_id": 1, "version": 1})[0] == 404


def test_a_bad_csv_is_refused_whole_with_every_bad_line_named(scheme):
    status, reply, _ = call_handler(scheme(TUTOR), "upload_pairs", {"csv": "dee,mara\nee\nff,ff\ngg,mo"})
    assert status == 400
    assert [(item["line"], item["field"]) for item in reply["errors"]] == [(2, "csv"), (3, "mentor")]
    assert [pair["mentee"] for pair in state_of(scheme, TUTOR)["pairs"]] == ["ann", "carl"]  # nothing stored


def test_the_pairs_csv_is_formula_safe_and_holds_no_session_content(scheme):
    call_handler(scheme(TUTOR), "pair", {"mentee": "dee", "mentor": "mara", "organisation": "=HYPERLINK(\"x\")"})
    status, text, response = call_handler(scheme(TUTOR), "pairs_csv", method="GET")
    assert status == 200 and response.content_type == "text/csv"
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Mentee", "Mentor", "Mentor organisation"]
    assert rows[1][:3] == ["ann", "mara", "Acme Ltd"] and rows[1][5:7] == ["1", "0"]
    assert rows[3][2] == "'=HYPERLINK(\"x\")"
    assert "SECRET" not in text


def test_unpairing_keeps_the_record_and_hides_it(scheme):
    assert call_handler(scheme(TUTOR), "unpair", {"mentee": "ann"})[0] == 200
    assert state_of(scheme, MENTEE)["mentee"] is None and state_of(scheme, MENTOR)["mentees"] == []
    assert call_handler(scheme(TUTOR), "unpair", {"mentee": "ann"})[0] == 404
    assert call_handler(scheme(TUTOR), "pair", {"mentee": "ann", "mentor": "mara"})[1]["saved"]["changed"] == 1
    assert state_of(scheme, MENTEE)["mentee"]["sessions"][0]["focus"] == SESSION["focus"]


def test_the_closing_review_is_saved_and_counted(scheme):
    status, reply, _ = call_handler(scheme(MENTEE), "save_review", {"goals_met": "maybe", "continue": "yes"})
    assert status == 400 and [item["field"] for item in reply["errors"]] == ["goals_met", "what_next", "continue"]
    assert call_handler(scheme(MENTEE), "save_review", body_for("save_review", MENTEE))[0] == 200
    assert state_of(scheme, MENTEE)["mentee"]["review"] == {"goals_met": "yes", "what_next": "Carry on",
                                                            "continue": True}
    assert state_of(scheme, TUTOR)["pairs"][0]["reviewed"] is True


def test_drafts_of_the_log_and_agreement_are_kept_and_dropped_once_saved(scheme):
    call_handler(scheme(MENTEE), "save_form_draft", {"form": "session", "values": {"focus": "half typed"}})
    call_handler(scheme(MENTEE), "save_form_draft", {"form": "agreement", "values": {"goals": "half"}})
    drafts = state_of(scheme, MENTEE)["drafts"]
    assert drafts["session"]["values"] == {"focus": "half typed"} and drafts["agreement"]["values"] == {"goals": "half"}
    call_handler(scheme(MENTEE), "log_session", SESSION)
    call_handler(scheme(MENTEE), "save_agreement", dict(TERMS, version=0))
    assert state_of(scheme, MENTEE)["drafts"] == {}


@pytest.mark.parametrize("role, shown, hidden", [
    (ANONYMOUS, ["Sign in to take part"], ["Mentors only"]),
    (MENTEE, ["SECRET: how the chair"], ["Mentors only"]),
    (OTHER, [], ["Mentors only", "SECRET"]),
    (MENTOR, ["Mentors only", "SECRET"], []),
    (OTHER_MENTOR, ["Mentors only"], ["SECRET"]),
    (TUTOR, ["Mentors only", "Acme Ltd"], ["SECRET"]),
])
def test_the_page_carries_only_what_the_role_may_see(scheme, role, shown, hidden):
    html = scheme(role).render("student_view").content
    for text in shown:
        assert text in html
    for text in hidden:
        assert text not in html


def test_text_on_the_page_is_escaped(scheme):
    call_handler(scheme(MENTEE), "log_session", dict(SESSION, focus="</script><script>alert(1)</script>"))
    html = scheme(MENTEE).render("student_view").content
    assert "</script><script>alert(1)" not in html


def test_olx_round_trip_keeps_the_briefing_and_platform_settings(workbench_block):
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
    xml = ('<lp_mentoring display_name="Buddy &amp; mentor scheme"><briefing>First paragraph.\n\n'
           'Second &lt;b&gt; paragraph.</briefing></lp_mentoring>')
    block = workbench_block(xml)("tutor")
    assert block.briefing == "First paragraph.\n\nSecond <b> paragraph."
    node = etree.Element("x")
    block.add_xml_to_node(node)
    exported = etree.tostring(node, encoding="unicode")
    runtime = WorkbenchRuntime("tutor")
    again = runtime.get_block(runtime.parse_xml_string(exported))
    assert (again.display_name, again.briefing) == ("Buddy & mentor scheme", block.briefing)


@pytest.mark.parametrize("xml, message", [
    ("<lp_mentoring><briefing>a</briefing><briefing>b</briefing></lp_mentoring>", "only one <briefing>"),
    ("<lp_mentoring><session/></lp_mentoring>", "<session> is not an element"),
])
def test_invalid_olx_is_refused_naming_the_element(workbench_block, xml, message):
    with pytest.raises(Exception) as caught:
        workbench_block(xml)
    assert message in str(caught.value)


def test_studio_submit_saves_the_briefing_or_nothing(scheme):
    status, reply, _ = call_handler(scheme(TUTOR), "studio_submit", {"display_name": "\u200b", "briefing": "New"})
    assert status == 400 and reply["field"] == "display_name"
    assert scheme(TUTOR).briefing == "Mentors only: meet monthly."
    assert call_handler(scheme(TUTOR), "studio_submit", {"display_name": "Buddies", "briefing": "New"})[0] == 200
    assert (scheme(TUTOR).display_name, scheme(MENTOR).briefing) == ("Buddies", "New")
