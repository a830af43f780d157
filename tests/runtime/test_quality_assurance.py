"""
The reflective log's quality-assurance handlers in the SDK's WorkbenchRuntime: the internal verifier's sample and
decisions, appeals against referrals and reasonable-adjustments notes, with the permission matrix
(anonymous, learner, other learner, tutor, other tutor, verifier) for every new handler.
"""
from datetime import timedelta

import pytest
from lxml import etree

from lp_xblocks.data.models import AdjustmentNote, Appeal, ReflectiveAuditEvent, ReflectiveEntry, VerificationDecision
from lp_xblocks.reflective_log import block as block_module
from tests.conftest import call_handler
from tests.runtime.test_reflective_log_handlers import XML, counts, mark, ok, submit

QA_XML = XML.replace('max_words="40"', 'max_words="40" sample_per_tutor="1" sample_pass_percent="50" appeal_days="7"')
NOT_MET = {"decision": "not_yet_met", "comment": "Say what you did."}

QA_HANDLERS = ["verification_sample", "verification_entry", "verify_entry", "returned_entries", "my_appeals",
               "appeal_referral", "appeals", "decide_appeal", "adjustments", "save_adjustments"]
VERIFIER_ONLY = ["verification_sample", "verification_entry", "verify_entry"]
STAFF_OR_VERIFIER = ["returned_entries", "appeals", "decide_appeal", "save_adjustments"]


@pytest.fixture
def log(workbench_block):
    return workbench_block(QA_XML)


def qa_counts():
    return counts() + (VerificationDecision.objects.count(), Appeal.objects.count(), AdjustmentNote.objects.count())


def refused(call):
    """A refused request stores nothing; returns (status, body)."""
    before, rows = qa_counts(), list(ReflectiveEntry.objects.order_by("id").values())
    status, body, _ = call()
    assert qa_counts() == before and list(ReflectiveEntry.objects.order_by("id").values()) == rows
    return status, body


def referred(log, student="ann", tutor="tutor"):
    entry = submit(log, student)
    ok(mark(log, entry, tutor=tutor, decision="refer", criteria={"LPM1-2.1": NOT_MET, "LPM1-2.2": NOT_MET}))
    return entry


def passed(log, student="bob", tutor="tutor"):
    entry = submit(log, student)
    ok(mark(log, entry, tutor=tutor))
    return entry


# ---------------------------------------------------------------------------------------- permission matrix

@pytest.mark.parametrize("handler", QA_HANDLERS)
def test_anonymous_visitors_are_refused_every_quality_handler(log, handler):
    entry = referred(log)
    status, body = refused(lambda: call_handler(log("none"), handler, {"entry_id": entry["entry_id"], "learner": "ann",
                                                                       "reasons": "x", "appeal_id": 1}))
    assert status == 403 and body["error"]


@pytest.mark.parametrize("handler", VERIFIER_ONLY)
@pytest.mark.parametrize("caller", ["ann", "bob", "tutor", "tutor2"])
def test_only_verifiers_reach_the_verification_handlers(log, handler, caller):
    entry = referred(log)
    status, body = refused(lambda: call_handler(log(caller), handler, {
        "entry_id": entry["entry_id"], "agreement": "disagree", "comment": "No."}))
    assert status == 403 and "verifiers" in body["error"]


@pytest.mark.parametrize("handler", STAFF_OR_VERIFIER)
@pytest.mark.parametrize("caller", ["ann", "bob"])
def test_learners_cannot_use_the_staff_quality_handlers(log, handler, caller):
    referred(log)
    status, body = refused(lambda: call_handler(log(caller), handler, {"learner": "ann", "note": "x", "appeal_id": 1,
                                                                       "outcome": "upheld", "reasons": "x"}))
    assert status == 403 and body["error"]


