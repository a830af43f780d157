"""The real workbench over HTTP on loopback: pages, CSRF, handlers, permissions, CSV."""
import csv
import io
import json
import re
import uuid

import pytest
from lxml import etree

from tests.integration.http_client import handler_url, open_scenario

pytestmark = pytest.mark.integration

SCENARIOS = {
    "lp_needs_assessment.0": "Partnership health check",
    "lp_needs_assessment.1": "Individual learning-needs analysis",
    "lp_needs_assessment.2": "Satisfaction survey",
}


def answers_for(html, value):
    ids = re.findall(r'<fieldset class="lp-na__statement"[^>]*data-statement="([^"]+)"', html)
    assert ids
    return {statement: value for statement in ids}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_each_scenario_page_renders_with_unique_ids(workbench_server, scenario):
    _, html = open_scenario(workbench_server, scenario, "visitor")
    doc = etree.fromstring(html, etree.HTMLParser())
    block = doc.xpath("//div[@class='lp-na' and starts-with(@id, 'lpna-')]")
    assert len(block) == 1
    ids = block[0].xpath(".//@id")
    assert len(ids) == len(set(ids))
    assert block[0].xpath(".//fieldset[@class='lp-na__statement']")
    assert SCENARIOS[scenario] in html


def test_submit_and_results_over_http(workbench_server):
    student = f"http-{uuid.uuid4().hex[:8]}"
    client, html = open_scenario(workbench_server, "lp_needs_assessment.0", student)
    status, headers, body = client.request(handler_url(html, "submit", student),
                                           {"answers": answers_for(html, 4), "placements": {"partnership": "collaboration"}})
    assert status == 200, body
    assert headers["Content-Type"].startswith("application/json")
    result = json.loads(body)
    # The stage is the participant's own placement (issue 15), no longer cut from the overall score.
    assert result["attempt"] == 1 and result["overall"] == 4.0 and result["stage"] == "Collaboration"
    assert len(result["themes"]) >= 8

    status, _, body = client.request(handler_url(html, "results", student), method="GET")
    assert status == 200
    latest = json.loads(body)
    assert latest["attempt"] == 1
    assert [h["attempt"] for h in latest["history"]] == [1]

    # The page now opens on the results, with the answers kept.
    _, again = open_scenario(workbench_server, "lp_needs_assessment.0", student)
    assert re.search(r"<form[^>]*hidden", again)
    assert again.count(" checked>") == len(answers_for(html, 4))


def test_post_without_csrf_token_is_refused(workbench_server):
    student = f"csrf-{uuid.uuid4().hex[:8]}"
    client, html = open_scenario(workbench_server, "lp_needs_assessment.1", student)
    status, _, _ = client.request(handler_url(html, "submit", student), {"answers": answers_for(html, 3)}, csrf=False)
    assert status == 403
    status, _, body = client.request(handler_url(html, "results", student), method="GET")
    assert json.loads(body) == {"attempt": 0}


def test_bad_input_over_http_is_400_json_never_500(workbench_server):
    student = f"bad-{uuid.uuid4().hex[:8]}"
    client, html = open_scenario(workbench_server, "lp_needs_assessment.1", student)
    url = handler_url(html, "submit", student)
    for body in (b"{not json", b"[]", json.dumps({"answers": {"nope": 3}}).encode(), "\u00e9".encode("latin-1")):
        status, headers, text = client.request(url, body)
        assert status == 400, text
        assert headers["Content-Type"].startswith("application/json")
        assert json.loads(text)["error"]


def test_satisfaction_survey_once_only_over_http(workbench_server):
    student = f"sat-{uuid.uuid4().hex[:8]}"
    client, html = open_scenario(workbench_server, "lp_needs_assessment.2", student)
    url = handler_url(html, "submit", student)
    assert client.request(url, {"answers": answers_for(html, 5)})[0] == 200
    status, _, body = client.request(url, {"answers": answers_for(html, 1)})
    assert status == 409
    assert json.loads(body)["error"]


def test_tutor_reports_over_http_and_403_for_learners(workbench_server):
    learner = f"cohort-{uuid.uuid4().hex[:8]}"
    client, html = open_scenario(workbench_server, "lp_needs_assessment.1", learner)
    assert client.request(handler_url(html, "submit", learner), {"answers": answers_for(html, 2)})[0] == 200

    status, _, body = client.request(handler_url(html, "cohort_report", learner), {})
    assert status == 403 and "error" in json.loads(body)
    status, _, _ = client.request(handler_url(html, "cohort_report_csv", learner), method="GET")
    assert status == 403

    tutor, tutor_html = open_scenario(workbench_server, "lp_needs_assessment.1", "tutor")
    assert "Cohort report (tutors)" in tutor_html
    assert "Cohort report (tutors)" not in html
    status, _, body = tutor.request(handler_url(tutor_html, "cohort_report", "tutor"), {})
    assert status == 200
    report = json.loads(body)
    assert report["learners"] >= 1
    assert all(theme["respondents"] >= 1 for theme in report["themes"])

    status, headers, text = tutor.request(handler_url(tutor_html, "cohort_report_csv", "tutor"), method="GET")
    assert status == 200
    assert headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert learner in [row[0] for row in rows[1:]]


def test_the_favicon_is_served_not_a_404(workbench_server):
    import urllib.request  # pylint: disable=import-outside-toplevel
    with urllib.request.urlopen(workbench_server + "/favicon.ico", timeout=10) as reply:
        assert reply.status == 200 and reply.headers["Content-Type"] == "image/svg+xml"
        assert reply.read().startswith(b"<svg")
