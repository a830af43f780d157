"""The reflective log's pure rules: configuration, OLX, entries, the state machine, marking, coverage, locks."""
import copy
import importlib.resources
from datetime import date, datetime, timedelta, timezone

import pytest
from lxml import etree

from lp_xblocks.reflective_log import rules
from lp_xblocks.reflective_log.config import ConfigError, validate
from lp_xblocks.reflective_log.olx import config_to_string, parse_config, parse_config_string, write_config

CONFIG = {
    "prompt": "Describe a meeting you chaired.\n\nThen reflect on it.",
    "criteria": [
        {"id": "LPM1-2.1", "text": "Explain the purpose of protocols for partnership meetings"},
        {"id": "LPM1-2.2", "text": "Evaluate own approach to chairing a partnership meeting"},
        {"id": "LPM1-2.3", "text": "Produce an action record"},
    ],
    "entry_types": [{"id": "workplace", "label": "Workplace activity"}, {"id": "mentor", "label": "Mentor session"}],
    "min_words": 5,
    "max_words": 12,
}
TODAY = date(2026, 11, 25)


def config(**changes):
    result = copy.deepcopy(CONFIG)
    result.update(changes)
    return result


# ------------------------------------------------------------------------------------ configuration

@pytest.mark.parametrize("changes, message", [
    ({"prompt": "  "}, "prompt: the prompt is empty"),
    ({"criteria": []}, "at least one <criterion> is needed"),
    ({"criteria": [{"id": "A-1", "text": "x"}, {"id": "A-1", "text": "y"}]}, "criterion 'A-1': id is used more than once"),
    ({"criteria": [{"id": "A 1", "text": "x"}]}, "criterion 'A 1': an id may hold only letters, digits, '-', '_' and '.'"),
    ({"criteria": [{"id": "", "text": "x"}]}, "a criterion has no id"),
    ({"criteria": [{"id": "A-1", "text": " "}]}, "criterion 'A-1': the text is empty"),
    ({"entry_types": []}, "at least one <entry_type> is needed"),
    ({"entry_types": [{"id": "w", "label": ""}]}, "entry_type 'w': the text is empty"),
    ({"min_words": "ten"}, "min_words 'ten' is not a whole number of words"),
    ({"min_words": -1}, "min_words '-1' is not a whole number of words"),
    ({"max_words": 5}, "max_words (5) must be greater than min_words (5)"),
    ({"max_words": 4001}, "max_words (4001) is above the limit of 4000 words"),
])
def test_invalid_configurations_name_the_element(changes, message):
    with pytest.raises(ConfigError) as error:
        validate(config(**changes))
    assert str(error.value) == message


def test_error_messages_translate_with_their_parameters():
    with pytest.raises(ConfigError) as error:
        validate(config(max_words=5))
    french = {"max_words ({max_words}) must be greater than min_words ({min_words})":
              "max_words ({max_words}) doit d\u00e9passer min_words ({min_words})"}
    assert error.value.translated(french.get) == "max_words (5) doit d\u00e9passer min_words (5)"


# ------------------------------------------------------------------------------------ OLX

def test_olx_round_trip_is_exact():
    node = etree.Element("lp_reflective_log")
    write_config(CONFIG, node)
    assert parse_config(node) == CONFIG
    assert parse_config_string(config_to_string(CONFIG)) == CONFIG


def test_olx_reads_limits_paragraphs_and_plain_text():
    parsed = parse_config_string("""
      <lp_reflective_log min_words="10" max_words="20">
        <prompt>First   paragraph
          continues here.

          Second <b>paragraph</b>.</prompt>
        <criterion id=" A-1 ">Explain   the <em>purpose</em></criterion>
        <entry_type id="event">Training event</entry_type>
      </lp_reflective_log>""")
    assert parsed["prompt"] == "First paragraph continues here.\n\nSecond paragraph."
    assert parsed["criteria"] == [{"id": "A-1", "text": "Explain the purpose"}]
    assert (parsed["min_words"], parsed["max_words"]) == (10, 20)


def test_olx_defaults_the_word_limits():
    parsed = parse_config_string('<x><prompt>p</prompt><criterion id="a">t</criterion><entry_type id="e">E</entry_type></x>')
    assert (parsed["min_words"], parsed["max_words"]) == (150, 1500)