def test_verifiers_read_submitted_work_but_not_drafts_and_do_not_mark(log):
    entry = referred(log)
    draft = ok(call_handler(log("ann"), "save_draft", {"title": "Private draft"}))["entry"]
    view = ok(call_handler(log("verifier"), "verification_entry", {"entry_id": entry["entry_id"]}))["entry"]
    assert view["status"] == "referred" and "draft" not in view and view["audit"]
    status, _ = refused(lambda: call_handler(log("verifier"), "verification_entry", {"entry_id": draft["entry_id"]}))
    assert status == 404
    portfolio = ok(call_handler(log("verifier"), "portfolio", {"learner": "ann"}))
    assert [item["title"] for item in portfolio["entries"]] == [entry["title"]]
    # The verifier is not a tutor: the marking handlers refuse them.
    for handler in ("start_marking", "mark_entry", "queue"):
        status, _ = refused(lambda h=handler: call_handler(log("verifier"), h, {"entry_id": entry["entry_id"]}))
        assert status == 403


def test_a_verifier_who_is_also_staff_still_cannot_mark(log, settings):
    settings.LP_WORKBENCH_TUTORS = ["tutor", "tutor2", "verifier"]
    entry = submit(log)
    assert ok(call_handler(log("verifier"), "open_entry", {"entry_id": entry["entry_id"]}))["can_mark"] is False
    status, body = refused(lambda: mark(log, entry, tutor="verifier"))
    assert status == 403 and "verifiers do not mark" in body["error"]


# ---------------------------------------------------------------------------------------- sampling and verification

def test_the_sample_takes_every_referral_and_explains_each_pick(log):
    refer = referred(log, "ann", tutor="tutor")
    passes = [passed(log, name, tutor="tutor2") for name in ("bob", "cat", "dan")]
    reply = ok(call_handler(log("verifier"), "verification_sample", {}))
    picked = {item["entry_id"]: item for item in reply["sample"]}
    assert refer["entry_id"] in picked
    assert "Every referral is verified." in picked[refer["entry_id"]]["reason_texts"]
    assert reply["marked"] == 4 and reply["plan"] == {"per_tutor": 1, "pass_percent": 50, "seed": ""}
    sampled_passes = [item for item in reply["sample"] if item["decision"] == "pass"]
    assert len(sampled_passes) >= 2  # 50 % of 3 passes, rounded up
    assert {item["entry_id"] for item in reply["others"]} == {e["entry_id"] for e in passes} - set(picked)
    assert all(item["reason_texts"] for item in reply["sample"])
    # The same decisions give the same sample.
    assert ok(call_handler(log("verifier"), "verification_sample", {}))["sample"] == reply["sample"]


def test_agreeing_records_the_decision_and_keeps_the_entry(log):
    entry = passed(log)
    reply = ok(call_handler(log("verifier"), "verify_entry", {"entry_id": entry["entry_id"], "agreement": "agree"}))
    assert reply["status"] == "passed"
    row = VerificationDecision.objects.get()
    assert (row.agreement, row.decision, row.marker, row.verifier, row.version) == ("agree", "pass", "tutor", "verifier", 1)
    event = ReflectiveAuditEvent.objects.filter(action="verified").get()
    assert (event.role, event.actor, event.from_status, event.to_status) == ("verifier", "verifier", "passed", "passed")


def test_disagreeing_needs_a_comment_and_returns_the_entry_to_the_tutors(log):
    entry = passed(log)
    status, body = refused(lambda: call_handler(log("verifier"), "verify_entry", {
        "entry_id": entry["entry_id"], "agreement": "disagree", "comment": " \u200b"}))
    assert status == 400 and body["field"] == "comment"
    reply = ok(call_handler(log("verifier"), "verify_entry", {
        "entry_id": entry["entry_id"], "agreement": "disagree", "comment": "Criterion 2.2 is only described."}))
    assert reply["status"] == "submitted"
    returned = ok(call_handler(log("tutor"), "returned_entries", {}))["returned"]
    assert returned[entry["entry_id"]]["comment"] == "Criterion 2.2 is only described."
    queue = ok(call_handler(log("tutor"), "queue", {}))
    assert queue["counts"]["submitted"] == 1
    assert queue["returned"][entry["entry_id"]]["comment"] == "Criterion 2.2 is only described."
    # The learner's coverage no longer counts the returned pass until a tutor decides again.
    assert ok(call_handler(log("bob"), "my_entries", {}))["score"]["points"] == 0
    event = ReflectiveAuditEvent.objects.filter(action="returned").get()
    assert (event.role, event.from_status, event.to_status) == ("verifier", "passed", "submitted")
    # A tutor re-marks it: the note leaves the returned list, and the new decision can be verified again.
    ok(mark(log, entry, tutor="tutor2", decision="refer",
            criteria={"LPM1-2.1": {"decision": "met"}, "LPM1-2.2": NOT_MET}))
    assert ok(call_handler(log("tutor"), "returned_entries", {}))["returned"] == {}
    other = passed(log, "cat")
    status, body = refused(lambda: call_handler(log("verifier"), "verify_entry", {
        "entry_id": other["entry_id"], "agreement": "maybe"}))
    assert status == 400 and body["field"] == "agreement"


