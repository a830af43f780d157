"""The mentoring scheme's pure rules: pairing validation (one pair, a CSV file), the agreement's signatures and
the session confirmation state machine, the closing review."""
from datetime import date, datetime, timezone

import pytest

from lp_xblocks.mentoring import agreement, pairing, sessions
from lp_xblocks.mentoring.problems import Problems

NOW = datetime(2026, 3, 1, 10, 0, tzinfo=timezone.utc)
LATER = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)
TERMS = {"goals": "Chair the partnership board with confidence", "frequency": "Monthly, an hour",
         "confidentiality": "What we discuss stays between us; no line management.", "review_date": "2026-06-30"}


def problems_of(call, *args):
    with pytest.raises(Problems) as caught:
        call(*args)
    return [(item.line, item.field, str(item)) for item in caught.value.problems]


# ------------------------------------------------------------------------------------------ pairing

def test_a_good_csv_gives_every_pair_in_order_with_or_without_header_and_organisation():
    text = "\ufeffMentee,Mentor,Organisation\r\nann,mara,Acme Ltd\r\n\r\nbob,mo\r\n"
    assert pairing.parse_csv(text) == [
        {"mentee": "ann", "mentor": "mara", "organisation": "Acme Ltd"},
        {"mentee": "bob", "mentor": "mo", "organisation": ""},
    ]


def test_every_bad_line_of_a_csv_is_reported_at_once_by_line_and_field():
    text = "ann,mara\nann,mo\nx,mo\nbob,bob\n=cmd(),mo\ncarl\ndee,mo,Org,extra\nemma,mo," + "O" * 201 + "\n"
    found = problems_of(pairing.parse_csv, text)
    assert [(line, field) for line, field, _ in found] == [
        (2, "mentee"), (3, "mentee"), (4, "mentor"), (5, "mentee"), (6, "csv"), (7, "csv"), (8, "organisation")]
    messages = dict(((line, field), message) for line, field, message in found)
    assert messages[(2, "mentee")] == "Line 2: ann already has a mentor on line 1"
    assert messages[(4, "mentor")] == "Line 4: a mentee cannot be their own mentor (bob)"
    assert messages[(6, "csv")].startswith("Line 6: expected 2 or 3 columns")
    assert "Mentor organisation is longer than 200 characters" in messages[(8, "organisation")]


def test_a_csv_is_bounded_in_size_and_rows_and_must_hold_pairs():
    assert problems_of(pairing.parse_csv, "ann,mo\n" * (pairing.MAX_ROWS + 1))[0][1:] == (
        "csv", f"The file holds {pairing.MAX_ROWS + 1} pairs; upload at most {pairing.MAX_ROWS} at a time.")
    assert "larger than" in problems_of(pairing.parse_csv, "a" * (pairing.MAX_CSV_BYTES + 1))[0][2]
    assert "holds no pairs" in problems_of(pairing.parse_csv, "mentee,mentor\n\n")[0][2]
    assert "must be CSV text" in problems_of(pairing.parse_csv, None)[0][2]
    assert "not readable as CSV" in problems_of(pairing.parse_csv, 'ann,"mo\n')[0][2]


def test_one_pair_names_every_field_at_fault():
    assert pairing.clean_pair(" ann ", "mara", " Acme ") == (
        {"mentee": "ann", "mentor": "mara", "organisation": "Acme"}, [])
    pair, found = pairing.clean_pair("", ["x"], 5)
    assert pair is None
    assert [(p.field, str(p)) for p in found] == [
        ("mentee", "Mentee username is empty"), ("mentor", "Mentor username must be text"),
        ("organisation", "Mentor organisation must be text")]
    assert pairing.clean_pair("Ann", "ann", "")[1][0].field == "mentor"
    assert pairing.clean_pair("a b", "\u202eevil", "")[1][0].field == "mentee"


# ------------------------------------------------------------------------------------------ agreement

