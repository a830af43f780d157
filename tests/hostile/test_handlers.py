"""
The hostile-input corpus over every handler of the three blocks (see :mod:`tests.hostile.corpus`): for each
handler, ``LP_HOSTILE_EXAMPLES`` (default 1,000) generated requests from every role, run in process on the SDK
workbench runtime against one block per role; never a 5xx, every refusal names what is wrong, and nothing
stored changes on a refused request.

Run only the corpus: ``.venv/bin/pytest tests/hostile -q``; more cases: ``LP_HOSTILE_EXAMPLES=10000``.
"""
import re
import time
import uuid

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lp_xblocks.activity.block import LearningActivityBlock
from lp_xblocks.facilitation.block import FacilitationExerciseBlock
from lp_xblocks.mentoring.block import MentoringBlock
from lp_xblocks.needs_assessment.block import NeedsAssessmentBlock
from lp_xblocks.reflective_log.block import ReflectiveLogBlock
from lp_xblocks.workshop.block import WorkshopBlock
from tests.conftest import call_handler
from tests.hostile.corpus import (
    ANONYMOUS, DOWNLOAD_EXAMPLES, HOSTILE, LEARNER, LEARNER_ROLES, OTHER, QA_ROLES, TUTOR, TUTOR_ROLES, VERIFIER, Caller,
    Query, Raw, cases, encoded, hostile, json_values, texts,
)
from tests.runtime.test_activity_handlers import ANSWER as ACT_ANSWER
from tests.runtime.test_activity_handlers import XML as ACT_XML
from tests.runtime.test_facilitation_handlers import ROWS
from tests.runtime.test_mentoring_handlers import SESSION as MT_SESSION
from tests.runtime.test_mentoring_handlers import TERMS as MT_TERMS
from tests.runtime.test_mentoring_handlers import XML as MT_XML
from tests.runtime.test_facilitation_handlers import XML as FX_XML
from tests.runtime.test_needs_assessment_handlers import ANSWERS
from tests.runtime.test_needs_assessment_handlers import XML as NA_XML
from tests.runtime.test_reflective_log_handlers import ENTRY
from tests.runtime.test_reflective_log_handlers import XML as RL_XML
from tests.runtime.test_workshop_handlers import XML as WS_XML

# "Writes nothing" is read from SQLite's own count of changed rows: the corpus runs on SQLite only.
pytestmark = pytest.mark.sqlite_file

LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
          '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><x>&lol3;</x>')
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'


