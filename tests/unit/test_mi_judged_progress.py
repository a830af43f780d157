"""The MI report's judged progress (tutors' decisions and facilitation exercises) against tests/judged_fixture.py."""
import csv
import datetime as dt

import pytest

from lp_programme import catalogue as cat
from accreditation_export.mi import figures
from accreditation_export.mi.figures import Counts, Scope, Suppressed
from accreditation_export.mi.judged import judged_progress, tutor_met
from accreditation_export.mi.render import write_csv
from accreditation_export.mi.report import render_report

from .. import judged_fixture as fx

CATALOGUE = cat.load()
TITLES = {"log-a": "Induction (log-a)"}


def section(register=None, **scope):
    scope.setdefault("minimum", 3)
    scope.setdefault("end", fx.END)
    return judged_progress(CATALOGUE, fx.records(), fx.decisions(), fx.REGISTER if register is None else register,
                           Scope(**scope), TITLES)


def rows(found, table_id):
    table = next(item for item in found.csv if item.id == table_id)
    return {row[0]: row[1:] for row in table.rows}


def suppressed(cells):
    return all(isinstance(cell, Suppressed) for cell in cells)


def test_tutor_met_reads_the_decision_or_a_pass_where_the_source_cannot_tell():
    records = {(r.username, r.block): r for r in fx.records() if hasattr(r, "criteria_met")}
    assert tutor_met(records[("p3", "log-a")]) == {"LPM1-1.1"}
    assert tutor_met(records[("p5", "log-b")]) == {"LPM2-1.1"}
    assert tutor_met(records[("p4", "log-a")]) == set()
    assert tutor_met(records[("p8", "log-a")]) == set()


def test_criteria_met_per_unit_hand_worked():
    found = section()
    units = rows(found, "judged-units")
    assert units["A/000/0001 Tools of the trade for learning partnership managers"] == [12, 3, 50.0, 6, 2.0]
    assert suppressed(units["F/000/0002 Understanding partnership"][1:])
    assert suppressed(units["J/000/0003 Facilitating partnership"][1:])
    chart = next(item for item in found.items if isinstance(item, Counts))
    assert chart.rows == [("A/000/0001 Tools of the trade for learning partnership managers", 3)]
    assert chart.table == "judged-units"
    caption = next(item for item in found.csv if item.id == "judged-units").caption
    assert "6)" in caption


def test_first_submission_against_after_referral_hand_worked():
    decided = rows(section(), "judged-first-submission")
    assert decided["Induction (log-a)"] == [3, 3, 1, 33.3, 1, 1, 100.0]
    assert suppressed(decided["log-b"])
    assert decided["All reflective logs"] == [4, 5, 3, 60.0, 1, 1, 100.0]


def test_the_date_range_keeps_decisions_made_in_it():
    decided = rows(section(start=dt.date(2026, 11, 12)), "judged-first-submission")
    assert decided["All reflective logs"] == [4, 3, 2, 66.7, 1, 1, 100.0]


def test_facilitation_exercises_hand_worked():
    exercises = rows(section(), "judged-exercises")
    assert exercises["ex-a"] == [4, 7, 3, 75.0]
    assert suppressed(exercises["ex-b"])
    assert exercises["All facilitation exercises"] == [4, 8, 3, 75.0]


def test_participant_groups_hand_worked():
    groups = rows(section(), "judged-groups")
    assert groups["A"] == [4, 3, 75.0, 50.0, 3, 2, 66.7]
    assert suppressed(groups["B"]) and suppressed(groups["Not stated"])
    assert groups["All participants"] == [7, 4, 57.1, 60.0, 4, 3, 75.0]


def test_cohort_filter():
    members = {"p1", "p2", "p3", "p4"}
    register = {name: row for name, row in fx.REGISTER.items() if name in members}
    groups = rows(section(register, members=members, cohort=("cohort", "A")), "judged-groups")
    assert list(groups) == ["A", "All participants"]
    assert groups["All participants"] == groups["A"] == [4, 3, 75.0, 50.0, 3, 2, 66.7]


def test_everything_is_suppressed_below_the_minimum_group():
    found = section(minimum=8)
    for table in found.csv:
        if not table.personal:
            first = 2 if table.id == "judged-units" else 1     # a unit's number of criteria is the catalogue's
            assert all(suppressed(row[first:]) for row in table.rows), table.id
    assert not next(item for item in found.items if isinstance(item, Counts)).rows


def test_editions():
    staff = section()
    people = rows(staff, "judged-participants")
    assert next(t for t in staff.csv if t.id == "judged-participants").personal
    assert people["p1"] == ["Pam", "One", "A", 4, "A/000/0001 F/000/0002", 2, 2, 0, 0, 2, 1]
    assert people["p7"] == ["Pru", "Seven", "", 0, "", 0, 0, 0, 0, 1, 1]
    assert "p8" not in people
    funder = section(audience=figures.FUNDER)
    assert "judged-participants" not in {t.id for t in funder.csv}
    assert not any(getattr(item, "personal", False) for item in funder.items)
    assert not any("Pam" in str(row) for t in funder.csv for row in t.rows)
    assert [t.id for t in funder.csv] == [t.id for t in staff.csv][:-1]


@pytest.mark.parametrize("audience", [figures.STAFF, figures.FUNDER])
def test_both_editions_render_with_a_table_next_to_the_chart(audience):
    found = section(audience=audience)
    document = render_report([found], Scope(minimum=3, audience=audience), "fixture", dt.date(2027, 1, 5))
    assert 'id="judged-units-chart"' in document and 'id="table-judged-units"' in document
    assert ('id="table-judged-participants"' in document) == (audience == figures.STAFF)


def test_names_are_escaped_in_html_and_formula_safe_in_csv(tmp_path):
    staff = section()
    document = render_report([staff], Scope(minimum=3), "fixture", dt.date(2027, 1, 5))
    assert "<b>Three</b>" not in document and "&lt;b&gt;Three&lt;/b&gt;" in document
    path = write_csv(tmp_path, next(t for t in staff.csv if t.id == "judged-participants"))
    with path.open(newline="", encoding="utf-8") as handle:
        given = {row["Username"]: row["Given name"] for row in csv.DictReader(handle)}
    assert given["p3"] == "'" + fx.FORMULA


def test_without_decisions_the_table_says_so():
    found = judged_progress(CATALOGUE, fx.records(), [], fx.REGISTER, Scope(minimum=3, end=fx.END), TITLES)
    decided = next(t for t in found.csv if t.id == "judged-first-submission")
    assert decided.rows == [] and "decisions" in decided.empty
    document = render_report([found], Scope(minimum=3), "fixture", dt.date(2027, 1, 5))
    assert "does not give tutors" in document
