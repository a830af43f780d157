"""
Regressions from the hostile-input review (issue 12): each request below gave a 500, stored something it
should have refused, or reported the wrong cause. Every refusal is a 4xx naming the field, and nothing is stored.
"""
import pytest
from django.db import connection

from lp_xblocks.data.models import NeedsAssessmentAttempt, ReflectiveEntry
from tests.conftest import call_handler
from tests.runtime.test_needs_assessment_handlers import ANSWERS
from tests.runtime.test_needs_assessment_handlers import XML as NA_XML
from tests.runtime.test_reflective_log_handlers import ENTRY
from tests.runtime.test_reflective_log_handlers import XML as RL_XML

# "Nothing was written" is read from SQLite's own count of changed rows: these run on SQLite only (the
# handlers' input checks do not depend on the database).
pytestmark = pytest.mark.sqlite_file


def writes():
    """Rows inserted, updated or deleted on the test database's connection so far (SQLite's own counter)."""
    connection.ensure_connection()
    return connection.connection.total_changes


def refused(block, handler, body=None, method="POST", query=""):
    """Call a handler that must refuse: returns (status, body) after checking that nothing was written."""
    before = writes()
    status, reply, response = call_handler(block, handler, body, method=method, query=query)
    assert 400 <= status < 500, reply
    assert response.content_type == "application/json"
    assert writes() == before, "a refused request wrote to the database"
    return status, reply


def warmed(get, students=("ann", "bob", "tutor", "none")):
    """
    The SDK workbench creates a learner's (empty) state row the first time it reads their state, even in a
    request that changes nothing: read each learner's state once so that later writes are real ones.
    """
    from xblock.fields import Scope  # pylint: disable=import-outside-toplevel
    for student in students:
        block = get(student)
        for name, field in block.fields.items():
            if field.scope == Scope.user_state:
                getattr(block, name)
                break
    return get


@pytest.fixture
def log(workbench_block):
    return warmed(workbench_block(RL_XML))


@pytest.fixture
def assessment(workbench_block):
    return warmed(workbench_block(NA_XML.format(retake="true")))


# ------------------------------------------------------------------------------ the shared JSON reader

DEEP = 100_000


def test_deeply_nested_json_is_400_naming_the_field_not_a_recursion_error(log):
    body = '{"title": ' + "[" * DEEP + "]" * DEEP + "}"
    status, reply = refused(log("ann"), "save_draft", body)
    assert status == 400
    assert reply["field"] == "title" and "nested" in reply["error"]


def test_a_body_that_is_only_brackets_is_400_for_the_body(log):
    status, reply = refused(log("ann"), "save_draft", "[" * DEEP)
    assert status == 400 and reply["field"] is None and reply["error"]


@pytest.mark.parametrize("body, field, path", [
    ('{"title": "Meeting \\ud800 notes"}', "title", "title"),
    ('{"criteria": ["LPM1-2.1", "\\udc00"]}', "criteria", "criteria[1]"),
    ('{"title": "ok", "\\udfff": 1}', "\ufffd", "\ufffd"),
])
def test_a_lone_surrogate_is_400_naming_where_it_is(log, body, field, path):
    status, reply = refused(log("ann"), "save_draft", body)
    assert status == 400
    assert (reply["field"], reply["path"]) == (field, path)
    assert "surrogate" in reply["error"]


@pytest.mark.parametrize("body, field", [
    ('{"version": 1000000000000000000000000000000, "entry_id": "x"}', "version"),
    ('{"version": NaN}', "version"),
    ('{"version": -Infinity}', "version"),
    ('{"version": 1e400}', "version"),
    ('{"criteria": {"a": {"decision": 9007199254740993}}}', "criteria"),
])
def test_numbers_out_of_bounds_are_400_naming_the_field(log, body, field):
    status, reply = refused(log("tutor"), "mark_entry", body)
    assert status == 400 and reply["field"] == field


def test_a_body_over_the_size_limit_is_413(log):
    status, reply = refused(log("ann"), "save_draft", '{"body": "' + "x" * (1024 * 1024) + '"}')
    assert status == 413 and "bytes" in reply["error"]


def test_invalid_utf8_in_a_query_string_is_400(log):
    status, reply = refused(log("tutor"), "queue", method="GET", query="status=%ff%fe")
    assert status == 400 and reply["error"]


@pytest.mark.parametrize("page", [10 ** 30, "1000000000000000000000000000000", "\u00b2", "\u0661", "0", -1, 1.5,
                                  "100001", [], {}, True])
def test_queue_pages_that_are_not_page_numbers_are_400_naming_page(log, page):
    status, reply = refused(log("tutor"), "queue", {"page": page})
    assert status == 400 and reply["field"] == "page"


