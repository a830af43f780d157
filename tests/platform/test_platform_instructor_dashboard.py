"""
The instructor dashboard's "reset learner attempts" and "delete learner state", performed the way the
platform performs them (harness.Platform.reset_attempts / delete_state), and concurrent requests of one
learner overwriting each other's saved state (one JSON document per learner and block, as StudentModule).
"""
import json

import pytest
from submissions import api as submissions_api

from lp_xblocks.data.models import FacilitationAttempt, FacilitationChoice, NeedsAssessmentAttempt, ReflectiveEntry
from tests.platform.conftest import ANSWERS, ENTRY, FACILITATION, NEEDS_ASSESSMENT, REFLECTIVE_LOG
from tests.platform.harness import call

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(platform):
    platform.ann = platform.user("ann")
    platform.tess = platform.user("tess", staff=True)
    return platform


def submit_answers(course, usage, user, answers=ANSWERS):
    return call(course.lms_block(usage, user), "submit", {"answers": answers})


# ------------------------------------------------------------------------------ needs assessment


@pytest.mark.parametrize("saved", [0, "0", "garbage", None, {"x": 1}, -4, 10 ** 30])
def test_needs_assessment_survives_whatever_reset_writes_into_attempts(course, saved):
    usage = course.import_olx(NEEDS_ASSESSMENT.format(retake="true"))
    assert submit_answers(course, usage, course.ann)[0] == 200
    state = course.state_of(usage, course.ann)
    state["attempts"] = saved
    course.student_modules[(course.ann.id, usage)] = json.dumps(state)

    html = course.lms_block(usage, course.ann).render("student_view").body_html()
    assert "Remit agreed." in html
    status, body = call(course.lms_block(usage, course.ann), "results", {})
    assert status == 200 and [h["attempt"] for h in body["history"]] == [1]
    status, body = submit_answers(course, usage, course.ann, {"l1": 5, "l2": 5})
    assert status == 200, body
    assert [h["attempt"] for h in body["history"]] == [1, 2]
    assert NeedsAssessmentAttempt.objects.filter(student_id=course.anonymous_id(course.ann)).count() == 2


def test_reset_attempts_lets_a_once_only_questionnaire_be_answered_again_keeping_the_history(course):
    usage = course.import_olx(NEEDS_ASSESSMENT.format(retake="false"))
    assert submit_answers(course, usage, course.ann)[0] == 200
    assert submit_answers(course, usage, course.ann)[0] == 409  # once only

    page = course.lms_block(usage, course.ann).render("student_view").body_html()
    assert '"allowRetake": false' in page

    course.reset_attempts(usage, course.ann)
    page = course.lms_block(usage, course.ann).render("student_view").body_html()
    assert '"allowRetake": true' in page  # the page offers "Answer again"
    status, body = submit_answers(course, usage, course.ann, {"l1": 2, "l2": 2})
    assert status == 200, body
    assert [h["attempt"] for h in body["history"]] == [1, 2]
    assert submit_answers(course, usage, course.ann)[0] == 409  # once only again
    rows = NeedsAssessmentAttempt.objects.filter(student_id=course.anonymous_id(course.ann)).order_by("attempt")
    assert [(row.attempt, row.is_latest) for row in rows] == [(1, False), (2, True)]


def test_state_saved_before_the_history_field_is_migrated(course):
    usage = course.import_olx(NEEDS_ASSESSMENT.format(retake="true"))
    old = [{"attempt": 1, "submitted_at": "2026-01-05T10:00:00+00:00", "overall": 3.5, "stage": "",
            "scores": {"leadership": 3.5}}]
    course.student_modules[(course.ann.id, usage)] = json.dumps({"attempts": old, "answers": ANSWERS})
    status, body = call(course.lms_block(usage, course.ann), "results", {})
    assert status == 200 and body["history"][0]["overall"] == 3.5
    status, body = submit_answers(course, usage, course.ann, {"l1": 5, "l2": 5})
    assert status == 200 and [h["attempt"] for h in body["history"]] == [1, 2]
    assert body["themes"][0]["change_since_first"] == 1.5
    state = course.state_of(usage, course.ann)
    assert (state["attempts"], len(state["attempt_history"])) == (2, 2)


