"""
Outside the workbench, permissions come from the platform's services: the LMS user service's
``user_is_staff`` makes a tutor, Studio's ``studio_user_permissions`` decides who may edit, and the learner
is recorded by anonymous id. Exercised with XBlock's TestRuntime and services shaped like the platform's.
"""
import pytest
from xblock.field_data import DictFieldData
from xblock.fields import ScopeIds
from xblock.reference.user_service import UserService, XBlockUser
from xblock.runtime import NullI18nService
from xblock.test.tools import TestRuntime

from lp_xblocks.common import permissions
from submissions import api as submissions_api

from lp_xblocks.data.models import FacilitationAttempt, NeedsAssessmentAttempt, ReflectiveEntry
from lp_xblocks.facilitation.block import FacilitationExerciseBlock
from lp_xblocks.needs_assessment.block import NeedsAssessmentBlock
from lp_xblocks.reflective_log.block import ReflectiveLogBlock
from tests.conftest import call_handler


class UsageKey(str):
    """A usage key that knows its course, as opaque-keys' do."""

    course_key = "course-v1:LP+Managers+2026"


class PlatformUserService(UserService):
    def __init__(self, **opt_attrs):
        user = XBlockUser(is_current_user=True)
        user.opt_attrs.update(opt_attrs)
        super().__init__(user=user)

    def get_current_user(self):
        return self._user


class StudioPermissions:
    def __init__(self, writable):
        self.writable = writable
        self.asked = []

    def can_write(self, course_key):
        self.asked.append(course_key)
        return self.writable


class RecordingRuntime(TestRuntime):
    def __init__(self, **services):
        super().__init__(services={"field-data": DictFieldData({}), "i18n": NullI18nService(), **services})
        self.published = []

    def publish(self, block, event_type, event_data):
        self.published.append((event_type, event_data))

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):  # pylint: disable=too-many-positional-arguments
        return f"/handler/{handler_name}"


def make_block(cls=NeedsAssessmentBlock, **services):
    runtime = RecordingRuntime(**services)
    tag = cls.__name__
    usage = UsageKey(f"block-v1:LP+Managers+2026+type@{tag}+block@check")
    return runtime.construct_xblock_from_class(cls, ScopeIds(42, tag, "def-1", usage))


def staff(is_staff, anonymous_id="anon-7f3", username="ann.lee", authenticated=True):
    return PlatformUserService(**{
        "edx-platform.user_is_staff": is_staff, "edx-platform.anonymous_user_id": anonymous_id,
        "edx-platform.username": username, "edx-platform.is_authenticated": authenticated})


def test_course_staff_per_user_service_is_a_tutor():
    assert permissions.is_tutor(make_block(user=staff(True)))
    assert not permissions.is_tutor(make_block(user=staff(False)))
    assert not permissions.is_tutor(make_block())  # no user service: nobody is a tutor


def test_workbench_tutor_ids_do_not_apply_outside_the_workbench():
    block = make_block(user=PlatformUserService(**{"edx-platform.username": "tutor", "edx-platform.user_is_staff": False}))
    assert not permissions.is_tutor(block)


@pytest.mark.django_db
def test_learner_recorded_by_anonymous_id_and_course():
    block = make_block(user=staff(False))
    status, body, _ = call_handler(block, "submit", {"answers": {"lead-remit": 4, "lead-roles": 2}})
    assert status == 200 and body["overall"] == 3.0
    row = NeedsAssessmentAttempt.objects.get()
    assert (row.student_id, row.username, row.course_key) == ("anon-7f3", "ann.lee", "course-v1:LP+Managers+2026")
    assert ("completion", {"completion": 1.0}) in block.runtime.published


@pytest.mark.django_db
def test_cohort_report_follows_the_user_service():
    assert call_handler(make_block(user=staff(False)), "cohort_report", {})[0] == 403
    assert call_handler(make_block(user=staff(True)), "cohort_report", {})[0] == 200


def test_studio_edits_follow_studio_permissions_not_staff_flag():
    refused = StudioPermissions(writable=False)
    status, _, _ = call_handler(make_block(user=staff(True), studio_user_permissions=refused),
                                "studio_submit", {"display_name": "New"})
    assert status == 403
    assert refused.asked == ["course-v1:LP+Managers+2026"]
    allowed = make_block(user=staff(False), studio_user_permissions=StudioPermissions(writable=True))
    status, body, _ = call_handler(allowed, "studio_submit", {"display_name": "New"})
    assert (status, body) == (200, {"result": "success"})
    assert allowed.display_name == "New"


def test_lms_learner_cannot_edit_without_studio():
    status, body, _ = call_handler(make_block(user=staff(False)), "studio_submit", {"display_name": "New"})
    assert status == 403 and body["error"]


