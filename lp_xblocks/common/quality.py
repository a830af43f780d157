"""
Internal quality assurance of marking (pure: no XBlock, no Django): the sampling plan an internal verifier
works from, the verifier's decisions, learners' appeals against referrals and the bounds of every text
typed in these steps. docs/decisions/0008-verification-and-appeals.md explains the design.

Sampling plan (author settings of a reflective log)::

    {"per_tutor": 2, "pass_percent": 10, "seed": "2026-spring"}

:func:`pick_sample` takes the marked entries (``{"entry_id", "marker", "decision", "criteria"}``, the
criteria the marked version claimed) and picks, deterministically from the seed:

1. every referral;
2. at least ``per_tutor`` decisions of every tutor (all of a tutor's decisions when they made fewer);
3. for every criterion claimed by a marked entry, at least one sampled entry claiming it;
4. passes until at least ``pass_percent`` % of all passes (rounded up) are in the sample.

Within each step entries are taken in the order of a seeded hash of their id, so the same marked entries
and seed give the same sample whatever order they are listed in, and a new seed gives another draw.
Every pick carries the reasons it was taken for (the first step that took it, then every later
guarantee it also serves).
"""
from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from .errors import N_, LocalisedError
from .marking import PASS, REFER
from .text import is_blank

DEFAULT_PLAN = {"per_tutor": 2, "pass_percent": 10, "seed": ""}
MAX_PER_TUTOR = 50
MAX_SEED = 100
DEFAULT_APPEAL_DAYS = 14
MAX_APPEAL_DAYS = 365
# Longest comment, reasons or note a person may type in these steps (characters).
MAX_COMMENT = 4000
MAX_NOTE = 4000

# Why an entry is in the sample.
REFERRAL, TUTOR, CRITERION, PASS_SHARE, ADDED = "referral", "tutor", "criterion", "pass_share", "added"

AGREE, DISAGREE = "agree", "disagree"
UPHELD, NOT_UPHELD = "upheld", "not_upheld"
# The appeal's states.
APPEAL_OPEN = "open"


class PlanError(LocalisedError):
    """A sampling plan or appeal window an author set that breaks a rule (names the setting)."""


class QualityError(LocalisedError):
    """A verifier's decision, appeal or note that is not acceptable: ``field`` names what is wrong (HTTP 400)."""

    def __init__(self, field: str, template: str, **params):
        super().__init__(template, **params)
        self.field = field


# --------------------------------------------------------------------------- settings

def _whole(name, value, low, high):
    if isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise PlanError(N_("{name}: '{value}' is not a whole number from {low} to {high}"),
                        name=name, value=str(value)[:40], low=low, high=high)
    return value


def clean_plan(raw: dict) -> dict:
    """A sampling plan from author settings (numbers as numbers or digits); :class:`PlanError` names the setting."""
    seed = raw.get("seed", "")
    if not isinstance(seed, str) or len(seed) > MAX_SEED:
        raise PlanError(N_("sample_seed: at most {most} characters of text"), most=MAX_SEED)
    return {
        "per_tutor": _whole("sample_per_tutor", raw.get("per_tutor", DEFAULT_PLAN["per_tutor"]), 0, MAX_PER_TUTOR),
        "pass_percent": _whole("sample_pass_percent", raw.get("pass_percent", DEFAULT_PLAN["pass_percent"]), 0, 100),
        "seed": seed,
    }


def clean_appeal_days(value) -> int:
    """The days a learner has to appeal a referral (0: appeals are closed)."""
    return _whole("appeal_days", value, 0, MAX_APPEAL_DAYS)


# --------------------------------------------------------------------------- sampling

def _rank(seed: str, entry_id: str) -> str:
    return hashlib.sha256(f"{seed}\x00{entry_id}".encode("utf-8", "surrogatepass")).hexdigest()


def pick_sample(entries: list, plan: dict, criteria: list | None = None) -> list:
    """
    The entries the plan picks, in the order picked: ``[{"entry_id", "marker", "decision", "criteria",
    "reasons": [{"code", ...}]}]``. ``criteria`` (the log's criterion ids) orders step 3; criteria claimed
    but not listed follow in sorted order. Entries without a decision are ignored.
    """
    plan = clean_plan(plan)
    marked = sorted((dict(entry) for entry in entries if entry.get("decision") in (PASS, REFER)),
                    key=lambda entry: (_rank(plan["seed"], str(entry["entry_id"])), str(entry["entry_id"])))
    picked, order = {}, []

    def take(entry, reason):
        key = str(entry["entry_id"])
        if key not in picked:
            picked[key] = {**entry, "reasons": []}
            order.append(key)
        if reason not in picked[key]["reasons"]:
            picked[key]["reasons"].append(reason)

    def at_least(group, wanted):
        """
        ``wanted`` entries of ``group``: those already picked first (one pick serves several guarantees), then the
        rest in rank order.
        """
        chosen = [entry for entry in group if str(entry["entry_id"]) in picked][:wanted]
        chosen += [entry for entry in group if entry not in chosen][:wanted - len(chosen)]
        return chosen

    for entry in marked:
        if entry["decision"] == REFER:
            take(entry, {"code": REFERRAL})

    for tutor in sorted({str(entry.get("marker") or "") for entry in marked}):
        theirs = [entry for entry in marked if str(entry.get("marker") or "") == tutor]
        reason = {"code": TUTOR, "tutor": tutor, "minimum": plan["per_tutor"]}
        for entry in at_least(theirs, min(plan["per_tutor"], len(theirs))):
            take(entry, reason)

    listed = list(criteria or [])
    claimed = {ident for entry in marked for ident in entry.get("criteria") or []}
    for ident in listed + sorted(claimed - set(listed)):
        claiming = [entry for entry in marked if ident in (entry.get("criteria") or [])]
        if not claiming:
            continue
        already = [entry for entry in claiming if str(entry["entry_id"]) in picked]
        take(already[0] if already else claiming[0], {"code": CRITERION, "criterion": ident})

    passes = [entry for entry in marked if entry["decision"] == PASS]
    wanted = math.ceil(plan["pass_percent"] * len(passes) / 100)
    reason = {"code": PASS_SHARE, "percent": plan["pass_percent"], "of": len(passes)}
    for entry in at_least(passes, wanted):
        take(entry, reason)
    return [picked[key] for key in order]