@pytest.mark.parametrize("query", ["page=%C2%B2", "page=1000000000000000000000000000000", "page=%D9%A1"])
def test_queue_pages_in_the_query_string_are_400_naming_page(log, query):
    status, reply = refused(log("tutor"), "queue", method="GET", query=query)
    assert status == 400 and reply["field"] == "page"


def test_a_queue_page_in_range_still_works(log):
    status, reply, _ = call_handler(log("tutor"), "queue", method="GET", query="page=3")
    assert status == 200 and reply["page"] == 3 and reply["entries"] == []


# ------------------------------------------------------------------------------ needs assessment: anonymous

def test_anonymous_visitors_cannot_answer_a_needs_assessment(assessment):
    status, reply = refused(assessment("none"), "submit", {"answers": ANSWERS})
    assert status == 403 and "Sign in" in reply["error"]
    assert not NeedsAssessmentAttempt.objects.exists()
    block = assessment("none")
    assert (block.attempts, block.attempt_history) == (0, [])


def test_anonymous_visitors_get_no_results_of_a_shared_anonymous_state(assessment):
    status, reply, _ = call_handler(assessment("none"), "results", method="GET")
    assert status == 403 and reply["error"]


def test_anonymous_viewers_see_a_sign_in_message_and_no_form(assessment):
    html = assessment("none").render("student_view").content
    assert "Sign in to answer this questionnaire" in html
    assert 'class="lp-na__form"' not in html
    learner_html = assessment("ann").render("student_view").content
    assert "Sign in to answer" not in learner_html and 'class="lp-na__form"' in learner_html


def test_signed_in_learners_still_answer(assessment):
    status, reply, _ = call_handler(assessment("ann"), "submit", {"answers": ANSWERS})
    assert status == 200 and reply["attempt"] == 1


def test_answer_errors_name_the_answers_field(assessment):
    status, reply = refused(assessment("ann"), "submit", {"answers": {"l1": 4}})
    assert status == 400 and reply["field"] == "answers" and reply["missing"] == ["l2", "t1"]


# ------------------------------------------------------------------------------ reflective log

@pytest.mark.parametrize("title", ["\u200b\u200c\u200d", "\u202e\u2066\u2069", "\ufeff \u200e\u200f", "\u3164"])
def test_a_title_of_only_invisible_characters_cannot_be_submitted(log, title):
    status, reply = refused(log("ann"), "submit_entry", {**ENTRY, "title": title})
    assert status == 400 and reply["field"] == "title"
    assert not ReflectiveEntry.objects.exists()


def test_a_submissions_refusal_reports_its_real_cause_not_the_entry_length(log):
    # edx-submissions trims learner ids, so " ann" and "ann" are one learner to it: the second is refused.
    status, reply, _ = call_handler(log("ann"), "submit_entry", ENTRY)
    assert status == 200, reply
    status, reply, _ = call_handler(log(" ann"), "submit_entry", ENTRY)
    assert status == 409
    assert "too long" not in reply["error"]
    assert "submissions service refused your learner record" in reply["error"]
    assert reply["field"] == "student_item" and reply["fields"] == ["student_item"]
    assert ReflectiveEntry.objects.filter(student_id=" ann").count() == 0


def test_an_entry_too_large_for_a_submission_is_still_reported_as_too_long(log, monkeypatch):
    from submissions import api as submissions_api  # pylint: disable=import-outside-toplevel

    def too_large(*args, **kwargs):
        raise submissions_api.SubmissionRequestError(field_errors={"answer": ["Maximum answer size exceeded."]})

    monkeypatch.setattr(submissions_api, "create_submission", too_large)
    status, reply, _ = call_handler(log("ann"), "submit_entry", ENTRY)
    assert status == 400 and reply["field"] == "body" and "too long" in reply["error"]
    assert not ReflectiveEntry.objects.exists()


# ------------------------------------------------------------------------------ every block: required names

@pytest.mark.parametrize("scenario", ["na", "rl", "fx"])
@pytest.mark.parametrize("name", ["\u200b", "\u202e\u2066\u2069", " \ufeff "])
def test_a_display_name_of_only_invisible_characters_is_refused(workbench_block, scenario, name):
    from tests.runtime.test_facilitation_handlers import XML as FX_XML  # pylint: disable=import-outside-toplevel
    xml = {"na": NA_XML.format(retake="true"), "rl": RL_XML, "fx": FX_XML.format(weight="1.0", min_rows=1)}[scenario]
    get = warmed(workbench_block(xml), students=("tutor",))
    status, reply = refused(get("tutor"), "studio_submit", {"display_name": name})
    assert status == 400 and reply["field"] == "display_name"
