"""
The Studio form editors' model without a browser: drafts coerced to the definitions' types, every field-level
problem at once, the blocks' own validators' errors placed at the field they name, the scenario graph, and the
form/XML round trip of every packaged scenario.
"""
import copy
import json
from pathlib import Path

import pytest
from lxml import etree

from lp_xblocks.common import editor
from lp_xblocks.facilitation import editor as fx_editor
from lp_xblocks.facilitation import scenario as fx_core
from lp_xblocks.facilitation.olx import parse_scenario, parse_scenario_string, scenario_to_string
from lp_xblocks.needs_assessment import editor as na_editor
from lp_xblocks.needs_assessment import instrument as na_core
from lp_xblocks.needs_assessment.olx import instrument_to_string, parse_instrument, parse_instrument_string
from lp_xblocks.reflective_log import config as rl_core
from lp_xblocks.reflective_log import editor as rl_editor
from lp_xblocks.reflective_log.olx import config_to_string, parse_config, parse_config_string

PACKAGE = Path(__file__).resolve().parents[2] / "lp_xblocks"
NA_SCHEMA, RL_SCHEMA, FX_SCHEMA = na_editor.schema(str), rl_editor.schema(str), fx_editor.schema(str)


def english(problems):
    return {path: template.format(**params) for path, template, params in problems}


def scenario_files(package):
    return sorted((PACKAGE / package / "scenarios").glob("*.xml"))


def as_draft(definition):
    """What the browser holds: the definition through JSON, with numbers typed as text."""
    draft = json.loads(json.dumps(definition))
    for point in draft.get("scale", []):
        point["value"] = str(point["value"])
    for theme in draft.get("themes", []):
        for band in theme["bands"]:
            band["upto"] = str(band["upto"])
    for key in ("min_words", "max_words", "min_rows", "pass_ratio"):
        if key in draft:
            draft[key] = str(draft[key])
    return draft


# ------------------------------------------------------------------------------------------------ round trips

@pytest.mark.parametrize("path", scenario_files("needs_assessment"), ids=lambda p: p.stem)
def test_every_instrument_round_trips_through_the_form_and_the_xml(path):
    instrument = parse_instrument(etree.parse(str(path)).getroot())
    definition, problems = editor.problems_with(NA_SCHEMA, as_draft(instrument), na_core.validate, na_core.InstrumentError)
    assert problems == []
    assert definition == instrument
    assert parse_instrument_string(instrument_to_string(definition)) == instrument


@pytest.mark.parametrize("path", scenario_files("reflective_log"), ids=lambda p: p.stem)
def test_every_log_round_trips_through_the_form_and_the_xml(path):
    config = parse_config(etree.parse(str(path)).getroot())
    definition, problems = editor.problems_with(RL_SCHEMA, as_draft(config), rl_core.validate, rl_core.ConfigError)
    assert problems == []
    assert definition == config
    assert parse_config_string(config_to_string(definition)) == config


@pytest.mark.parametrize("path", scenario_files("facilitation"), ids=lambda p: p.stem)
def test_every_scenario_round_trips_through_the_form_and_the_xml(path):
    scenario = parse_scenario(etree.parse(str(path)).getroot())
    definition, problems = editor.problems_with(FX_SCHEMA, as_draft(scenario), fx_core.validate, fx_core.ScenarioError)
    assert problems == []
    assert definition == scenario
    assert parse_scenario_string(scenario_to_string(definition)) == scenario


def test_keys_the_form_does_not_know_survive_it():
    scenario = parse_scenario(etree.parse(str(scenario_files("facilitation")[0])).getroot())
    draft = as_draft(scenario)
    draft["graded_attempt"] = "best"
    draft["endings"][0]["pass"] = True
    definition, _ = editor.coerce(FX_SCHEMA, draft)
    assert definition["graded_attempt"] == "best" and definition["endings"][0]["pass"] is True


# ------------------------------------------------------------------------------------------------ field checks