@pytest.mark.parametrize("xml, message", [
    ("<x><prompt>p</prompt><prompt>q</prompt><criterion id='a'>t</criterion><entry_type id='e'>E</entry_type></x>",
     "prompt: only one <prompt> is allowed"),
    ("<x><prompt>p</prompt><criterion id='a'>t</criterion><entry_type id='e'>E</entry_type><rubric/></x>",
     "unexpected element <rubric>"),
    ("<x max_words='many'><prompt>p</prompt><criterion id='a'>t</criterion><entry_type id='e'>E</entry_type></x>",
     "max_words 'many' is not a whole number of words"),
    ("<x><prompt>p</prompt><criterion id='a'>t</criterion></x>", "at least one <entry_type> is needed"),
])
def test_olx_errors_name_the_element(xml, message):
    with pytest.raises(ConfigError) as error:
        parse_config_string(xml)
    assert str(error.value) == message


def test_malformed_xml_and_entities_are_refused(tmp_path):
    with pytest.raises(ConfigError, match="not well-formed XML"):
        parse_config_string("<x><prompt>unclosed</x>")
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    doctype = (f'<!DOCTYPE x [<!ENTITY e SYSTEM "{secret.as_uri()}">]>'
               "<x><prompt>Read &e; here</prompt><criterion id='a'>t</criterion><entry_type id='e'>E</entry_type></x>")
    prompt = parse_config_string(doctype)["prompt"]
    assert prompt == "Read &e; here"  # the entity stays a reference: the file is never read
    assert "SECRET-CONTENT" not in prompt


@pytest.mark.parametrize("filename", ["chairing_meetings.xml", "partnership_budget.xml"])
def test_shipped_scenarios_are_valid(filename):
    text = importlib.resources.files("lp_xblocks.reflective_log").joinpath("scenarios", filename).read_text("utf-8")
    parsed = parse_config_string(text)
    assert len(parsed["criteria"]) >= 3 and len(parsed["entry_types"]) == 3
    assert "\n\n" in parsed["prompt"]


# ------------------------------------------------------------------------------------ entries

@pytest.mark.parametrize("text, words", [
    ("", 0),
    ("One two  three\n\nfour", 4),
    ("Don't split co-operation or partner\u2019s words", 6),
    ("Dashes \u2014 and - alone are not words", 6),
    ("2026 budget: \u00a330,000 agreed, 2.5 days", 6),
    ("\u00c9quipe d\u00e9j\u00e0 vue", 3),
])
def test_count_words(text, words):
    assert rules.count_words(text) == words


def test_clean_entry_normalises_and_keeps_paragraphs():
    draft = rules.clean_entry(CONFIG, {
        "title": "  Chairing   the March meeting ", "activity_date": "2026-11-25", "entry_type": "workplace",
        "body": "First line\r\nsecond line   \r\n\r\n\r\nNew paragraph\n\n", "criteria": ["LPM1-2.3", "LPM1-2.1", "LPM1-2.3"],
    }, TODAY)
    assert draft == {
        "title": "Chairing the March meeting", "activity_date": "2026-11-25", "entry_type": "workplace",
        "body": "First line\nsecond line\n\n\nNew paragraph", "criteria": ["LPM1-2.1", "LPM1-2.3"],
    }


def test_clean_entry_keeps_base_fields_not_sent():
    base = rules.clean_entry(CONFIG, {"title": "Kept", "body": "kept body"}, TODAY)
    draft = rules.clean_entry(CONFIG, {"entry_type": "mentor"}, TODAY, base)
    assert draft["title"] == "Kept" and draft["body"] == "kept body" and draft["entry_type"] == "mentor"
    assert base["entry_type"] == ""  # the base is not changed in place


