"""The MI report's workshop attendance section, against a hand-worked cohort (tests/mi_fixture.py's surveys)."""
import datetime as dt

from accreditation_export.mi import figures, workshops
from accreditation_export.mi.figures import Scope, Suppressed
from accreditation_export.mi.instruments import load_instruments
from accreditation_export.mi.render import table_html
from accreditation_export.sources.base import Attendance
from tests import mi_fixture as fx

UTC = dt.timezone.utc
INDUCTION = dt.datetime(2027, 1, 20, 10, tzinfo=UTC)
MODULE1 = dt.datetime(2027, 3, 10, 10, tzinfo=UTC)


def row(name, status, mark="", when=INDUCTION, session="induction-manningtree", module="Induction"):
    return Attendance(name, "workshop-induction", session, "Induction workshop (face to face)", module, when, status, mark)


# Induction: 8 with a place (5 attended, fay absent, gus apologies, hal not recorded), ivy waiting.
RECORDS = [row("ann", "booked", "attended"), row("bob", "booked", "attended"), row("cat", "booked", "attended"),
           row("dan", "booked", "attended"), row("eve", "booked", "attended"), row("fay", "booked", "absent"),
           row("gus", "cancelled", "apologies"), row("hal", "booked"), row("ivy", "waiting"),
           row("ann", "booked", "attended", MODULE1, "m1", "Module 1: Understanding partnership")]


def section(**scope):
    return workshops.attendance(RECORDS, Scope(**scope), load_instruments(), fx.assessments())


def table(found, table_id):
    return next(item for item in found.items if isinstance(item, figures.Table) and item.id == table_id)


def test_attendance_per_session_counts_places_waiting_and_each_mark():
    rows = table(section(), "workshop-sessions").rows
    assert rows[0] == ["Induction workshop (face to face)", "Induction", dt.date(2027, 1, 20), 8, 1, 5, 1, 1, 1, 62.5]
    # One participant in the Module 1 session: every figure suppressed.
    assert rows[1][3] == Suppressed(5) and rows[1][9] == Suppressed(5)


def test_attendance_per_module_counts_participants_who_attended_any_session():
    rows = {r[0]: r for r in table(section(), "workshop-modules").rows}
    assert rows["Induction"] == ["Induction", 9, 5, 55.6]
    assert rows["Module 1: Understanding partnership"][1] == Suppressed(5)


def test_satisfaction_with_the_workshop_element_is_split_by_who_attended():
    rows = table(section(), "workshop-satisfaction").rows
    induction = next(r for r in rows if r[1] == "Induction")
    # survey-induction: ann..fay rated the induction workshop 4.0; five attended, fay did not (one: suppressed).
    assert induction[2] == "Induction workshop" and induction[3:5] == [5, 4.0]
    assert induction[5] == Suppressed(5)
    assert workshops.attended_by(RECORDS)["ann"] == {"Induction", "Module 1: Understanding partnership"}


def test_the_register_of_people_is_in_the_staff_edition_only():
    staff = section()
    assert table(staff, "workshop-register").personal
    assert ["fay", "Induction workshop (face to face)", "Induction", dt.date(2027, 1, 20), "booked", "absent"] in \
        table(staff, "workshop-register").rows
    funder = section(audience=figures.FUNDER)
    assert all(item.id != "workshop-register" for item in funder.items + funder.csv)


def test_sessions_outside_the_period_and_people_outside_the_cohort_are_left_out():
    march = section(start=dt.date(2027, 3, 1), end=dt.date(2027, 3, 31), minimum=1)
    assert [r[0] for r in table(march, "workshop-sessions").rows] == ["Induction workshop (face to face)"]
    assert table(march, "workshop-sessions").rows[0][1] == "Module 1: Understanding partnership"
    cohort = section(members={"ann", "bob"}, minimum=1)
    assert table(cohort, "workshop-sessions").rows[0][3] == 2


def test_session_titles_are_escaped_in_the_html():
    evil = [row("ann", "booked", "attended")._replace(title="<script>alert(1)</script>")]
    found = workshops.attendance(evil, Scope(minimum=1), (), ())
    html = str(table_html(table(found, "workshop-sessions")))
    assert "<script>" not in html and "&lt;script&gt;" in html