def test_every_field_problem_is_listed_at_once_with_its_path():
    instrument = parse_instrument(etree.parse(str(scenario_files("needs_assessment")[0])).getroot())
    draft = as_draft(instrument)
    draft["scale"][1]["value"] = "two"
    draft["scale"][2]["label"] = "   "
    draft["themes"][0]["bands"][0]["upto"] = "1,5"
    draft["themes"][1]["statements"][0]["text"] = ""
    draft["themes"][1]["id"] = draft["themes"][0]["id"]
    draft["stages"] = [{"id": "", "label": "Early"}] + draft.get("stages", [])
    _, problems = editor.problems_with(NA_SCHEMA, draft, na_core.validate, na_core.InstrumentError)
    found = english(problems)
    first = draft["themes"][0]["id"]
    assert found["scale.1.value"] == "Point 2 > Value: 'two' is not a whole number"
    assert found["scale.2.label"] == "Point 3 > Label: this is required"
    assert found["themes.0.bands.0.upto"] == "Theme 1 > Band 1 > Up to: '1,5' is not a number"
    assert found["themes.1.statements.0.text"] == "Theme 2 > Statement 1 > Text: this is required"
    assert found["themes.1.id"] == f"Theme 2 > id: id '{first}' is already used by Theme 1"
    assert found["stages.0.id"] == "Stage 1 > Id: this is required"


@pytest.mark.parametrize("raw,expected", [("3", 3), (" 2.5 ", 2.5), (4, 4), ("1e0", 1.0), ("-0", 0)])
def test_numbers_typed_as_text_become_numbers(raw, expected):
    value, problems = editor.coerce([{"key": "n", "type": "number", "label": "N", "required": True}], {"n": raw})
    assert problems == [] and value["n"] == expected and not isinstance(value["n"], bool)


@pytest.mark.parametrize("raw", ["nan", "inf", "", None, True, "3 4", [1]])
def test_what_is_not_a_finite_number_is_refused(raw):
    _, problems = editor.coerce([{"key": "n", "type": "number", "label": "N", "required": True}], {"n": raw})
    assert [path for path, *_ in problems] == ["n"]


def test_ranges_lists_and_shapes_are_checked():
    _, problems = editor.coerce(FX_SCHEMA, {"start": 7, "pass_ratio": "1.5", "min_rows": "-1", "principles": "x",
                                            "scenes": [], "endings": ["not an object"]})
    found = english(problems)
    assert found["start"] == "First scene: must be text"
    assert found["pass_ratio"].endswith("must be from 0 to 1")
    assert found["min_rows"].endswith("must be from 0 to -")
    assert found["principles"] == "Principles: must be a list"
    assert found["scenes"] == "Scenes: at least 1 needed"
    assert found["endings.0"] == "Ending 1: must be an object"
    assert editor.coerce(FX_SCHEMA, ["not", "a", "draft"])[1] == [("", "the draft must be an object", {})]


def test_a_list_too_long_is_cut_and_reported():
    draft = {"prompt": "p", "min_words": 1, "max_words": 2, "entry_types": [{"id": "a", "label": "A"}],
             "criteria": [{"id": f"C-{n}", "text": "t"} for n in range(editor.MAX_ITEMS + 5)]}
    definition, problems = editor.coerce(RL_SCHEMA, draft)
    assert len(definition["criteria"]) == editor.MAX_ITEMS
    assert english(problems)["criteria"] == f"Assessment criteria: at most {editor.MAX_ITEMS} items"


# ------------------------------------------------------------------------------------------------ validator errors


def valid_scenario():
    return parse_scenario(etree.parse(str(PACKAGE / "facilitation/scenarios/reluctant_partner.xml")).getroot())


def place(schema, definition, validate, error_type):
    _, problems = editor.problems_with(schema, definition, validate, error_type)
    assert len(problems) == 1, problems
    return problems[0][0], problems[0][1].format(**problems[0][2])


def test_a_cycle_is_placed_at_the_choice_that_makes_it():
    scenario = valid_scenario()
    index = [scene["id"] for scene in scenario["scenes"]].index("joint-work")
    scenario["scenes"][index]["choices"][0]["goto"] = "empty-chair"
    path, message = place(FX_SCHEMA, scenario, fx_core.validate, fx_core.ScenarioError)
    assert path == f"scenes.{index}.choices.0.goto"
    assert message.startswith("scene 'joint-work', choice 1: goto 'empty-chair' makes a cycle")


def test_an_unreachable_scene_is_placed_at_the_scene():
    scenario = valid_scenario()
    for scene in scenario["scenes"]:
        for choice in scene["choices"]:
            if choice["goto"] == "without":
                choice["goto"] = "visit"
    index = [scene["id"] for scene in scenario["scenes"]].index("without")
    path, message = place(FX_SCHEMA, scenario, fx_core.validate, fx_core.ScenarioError)
    assert (path, message) == (f"scenes.{index}", "scene 'without' is not reachable from start 'empty-chair'")


