"""
Issue 12 (high): ``submit`` against a hostile awarding body (the reference server's hostile fault modes on
127.0.0.1): an HTML 200, a redirect, wrong JSON, a huge body, a drip feed, as well as the reference faults.
Whatever the answers, every claim ends either accepted exactly once on a contract-valid answer (the ledger's
claim id is the server's) or still pending / sent for the next run, never falsely accepted; each answer is
recorded in the ledger; the run's time and memory stay bounded.
"""
import sqlite3
import time
import tracemalloc

import pytest

from accreditation_export.submit import MAX_ANSWER, Answer, contract_problem
from tests.integration.test_accreditation_submit import (
    assert_each_accepted_once, claims_for, ledger_states, run, server)  # noqa: F401  (server is a fixture)

pytestmark = pytest.mark.integration


def ledger_rows(tmp_path):
    with sqlite3.connect(tmp_path / "ledger.sqlite3") as db:
        db.row_factory = sqlite3.Row
        return {row["key"]: dict(row) for row in db.execute("SELECT * FROM claims")}


def assert_never_falsely_accepted(tmp_path, server, claims):
    """Every accepted claim in the ledger carries the claim id the server gave that key; no other is accepted."""
    for key, row in ledger_rows(tmp_path).items():
        if row["state"] == "accepted":
            assert key in server.state.claims and row["claim_id"] == server.state.claims[key]["claim_id"]
        else:
            assert row["state"] in ("pending", "sent") and row["claim_id"] is None


@pytest.mark.parametrize("mode, stored, recorded", [
    ("html", False, "HTTP 200 text/html; charset=utf-8: <!doctype html>"),
    ("redirect", False, "HTTP 302 text/html"),
    ("status_ok", False, 'HTTP 200 application/json: {"status": "ok"}'),
    ("other_key", True, '"idempotency_key": "0000000000'),
    ("no_claim_id", True, '"status": "received"'),
    ("text_json", True, "HTTP 201 text/html: {"),
])
def test_an_answer_outside_the_contract_accepts_nothing_and_a_rerun_completes(tmp_path, server, mode, stored,
                                                                              recorded):
    claims = claims_for(2)
    server.hostile_next(len(claims), mode)
    _plan, summary, _states = run(tmp_path, server, claims, max_failures=10)
    assert summary.accepted == summary.already == 0 and len(summary.unsent) == len(claims)
    assert_never_falsely_accepted(tmp_path, server, claims)
    rows = ledger_rows(tmp_path)
    assert {row["state"] for row in rows.values()} == {"pending"}
    assert all(recorded in row["response"] and row["last_error"].startswith(
        "HTTP 302: a redirect" if mode == "redirect" else "not accepted: ") for row in rows.values())
    assert len(server.state.claims) == (len(claims) if stored else 0)
    if mode == "redirect":
        assert all("/login?next=/v1" in row["last_error"] for row in rows.values())
        assert sum(server.state.posts.values()) == 0          # the redirect was not followed (nor resent)
    # The awarding body is well again: every claim accepted exactly once, with the server's claim id.
    _plan, summary, states = run(tmp_path, server, claims)
    assert (summary.accepted, summary.already) == ((0, len(claims)) if stored else (len(claims), 0))
    assert_each_accepted_once(server, claims, states)


def test_a_huge_answer_is_cut_at_the_cap_and_memory_stays_bounded(tmp_path, server):
    claims = claims_for(2)
    server.hostile_next(len(claims), "huge", size=200 * 1024 * 1024)
    started = time.monotonic()
    tracemalloc.start()
    try:
        _plan, summary, _states = run(tmp_path, server, claims, max_failures=10)
        peak_mb = tracemalloc.get_traced_memory()[1] / 1024 / 1024      # the server thread's blocks are counted too
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - started
    print(f"huge answers of 200 MB: {elapsed:.2f} s, peak traced memory {peak_mb:.1f} MB")
    assert summary.accepted == 0 and len(summary.unsent) == len(claims)
    assert peak_mb < 20
    assert_never_falsely_accepted(tmp_path, server, claims)
    for row in ledger_rows(tmp_path).values():
        assert row["state"] == "pending" and f"larger than {MAX_ANSWER} bytes" in row["last_error"]
        assert len(row["response"]) < 2200 and row["response"].endswith("[cut: larger than the limit]")
    _plan, summary, states = run(tmp_path, server, claims)
    assert summary.already == len(claims)
    assert_each_accepted_once(server, claims, states)