def test_terms_are_checked_all_at_once():
    found = problems_of(agreement.clean_terms, {"goals": "\u200b", "frequency": 3, "review_date": "2026-02-30"},
                        date(2026, 3, 1))
    assert [(field, message) for _, field, message in found] == [
        ("goals", "Goals is empty"), ("frequency", "Meeting frequency must be text"),
        ("confidentiality", "Confidentiality and boundaries is empty"),
        ("review_date", "Review date must be a date (YYYY-MM-DD or DD/MM/YYYY)")]
    assert problems_of(agreement.clean_terms, dict(TERMS, review_date="01/02/2026"), date(2026, 3, 1))[0][1] == \
        "review_date"
    assert agreement.clean_terms(dict(TERMS, review_date="30/06/2026"), date(2026, 3, 1)) == TERMS


def test_both_sign_the_same_version_and_it_is_frozen_as_agreed():
    state = agreement.propose(None, TERMS, 0)
    assert agreement.status(state) == "awaiting" and state["version"] == 1 and state["signatures"] == {}
    state = agreement.sign(state, "mentee", 1, NOW)
    assert agreement.status(state) == "awaiting" and state["agreed"] is None
    state = agreement.sign(state, "mentor", 1, LATER)
    assert agreement.status(state) == "agreed"
    assert state["agreed"] == {"version": 1, "terms": TERMS,
                               "signed": {"mentee": NOW.isoformat(), "mentor": LATER.isoformat()}}


def test_a_change_needs_both_signatures_again_while_the_agreed_version_stays_in_force():
    state = agreement.sign(agreement.sign(agreement.propose(None, TERMS, 0), "mentee", 1, NOW), "mentor", 1, NOW)
    changed = agreement.propose(state, dict(TERMS, frequency="Fortnightly"), 1)
    assert changed["version"] == 2 and changed["signatures"] == {}
    assert agreement.status(changed) == "changed"
    assert changed["agreed"]["version"] == 1 and changed["agreed"]["terms"]["frequency"] == "Monthly, an hour"
    changed = agreement.sign(changed, "mentor", 2, LATER)
    assert agreement.status(changed) == "changed"
    changed = agreement.sign(changed, "mentee", 2, LATER)
    assert agreement.status(changed) == "agreed" and changed["agreed"]["version"] == 2
    assert [item["version"] for item in changed["history"]] == [1]


def test_signing_a_stale_version_twice_or_nothing_is_refused():
    state = agreement.propose(None, TERMS, 0)
    assert problems_of(agreement.sign, None, "mentee", 0, NOW)[0][1] == "version"
    assert "now version 1" in problems_of(agreement.sign, state, "mentee", 2, NOW)[0][2]
    assert problems_of(agreement.sign, state, "mentee", True, NOW)[0][1] == "version"
    signed = agreement.sign(state, "mentee", 1, NOW)
    assert "already signed" in problems_of(agreement.sign, signed, "mentee", 1, NOW)[0][2]
    assert problems_of(agreement.sign, state, "tutor", 1, NOW)[0][1] == "role"


def test_an_edit_of_an_old_version_or_an_unchanged_one_is_refused():
    state = agreement.propose(None, TERMS, 0)
    assert "changed while you edited" in problems_of(agreement.propose, state, TERMS, 0)[0][2]
    assert problems_of(agreement.propose, state, dict(TERMS), 1)[0][2] == "Nothing in the agreement changed."
    assert problems_of(agreement.propose, state, dict(TERMS, goals="Other"), True)[0][1] == "version"


def test_a_new_mentor_has_agreed_to_nothing():
    state = agreement.sign(agreement.sign(agreement.propose(None, TERMS, 0), "mentee", 1, NOW), "mentor", 1, NOW)
    moved = agreement.new_mentor(state)
    assert agreement.status(moved) == "awaiting" and moved["version"] == 2 and moved["terms"] == TERMS
    assert moved["agreed"] is None and moved["history"][0]["version"] == 1
    assert agreement.new_mentor(None) == agreement.empty()


