"""
Submitting claims to the reference awarding-body server on 127.0.0.1, fault by fault: every claim ends
accepted exactly once (one claim per key on the server, the ledger agreeing), or rejected with the reason.
"""
import datetime as dt
import json
import sqlite3
import time
from zoneinfo import ZoneInfo

import pytest
import requests

from lp_programme import catalogue as cat
from accreditation_export.awarding_body_server import AwardingBodyServer
from accreditation_export.mapping import map_learner
from accreditation_export.outputs import claims_of
from accreditation_export.pipeline import Outcome
from accreditation_export.register import Candidate
from accreditation_export.sources.base import ReflectiveEntry
from accreditation_export.submit import Ledger, Settings, SubmitError, plan, send

pytestmark = pytest.mark.integration
CATALOGUE = cat.load()
TZ = ZoneInfo("Europe/London")
TOKEN = "test-token"
ULNS = ["9276308686", "1000000000", "2000000001", "3000000002"]


def claims_for(people, units=("LPM1", "LPM2"), version=1):
    """Claims of ``people`` candidates, each with ``units`` achieved."""
    found = []
    for number in range(people):
        username = f"learner{number}"
        records = [ReflectiveEntry(username, f"{username}-{unit}", "log", "t", "passed", version,
                                   tuple(c.id for c in CATALOGUE.unit_by_id[unit].criteria), None,
                                   dt.datetime(2026, 10, 1 + number, 12, tzinfo=dt.timezone.utc)) for unit in units]
        candidate = Candidate(number + 2, username, ULNS[number], "Given", "Family", "1980-01-02", f"C{number:03d}",
                              "600/0000/1")
        result = map_learner(CATALOGUE, username, records, TZ)
        outcome = Outcome(candidate, result, result.qualification(CATALOGUE.qualification("600/0000/1"), TZ))
        found += claims_of(outcome, CATALOGUE.centre_number)
    return found


@pytest.fixture
def server():
    with AwardingBodyServer(token=TOKEN) as running:
        yield running


def settings(server, **changes):
    values = dict(url=server.url, token=TOKEN, centre_number=CATALOGUE.centre_number, timeout=(1.0, 2.0), retries=3,
                  backoff=0.01)
    values.update(changes)
    return Settings(**values)


def run(tmp_path, server, claims, **changes):
    configured = settings(server, **changes)
    ledger = Ledger(tmp_path / "ledger.sqlite3", configured.endpoint)
    try:
        the_plan = plan(ledger, claims)
        summary = send(ledger, the_plan.send, configured)
        return the_plan, summary, ledger_states(tmp_path)
    finally:
        ledger.close()


def ledger_states(tmp_path):
    with sqlite3.connect(tmp_path / "ledger.sqlite3") as db:
        return {key: (state, claim_id) for key, state, claim_id in db.execute("SELECT key, state, claim_id FROM claims")}


def assert_each_accepted_once(server, claims, states):
    keys = {claim.key for claim in claims}
    assert set(server.state.claims) == keys                     # each claim recorded once by key
    pairs = [(c["body"]["candidate"]["uln"], c["body"]["unit"]["code"]) for c in server.state.claims.values()]
    assert len(pairs) == len(set(pairs))                         # and once per candidate and unit
    assert states == {key: ("accepted", server.state.claims[key]["claim_id"]) for key in keys}


def assert_a_rerun_sends_nothing(tmp_path, server, claims, accepted=0, rejected=0):
    requests_before = server.state.requests
    the_plan, _summary, _states = run(tmp_path, server, claims)
    assert the_plan.send == [] and server.state.requests == requests_before
    assert (len(the_plan.accepted), len(the_plan.rejected)) == (accepted, rejected)


def test_claims_are_accepted_once_and_a_rerun_sends_nothing(tmp_path, server):
    claims = claims_for(2)
    the_plan, summary, states = run(tmp_path, server, claims)
    assert len(the_plan.new) == 4 and summary.accepted == 4 and not summary.unsent
    assert_each_accepted_once(server, claims, states)
    body = server.state.claims[claims[0].key]["body"]
    assert body == claims[0].body and body["evidence"] == ["reflective_entry:learner0-LPM1:v1"]
    assert_a_rerun_sends_nothing(tmp_path, server, claims_for(2), accepted=4)


def test_server_errors_are_retried(tmp_path, server):
    server.fail_next(2, status=503)
    claims = claims_for(1)
    _plan, summary, states = run(tmp_path, server, claims)
    assert summary.accepted == 2 and server.state.requests == 4
    assert_each_accepted_once(server, claims, states)


def test_429_is_retried_after_retry_after(tmp_path, server):
    server.throttle_next(1, retry_after=1)
    claims = claims_for(1, units=("LPM1",))
    started = time.monotonic()
    _plan, summary, states = run(tmp_path, server, claims)
    assert time.monotonic() - started >= 1.0  # Retry-After honoured, not the 0.01 s backoff
    assert summary.accepted == 1
    assert_each_accepted_once(server, claims, states)


def test_an_answer_later_than_the_timeout_is_resent_and_found_already_received(tmp_path, server):
    server.delay_next(1, seconds=2.0)  # stores the claim, answers after the client's 1 s read timeout
    claims = claims_for(1)
    _plan, summary, states = run(tmp_path, server, claims, timeout=(1.0, 1.0))
    assert (summary.accepted, summary.already) == (1, 1)
    assert sorted(server.state.posts.values()) == [1, 2]  # the delayed claim was posted twice
    assert_each_accepted_once(server, claims, states)


