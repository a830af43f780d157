"""
Hostile requests through the real workbench (Django's runserver, its request conversion, SQLite on disk): each
finding of the review is a 4xx JSON answer naming the field over HTTP too, never a 500.
"""
import json
import uuid

import pytest

from tests.integration.http_client import handler_url, open_scenario

pytestmark = pytest.mark.integration

CHAIRING, HEALTH_CHECK = "lp_reflective_log.0", "lp_needs_assessment.0"


def answer(reply):
    status, headers, body = reply
    assert headers["Content-Type"].startswith("application/json"), (status, body[:200])
    return status, json.loads(body)


@pytest.fixture(scope="module")
def learner(workbench_server):
    student = f"hostile-{uuid.uuid4().hex[:8]}"
    client, html = open_scenario(workbench_server, CHAIRING, student)
    return client, (lambda handler: handler_url(html, handler, student))


@pytest.mark.parametrize("body, field", [
    (b'{"title": ' + b"[" * 200_000 + b"]" * 200_000 + b"}", "title"),
    (b'{"title": "Meeting \\ud800"}', "title"),
    (b'{"title": "\xed\xa0\x80"}', None),
    (b'{"criteria": [1e400]}', "criteria"),
    (b'{"title": "x", "body": ' + str(10 ** 30).encode() + b"}", "body"),
])
def test_hostile_bodies_are_400_naming_the_field(learner, body, field):
    client, url = learner
    status, reply = answer(client.request(url("save_draft"), body))
    assert status == 400 and reply["error"] and reply["field"] == field


def test_a_body_over_a_mebibyte_is_413(learner):
    client, url = learner
    status, reply = answer(client.request(url("save_draft"), b'{"body": "' + b"a" * (1024 * 1024 + 1) + b'"}'))
    assert status == 413 and "field" in reply


def test_an_invisible_title_cannot_be_submitted(learner):
    client, url = learner
    entry = {"title": "\u200b\u202e\u2066", "activity_date": "2026-10-14", "entry_type": "workplace",
             "body": "word " * 200, "criteria": ["LPM1-3.1"], "declaration": "2026-1"}
    status, reply = answer(client.request(url("submit_entry"), entry))
    assert status == 400 and reply["field"] == "title"


@pytest.mark.parametrize("page", ["%C2%B2", "1000000000000000000000000000000", "%D9%A1", "%ff"])
def test_queue_pages_that_are_not_numbers_are_400_over_http(workbench_server, page):
    tutor, html = open_scenario(workbench_server, CHAIRING, "tutor")
    status, reply = answer(tutor.request(handler_url(html, "queue", "tutor") + f"&page={page}", method="GET"))
    assert status == 400 and "field" in reply


def test_anonymous_visitors_cannot_answer_a_needs_assessment_over_http(workbench_server):
    visitor, html = open_scenario(workbench_server, HEALTH_CHECK, "none")
    assert "Sign in to answer this questionnaire" in html and 'class="lp-na__form"' not in html
    usage = html.split('data-usage="', 1)[1].split('"', 1)[0] if 'data-usage="' in html else \
        html.split("data-usage='", 1)[1].split("'", 1)[0]
    for path in (handler_url(html, "submit", "none"), f"/unauth_handler/{usage}/submit/"):
        status, reply = answer(visitor.request(path, {"answers": {"x": 1}}))
        assert status == 403 and "Sign in" in reply["error"]
