"""The scenario engine: graph validation, scoring, playing, and the scenario OLX (pure; no runtime, no database)."""
import copy
import importlib.resources

import pytest
from lxml import etree

from lp_xblocks.facilitation import scenario as core
from lp_xblocks.facilitation.olx import parse_scenario, parse_scenario_string, scenario_to_string, write_scenario


def choice(goto, points=0, principles=(), text=None):
    return {"text": text or f"go to {goto}", "feedback": f"feedback for {goto}", "goto": goto, "points": points,
            "principles": list(principles)}


def make_scenario():
    """
    opening -(2)-> round -(3)-> agreed        best path: 2 + 3 = 5
            \\       \\-(1)-> vote -(0)-> split
             \\-(0)-> vote -(1)-> agreed
    """
    return {
        "start": "opening",
        "pass_ratio": 0.6,
        "min_rows": 1,
        "principles": [
            {"id": "openness", "text": "Members feel able to talk honestly and freely"},
            {"id": "equal-voice", "text": "Members have an equal voice"},
            {"id": "ownership", "text": "Members take ownership of actions"},
        ],
        "scenes": [
            {"id": "opening", "title": "Opening", "narrative": "The college and the authority disagree.",
             "choices": [choice("round", 2, ["openness", "equal-voice"]), choice("vote", 0)]},
            {"id": "round", "title": "A round", "narrative": "Each partner speaks.",
             "choices": [choice("agreed", 3, ["ownership"]), choice("vote", 1)]},
            {"id": "vote", "title": "A vote", "narrative": "Hands go up.",
             "choices": [choice("split", 0), choice("agreed", 1, ["ownership"])]},
        ],
        "endings": [
            {"id": "agreed", "title": "Agreement with ownership", "text": "Actions have owners."},
            {"id": "split", "title": "A split board", "text": "Nobody is happy."},
        ],
    }


def scene(scenario, scene_id):
    return core.scenes_by_id(scenario)[scene_id]


# ------------------------------------------------------------------------------------ validation


def test_a_valid_scenario_passes():
    core.validate(make_scenario())


def broken(change):
    scenario = make_scenario()
    change(scenario)
    return scenario


@pytest.mark.parametrize("change, message", [
    (lambda s: scene(s, "round").update(id="opening"), "scene 'opening': id is used more than once"),
    (lambda s: s["endings"][1].update(id="vote"), "ending 'vote': id is used more than once"),
    (lambda s: s["principles"][0].update(id="agreed"), "ending 'agreed': id is used more than once"),
    (lambda s: s["principles"][1].update(id="bad id!"), "principle 'bad id!': an id may hold only"),
    (lambda s: s.update(start="nowhere"), "start 'nowhere' is not a scene or an ending"),
    (lambda s: s.update(start=""), "start: the first scene is not named"),
    (lambda s: scene(s, "round")["choices"][1].update(goto="nowhere"),
     "scene 'round', choice 2: goto 'nowhere' is not a scene or an ending"),
    (lambda s: scene(s, "round")["choices"][0].update(goto=""), "scene 'round', choice 1: goto is missing"),
    (lambda s: scene(s, "vote")["choices"][1].update(goto="round"),
     "scene 'vote', choice 2: goto 'round' makes a cycle (round -> vote -> round)"),
    (lambda s: scene(s, "vote")["choices"][0].update(goto="vote"),
     "scene 'vote', choice 1: goto 'vote' makes a cycle (vote -> vote)"),
    (lambda s: scene(s, "opening")["choices"].pop(1) and scene(s, "round")["choices"].pop(1),
     "scene 'vote' is not reachable from start 'opening'"),
    (lambda s: s["endings"].append({"id": "lost", "title": "Lost", "text": "Nobody gets here."}),
     "ending 'lost' is not reachable from start 'opening'"),
    (lambda s: scene(s, "vote").update(choices=[]), "scene 'vote' has no choices: every path must end in an ending"),
    (lambda s: scene(s, "round")["choices"][0].update(principles=["trust"]),
     "scene 'round', choice 1: principle 'trust' is not defined"),
    (lambda s: scene(s, "vote")["choices"][1].update(points=-1),
     "scene 'vote', choice 2: points '-1' must be a whole number from 0"),
    (lambda s: scene(s, "vote")["choices"][1].update(points="2"),
     "scene 'vote', choice 2: points '2' must be a whole number from 0"),
    (lambda s: scene(s, "vote")["choices"][1].update(points=1.5),
     "scene 'vote', choice 2: points '1.5' must be a whole number from 0"),
    (lambda s: scene(s, "vote")["choices"][1].update(points=True),
     "scene 'vote', choice 2: points 'True' must be a whole number from 0"),
    (lambda s: scene(s, "round").update(title=""), "scene 'round': title is empty"),
    (lambda s: scene(s, "round").update(narrative=""), "scene 'round': narrative is empty"),
    (lambda s: scene(s, "round")["choices"][0].update(feedback=""), "scene 'round', choice 1: feedback is empty"),
    (lambda s: s["endings"][0].update(text=""), "ending 'agreed': text is empty"),
    (lambda s: s["principles"][2].update(text=""), "principle 'ownership': text is empty"),
    (lambda s: s.update(scenes=[]), "at least one scene is needed"),
    (lambda s: s.update(endings=[]), "at least one ending is needed"),
    (lambda s: s.update(pass_ratio=1.5), "pass_ratio '1.5' must be a number from 0 to 1"),
    (lambda s: s.update(pass_ratio="most"), "pass_ratio 'most' must be a number from 0 to 1"),
    (lambda s: s.update(min_rows=-1), "action_plan min_rows '-1' must be a whole number from 0"),
    (lambda s: [c.update(points=0) for sc in s["scenes"] for c in sc["choices"]],
     "the best path is worth no points"),
])
def test_each_broken_rule_is_named(change, message):
    with pytest.raises(core.ScenarioError) as caught:
        core.validate(broken(change))
    assert message in str(caught.value)


