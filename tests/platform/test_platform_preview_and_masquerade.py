"""
Studio preview (every author is the anonymous learner 'student', the runtime in author mode) and staff
viewing the course as a specific learner (masquerade) never write cross-learner records.
"""
import sys
import types

import pytest
from submissions.models import Submission, StudentItem

from lp_xblocks.data.models import (
    FacilitationAttempt, FacilitationChoice, NeedsAssessmentAttempt, ReflectiveEntry,
)
from tests.platform.conftest import ANSWERS, ENTRY, FACILITATION, NEEDS_ASSESSMENT, REFLECTIVE_LOG
from tests.platform.harness import call

pytestmark = pytest.mark.django_db


def no_shared_records():
    return not (NeedsAssessmentAttempt.objects.exists() or FacilitationAttempt.objects.exists()
                or FacilitationChoice.objects.exists() or ReflectiveEntry.objects.exists()
                or StudentItem.objects.exists() or Submission.objects.exists())


# ------------------------------------------------------------------------------ Studio preview


def test_needs_assessment_preview_scores_in_the_authors_own_state_only(platform):
    usage = platform.import_olx(NEEDS_ASSESSMENT.format(retake="false"))
    for name in ("author-one", "author-two"):
        author = platform.user(name, staff=True)
        status, body = call(platform.studio_preview_block(usage, author), "submit", {"answers": ANSWERS})
        assert status == 200, body
        assert body["overall"] == 3.5 and body["attempt"] == 1
        status, body = call(platform.studio_preview_block(usage, author), "results", {})
        assert [h["attempt"] for h in body["history"]] == [1]
    assert no_shared_records()
    assert platform.student_modules == {}


def test_facilitation_preview_plays_without_writing_the_tables(platform):
    usage = platform.import_olx(FACILITATION)
    for name in ("author-one", "author-two"):
        author = platform.user(name, staff=True)
        for scene, choice in (("opening", 0), ("round", 0)):
            status, body = call(platform.studio_preview_block(usage, author), "choose", {"scene": scene, "choice": choice})
            assert status == 200, body
        assert body["ending"]["title"] == "Agreement" and body["attempts"] == 1
    assert no_shared_records()


def test_reflective_log_preview_refuses_to_save_entries_with_a_clear_message(platform):
    usage = platform.import_olx(REFLECTIVE_LOG)
    author = platform.user("author-one", staff=True)
    for handler in ("save_draft", "submit_entry"):
        status, body = call(platform.studio_preview_block(usage, author), handler, ENTRY)
        assert status == 403 and body["reason"] == "preview"
        assert "preview" in body["error"]
    html = platform.studio_preview_block(usage, author).render("student_view").body_html()
    assert "Describe a meeting you chaired." in html
    assert no_shared_records()


# ------------------------------------------------------------------------------ masquerade


@pytest.fixture
def masquerade(platform):
    platform.ann = platform.user("ann")
    platform.tess = platform.user("tess", staff=True)

    def as_ann(usage):
        return platform.lms_block(usage, platform.tess, masquerade_as=platform.ann)
    return as_ann


@pytest.mark.parametrize("xml, handler, body", [
    (NEEDS_ASSESSMENT.format(retake="true"), "submit", {"answers": ANSWERS}),
    (FACILITATION, "choose", {"scene": "opening", "choice": 0}),
    (FACILITATION, "restart", {}),
    (FACILITATION, "save_action_plan", {"rows": [{"what": "a", "where": "b", "whom": "c", "when": "d"}]}),
    (REFLECTIVE_LOG, "save_draft", ENTRY),
    (REFLECTIVE_LOG, "submit_entry", ENTRY),
])
def test_viewing_as_a_learner_refuses_every_write_with_a_clear_403(platform, masquerade, xml, handler, body):
    usage = platform.import_olx(xml)
    status, reply = call(masquerade(usage), handler, body)
    assert status == 403 and reply["reason"] == "masquerade"
    assert "viewing the course as a specific learner" in reply["error"]
    assert no_shared_records()
    assert platform.completions == {} and platform.grades == {}
    assert platform.state_of(usage, platform.ann) == {}


