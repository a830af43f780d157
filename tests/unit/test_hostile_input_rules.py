"""
The pure rules behind the hostile-input fixes (issue 12): visible text, bounded JSON, bounded scenario numbers,
strict queue page numbers.
"""
import json
from datetime import date

import pytest

from lp_xblocks.common import json_input
from lp_xblocks.common.text import is_blank, visible_or_empty
from lp_xblocks.facilitation import action_plan, scenario as core
from lp_xblocks.facilitation.olx import parse_scenario_string, scenario_to_string
from lp_xblocks.needs_assessment import instrument
from lp_xblocks.reflective_log import rules
from lp_xblocks.reflective_log.config import ConfigError, validate as validate_config
from tests.unit.test_facilitation_scenario import make_scenario

INVISIBLE = ["", " \t\n", "\u200b", "\u200c\u200d\u2060", "\ufeff", "\u200e\u200f", "\u202a\u202b\u202c\u202d\u202e",
             "\u2066\u2067\u2068\u2069", "\u061c", "\u00ad", "\u3164", "\u115f\u1160", "\u2800", "\u00a0\u3000",
             "\u2028\u2029", "\x00\x1f"]
VISIBLE = ["a", "\u200bA\u200b", "\u202eevil", "\u65e5\u672c", "\u00e9", "\u0301", "0", "-", "\U0001f600"]


# ------------------------------------------------------------------------------ visible text

@pytest.mark.parametrize("text", INVISIBLE)
def test_text_of_only_invisible_characters_is_blank(text):
    assert is_blank(text) and visible_or_empty(text) == ""


@pytest.mark.parametrize("text", VISIBLE)
def test_text_with_anything_visible_is_kept(text):
    assert not is_blank(text) and visible_or_empty(text) == text


@pytest.mark.parametrize("title", INVISIBLE[2:])
def test_an_invisible_title_is_no_title(title):
    config = {"entry_types": [{"id": "w", "label": "W"}], "criteria": [{"id": "c", "text": "C"}]}
    draft = rules.clean_entry(config, {"title": title}, date(2026, 1, 1))
    assert draft["title"] == ""
    complete = {"title": title, "activity_date": "2025-01-01", "entry_type": "w", "body": "one two three",
                "criteria": ["c"]}
    with pytest.raises(rules.EntryError) as caught:
        rules.check_submittable({"min_words": 0, "max_words": 10}, complete)
    assert caught.value.field == "title"


def test_invisible_feedback_is_nothing_to_save():
    with pytest.raises(rules.EntryError) as caught:
        rules.clean_marking(["c"], {"feedback": "\u200b\u200b", "decision": None})
    assert caught.value.field == "feedback"


def test_invisible_action_plan_cells_are_empty():
    rows = [{"what": "\u200b", "where": "Hall", "whom": "Board", "when": "ongoing"}]
    with pytest.raises(action_plan.PlanError) as caught:
        action_plan.clean(rows, "", 1)
    assert (caught.value.row, caught.value.field) == (1, "what")


def test_authored_texts_must_be_visible():
    scenario = make_scenario()
    scenario["scenes"][0]["title"] = "\u202e\u2066"
    with pytest.raises(core.ScenarioError, match="scene 'opening': title is empty"):
        core.validate(scenario)
    with pytest.raises(ConfigError, match="prompt"):
        validate_config({"prompt": "\u200b", "criteria": [{"id": "c", "text": "C"}],
                         "entry_types": [{"id": "w", "label": "W"}], "min_words": 0, "max_words": 10})


# ------------------------------------------------------------------------------ bounded numbers in scenarios

def test_points_above_the_bound_are_refused_naming_scene_and_choice():
    scenario = make_scenario()
    scenario["scenes"][1]["choices"][0]["points"] = 10 ** 30
    with pytest.raises(core.ScenarioError) as caught:
        core.validate(scenario)
    assert str(caught.value).startswith("scene 'round', choice 1: points '1000000000000000000000000000000'")
    assert str(core.MAX_CHOICE_POINTS) in str(caught.value)


def test_points_at_the_bound_pass():
    scenario = make_scenario()
    scenario["scenes"][1]["choices"][0]["points"] = core.MAX_CHOICE_POINTS
    core.validate(scenario)


def test_a_best_path_above_the_total_bound_is_refused():
    scenario = make_scenario()
    scenes = [{"id": f"s{i}", "title": "T", "narrative": "N",
               "choices": [{"text": "go", "feedback": "f", "goto": f"s{i + 1}" if i < 199 else "agreed",
                            "points": core.MAX_CHOICE_POINTS, "principles": []}]} for i in range(200)]
    scenario.update(start="s0", scenes=scenes, endings=[{"id": "agreed", "title": "A", "text": "B"}])
    with pytest.raises(core.ScenarioError, match="the best path is worth 200000 points; a scenario may be worth at most"):
        core.validate(scenario)


