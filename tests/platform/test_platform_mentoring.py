"""
The mentoring block as Open edX runs it: usernames from the user service (not the anonymous ids the learner
state and citations use), course staff as coordinators, a mentor confirming in their own LMS request, staff
masquerading as a learner, Studio preview, a content library, "delete learner state" and course export.
"""
import pytest
from lxml import etree

from lp_xblocks.data.api import citations
from lp_xblocks.data.models import MentoringPair, MentoringSession
from tests.platform.harness import COURSE, LIBRARY, Platform, call

pytestmark = pytest.mark.django_db

MENTORING = ('<lp_mentoring display_name="Buddy and mentor scheme" visible_to_staff_only="false">'
             '<briefing>Mentors only.</briefing></lp_mentoring>')
TERMS = {"goals": "Chair the board", "frequency": "Monthly", "confidentiality": "Between us.",
         "review_date": "2099-01-01"}
SESSION = {"date": "2026-01-15", "focus": "Chairing", "discussed": "The March board.",
           "actions": [{"what": "Draft the agenda", "where": "Board", "whom": "EFS", "when": "ongoing"}]}


@pytest.fixture
def scheme(platform):
    usage = platform.import_olx(MENTORING)
    platform.ann, platform.mara = platform.user("ann"), platform.user("mara")
    platform.tess = platform.user("tess", staff=True)
    status, reply = call(platform.lms_block(usage, platform.tess), "pair",
                         {"mentee": "ann", "mentor": "mara", "organisation": "Acme Ltd"})
    assert status == 200, reply
    return usage


def test_mentee_and_mentor_are_known_by_username_and_a_confirmed_session_is_cited_by_anonymous_id(platform, scheme):
    ann, mara = platform.ann, platform.mara
    status, reply = call(platform.lms_block(scheme, ann), "log_session", SESSION)
    assert status == 200 and reply["username"] == "ann" and reply["mentee"]["mentor"] == "mara"
    status, reply = call(platform.lms_block(scheme, mara), "state", {})
    assert [pair["mentee"] for pair in reply["mentees"]] == ["ann"] and reply["coordinator"] is False
    assert call(platform.lms_block(scheme, ann), "save_agreement", dict(TERMS, version=0))[0] == 200
    assert call(platform.lms_block(scheme, ann), "sign_agreement", {"version": 1})[0] == 200
    assert call(platform.lms_block(scheme, mara), "sign_agreement", {"mentee": "ann", "version": 1})[0] == 200
    status, reply = call(platform.lms_block(scheme, mara), "confirm_session",
                         {"mentee": "ann", "session_id": 1, "version": 1})
    assert status == 200, reply
    pair = MentoringPair.objects.get()
    assert (pair.course_key, pair.mentee_student_id, pair.agreement_status) == (
        COURSE, platform.anonymous_id(ann), "agreed")
    [item] = citations.citable(COURSE, platform.anonymous_id(ann))["mentoring_session"]
    assert item["witness"] is True and item["witness_name"] == "mara"
    assert citations.citable(COURSE, "ann")["mentoring_session"] == []  # never by username
    assert citations.citable("course-v1:Other+X+1", platform.anonymous_id(ann))["mentoring_session"] == []


def test_staff_masquerading_as_the_mentee_or_mentor_write_nothing(platform, scheme):
    call(platform.lms_block(scheme, platform.ann), "log_session", SESSION)
    for learner, handler, body in ((platform.ann, "log_session", SESSION),
                                   (platform.ann, "save_agreement", dict(TERMS, version=0)),
                                   (platform.mara, "confirm_session", {"mentee": "ann", "session_id": 1, "version": 1})):
        status, reply = call(platform.lms_block(scheme, platform.tess, masquerade_as=learner), handler, body)
        assert status == 403 and reply["reason"] == "masquerade", reply
    assert MentoringSession.objects.get().state == "logged" and MentoringPair.objects.get().agreement == {}


