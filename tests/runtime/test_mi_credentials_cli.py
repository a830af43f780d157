"""
``lp-accredit mi-report``, ``keys generate``, ``credentials`` and ``verify`` on a real migrated database: rows
written through the plugin app's models (as the blocks write them), read back by the workbench source, the
key set served over loopback HTTP for ``verify`` to fetch.
"""
import csv
import datetime as dt
import functools
import http.server
import json
import threading

import pytest
from click.testing import CliRunner
from django.db import connection

from accreditation_export.cli import main
from accreditation_export.sources.workbench import WorkbenchSource
from lp_xblocks.data.models import NeedsAssessmentAttempt, ReflectiveEntry, ReflectiveEntryVersion, ReflectiveFeedback
from tests import mi_fixture as fx

pytestmark = pytest.mark.sqlite_file  # the workbench source reads the SQLite file itself

UTC = dt.timezone.utc
LNA_KEY = "course-starting-point.lp_needs_assessment.d0.u0"     # the course's learning-needs analysis in the workbench
LEARNERS = ["ann", "bob", "cat", "dan", "eve", "fay"]


def passed_entry(username, unit_id, when):
    criteria = [criterion.id for criterion in fx.CATALOGUE.unit_by_id[unit_id].criteria]
    entry = ReflectiveEntry.objects.create(block_key="course-chairing-practice.lp_reflective_log.d0.u0",
                                           student_id=username, username=username, status="passed",
                                           title=f"{username} {unit_id}", version=1, decided_at=when,
                                           created_at=when, updated_at=when)
    ReflectiveEntryVersion.objects.create(entry=entry, number=1, title="t", activity_date=when.date(),
                                          entry_type="workplace", body="b", criteria=criteria, word_count=1,
                                          submitted_at=when)
    ReflectiveFeedback.objects.create(entry=entry, version=1, marker="tutor", marked_at=when, decision="pass",
                                      criteria={ident: {"decision": "met", "comment": ""} for ident in criteria})


@pytest.fixture
def database(transactional_db):  # pylint: disable=unused-argument
    for position, username in enumerate(LEARNERS):
        budget_first, budget_latest = fx.BUDGET[username]
        first = {theme: 3.0 for theme in fx.LNA_THEMES}
        first["managing-for-performance"] = budget_first
        NeedsAssessmentAttempt.objects.create(block_key=LNA_KEY, student_id=f"anon-{username}", username=username,
                                              attempt=1, is_latest=budget_latest is None,
                                              submitted_at=dt.datetime(2026, 10, 1 + position, tzinfo=UTC),
                                              overall=3.0, scores=first, first_scores=first)
        if budget_latest is not None:
            latest = dict(first, **{"managing-for-performance": budget_latest})
            NeedsAssessmentAttempt.objects.create(block_key=LNA_KEY, student_id=f"anon-{username}", username=username,
                                                  attempt=2, is_latest=True,
                                                  submitted_at=dt.datetime(2026, 12, 10, tzinfo=UTC), overall=3.0,
                                                  scores=latest, first_scores=first)
    passed_entry("ann", "LPM1", dt.datetime(2026, 11, 20, 15, tzinfo=UTC))
    passed_entry("bob", "LPM1", dt.datetime(2026, 11, 25, 15, tzinfo=UTC))
    return connection.settings_dict["NAME"]


def run(*args, code=0):
    result = CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_workbench_source_gives_every_attempt(database):
    found = list(WorkbenchSource(database).assessments())
    assert [(a.username, a.block, a.attempt) for a in found][:3] == [
        ("ann", "learning-needs-analysis", 1), ("ann", "learning-needs-analysis", 2), ("bob", "learning-needs-analysis", 1)]
    assert found[1].scores["managing-for-performance"] == 4.0 and found[1].first_scores["managing-for-performance"] == 2.0