def test_viewing_as_a_learner_shows_their_work_read_only(platform, masquerade):
    usage = platform.import_olx(REFLECTIVE_LOG)
    status, body = call(platform.lms_block(usage, platform.ann), "submit_entry", ENTRY)
    assert status == 200
    html = masquerade(usage).render("student_view").body_html()
    assert "March partnership meeting" in html
    status, mine = call(masquerade(usage), "my_entries", {})
    assert status == 200 and [entry["title"] for entry in mine["entries"]] == ["March partnership meeting"]
    status, reply = call(masquerade(usage), "save_draft", {"entry_id": body["entry"]["entry_id"], "title": "Changed"})
    assert status == 403 and reply["reason"] == "masquerade"
    assert list(ReflectiveEntry.objects.values_list("title", "draft")) == [("March partnership meeting", None)]


def test_masquerade_is_also_found_through_the_lms_request(platform, monkeypatch):
    """Where the user service does not carry ``real_user``, the LMS's own check on the request's user decides."""
    crum = pytest.importorskip("crum")
    ann, tess = platform.user("ann"), platform.user("tess", staff=True)
    tess.masquerade_settings = {platform.context: types.SimpleNamespace(user_name="ann", role="student")}
    asked = []

    def is_masquerading_as_specific_student(user, course_key):
        asked.append((user.username, str(course_key)))
        course_masquerade = getattr(user, "masquerade_settings", {}).get(course_key)
        return bool(course_masquerade and course_masquerade.user_name)

    masquerade_module = types.ModuleType("lms.djangoapps.courseware.masquerade")
    masquerade_module.is_masquerading_as_specific_student = is_masquerading_as_specific_student
    for name in ("lms", "lms.djangoapps", "lms.djangoapps.courseware"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "lms.djangoapps.courseware.masquerade", masquerade_module)
    usage = platform.import_olx(NEEDS_ASSESSMENT.format(retake="true"))
    crum.set_current_request(types.SimpleNamespace(user=tess))
    try:
        status, reply = call(platform.lms_block(usage, ann), "submit", {"answers": ANSWERS})
        assert status == 403 and reply["reason"] == "masquerade"
        assert asked == [("tess", platform.context)]
        crum.set_current_request(types.SimpleNamespace(user=ann))
        assert call(platform.lms_block(usage, ann), "submit", {"answers": ANSWERS})[0] == 200
    finally:
        crum.set_current_request(None)
    assert NeedsAssessmentAttempt.objects.count() == 1


@pytest.mark.parametrize("author_mode, anonymous_id", [(True, "a-real-looking-id"), (False, "student")])
def test_either_mark_of_studio_is_enough_to_keep_records_out(platform, author_mode, anonymous_id):
    """The author view sets ``is_author_mode``; the preview's user service names every author 'student'."""
    usage = platform.import_olx(FACILITATION)
    block = platform.studio_preview_block(usage, platform.user("author", staff=True))
    block.runtime.is_author_mode = author_mode
    block.runtime.service(block, "user")._anonymous_user_id = anonymous_id  # pylint: disable=protected-access
    status, body = call(block, "choose", {"scene": "opening", "choice": 0})
    assert status == 200, body
    assert no_shared_records()


def test_viewing_as_another_tutor_neither_marks_nor_locks_in_their_name(platform):
    ann, tess, tom = platform.user("ann"), platform.user("tess", staff=True), platform.user("tom", staff=True)
    usage = platform.import_olx(REFLECTIVE_LOG)
    status, body = call(platform.lms_block(usage, ann), "submit_entry", ENTRY)
    assert status == 200
    entry_id = body["entry"]["entry_id"]
    as_tom = platform.lms_block(usage, tess, masquerade_as=tom)
    status, opened = call(as_tom, "open_entry", {"entry_id": entry_id})
    assert status == 200 and opened["can_mark"] is False
    status, reply = call(platform.lms_block(usage, tess, masquerade_as=tom), "mark_entry", {
        "entry_id": entry_id, "version": 1, "decision": "pass", "feedback": "",
        "criteria": {"LPM1-2.1": {"decision": "met"}}})
    assert status == 403 and reply["reason"] == "masquerade"
    assert list(ReflectiveEntry.objects.values_list("status", "lock_holder", "marker")) == [("submitted", "", "")]
