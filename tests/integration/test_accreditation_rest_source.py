"""The REST source against a local stand-in of the LMS's documented endpoints (tests/integration/fake_open_edx.py)."""
from pathlib import Path

import pytest

from accreditation_export.sources.base import Learner, SourceError
from accreditation_export.sources.reports import ReportsSource
from accreditation_export.sources.rest import RestSource, course_root
from tests.integration.fake_open_edx import COURSE, FakeLms

pytestmark = pytest.mark.integration
REPORT = Path(__file__).resolve().parents[1] / "fixtures" / "accreditation" / "problem_responses.csv"
ENROLMENTS = [("ann", True), ("bob", True), ("cat", True), ("dan", False), ("eve", True)]


def source(lms, secret="secret"):
    return RestSource(lms.url, COURSE, "client", secret, timeout=(2, 5), backoff=0.01, poll_interval=0.01)


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
