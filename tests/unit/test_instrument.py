"""The questionnaire engine: scoring, answers, validation and OLX (pure; no runtime, no database)."""
import copy
import importlib.resources

import pytest
from lxml import etree

from lp_xblocks.needs_assessment import instrument as core
from lp_xblocks.needs_assessment.olx import (
    instrument_to_string, parse_instrument, parse_instrument_string, write_instrument,
)

SCALE = [{"value": v, "label": f"point {v}"} for v in range(1, 6)]
BANDS = [
    {"upto": 2.5, "label": "Needs attention", "text": "Agree terms of reference."},
    {"upto": 3.75, "label": "Developing", "text": "Review roles."},
    {"upto": 5, "label": "Strong", "text": "Share practice."},
]


def make_instrument():
    return {
        "scale": copy.deepcopy(SCALE),
        "themes": [
            {"id": "leadership", "title": "Leadership", "bands": copy.deepcopy(BANDS),
             "statements": [{"id": "l1", "text": "a"}, {"id": "l2", "text": "b"}, {"id": "l3", "text": "c"}]},
            {"id": "trust", "title": "Trust", "bands": copy.deepcopy(BANDS),
             "statements": [{"id": "t1", "text": "d"}, {"id": "t2", "text": "e"}]},
            {"id": "learning", "title": "Learning", "bands": copy.deepcopy(BANDS),
             "statements": [{"id": "n1", "text": "f"}]},
        ],
        "stages": [
            {"id": "co-existence", "label": "Co-existence", "text": "Plan and act independently."},
            {"id": "co-operation", "label": "Co-operation", "text": "Share information."},
            {"id": "co-ordination", "label": "Co-ordination", "text": "Adjust plans to each other."},
            {"id": "collaboration", "label": "Collaboration", "text": "Shared goals, pooled resources."},
            {"id": "co-ownership", "label": "Co-ownership", "text": "Shared accountability."},
        ],
        "activities": [{"id": "outreach", "label": "Adult outreach"}, {"id": "youth", "label": "14-19"}],
    }


# ------------------------------------------------------------------------------------ scoring

def test_theme_score_is_mean_rounded_half_up_to_two_places():
    inst = make_instrument()
    result = core.score(inst, {"l1": 4, "l2": 4, "l3": 3, "t1": 2, "t2": 3, "n1": 5})
    scores = {t["id"]: t["score"] for t in result["themes"]}
    assert scores == {"leadership": 3.67, "trust": 2.5, "learning": 5.0}


def test_mean_rounds_halves_up_not_to_even():
    assert core.mean([1, 1, 1, 1, 1, 1, 1, 2]) == 1.13  # 1.125: banker's rounding would give 1.12
    assert core.mean([2.125]) == 2.13
    assert core.round2(1.005) == 1.01


def test_band_is_first_whose_upto_reaches_the_score():
    inst = make_instrument()
    result = core.score(inst, {"l1": 4, "l2": 4, "l3": 3, "t1": 2, "t2": 3, "n1": 5})
    bands = {t["id"]: t["band"] for t in result["themes"]}
    # 2.5 is exactly the first band's upto: it belongs to that band.
    assert bands == {"leadership": "Developing", "trust": "Needs attention", "learning": "Strong"}
    assert result["themes"][1]["recommendation"] == "Agree terms of reference."


def test_overall_is_mean_of_theme_scores_and_no_stage_is_derived_from_it():
    inst = make_instrument()
    result = core.score(inst, {"l1": 4, "l2": 4, "l3": 3, "t1": 2, "t2": 3, "n1": 5})
    assert result["overall"] == 3.72  # (3.67 + 2.5 + 5) / 3 = 3.7233
    assert "stage" not in result  # issue 15: stages are placed by the participant, not cut from the score


# ------------------------------------------------------------------------------------ don't know

def test_dont_know_is_left_out_of_the_means_and_counted():
    inst = make_instrument()
    result = core.score(inst, {"l1": 4, "l2": core.DONT_KNOW, "l3": 3, "t1": 2, "t2": 3, "n1": core.DONT_KNOW})
    themes = {t["id"]: t for t in result["themes"]}
    assert themes["leadership"]["score"] == 3.5 and themes["leadership"]["dont_know"] == 1
    assert themes["trust"]["score"] == 2.5 and themes["trust"]["dont_know"] == 0
    assert (themes["learning"]["score"], themes["learning"]["band"], themes["learning"]["recommendation"]) == (
        None, None, None)
    assert themes["learning"]["dont_know"] == 1
    assert result["dont_know"] == 2
    assert result["overall"] == 3.0          # mean of the scored themes only: (3.5 + 2.5) / 2
    assert result["recommendations"] == ["trust", "leadership"]   # the unscored theme is not recommended