@pytest.mark.parametrize("data, field, message", [
    ({"titel": "typo"}, "titel", "titel: this form has no such field"),
    ({"title": 5}, "title", "Title: must be text"),
    ({"title": "x" * 201}, "title", "Title: at most 200 characters; this one has 201"),
    ({"activity_date": "25/11/2026"}, "activity_date",
     "Date of the activity: '25/11/2026' is not a date; give it as year-month-day, for example 2026-03-12"),
    ({"activity_date": "2026-02-30"}, "activity_date",
     "Date of the activity: '2026-02-30' is not a date; give it as year-month-day, for example 2026-03-12"),
    ({"activity_date": 20261101}, "activity_date",
     "Date of the activity: '20261101' is not a date; give it as year-month-day, for example 2026-03-12"),
    ({"activity_date": "2026-11-26"}, "activity_date",
     "Date of the activity: 2026-11-26 is in the future; give the date the activity took place"),
    ({"entry_type": "holiday"}, "entry_type", "Type of activity: choose one of: Workplace activity, Mentor session"),
    ({"body": ["text"]}, "body", "Your reflection: must be text"),
    ({"body": "x" * 30_001}, "body", "Your reflection: at most 30000 characters; shorten it"),
    ({"criteria": "LPM1-2.1"}, "criteria", "Criteria: must be a list of criterion ids"),
    ({"criteria": ["LPM1-2.1", "LPM9-9.9"]}, "criteria", "Criteria: this log has no criteria LPM9-9.9"),
])
def test_clean_entry_refuses_bad_fields_naming_them(data, field, message):
    with pytest.raises(rules.EntryError) as error:
        rules.clean_entry(CONFIG, data, TODAY)
    assert (error.value.field, str(error.value)) == (field, message)


def test_empty_values_are_allowed_in_a_draft():
    draft = rules.clean_entry(CONFIG, {"title": "", "activity_date": "", "entry_type": "", "body": "", "criteria": []}, TODAY)
    assert draft == rules.empty_draft()


COMPLETE = {"title": "T", "activity_date": "2026-11-01", "entry_type": "workplace",
            "body": "one two three four five six", "criteria": ["LPM1-2.1"]}


@pytest.mark.parametrize("missing, field", [
    ("title", "title"), ("activity_date", "activity_date"), ("entry_type", "entry_type"), ("body", "body"),
    ("criteria", "criteria"),
])
def test_submitting_needs_every_field(missing, field):
    draft = {**COMPLETE, missing: [] if missing == "criteria" else ""}
    with pytest.raises(rules.EntryError) as error:
        rules.check_submittable(CONFIG, draft)
    assert error.value.field == field


def test_every_problem_of_a_submission_is_named_at_once_in_words():
    with pytest.raises(rules.EntryErrors) as error:
        rules.check_submittable(CONFIG, {**COMPLETE, "title": "", "activity_date": "", "criteria": []})
    assert [problem.field for problem in error.value.problems] == ["title", "activity_date", "criteria"]
    assert str(error.value) == ("Title: give the entry a title Date of the activity: give the date of the activity "
                                "Criteria: choose at least one criterion this entry evidences")
    assert error.value.details(lambda text: text)[1] == {
        "field": "activity_date", "label": "Date of the activity", "message": "give the date of the activity"}
    with pytest.raises(rules.EntryErrors) as error:
        rules.clean_entry(CONFIG, {"title": 5, "activity_date": "2999-01-01", "entry_type": "holiday"}, TODAY)
    assert [problem.field for problem in error.value.problems] == ["title", "activity_date", "entry_type"]
    assert "activity_date" not in str(error.value) and "entry_type" not in str(error.value)


def test_word_limits_are_named_when_submitting():
    assert rules.check_submittable(CONFIG, {**COMPLETE, "body": "one two three four five"}) == 5
    assert rules.check_submittable(CONFIG, {**COMPLETE, "body": " ".join(["w"] * 12)}) == 12
    with pytest.raises(rules.EntryError) as short:
        rules.check_submittable(CONFIG, {**COMPLETE, "body": "one two three four"})
    assert (short.value.field, str(short.value)) == ("body", "Your reflection: 4 words; write at least 5 words")
    with pytest.raises(rules.EntryError) as long:
        rules.check_submittable(CONFIG, {**COMPLETE, "body": " ".join(["w"] * 13)})
    assert str(long.value) == "Your reflection: 13 words; the limit is 12 words"


# ------------------------------------------------------------------------------------ state machine

@pytest.mark.parametrize("status, action, result", [
    (None, "save", "draft"), ("draft", "save", "draft"), ("referred", "save", "referred"),
    ("draft", "submit", "submitted"), ("referred", "submit", "submitted"),
    ("submitted", "feedback", "submitted"), ("submitted", "pass", "passed"), ("submitted", "refer", "referred"),
    ("passed", "reset", "archived"),
])
def test_allowed_transitions(status, action, result):
    assert rules.next_status(status, action) == result


