"""The pure quality-assurance core (lp_xblocks/common/quality.py) and the marking state machine's QA transitions."""
import math
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lp_xblocks.common import marking, quality

CRITERIA = ["LPM1-1.1", "LPM1-1.2", "LPM1-2.1", "LPM1-2.2", "LPM1-3.1"]
TUTORS = ["tutor", "tutor2", "tess", ""]

entries_strategy = st.lists(
    st.fixed_dictionaries({
        "marker": st.sampled_from(TUTORS),
        "decision": st.sampled_from(["pass", "pass", "refer", None]),
        "criteria": st.lists(st.sampled_from(CRITERIA + ["X-9"]), max_size=3, unique=True),
    }),
    max_size=40,
).map(lambda rows: [{**row, "entry_id": f"e{index:03d}"} for index, row in enumerate(rows)])
plans = st.fixed_dictionaries({"per_tutor": st.integers(0, 5), "pass_percent": st.integers(0, 100),
                               "seed": st.text(max_size=8)})


def _ids(rows):
    return {row["entry_id"] for row in rows}


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(entries_strategy, plans, st.randoms(use_true_random=False))
def test_the_plan_guarantees_hold_for_any_marked_entries(entries, plan, random):
    sample = quality.pick_sample(entries, plan, CRITERIA)
    marked = [row for row in entries if row["decision"] in ("pass", "refer")]
    picked = _ids(sample)
    # Nothing outside the marked entries, nothing twice, every pick with a reason.
    assert picked <= _ids(marked) and len(picked) == len(sample)
    assert all(item["reasons"] for item in sample)
    # 1. every referral
    assert _ids(row for row in marked if row["decision"] == "refer") <= picked
    # 2. at least N per tutor (all of theirs when fewer)
    for tutor in {row["marker"] for row in marked}:
        theirs = [row for row in marked if row["marker"] == tutor]
        assert len(_ids(theirs) & picked) >= min(plan["per_tutor"], len(theirs))
    # 3. every criterion claimed by a marked entry is claimed by a sampled one
    for ident in {ident for row in marked for ident in row["criteria"]}:
        assert any(ident in item["criteria"] for item in sample), ident
    # 4. the share of passes
    passes = [row for row in marked if row["decision"] == "pass"]
    assert len(_ids(passes) & picked) >= math.ceil(plan["pass_percent"] * len(passes) / 100)
    # Deterministic whatever the order given; bounded by what the guarantees need.
    shuffled = list(entries)
    random.shuffle(shuffled)
    assert quality.pick_sample(shuffled, plan, CRITERIA) == sample
    referrals = len(marked) - len(passes)
    tutors = len({row["marker"] for row in marked})
    claimed = len({ident for row in marked for ident in row["criteria"]})
    assert len(sample) <= referrals + tutors * plan["per_tutor"] + claimed + math.ceil(
        plan["pass_percent"] * len(passes) / 100)


def test_each_pick_says_why_and_another_seed_draws_another_sample():
    entries = [{"entry_id": f"p{n}", "marker": "tutor", "decision": "pass", "criteria": ["A-1"]} for n in range(20)]
    entries.append({"entry_id": "r1", "marker": "tutor2", "decision": "refer", "criteria": ["A-2"]})
    sample = quality.pick_sample(entries, {"per_tutor": 1, "pass_percent": 10, "seed": "spring"}, ["A-1", "A-2"])
    reasons = {item["entry_id"]: [reason["code"] for reason in item["reasons"]] for item in sample}
    assert reasons["r1"] == ["referral", "tutor", "criterion"]
    assert sum(1 for codes in reasons.values() if "pass_share" in codes) == 2
    texts = [quality.explain(reason, lambda text: text) for item in sample for reason in item["reasons"]]
    assert "Every referral is verified." in texts and "10% of the 20 passes." in texts
    other = quality.pick_sample(entries, {"per_tutor": 1, "pass_percent": 10, "seed": "autumn"}, ["A-1", "A-2"])
    assert [item["entry_id"] for item in other] != [item["entry_id"] for item in sample]


@pytest.mark.parametrize("raw, name", [
    ({"per_tutor": -1}, "sample_per_tutor"), ({"per_tutor": 51}, "sample_per_tutor"),
    ({"pass_percent": 101}, "sample_pass_percent"), ({"pass_percent": "\u00b2"}, "sample_pass_percent"),
    ({"pass_percent": True}, "sample_pass_percent"), ({"pass_percent": 1.5}, "sample_pass_percent"),
])
def test_a_plan_out_of_bounds_is_refused_naming_the_setting(raw, name):
    with pytest.raises(quality.PlanError) as raised:
        quality.clean_plan(raw)
    assert raised.value.params["name"] == name
    assert quality.clean_plan({"per_tutor": " 3 ", "pass_percent": "100"}) == {"per_tutor": 3, "pass_percent": 100,
                                                                                "seed": ""}
    with pytest.raises(quality.PlanError):
        quality.clean_plan({"seed": "s" * 101})


