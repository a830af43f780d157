"""The action plan: rows of what / where / whom / when, checked and tidied (pure)."""
from datetime import date

import pytest

from lp_xblocks.facilitation import action_plan as plans

ROW = {"what": "Remind partners to submit good-practice examples", "where": "Lead partners' group",
       "whom": "EFS", "when": "ongoing"}


def row(**change):
    return {**ROW, **change}


@pytest.mark.parametrize("text, expected", [
    ("ongoing", "ongoing"), ("Ongoing", "ongoing"), ("  ONGOING ", "ongoing"),
    ("2008-04-29", "2008-04-29"), ("29/04/2008", "2008-04-29"), ("1/5/2026", "2026-05-01"),
    ("2024-02-29", "2024-02-29"),
    ("2023-02-29", None), ("31/04/2008", None), ("29/04/08", None), ("2008-4-29", None), ("soon", None),
    ("next week", None), ("", None), ("2008-13-01", None), ("0000-01-01", None),
])
def test_when_is_a_real_date_or_ongoing(text, expected):
    assert plans.parse_when(text) == expected


def test_a_good_plan_is_tidied():
    plan = plans.clean([row(what="  Obtain the peer review report  "), row(when="29/04/2008")], "  I will ask first. ", 2)
    assert plan.rows == [row(what="Obtain the peer review report"), row(when="2008-04-29")]
    assert plan.reflection == "I will ask first."
    assert plans.clean([ROW], None, 1).reflection == ""


@pytest.mark.parametrize("rows, min_rows, row_number, field, message", [
    ([], 1, None, "rows", "Add at least 1 action(s) to your plan; it has 0"),
    ([ROW], 2, None, "rows", "Add at least 2 action(s) to your plan; it has 1"),
    ([ROW] * 31, 1, None, "rows", "at most 30 actions"),
    ("all of them", 1, None, "rows", "'rows' must be a list"),
    ([ROW, "text"], 1, 2, "rows", "Action 2 must be an object"),
    ([ROW, row(what="  ")], 1, 2, "what", "Action 2: What is empty"),
    ([row(where="")], 1, 1, "where", "Action 1: Where is empty"),
    ([ROW, ROW, {"what": "x", "where": "y", "when": "ongoing"}], 1, 3, "whom", "Action 3: Whom is empty"),
    ([row(when="soon")], 1, 1, "when", "Action 1: When must be a date (YYYY-MM-DD or DD/MM/YYYY) or 'ongoing', not 'soon'"),
    ([row(when="2023-02-30")], 1, 1, "when", "not '2023-02-30'"),
    ([row(whom=7)], 1, 1, "whom", "Action 1: Whom must be text"),
    ([row(owner="me")], 1, 1, "owner", "Action 1: 'owner' is not a column of the plan"),
    ([row(what="x" * 501)], 1, 1, "what", "Action 1: What is longer than 500 characters"),
])
def test_errors_name_the_row_and_field(rows, min_rows, row_number, field, message):
    with pytest.raises(plans.PlanError) as caught:
        plans.clean(rows, "", min_rows)
    assert (caught.value.row, caught.value.field) == (row_number, field)
    assert message in str(caught.value)


@pytest.mark.parametrize("reflection, message", [(["a"], "must be text"), ("x" * 5001, "longer than 5000")])
def test_reflection_errors(reflection, message):
    with pytest.raises(plans.PlanError) as caught:
        plans.clean([ROW], reflection, 1)
    assert (caught.value.row, caught.value.field) == (None, "reflection")
    assert message in str(caught.value)


def test_every_problem_is_named_at_once():
    with pytest.raises(plans.PlanErrors) as caught:
        plans.clean([row(what=""), row(where="", when="soon")], ["x"], 1)
    assert [(p.row, p.field) for p in caught.value.problems] == [(1, "what"), (2, "where"), (2, "when"), (None, "reflection")]
    assert (caught.value.row, caught.value.field) == (1, "what")
    assert caught.value.details(lambda text: text)[1] == {"row": 2, "field": "where", "message": "Action 2: Where is empty"}


def test_a_when_in_the_past_is_refused_given_today():
    today = date(2026, 11, 26)
    with pytest.raises(plans.PlanErrors) as caught:
        plans.clean([row(when="25/11/2026")], "", 1, today)
    assert str(caught.value) == ("Action 1: When is 2026-11-25, which has passed; give a date from today on, "
                                 "or 'ongoing'")
    assert plans.clean([row(when="26/11/2026"), row(when="ongoing")], "", 1, today).rows[0]["when"] == "2026-11-26"
    assert plans.when_in_past("2026-11-25", today) and not plans.when_in_past("ongoing", today)
    assert not plans.when_in_past("2000-01-01", None)


def test_min_rows_zero_allows_an_empty_plan():
    assert plans.clean([], "", 0).rows == []


def test_plan_as_text():
    assert plans.as_text([ROW, row(what="Gather baseline information", when="2008-04-29")]) == (
        "Remind partners to submit good-practice examples | Lead partners' group | EFS | ongoing\n"
        "Gather baseline information | Lead partners' group | EFS | 2008-04-29")