def test_a_decision_waiting_for_marking_cannot_be_verified(log):
    entry = submit(log)
    status, body = refused(lambda: call_handler(log("verifier"), "verify_entry", {
        "entry_id": entry["entry_id"], "agreement": "agree"}))
    assert status == 409 and "no standing decision" in body["error"]


# ---------------------------------------------------------------------------------------- appeals

def test_a_learner_appeals_a_referral_once_within_the_window(log):
    entry = referred(log)
    state = ok(call_handler(log("ann"), "my_appeals", {}))
    assert state["days"] == 7 and state["appeals"][entry["entry_id"]]["may_appeal"] is True
    status, body = refused(lambda: call_handler(log("ann"), "appeal_referral", {"entry_id": entry["entry_id"],
                                                                                  "reasons": "\u200b"}))
    assert status == 400 and body["field"] == "reasons"
    status, body = refused(lambda: call_handler(log("ann"), "appeal_referral", {"entry_id": entry["entry_id"],
                                                                                  "reasons": "x" * 4001}))
    assert status == 400 and "4000" in body["error"]
    appeal = ok(call_handler(log("ann"), "appeal_referral", {
        "entry_id": entry["entry_id"], "reasons": "The minutes attached show I chaired it."}))["appeal"]
    assert appeal["status"] == "open" and "referred_by" not in appeal
    status, body = refused(lambda: call_handler(log("ann"), "appeal_referral", {
        "entry_id": entry["entry_id"], "reasons": "Again."}))
    assert status == 409 and "once" in body["error"]
    status, body = refused(lambda: call_handler(log("bob"), "appeal_referral", {
        "entry_id": entry["entry_id"], "reasons": "Not mine."}))
    assert status == 403
    assert ReflectiveAuditEvent.objects.filter(action="appealed", role="learner", actor="ann").count() == 1


def test_an_appeal_out_of_time_or_against_a_pass_is_refused(log, monkeypatch):
    entry = referred(log)
    real_now = block_module._now()  # pylint: disable=protected-access
    monkeypatch.setattr(block_module, "_now", lambda: real_now + timedelta(days=7, minutes=1))
    assert ok(call_handler(log("ann"), "my_appeals", {}))["appeals"][entry["entry_id"]]["may_appeal"] is False
    status, body = refused(lambda: call_handler(log("ann"), "appeal_referral", {
        "entry_id": entry["entry_id"], "reasons": "Late."}))
    assert status == 409 and "time to appeal ended" in body["error"]
    monkeypatch.setattr(block_module, "_now", lambda: real_now)
    good = passed(log, "ann")
    status, body = refused(lambda: call_handler(log("ann"), "appeal_referral", {
        "entry_id": good["entry_id"], "reasons": "Why?"}))
    assert status == 409 and "Only a referred entry" in body["error"]


def _appeal(log):
    entry = referred(log, tutor="tutor")
    ok(call_handler(log("ann"), "appeal_referral", {"entry_id": entry["entry_id"], "reasons": "I did chair it."}))
    return entry, Appeal.objects.get().pk