def test_error_messages_translate_their_template():
    with pytest.raises(core.ScenarioError) as caught:
        core.validate(broken(lambda s: s.update(start="nowhere")))
    french = {"start '{start}' is not a scene or an ending": "le début '{start}' n'est ni une scène ni une fin"}
    assert caught.value.translated(lambda text: french.get(text, text)) == "le début 'nowhere' n'est ni une scène ni une fin"


def test_a_long_chain_validates_without_exhausting_the_stack():
    scenario = make_scenario()
    scenes = [{"id": f"s{n}", "title": f"Scene {n}", "narrative": "On we go.",
               "choices": [choice(f"s{n + 1}" if n < 2999 else "agreed", 1)]} for n in range(3000)]
    scenario.update(start="s0", scenes=scenes, endings=[scenario["endings"][0]])
    core.validate(scenario)
    assert core.max_points(scenario) == 3000


# ------------------------------------------------------------------------------------ scoring


def test_max_is_the_highest_scoring_path_not_the_greedy_one():
    scenario = make_scenario()
    # The richest first move (3 points) leads straight to an ending; the poorer one (1) opens a 5-point scene.
    scene(scenario, "opening")["choices"] = [choice("split", 3), choice("round", 1)]
    scene(scenario, "round")["choices"] = [choice("agreed", 5), choice("vote", 0)]
    core.validate(scenario)
    assert core.max_points(scenario) == 6
    assert core.outcome(scenario, [{"scene": "opening", "choice": 0}])["points"] == 3


def test_best_paths_values_every_node():
    scenario = make_scenario()
    assert core.best_paths(scenario) == {"agreed": 0, "split": 0, "vote": 1, "round": 3, "opening": 5}
    scene(scenario, "vote")["choices"][1]["points"] = 9
    assert core.best_paths(scenario) == {"agreed": 0, "split": 0, "vote": 9, "round": 10, "opening": 12}
    assert core.max_points(scenario) == 12


@pytest.mark.parametrize("points, maximum, ratio, expected", [
    (3, 5, 0.6, True),      # exactly the ratio passes (no float error: 3/5 == 0.6)
    (2, 5, 0.6, False),
    (7, 10, 0.7, True),
    (6, 10, 0.7, False),
    (1, 3, 1 / 3, True),
    (0, 5, 0, True),
    (5, 5, 1, True),
    (4, 5, 1, False),
    (0, 0, 0.5, False),
])
def test_pass_ratio(points, maximum, ratio, expected):
    assert core.passed(points, maximum, ratio) is expected