def test_mi_report_from_the_database(database, tmp_path):
    register = tmp_path / "register.csv"
    register.write_text(fx.register_csv(), encoding="utf-8")
    out = tmp_path / "mi"
    output = run("mi-report", "--db", database, "--register", register, "--out", out, "--ledger", tmp_path / "none")
    assert "Report:" in output and (out / "mi-report.html").is_file()
    assert {path.name for path in out.glob("*.csv")} >= {"registration.csv", "needs-assessment.csv", "satisfaction.csv",
                                                        "progress.csv", "progress-summary.csv", "outcomes.csv",
                                                        "outcomes-summary.csv"}
    budget = [row for row in rows(out / "needs-assessment.csv") if row["Theme"] == "Managing the partnership for performance"]
    # ann..fay latest: 4.0 3.0 2.8 3.6 4.2 2.6 -> 20.2 / 6 = 3.37
    assert {(row["Respondents"], row["Mean"]) for row in budget} == {("6", "3.37")}
    summary = {row["Theme"]: row for row in rows(out / "progress-summary.csv")}
    assert summary["Managing the partnership for performance"]["Retaken by"] == "5"
    assert summary["Managing the partnership for performance"]["Improved"] == "4"
    outcomes = {row["Username"]: row for row in rows(out / "outcomes.csv")}
    assert outcomes["ann"]["Units achieved"] == "A/000/0001" and outcomes["fay"]["Given name"].startswith("'=")
    funder = tmp_path / "funder"
    run("mi-report", "--db", database, "--register", register, "--out", funder, "--audience", "funder",
        "--cohort", "A", "--from", "2026-12-01", "--to", "2026-12-31")
    assert not (funder / "outcomes.csv").exists() and not (funder / "progress.csv").exists()
    assert "fay" not in (funder / "mi-report.html").read_text(encoding="utf-8")
    assert "2026-12-01 to 2026-12-31" in (funder / "mi-report.html").read_text(encoding="utf-8")
    bad = run("mi-report", "--db", database, "--register", register, "--out", funder, "--cohort", "A",
              "--cohort-column", "intake", code=2)
    assert "has no column 'intake'" in bad


@pytest.fixture
def served(tmp_path):
    """A loopback HTTP server for ``tmp_path/keys`` (where the issuer publishes its key set)."""
    folder = tmp_path / "keys"
    folder.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    server.shutdown()
    server.server_close()


def test_keys_credentials_and_verify(database, tmp_path, served):
    folder, jwks_url = served
    register = tmp_path / "register.csv"
    register.write_text(fx.register_csv(), encoding="utf-8")
    run("keys", "generate", "--out", folder, "--jwks-url", jwks_url)
    assert oct((folder / "signing-key.pem").stat().st_mode)[-3:] == "600"
    assert "d" not in json.loads((folder / "jwks.json").read_text())["keys"][0]
    assert "exists" in run("keys", "generate", "--out", folder, "--jwks-url", jwks_url, code=1)
    out = tmp_path / "credentials"
    args = ["credentials", "--db", database, "--register", register, "--key", folder / "signing-key.pem",
            "--jwks", folder / "jwks.json", "--issuer-id", "https://centre.example.org", "--out"]
    assert "2 credentials for 2 candidates" in run(*args, out)
    files = sorted(path.name for path in out.iterdir())
    assert files == ["C001-LPM1.jwt", "C002-LPM1.jwt"]
    again = tmp_path / "again"
    run(*args, again)
    assert all((out / name).read_bytes() == (again / name).read_bytes() for name in files)     # deterministic

    checked = run("verify", "--jwks", jwks_url, *sorted(out.iterdir()))     # the published key set over HTTP
    assert checked.count("ok ") == 2 and "Tools of the trade for learning partnership managers (A/000/0001)" in checked
    assert "valid from 2026-11-20T00:00:00+00:00" in checked

    token = (out / "C001-LPM1.jwt").read_text().strip()
    header, payload, signature = token.split(".")
    claims = json.loads(_b64(payload))
    claims["credentialSubject"]["achievement"]["humanCode"] = "J/000/0003"
    tampered = tmp_path / "tampered.jwt"
    tampered.write_text(".".join([header, _unb64(json.dumps(claims)), signature]))
    failed = run("verify", "--jwks", folder / "jwks.json", tampered, out / "C002-LPM1.jwt", code=1)
    assert f"FAILED {tampered}:" in failed and "signature: does not match" in failed and failed.count("ok ") == 1
    early = run("verify", "--jwks", jwks_url, "--at", "2026-11-01", out / "C001-LPM1.jwt", code=1)
    assert "dates: not valid before 2026-11-20T00:00:00+00:00" in early


def _b64(text):
    import base64  # pylint: disable=import-outside-toplevel
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _unb64(text):
    import base64  # pylint: disable=import-outside-toplevel
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


@pytest.mark.parametrize("command", [["mi-report"], ["credentials"], ["verify"], ["keys"], ["keys", "generate"]])
def test_every_new_command_has_help(command):
    output = run(*command, "--help")
    assert "Usage: " in output and len(output.splitlines()) > 3


def test_bad_input_is_a_message_not_a_traceback(tmp_path):
    register = tmp_path / "register.csv"
    register.write_text(fx.register_csv(), encoding="utf-8")
    assert "--from 2026-12-31 is after --to 2026-12-01" in run(
        "mi-report", "--db", tmp_path / "none.db", "--register", register, "--from", "2026-12-31", "--to", "2026-12-01",
        code=2)
    assert "no such database" in run("mi-report", "--db", tmp_path / "none.db", "--register", register, code=1)
    junk = tmp_path / "junk.jwt"
    junk.write_text("not a credential")
    jwks = tmp_path / "jwks.json"
    jwks.write_text('{"keys": []}')
    output = run("verify", "--jwks", jwks, junk, code=1)
    assert f"FAILED {junk}:" in output and "not a compact JWS" in output
    # Issue 14: without a key set, one clear message and no network attempt (it was a fetch of the kid per file).
    assert "no key set to verify with: give the issuer's published key set with --jwks" in run("verify", junk, code=2)
    key = tmp_path / "key.pem"
    key.write_text("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n")
    output = run("credentials", "--db", tmp_path / "none.db", "--register", register, "--key", key, "--jwks", jwks,
                 "--issuer-id", "https://centre.example.org", code=1)
    assert "not an RSA or Ed25519 private key in PEM" in output
    assert "must be an http(s) URL" in run("keys", "generate", "--out", tmp_path / "k", "--jwks-url", "jwks.json",
                                           code=2)