@pytest.mark.parametrize("status, action, message", [
    ("submitted", "save", "This entry has been submitted and is waiting to be marked; it cannot be changed now."),
    ("submitted", "submit", "This entry has been submitted and is waiting to be marked; it cannot be changed now."),
    ("passed", "submit", "This entry has passed; it can no longer be changed."),
    ("passed", "save", "This entry has passed; it can no longer be changed."),
    ("passed", "pass", "This entry has passed; it can no longer be changed."),
    ("referred", "pass", "This entry was referred: revise it and submit it again before it can be marked."),
    ("draft", "refer", "This entry is a draft that has not been submitted."),
    ("archived", "save", "This entry was removed by a course reset."),
])
def test_refused_transitions_explain_the_state(status, action, message):
    with pytest.raises(rules.StateError) as error:
        rules.next_status(status, action)
    assert str(error.value) == message


def test_only_drafts_and_referred_entries_are_editable():
    assert [s for s in rules.STATUSES if rules.is_editable(s)] == ["draft", "referred"]


# ------------------------------------------------------------------------------------ marking

CLAIMED = ["LPM1-2.1", "LPM1-2.2"]


def test_pass_needs_every_claimed_criterion_met():
    marking = rules.clean_marking(CLAIMED, {
        "criteria": {"LPM1-2.1": {"decision": "met", "comment": " Clear.\r\n"}, "LPM1-2.2": {"decision": "met"}},
        "feedback": "Well done.", "decision": "pass",
    })
    assert marking == {
        "criteria": {"LPM1-2.1": {"decision": "met", "comment": "Clear."}, "LPM1-2.2": {"decision": "met", "comment": ""}},
        "feedback": "Well done.", "decision": "pass",
    }
    assert rules.decide(CLAIMED, marking["criteria"]) == "pass"


def test_refer_when_a_criterion_is_not_yet_met():
    marking = rules.clean_marking(CLAIMED, {
        "criteria": {"LPM1-2.1": {"decision": "met"}, "LPM1-2.2": {"decision": "not_yet_met", "comment": "Say more."}},
        "feedback": "Evaluate your own approach.", "decision": "refer",
    })
    assert rules.decide(CLAIMED, marking["criteria"]) == "refer"


def test_feedback_without_a_decision():
    marking = rules.clean_marking(CLAIMED, {"criteria": {"LPM1-2.2": {"comment": "Promising start."}}, "decision": None})
    assert marking == {"criteria": {"LPM1-2.2": {"decision": None, "comment": "Promising start."}},
                       "feedback": "", "decision": None}


@pytest.mark.parametrize("data, field, message", [
    ({"criteria": [], "decision": None}, "criteria", "must be an object of criterion id to decision and comment"),
    ({"criteria": {"LPM1-2.3": {"decision": "met"}}, "decision": None}, "criteria",
     "not claimed by this version: LPM1-2.3"),
    ({"criteria": {"LPM1-2.1": "met"}, "decision": None}, "criteria",
     "'LPM1-2.1' must be an object with decision and comment"),
    ({"criteria": {"LPM1-2.1": {"decision": "yes"}}, "decision": None}, "criteria",
     "'LPM1-2.1' decision must be 'met' or 'not_yet_met'"),
    ({"criteria": {"LPM1-2.1": {"comment": 3}}, "decision": None}, "criteria", "'LPM1-2.1' comment must be text"),
    ({"criteria": {"LPM1-2.1": {"comment": "x" * 5001}}, "decision": None}, "criteria",
     "'LPM1-2.1' comment is longer than 5000 characters"),
    ({"feedback": 7, "decision": None}, "feedback", "must be text"),
    ({"feedback": "x" * 10_001, "decision": None}, "feedback", "at most 10000 characters"),
    ({"feedback": "ok", "decision": "merit"}, "decision", "must be 'pass', 'refer' or null (feedback only)"),
    ({"decision": None}, "feedback", "there is nothing to save; add feedback or a comment"),
    ({"criteria": {"LPM1-2.1": {"decision": "met"}}, "decision": "pass"}, "criteria",
     "decide met or not yet met for: LPM1-2.2"),
    ({"criteria": {"LPM1-2.1": {"decision": "met"}, "LPM1-2.2": {"decision": "not_yet_met"}}, "decision": "pass"},
     "decision", "a pass needs every claimed criterion met; not yet met: LPM1-2.2"),
    ({"criteria": {"LPM1-2.1": {"decision": "met"}, "LPM1-2.2": {"decision": "met"}}, "feedback": "x",
      "decision": "refer"}, "decision",
     "every claimed criterion is met, so the decision is a pass, not a referral"),
    ({"criteria": {"LPM1-2.1": {"decision": "met"}, "LPM1-2.2": {"decision": "not_yet_met"}}, "decision": "refer"},
     "feedback", "tell the learner what to do before resubmitting"),
])
def test_bad_marking_is_refused_naming_the_field(data, field, message):
    with pytest.raises(rules.EntryError) as error:
        rules.clean_marking(CLAIMED, data)
    assert (error.value.field, str(error.value)) == (field, message)