def test_outcome_of_a_path_points_pass_and_principles():
    scenario = make_scenario()
    best = core.outcome(scenario, [{"scene": "opening", "choice": 0}, {"scene": "round", "choice": 0}])
    assert (best["points"], best["max"], best["passed"]) == (5, 5, True)
    assert [p["id"] for p in best["demonstrated"]] == ["openness", "equal-voice", "ownership"]
    assert best["missed"] == []
    weak = core.outcome(scenario, [{"scene": "opening", "choice": 1}, {"scene": "vote", "choice": 1}])
    assert (weak["points"], weak["passed"]) == (1, False)
    assert [p["id"] for p in weak["demonstrated"]] == ["ownership"]
    assert weak["missed"] == [{"id": "openness", "text": "Members feel able to talk honestly and freely"},
                              {"id": "equal-voice", "text": "Members have an equal voice"}]
    middling = core.outcome(scenario, [{"scene": "opening", "choice": 0}, {"scene": "round", "choice": 1},
                                       {"scene": "vote", "choice": 1}])
    assert (middling["points"], middling["passed"]) == (4, True)  # 4/5 = 0.8 >= 0.6


def test_best_attempt_counts():
    assert core.best_of([]) is None
    assert core.best_of([1, 4, 2]) == 4


# ------------------------------------------------------------------------------------ playing


def test_play_moves_one_choice_at_a_time_and_never_changes_the_old_play():
    scenario = make_scenario()
    play = core.new_play(scenario)
    assert play == {"at": "opening", "path": [], "attempt": None}
    after, taken = core.choose(scenario, play, "opening", 1)
    assert play == {"at": "opening", "path": [], "attempt": None}
    assert after["at"] == "vote" and after["path"] == [{"scene": "opening", "choice": 1}]
    assert taken["goto"] == "vote"
    assert not core.at_ending(scenario, after)
    final, _ = core.choose(scenario, after, "vote", 0)
    assert core.at_ending(scenario, final) and final["at"] == "split"
    assert core.is_consistent(scenario, final)


@pytest.mark.parametrize("scene_id", ["vote", "round", "agreed", "", None, 3])
def test_only_a_choice_of_the_current_scene_is_accepted(scene_id):
    scenario = make_scenario()
    with pytest.raises(core.NotCurrent):
        core.choose(scenario, core.new_play(scenario), scene_id, 0)


def test_nothing_can_be_chosen_at_an_ending():
    scenario = make_scenario()
    ended = {"at": "agreed", "path": [{"scene": "opening", "choice": 1}, {"scene": "vote", "choice": 1}]}
    with pytest.raises(core.NotCurrent):
        core.choose(scenario, ended, "agreed", 0)
    with pytest.raises(core.NotCurrent):
        core.choose(scenario, ended, "vote", 0)


@pytest.mark.parametrize("index", [2, -1, 99, "0", 0.0, True, None])
def test_a_choice_the_scene_does_not_have_is_refused(index):
    scenario = make_scenario()
    with pytest.raises(core.NoSuchChoice) as caught:
        core.choose(scenario, core.new_play(scenario), "opening", index)
    assert "scene 'opening' has no choice" in str(caught.value)


def test_a_play_that_no_longer_fits_an_edited_scenario_is_inconsistent():
    scenario = make_scenario()
    play, _ = core.choose(scenario, core.new_play(scenario), "opening", 0)
    assert core.is_consistent(scenario, play)
    edited = copy.deepcopy(scenario)
    scene(edited, "opening")["choices"][0]["goto"] = "vote"
    assert not core.is_consistent(edited, play)
    assert not core.is_consistent(scenario, {"at": "round", "path": [{"scene": "opening", "choice": 7}]})
    assert not core.is_consistent(scenario, {"at": "gone", "path": []})
    assert not core.is_consistent(scenario, {"path": "nonsense"})
    assert not core.is_consistent(scenario, "nonsense")


def test_learner_views_leave_out_points_feedback_and_destinations():
    scenario = make_scenario()
    view = core.scene_view(scene(scenario, "opening"))
    assert view == {"id": "opening", "title": "Opening", "narrative": "The college and the authority disagree.",
                    "choices": [{"index": 0, "id": "1", "text": "go to round"}, {"index": 1, "id": "2", "text": "go to vote"}]}
    structure = core.structure(scenario)
    for item in structure["scenes"]:
        assert set(item) == {"id", "title", "narrative", "choices", "justify"}
        assert all(set(c) == {"index", "id", "text", "goto"} for c in item["choices"])
    assert set(structure) == {"start", "pass_ratio", "graded_attempt", "min_rows", "max_points", "principles", "scenes", "endings"}
    assert structure["max_points"] == 5
    assert structure["scenes"][0]["choices"][0] == {"index": 0, "id": "1", "text": "go to round", "goto": "round"}


