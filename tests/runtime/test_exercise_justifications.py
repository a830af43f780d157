"""
An assessed facilitation exercise's written justifications flow into the tutors' one marking queue (the
reflective log of the same unit) and are marked there; the pass rule and the graded attempt in the block.
SDK WorkbenchRuntime, Django test database (the workbench's usage ids carry no course, so every block here
shares the course '').
"""
import pytest

from lp_xblocks.data.models import FacilitationAttempt, ReflectiveEntry
from lp_xblocks.facilitation import scenario as core
from tests.conftest import call_handler

# open -(a 2)-> key -(c 4)-> good (pass)          max 6; pass at 0.8 needs 5 (4.8)
#      \-(b 0)-> key -(d 0)-> poor (fail)
# The key decision is justified against LPM3-2.3 and LPM3-1.1.
EXERCISE = """
<lp_facilitation_exercise display_name="Reluctant partner" start="open" pass_ratio="0.8" graded_attempt="{policy}">
  <scene id="open" title="The empty chair">
    <narrative>Northgate has missed three meetings.</narrative>
    <choice id="a" goto="key" points="2"><text>Visit the head</text><feedback>Listening first.</feedback></choice>
    <choice id="b" goto="key" points="0"><text>Write to the director</text><feedback>Pressure.</feedback></choice>
  </scene>
  <scene id="key" title="When it gets hard" justify="LPM3-2.3 LPM3-1.1">
    <narrative>The college sends out a leaflet in its own name.</narrative>
    <choice id="c" goto="good" points="4"><text>Raise it in the group</text><feedback>Open.</feedback></choice>
    <choice id="d" goto="poor" points="0"><text>Smooth it over</text><feedback>Hidden.</feedback></choice>
  </scene>
  <ending id="good" title="Co-ownership" pass="true">Shared.</ending>
  <ending id="poor" title="Fragile" pass="false">Guarded.</ending>
  <action_plan min_rows="0"/>
</lp_facilitation_exercise>
"""

LOG = """
<lp_reflective_log display_name="Reflective log: facilitating partnership" min_words="5" max_words="400">
  <prompt>Reflect on facilitating partners.</prompt>
  <criterion id="LPM3-1.1">Explain how trust and openness between partners can be built and sustained</criterion>
  <criterion id="LPM3-2.3">Justify own facilitation decisions at key points of a disagreement between partners</criterion>
  <entry_type id="workplace">Workplace activity</entry_type>
</lp_reflective_log>
"""

OTHER_UNIT_LOG = LOG.replace("LPM3-1.1", "LPM1-1.1").replace("LPM3-2.3", "LPM1-1.2")

WHY = ("I raised the leaflet in the planning group rather than privately because the partners need to see that a "
       "breach is named and settled in the open; the cost is some embarrassment for the college, which I reduced by "
       "asking what happened before assuming bad faith.")


def ok(reply):
    status, body, _ = reply
    assert status == 200, body
    return body


@pytest.fixture
def blocks(workbench_block):
    def make(policy="first"):
        return workbench_block(EXERCISE.format(policy=policy)), workbench_block(LOG)
    return make


def choose(exercise, student, scene, index, **extra):
    return call_handler(exercise(student), "choose", {"scene": scene, "choice": index, **extra})


# ------------------------------------------------------------------------------ the learner writes it


def test_a_key_decision_shows_its_criteria_and_needs_a_justification(blocks):
    exercise, _log = blocks()
    ok(choose(exercise, "ann", "open", 0))
    state = ok(call_handler(exercise("ann"), "state", {}))
    assert [item["id"] for item in state["scene"]["justify"]] == ["LPM3-2.3", "LPM3-1.1"]
    assert state["scene"]["justify"][0]["text"].startswith("Justify own facilitation decisions")
    status, body, _ = choose(exercise, "ann", "key", 0)
    assert (status, body["field"]) == (400, "justification")
    status, body, _ = choose(exercise, "ann", "key", 0, justification="Because it is best.")
    assert status == 400 and "between 20 and 400 words (you wrote 4)" in body["error"]
    status, body, _ = choose(exercise, "ann", "key", 0, justification=["not", "text"])
    assert (status, body["field"]) == (400, "justification")
    assert exercise("ann").play["at"] == "key"          # nothing moved
    assert ReflectiveEntry.objects.count() == 0


def test_the_justification_is_stored_as_a_submitted_entry_with_the_move_and_criteria(blocks):
    exercise, _log = blocks()
    ok(choose(exercise, "ann", "open", 0))
    ok(choose(exercise, "ann", "key", 0, justification=WHY))
    entry = ReflectiveEntry.objects.get()
    assert (entry.kind, entry.unit, entry.attempt, entry.scene_id, entry.status, entry.version) == (
        "exercise_justification", "LPM3", 1, "key", "submitted", 1)
    version = entry.versions.get()
    assert version.criteria == ["LPM3-2.3", "LPM3-1.1"] and version.submission_uuid
    assert "Move chosen: Raise it in the group" in version.body and WHY in version.body
    assert entry.title == "Reluctant partner: When it gets hard"
    (event,) = exercise.events.of("lp.facilitation_exercise.justified")
    assert event == {"attempt": 1, "scene": "key", "criteria": ["LPM3-2.3", "LPM3-1.1"], "words": len(WHY.split())}


