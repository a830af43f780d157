"""The workbench source gives each workshop place with the attendance tutors recorded (MI report), sorted by username."""
import datetime as dt

import pytest
from django.db import connection

from accreditation_export.sources import workbench as wb
from lp_xblocks.data.api import workshop as api

pytestmark = pytest.mark.sqlite_file  # the workbench source reads the SQLite file itself

NOW = dt.datetime(2026, 11, 1, 9, tzinfo=dt.timezone.utc)
SESSION = {"id": "s1", "title": "Induction workshop", "module": "Induction", "start": "2027-01-20T10:00",
           "end": "2027-01-20T13:00", "timezone": "Europe/London", "capacity": 2}


@pytest.mark.django_db(transaction=True)
def test_places_and_attendance_come_from_the_workshop_tables():
    for student, name in (("s-zed", "zed"), ("s-amy", "amy"), ("s-bo", ""), ("s-cy", "cy")):
        api.sign_up(block_key="lp_workshop.0.lp_workshop.d0.u0", course_key="", session=SESSION, student_id=student,
                    username=name, now=NOW)
    api.cancel(block_key="lp_workshop.0.lp_workshop.d0.u0", course_key="", session=SESSION, student_id="s-cy", now=NOW)
    api.mark_attendance(block_key="lp_workshop.0.lp_workshop.d0.u0", session_id="s1",
                        marks={"s-zed": "attended", "s-amy": "apologies"}, marked_by="tutor", now=NOW)
    found = list(wb.WorkbenchSource(connection.settings_dict["NAME"]).attendance())
    assert [(a.username, a.status, a.attendance) for a in found] == [
        ("amy", "booked", "apologies"), ("s-bo", "waiting", ""), ("zed", "booked", "attended")]
    assert found[0].module == "Induction" and found[0].starts_at == dt.datetime(2027, 1, 20, 10, tzinfo=dt.timezone.utc)
    assert found[0].session == "s1" and found[0].title == "Induction workshop"
