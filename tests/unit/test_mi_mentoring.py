"""The MI report's mentoring uptake (pure): counts as they stood at the end of the range, small groups suppressed."""
import datetime as dt

from accreditation_export.mi.figures import Scope, Suppressed
from accreditation_export.mi.mentoring import MentoringRecord, uptake

UTC = dt.timezone.utc


def day(n):
    return dt.datetime(2026, 10, n, 12, tzinfo=UTC)


def people():
    return [
        MentoringRecord("ann", day(1), day(2), day(20), True, (day(3), day(10)), (day(4), day(11))),
        MentoringRecord("bob", day(1), day(5), None, None, (day(6),), ()),
        MentoringRecord("cat", day(2), None, None, None, (), ()),
        MentoringRecord("dan", day(3), day(4), day(21), False, (day(5),), (day(6),)),
        MentoringRecord("eve", day(15), None, None, None, (), ()),
    ]


def rows_of(section):
    return {row[0]: row[1:] for row in section.items[0].rows}


def test_uptake_counts_every_step_and_totals():
    section = uptake(people(), Scope(minimum=1))
    assert section.id == "mentoring" and section.csv == section.items
    rows = rows_of(section)
    assert rows["Participants paired with a mentor"] == [5, 100.0]
    assert rows["Mentoring agreement signed by both"] == [3, 60.0]
    assert rows["Logged at least one session"] == [3, 60.0]
    assert rows["Had at least one session confirmed by their mentor"] == [2, 40.0]
    assert rows["Wrote the closing review"] == [2, 40.0]
    assert rows["Will continue the mentoring beyond the programme"] == [1, 20.0]
    assert rows["Sessions logged (all paired participants)"] == [4, None]
    assert rows["Sessions confirmed by mentors"] == [3, None]


def test_uptake_is_as_it_stood_at_the_end_of_the_range_and_within_the_cohort():
    rows = rows_of(uptake(people(), Scope(minimum=1, end=dt.date(2026, 10, 5))))
    assert rows["Participants paired with a mentor"] == [4, 100.0]  # eve was paired later
    assert rows["Mentoring agreement signed by both"] == [3, 75.0]
    assert rows["Sessions logged (all paired participants)"] == [2, None]  # not bob's nor ann's later ones
    assert rows["Wrote the closing review"] == [0, 0.0]
    cohort = rows_of(uptake(people(), Scope(minimum=1, members={"ann", "cat"})))
    assert cohort["Participants paired with a mentor"] == [2, 100.0]


def test_small_groups_are_suppressed_and_no_content_reaches_the_report():
    rows = rows_of(uptake(people()[:3], Scope(minimum=5)))
    assert all(isinstance(cell, Suppressed) for cells in rows.values() for cell in cells if cell is not None)
    assert uptake([], Scope()).items[0].rows[0][1:] == [Suppressed(5), Suppressed(5)]
