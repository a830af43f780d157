"""lp-accredit's commands: help everywhere, clear errors without tracebacks, deterministic and formula-safe files."""
import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from accreditation_export.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "accreditation"
REPORTS = ["--source", "reports", "--responses", str(FIXTURES / "problem_responses.csv"),
           "--grades", str(FIXTURES / "grade_report.csv")]
HEADER = "username,uln,given_name,family_name,date_of_birth,candidate_number,opted_in\n"


def run(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args])


@pytest.mark.parametrize("command", ["", "check-catalogue", "check-register", "explain", "export", "submit", "ledger",
                                     "reference-server"])
def test_every_command_has_help(command):
    result = run(*([command] if command else []), "--help")
    assert result.exit_code == 0 and "Usage: " in result.output and len(result.output.splitlines()) > 3


@pytest.fixture
def register(tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(HEADER + "ann,9276308686,=HYPERLINK(\"x\"),Bell,1980-01-02,C001,yes\n"
                             "bob,1000000000,Bob,Cole,1980-01-02,C002,yes\n"
                             "cat,9999999999,Cat,Dunn,1980-01-02,C003,yes\n"
                             "zed,2000000001,Zed,Zeta,1980-01-02,C004,yes\n"
                             "dan,,,,,,no\n", encoding="utf-8")
    return path


def test_export_writes_the_documented_files(tmp_path, register):
    result = run("export", "--register", register, "--out", tmp_path / "out", *REPORTS)
    assert result.exit_code == 0, result.output
    assert "2 candidates: 1 unit claim, 0 qualifications achieved; 2 rejected, 1 opted out" in result.output
    with open(tmp_path / "out" / "claims.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Centre number", "Candidate number", "ULN", "Family name", "Given name", "Date of birth",
                       "Qualification code", "Unit code", "Unit title", "Level", "Credit", "Result", "Achievement date"]
    assert rows[1] == ["000000", "C001", "9276308686", "Bell", "'=HYPERLINK(\"x\")", "1980-01-02", "600/0000/0",
                       "A/000/0001", "Tools of the trade for learning partnership managers", "4", "3", "achieved",
                       "2026-10-09"]
    document = json.loads((tmp_path / "out" / "claims.json").read_text(encoding="utf-8"))
    assert document["claims"][0]["candidate"]["given_name"] == "=HYPERLINK(\"x\")"  # JSON keeps the data as it is
    with open(tmp_path / "out" / "rejections.csv", newline="", encoding="utf-8") as handle:
        rejected = list(csv.DictReader(handle))
    assert [(r["Line"], r["Username"], r["Field"]) for r in rejected] == [("4", "cat", "uln"), ("5", "zed", "username")]
    again = run("export", "--register", register, "--out", tmp_path / "again", *REPORTS)
    assert again.exit_code == 0
    for name in ("claims.csv", "claims.json", "results.csv", "rejections.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "again" / name).read_bytes()


def test_json_claims_are_the_bodies_submit_sends(tmp_path, register):
    from lp_programme import catalogue as cat  # pylint: disable=import-outside-toplevel
    from accreditation_export.outputs import claims_of  # pylint: disable=import-outside-toplevel
    from accreditation_export.pipeline import evaluate  # pylint: disable=import-outside-toplevel
    from accreditation_export.register import read_register  # pylint: disable=import-outside-toplevel
    from accreditation_export.sources.reports import ReportsSource  # pylint: disable=import-outside-toplevel
    from zoneinfo import ZoneInfo  # pylint: disable=import-outside-toplevel

    run("export", "--register", register, "--out", tmp_path / "out", *REPORTS)
    catalogue = cat.load()
    candidates = read_register(register, qualifications={"600/0000/0"}, default_qualification="600/0000/0").candidates
    outcomes = evaluate(catalogue, candidates, ReportsSource([FIXTURES / "problem_responses.csv"]).records(),
                        ZoneInfo("Europe/London"), [])
    bodies = [claim.body for outcome in outcomes for claim in claims_of(outcome, "000000")]
    assert json.loads((tmp_path / "out" / "claims.json").read_text(encoding="utf-8"))["claims"] == bodies


def test_explain_prints_evidence_and_what_is_missing(register):
    result = run("explain", "ann", "--register", register, *REPORTS)
    assert result.exit_code == 0, result.output
    assert "Unit LPM1 A/000/0001" in result.output and "ACHIEVED 2026-10-09" in result.output
    assert "Qualification 600/0000/0 Level 4 Award in Learning Partnership Management: NOT ACHIEVED" in result.output
    assert "600/0000/1" not in result.output  # only the registered qualification
    assert "cat will not be claimed: the ULN fails" in run("explain", "cat", "--register", register, *REPORTS).output


@pytest.mark.parametrize("args, message", [
    (["explain", "ann", "--db", "/nonexistent/workbench.db"], "no such database"),
    (["export", "--register", "/nonexistent.csv", *REPORTS], "cannot be read"),
    (["explain", "ann", "--source", "reports"], "--responses"),
    (["explain", "ann", "--source", "rest"], "--source rest needs --lms-url"),
    (["explain", "ann", "--timezone", "Mars/Olympus"], "unknown time zone"),
    (["check-catalogue", "--catalogue", "/nonexistent.yaml"], "cannot be read"),
    (["submit", "--register", "x.csv", "--url", "http://127.0.0.1:9"], "--token"),
])
def test_errors_are_messages_not_tracebacks(args, message):
    result = run(*args)
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, (TypeError, AttributeError, KeyError))


def test_check_register_lists_rejections_and_fails(register):
    result = run("check-register", "--register", register)
    assert result.exit_code == 1
    assert "3 opted in and valid, 1 opted out, 1 rejected" in result.output
    assert "line 4: cat: uln: the ULN fails the Learner Records Service check digit" in result.output


def test_check_catalogue_reports_every_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(Path(__import__("lp_programme.catalogue", fromlist=["x"]).DEFAULT_CATALOGUE)
                   .read_text(encoding="utf-8").replace('"A/000/0001"', '"A0001"').replace('level: "4"', 'level: "9"', 1),
                   encoding="utf-8")
    result = run("check-catalogue", "--catalogue", bad)
    assert result.exit_code == 1
    assert f"{bad}:" in result.output and "qualifications[0].level: '9' is not a level" in result.output
    assert "units[0].code: 'A0001' is not a unit reference of the form A/123/4567" in result.output