@pytest.mark.parametrize("rows", [action_plan.MAX_ROWS + 1, 10 ** 30])
def test_min_rows_above_the_plan_cap_is_refused(rows):
    scenario = make_scenario()
    scenario["min_rows"] = rows
    with pytest.raises(core.ScenarioError, match=f"min_rows '{rows}' must be a whole number from 0 to 30"):
        core.validate(scenario)


def test_min_rows_at_the_cap_pass():
    scenario = make_scenario()
    scenario["min_rows"] = action_plan.MAX_ROWS
    core.validate(scenario)


def test_the_bounds_hold_for_scenario_xml_from_studio():
    xml = scenario_to_string(make_scenario()).replace('points="3"', 'points="1000000000000000000000000000000"')
    with pytest.raises(core.ScenarioError, match="scene 'round', choice 1: points"):
        parse_scenario_string(xml)


def test_scale_values_are_bounded():
    scale = [{"value": 1, "label": "One"}, {"value": 10 ** 30, "label": "Huge"}]
    with pytest.raises(instrument.InstrumentError, match="scale point 2: value .* is outside"):
        instrument.validate({"scale": scale, "themes": [{"id": "t", "title": "T", "statements": [{"id": "s", "text": "S"}],
                                                         "bands": [{"upto": 10 ** 30, "label": "B"}]}]})


# ------------------------------------------------------------------------------ queue page numbers

@pytest.mark.parametrize("page", ["\u00b2", "\u0661", "\uff11", "1" * 40, 10 ** 30, rules.MAX_PAGE + 1, 0, "", " ", "1e3"])
def test_queue_pages_must_be_ascii_numbers_within_the_bound(page):
    with pytest.raises(rules.EntryError) as caught:
        rules.clean_queue_request({"page": page})
    assert caught.value.field == "page"


@pytest.mark.parametrize("page, expected", [("1", 1), (" 7 ", 7), (rules.MAX_PAGE, rules.MAX_PAGE), (3, 3)])
def test_queue_pages_within_the_bound(page, expected):
    assert rules.clean_queue_request({"page": page}) == (rules.SUBMITTED, expected)


# ------------------------------------------------------------------------------ the shared JSON reader

def refusal(body):
    with pytest.raises(json_input.BodyError) as caught:
        json_input.parse_body(body if isinstance(body, bytes) else body.encode("utf-8"))
    return caught.value


def test_nesting_at_the_bound_is_read_and_one_more_is_refused_naming_the_field():
    inner = json_input.MAX_DEPTH - 1  # the body object itself is one level
    assert json_input.parse_body(('{"a": ' + "[" * inner + "]" * inner + "}").encode())
    error = refusal('{"ok": 1, "a": ' + "[" * (inner + 1) + "]" * (inner + 1) + "}")
    assert (error.field, error.path) == ("a", "a")


def test_brackets_inside_strings_do_not_count_as_nesting():
    text = json.dumps({"title": "[" * 1000 + '\\"{' * 100})
    assert json_input.parse_body(text.encode())["title"].startswith("[[[")


def test_a_million_brackets_are_refused_without_recursion():
    assert refusal("[" * 1_000_000).field is None


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400", "-1e309", str(10 ** 30), str(2 ** 53),
                                     "1" * 5000])
def test_numbers_out_of_bounds_are_refused_naming_the_field(literal):
    error = refusal('{"x": {"y": [0, ' + literal + "]}}")
    assert (error.field, error.path) == ("x", "x.y[1]")


@pytest.mark.parametrize("literal", [str(2 ** 53 - 1), str(-(2 ** 53 - 1)), "0.1", "-0.0", "1e15"])
def test_numbers_within_bounds_are_read(literal):
    assert json_input.parse_body(('{"x": ' + literal + "}").encode())["x"] == json.loads(literal)


def test_lone_surrogates_in_values_and_keys_are_refused_and_pairs_are_read():
    assert refusal('{"t": "a\\ud800b"}').path == "t"
    assert refusal('{"t": {"\\udc00": 1}}').path == "t.\ufffd"
    assert json_input.parse_body('{"t": "\\ud83d\\ude00"}'.encode())["t"] == "\U0001f600"


@pytest.mark.parametrize("body", [b"\xff\xfe", b"[1]", b'"text"', b"{", b"{}{}", b'{"a": 1,}'])
def test_bodies_that_are_not_one_json_object_are_refused(body):
    assert refusal(body).field is None


def test_the_body_size_is_bounded():
    error = refusal(b'{"a": "' + b"x" * json_input.MAX_BODY_BYTES + b'"}')
    assert error.template == json_input.TOO_LARGE


def test_an_empty_body_is_an_empty_object():
    assert json_input.parse_body(b"") == {} and json_input.parse_body(b"  ") == {}