def test_view_renders_in_a_bare_runtime_with_tutor_section_for_staff():
    staff_html = make_block(user=staff(True)).render("student_view").body_html()
    learner_html = make_block(user=staff(False)).render("student_view").body_html()
    assert "/handler/cohort_report_csv" in staff_html and "lp-na__cohort" in staff_html
    assert "lp-na__cohort" not in learner_html and "Members&#x27; roles" in learner_html


# ------------------------------------------------------------------------------- reflective log

ENTRY = {"title": "Budget monitoring", "activity_date": "2026-10-01", "entry_type": "workplace",
         "body": " ".join(["evidence"] * 160), "criteria": ["LP-1.1"], "declaration": "2026-1"}


def test_platform_anonymous_user_is_refused():
    block = make_block(ReflectiveLogBlock, user=staff(False, authenticated=False))
    assert permissions.is_anonymous(block)
    assert call_handler(block, "my_entries", {})[0] == 403
    assert not permissions.is_anonymous(make_block(ReflectiveLogBlock, user=staff(False)))
    # Without a user service, the runtime's user id decides: the bare runtime here has user 42.
    assert not permissions.is_anonymous(make_block(ReflectiveLogBlock))


@pytest.mark.django_db
def test_reflective_log_records_the_platform_identity_and_course_in_submissions():
    learner = make_block(ReflectiveLogBlock, user=staff(False))
    status, body, _ = call_handler(learner, "submit_entry", ENTRY)
    assert status == 200, body
    row = ReflectiveEntry.objects.get()
    assert (row.student_id, row.username, row.course_key) == ("anon-7f3", "ann.lee", "course-v1:LP+Managers+2026")
    item = {"student_id": "anon-7f3", "course_id": "course-v1:LP+Managers+2026",
            "item_id": "block-v1:LP+Managers+2026+type@ReflectiveLogBlock+block@check", "item_type": "lp_reflective_log"}
    assert submissions_api.get_submissions(item)[0]["answer"]["title"] == "Budget monitoring"

    tutor = make_block(ReflectiveLogBlock, user=staff(True, anonymous_id="anon-tutor", username="tess.tutor"))
    assert call_handler(learner, "queue", {})[0] == 403
    status, body, _ = call_handler(tutor, "mark_entry", {
        "entry_id": body["entry"]["entry_id"], "version": 1, "criteria": {"LP-1.1": {"decision": "met"}},
        "feedback": "", "decision": "pass"})
    assert status == 200 and body["entry"]["marker"] == "tess.tutor"
    score = submissions_api.get_score(item)
    assert (score["points_earned"], score["points_possible"]) == (1, 2)
    # The tutor's request never publishes a grade or completion for the tutor.
    assert [kind for kind, _data in tutor.runtime.published] == ["lp.reflective_log.marked"]


# ------------------------------------------------------------------------------- facilitation exercise


@pytest.mark.django_db
def test_facilitation_exercise_records_the_platform_identity_grade_and_completion():
    learner = make_block(FacilitationExerciseBlock, user=staff(False))
    assert call_handler(learner, "choose", {"scene": "opening", "choice": 0})[0] == 200
    row = FacilitationAttempt.objects.get()
    assert (row.student_id, row.username, row.course_key, row.ending_id) == (
        "anon-7f3", "ann.lee", "course-v1:LP+Managers+2026", "owned")
    assert row.points == row.max_points == 2
    status, body, _ = call_handler(learner, "save_action_plan", {"rows": [
        {"what": "Name a lead partner for every action", "where": "Executive board", "whom": "Chair", "when": "ongoing"}]})
    assert status == 200 and body["complete"] is True
    published = learner.runtime.published
    assert ("grade", {"value": 2, "max_value": 2}) in published
    assert ("completion", {"completion": 1.0}) in published
    assert call_handler(learner, "choice_report", {})[0] == 403
    status, report, _ = call_handler(make_block(FacilitationExerciseBlock, user=staff(True)), "choice_report", {})
    assert status == 200 and report["learners"] == {"started": 1, "finished": 1, "passed": 1}


def test_facilitation_exercise_refuses_anonymous_play_and_renders_in_a_bare_runtime():
    visitor = make_block(FacilitationExerciseBlock, user=staff(False, authenticated=False))
    assert call_handler(visitor, "choose", {"scene": "opening", "choice": 0})[0] == 403
    staff_html = make_block(FacilitationExerciseBlock, user=staff(True)).render("student_view").body_html()
    learner_html = make_block(FacilitationExerciseBlock, user=staff(False)).render("student_view").body_html()
    assert "lp-fx__report" in staff_html and "lp-fx__report" not in learner_html
    assert "An action with no owner" in learner_html