def test_delete_state_archives_the_attempts_and_the_learner_can_start_again(course):
    usage = course.import_olx(NEEDS_ASSESSMENT.format(retake="false"))
    bob = course.user("bob")
    assert submit_answers(course, usage, course.ann)[0] == 200
    assert submit_answers(course, usage, bob, {"l1": 1, "l2": 1})[0] == 200

    course.delete_state(usage, course.ann, course.tess)
    status, body = submit_answers(course, usage, course.ann, {"l1": 5, "l2": 5})
    assert status == 200, body
    assert body["attempt"] == 1 and [h["attempt"] for h in body["history"]] == [1]
    rows = NeedsAssessmentAttempt.objects.filter(student_id=course.anonymous_id(course.ann)).order_by("attempt")
    assert [(row.attempt, row.archived, row.is_latest) for row in rows] == [(1, True, False), (2, False, True)]
    status, report = call(course.lms_block(usage, course.tess), "cohort_report", {})
    assert status == 200 and report["learners"] == 2
    assert report["themes"][0]["mean"] == 3.0  # ann's 5 and bob's 1; ann's deleted 3.5 is out


# ------------------------------------------------------------------------------ facilitation exercise


def move(course, usage, user, scene, choice, **kwargs):
    return call(course.lms_block(usage, user, **kwargs), "choose", {"scene": scene, "choice": choice})


@pytest.mark.parametrize("saved", [0, "7", "garbage", None, [1, 2]])
def test_facilitation_reset_attempts_does_not_refuse_the_next_move(course, saved):
    usage = course.import_olx(FACILITATION)
    assert move(course, usage, course.ann, "opening", 1)[0] == 200  # attempt 1 ends at once
    state = course.state_of(usage, course.ann)
    state["attempts"] = saved
    course.student_modules[(course.ann.id, usage)] = json.dumps(state)

    assert call(course.lms_block(usage, course.ann), "restart", {})[0] == 200
    status, body = move(course, usage, course.ann, "opening", 0)
    assert status == 200, body
    assert "Chairing" in course.lms_block(usage, course.ann).render("student_view").body_html()
    attempts = FacilitationAttempt.objects.filter(student_id=course.anonymous_id(course.ann)).order_by("attempt")
    assert [(row.attempt, row.ending_id) for row in attempts] == [(1, "split"), (2, "")]


def test_facilitation_delete_state_archives_and_the_learner_plays_again(course):
    usage = course.import_olx(FACILITATION)
    assert move(course, usage, course.ann, "opening", 0)[0] == 200
    assert move(course, usage, course.ann, "round", 0)[0] == 200

    course.delete_state(usage, course.ann, course.tess)
    status, body = move(course, usage, course.ann, "opening", 1)
    assert status == 200, body
    assert body["ending"]["title"] == "A split board" and body["attempts"] == 1
    anon = course.anonymous_id(course.ann)
    assert [(row.attempt, row.archived) for row in FacilitationAttempt.objects.filter(student_id=anon)
            .order_by("attempt")] == [(1, True), (2, False)]
    assert FacilitationChoice.objects.filter(student_id=anon, archived=True).count() == 2
    status, report = call(course.lms_block(usage, course.tess), "choice_report", {})
    assert status == 200 and report["learners"] == {"started": 1, "finished": 1, "passed": 0}


def test_a_restart_that_saves_stale_state_after_a_move_does_not_lock_the_learner_out(course):
    """
    Request B (restart, another tab) loads the learner's state; request A (a move that ends attempt 1)
    saves; then B saves its stale copy over it, as StudentModule's last writer wins. The learner must
    still be able to play: attempt numbers come from the table, not from the overwritten counter.
    """
    usage = course.import_olx(FACILITATION)
    stale_restart = course.lms_block(usage, course.ann)
    stale_restart.play  # pylint: disable=pointless-statement  # the request has read the learner's state
    assert move(course, usage, course.ann, "opening", 1)[0] == 200
    assert call(stale_restart, "restart", {})[0] == 200
    assert course.state_of(usage, course.ann).get("history", []) == []  # B's stale copy won

    for _round in range(2):
        status, body = move(course, usage, course.ann, "opening", 1)
        assert status == 200, body
        assert call(course.lms_block(usage, course.ann), "restart", {})[0] == 200
    assert FacilitationAttempt.objects.filter(student_id=course.anonymous_id(course.ann)).count() == 3