def test_staff_viewing_as_the_mentee_before_they_visit_do_not_link_the_pair_to_them(platform, scheme):
    html = platform.lms_block(scheme, platform.tess, masquerade_as=platform.ann).render("student_view").body_html()
    assert "lpmt" in html
    assert MentoringPair.objects.get().mentee_student_id == ""
    call(platform.lms_block(scheme, platform.ann), "state", {})
    assert MentoringPair.objects.get().mentee_student_id == platform.anonymous_id(platform.ann)


def test_studio_preview_shows_the_block_and_never_writes_the_tables(platform):
    usage = platform.import_olx(MENTORING)
    author = platform.user("author", staff=True)
    html = platform.studio_preview_block(usage, author).render("student_view").body_html()
    assert "Buddy and mentor scheme" in html
    for handler, body in (("log_session", SESSION), ("save_review", {"goals_met": "yes", "what_next": "x",
                                                                       "continue": True})):
        status, reply = call(platform.studio_preview_block(usage, author), handler, body)
        assert status == 403 and reply["reason"] == "preview", reply
    assert not MentoringPair.objects.exists() and not MentoringSession.objects.exists()


def test_in_a_library_nothing_is_recorded():
    library = Platform(context=LIBRARY, is_course=False)
    usage = library.import_olx(MENTORING)
    staff = library.user("admin", global_staff=True)
    status, reply = call(library.library_block(usage, staff), "pair", {"mentee": "ann", "mentor": "mara"})
    assert status == 403 and reply["reason"] == "library"
    assert not MentoringPair.objects.exists()


def test_delete_learner_state_keeps_the_pairing_and_sessions(platform, scheme):
    call(platform.lms_block(scheme, platform.ann), "save_form_draft", {"form": "session", "values": {"focus": "half"}})
    call(platform.lms_block(scheme, platform.ann), "log_session", SESSION)
    platform.reset_attempts(scheme, platform.ann)
    platform.delete_state(scheme, platform.ann, platform.tess)
    status, reply = call(platform.lms_block(scheme, platform.ann), "state", {})
    assert status == 200 and reply["drafts"] == {} and reply["mentee"]["sessions"][0]["focus"] == "Chairing"


def test_course_export_keeps_the_briefing_and_the_platform_settings(platform):
    usage = platform.import_olx(MENTORING.replace('visible_to_staff_only="false"', 'visible_to_staff_only="true"'))
    exported = platform.export_olx(usage)
    assert 'visible_to_staff_only="true"' in exported and "<briefing>Mentors only.</briefing>" in exported
    again = platform.import_olx(etree.tostring(etree.fromstring(exported.encode("utf-8")), encoding="unicode"))
    assert platform.export_olx(again) == exported


def test_retiring_a_mentee_or_mentor_erases_names_and_text_and_keeps_the_counts(platform, scheme):
    from lp_xblocks.data.api.retirement import pseudonym, retire_learner  # pylint: disable=import-outside-toplevel
    ann, mara = platform.ann, platform.mara
    call(platform.lms_block(scheme, ann), "save_agreement", dict(TERMS, version=0))
    call(platform.lms_block(scheme, ann), "log_session", SESSION)
    call(platform.lms_block(scheme, mara), "comment_session",
         {"mentee": "ann", "session_id": 1, "version": 1, "comment": "Mara's remark"})
    retire_learner(student_ids=[platform.anonymous_id(ann)], usernames=["ann"])
    pair, session = MentoringPair.objects.get(), MentoringSession.objects.get()
    assert pair.mentee_username == pseudonym(platform.anonymous_id(ann)) and pair.agreement == {}
    assert pair.agreement_status == "awaiting" and pair.mentor_username == "mara"
    assert (session.focus, session.discussed, session.actions, session.comment, session.state) == (
        "", "", [], "", "commented")
    assert "ann" not in str(list(MentoringPair.objects.values())) + str(list(MentoringSession.objects.values()))
    retire_learner(student_ids=[], usernames=["mara"])
    pair = MentoringPair.objects.get()
    assert (pair.mentor_username, pair.mentor_organisation) == (pseudonym("mara"), "")
    assert MentoringSession.objects.get().mentor_username == pseudonym("mara")