def test_the_referring_tutor_cannot_decide_the_appeal(log):
    entry, appeal_id = _appeal(log)
    listed = ok(call_handler(log("tutor"), "appeals", {}))["appeals"]
    assert listed[0]["may_decide"] is False and listed[0]["referred_by"] == "tutor"
    assert ok(call_handler(log("tutor2"), "appeals", {}))["appeals"][0]["may_decide"] is True
    assert ok(call_handler(log("verifier"), "appeals", {}))["appeals"][0]["may_decide"] is True
    status, body = refused(lambda: call_handler(log("tutor"), "decide_appeal", {
        "appeal_id": appeal_id, "outcome": "upheld", "reasons": "Fine."}))
    assert status == 403 and "another tutor" in body["error"]
    assert entry


def test_an_upheld_appeal_passes_the_entry_and_the_learner_reads_why(log):
    entry, appeal_id = _appeal(log)
    status, body = refused(lambda: call_handler(log("tutor2"), "decide_appeal", {
        "appeal_id": appeal_id, "outcome": "upheld", "reasons": ""}))
    assert status == 400 and body["field"] == "reasons"
    reply = ok(call_handler(log("tutor2"), "decide_appeal", {
        "appeal_id": appeal_id, "outcome": "upheld", "reasons": "The minutes show you chaired the meeting."}))
    assert reply["appeal"]["status"] == "upheld" and reply["appeal"]["decided_role"] == "tutor"
    mine = ok(call_handler(log("ann"), "my_entries", {}))
    assert mine["entries"][0]["status"] == "passed" and mine["score"]["points"] == 2
    seen = ok(call_handler(log("ann"), "my_appeals", {}))["appeals"][entry["entry_id"]]["appeal"]
    assert seen["status"] == "upheld" and seen["outcome_reasons"] == "The minutes show you chaired the meeting."
    assert "decided_by" not in seen
    event = ReflectiveAuditEvent.objects.filter(action="appeal_upheld").get()
    assert (event.actor, event.role, event.from_status, event.to_status) == ("tutor2", "tutor", "referred", "passed")
    status, body = refused(lambda: call_handler(log("verifier"), "decide_appeal", {
        "appeal_id": appeal_id, "outcome": "not_upheld", "reasons": "Twice."}))
    assert status == 409 and "already been decided" in body["error"]


def test_a_verifier_may_decide_an_appeal_not_upheld(log):
    entry, appeal_id = _appeal(log)
    reply = ok(call_handler(log("verifier"), "decide_appeal", {
        "appeal_id": appeal_id, "outcome": "not_upheld", "reasons": "No evidence of chairing."}))
    assert reply["appeal"]["decided_role"] == "verifier"
    assert ReflectiveEntry.objects.get(entry_id=entry["entry_id"]).status == "referred"
    assert ReflectiveAuditEvent.objects.filter(action="appeal_not_upheld", role="verifier").count() == 1
    for bad in ({"appeal_id": "1"}, {"appeal_id": 0}, {"appeal_id": True}):
        status, body = refused(lambda b=bad: call_handler(log("verifier"), "decide_appeal", {**b, "outcome": "upheld"}))
        assert status == 400 and body["field"] == "appeal_id"
    status, body = refused(lambda: call_handler(log("verifier"), "decide_appeal", {
        "appeal_id": appeal_id + 99, "outcome": "upheld", "reasons": "x"}))
    assert status == 404 and body["field"] == "appeal_id"


def test_the_portfolio_export_carries_verifications_and_appeals(log):
    entry, appeal_id = _appeal(log)
    ok(call_handler(log("verifier"), "verify_entry", {"entry_id": entry["entry_id"], "agreement": "agree"}))
    export = ok(call_handler(log("verifier"), "portfolio", {"learner": "ann"}))["quality"][entry["entry_id"]]
    assert export["verifications"][0]["agreement"] == "agree"
    assert export["appeals"][0]["appeal_id"] == appeal_id
    own = ok(call_handler(log("ann"), "portfolio", {}))["quality"][entry["entry_id"]]
    assert own["appeals"][0]["reasons"] == "I did chair it." and "verifications" not in own


