"""The reflective log in the real workbench over HTTP: a learner submits, a tutor marks, downloads, permissions."""
import csv
import io
import json
import uuid

import pytest

from tests.integration.http_client import handler_url, open_scenario

pytestmark = pytest.mark.integration

CHAIRING, BUDGET = "lp_reflective_log.0", "lp_reflective_log.1"
BODY = " ".join(["The partners agreed the agenda and every action had an owner and a date."] * 12)


def entry(**changes):
    return {"title": "Chairing the steering group", "activity_date": "2026-10-14", "entry_type": "workplace",
            "body": BODY, "criteria": ["LPM1-3.1", "LPM1-3.2"], "declaration": "2026-1", **changes}


def test_learner_submits_and_tutor_marks_over_http(workbench_server):
    learner = f"rl-{uuid.uuid4().hex[:8]}"
    client, html = open_scenario(workbench_server, CHAIRING, learner)
    assert "lp-rl__form" in html and "Marking (tutors)" not in html
    status, headers, body = client.request(handler_url(html, "submit_entry", learner), entry())
    assert status == 200, body
    assert headers["Content-Type"].startswith("application/json")
    submitted = json.loads(body)["entry"]
    assert submitted["status"] == "submitted" and submitted["version"] == 1

    tutor, tutor_html = open_scenario(workbench_server, CHAIRING, "tutor")
    assert "Marking (tutors)" in tutor_html
    status, _, body = tutor.request(handler_url(tutor_html, "queue", "tutor") + "&status=submitted&page=1", method="GET")
    assert status == 200
    rows = json.loads(body)["entries"]
    mine = [row for row in rows if row["learner"] == learner]
    assert len(mine) == 1 and mine[0]["entry_id"] == submitted["entry_id"]

    status, _, body = tutor.request(handler_url(tutor_html, "open_entry", "tutor"), {"entry_id": submitted["entry_id"]})
    assert status == 200 and json.loads(body)["can_mark"] is True
    status, _, body = tutor.request(handler_url(tutor_html, "mark_entry", "tutor"), {
        "entry_id": submitted["entry_id"], "version": 1, "feedback": "Well evidenced.", "decision": "pass",
        "criteria": {"LPM1-3.1": {"decision": "met"}, "LPM1-3.2": {"decision": "met", "comment": "Honest."}}})
    assert status == 200, body
    assert json.loads(body)["score"] == {"points": 2, "possible": 3}

    status, _, body = client.request(handler_url(html, "my_entries", learner), method="GET")
    mine = json.loads(body)
    assert mine["score"] == {"points": 2, "possible": 3} and mine["entries"][0]["status"] == "passed"

    status, headers, text = client.request(handler_url(html, "portfolio_html", learner), method="GET")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "Chairing the steering group" in text and "Honest." in text

    status, headers, text = tutor.request(handler_url(tutor_html, "entries_csv", "tutor"), method="GET")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert learner in [row[0] for row in csv.reader(io.StringIO(text))]


def test_permissions_and_bad_input_over_http(workbench_server):
    learner, other = f"rl-{uuid.uuid4().hex[:8]}", f"rl-{uuid.uuid4().hex[:8]}"
    client, html = open_scenario(workbench_server, BUDGET, learner)
    status, _, body = client.request(handler_url(html, "save_draft", learner), {"title": "Budget report"})
    assert status == 200
    draft = json.loads(body)["entry"]

    intruder, intruder_html = open_scenario(workbench_server, BUDGET, other)
    status, _, body = intruder.request(handler_url(intruder_html, "save_draft", other),
                                       {"entry_id": draft["entry_id"], "title": "Mine now"})
    assert status == 403 and json.loads(body)["error"]
    status, _, _ = intruder.request(handler_url(intruder_html, "queue", other), {})
    assert status == 403
    status, _, _ = intruder.request(handler_url(intruder_html, "portfolio_html", other) + f"&learner={learner}", method="GET")
    assert status == 403

    url = handler_url(html, "submit_entry", learner)
    for payload in (b"{not json", b"[]", json.dumps(entry(activity_date="2999-12-31")).encode(),
                    json.dumps(entry(body="Too short.")).encode()):
        status, headers, text = client.request(url, payload)
        assert status == 400, text
        assert headers["Content-Type"].startswith("application/json") and json.loads(text)["error"]

    status, _, _ = client.request(handler_url(html, "save_draft", learner), {"title": "x"}, csrf=False)
    assert status == 403  # Django's CSRF protection
