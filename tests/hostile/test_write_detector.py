"""
The corpus's own checks can fail. Its "nothing stored changed" check sees a write to each store it stands for: the plugin tables,
edx-submissions and the workbench's user state (and stays still for a read after the warm-up read).
"""
import json
from datetime import datetime, timezone

import pytest
from submissions import api as submissions_api

from tests.conftest import call_handler
from tests.hostile.corpus import LEARNER, Caller, Query, check, writes
from tests.runtime.test_facilitation_handlers import XML as FX_XML
from tests.runtime.test_needs_assessment_handlers import ANSWERS
from tests.runtime.test_needs_assessment_handlers import XML as NA_XML

# "Writes nothing" is read from SQLite's own count of changed rows: the corpus runs on SQLite only.
pytestmark = pytest.mark.sqlite_file


def test_a_plugin_row_and_user_state_are_writes(workbench_block):
    caller = Caller(workbench_block(NA_XML.format(retake="true")))
    before = writes()
    status, _ = caller("submit", LEARNER, "POST", json.dumps({"answers": ANSWERS}).encode())
    assert status == 200 and writes() > before


def test_user_state_alone_is_a_write(workbench_block):
    get = workbench_block(FX_XML.format(weight="1.0", min_rows=1))
    caller = Caller(get)
    call_handler(get(LEARNER), "choose", {"scene": "opening", "choice": 0})
    before = writes()
    status, _ = caller("restart", LEARNER, "POST", b"{}")  # only the learner's play (user state) changes
    assert status == 200 and writes() > before


def test_an_edx_submissions_record_is_a_write(db):  # pylint: disable=unused-argument
    before = writes()
    submissions_api.create_submission(
        {"student_id": "s", "course_id": "c", "item_id": "i", "item_type": "t"}, {"a": 1},
        submitted_at=datetime.now(timezone.utc), attempt_number=1)
    assert writes() > before


def test_a_read_after_the_warm_up_writes_nothing(workbench_block):
    caller = Caller(workbench_block(FX_XML.format(weight="1.0", min_rows=1)))
    before = writes()
    status, _ = caller("state", LEARNER, "GET", Query(""))
    assert status == 200 and writes() == before


class _Response:  # pylint: disable=too-few-public-methods
    content_type = "application/json"


@pytest.mark.parametrize("status, reply, written", [
    (500, {"error": "boom"}, 0),
    (400, {"error": "bad"}, 0),            # names no field
    (404, {"error": ""}, 0),               # no message
    (403, {"error": "no", "field": None}, 1),  # refused, yet wrote
])
def test_the_invariants_fail_on_what_they_forbid(status, reply, written):
    with pytest.raises(AssertionError):
        check(status, reply, _Response(), written)


@pytest.mark.parametrize("status, reply, written", [
    (200, {"ok": True}, 3), (400, {"error": "bad", "field": "x"}, 0), (409, {"error": "stale"}, 0),
    (413, {"error": "big", "field": None}, 0),
])
def test_the_invariants_pass_what_they_allow(status, reply, written):
    check(status, reply, _Response(), written)