def explain(reason: dict, gettext) -> str:
    """A pick's reason in words."""
    _ = gettext
    code = reason.get("code")
    if code == REFERRAL:
        return _("Every referral is verified.")
    if code == TUTOR:
        return _("At least {count} decisions of each tutor: {tutor}.").format(count=reason["minimum"],
                                                                            tutor=reason["tutor"] or "?")
    if code == CRITERION:
        return _("Every criterion is sampled: {criterion}.").format(criterion=reason["criterion"])
    if code == PASS_SHARE:
        return _("{percent}% of the {count} passes.").format(percent=reason["percent"], count=reason["of"])
    return _("Added by the verifier.")


# --------------------------------------------------------------------------- verification

def clean_verification(data: dict) -> dict:
    """``{"agreement": "agree" | "disagree", "comment"}``: a comment is required to disagree."""
    agreement = data.get("agreement")
    if agreement not in (AGREE, DISAGREE):
        raise QualityError("agreement", N_("Agreement: choose agree or disagree."))
    comment = _text(data, "comment", MAX_COMMENT, N_("Comment"))
    if agreement == DISAGREE and is_blank(comment):
        raise QualityError("comment", N_("Comment: say why you disagree; the tutor reads it."))
    return {"agreement": agreement, "comment": "" if is_blank(comment) else comment}


def _text(data, field, most, label):
    value = data.get(field, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise QualityError(field, N_("{label}: must be text."), label=label)
    if len(value) > most:
        raise QualityError(field, N_("{label}: at most {most} characters (this has {count})."),
                           label=label, most=most, count=len(value))
    return value


# --------------------------------------------------------------------------- appeals

def appeal_deadline(decided_at: datetime, days: int) -> datetime:
    """The last moment a referral decided at ``decided_at`` may be appealed."""
    return decided_at + timedelta(days=days)


def check_appealable(*, status: str, decision: str | None, decided_at: datetime | None, days: int,
                     now: datetime, already: bool) -> None:
    """
    Raise :class:`AppealRefused` (409) unless the latest decision is a referral, the window is open and this
    referral was not appealed before.
    """
    if status != "referred" or decision != REFER or decided_at is None:
        raise AppealRefused(N_("Only a referred entry can be appealed."))
    if already:
        raise AppealRefused(N_("This referral has already been appealed; an appeal can be made once."))
    if days <= 0:
        raise AppealRefused(N_("Appeals are not open in this log; ask your tutor or the centre."))
    if now > appeal_deadline(decided_at, days):
        raise AppealRefused(N_("The time to appeal ended on {deadline} UTC ({days} days after the referral)."),
                            deadline=appeal_deadline(decided_at, days).strftime("%Y-%m-%d %H:%M"), days=days)


class AppealRefused(LocalisedError):
    """An appeal refused because of the entry's state or the time (HTTP 409)."""


def clean_appeal(data: dict) -> str:
    """The learner's reasons for appealing (required, bounded)."""
    reasons = _text(data, "reasons", MAX_COMMENT, N_("Reasons"))
    if is_blank(reasons):
        raise QualityError("reasons", N_("Reasons: say why the decision should change."))
    return reasons


def clean_outcome(data: dict) -> dict:
    """``{"outcome": "upheld" | "not_upheld", "reasons"}`` (reasons required)."""
    outcome = data.get("outcome")
    if outcome not in (UPHELD, NOT_UPHELD):
        raise QualityError("outcome", N_("Outcome: choose upheld or not upheld."))
    reasons = _text(data, "reasons", MAX_COMMENT, N_("Reasons"))
    if is_blank(reasons):
        raise QualityError("reasons", N_("Reasons: the learner reads why the appeal was or was not upheld."))
    return {"outcome": outcome, "reasons": reasons}


def may_decide_appeal(*, referred_by: str, person: str, is_verifier: bool) -> bool:
    """An appeal is decided by the verifier or a tutor other than the one who referred."""
    return is_verifier or (bool(person) and person != referred_by)


def clean_note(data: dict) -> str:
    """A reasonable-adjustments note (may be emptied; bounded)."""
    note = _text(data, "note", MAX_NOTE, N_("Adjustments note"))
    return "" if is_blank(note) else note