def test_all_dont_know_has_no_overall_and_is_a_valid_answer():
    inst = make_instrument()
    answers = {sid: core.DONT_KNOW for sid in core.statement_ids(inst)}
    assert not core.check_answers(inst, answers)
    result = core.score(inst, answers)
    assert result["overall"] is None and result["recommendations"] == [] and result["dont_know"] == 6
    assert core.change_since({"leadership": 3.0}, result["themes"])[0]["change_since_first"] is None


def test_dont_know_spelt_differently_is_invalid():
    inst = make_instrument()
    answers = {sid: 3 for sid in core.statement_ids(inst)}
    answers["l1"], answers["t1"] = "don't know", None
    assert core.check_answers(inst, answers).invalid == ["l1", "t1"]


# ------------------------------------------------------------------------------------ stages

def test_placement_targets_are_the_whole_partnership_then_each_activity():
    inst = make_instrument()
    assert core.placement_targets(inst) == ["partnership", "outreach", "youth"]
    inst["stages"], inst["activities"] = [], []
    assert core.placement_targets(inst) == []


def test_placements_are_chosen_not_scored_and_may_be_left_out():
    inst = make_instrument()
    chosen = {"partnership": "co-ordination", "youth": "co-existence"}
    assert not core.check_placements(inst, chosen)
    placed = core.placements(inst, chosen)
    assert [(p["target"], p["stage"], p["label"]) for p in placed] == [
        ("partnership", "co-ordination", "Co-ordination"), ("outreach", None, None), ("youth", "co-existence", "Co-existence")]
    assert placed[0]["target_label"] is None and placed[2]["target_label"] == "14-19"
    assert core.stage_summary(placed) == "Co-ordination; 14-19: Co-existence"
    # Whatever the scores, the placement is what the participant chose.
    low = {sid: 1 for sid in core.statement_ids(inst)}
    assert core.score(inst, low)["overall"] == 1.0 and core.placements(inst, {"partnership": "co-ownership"})[0]["label"] == "Co-ownership"


def test_placement_problems_name_the_target_and_the_stage():
    problems = core.check_placements(make_instrument(), {"partnership": "ladder-top", "budget": "co-operation",
                                                         "youth": None})
    assert (problems.unknown, problems.invalid) == (["budget"], ["partnership"])


def test_recommendations_weakest_first_ties_in_document_order():
    inst = make_instrument()
    result = core.score(inst, {"l1": 2, "l2": 2, "l3": 2, "t1": 5, "t2": 5, "n1": 2})
    assert result["recommendations"] == ["leadership", "learning", "trust"]
    result = core.score(inst, {"l1": 5, "l2": 5, "l3": 5, "t1": 1, "t2": 1, "n1": 3})
    assert result["recommendations"] == ["trust", "learning", "leadership"]


def test_change_since_first():
    themes = [{"id": "a", "score": 3.67}, {"id": "b", "score": 2.0}, {"id": "new", "score": 4.0}]
    changed = core.change_since({"a": 2.33, "b": 2.5}, themes)
    assert [t["change_since_first"] for t in changed] == [1.34, -0.5, None]
    assert [t["change_since_first"] for t in core.change_since(None, themes)] == [None, None, None]


# ------------------------------------------------------------------------------------ answers

def test_complete_answers_have_no_problems():
    inst = make_instrument()
    problems = core.check_answers(inst, {"l1": 1, "l2": 2, "l3": 3, "t1": 4, "t2": 5, "n1": 1})
    assert not problems


@pytest.mark.parametrize("answers, missing, unknown, invalid", [
    ({"l1": 1, "l2": 2, "l3": 3, "t1": 4, "t2": 5}, ["n1"], [], []),
    ({"l1": 1, "l2": 2, "l3": 3, "t1": 4, "t2": 5, "n1": 1, "zz": 3}, [], ["zz"], []),
    ({"l1": 0, "l2": 6, "l3": "3", "t1": True, "t2": 2.5, "n1": None}, [], [], ["l1", "l2", "l3", "t1", "t2", "n1"]),
    ({}, ["l1", "l2", "l3", "t1", "t2", "n1"], [], []),
])
def test_answer_problems_are_reported_by_id(answers, missing, unknown, invalid):
    problems = core.check_answers(make_instrument(), answers)
    assert bool(problems)
    assert (problems.missing, problems.unknown, problems.invalid) == (missing, unknown, invalid)