def test_an_undefined_principle_is_placed_at_the_choice_principles():
    scenario = valid_scenario()
    scenario["scenes"][1]["choices"][1]["principles"] = ["no-such-principle"]
    path, _ = place(FX_SCHEMA, scenario, fx_core.validate, fx_core.ScenarioError)
    assert path == "scenes.1.choices.1.principles"


def test_settings_errors_are_placed_at_their_fields():
    scenario = valid_scenario()
    scenario["start"] = "nowhere"
    assert place(FX_SCHEMA, scenario, fx_core.validate, fx_core.ScenarioError)[0] == "start"


def test_an_instrument_rule_is_placed_at_the_theme_bands_and_the_scale():
    instrument = parse_instrument(etree.parse(str(scenario_files("needs_assessment")[0])).getroot())
    broken = copy.deepcopy(instrument)
    broken["themes"][1]["bands"][0]["upto"] = broken["themes"][1]["bands"][1]["upto"] + 0.1
    path, message = place(NA_SCHEMA, broken, na_core.validate, na_core.InstrumentError)
    assert path == "themes.1.bands" and "band upto values must increase" in message
    broken = copy.deepcopy(instrument)
    broken["scale"][2]["value"] = broken["scale"][1]["value"]
    assert place(NA_SCHEMA, broken, na_core.validate, na_core.InstrumentError)[0] == "scale.2"
    broken = copy.deepcopy(instrument)
    broken["themes"][0]["statements"][1]["id"] = "has space"
    assert place(NA_SCHEMA, broken, na_core.validate, na_core.InstrumentError)[0] == "themes.0.statements.1.id"


def test_criteria_and_entry_types_with_the_same_id_are_told_apart():
    config = {"prompt": "p", "min_words": 10, "max_words": 20,
              "criteria": [{"id": "workplace", "text": "A criterion"}],
              "entry_types": [{"id": "other", "label": "Other"}, {"id": "workplace", "label": "Workplace"}]}
    params = {"kind": "entry_type", "id": "workplace"}
    assert editor.locate(RL_SCHEMA, config, "{kind} '{id}': the text is empty", params) == "entry_types.1"
    params = {"kind": "criterion", "id": "workplace"}
    assert editor.locate(RL_SCHEMA, config, "{kind} '{id}': the text is empty", params) == "criteria.0.text"
    assert editor.locate(RL_SCHEMA, config, "max_words ({max_words}) is above the limit", {"max_words": 9}) == "max_words"
    assert editor.locate(RL_SCHEMA, config, "something about nothing", {}) == ""


# ------------------------------------------------------------------------------------------------ graph, samples


def test_the_graph_marks_unreachable_scenes_and_dead_ends_in_a_broken_draft():
    draft = {"start": "a", "scenes": [
        {"id": "a", "choices": [{"goto": "b"}, {"goto": "nowhere"}]},
        {"id": "b", "choices": []},
        {"id": "c", "choices": [{"goto": "end"}]},
        "junk",
    ], "endings": [{"id": "end", "title": "End"}, {"id": "spare"}]}
    graph = fx_editor.graph(draft)
    nodes = {node["id"]: node for node in graph["nodes"]}
    assert nodes["a"]["start"] and not nodes["a"]["unreachable"] and not nodes["a"]["dead_end"]
    assert nodes["b"]["dead_end"] and not nodes["b"]["unreachable"]
    assert nodes["c"]["unreachable"] and not nodes["c"]["dead_end"]
    assert nodes["end"]["unreachable"] and nodes["spare"]["unreachable"]
    assert {(edge["from"], edge["to"], edge["missing"]) for edge in graph["edges"]} == {
        ("a", "b", False), ("a", "nowhere", True), ("c", "end", False)}
    assert fx_editor.graph({}) == {"nodes": [], "edges": []}


def test_sample_results_come_from_the_scoring_code():
    instrument = parse_instrument(etree.parse(str(scenario_files("needs_assessment")[0])).getroot())
    samples = na_editor.samples(instrument)
    lowest = str(instrument["scale"][0]["value"])
    assert set(samples) == {str(point["value"]) for point in instrument["scale"]}
    assert samples[lowest]["themes"][0]["band"] == instrument["themes"][0]["bands"][0]["label"]
    assert samples[lowest]["overall"] == instrument["scale"][0]["value"]


def test_the_criteria_picker_reads_the_one_catalogue():
    units = rl_editor.catalogue_units()
    assert units and all(unit["criteria"] for unit in units)
    assert all(criterion["id"].startswith(unit["id"] + "-") for unit in units for criterion in unit["criteria"])