def test_a_drip_feed_cannot_hold_the_run_past_the_deadline(tmp_path, server):
    claims = claims_for(3)                                           # 6 claims
    server.hostile_next(len(claims), "drip", interval=0.2)           # the answer (~100 bytes) would take 20 s
    started = time.monotonic()
    _plan, summary, _states = run(tmp_path, server, claims, timeout=(0.5, 1.0), retries=3)
    elapsed = time.monotonic() - started
    print(f"drip feed, whole-request deadline 1.5 s, 3 failures stop the run: {elapsed:.2f} s")
    assert elapsed < 3 * 1.5 + 2.5                                    # three cut requests, then the run stops
    assert summary.stopped and summary.accepted == 0
    assert sum(server.state.posts.values()) == 3                     # a cut request is not retried
    rows = ledger_rows(tmp_path)
    cut = [row for row in rows.values() if row["attempts"]]
    assert len(cut) == 3 and all(row["state"] == "sent" and "whole-request deadline" in row["last_error"]
                                 for row in cut)
    assert_never_falsely_accepted(tmp_path, server, claims)
    server.hostile_next(0, "drip")                                   # the awarding body is well again
    _plan, summary, states = run(tmp_path, server, claims)
    assert (summary.already, summary.accepted) == (3, 3)
    assert_each_accepted_once(server, claims, states)


def test_the_reference_faults_and_hostile_answers_mixed_end_exactly_once(tmp_path, server):
    claims = claims_for(4)                                           # 8 claims
    server.fail_next(2, status=503)
    server.throttle_next(1, retry_after=0)
    server.close_next(1)
    server.hostile_next(3, "text_json")
    for _attempt in range(3):
        run(tmp_path, server, claims, max_failures=20)
        assert_never_falsely_accepted(tmp_path, server, claims)
    assert_each_accepted_once(server, claims, ledger_states(tmp_path))


@pytest.mark.parametrize("answer, problem", [
    (Answer(201, "application/json", b'{"claim_id": "C1", "idempotency_key": "k", "status": "received"}'), None),
    (Answer(200, "application/json; charset=utf-8",
            b'{"claim_id": "C1", "idempotency_key": "k", "status": "already_received"}'), None),
    (Answer(200, "application/json", b'{"claim_id": "C1", "idempotency_key": "k", "status": "received"}'),
     "the answer's status is 'received', not 'already_received'"),
    (Answer(201, "application/json", b'{"claim_id": "", "idempotency_key": "k", "status": "received"}'),
     "the answer has no awarding-body claim id"),
    (Answer(201, "application/json", b'{"claim_id": 7, "idempotency_key": "k", "status": "received"}'),
     "the answer has no awarding-body claim id"),
    (Answer(201, "application/json", b'[1]'), "the answer is not a JSON object"),
    (Answer(201, "application/json", b'{"a": ' * 5000), "the answer is not a JSON object"),
    (Answer(201, "application/jsonx", b'{}'), "the answer is not JSON (Content-Type 'application/jsonx')"),
    (Answer(204, "application/json", b''), "HTTP 204 is not an answer of the contract"),
])
def test_the_contract_check(answer, problem):
    assert contract_problem(answer, "k") == problem


def test_the_control_endpoint_sets_hostile_modes_and_refuses_unknown_ones():
    import requests  # pylint: disable=import-outside-toplevel
    from accreditation_export.awarding_body_server import AwardingBodyServer  # pylint: disable=import-outside-toplevel
    with AwardingBodyServer(token="t", control=True) as running:
        reply = requests.post(running.url + "/_control/faults", json={"hostile_next": 2, "mode": "drip",
                                                                      "interval": 0.1}, timeout=5)
        assert reply.status_code == 200
        assert (running.state.faults.hostile, running.state.faults.hostile_mode) == (2, "drip")
        reply = requests.post(running.url + "/_control/faults", json={"hostile_next": 1, "mode": "nope"}, timeout=5)
        assert reply.status_code == 400 and "unknown hostile mode 'nope'" in reply.json()["error"]
        reply = requests.post(running.url + "/_control/faults", json={"no_such_fault": 1}, timeout=5)
        assert reply.status_code == 400