# ---------------------------------------------------------------------------------------- state machine

@pytest.mark.parametrize("status, action, after", [
    (marking.PASSED, marking.RETURN, marking.SUBMITTED),
    (marking.REFERRED, marking.RETURN, marking.SUBMITTED),
    (marking.REFERRED, marking.APPEAL_UPHELD, marking.PASSED),
])
def test_quality_transitions(status, action, after):
    assert marking.next_status(status, action) == after


@pytest.mark.parametrize("status, action", [
    (marking.SUBMITTED, marking.RETURN), (marking.DRAFT, marking.RETURN), (None, marking.RETURN),
    (marking.PASSED, marking.APPEAL_UPHELD), (marking.SUBMITTED, marking.APPEAL_UPHELD),
    (marking.DRAFT, marking.APPEAL_UPHELD), (marking.ARCHIVED, marking.RETURN),
])
def test_quality_transitions_refused_elsewhere(status, action):
    with pytest.raises(marking.StateError):
        marking.next_status(status, action)


# ---------------------------------------------------------------------------------------- verification, appeals, notes

def test_verification_needs_a_choice_and_a_comment_to_disagree():
    assert quality.clean_verification({"agreement": "agree"}) == {"agreement": "agree", "comment": ""}
    for data, field in [({"agreement": "yes"}, "agreement"), ({"agreement": "disagree", "comment": "\u200b"}, "comment"),
                        ({"agreement": "agree", "comment": ["x"]}, "comment"),
                        ({"agreement": "disagree", "comment": "x" * 4001}, "comment")]:
        with pytest.raises(quality.QualityError) as raised:
            quality.clean_verification(data)
        assert raised.value.field == field


NOW = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)


def test_the_appeal_window_is_inclusive_and_an_appeal_is_made_once():
    decided = NOW - timedelta(days=14)
    quality.check_appealable(status="referred", decision="refer", decided_at=decided, days=14, now=NOW, already=False)
    cases = [
        dict(status="referred", decision="refer", decided_at=decided, days=14, now=NOW + timedelta(seconds=1),
             already=False),
        dict(status="referred", decision="refer", decided_at=decided, days=14, now=NOW, already=True),
        dict(status="passed", decision="pass", decided_at=decided, days=14, now=NOW, already=False),
        dict(status="referred", decision="refer", decided_at=NOW, days=0, now=NOW, already=False),
        dict(status="referred", decision="refer", decided_at=None, days=14, now=NOW, already=False),
    ]
    for case in cases:
        with pytest.raises(quality.AppealRefused):
            quality.check_appealable(**case)


@given(st.integers(0, 365), st.integers(-10 ** 6, 40 * 10 ** 6))
@settings(max_examples=200, deadline=None, derandomize=True, database=None)
def test_an_appeal_is_open_exactly_until_the_deadline(days, offset_seconds):
    decided = NOW
    now = decided + timedelta(seconds=offset_seconds)
    try:
        quality.check_appealable(status="referred", decision="refer", decided_at=decided, days=days, now=now,
                                 already=False)
        allowed = True
    except quality.AppealRefused:
        allowed = False
    assert allowed == (days > 0 and now <= decided + timedelta(days=days))


def test_outcomes_notes_and_who_decides():
    assert quality.clean_outcome({"outcome": "upheld", "reasons": "Evidence."})["outcome"] == "upheld"
    for data, field in [({"outcome": "yes", "reasons": "x"}, "outcome"), ({"outcome": "not_upheld"}, "reasons")]:
        with pytest.raises(quality.QualityError) as raised:
            quality.clean_outcome(data)
        assert raised.value.field == field
    assert quality.clean_note({"note": "\u200b"}) == "" and quality.clean_note({}) == ""
    assert quality.may_decide_appeal(referred_by="tutor", person="tutor2", is_verifier=False)
    assert not quality.may_decide_appeal(referred_by="tutor", person="tutor", is_verifier=False)
    assert quality.may_decide_appeal(referred_by="tutor", person="tutor", is_verifier=True)
    assert quality.clean_appeal_days("30") == 30
