"""The MI report reads the mentoring tables of the workbench database with plain SQL: what the block stored comes back."""
import datetime as dt

import pytest
from django.apps import apps
from django.db import connection

from accreditation_export.mi.figures import Scope
from accreditation_export.mi.mentoring import uptake
from accreditation_export.sources import mentoring as reader
from accreditation_export.sources import workbench as wb
from lp_xblocks.data.models import MentoringPair, MentoringSession

pytestmark = pytest.mark.sqlite_file  # the workbench source reads the SQLite file itself
T0 = dt.datetime(2026, 10, 1, 9, tzinfo=dt.timezone.utc)


def test_the_tables_and_columns_read_exist_in_the_models():
    tables = {model._meta.db_table: model for model in apps.get_app_config("lp_xblocks").get_models()}
    for table, sql in ((reader.PAIRS, reader.PAIRS_SQL), (reader.SESSIONS, reader.SESSIONS_SQL)):
        columns = {field.column for field in tables[table]._meta.concrete_fields}
        named = sql.split("SELECT", 1)[1].split("FROM", 1)[0].replace("\n", " ")
        assert {name.strip() for name in named.split(",")} <= columns


@pytest.mark.django_db(transaction=True)
def test_pairings_and_sessions_come_back_as_uptake_records():
    ann = MentoringPair.objects.create(block_key="b", mentee_username="ann", mentor_username="mara", paired_at=T0,
                                       agreed_at=T0, agreement_status="agreed", reviewed_at=T0,
                                       review={"goals_met": "yes", "what_next": "x", "continue": True})
    MentoringPair.objects.create(block_key="b", mentee_username="bob", mentor_username="mo", paired_at=T0)
    MentoringPair.objects.create(block_key="b", mentee_username="cy", mentor_username="mo", paired_at=T0, active=False)
    for number, state in ((1, "confirmed"), (2, "logged")):
        MentoringSession.objects.create(pair=ann, number=number, mentor_username="mara", held_on=T0.date(), focus="f",
                                        discussed="SECRET", state=state, logged_at=T0,
                                        confirmed_at=T0 if state == "confirmed" else None)
    records = wb.WorkbenchSource(connection.settings_dict["NAME"], course_names={}).mentoring()
    assert [(r.username, r.continuing, len(r.sessions_logged), len(r.sessions_confirmed)) for r in records] == [
        ("ann", True, 2, 1), ("bob", None, 0, 0)]
    assert records[0].agreed_at == T0 and records[1].agreed_at is None
    rows = {row[0]: row[1:] for row in uptake(records, Scope(minimum=1)).items[0].rows}
    assert rows["Mentoring agreement signed by both"] == [1, 50.0]
    assert "SECRET" not in repr(records)
