"""The facilitation exercise in the real workbench over HTTP on loopback: pages, CSRF, handlers, permissions."""
import json
import re
import uuid

import pytest
from lxml import etree

from tests.integration.http_client import handler_url, open_scenario

pytestmark = pytest.mark.integration

SCENARIOS = {
    "lp_facilitation_exercise.0": "Chairing a contentious partnership meeting",
    "lp_facilitation_exercise.1": "Bringing a reluctant partner into collaboration",
    "lp_facilitation_exercise.2": "Speaking with one voice when a partner breaks confidentiality",
}


def learner(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def page_state(html):
    """The learner's state as the page carries it (a JSON script element)."""
    doc = etree.fromstring(html, etree.HTMLParser())
    (script,) = doc.xpath("//script[@type='application/json' and contains(@id, '-data')]")
    return json.loads(script.text)


def post(client, html, handler, student, body):
    status, headers, text = client.request(handler_url(html, handler, student), body)
    assert headers["Content-Type"].startswith("application/json"), text
    return status, json.loads(text)


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_each_scenario_page_renders_its_first_scene_with_unique_ids(workbench_server, scenario):
    _, html = open_scenario(workbench_server, scenario, "visitor")
    doc = etree.fromstring(html, etree.HTMLParser())
    (block,) = doc.xpath("//div[@class='lp-fx' and starts-with(@id, 'lpfx-')]")
    ids = block.xpath(".//@id")
    assert len(ids) == len(set(ids))
    state = page_state(html)
    assert state["scene"]["title"] and len(state["scene"]["choices"]) >= 2
    assert state["best"]["max"] >= 8 and state["attempts"] == 0
    assert SCENARIOS[scenario] in html


# The best path through "speaking with one voice" (scene -> the author's index of its best choice); choices are
# shown shuffled, but the learner sends the author's index, which every displayed choice carries.
ONE_VOICE_BEST = {"headline": 0, "holding": 2, "member": 2, "board": 1, "public-line": 1, "protocol": 2}
WHY = ("I chose this because it separates the breach from the substance, so that Dev hears the breach named while "
       "the board still hears his concern; the alternative would have turned the item into a trial of one member.")


def test_play_to_an_ending_and_keep_the_plan_over_http(workbench_server):
    student = learner("http")
    client, html = open_scenario(workbench_server, "lp_facilitation_exercise.2", student)
    state = page_state(html)
    assert state["rule"] == {"pass_ratio": 0.7, "percent": 70, "graded_attempt": "first"}
    steps = 0
    while state["scene"] is not None:
        scene = state["scene"]
        assert sorted(c["index"] for c in scene["choices"]) == [0, 1, 2]
        move = {"scene": scene["id"], "choice": ONE_VOICE_BEST[scene["id"]]}
        if scene.get("justify"):
            move["justification"] = WHY
        status, state = post(client, html, "choose", student, move)
        assert status == 200, state
        assert state["feedback"]["feedback"]
        steps += 1
    assert steps >= 6
    ending = state["ending"]
    assert ending["id"] == "united" and ending["passed"] is True and ending["points"] == ending["max"]
    assert ending["missed"] == []

    rows = [{"what": "Agree which agenda items are confidential", "where": "Executive board", "whom": "Chair",
             "when": "2099-09-30"}]
    status, saved = post(client, html, "save_action_plan", student, {"rows": rows, "reflection": "Listen first."})
    assert status == 200 and saved["complete"] is True

    _, again = open_scenario(workbench_server, "lp_facilitation_exercise.2", student)
    kept = page_state(again)
    assert kept["ending"]["id"] == "united" and kept["action_plan"] == rows and kept["reflection"] == "Listen first."
    assert kept["best"] == {"points": ending["max"], "max": ending["max"], "passed": True, "attempt": 1}


def test_post_without_csrf_token_is_refused(workbench_server):
    student = learner("csrf")
    client, html = open_scenario(workbench_server, "lp_facilitation_exercise.0", student)
    status, _, _ = client.request(handler_url(html, "choose", student), {"scene": "opening", "choice": 0}, csrf=False)
    assert status == 403
    status, _, body = client.request(handler_url(html, "state", student), method="GET")
    assert json.loads(body)["path"] == []


def test_bad_input_over_http_is_400_or_409_json_never_500(workbench_server):
    student = learner("bad")
    client, html = open_scenario(workbench_server, "lp_facilitation_exercise.0", student)
    choose = handler_url(html, "choose", student)
    for body in (b"{not json", b"[]", json.dumps({"scene": "interests", "choice": 9}).encode(), "\u00e9".encode("latin-1")):
        status, headers, text = client.request(choose, body)
        assert status == 400, text
        assert headers["Content-Type"].startswith("application/json") and json.loads(text)["error"]
    status, _, text = client.request(choose, {"scene": "actions", "choice": 0})
    assert status == 409 and json.loads(text)["current"] == "interests"
    status, _, text = client.request(handler_url(html, "save_action_plan", student),
                                     {"rows": [{"what": "x", "where": "y", "whom": "z", "when": "someday"}] * 2})
    reply = json.loads(text)
    assert status == 400 and (reply["row"], reply["field"]) == (1, "when")
    status, _, text = client.request(choose, method="GET")
    assert status == 405


def test_choice_report_for_tutors_only(workbench_server):
    student = learner("report")
    client, html = open_scenario(workbench_server, "lp_facilitation_exercise.1", student)
    assert post(client, html, "choose", student, {"scene": "empty-chair", "choice": 2})[0] == 200
    status, reply = post(client, html, "choice_report", student, {})
    assert status == 403 and reply["error"]
    assert "Choice report (tutors)" not in html

    tutor, tutor_html = open_scenario(workbench_server, "lp_facilitation_exercise.1", "tutor")
    assert "Choice report (tutors)" in tutor_html
    status, report = post(tutor, tutor_html, "choice_report", "tutor", {})
    assert status == 200
    assert report["learners"]["started"] >= 1
    opening = report["scenes"][0]
    assert opening["id"] == "empty-chair" and opening["choices"][2]["learners"] >= 1
    assert [e["id"] for e in report["endings"]] == ["co-ownership", "coordination", "moved", "fragile", "entrenched"]
    assert re.match(r"^\d+$", str(report["max_points"]))