# ---------------------------------------------------------------------------------------- adjustments

def test_adjustment_notes_are_for_staff_and_the_learner_themselves(log):
    status, _ = refused(lambda: call_handler(log("bob"), "adjustments", {"learner": "ann"}))
    assert status == 403
    saved = ok(call_handler(log("tutor"), "save_adjustments", {"learner": "ann", "note": "25% extra time."}))
    assert saved["note"] == "25% extra time." and saved["history"][0]["author"] == "tutor"
    ok(call_handler(log("verifier"), "save_adjustments", {"learner": "ann", "note": "Extra time; a reader."}))
    staff = ok(call_handler(log("tutor2"), "adjustments", {"learner": "ann"}))
    assert [row["role"] for row in staff["history"]] == ["verifier", "tutor"]
    own = ok(call_handler(log("ann"), "adjustments", {}))
    assert own["note"] == "Extra time; a reader." and "history" not in own
    assert ok(call_handler(log("bob"), "adjustments", {}))["note"] == ""
    status, body = refused(lambda: call_handler(log("tutor"), "save_adjustments", {"learner": "ann", "note": 5}))
    assert status == 400 and body["field"] == "note"
    status, body = refused(lambda: call_handler(log("tutor"), "save_adjustments", {"note": "x"}))
    assert status == 400 and body["field"] == "learner"


# ---------------------------------------------------------------------------------------- settings

def test_quality_settings_round_trip_through_olx_and_studio(log):
    block = log("tutor")
    assert (block.sample_per_tutor, block.sample_pass_percent, block.appeal_days) == (1, 50, 7)
    node = etree.Element("x")
    block.add_xml_to_node(node)
    assert (node.get("sample_per_tutor"), node.get("sample_pass_percent"), node.get("appeal_days")) == ("1", "50", "7")
    status, body, _ = call_handler(block, "studio_submit", {"display_name": "Log", "appeal_days": "400"})
    assert status == 400 and body["field"] == "appeal_days" and "365" in body["error"]
    ok(call_handler(block, "studio_submit", {"display_name": "Log", "appeal_days": "10", "sample_seed": "spring"}))
    assert (block.appeal_days, block.sample_seed) == (10, "spring")


def test_a_log_without_quality_settings_keeps_its_olx(workbench_block):
    node = etree.Element("x")
    workbench_block(XML)("tutor").add_xml_to_node(node)
    assert node.get("appeal_days") is None and node.get("sample_per_tutor") is None


def test_bad_quality_settings_in_olx_are_refused_naming_the_attribute(workbench_block):
    with pytest.raises(Exception) as raised:
        workbench_block(XML.replace('max_words="40"', 'max_words="40" sample_pass_percent="150"'))("tutor")
    assert "sample_pass_percent" in str(raised.value)


def test_the_printable_portfolio_shows_verifications_and_appeals_escaped(log):
    entry, appeal_id = _appeal(log)
    ok(call_handler(log("verifier"), "verify_entry", {"entry_id": entry["entry_id"], "agreement": "disagree",
                                                      "comment": "<script>alert(1)</script> not met"}))
    ok(call_handler(log("tutor2"), "decide_appeal", {"appeal_id": appeal_id, "outcome": "not_upheld",
                                                     "reasons": "<b>No</b> evidence."}))
    status, _, response = call_handler(log("verifier"), "portfolio_html", method="GET", query="learner=ann")
    html = response.body.decode("utf-8")
    assert status == 200 and "Internal verification" in html and "Disagrees: returned to the tutors" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; not met" in html and "<script>alert" not in html
    assert "&lt;b&gt;No&lt;/b&gt; evidence." in html and "I did chair it." in html
    assert "internal verifier" in html and "disagreed and returned it to the tutors" in html
    _, _, own = call_handler(log("ann"), "portfolio_html", method="GET")
    own_html = own.body.decode("utf-8")
    assert "Appeals" in own_html and "Internal verification" not in own_html