# ------------------------------------------------------------------------------------ validation

def broken(mutate):
    inst = make_instrument()
    mutate(inst)
    with pytest.raises(core.InstrumentError) as error:
        core.validate(inst)
    return str(error.value)


def test_valid_instrument_passes():
    core.validate(make_instrument())


@pytest.mark.parametrize("mutate, message", [
    (lambda i: i.update(scale=[]), "scale: at least one point is needed"),
    (lambda i: i["scale"][2].update(value="three"), "scale point 3: value 'three' is not a whole number"),
    (lambda i: i["scale"][3].update(value=2), "scale point 4: values must be in ascending order (3 then 2)"),
    (lambda i: i.update(themes=[]), "at least one theme is needed"),
    (lambda i: i["themes"][1].update(id="leadership"), "theme 'leadership': id is used more than once"),
    (lambda i: i["themes"][1]["statements"][0].update(id="l1"), "statement 'l1': id is used more than once"),
    (lambda i: i["themes"][1]["statements"][0].update(id="trust"), "statement 'trust': id is used more than once"),
    (lambda i: i["themes"][0]["statements"][0].update(id="has space"), "statement 'has space': an id may hold only"),
    (lambda i: i["themes"][1].update(statements=[]), "theme 'trust': at least one statement is needed"),
    (lambda i: i["themes"][1].update(bands=[]), "theme 'trust': at least one band is needed"),
    (lambda i: i["themes"][1]["bands"][1].update(upto=2.5), "theme 'trust': band upto values must increase"),
    (lambda i: i["themes"][1]["bands"][2].update(upto=4.5), "theme 'trust': band upto of the last must equal the scale maximum (5), not 4.5"),
    (lambda i: i["themes"][1]["bands"][0].update(upto="low"), "theme 'trust': band upto 'low' is not a number"),
    (lambda i: i["themes"][1]["statements"][0].update(text=""), "statement 't1': text is empty"),
    (lambda i: i["stages"][2].update(upto=2.0), "stage 'Co-ordination': 'upto' is no longer used"),
    (lambda i: i["stages"][2].update(id="co-existence"), "stage 'co-existence': id is used more than once"),
    (lambda i: i["stages"][2].update(label=""), "stage 'co-ordination': label is empty"),
    (lambda i: i["activities"][1].update(id="outreach"), "activity 'outreach': id is used more than once"),
    (lambda i: i["activities"][1].update(id="partnership"), "activity id 'partnership' is reserved"),
    (lambda i: i["activities"][1].update(label=""), "activity 'youth': label is empty"),
    (lambda i: i.update(stages=[]), "activities need stages to be placed on"),
])
def test_each_rule_names_the_element(mutate, message):
    assert message in broken(mutate)


def test_error_messages_translate_through_the_template():
    inst = make_instrument()
    inst["themes"][1]["bands"][1]["upto"] = 1.0
    with pytest.raises(core.InstrumentError) as error:
        core.validate(inst)
    translated = error.value.translated(lambda template: template.replace("must increase", "MUST INCREASE"))
    assert translated == "theme 'trust': band upto values MUST INCREASE"


def test_kind_is_checked():
    core.validate_kind("satisfaction")
    with pytest.raises(core.InstrumentError, match="kind 'survey' is not one of: partnership, individual, satisfaction"):
        core.validate_kind("survey")


# ------------------------------------------------------------------------------------ OLX

OLX = """
<lp_needs_assessment display_name="Health check" kind="partnership">
  <scale>
    <point value="1">Not in place</point> <point value="2">Starting</point> <point value="3">Partly in place</point>
    <point value="4">Mostly in place</point> <point value="5">Fully in place</point>
  </scale>
  <!-- comments are ignored -->
  <theme id="leadership" title="Leadership">
    <statement id="lead-remit">The partnership has a remit
       agreed by all partners.</statement>
    <statement id="lead-roles">Members' roles &amp; responsibilities are clearly defined.</statement>
    <band upto="2.5" label="Needs attention">Agree terms of reference: see /jump_to_id/remit</band>
    <band upto="3.75" label="Developing">Review.</band>
    <band upto="5" label="Strong">Share.</band>
  </theme>
  <stage id="co-existence" label="Co-existence">Plan and act
     independently.</stage> <stage id="co-operation" label="Co-operation">Share.</stage>
  <stage id="co-ordination" label="Co-ordination">Adjust.</stage>
  <stage id="collaboration" label="Collaboration">Pool.</stage> <stage id="co-ownership" label="Co-ownership">Own.</stage>
  <activity id="outreach">Adult outreach</activity>
</lp_needs_assessment>
"""


