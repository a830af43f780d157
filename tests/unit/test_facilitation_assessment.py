"""
The facilitation exercise as an assessment (pure): shuffled choices, the pass rule, graded-attempt
policies, the assessment warnings, and the shipped assessed exercises played by simulated learners.
"""
import importlib.resources
import itertools

import pytest
from lxml import etree

from lp_xblocks.facilitation import scenario as core
from lp_xblocks.facilitation.olx import parse_scenario, parse_scenario_string, scenario_to_string


def choice(ident, goto, points=0, text=None):
    return {"id": ident, "text": text or f"take {ident}", "feedback": f"feedback on {ident}", "goto": goto,
            "points": points, "principles": []}


def make_scenario():
    """
    open -(a 2)-> mid -(c 2)-> good (pass)       best path 4; pass at 0.75 = 3 points
         \\-(b 0)-> mid -(d 1)-> poor (fail)
                        \\-(e 0)-> good
    """
    return {
        "start": "open", "pass_ratio": 0.75, "min_rows": 0, "graded_attempt": "first", "principles": [],
        "scenes": [
            {"id": "open", "title": "Open", "narrative": "N", "choices": [choice("a", "mid", 2), choice("b", "mid", 0)]},
            {"id": "mid", "title": "Mid", "narrative": "N",
             "choices": [choice("c", "good", 2), choice("d", "poor", 1), choice("e", "good", 0)]},
        ],
        "endings": [
            {"id": "good", "title": "Good", "text": "T", "pass": True},
            {"id": "poor", "title": "Poor", "text": "T", "pass": False},
        ],
    }


# ------------------------------------------------------------------------------------ shuffling


def test_display_order_is_a_permutation_stable_for_the_same_seed():
    seed = core.shuffle_seed("block-1", "ann", 1)
    order = core.display_order(seed, "mid", 5)
    assert sorted(order) == [0, 1, 2, 3, 4]
    assert core.display_order(core.shuffle_seed("block-1", "ann", 1), "mid", 5) == order


def test_display_order_differs_between_learners_attempts_scenes_and_blocks():
    orders = {tuple(core.display_order(core.shuffle_seed(block, learner, attempt), scene, 4))
              for block, learner, attempt, scene in itertools.product(
                  ("b1", "b2"), ("ann", "bob", "cy"), (1, 2, 3), ("open", "mid"))}
    assert len(orders) >= 15  # 36 seeds over 24 permutations: far from one order for all


def test_display_order_puts_each_choice_first_about_equally_often():
    firsts = [core.display_order(core.shuffle_seed("b", f"learner-{n}", 1), "scene", 3)[0] for n in range(3000)]
    for index in range(3):
        assert 850 < firsts.count(index) < 1150


def test_scene_view_shows_the_shuffled_order_but_keeps_author_indexes_and_ids():
    scenario = make_scenario()
    mid = core.scenes_by_id(scenario)["mid"]
    view = core.scene_view(mid, [2, 0, 1])
    assert [(c["index"], c["id"]) for c in view["choices"]] == [(2, "e"), (0, "c"), (1, "d")]
    assert [c["id"] for c in mid["choices"]] == ["c", "d", "e"]  # the author's order is untouched
    assert "justify" not in view


def test_a_key_decision_shows_its_criteria():
    scenario = make_scenario()
    scenario["scenes"][1]["justify"] = ["LPM3-2.1"]
    view = core.scene_view(scenario["scenes"][1], None, {"LPM3-2.1": "Evaluate own use of techniques"})
    assert view["justify"] == [{"id": "LPM3-2.1", "text": "Evaluate own use of techniques"}]


# ------------------------------------------------------------------------------------ the pass rule


@pytest.mark.parametrize("path, points, ending, passed", [
    ([("open", 0), ("mid", 0)], 4, "good", True),     # full marks, passing ending
    ([("open", 0), ("mid", 1)], 3, "poor", False),    # ratio met, failing ending
    ([("open", 1), ("mid", 0)], 2, "good", False),    # passing ending, ratio not met
    ([("open", 0), ("mid", 2)], 2, "good", False),
    ([("open", 1), ("mid", 1)], 1, "poor", False),
])
def test_a_pass_needs_the_ratio_and_a_passing_ending(path, points, ending, passed):
    scenario = make_scenario()
    steps = [{"scene": scene, "choice": index} for scene, index in path]
    result = core.outcome(scenario, steps)
    assert (result["points"], result["passed"]) == (points, passed)
    assert core.path_end(scenario, steps) == ending
    assert result["ending_passes"] is (ending == "good")
    assert result["ratio_met"] is (points >= 3)


def test_passed_is_exact_and_needs_the_ending():
    assert core.passed(3, 5, 0.6) and core.passed(3, 5, 0.6, True)
    assert not core.passed(5, 5, 0.6, False)
    assert not core.passed(2, 5, 0.6, True)
    assert not core.passed(0, 0, 0)