def xml_variants(xml):
    """A block's own OLX and hostile edits of it: huge numbers, invisible texts, entities, truncation."""
    return [
        xml,
        re.sub(r'points="\d+"', 'points="1000000000000000000000000000000"', xml, count=1),
        re.sub(r'value="\d+"', 'value="1000000000000000000000000000000"', xml, count=1),
        re.sub(r'min_rows="\d+"', 'min_rows="31"', xml),
        re.sub(r'title="[^"]*"', 'title="\u200b\u202e"', xml, count=1),
        re.sub(r'min_words="\d+"', 'min_words="-5"', xml),
        xml[: len(xml) // 2],
        LAUGHS,
        EXTERNAL,
        "<" * 5000,
        "",
    ]


def xml_field(xml):
    return st.one_of(st.sampled_from(xml_variants(xml)), json_values)


# The review's findings, always among the cases (Hypothesis runs explicit examples first).
FINDINGS = {
    "needs_assessment.submit": [(ANONYMOUS, "POST", encoded({"answers": ANSWERS}, True, True))],
    "reflective_log.queue": [(TUTOR, "GET", Query("page=%C2%B2")), (TUTOR, "POST", Raw(b'{"page": 1e30}')),
                             (TUTOR, "POST", Raw(b'{"page": ' + str(10 ** 30).encode() + b"}"))],
    "reflective_log.save_draft": [(LEARNER, "POST", Raw(b'{"title": "\\ud800"}')),
                                  (LEARNER, "POST", Raw(b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")),
                                  (LEARNER, "POST", encoded({"title": "\u200b\u202e"}, True, True))],
    "facilitation.choose": [(LEARNER, "POST", Raw(b'{"scene": "opening", "choice": ' + b"[" * 50_000 + b"}"))],
}


def run(caller, handler, strategy, totals, block_name, examples=None):
    """Run the corpus for one handler; records the number of cases and the time taken in ``totals``."""
    count = [0]

    def one(case):
        role, method, payload = case
        count[0] += 1
        caller(handler, role, method, payload)

    for case in FINDINGS.get(f"{block_name}.{handler}", []):
        one = example(case)(one)
    one = (HOSTILE if examples is None else settings(HOSTILE, max_examples=examples))(given(strategy)(one))

    started, cpu = time.perf_counter(), time.process_time()
    one()  # pylint: disable=no-value-for-parameter
    totals[f"{block_name}.{handler}"] = (count[0], time.perf_counter() - started, time.process_time() - cpu,
                                        dict(sorted(caller.statuses.items())))
    return count[0]


@pytest.fixture(scope="module")
def totals():
    """Cases run and seconds taken per handler, printed at the end of the module (``-s`` shows it)."""
    figures = {}
    yield figures
    if figures:
        cases_run = sum(figure[0] for figure in figures.values())
        seconds = sum(figure[1] for figure in figures.values())
        cpu = sum(figure[2] for figure in figures.values())
        lines = [f"  {name:<40} {count:>6} cases {taken:6.1f} s ({used:5.1f} s CPU)  statuses {statuses}"
                 for name, (count, taken, used, statuses) in sorted(figures.items())]
        print("\nhostile-input corpus:\n" + "\n".join(lines)
              + f"\n  {'total':<40} {cases_run:>6} cases {seconds:6.1f} s ({cpu:5.1f} s CPU)")


def enough(count, examples=None):
    """Every handler ran the configured number of cases (Hypothesis stops early only on a small search space)."""
    assert count >= (examples or HOSTILE.max_examples), count


# ------------------------------------------------------------------------------------------ needs assessment

NA_XML_TEXT = NA_XML.format(retake="true")
STATEMENTS = sorted(ANSWERS)


def na_answers():
    scale = st.sampled_from([1, 2, 3, 4, 5])
    valid = st.fixed_dictionaries({sid: scale for sid in STATEMENTS})
    partial = st.dictionaries(st.sampled_from(STATEMENTS + ["x9", ""]), hostile(1, 5, 0, 6, True, "3"), max_size=4)
    return st.one_of(valid, partial, json_values)


# handler: (fields, methods, a valid body, roles weighted towards those the handler serves)
NA_HANDLERS = {
    "submit": ({"answers": na_answers()}, ("POST",), {"answers": ANSWERS}, LEARNER_ROLES),
    "results": ({}, ("GET", "POST"), {}, LEARNER_ROLES),
    "cohort_report": ({}, ("GET", "POST"), {}, TUTOR_ROLES),
    "studio_submit": ({
        "display_name": hostile("Health check"), "kind": hostile("partnership", "individual", "satisfaction"),
        "allow_retake": hostile(True, False), "instrument_xml": xml_field(NA_XML_TEXT),
    }, ("POST",), {"display_name": "Health check", "kind": "individual", "allow_retake": False}, TUTOR_ROLES),
    "validate_draft": ({"draft": json_values, "xml": xml_field(NA_XML_TEXT)}, ("POST",), {"xml": NA_XML_TEXT},
                       TUTOR_ROLES),
    "create_partnership": ({"name": hostile("Northgate learning partnership")}, ("POST",),
                           {"name": "Northgate learning partnership"}, LEARNER_ROLES),
    "join_partnership": ({"code": hostile("ABCD2345", "abcd-2345")}, ("POST",), {"code": "ABCD2345"}, LEARNER_ROLES),
    "my_partnership": ({}, ("GET", "POST"), {}, LEARNER_ROLES),
    "partnership_report": ({}, ("GET", "POST"), {}, LEARNER_ROLES),    "save_form_draft": ({"form": hostile("answers", "", "x" * 80, "../answers"), "values": json_values}, ("POST",),
                        {"form": "answers", "values": {"note": "half typed"}}, LEARNER_ROLES),
    "discard_form_draft": ({"form": hostile("answers", "", "x" * 80)}, ("POST",), {"form": "answers"}, LEARNER_ROLES),
}


@pytest.fixture
def assessment(workbench_block):
    get = workbench_block(NA_XML_TEXT)
    call_handler(get(LEARNER), "submit", {"answers": ANSWERS})
    return get


@pytest.mark.parametrize("handler", sorted(NA_HANDLERS))
def test_needs_assessment_handlers_hold_under_hostile_input(assessment, handler, totals):
    fields, methods, valid, roles = NA_HANDLERS[handler]
    enough(run(Caller(assessment), handler, cases(fields, methods, valid, roles), totals, "needs_assessment"))


# ------------------------------------------------------------------------------------------ facilitation

FX_XML_TEXT = FX_XML.format(weight="1.0", min_rows=1)
SCENES = ["opening", "round", "vote", "agreed", "split"]


def plan_rows():
    cell = hostile("Agree actions", "Board", "Chair", "ongoing", "2026-03-01", "01/03/2026", "\u200b")
    row = st.fixed_dictionaries({}, optional={"what": cell, "where": cell, "whom": cell, "when": cell, "extra": cell})
    return st.one_of(st.just(ROWS), st.lists(row, max_size=4), st.lists(st.just(ROWS[0]), min_size=29, max_size=32),
                     json_values)


FX_HANDLERS = {
    "state": ({}, ("GET", "POST"), {}, LEARNER_ROLES),
    "choose": ({"scene": hostile(*SCENES), "choice": hostile(0, 1, 2, -1, True, 1.0, "0")}, ("POST",),
               {"scene": "round", "choice": 1}, LEARNER_ROLES),
    "restart": ({}, ("POST",), {}, LEARNER_ROLES),
    "save_action_plan": ({"rows": plan_rows(), "reflection": hostile("Next time I will ask first.")}, ("POST",),
                         {"rows": ROWS, "reflection": "Ask first."}, LEARNER_ROLES),
    "choice_report": ({}, ("GET", "POST"), {}, TUTOR_ROLES),
    "studio_submit": ({
        "display_name": hostile("Chairing"), "weight": hostile(1.0, "2.5", 0, -1, "1e400", "\u0661"),
        "scenario_xml": xml_field(FX_XML_TEXT),
    }, ("POST",), {"display_name": "Chairing", "weight": 2.0}, TUTOR_ROLES),
    "validate_draft": ({"draft": json_values, "xml": xml_field(FX_XML_TEXT)}, ("POST",), {"xml": FX_XML_TEXT},
                       TUTOR_ROLES),    "save_form_draft": ({"form": hostile("plan", "", "x" * 80, "../plan"), "values": json_values}, ("POST",),
                        {"form": "plan", "values": {"note": "half typed"}}, LEARNER_ROLES),
    "discard_form_draft": ({"form": hostile("plan", "", "x" * 80)}, ("POST",), {"form": "plan"}, LEARNER_ROLES),
}


@pytest.fixture
def exercise(workbench_block):
    get = workbench_block(FX_XML_TEXT)
    call_handler(get(LEARNER), "choose", {"scene": "opening", "choice": 0})
    return get


@pytest.mark.parametrize("handler", sorted(FX_HANDLERS))
def test_facilitation_handlers_hold_under_hostile_input(exercise, handler, totals):
    fields, methods, valid, roles = FX_HANDLERS[handler]
    enough(run(Caller(exercise), handler, cases(fields, methods, valid, roles), totals, "facilitation"))


# ------------------------------------------------------------------------------------------ reflective log

CRITERIA = ["LPM1-2.1", "LPM1-2.2", "LPM1-2.3"]


def seeded_log(get):
    """ann: a draft and a submitted entry; bob: a submitted entry. Returns the entry ids worth aiming at."""
    draft = call_handler(get(LEARNER), "save_draft", {"title": "Draft"})[1]["entry"]["entry_id"]
    mine = call_handler(get(LEARNER), "submit_entry", ENTRY)[1]["entry"]["entry_id"]
    theirs = call_handler(get(OTHER), "submit_entry", ENTRY)[1]["entry"]["entry_id"]
    return [draft, mine, theirs, str(uuid.UUID(int=0)), mine.upper(), " " + mine, mine[:-1]]


def entry_fields(ids):
    return {
        "entry_id": hostile(*ids, None),
        "title": hostile("March meeting", "\u200b\u200c", "\u202e\u2066"),
        "activity_date": hostile("2026-03-12", "2999-01-01", "2026-02-30", ""),
        "entry_type": hostile("workplace", "mentor", "event"),
        "body": hostile(ENTRY["body"], "word " * 41),
        "criteria": st.one_of(st.lists(st.sampled_from(CRITERIA + ["X-9"]), max_size=4), json_values),
    }


def marking_fields(ids):
    mark = st.fixed_dictionaries({}, optional={"decision": hostile("met", "not_yet_met", None),
                                               "comment": hostile("Good.", "\u200b")})
    return {
        "entry_id": hostile(*ids),
        "version": hostile(1, 2, 0, -1, True, 1.0, "1"),
        "criteria": st.one_of(st.dictionaries(st.sampled_from(CRITERIA + ["X-9"]), st.one_of(mark, json_values),
                                              max_size=3), json_values),
        "feedback": hostile("Well evidenced.", "\u200b"),
        "decision": hostile("pass", "refer", None),
    }


RL_HANDLERS = {  # fields and the valid body take the seeded entry ids: (draft, mine, theirs, ...)
    "my_entries": (lambda ids: {}, ("GET", "POST"), lambda ids: {}, LEARNER_ROLES),
    "save_draft": (entry_fields, ("POST",), lambda ids: {**ENTRY, "entry_id": ids[0]}, LEARNER_ROLES),
    "submit_entry": (entry_fields, ("POST",), lambda ids: ENTRY, LEARNER_ROLES),
    "queue": (lambda ids: {"status": hostile("submitted", "referred", "passed", "draft"),
                           "page": hostile(1, 2, "1", "\u00b2", 10 ** 30, 0)}, ("GET", "POST"),
              lambda ids: {"status": "submitted", "page": 1}, TUTOR_ROLES),
    "open_entry": (lambda ids: {"entry_id": hostile(*ids)}, ("POST",), lambda ids: {"entry_id": ids[2]}, TUTOR_ROLES),
    "mark_entry": (marking_fields, ("POST",), lambda ids: {
        "entry_id": ids[2], "version": 1, "criteria": {ident: {"decision": "met"} for ident in ENTRY["criteria"]},
        "feedback": "Well evidenced.", "decision": None}, TUTOR_ROLES),
    "release_lock": (lambda ids: {"entry_id": hostile(*ids)}, ("POST",), lambda ids: {"entry_id": ids[2]}, TUTOR_ROLES),
    "portfolio": (lambda ids: {"learner": hostile("ann", "bob", "tutor", "", " ann")}, ("GET", "POST"),
                  lambda ids: {"learner": "bob"}, TUTOR_ROLES),
    "studio_submit": (lambda ids: {"display_name": hostile("Log"), "config_xml": xml_field(RL_XML)}, ("POST",),
                      lambda ids: {"display_name": "Log"}, TUTOR_ROLES),
    "validate_draft": (lambda ids: {"draft": json_values, "xml": xml_field(RL_XML)}, ("POST",),
                       lambda ids: {"xml": RL_XML}, TUTOR_ROLES),
    "delete_draft": (lambda ids: {"entry_id": hostile(*ids)}, ("POST",), lambda ids: {"entry_id": ids[0]},
                     LEARNER_ROLES),
    "start_marking": (lambda ids: {"entry_id": hostile(*ids)}, ("POST",), lambda ids: {"entry_id": ids[2]},
                      TUTOR_ROLES),
    "programme_record": (lambda ids: {"learner": hostile("ann", "bob", "tutor", "", " ann")}, ("GET", "POST"),
                         lambda ids: {"learner": "bob"}, TUTOR_ROLES),
    "remove_evidence": (lambda ids: {"entry_id": hostile(*ids), "file_id": hostile(*ids, "", None)}, ("POST",),
                        lambda ids: {"entry_id": ids[0], "file_id": ids[3]}, LEARNER_ROLES),
    "citable_records": (lambda ids: {}, ("GET", "POST"), lambda ids: {}, LEARNER_ROLES),
}


@pytest.fixture
def log(workbench_block):
    get = workbench_block(RL_XML)
    return get, seeded_log(get)


@pytest.mark.parametrize("handler", sorted(RL_HANDLERS))
def test_reflective_log_handlers_hold_under_hostile_input(log, handler, totals):
    get, ids = log
    fields, methods, valid, roles = RL_HANDLERS[handler]
    enough(run(Caller(get), handler, cases(fields(ids), methods, valid(ids), roles), totals, "reflective_log"))


# ------------------------------------------------------------------------------------------ quality assurance

def seeded_quality(get):
    """ann: a referred entry she appealed; bob: a passed entry; a draft of ann. Returns ids and the appeal id."""
    ids = seeded_log(get)
    call_handler(get(TUTOR), "mark_entry", {"entry_id": ids[1], "version": 1, "decision": "refer", "feedback": "More.",
                                            "criteria": {ident: {"decision": "not_yet_met", "comment": "More."}
                                                         for ident in ENTRY["criteria"]}})
    call_handler(get(TUTOR), "mark_entry", {"entry_id": ids[2], "version": 1, "decision": "pass", "feedback": "Good.",
                                            "criteria": {ident: {"decision": "met"} for ident in ENTRY["criteria"]}})
    appeal = call_handler(get(LEARNER), "appeal_referral", {"entry_id": ids[1], "reasons": "I did."})[1]["appeal"]
    return ids, appeal["appeal_id"]


def _learner_field():
    return hostile("ann", "bob", "", " ann", "x" * 151)


QA_HANDLERS = {  # (fields, methods, valid body, roles) from the seeded (ids, appeal id)
    "verification_sample": (lambda ids, appeal: {}, ("GET", "POST"), lambda ids, appeal: {}, QA_ROLES),
    "verification_entry": (lambda ids, appeal: {"entry_id": hostile(*ids)}, ("POST",),
                           lambda ids, appeal: {"entry_id": ids[2]}, QA_ROLES),
    "verify_entry": (lambda ids, appeal: {"entry_id": hostile(*ids), "agreement": hostile("agree", "disagree"),
                                          "comment": hostile("Not met.", "\u200b", "x" * 4001)}, ("POST",),
                     lambda ids, appeal: {"entry_id": ids[2], "agreement": "disagree", "comment": "Not met."}, QA_ROLES),
    "returned_entries": (lambda ids, appeal: {}, ("GET", "POST"), lambda ids, appeal: {}, QA_ROLES),
    "my_appeals": (lambda ids, appeal: {}, ("GET", "POST"), lambda ids, appeal: {}, QA_ROLES),
    "appeal_referral": (lambda ids, appeal: {"entry_id": hostile(*ids), "reasons": hostile("I did.", "\u200b")},
                        ("POST",), lambda ids, appeal: {"entry_id": ids[1], "reasons": "Again."}, QA_ROLES),
    "appeals": (lambda ids, appeal: {}, ("GET", "POST"), lambda ids, appeal: {}, QA_ROLES),
    "decide_appeal": (lambda ids, appeal: {"appeal_id": hostile(appeal, appeal + 1, 0, -1, True, str(appeal), 1e300),
                                           "outcome": hostile("upheld", "not_upheld"),
                                           "reasons": hostile("Evidence shown.", "\u200b")}, ("POST",),
                      lambda ids, appeal: {"appeal_id": appeal, "outcome": "not_upheld", "reasons": "No."}, QA_ROLES),
    "adjustments": (lambda ids, appeal: {"learner": _learner_field()}, ("GET", "POST"),
                    lambda ids, appeal: {"learner": "ann"}, QA_ROLES),
    "save_adjustments": (lambda ids, appeal: {"learner": _learner_field(), "note": hostile("Extra time.", "x" * 4001)},
                         ("POST",), lambda ids, appeal: {"learner": "ann", "note": "Extra time."}, QA_ROLES),
}


@pytest.fixture
def qa_log(workbench_block):
    get = workbench_block(RL_XML)
    return get, seeded_quality(get)


@pytest.mark.parametrize("handler", sorted(QA_HANDLERS))
def test_quality_assurance_handlers_hold_under_hostile_input(qa_log, handler, totals):
    get, (ids, appeal) = qa_log
    fields, methods, valid, roles = QA_HANDLERS[handler]
    caller = Caller(get)
    caller.block(VERIFIER)
    enough(run(caller, handler, cases(fields(ids, appeal), methods, valid(ids, appeal), roles), totals,
               "reflective_log"))


# ------------------------------------------------------------------------------------------ mentoring

MENTEES = ["ann", "carl", "bob", "tutor", "", " ann", "ANN", "x" * 151]


def mt_actions():
    cell = hostile("Draft the agenda", "Board", "EFS", "ongoing", "2026-03-01", "01/03/2026", "\u200b")
    row = st.fixed_dictionaries({}, optional={"what": cell, "where": cell, "whom": cell, "when": cell, "extra": cell})
    return st.one_of(st.just(MT_SESSION["actions"]), st.lists(row, max_size=4),
                     st.lists(st.just(MT_SESSION["actions"][0]), min_size=19, max_size=22), json_values)


MT_CSV = ["ann,bob,Acme", "dee,bob\nee,mo", "mentee,mentor\n", "ann,ann", "a,b,c,d", "=cmd,bob", 'ann,"bob',
          "\x00,\x00", "dee,bob\n" * 501]
MT_SESSION_FIELDS = {
    "session_id": hostile(None, 1, 2, 0, -1, True, "1", 2 ** 53 - 1), "date": hostile("2026-01-15", "2999-01-01", "31/02/2026"),
    "focus": hostile("Chairing", "\u200b"), "discussed": hostile("We talked.", "x" * 8001), "actions": mt_actions(),
}
MT_HANDLERS = {
    "state": ({}, ("GET", "POST"), {}, LEARNER_ROLES),
    "pair": ({"mentee": hostile(*MENTEES), "mentor": hostile("bob", "mo", "ann"),
              "organisation": hostile("Acme", "=SUM(A1)", "O" * 201)}, ("POST",),
             {"mentee": "dee", "mentor": "bob"}, TUTOR_ROLES),
    "unpair": ({"mentee": hostile(*MENTEES)}, ("POST",), {"mentee": "carl"}, TUTOR_ROLES),
    "upload_pairs": ({"csv": hostile(*MT_CSV)}, ("POST",), {"csv": "dee,bob"}, TUTOR_ROLES),
    "save_agreement": ({**{name: hostile(value, "\u200b") for name, value in MT_TERMS.items()},
                        "version": hostile(0, 1, 2, -1, True, "1"), "mentee": hostile(*MENTEES)}, ("POST",),
                       dict(MT_TERMS, version=0), LEARNER_ROLES),
    "sign_agreement": ({"version": hostile(0, 1, 2, True, 1.0, "1"), "mentee": hostile(*MENTEES)}, ("POST",),
                       {"version": 1}, LEARNER_ROLES),
    "log_session": (MT_SESSION_FIELDS, ("POST",), MT_SESSION, LEARNER_ROLES),
    "confirm_session": ({"mentee": hostile(*MENTEES), "session_id": hostile(1, 2, 0, True, "1"),
                         "version": hostile(1, 2, True, "1")}, ("POST",),
                        {"mentee": "ann", "session_id": 1, "version": 1}, LEARNER_ROLES),
    "comment_session": ({"mentee": hostile(*MENTEES), "session_id": hostile(1, 2, True), "version": hostile(1, 2),
                         "comment": hostile("Add the date.", "\u200b", "x" * 4001)}, ("POST",),
                        {"mentee": "ann", "session_id": 1, "version": 1, "comment": "Add the date."}, LEARNER_ROLES),
    "save_review": ({"goals_met": hostile("yes", "partly", "no", "YES"), "what_next": hostile("Carry on", ""),
                     "continue": hostile(True, False, "yes", 1)}, ("POST",),
                    {"goals_met": "yes", "what_next": "Carry on", "continue": True}, LEARNER_ROLES),
    "studio_submit": ({"display_name": hostile("Buddies", "\u200b", "x" * 201), "briefing": hostile("New", "x" * 20001)},
                      ("POST",), {"display_name": "Buddies", "briefing": "New"}, TUTOR_ROLES),
    "save_form_draft": ({"form": hostile("session", "agreement", "", "x" * 80, "../session"), "values": json_values},
                        ("POST",), {"form": "session", "values": {"focus": "half typed"}}, LEARNER_ROLES),
    "discard_form_draft": ({"form": hostile("session", "", "x" * 80)}, ("POST",), {"form": "session"},
                           LEARNER_ROLES),
}


# ------------------------------------------------------------------------------------------ learning activity

ACT_HANDLERS = {
    "state": ({}, ("GET", "POST"), {}, LEARNER_ROLES),
    "commentary_text": ({}, ("GET", "POST"), {}, LEARNER_ROLES),
    "save_response": ({"response": hostile(ACT_ANSWER, "word " * 13, "\u200b\u2060", "x" * 5000)}, ("POST",),
                      {"response": ACT_ANSWER}, LEARNER_ROLES),
    "studio_submit": ({
        "display_name": hostile("Remit"), "prompt": hostile("Find your remit."), "commentary": hostile("Most find..."),
        "suggested_minutes": hostile(20, "20", 0, 601, -1, "1e3", "\u0661", 2.5), "word_limit": hostile(300, 9, 5001),
    }, ("POST",), {"display_name": "Remit", "suggested_minutes": 25}, TUTOR_ROLES),
    "save_form_draft": ({"form": hostile("response", "", "x" * 80, "../response"), "values": json_values}, ("POST",),
                        {"form": "response", "values": {"response": "half typed"}}, LEARNER_ROLES),
    "discard_form_draft": ({"form": hostile("response", "", "x" * 80)}, ("POST",), {"form": "response"}, LEARNER_ROLES),
}


@pytest.fixture
def mentoring(workbench_block):
    """ann is mentored by bob (the other learner: the mentor's paths), carl by mo; ann has logged a session."""
    get = workbench_block(MT_XML)
    call_handler(get(TUTOR), "upload_pairs", {"csv": "ann,bob,Acme Ltd\ncarl,mo"})
    call_handler(get(LEARNER), "save_agreement", dict(MT_TERMS, version=0))
    call_handler(get(LEARNER), "log_session", MT_SESSION)
    return get


@pytest.mark.parametrize("handler", sorted(MT_HANDLERS))
def test_mentoring_handlers_hold_under_hostile_input(mentoring, handler, totals):
    fields, methods, valid, roles = MT_HANDLERS[handler]
    enough(run(Caller(mentoring), handler, cases(fields, methods, valid, roles), totals, "mentoring"))


@pytest.fixture
def activity(workbench_block):
    get = workbench_block(ACT_XML)
    call_handler(get(LEARNER), "save_response", {"response": ACT_ANSWER})
    return get


@pytest.mark.parametrize("handler", sorted(ACT_HANDLERS))
def test_learning_activity_handlers_hold_under_hostile_input(activity, handler, totals):
    fields, methods, valid, roles = ACT_HANDLERS[handler]
    caller = Caller(activity)
    enough(run(caller, handler, cases(fields, methods, valid, roles), totals, "learning_activity"))
    # Whatever was sent, the commentary reached nobody who had not saved a response.
    for role in (ANONYMOUS, OTHER):
        status, reply, _ = call_handler(activity(role), "commentary_text", {})
        assert status == 403 or (role == OTHER and activity(role).saved_at)


# ------------------------------------------------------------------------------------------ workshop

WS_SESSIONS = ("small", "online", "past", "nope", "", "SMALL", " small")
WS_HANDLERS = {
    "state": ({}, ("GET", "POST"), {}, LEARNER_ROLES),
    "sign_up": ({"session": hostile(*WS_SESSIONS)}, ("POST",), {"session": "online"}, LEARNER_ROLES),
    "cancel": ({"session": hostile(*WS_SESSIONS)}, ("POST",), {"session": "small"}, LEARNER_ROLES),
    "register": ({"session": hostile(*WS_SESSIONS)}, ("GET", "POST"), {"session": "small"}, TUTOR_ROLES),
    "mark_attendance": ({"session": hostile(*WS_SESSIONS), "marks": st.one_of(
        st.dictionaries(st.sampled_from(["ann", "bob", "zed", ""]), hostile("attended", "absent", "apologies", ""),
                        max_size=3), json_values)}, ("POST",), {"session": "small", "marks": {"ann": "attended"}},
        TUTOR_ROLES),
    "studio_submit": ({"display_name": hostile("Workshop"), "workshop_xml": xml_field(WS_XML),
                       "draft": json_values}, ("POST",), {"display_name": "Workshop"}, TUTOR_ROLES),
    "validate_draft": ({"draft": json_values, "xml": xml_field(WS_XML)}, ("POST",), {"xml": WS_XML}, TUTOR_ROLES),
}


@pytest.fixture
def workshop(workbench_block):
    get = workbench_block(WS_XML)
    call_handler(get(LEARNER), "sign_up", {"session": "small"})
    return get


@pytest.mark.parametrize("handler", sorted(WS_HANDLERS))
def test_workshop_handlers_hold_under_hostile_input(workshop, handler, totals):
    fields, methods, valid, roles = WS_HANDLERS[handler]
    enough(run(Caller(workshop), handler, cases(fields, methods, valid, roles), totals, "workshop"))


# ------------------------------------------------------------------------------------------ downloads

DOWNLOADS = [
    (NeedsAssessmentBlock, "cohort_report_csv", {}),
    (ReflectiveLogBlock, "portfolio_html", {"learner": texts}),
    (ReflectiveLogBlock, "entries_csv", {}),
    (ReflectiveLogBlock, "programme_portfolio_html", {"learner": texts}),
    (ReflectiveLogBlock, "evidence_file", {"file": texts}),
    (ReflectiveLogBlock, "verifier_zip", {"learner": texts}),
    (MentoringBlock, "pairs_csv", {}),
    (WorkshopBlock, "calendar", {"session": hostile(*WS_SESSIONS)}),
    (WorkshopBlock, "register_csv", {"session": hostile(*WS_SESSIONS)}),
]


@pytest.mark.parametrize("block_class, handler, fields", DOWNLOADS, ids=[name for _, name, _ in DOWNLOADS])
def test_download_handlers_hold_under_hostile_queries(workbench_block, block_class, handler, fields, totals):
    xml = {NeedsAssessmentBlock: NA_XML_TEXT, ReflectiveLogBlock: RL_XML, FacilitationExerciseBlock: FX_XML_TEXT,
           MentoringBlock: MT_XML,
           WorkshopBlock: WS_XML}
    get = workbench_block(xml[block_class])
    enough(run(Caller(get), handler, cases(fields, ("GET",)), totals, block_class.__name__, DOWNLOAD_EXAMPLES),
           DOWNLOAD_EXAMPLES)


def test_the_corpus_covers_every_json_handler_of_the_three_blocks():
    """A handler added to a block without a place in the corpus fails here."""
    covered = {
        NeedsAssessmentBlock: set(NA_HANDLERS) | {"cohort_report_csv"},
        FacilitationExerciseBlock: set(FX_HANDLERS),
        # upload_evidence takes multipart bodies: tests/hostile/test_uploads.py is its corpus.
        ReflectiveLogBlock: set(RL_HANDLERS) | set(QA_HANDLERS) | {"portfolio_html", "entries_csv",
                                                                   "programme_portfolio_html", "evidence_file",
                                                                   "verifier_zip", "upload_evidence"},
        MentoringBlock: set(MT_HANDLERS) | {"pairs_csv"},
        LearningActivityBlock: set(ACT_HANDLERS),
        WorkshopBlock: set(WS_HANDLERS) | {"calendar", "register_csv"},
    }
    for block_class, names in covered.items():
        handlers = {name for name in dir(block_class)
                    if getattr(getattr(block_class, name, None), "_is_xblock_handler", False)}
        assert handlers - names == set(), f"{block_class.__name__}: not in the corpus: {sorted(handlers - names)}"
