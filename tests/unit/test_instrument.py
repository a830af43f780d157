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
            {"upto": 1.8, "label": "Co-existence"}, {"upto": 2.6, "label": "Co-operation"},
            {"upto": 3.4, "label": "Co-ordination"}, {"upto": 4.2, "label": "Collaboration"},
            {"upto": 5, "label": "Co-ownership"},
        ],
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


def test_overall_is_mean_of_theme_scores_and_stage_first_reaching_it():
    inst = make_instrument()
    result = core.score(inst, {"l1": 4, "l2": 4, "l3": 3, "t1": 2, "t2": 3, "n1": 5})
    assert result["overall"] == 3.72  # (3.67 + 2.5 + 5) / 3 = 3.7233
    assert result["stage"] == "Collaboration"


def test_stage_boundaries_are_inclusive():
    inst = make_instrument()
    inst["themes"] = inst["themes"][2:]  # one single-statement theme: overall == the answer
    assert core.score(inst, {"n1": 1})["stage"] == "Co-existence"
    assert core.score(inst, {"n1": 5})["stage"] == "Co-ownership"


def test_no_stages_gives_none():
    inst = make_instrument()
    inst["stages"] = []
    assert core.score(inst, {"l1": 1, "l2": 1, "l3": 1, "t1": 1, "t2": 1, "n1": 1})["stage"] is None


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
    (lambda i: i["stages"][2].update(upto=2.0), "stage upto values must increase"),
    (lambda i: i["stages"].pop(), "stage upto of the last must equal the scale maximum (5), not 4.2"),
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
  <stage upto="1.8" label="Co-existence"/> <stage upto="2.6" label="Co-operation"/> <stage upto="3.4" label="Co-ordination"/>
  <stage upto="4.2" label="Collaboration"/> <stage upto="5" label="Co-ownership"/>
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
     "<band upto='1' label='b'>r</band></theme><stage upto='1'/></i>", "stage: a stage has no label"),
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
    ("partnership_health_check.xml", "partnership", {"leadership", "trust", "learning", "managing-for-performance", "openness"}),
    ("learning_needs_analysis.xml", "individual", {"budget-management", "chairing-meetings", "facilitation-skills"}),
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