def test_endings_default_to_passing_and_validation_needs_one_passing_ending():
    scenario = make_scenario()
    del scenario["endings"][0]["pass"]
    assert core.ending_passes(scenario["endings"][0])
    core.validate(scenario)
    scenario["endings"][0]["pass"] = False
    with pytest.raises(core.ScenarioError, match="no ending is marked"):
        core.validate(scenario)
    scenario["endings"][0]["pass"] = "yes"
    with pytest.raises(core.ScenarioError, match="pass must be true or false"):
        core.validate(scenario)


def test_graded_attempt_must_be_a_known_policy():
    scenario = make_scenario()
    scenario["graded_attempt"] = "worst"
    with pytest.raises(core.ScenarioError, match="graded_attempt 'worst' must be first, best or last"):
        core.validate(scenario)


# ------------------------------------------------------------------------------------ graded attempts


HISTORY = [
    {"attempt": 1, "points": 3, "passed": False},   # ratio met, failing ending
    {"attempt": 2, "points": 4, "passed": True},
    {"attempt": 4, "points": 2, "passed": False},
]


@pytest.mark.parametrize("policy, attempt", [("first", 1), ("best", 2), ("last", 4)])
def test_the_policy_picks_the_attempt_that_counts(policy, attempt):
    assert core.graded_attempt(HISTORY, policy)["attempt"] == attempt


def test_no_attempt_counts_before_one_finishes():
    for policy in core.GRADED_ATTEMPTS:
        assert core.graded_attempt([], policy) is None


def test_first_counts_only_the_first_attempt_even_when_it_never_finished():
    later = [{"attempt": 2, "points": 4, "passed": True}]
    assert core.graded_attempt(later, "first") is None
    assert core.is_practice("first", 2) and not core.is_practice("first", 1)
    assert not core.is_practice("best", 5) and not core.is_practice("last", 5)


def test_best_prefers_a_pass_to_more_points_and_the_earliest_of_equals():
    history = [{"attempt": 1, "points": 5, "passed": False}, {"attempt": 2, "points": 4, "passed": True},
               {"attempt": 3, "points": 4, "passed": True}]
    assert core.graded_attempt(history, "best")["attempt"] == 2


# ------------------------------------------------------------------------------------ OLX


def test_olx_carries_policy_choice_ids_pass_and_justify_and_round_trips():
    scenario = make_scenario()
    scenario["scenes"][1]["justify"] = ["LPM3-2.1", "LPM3-3.1"]
    text = scenario_to_string(scenario)
    assert 'graded_attempt="first"' in text and 'pass="false"' in text and 'justify="LPM3-2.1 LPM3-3.1"' in text
    assert '<choice id="e" goto="good" points="0">' in text
    assert parse_scenario_string(text) == scenario


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace('pass="false"', 'pass="maybe"'), "ending 'poor': pass must be true or false"),
    (lambda t: t.replace('id="d"', 'id="c"'), "scene 'mid', choice 2: choice 'c': id is used more than once"),
    (lambda t: t.replace('graded_attempt="first"', 'graded_attempt="sometimes"'), "graded_attempt 'sometimes'"),
])
def test_bad_assessment_attributes_are_named(edit, message):
    text = edit(scenario_to_string(make_scenario()))
    with pytest.raises(core.ScenarioError, match=message):
        parse_scenario_string(text)


# ------------------------------------------------------------------------------------ warnings


def messages(scenario):
    return [str(item) for item in core.warnings(scenario)]


def test_a_balanced_scenario_has_no_warnings():
    scenario = make_scenario()
    # best choices at positions 2 and 1, neither the longest; the failing ending is reached with at most 2
    # points and the passing ending only with all 4
    scenario["scenes"][0]["choices"] = [choice("b", "poor", 0, "a long, long, long distractor"), choice("a", "mid", 2)]
    scenario["scenes"][1]["choices"] = [choice("c", "good", 2), choice("d", "poor", 0, "a long, long, long distractor")]
    assert messages(scenario) == []


def test_warns_when_the_best_choice_keeps_its_position_or_is_the_longest():
    scenario = make_scenario()
    scenario["scenes"][0]["choices"][0]["text"] = "the longest text of all the choices here"
    scenario["scenes"][1]["choices"][0]["text"] = "the longest text of all the choices here"
    found = messages(scenario)
    assert "the best choice is choice 1 in 2 of 2 scenes: spread the best choices across positions" in found
    assert "the best choice is the longest in 2 of 2 scenes: vary the lengths so that length does not give the " \
           "answer away" in found


def test_warns_when_a_failing_ending_can_be_reached_with_a_passing_score():
    found = messages(make_scenario())
    assert ("failing ending 'poor' can be reached with 3 of 4 points, which meets the pass ratio: lower the points "
            "on the paths to it or raise pass_ratio") in found


def test_warns_when_a_passing_ending_can_be_reached_with_a_failing_score():
    found = messages(make_scenario())
    assert ("passing ending 'good' can be reached with only 0 of 4 points, below the pass ratio: a learner could "
            "reach it and still fail") in found