def test_path_and_ending_views():
    scenario = make_scenario()
    path = [{"scene": "opening", "choice": 1}, {"scene": "vote", "choice": 1}]
    assert core.path_view(scenario, path) == [
        {"scene": "opening", "title": "Opening", "choice": 1, "choice_id": "2", "text": "go to vote"},
        {"scene": "vote", "title": "A vote", "choice": 1, "choice_id": "2", "text": "go to agreed"},
    ]
    ending = core.ending_view(scenario, "agreed", path)
    assert (ending["id"], ending["title"], ending["points"], ending["max"], ending["passed"]) == (
        "agreed", "Agreement with ownership", 1, 5, False)


def test_choice_report_lays_counts_over_the_scenario_with_zeros():
    scenario = make_scenario()
    report = core.choice_report(
        scenario,
        {("opening", 0): {"learners": 3, "times": 4}, ("gone", 0): {"learners": 9, "times": 9}},
        {"agreed": {"learners": 2, "attempts": 3}},
        {"started": 4, "finished": 2, "passed": 1},
    )
    assert report["learners"] == {"started": 4, "finished": 2, "passed": 1}
    assert [s["id"] for s in report["scenes"]] == ["opening", "round", "vote"]
    assert report["scenes"][0]["choices"] == [
        {"index": 0, "id": "1", "text": "go to round", "points": 2, "learners": 3, "times": 4},
        {"index": 1, "id": "2", "text": "go to vote", "points": 0, "learners": 0, "times": 0},
    ]
    assert report["endings"] == [
        {"id": "agreed", "title": "Agreement with ownership", "pass": True, "learners": 2, "attempts": 3},
        {"id": "split", "title": "A split board", "pass": True, "learners": 0, "attempts": 0},
    ]


# ------------------------------------------------------------------------------------ OLX

OLX = """
<lp_facilitation_exercise display_name="Chairing" start="opening" pass_ratio="0.6">
  <principle id="openness">Members feel able to talk honestly and freely</principle>
  <principle id="equal-voice">Members have an equal voice</principle>
  <scene id="opening" title="The agenda item nobody wants">
    <narrative>The college and the local authority
       disagree about who should run the courses.

       Forty minutes are set aside.</narrative>
    <choice goto="round" points="2" principles="openness equal-voice">
      <text>Invite each partner to state their position without interruption</text>
      <feedback>Giving each partner the floor builds trust.</feedback>
    </choice>
    <choice goto="vote"> <text>Move straight to a vote</text> <feedback>A vote makes a loser.</feedback> </choice>
  </scene>
  <scene id="round" title="A round">
    <narrative>Each partner speaks.</narrative>
    <choice goto="agreed" points="1"><text>Agree actions</text><feedback>Owned.</feedback></choice>
  </scene>
  <ending id="agreed" title="Agreement with ownership">Actions have owners.</ending>
  <ending id="vote" title="A split board">Nobody is happy.</ending>
  <action_plan min_rows="2"/>
</lp_facilitation_exercise>
"""


def test_parse_reads_the_contract_olx():
    scenario = parse_scenario(etree.fromstring(OLX))
    assert (scenario["start"], scenario["pass_ratio"], scenario["min_rows"]) == ("opening", 0.6, 2)
    opening = scenario["scenes"][0]
    # Runs of white space fold; a blank line separates paragraphs.
    assert opening["narrative"] == ("The college and the local authority disagree about who should run the courses."
                                    "\n\nForty minutes are set aside.")
    assert opening["choices"][0] == {
        "id": "1", "text": "Invite each partner to state their position without interruption",
        "feedback": "Giving each partner the floor builds trust.", "goto": "round", "points": 2,
        "principles": ["openness", "equal-voice"],
    }
    assert opening["choices"][1]["points"] == 0 and opening["choices"][1]["principles"] == []
    assert core.max_points(scenario) == 3


def test_defaults_when_pass_ratio_and_action_plan_are_left_out():
    xml = OLX.replace(' pass_ratio="0.6"', "").replace('<action_plan min_rows="2"/>', "")
    scenario = parse_scenario(etree.fromstring(xml))
    assert (scenario["pass_ratio"], scenario["min_rows"]) == (0.6, 1)


def test_write_then_parse_is_the_same_scenario_and_text():
    scenario = parse_scenario(etree.fromstring(OLX))
    node = etree.Element("lp_facilitation_exercise")
    write_scenario(scenario, node)
    assert parse_scenario(node) == scenario
    text = scenario_to_string(scenario)
    assert text.startswith('<scenario start="opening" pass_ratio="0.6" graded_attempt="best">')
    assert parse_scenario_string(text) == scenario
    assert scenario_to_string(parse_scenario_string(text)) == text


