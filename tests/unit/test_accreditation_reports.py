"""
The report-files source on fixtures in the exact shape Open edX writes (tests/fixtures/accreditation/):

- problem_responses.csv: ``ProblemResponses._build_student_data`` in edx-platform's
  lms/djangoapps/instructor_task/tasks_helper/grades.py: ``username, title, location``, the blocks'
  ``generate_report_data`` keys (each block's sorted, union in first-seen order), ``block_key, state``;
  a learner with state but no row from the block has empty block columns; a capa problem row is mixed in.
- grade_report.csv: ``CourseGradeReport._success_headers``: Student ID, Email, Username, Grade, assignment
  columns, Enrollment Track, Verification Status, Certificate Eligible/Delivered/Type, Enrollment Status.
"""
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from lp_programme import catalogue as cat
from accreditation_export.mapping import map_learner
from accreditation_export.sources.base import Exercise, Learner, ReflectiveEntry, SourceError, block_name, by_learner
from accreditation_export.sources.reports import ReportsSource, read_grade_report, read_problem_responses, unsafe

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "accreditation"
RESPONSES, GRADES = FIXTURES / "problem_responses.csv", FIXTURES / "grade_report.csv"


def test_problem_responses_rows_become_records():
    records = read_problem_responses(RESPONSES)
    entries = [r for r in records if isinstance(r, ReflectiveEntry)]
    assert [(e.username, e.status, e.version) for e in entries] == [("ann", "passed", 2), ("ann", "referred", 1),
                                                                      ("cat", "submitted", 1)]
    passed = entries[0]
    assert passed.entry_id == "3f0c1a52-8d4e-4c1b-9a7e-1b2c3d4e5f60" and passed.block == "log-induction"
    assert passed.title == "=SUM(A1:A9) budget report"  # the block's formula-safety apostrophe is undone
    assert len(passed.criteria) == 12 and passed.criteria_met == passed.criteria  # every LPM1 criterion (issue 13 added 2.4 and 3.4)
    assert passed.decided_at == dt.datetime(2026, 10, 9, 16, 45, tzinfo=dt.timezone.utc) and passed.referrals == 1
    assert entries[1].criteria_met == ("LPM1-3.1",)
    assert entries[2].criteria_met is None and entries[2].decided_at is None  # not decided yet
    exercises = [r for r in records if isinstance(r, Exercise)]
    assert [(x.username, x.block, x.passed, x.attempts) for x in exercises] == [
        ("ann", "exercise-reluctant-partner", True, 2), ("bob", "exercise-reluctant-partner", False, 1),
        ("ann", "exercise-one-voice", True, 1)]
    # bob has state in the log but no entry: known, nothing more; the capa problem row is ignored.
    assert {r.username for r in records if isinstance(r, Learner)} == {"ann", "bob", "cat"}


def test_grade_report_lists_the_course_learners():
    assert read_grade_report(GRADES) == [Learner("ann", True), Learner("bob", True), Learner("cat", True),
                                         Learner("dan", False)]


def test_reports_source_sorts_by_learner_and_maps():
    source = ReportsSource([RESPONSES], [GRADES])
    grouped = dict(by_learner(source.records()))
    assert list(grouped) == ["ann", "bob", "cat", "dan"]
    catalogue = cat.load()
    result = map_learner(catalogue, "ann", grouped["ann"], ZoneInfo("Europe/London"))
    assert result.units["LPM1"].achieved and result.units["LPM1"].date == dt.date(2026, 10, 9)
    lpm3 = result.units["LPM3"]
    assert not lpm3.achieved and all(r.met for r in lpm3.requirements)  # exercises passed, criteria not


def test_the_problem_responses_header_is_the_blocks_columns_sorted():
    header = RESPONSES.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:3] == ["username", "title", "location"] and header[-2:] == ["block_key", "state"]
    log_columns = header[3:18]
    assert log_columns == sorted(log_columns) and "Criteria met" in log_columns


@pytest.mark.parametrize("text, expected", [
    ("username,title\nann,x\n", "missing columns block_key"),
    ("", "the file is empty"),
    ("username,block_key,Entry,Title,Status,Version,Criteria claimed,Criteria met,Decided,Referrals\n"
     "ann,block-v1:a+b+c+type@lp_reflective_log+block@x,e1,T,passed,two,LPM1-1.1,LPM1-1.1,2026-10-01T10:00:00,0\n",
     "problem_responses.csv:2: Version: 'two' is not a whole number"),
    ("username,block_key,Entry\nann,block-v1:a+b+c+type@lp_reflective_log+block@x,e1\n",
     "problem_responses.csv:2: a reflective-log row without the columns Title"),
    ("username,block_key,Attempts,Passed\nann,block-v1:a+b+c+type@lp_facilitation_exercise+block@x,1,perhaps\n",
     "problem_responses.csv:2: Passed: 'perhaps' is not true or false"),
])
def test_bad_reports_are_errors_naming_file_and_line(tmp_path, text, expected):
    path = tmp_path / "problem_responses.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_problem_responses(path)
    assert expected in str(caught.value)


def test_a_source_needs_a_responses_report():
    with pytest.raises(SourceError, match="--responses"):
        ReportsSource([], [GRADES])


@pytest.mark.parametrize("key, name", [
    ("block-v1:LP+PM101+2026+type@lp_reflective_log+block@log-induction", "log-induction"),
    ("i4x://LP/PM101/lp_reflective_log/log-induction", "log-induction"),
    ("lp_reflective_log.0.lp_reflective_log.d0.u0", "lp_reflective_log.0.lp_reflective_log.d0.u0"),
])
def test_block_names(key, name):
    assert block_name(key) == name


@pytest.mark.parametrize("cell, value", [("'=1+1", "=1+1"), ("'-x", "-x"), ("'quoted'", "'quoted'"), ("plain", "plain")])
def test_unsafe(cell, value):
    assert unsafe(cell) == value
