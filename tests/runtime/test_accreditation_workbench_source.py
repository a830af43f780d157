"""The workbench source reads the plugin app's tables with plain SQL: rows written through the ORM come back as records."""
import datetime as dt
import sqlite3

import pytest
from django.apps import apps
from django.db import connection

from accreditation_export.sources import workbench as wb
from accreditation_export.sources.base import Exercise, ReflectiveEntry, SourceError
from lp_xblocks.data.models import NeedsAssessmentAttempt, ReflectiveEntry as Entry, ReflectiveEntryVersion, ReflectiveFeedback

UTC = dt.timezone.utc
pytestmark = pytest.mark.sqlite_file  # the workbench source reads the SQLite file itself
T0 = dt.datetime(2026, 10, 1, 9, tzinfo=UTC)


def test_every_table_and_column_read_exists_in_the_models():
    tables = {model._meta.db_table: model for model in apps.get_app_config("lp_xblocks").get_models()}
    checked = 0
    for table, columns in wb.COLUMNS.items():
        if table == wb.FACILITATION and table not in tables:
            continue  # the facilitation exercise's table arrives with its block
        assert table in tables, table
        have = {field.column for field in tables[table]._meta.concrete_fields}
        assert set(columns) <= have, (table, set(columns) - have)
        checked += 1
    assert checked >= 4


def entry(username, status, version, criteria, decided=None, marks=None, draft=None, block="lp_reflective_log.0.lp_reflective_log.d0.u0"):
    row = Entry.objects.create(block_key=block, student_id=username, username=username, status=status, title=f"{username} {status}",
                               version=version, decided_at=decided, created_at=T0, updated_at=T0, draft=draft,
                               referrals=1 if status == "referred" else 0)
    for number in range(1, version + 1):
        ReflectiveEntryVersion.objects.create(entry=row, number=number, title="t", activity_date=T0.date(), entry_type="workplace",
                                              body="b", criteria=criteria if number == version else ["OLD-1.1"],
                                              word_count=1, submitted_at=T0)
    if marks is not None:
        ReflectiveFeedback.objects.create(entry=row, version=version, marker="tutor", marked_at=decided or T0,
                                          decision="pass" if status == "passed" else "refer", criteria=marks)
    return row


@pytest.mark.django_db(transaction=True)
def test_entries_and_attempts_come_back_sorted_by_learner():
    passed = entry("zoe", "passed", 2, ["LPM2-1.1", "LPM2-1.2"], T0 + dt.timedelta(days=3),
                   {"LPM2-1.1": {"decision": "met", "comment": ""}, "LPM2-1.2": {"decision": "met", "comment": ""}})
    entry("ann", "referred", 1, ["LPM1-1.1", "LPM1-1.2"], T0, {"LPM1-1.1": {"decision": "met"}, "LPM1-1.2": {"decision": "not_yet_met"}})
    entry("ann", "draft", 0, [], draft={"criteria": ["LPM1-2.1"], "title": "d"})
    entry("bob", "archived", 1, ["LPM1-1.1"])
    NeedsAssessmentAttempt.objects.create(block_key="course-starting-point.lp_needs_assessment.d0.u0", student_id="ann",
                                          username="ann", attempt=1, submitted_at=T0, overall=3.0)
    source = wb.WorkbenchSource(connection.settings_dict["NAME"],
                                course_names={"course-starting-point.lp_needs_assessment.d0": "needs-baseline"})
    records = list(source.records())
    assert [r.username for r in records] == sorted(r.username for r in records) == ["ann", "ann", "ann", "zoe"]
    referred, draft, needs, zoe = records
    assert isinstance(referred, ReflectiveEntry) and referred.status == "referred"
    assert referred.criteria == ("LPM1-1.1", "LPM1-1.2") and referred.criteria_met == ("LPM1-1.1",)
    assert draft.status == "draft" and draft.criteria == ("LPM1-2.1",) and draft.criteria_met is None
    assert needs == Exercise("ann", "needs_assessment", "needs-baseline", True, T0, 1)
    assert zoe.entry_id == str(passed.entry_id) and zoe.version == 2 and zoe.criteria == ("LPM2-1.1", "LPM2-1.2")
    assert zoe.decided_at == T0 + dt.timedelta(days=3) and zoe.block == "lp_reflective_log.0.lp_reflective_log.d0.u0"


@pytest.mark.django_db(transaction=True)
def test_the_database_is_opened_read_only():
    source = wb.WorkbenchSource(connection.settings_dict["NAME"], course_names={})
    opened, _tables = source._connect()  # pylint: disable=protected-access
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        opened.execute(f"DELETE FROM {wb.ENTRY}")
    opened.close()


def test_missing_or_foreign_databases_are_clear_errors(tmp_path):
    with pytest.raises(SourceError, match="no such database"):
        list(wb.WorkbenchSource(tmp_path / "none.db", course_names={}).records())
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(SourceError, match="has no reflective-log tables"):
        list(wb.WorkbenchSource(other, course_names={}).records())
    junk = tmp_path / "junk.db"
    junk.write_text("not a database" * 100)
    with pytest.raises(SourceError, match="not a readable SQLite database"):
        list(wb.WorkbenchSource(junk, course_names={}).records())


def test_course_block_names_follow_the_workbench_usage_ids():
    class Component:  # pylint: disable=too-few-public-methods
        def __init__(self, tag, url_name):
            self.tag, self.url_name = tag, url_name

    class Unit:  # pylint: disable=too-few-public-methods
        url_name = "reluctant-partner"
        components = [Component("html", "text"), Component("lp_facilitation_exercise", "exercise-reluctant-partner"),
                      Component("lp_facilitation_exercise", "exercise-two")]

    class Course:  # pylint: disable=too-few-public-methods
        @staticmethod
        def units():
            return [(None, None, Unit)]

    names = wb.course_block_names(Course)
    source = wb.WorkbenchSource("x.db", course_names=names)
    assert source.block("course-reluctant-partner.lp_facilitation_exercise.d0.u0") == "exercise-reluctant-partner"
    assert source.block("course-reluctant-partner.lp_facilitation_exercise.d1.u0") == "exercise-two"
    assert source.block("course-elsewhere.lp_facilitation_exercise.d0.u0") == "course-elsewhere.lp_facilitation_exercise.d0.u0"
    assert source.block("block-v1:a+b+c+type@x+block@y") == "y"
