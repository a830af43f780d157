"""
``validate_draft`` on every block: authors only, checks a draft (the form's JSON) or the Advanced tab's XML with
the OLX path's validator, answers every problem with its field, the XML of a valid draft and the previews; it
never saves anything.
"""
import json
from pathlib import Path

import pytest

from tests.conftest import call_handler

PACKAGE = Path(__file__).resolve().parents[2] / "lp_xblocks"
BLOCKS = {
    "needs_assessment": ("needs_assessment/scenarios/satisfaction_survey.xml", "instrument_xml"),
    "reflective_log": ("reflective_log/scenarios/chairing_meetings.xml", "config_xml"),
    "facilitation": ("facilitation/scenarios/reluctant_partner.xml", "scenario_xml"),
}


@pytest.fixture(params=sorted(BLOCKS))
def block(request, workbench_block):
    path, xml_field = BLOCKS[request.param]
    get = workbench_block((PACKAGE / path).read_text(encoding="utf-8"))
    get.kind, get.xml_field = request.param, xml_field
    return get


def definition_of(block):
    return json.loads(json.dumps({
        "needs_assessment": lambda b: b.instrument,
        "reflective_log": lambda b: b._config(),  # pylint: disable=protected-access
        "facilitation": lambda b: b.scenario,
    }[block.kind](block("tutor"))))


def test_a_valid_draft_is_valid_and_comes_back_with_its_xml(block):
    draft = definition_of(block)
    status, body, _ = call_handler(block("tutor"), "validate_draft", {"draft": draft})
    assert status == 200
    assert (body["valid"], body["problems"]) == (True, [])
    assert body["draft"] == draft
    assert body["xml"].lstrip().startswith("<")
    # The XML answers back the same draft: the two tabs stay in step.
    status, again, _ = call_handler(block("tutor"), "validate_draft", {"xml": body["xml"]})
    assert (status, again["valid"], again["draft"]) == (200, True, draft)
    if block.kind == "facilitation":
        assert {node["id"] for node in body["graph"]["nodes"]} >= {scene["id"] for scene in draft["scenes"]}
    if block.kind == "needs_assessment":
        assert set(body["samples"]) == {str(point["value"]) for point in draft["scale"]}


def test_an_invalid_draft_lists_its_problems_and_nothing_is_saved(block):
    before = definition_of(block)
    draft = json.loads(json.dumps(before))
    first_list = {"needs_assessment": "themes", "reflective_log": "criteria", "facilitation": "endings"}[block.kind]
    draft[first_list] = []
    status, body, _ = call_handler(block("tutor"), "validate_draft", {"draft": draft})
    assert status == 200 and body["valid"] is False
    assert first_list in [problem["path"] for problem in body["problems"]]
    assert all(problem["message"] for problem in body["problems"])
    assert definition_of(block) == before


def test_broken_xml_is_a_problem_of_the_xml(block):
    status, body, _ = call_handler(block("tutor"), "validate_draft", {"xml": "<oops>"})
    assert status == 200
    assert body["valid"] is False and body["draft"] is None
    assert [problem["path"] for problem in body["problems"]] == ["xml"]
    assert "not well-formed" in body["problems"][0]["message"]


@pytest.mark.parametrize("payload", [{}, {"draft": "text"}, {"draft": None}, {"xml": 42}])
def test_a_request_without_a_draft_is_a_400(block, payload):
    status, body, _ = call_handler(block("tutor"), "validate_draft", payload)
    assert status == 400 and body["error"]


def test_learners_may_not_check_drafts(block):
    status, body, _ = call_handler(block("ann"), "validate_draft", {"draft": {}})
    assert status == 403 and "course authors" in body["error"]


def test_the_studio_view_carries_the_editor(block):
    html = block("tutor").render("studio_view").body_html()
    assert 'role="tablist"' in html and f'name="{block.xml_field}"' in html
    assert 'id="' in html and '-data" type="application/json"' in html
