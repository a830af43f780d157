"""The workbench source gives each tutor decision with the submission time of the version it decided (turnaround)."""
import datetime as dt

import pytest
from django.db import connection

from accreditation_export.sources import workbench as wb
from lp_xblocks.data.models import ReflectiveEntry as Entry, ReflectiveEntryVersion, ReflectiveFeedback

pytestmark = pytest.mark.sqlite_file  # the workbench source reads the SQLite file itself

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 10, 1, 9, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)
def test_decisions_come_with_the_submission_they_decided():
    row = Entry.objects.create(block_key="lp_reflective_log.0.lp_reflective_log.d0.u0", student_id="s-zed",
                               username="zed", status="passed", title="t", version=2, created_at=T0, updated_at=T0,
                               decided_at=T0 + dt.timedelta(days=9))
    for number, submitted in ((1, T0), (2, T0 + dt.timedelta(days=6))):
        ReflectiveEntryVersion.objects.create(entry=row, number=number, title="t", activity_date=T0.date(),
                                              entry_type="workplace", body="b", criteria=[], word_count=1,
                                              submitted_at=submitted)
    ReflectiveFeedback.objects.create(entry=row, version=1, marker="tutor", marked_at=T0 + dt.timedelta(days=4),
                                      decision="refer", criteria={})
    ReflectiveFeedback.objects.create(entry=row, version=2, marker="tutor", marked_at=T0 + dt.timedelta(days=6, hours=1),
                                      decision="", criteria={})       # feedback only: not a decision
    ReflectiveFeedback.objects.create(entry=row, version=2, marker="tutor", marked_at=T0 + dt.timedelta(days=9),
                                      decision="pass", criteria={})
    found = list(wb.WorkbenchSource(connection.settings_dict["NAME"]).decisions())
    assert [(d.username, d.version, d.decision) for d in found] == [("zed", 1, "refer"), ("zed", 2, "pass")]
    assert [(d.decided_at - d.submitted_at).days for d in found] == [4, 3]