def test_parse_reads_the_contract_format():
    inst = parse_instrument(etree.fromstring(OLX))
    assert [p["value"] for p in inst["scale"]] == [1, 2, 3, 4, 5]
    theme = inst["themes"][0]
    assert theme["statements"][0] == {"id": "lead-remit", "text": "The partnership has a remit agreed by all partners."}
    assert theme["statements"][1]["text"] == "Members' roles & responsibilities are clearly defined."
    assert theme["bands"][0] == {"upto": 2.5, "label": "Needs attention", "text": "Agree terms of reference: see /jump_to_id/remit"}
    assert [s["label"] for s in inst["stages"]][-1] == "Co-ownership"
    assert inst["stages"][0] == {"id": "co-existence", "label": "Co-existence", "text": "Plan and act independently."}
    assert inst["activities"] == [{"id": "outreach", "label": "Adult outreach"}]


def test_write_then_parse_round_trips():
    inst = parse_instrument(etree.fromstring(OLX))
    node = etree.Element("lp_needs_assessment")
    write_instrument(inst, node)
    assert parse_instrument(node) == inst
    again = etree.Element("lp_needs_assessment")
    write_instrument(parse_instrument(node), again)
    assert etree.tostring(again) == etree.tostring(node)


def test_studio_string_round_trips():
    inst = parse_instrument(etree.fromstring(OLX))
    assert parse_instrument_string(instrument_to_string(inst)) == inst


@pytest.mark.parametrize("xml, message", [
    ("<i><scale><point value='1'>a</point></scale><theme id='t' title='T'><statement id='s'>x</statement>"
     "<band upto='1' label='b'>r</band><question/></theme></i>", "theme 't': unexpected element <question>"),
    ("<i><scale><point value='1'>a</point></scale><survey/></i>", "unexpected element <survey>"),
    ("<i><scale><point value='one'>a</point></scale></i>", "scale point 1: value 'one' is not a whole number"),
    ("<i><scale><point value='1'>a</point></scale><theme id='t' title='T'><statement id='s'>x</statement>"
     "<band upto='high' label='b'>r</band></theme></i>", "theme 't': band upto 'high' is not a number"),
    ("<i><scale><point value='1'>a</point></scale><scale><point value='2'>b</point></scale></i>", "only one <scale>"),
    ("<i><scale><point value='1'>a</point></scale><theme id='t' title='T'><statement id='s'>x</statement>"
     "<band upto='1' label='b'>r</band></theme><stage id='s1'/></i>", "stage: a stage has no label"),
    ("<i><scale><point value='1'>a</point></scale><theme id='t' title='T'><statement id='s'>x</statement>"
     "<band upto='1' label='b'>r</band></theme><stage upto='1' label='Co-existence'/></i>",
     "stage 'Co-existence': 'upto' is no longer used"),
    ("<i><scale>", "not well-formed XML"),
])
def test_parse_errors_name_the_element(xml, message):
    with pytest.raises(core.InstrumentError) as error:
        parse_instrument_string(xml)
    assert message in str(error.value)


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xml = (f'<!DOCTYPE i [<!ENTITY x SYSTEM "file://{secret}">]><i><scale><point value="1">&x;</point></scale>'
           '<theme id="t" title="T"><statement id="s">x</statement><band upto="1" label="b">r</band></theme></i>')
    try:
        inst = parse_instrument_string(xml)
    except core.InstrumentError:
        return
    assert "TOP SECRET" not in inst["scale"][0]["label"]


@pytest.mark.parametrize("filename, kind, themes", [
    ("partnership_health_check.xml", "partnership", {"leadership", "trust", "learning", "managing-for-performance", "openness",
                                                     "focus-and-set-up"}),
    ("learning_needs_analysis.xml", "individual", {"leadership", "trust", "learning", "managing-for-performance"}),
    ("satisfaction_survey.xml", "satisfaction", {"online-study", "workshops", "mentoring"}),
])
def test_shipped_scenarios_are_valid(filename, kind, themes):
    text = importlib.resources.files("lp_xblocks.needs_assessment").joinpath("scenarios", filename).read_text("utf-8")
    root = etree.fromstring(text.encode("utf-8"))
    assert root.get("kind") == kind
    inst = parse_instrument(root)
    assert themes <= {t["id"] for t in inst["themes"]}
    if kind == "partnership":
        assert [s["label"] for s in inst["stages"]] == [
            "Co-existence", "Co-operation", "Co-ordination", "Collaboration", "Co-ownership"]