def test_mi_report_judged_progress_from_the_database(database, tmp_path):
    """Progress beyond self-rating, end to end: tutors' decisions read from the workbench database."""
    # cat: an LPM2 entry referred on 2026-12-01 (one criterion marked met), passed on resubmission on 2026-12-05.
    criteria = list(fx.CATALOGUE.unit_by_id["LPM2"].criterion_ids)
    first, second = dt.datetime(2026, 12, 1, 15, tzinfo=UTC), dt.datetime(2026, 12, 5, 15, tzinfo=UTC)
    entry = ReflectiveEntry.objects.create(block_key="course-chairing-practice.lp_reflective_log.d0.u0",
                                           student_id="cat", username="cat", status="passed", title="cat LPM2",
                                           version=2, decided_at=second, created_at=first, updated_at=second)
    for number, when in ((1, first - dt.timedelta(days=3)), (2, second - dt.timedelta(days=1))):
        ReflectiveEntryVersion.objects.create(entry=entry, number=number, title="t", activity_date=when.date(),
                                              entry_type="workplace", body="b", criteria=criteria, word_count=1,
                                              submitted_at=when)
    ReflectiveFeedback.objects.create(entry=entry, version=1, marker="tutor", marked_at=first, decision="refer",
                                      criteria={ident: {"decision": "met" if ident == criteria[0] else "not_yet_met",
                                                        "comment": ""} for ident in criteria})
    ReflectiveFeedback.objects.create(entry=entry, version=2, marker="tutor", marked_at=second, decision="pass",
                                      criteria={ident: {"decision": "met", "comment": ""} for ident in criteria})
    register = tmp_path / "register.csv"
    register.write_text(fx.register_csv(), encoding="utf-8")
    out = tmp_path / "mi"
    run("mi-report", "--db", database, "--register", register, "--out", out, "--ledger", tmp_path / "none",
        "--min-group", "1")
    people = {row["Username"]: row for row in rows(out / "judged-participants.csv")}
    # ann and bob: every LPM1 criterion (12) passed first time; cat: every LPM2 criterion (6) after a referral.
    assert [people["ann"][key] for key in ("Criteria met", "Units with a criterion met", "First submissions decided",
                                           "Passed first time", "Resubmissions decided", "Passed after referral")] \
        == ["12", "A/000/0001", "1", "1", "0", "0"]
    assert people["bob"]["Criteria met"] == "12"
    assert [people["cat"][key] for key in ("Criteria met", "Units with a criterion met", "First submissions decided",
                                           "Passed first time", "Resubmissions decided", "Passed after referral")] \
        == ["6", "F/000/0002", "1", "0", "1", "1"]
    units = {row["Unit"]: row for row in rows(out / "judged-units.csv")}
    lpm1 = units["A/000/0001 Tools of the trade for learning partnership managers"]
    assert lpm1["Participants with at least one met"] == "2"
    decided = {row["Reflective log"]: row for row in rows(out / "judged-first-submission.csv")}
    # 3 first submissions decided (ann, bob pass; cat refer): 2 passed = 66.7%; 1 resubmission, passed.
    assert [decided["All reflective logs"][key] for key in (
        "Participants", "First submissions decided", "Passed first time", "Percent passed first time",
        "Resubmissions decided", "Passed after referral")] == ["3", "3", "2", "66.7", "1", "1"]
    in_december = tmp_path / "december"
    run("mi-report", "--db", database, "--register", register, "--out", in_december, "--ledger", tmp_path / "none",
        "--min-group", "1", "--from", "2026-12-01", "--to", "2026-12-31")
    decided = {row["Reflective log"]: row for row in rows(in_december / "judged-first-submission.csv")}
    assert decided["All reflective logs"]["Participants"] == "1"
    funder = tmp_path / "funder"
    run("mi-report", "--db", database, "--register", register, "--out", funder, "--ledger", tmp_path / "none",
        "--audience", "funder")
    assert (funder / "judged-units.csv").is_file() and not (funder / "judged-participants.csv").exists()
    assert all(row["Participants with at least one met"].startswith("suppressed")
               for row in rows(funder / "judged-units.csv"))
