"""
The report fixture the file source is tested on (tests/fixtures/accreditation/problem_responses.csv) carries
exactly the columns the real blocks' ``generate_report_data`` rows have, so the fixture cannot drift from them.
"""
import csv
import importlib.resources
from pathlib import Path
from types import SimpleNamespace

from tests.conftest import call_handler
from tests.runtime.test_reflective_log_handlers import ENTRY, XML

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "accreditation" / "problem_responses.csv"


def fixture_header():
    with FIXTURE.open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def test_reflective_log_columns(workbench_block):
    log = workbench_block(XML)
    status, _body, _response = call_handler(log("ann"), "submit_entry", ENTRY)
    assert status == 200
    rows = list(log("ann").generate_report_data(iter([SimpleNamespace(username="ann", state={})])))
    assert len(rows) == 1
    columns = sorted(rows[0][1])
    header = fixture_header()
    start = header.index(columns[0])
    assert header[start:start + len(columns)] == columns  # each block's keys sorted, as Open edX writes them


def test_facilitation_exercise_columns(workbench_block):
    xml = importlib.resources.files("lp_xblocks.facilitation").joinpath("scenarios", "reluctant_partner.xml").read_text("utf-8")
    exercise = workbench_block(xml)
    state = {"attempts": 1, "history": [{"attempt": 1, "ending": "x", "points": 3, "max": 10, "passed": False}],
             "best_points": 3, "action_plan": [], "reflection": ""}
    rows = list(exercise("ann").generate_report_data(iter([SimpleNamespace(username="ann", state=state)])))
    columns = sorted(rows[0][1])
    header = fixture_header()
    start = header.index(columns[0])
    assert header[start:start + len(columns)] == columns
