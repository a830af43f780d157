"""
A tutor's pass changes the learner's completion: through the platform's completion service, and without
an error (after the score is committed) when completion tracking is switched off or edx-completion is
absent or not in INSTALLED_APPS.
"""
import pytest
from submissions import api as submissions_api

from tests.platform.conftest import ENTRY, REFLECTIVE_LOG
from tests.platform.harness import Platform, call

pytestmark = pytest.mark.django_db

MARK = {"version": 1, "decision": "pass", "feedback": "Clear.", "criteria": {"LPM1-2.1": {"decision": "met"}}}


def course_with_entry(monkeypatch, completion_module="installed", tracking=True):
    course = Platform()
    course.install_modules(monkeypatch, completion_module=completion_module)
    course.completion_tracking = tracking
    course.ann, course.tess = course.user("ann"), course.user("tess", staff=True)
    course.usage = course.import_olx(REFLECTIVE_LOG)
    status, body = call(course.lms_block(course.usage, course.ann), "submit_entry", ENTRY)
    assert status == 200, body
    course.entry_id = body["entry"]["entry_id"]
    return course


def mark(course):
    tutor = course.lms_block(course.usage, course.tess)
    status, body = call(tutor, "mark_entry", {"entry_id": course.entry_id, **MARK})
    return status, body, tutor


def score_of(course):
    return submissions_api.get_score({
        "student_id": course.anonymous_id(course.ann), "course_id": str(course.context),
        "item_id": str(course.usage), "item_type": "lp_reflective_log"})


def test_pass_records_the_learners_completion_through_the_completion_service(monkeypatch):
    course = course_with_entry(monkeypatch)
    status, body, tutor = mark(course)
    assert status == 200, body
    assert course.completions == {(course.ann.id, str(course.usage)): 0.5}
    assert course.completion_service_calls == [(str(course.usage), 0.5, ["ann"])]
    assert (course.tess.id, str(course.usage)) not in course.completions
    assert [kind for kind, _data in tutor.runtime.published] == ["lp.reflective_log.marked"]


@pytest.mark.parametrize("completion_module, tracking", [
    ("installed", False),      # the completion.enable_completion_tracking switch is off
    ("not-in-apps", True),     # edx-completion installed but not in INSTALLED_APPS: importing its models raises
    ("absent", True),          # no edx-completion at all
])
def test_pass_without_completion_tracking_succeeds_and_records_no_completion(monkeypatch, completion_module, tracking):
    course = course_with_entry(monkeypatch, completion_module, tracking)
    status, body, tutor = mark(course)
    assert status == 200, body
    assert body["entry"]["status"] == "passed" and body["score"] == {"points": 1, "possible": 2}
    assert (score_of(course)["points_earned"], score_of(course)["points_possible"]) == (1, 2)
    assert course.completions == {}
    assert [kind for kind, _data in tutor.runtime.published] == ["lp.reflective_log.marked"]
    # The learner's own visit reports their completion where tracking is on.
    status, mine = call(course.lms_block(course.usage, course.ann), "my_entries", {})
    assert status == 200 and mine["score"]["points"] == 1