# ------------------------------------------------------------------------------------ coverage

def test_coverage_lists_evidence_earliest_pass_first_and_scores():
    passed = [
        {"entry_id": "e2", "title": "Later", "version": 2, "criteria": ["LPM1-2.1", "LPM1-2.2"], "passed_at": "2026-03-02T10:00:00"},
        {"entry_id": "e1", "title": "Earlier", "version": 1, "criteria": ["LPM1-2.1", "GONE-1.1"], "passed_at": "2026-01-05T09:00:00"},
    ]
    covered = rules.coverage(CONFIG, passed)
    assert [(c["id"], c["met"], [e["title"] for e in c["evidence"]]) for c in covered] == [
        ("LPM1-2.1", True, ["Earlier", "Later"]), ("LPM1-2.2", True, ["Later"]), ("LPM1-2.3", False, [])]
    assert rules.score(covered) == (2, 3)
    assert rules.score(rules.coverage(CONFIG, [])) == (0, 3)


# ------------------------------------------------------------------------------------ locks and queue

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("holder, expires, state", [
    ("", None, "free"),
    ("tutor", NOW + timedelta(minutes=5), "mine"),
    ("tutor2", NOW + timedelta(minutes=5), "other"),
    ("tutor2", NOW, "free"),  # expires exactly now
    ("tutor2", NOW - timedelta(seconds=1), "free"),
])
def test_lock_state(holder, expires, state):
    assert rules.lock_state(holder, expires, "tutor", NOW) == state


def test_lock_lasts_thirty_minutes():
    assert rules.lock_expiry(NOW) - NOW == timedelta(minutes=30)


@pytest.mark.parametrize("data, result", [
    ({}, ("submitted", 1)), ({"status": "passed", "page": 3}, ("passed", 3)),
    ({"status": ["referred"], "page": "2"}, ("referred", 2)),
])
def test_queue_request(data, result):
    assert rules.clean_queue_request(data) == result


@pytest.mark.parametrize("data, field", [
    ({"status": "draft"}, "status"), ({"status": "everything"}, "status"),
    ({"page": 0}, "page"), ({"page": "-1"}, "page"), ({"page": True}, "page"), ({"page": 1.5}, "page"),
])
def test_bad_queue_requests(data, field):
    with pytest.raises(rules.EntryError) as error:
        rules.clean_queue_request(data)
    assert error.value.field == field


@pytest.mark.parametrize("total, pages", [(0, 0), (1, 1), (25, 1), (26, 2), (10_000, 400)])
def test_page_count(total, pages):
    assert rules.page_count(total) == pages


def test_an_entry_must_fit_one_submission_record():
    config = {**CONFIG, "max_words": 4000}
    welsh = " ".join(["\u0175\u0177\u0175\u0177\u0175\u0177"] * 3000)  # 20,999 characters; each letter is 6 bytes of JSON
    with pytest.raises(rules.EntryError) as error:
        rules.check_submittable(config, {**COMPLETE, "body": welsh})
    assert error.value.field == "body"
    assert str(error.value) == "Your reflection: the entry needs 109 KB to store and the limit is 98 KB; shorten it"
    assert rules.check_submittable(config, {**COMPLETE, "body": " ".join(["partner"] * 3000)}) == 3000


def test_every_problem_of_a_marking_is_named_at_once():
    with pytest.raises(rules.EntryErrors) as error:
        rules.clean_marking(["LPM1-2.1", "LPM1-2.2"], {"criteria": {"LPM1-2.1": {"decision": "met"}}, "decision": "refer"})
    assert [(p.field, str(p)) for p in error.value.problems] == [
        ("criteria", "decide met or not yet met for: LPM1-2.2"), ("feedback", "tell the learner what to do before resubmitting")]
    assert str(error.value) == ("Criteria: decide met or not yet met for: LPM1-2.2 "
                                "Overall feedback: tell the learner what to do before resubmitting")