def test_score_ranges_are_the_fewest_and_most_points_into_each_ending():
    assert core.score_ranges(make_scenario()) == {"good": (0, 4), "poor": (1, 3)}


# ------------------------------------------------------------------------------------ the shipped exercises


SHIPPED = ("contentious_meeting.xml", "reluctant_partner.xml", "one_voice.xml")
ASSESSED = ("reluctant_partner.xml", "one_voice.xml")   # the exercises LPM3 requires (graded_attempt="first")
LEARNERS = 200


def shipped(name):
    text = importlib.resources.files("lp_xblocks.facilitation").joinpath("scenarios", name).read_text("utf-8")
    return parse_scenario(etree.fromstring(text.encode("utf-8")))


def play_by(scenario, pick, learner, block_key="block-v1:LPN+LPM+2026+type@lp_facilitation_exercise+block@x"):
    """Play one attempt as a learner who always takes ``pick`` of the choices as displayed to them."""
    seed = core.shuffle_seed(block_key, learner, 1)
    scenes, path, at = core.scenes_by_id(scenario), [], scenario["start"]
    while at in scenes:
        scene = scenes[at]
        shown = core.scene_view(scene, core.display_order(seed, at, len(scene["choices"])))["choices"]
        index = pick(shown)["index"]
        path.append({"scene": at, "choice": index})
        at = scene["choices"][index]["goto"]
    return core.outcome(scenario, path)


def every_path(scenario):
    scenes = core.scenes_by_id(scenario)
    stack = [(scenario["start"], [])]
    while stack:
        at, path = stack.pop()
        if at not in scenes:
            yield at, path
            continue
        for index, item in enumerate(scenes[at]["choices"]):
            stack.append((item["goto"], path + [{"scene": at, "choice": index}]))


@pytest.mark.parametrize("name", ASSESSED)
def test_always_choosing_the_first_displayed_option_passes_fewer_than_5_percent(name):
    scenario = shipped(name)
    passes = sum(play_by(scenario, lambda shown: shown[0], f"learner-{n}")["passed"] for n in range(LEARNERS))
    assert passes < LEARNERS * 0.05, f"{passes} of {LEARNERS} passed by always taking the first option shown"


@pytest.mark.parametrize("name", ASSESSED)
def test_always_choosing_the_longest_option_passes_for_nobody(name):
    scenario = shipped(name)
    longest = lambda shown: max(shown, key=lambda item: len(item["text"]))  # noqa: E731
    assert not any(play_by(scenario, longest, f"learner-{n}")["passed"] for n in range(LEARNERS))


@pytest.mark.parametrize("name", SHIPPED)
def test_every_path_into_a_failing_ending_fails_and_into_a_passing_one_passes(name):
    scenario = shipped(name)
    endings = core.endings_by_id(scenario)
    paths = list(every_path(scenario))
    assert len(paths) >= 20
    for ending, path in paths:
        assert core.outcome(scenario, path)["passed"] is core.ending_passes(endings[ending]), (ending, path)
    assert any(not core.ending_passes(ending) for ending in scenario["endings"])


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_scenarios_raise_no_assessment_warnings(name):
    assert [str(item) for item in core.warnings(shipped(name))] == []


@pytest.mark.parametrize("name", SHIPPED)
def test_best_choices_are_spread_across_positions_and_have_three_options(name):
    scenario = shipped(name)
    best = core.best_paths(scenario)
    positions = [core._best_index(scenario, scene, best) for scene in scenario["scenes"]]  # pylint: disable=protected-access
    assert all(len(scene["choices"]) == 3 for scene in scenario["scenes"])
    assert max(positions.count(index) for index in range(3)) * 2 <= len(positions)


@pytest.mark.parametrize("name, policy, justified", [
    ("reluctant_partner.xml", "first", 2), ("one_voice.xml", "first", 2), ("contentious_meeting.xml", "best", 0)])
def test_assessed_exercises_count_the_first_attempt_and_ask_for_justifications(name, policy, justified):
    scenario = shipped(name)
    assert scenario["graded_attempt"] == policy
    keyed = [scene for scene in scenario["scenes"] if scene.get("justify")]
    assert len(keyed) == justified
    assert all(all(ident.startswith("LPM3-") for ident in scene["justify"]) for scene in keyed)


@pytest.mark.parametrize("name", ASSESSED)
def test_a_learner_choosing_at_random_passes_less_than_one_time_in_forty(name):
    """The exact chance, over every path, that uniformly random choices pass: the 200-learner figure's expectation."""
    from fractions import Fraction
    scenario = shipped(name)
    scenes = core.scenes_by_id(scenario)
    chance = Fraction(0)
    for _ending, path in every_path(scenario):
        weight = Fraction(1)
        for step in path:
            weight /= len(scenes[step["scene"]]["choices"])
        if core.outcome(scenario, path)["passed"]:
            chance += weight
    assert chance < Fraction(1, 40), float(chance)