# ------------------------------------------------------------------------------------------ sessions

SESSION = {"date": "2026-02-20", "focus": "Chairing the board", "discussed": "How to give every partner a voice.",
           "actions": [{"what": "Draft the agenda with partners", "where": "Executive Board", "whom": "EFS",
                        "when": "29/04/2026"}, {"what": "", "where": " ", "whom": "", "when": ""}]}


def test_a_session_is_cleaned_with_blank_action_rows_dropped():
    assert sessions.clean_session(SESSION, date(2026, 3, 1)) == {
        "date": "2026-02-20", "focus": "Chairing the board", "discussed": "How to give every partner a voice.",
        "actions": [{"what": "Draft the agenda with partners", "where": "Executive Board", "whom": "EFS",
                     "when": "2026-04-29"}]}


def test_every_problem_of_a_session_is_named_with_its_action_row():
    bad = {"date": "2026-03-05", "focus": "x" * 201, "discussed": None,
           "actions": [{"what": "Ask", "where": "", "whom": "KM", "when": "soon"}, "row", {"what": "a", "x": 1}]}
    found = problems_of(sessions.clean_session, bad, date(2026, 3, 1))
    assert [(line, field) for line, field, _ in found] == [
        (None, "date"), (None, "focus"), (None, "discussed"), (1, "where"), (1, "when"), (2, "actions"),
        (3, "actions")]
    assert found[3][2] == "Action 1: Where is empty"
    assert "in the future" in found[0][2]
    assert problems_of(sessions.clean_session, dict(SESSION, actions=[SESSION["actions"][0]] * 21))[0][1] == "actions"
    assert problems_of(sessions.clean_session, dict(SESSION, actions="rows"))[0][1] == "actions"


def test_the_mentor_confirms_the_version_they_read_and_it_is_then_frozen():
    record = sessions.new(sessions.clean_session(SESSION), NOW)
    assert (record["state"], record["version"]) == ("logged", 1)
    assert "now version 1" in problems_of(sessions.confirm, record, 2, NOW)[0][2]
    confirmed = sessions.confirm(record, 1, LATER)
    assert confirmed["state"] == "confirmed" and confirmed["confirmed_at"] == LATER.isoformat()
    assert problems_of(sessions.confirm, confirmed, 1, LATER)[0][2] == "This session is already confirmed."
    assert "can no longer be changed" in problems_of(sessions.edit, confirmed, SESSION, LATER)[0][2]
    assert problems_of(sessions.comment, confirmed, 1, "Too late")[0][1] == "session_id"


def test_a_comment_sends_the_session_back_to_the_mentee_and_their_change_comes_back_for_confirmation():
    record = sessions.new(sessions.clean_session(SESSION), NOW)
    commented = sessions.comment(record, 1, "Add the date we agreed.")
    assert commented["state"] == "commented" and commented["comment"] == "Add the date we agreed."
    assert "wait for your mentee" in problems_of(sessions.confirm, commented, 1, NOW)[0][2]
    edited = sessions.edit(commented, dict(sessions.clean_session(SESSION), focus="Chairing (revised)"), LATER)
    assert (edited["state"], edited["version"], edited["focus"]) == ("logged", 2, "Chairing (revised)")
    assert "now version 2" in problems_of(sessions.confirm, edited, 1, LATER)[0][2]
    assert sessions.confirm(edited, 2, LATER)["state"] == "confirmed"


def test_the_closing_review():
    assert sessions.clean_review({"goals_met": "partly", "what_next": "Chair alone", "continue": True}) == {
        "goals_met": "partly", "what_next": "Chair alone", "continue": True}
    found = problems_of(sessions.clean_review, {"goals_met": ["yes"], "what_next": "", "continue": "yes"})
    assert [field for _, field, _ in found] == ["goals_met", "what_next", "continue"]
    assert problems_of(sessions.clean_comment, {"comment": "\u200b"})[0][1] == "comment"