def test_a_dropped_connection_is_retried(tmp_path, server):
    server.close_next(2)
    claims = claims_for(1)
    _plan, summary, states = run(tmp_path, server, claims)
    assert summary.accepted == 2 and not summary.unsent
    assert_each_accepted_once(server, claims, states)


def test_422_rejects_with_the_reason_and_is_not_sent_again(tmp_path, server):
    server.reject_uln(ULNS[1])
    claims = claims_for(2)
    _plan, summary, states = run(tmp_path, server, claims)
    assert summary.accepted == 2 and len(summary.rejected) == 2
    assert all("not known to the Learner Records Service" in reasons for _row, reasons in summary.rejected)
    assert sorted(state for state, _id in states.values()) == ["accepted", "accepted", "rejected", "rejected"]
    assert_a_rerun_sends_nothing(tmp_path, server, claims_for(2), accepted=2, rejected=2)


def test_an_unreachable_awarding_body_leaves_claims_to_send_then_a_rerun_completes(tmp_path, server):
    server.fail_next(100, status=500)
    claims = claims_for(2)
    _plan, summary, states = run(tmp_path, server, claims)
    assert summary.accepted == 0 and summary.stopped and len(summary.unsent) == 4
    assert sorted(state for state, _id in states.values()) == ["pending", "sent", "sent", "sent"]  # 3 tried, 1 not
    configure_none = server.state.faults
    configure_none.fail = 0
    _plan, summary, states = run(tmp_path, server, claims_for(2))
    assert summary.accepted == 4
    assert_each_accepted_once(server, claims, states)


def test_a_refused_token_stops_the_run_with_nothing_lost(tmp_path, server):
    claims = claims_for(1)
    _plan, summary, states = run(tmp_path, server, claims, token="wrong")
    assert "refused the token" in summary.stopped and server.state.claims == {}
    assert sorted(state for state, _id in states.values()) == ["pending", "pending"]
    _plan, summary, states = run(tmp_path, server, claims)
    assert_each_accepted_once(server, claims, states)


def test_changed_evidence_does_not_claim_a_unit_twice_and_withdrawn_evidence_is_held(tmp_path, server):
    first = claims_for(1, units=("LPM1", "LPM2"))
    run(tmp_path, server, first)
    changed = claims_for(1, units=("LPM1", "LPM2"), version=2)  # the same units on other evidence: new keys
    the_plan, summary, _ = run(tmp_path, server, changed)
    assert len(the_plan.duplicates) == 2 and the_plan.send == [] and summary.accepted == 0
    assert len(server.state.claims) == 2

    server.fail_next(100)
    pending = claims_for(2, units=("LPM1",))[1:]  # learner1's LPM1, left pending by the failing server
    run(tmp_path, server, pending, retries=0, timeout=(0.5, 0.5))
    server.state.faults.fail = 0
    the_plan, summary, _ = run(tmp_path, server, [])  # learner1's unit no longer achieved: held, not sent
    assert [row["key"] for row in the_plan.held] == [pending[0].key] and the_plan.send == []


def test_dry_run_changes_and_sends_nothing(tmp_path, server):
    claims = claims_for(1)
    configured = settings(server)
    ledger = Ledger(tmp_path / "ledger.sqlite3", readonly=True)
    the_plan = plan(ledger, claims, dry_run=True)
    ledger.close()
    assert [row["state"] for row in the_plan.send] == ["new", "new"] and server.state.requests == 0
    assert not (tmp_path / "ledger.sqlite3").exists()
    assert configured.endpoint.endswith("/v1/centres/000000/claims")


def test_one_ledger_one_run_and_one_awarding_body(tmp_path, server):
    configured = settings(server)
    ledger = Ledger(tmp_path / "ledger.sqlite3", configured.endpoint)
    try:
        with pytest.raises(SubmitError, match="another lp-accredit run is using this ledger"):
            Ledger(tmp_path / "ledger.sqlite3", configured.endpoint)
    finally:
        ledger.close()
    with pytest.raises(SubmitError, match="records claims sent to"):
        Ledger(tmp_path / "ledger.sqlite3", "https://elsewhere.example/v1/centres/000000/claims")


def test_the_server_validates_claims_and_keys(server):
    claim = claims_for(1, units=("LPM1",))[0]
    url = f"{server.url}/v1/centres/000000/claims"
    headers = {"Authorization": f"Bearer {TOKEN}", "Idempotency-Key": claim.key}
    bad = json.loads(json.dumps(claim.body))
    bad["candidate"]["uln"] = "9999999999"
    bad["unit"]["code"] = "X1"
    reply = requests.post(url, json=bad, headers=headers, timeout=5)
    assert reply.status_code == 422
    assert {e["field"] for e in reply.json()["errors"]} == {"candidate.uln", "unit.code"}
    assert requests.post(url, json=claim.body, headers=headers, timeout=5).status_code == 201
    assert requests.post(url, json=claim.body, headers=headers, timeout=5).json()["status"] == "already_received"
    other = dict(claim.body, achievement_date="2026-12-01")
    assert requests.post(url, json=other, headers=headers, timeout=5).status_code == 422
    assert requests.post(url, json=claim.body, headers={"Idempotency-Key": claim.key}, timeout=5).status_code == 401
    listed = requests.get(url, headers=headers, timeout=5).json()["claims"]
    assert [c["idempotency_key"] for c in listed] == [claim.key]
