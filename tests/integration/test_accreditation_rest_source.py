"""The REST source against a local stand-in of the LMS's documented endpoints (tests/integration/fake_open_edx.py)."""
import re
from pathlib import Path

import pytest

from accreditation_export.sources.base import Learner, SourceError
from accreditation_export.sources.reports import ReportsSource
from accreditation_export.sources.rest import RestSource, course_root
from tests.integration.fake_open_edx import COURSE, OLD_REPORT, OTHER_REPORT, REPORT_NAME, TASK_ID, FakeLms

pytestmark = pytest.mark.integration
REPORT = Path(__file__).resolve().parents[1] / "fixtures" / "accreditation" / "problem_responses.csv"
ENROLMENTS = [("ann", True), ("bob", True), ("cat", True), ("dan", False), ("eve", True)]


def source(lms, secret="secret", **options):
    return RestSource(lms.url, COURSE, "client", secret, timeout=(2, 5), backoff=0.01, poll_interval=0.01, **options)


def test_records_match_the_downloaded_report_plus_enrolments():
    with FakeLms(REPORT, ENROLMENTS) as lms:
        records = list(source(lms).records())
        assert lms.generated == [{"problem_locations": ["block-v1:LP+PM101+2026+type@course+block@course"],
                                  "problem_types_filter": ["lp_reflective_log", "lp_facilitation_exercise",
                                                           "lp_needs_assessment"]}]
        assert lms.polls_running == 0  # polled past the two "running" answers until the task was gone
        assert lms.calls.count(("POST", "/oauth2/access_token")) >= 2  # a token expired and was renewed
    from_file = list(ReportsSource([REPORT]).records())
    evidence = [r for r in records if not isinstance(r, Learner) or r.enrolled is None]
    assert evidence == from_file
    assert [r for r in records if isinstance(r, Learner) and r.enrolled is not None] == [
        Learner(user, active) for user, active in ENROLMENTS]
    assert [r.username for r in records] == sorted(r.username for r in records)


def test_refused_credentials_are_a_clear_error():
    with FakeLms(REPORT, ENROLMENTS) as lms:
        with pytest.raises(SourceError, match="refused the OAuth2 client credentials"):
            list(source(lms, secret="wrong").records())


def test_a_failed_report_task_is_a_clear_error():
    with FakeLms(REPORT, ENROLMENTS) as lms:
        lms.fail_task = True
        with pytest.raises(SourceError, match="failed to build the problem responses report: boom"):
            list(source(lms).records())


def test_an_unreachable_lms_is_a_clear_error():
    with FakeLms(REPORT, ENROLMENTS) as lms:
        url = lms.url
    with pytest.raises(SourceError, match="cannot reach the LMS"):
        list(RestSource(url, COURSE, "client", "secret", timeout=(0.5, 0.5), retries=0).records())


@pytest.mark.parametrize("course", ["LP+PM101", "course-v1:LP+PM101"])
def test_course_keys_are_checked(course):
    with pytest.raises(SourceError, match="not a course key"):
        course_root(course)


def test_the_task_is_followed_by_its_own_id_and_only_its_report_is_downloaded():
    with FakeLms(REPORT, ENROLMENTS) as lms:
        list(source(lms).records())
        assert lms.status_polls == [TASK_ID] * 3  # two "in progress" answers, then SUCCESS
        assert ("GET", f"/api/instructor/v1/tasks/{COURSE}") not in lms.calls
        # a newer report someone else generated and an older one are listed; the task's own is the one read
        assert lms.downloaded == [REPORT_NAME]


def test_a_failed_task_never_exports_an_older_report():
    with FakeLms(REPORT, ENROLMENTS) as lms:
        lms.fail_task, lms.polls_running = True, 0
        with pytest.raises(SourceError, match=f"failed to build the problem responses report: boom .task {TASK_ID}, FAILURE"):
            source(lms).report(Path("."))
        assert lms.downloaded == []


def test_a_report_cut_at_the_lms_limit_is_refused():
    with FakeLms(REPORT, ENROLMENTS, max_rows=5) as lms:
        with pytest.raises(SourceError, match=r"holds 5 rows, the LMS's limit .*cut short and later learners are missing"):
            list(source(lms, row_limit=5).records())
        assert lms.downloaded == []  # the task's own count is enough to refuse


def test_a_cut_report_is_refused_by_its_rows_when_the_task_gives_no_count(tmp_path):
    with FakeLms(REPORT, ENROLMENTS, max_rows=5) as lms:
        answer = lms.task_status

        def without_count(task_id):
            status = answer(task_id)
            status.get("task_progress", {}).pop("attempted", None)
            return status

        lms.task_status = without_count
        with pytest.raises(SourceError, match="holds 5 rows"):
            source(lms, row_limit=5).report(tmp_path)
        assert lms.downloaded == [REPORT_NAME]