def test_a_play_pointing_at_an_ended_attempt_starts_afresh_instead_of_refusing_for_ever(course):
    usage = course.import_olx(FACILITATION)
    stale_move = course.lms_block(usage, course.ann)
    assert move(course, usage, course.ann, "opening", 0)[0] == 200
    # Another tab finishes attempt 1 while this one still shows the second scene.
    other_tab = course.lms_block(usage, course.ann)
    assert call(other_tab, "choose", {"scene": "round", "choice": 0})[0] == 200
    state = course.state_of(usage, course.ann)
    state["play"] = {"at": "round", "path": [{"scene": "opening", "choice": 0}], "attempt": 1}  # a stale copy
    course.student_modules[(course.ann.id, usage)] = json.dumps(state)
    status, body = move(course, usage, course.ann, "round", 0)
    assert status == 409 and body["current"] == "opening"
    assert move(course, usage, course.ann, "opening", 1)[0] == 200
    del stale_move


# ------------------------------------------------------------------------------ reflective log


def test_reflective_log_delete_state_takes_the_score_out_of_the_gradebook(course):
    usage = course.import_olx(REFLECTIVE_LOG)
    status, body = call(course.lms_block(usage, course.ann), "submit_entry", ENTRY)
    assert status == 200, body
    status, marked = call(course.lms_block(usage, course.tess), "mark_entry", {
        "entry_id": body["entry"]["entry_id"], "version": 1, "decision": "pass", "feedback": "",
        "criteria": {"LPM1-2.1": {"decision": "met"}}})
    assert status == 200, marked
    item = {"student_id": course.anonymous_id(course.ann), "course_id": str(course.context), "item_id": str(usage),
            "item_type": "lp_reflective_log"}
    assert submissions_api.get_score(item)["points_earned"] == 1

    course.delete_state(usage, course.ann, course.tess)
    assert submissions_api.get_score(item) is None
    assert submissions_api.get_submissions(item) == []
    assert list(ReflectiveEntry.objects.values_list("status", flat=True)) == ["archived"]
    status, mine = call(course.lms_block(usage, course.ann), "my_entries", {})
    assert status == 200 and mine["entries"] == [] and mine["score"]["points"] == 0


def test_problem_response_report_keeps_a_learner_whose_attempts_were_reset(course):
    usage = course.import_olx(FACILITATION)
    assert move(course, usage, course.ann, "opening", 0)[0] == 200
    assert move(course, usage, course.ann, "round", 0)[0] == 200
    course.reset_attempts(usage, course.ann)
    states = [type("UserState", (), {"username": "ann", "state": course.state_of(usage, course.ann)})()]
    rows = list(course.lms_block(usage, course.tess).generate_report_data(iter(states)))
    assert [(name, row["Attempts"], row["Graded points"], row["Passed"]) for name, row in rows] == [("ann", 0, 5, True)]


@pytest.mark.parametrize("staff_action", ["reset_attempts", "delete_state"])
def test_first_attempt_policy_assesses_the_next_attempt_after_staff_reset_or_delete(course, staff_action):
    """
    Under graded_attempt="first" a replay is practice; an instructor's reset (or delete) gives the learner an
    assessed attempt again, although the tables keep numbering attempts upwards.
    """
    usage = course.import_olx(FACILITATION.replace('weight="1.0"', 'weight="1.0" graded_attempt="first"'))
    assert move(course, usage, course.ann, "opening", 1)[0] == 200  # assessed attempt: a failing ending
    assert call(course.lms_block(usage, course.ann), "restart", {})[0] == 200
    status, body = move(course, usage, course.ann, "opening", 0)
    assert status == 200 and body["practice"] is True
    assert move(course, usage, course.ann, "round", 0)[0] == 200  # practice reaches the passing ending
    rows = FacilitationAttempt.objects.filter(student_id=course.anonymous_id(course.ann)).order_by("attempt")
    assert [(row.attempt, row.practice, row.passed) for row in rows] == [(1, False, False), (2, True, False)]

    if staff_action == "reset_attempts":
        course.reset_attempts(usage, course.ann)
    else:
        course.delete_state(usage, course.ann, course.tess)
    block = course.lms_block(usage, course.ann)
    if staff_action == "reset_attempts":
        assert call(block, "restart", {})[0] == 200
    status, body = move(course, usage, course.ann, "opening", 0)
    assert status == 200 and body["practice"] is False
    status, body = move(course, usage, course.ann, "round", 0)
    assert status == 200 and body["best"]["passed"] is True and body["best"]["attempt"] == 3
    third = FacilitationAttempt.objects.get(student_id=course.anonymous_id(course.ann), attempt=3)
    assert (third.practice, third.passed) == (False, True)