def test_practice_attempts_ask_for_no_justification(blocks):
    exercise, _log = blocks()
    ok(choose(exercise, "bob", "open", 1))
    ok(choose(exercise, "bob", "key", 1, justification=WHY))     # attempt 1 ends in a failing ending
    ok(call_handler(exercise("bob"), "restart", {}))
    state = ok(call_handler(exercise("bob"), "state", {}))
    assert state["practice"] is True and "justify" not in state["scene"]
    ok(choose(exercise, "bob", "open", 0))
    body = ok(choose(exercise, "bob", "key", 0))                 # no justification needed, none stored
    assert body["ending"]["passed"] is True
    assert ReflectiveEntry.objects.filter(student_id="bob").count() == 1
    # The first attempt counts: the practice pass changes nothing.
    assert body["best"] == {"points": 0, "max": 6, "passed": False, "attempt": 1}
    assert list(FacilitationAttempt.objects.filter(student_id="bob").order_by("attempt")
                .values_list("attempt", "passed", "practice")) == [(1, False, False), (2, False, True)]


# ------------------------------------------------------------------------------ the tutor marks it


def test_the_justification_waits_in_the_units_log_queue_and_not_in_another_units(blocks, workbench_block):
    exercise, log = blocks()
    other = workbench_block(OTHER_UNIT_LOG)
    ok(choose(exercise, "cy", "open", 0))
    ok(choose(exercise, "cy", "key", 0, justification=WHY))
    queue = ok(call_handler(log("tutor"), "queue", {}))
    assert queue["counts"] == {"submitted": 1, "referred": 0, "passed": 0}
    (row,) = queue["entries"]
    assert (row["kind"], row["learner"], row["title"]) == (
        "exercise_justification", "cy", "Reluctant partner: When it gets hard")
    assert ok(call_handler(other("tutor"), "queue", {}))["counts"]["submitted"] == 0


def test_the_tutor_opens_it_with_marking_guidance_and_marks_it_and_coverage_counts_it(blocks):
    exercise, log = blocks()
    ok(choose(exercise, "dee", "open", 0))
    ok(choose(exercise, "dee", "key", 0, justification=WHY))
    entry_id = ok(call_handler(log("tutor"), "queue", {}))["entries"][0]["entry_id"]
    opened = ok(call_handler(log("tutor"), "open_entry", {"entry_id": entry_id}))
    assert opened["can_mark"] is True and opened["entry"]["kind"] == "exercise_justification"
    guidance = opened["guidance"]["LPM3-2.3"]
    assert guidance["met"] and guidance["exemplar_met"] and guidance["exemplar_not_yet"] and guidance["evidence"]
    marked = ok(call_handler(log("tutor"), "mark_entry", {
        "entry_id": entry_id, "version": 1, "decision": "pass", "feedback": "Names the alternative and its cost.",
        "criteria": {"LPM3-2.3": {"decision": "met"}, "LPM3-1.1": {"decision": "met"}}}))
    assert marked["entry"]["status"] == "passed" and marked["score"] == {"points": 2, "possible": 2}
    # The learner's coverage in the log counts the marked justification.
    mine = ok(call_handler(log("dee"), "portfolio", {}))
    assert mine["score"] == {"points": 2, "possible": 2}
    assert [entry["kind"] for entry in mine["entries"]] == ["exercise_justification"]
    (event,) = log.events.of("lp.reflective_log.marked")
    assert event["criteria_met"] == ["LPM3-2.3", "LPM3-1.1"]


def test_a_referred_justification_and_learners_cannot_reach_justifications_through_the_log(blocks):
    exercise, log = blocks()
    ok(choose(exercise, "eve", "open", 0))
    ok(choose(exercise, "eve", "key", 0, justification=WHY))
    entry_id = ok(call_handler(log("tutor"), "queue", {}))["entries"][0]["entry_id"]
    ok(call_handler(log("tutor"), "mark_entry", {
        "entry_id": entry_id, "version": 1, "decision": "refer", "feedback": "Say what you weighed against it.",
        "criteria": {"LPM3-2.3": {"decision": "not_yet_met"}, "LPM3-1.1": {"decision": "met"}}}))
    assert ok(call_handler(log("tutor"), "queue", {"status": "referred"}))["counts"]["referred"] == 1
    # Another learner cannot open it; nor can its owner edit it as if it were a log entry.
    assert call_handler(log("fay"), "open_entry", {"entry_id": entry_id})[0] == 403
    assert call_handler(log("eve"), "save_draft", {"entry_id": entry_id, "title": "x"})[0] == 404