def test_the_limit_follows_the_lms_setting_given_in_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("LP_ACCREDIT_MAX_PROBLEM_RESPONSES", "5")
    with FakeLms(REPORT, ENROLMENTS, max_rows=5) as lms:
        with pytest.raises(SourceError, match="holds 5 rows.*here 5.*LP_ACCREDIT_MAX_PROBLEM_RESPONSES"):
            source(lms).report(tmp_path)
    monkeypatch.setenv("LP_ACCREDIT_MAX_PROBLEM_RESPONSES", "5k")
    with pytest.raises(SourceError, match="LP_ACCREDIT_MAX_PROBLEM_RESPONSES must be a whole number .* not '5k'"):
        RestSource("http://127.0.0.1:9", COURSE, "client", "secret")
    monkeypatch.delenv("LP_ACCREDIT_MAX_PROBLEM_RESPONSES")
    assert RestSource("http://127.0.0.1:9", COURSE, "client", "secret").row_limit == 5000


def test_a_report_under_the_limit_is_read_whole(tmp_path):
    with FakeLms(REPORT, ENROLMENTS, max_rows=8) as lms:
        path = source(lms, row_limit=9).report(tmp_path)
    assert path.read_bytes() == REPORT.read_bytes()


def test_a_report_the_lms_does_not_list_is_an_error_not_another_file(tmp_path):
    with FakeLms(REPORT, ENROLMENTS) as lms:
        lms.list_task_report = False
        with pytest.raises(SourceError, match=re.escape(f"does not list the report {REPORT_NAME} that its task {TASK_ID} wrote")):
            source(lms).report(tmp_path)
        assert lms.downloaded == []


def test_a_task_the_lms_does_not_know_is_an_error(tmp_path):
    with FakeLms(REPORT, ENROLMENTS) as lms:
        lms.task_status = lambda task_id: {}
        with pytest.raises(SourceError, match=f"does not know the report task {TASK_ID}"):
            source(lms).report(tmp_path)


def test_the_enrolment_list_needs_a_global_staff_service_user():
    with FakeLms(REPORT, ENROLMENTS) as lms:
        lms.staff = False
        with pytest.raises(SourceError, match=r"HTTP 403.*global staff status \(is_staff"):
            source(lms).learners()


# ---------------------------------------------------------------- the stand-in keeps to the LMS's contract

def test_the_stand_in_answers_task_status_as_edx_platform_does():
    """instructor_task_status: {} for an unknown id; in_progress then SUCCESS with report_name and row count."""
    with FakeLms(REPORT, ENROLMENTS) as lms:
        assert lms.task_status(TASK_ID) == {}  # nothing generated yet
        lms.generated.append({})
        running = lms.task_status(TASK_ID)
        assert running["in_progress"] is True and running["task_state"] == "PROGRESS"
        lms.polls_running = 0
        done = lms.task_status(TASK_ID)
        assert set(done) >= {"task_id", "task_state", "in_progress", "message", "task_progress"}
        assert done["task_state"] == "SUCCESS" and done["in_progress"] is False
        assert set(done["task_progress"]) >= {"action_name", "attempted", "succeeded", "total", "report_name"}
        assert done["task_progress"]["report_name"] == REPORT_NAME and done["task_progress"]["attempted"] == 8
        assert lms.task_status("another-task") == {}


def test_the_stand_in_never_lists_a_failed_task_among_the_courses_tasks():
    with FakeLms(REPORT, ENROLMENTS) as lms:
        session = source(lms)
        lms.generated.append({})
        lms.fail_task, lms.polls_running = True, 1
        listed = session._call("GET", f"{lms.url}/api/instructor/v1/tasks/{COURSE}").json()  # pylint: disable=protected-access
        assert [task["task_state"] for task in listed["tasks"]] == ["PROGRESS"]
        assert lms.task_status(TASK_ID)["task_state"] == "PROGRESS"
        assert lms.task_status(TASK_ID)["task_state"] == "FAILURE"
        listed = session._call("GET", f"{lms.url}/api/instructor/v1/tasks/{COURSE}").json()  # pylint: disable=protected-access
        assert listed["tasks"] == []  # the old code read "not listed" as "finished" and exported an older file
        names = [item["name"] for item in session._call(  # pylint: disable=protected-access
            "GET", f"{lms.url}/api/instructor/v1/reports/{COURSE}").json()["downloads"]]
        assert OLD_REPORT in names and OTHER_REPORT in names


@pytest.mark.parametrize("answer", [[], "ok", {"results": "ann"}, {"results": ["ann"]}, {"next": None}])
def test_an_enrolment_list_of_another_shape_is_refused(answer):
    with FakeLms(REPORT, ENROLMENTS) as lms:
        lms.enrolment_answer = answer
        with pytest.raises(SourceError, match="enrolment list is not the documented shape"):
            source(lms).learners()


def test_an_enrolment_list_pointing_elsewhere_is_refused():
    with FakeLms(REPORT, ENROLMENTS) as lms:
        lms.enrolment_answer = {"results": [], "next": "http://198.51.100.7/api/enrollment/v1/enrollments/?page=2"}
        with pytest.raises(SourceError, match="points its next page elsewhere"):
            source(lms).learners()