@pytest.mark.parametrize("edit, message", [
    (lambda x: x.replace('points="2"', 'points="two"'), "scene 'opening', choice 1: points 'two' must be a whole number"),
    (lambda x: x.replace('pass_ratio="0.6"', 'pass_ratio="high"'), "pass_ratio 'high' must be a number from 0 to 1"),
    (lambda x: x.replace('pass_ratio="0.6"', 'pass_ratio="nan"'), "pass_ratio 'nan' must be a number from 0 to 1"),
    (lambda x: x.replace('min_rows="2"', 'min_rows="some"'), "action_plan min_rows 'some' must be a whole number"),
    (lambda x: x.replace("<narrative>Each", "<picture/><narrative>Each"), "scene 'round': unexpected element <picture>"),
    (lambda x: x.replace("<text>Agree actions</text>", "<text>Agree</text><text>actions</text>"),
     "scene 'round', choice 1: only one <text> is allowed"),
    (lambda x: x.replace("<text>Agree actions</text>", "<text>Agree</text><hint>no</hint>"),
     "scene 'round', choice 1: unexpected element <hint>"),
    (lambda x: x.replace("<narrative>Each partner speaks.</narrative>", "<narrative>a</narrative><narrative>b</narrative>"),
     "scene 'round': only one <narrative> is allowed"),
    (lambda x: x.replace('<action_plan min_rows="2"/>', '<action_plan/><action_plan/>'),
     "only one <action_plan> is allowed"),
    (lambda x: x.replace('<ending id="vote"', '<outcome id="x"/><ending id="vote"'), "unexpected element <outcome>"),
    (lambda x: x.replace('goto="agreed"', 'goto="opening"'),
     "scene 'round', choice 1: goto 'opening' makes a cycle (opening -> round -> opening)"),
])
def test_olx_errors_name_the_element(edit, message):
    with pytest.raises(core.ScenarioError) as caught:
        parse_scenario(etree.fromstring(edit(OLX)))
    assert message in str(caught.value)


def test_malformed_studio_xml_is_a_scenario_error():
    with pytest.raises(core.ScenarioError, match="not well-formed XML"):
        parse_scenario_string("<scenario start='a'><scene>")


def test_entities_are_never_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    text = scenario_to_string(parse_scenario(etree.fromstring(OLX)))
    xml = (f'<!DOCTYPE scenario [<!ENTITY big "BIG"><!ENTITY file SYSTEM "{secret.as_uri()}">]>'
           + text.replace("Actions have owners.", "&big; &file;"))
    ending = parse_scenario_string(xml)["endings"][0]["text"]
    assert "BIG" not in ending and "TOP SECRET" not in ending


# ------------------------------------------------------------------------------------ the workbench scenarios

SCENARIO_FILES = ("contentious_meeting.xml", "reluctant_partner.xml", "one_voice.xml")


@pytest.mark.parametrize("filename", SCENARIO_FILES)
def test_each_shipped_scenario_is_valid_and_rich_enough(filename):
    xml = importlib.resources.files("lp_xblocks.facilitation").joinpath("scenarios", filename).read_text("utf-8")
    root = etree.fromstring(xml.encode("utf-8"))
    scenario = parse_scenario(root)
    assert root.tag == "lp_facilitation_exercise" and root.get("display_name")
    assert len(scenario["scenes"]) >= 6 and len(scenario["endings"]) >= 3
    assert len(scenario["principles"]) >= 4
    assert all(len(s["choices"]) >= 2 for s in scenario["scenes"])
    assert len(_all_paths(scenario)) >= 6
    # Every principle can be put into practice somewhere, and feedback always says why.
    named = {p for s in scenario["scenes"] for c in s["choices"] for p in c["principles"]}
    assert named == {p["id"] for p in scenario["principles"]}
    assert all(len(c["feedback"].split()) >= 15 for s in scenario["scenes"] for c in s["choices"])
    # A best path passes; an all-zero path exists and does not.
    assert core.max_points(scenario) >= 8
    endings_by_points = {core.outcome(scenario, path)["passed"] for path in _all_paths(scenario)}
    assert endings_by_points == {True, False}


def _all_paths(scenario):
    scenes = core.scenes_by_id(scenario)
    paths = []

    def walk(node, path):
        if node not in scenes:
            paths.append(path)
            return
        for index, option in enumerate(scenes[node]["choices"]):
            walk(option["goto"], path + [{"scene": node, "choice": index}])

    walk(scenario["start"], [])
    return paths