# ------------------------------------------------------------------------------ pass rule and graded attempts


def test_the_rule_is_in_the_state_and_on_the_page_before_the_first_move(blocks):
    exercise, _log = blocks()
    state = ok(call_handler(exercise("gil"), "state", {}))
    assert state["rule"] == {"pass_ratio": 0.8, "percent": 80, "graded_attempt": "first"}
    assert state["practice"] is False and state["attempt"] == 1
    html = exercise("gil").render("student_view").content
    assert "Only your first attempt counts" in html and "an ending that shows a successful outcome" in html
    assert "At 1 key decision you will write a short justification" in html


def test_first_attempt_cannot_be_restarted_mid_way_but_practice_can(blocks):
    exercise, _log = blocks()
    ok(choose(exercise, "hal", "open", 1))
    status, body, _ = call_handler(exercise("hal"), "restart", {})
    assert status == 409 and "finish it before you practise" in body["error"]
    ok(choose(exercise, "hal", "key", 1, justification=WHY))
    ok(call_handler(exercise("hal"), "restart", {}))
    ok(choose(exercise, "hal", "open", 1))
    assert ok(call_handler(exercise("hal"), "restart", {}))["attempts"] == 2


@pytest.mark.parametrize("policy, grades, result", [
    ("first", [{"value": 0, "max_value": 6}], {"points": 0, "passed": False, "attempt": 1}),
    ("best", [{"value": 0, "max_value": 6}, {"value": 6, "max_value": 6}], {"points": 6, "passed": True, "attempt": 2}),
    ("last", [{"value": 0, "max_value": 6}, {"value": 6, "max_value": 6}, {"value": 2, "max_value": 6}],
     {"points": 2, "passed": False, "attempt": 3}),
])
def test_graded_attempt_policies_decide_the_grade(blocks, policy, grades, result):
    exercise, _log = blocks(policy)
    for attempt, (first, second) in enumerate(((1, 1), (0, 0), (0, 1)), start=1):  # 0 fail, 6 pass, 2 fail
        extra = {"justification": WHY} if policy != "first" or attempt == 1 else {}  # practice asks for none
        ok(choose(exercise, "ivy", "open", first))
        body = ok(choose(exercise, "ivy", "key", second, **extra))
        ok(call_handler(exercise("ivy"), "restart", {}))
    assert exercise.events.of("grade") == grades
    assert ok(call_handler(exercise("ivy"), "state", {}))["best"] == {**result, "max": 6}
    assert body["ending"]["id"] == "poor" and body["ending"]["ratio_met"] is False


def test_a_high_score_into_a_failing_ending_fails(workbench_block):
    exercise = workbench_block(EXERCISE.format(policy="best").replace(
        '<choice id="d" goto="poor" points="0">', '<choice id="d" goto="poor" points="4">'))
    ok(choose(exercise, "jo", "open", 0))
    body = ok(choose(exercise, "jo", "key", 1, justification=WHY))
    assert (body["ending"]["points"], body["ending"]["ratio_met"], body["ending"]["passed"]) == (6, True, False)
    assert FacilitationAttempt.objects.get(student_id="jo").passed is False


def test_choices_are_shown_in_an_order_stable_per_attempt(workbench_block):
    xml = EXERCISE.format(policy="best").replace(
        '<choice id="b" goto="key" points="0"><text>Write to the director</text><feedback>Pressure.</feedback></choice>',
        "".join(f'<choice id="x{n}" goto="key" points="0"><text>Option {n}</text><feedback>F.</feedback></choice>'
                for n in range(6)))
    exercise = workbench_block(xml)

    def order(student):
        return [c["id"] for c in ok(call_handler(exercise(student), "state", {}))["scene"]["choices"]]

    first = order("kim")
    assert order("kim") == first                               # a reload shows the same order
    assert sorted(first) == sorted(["a"] + [f"x{n}" for n in range(6)])
    assert len({tuple(order(f"learner-{n}")) for n in range(8)}) > 1   # other learners see other orders
    ok(choose(exercise, "kim", "open", 0))
    ok(choose(exercise, "kim", "key", 0, justification=WHY))
    ok(call_handler(exercise("kim"), "restart", {}))
    # Attempt 2 is shown in the order seeded by block, learner and attempt 2 (server side).
    choices = exercise("kim").scenario["scenes"][0]["choices"]
    seeded = core.display_order(core.shuffle_seed(str(exercise.usage_id), "kim", 2), "open", len(choices))
    assert order("kim") == [choices[index]["id"] for index in seeded]
    assert exercise("kim").scenario["scenes"][0]["choices"][0]["id"] == "a"   # the author's order is kept


def test_learners_see_the_evidence_each_criterion_requires(blocks):
    _exercise, log = blocks()
    html = log("lou").render("student_view").content
    assert "Evidence required:" in html and "Written justifications of the key decisions" in html
