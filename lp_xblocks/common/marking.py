"""
The marking state machine of portfolio work (pure: no XBlock, no Django), shared by the reflective log,
its records in ``lp_xblocks.data`` and the exercise justifications tutors mark in the log's queue: the life
of an entry, marking decisions, which criteria passed entries cover, marking locks and queue pages.

Life of an entry::

    (new) --save--> draft --submit--> submitted --pass--> passed
                      ^                 |   ^  \\--feedback--> submitted (comment without a decision)
                      |                 |   |
                      +-- save --- referred <--refer--+
                                    \\--submit--> submitted (a new version)

Quality assurance (docs/decisions/0008-verification-and-appeals.md): an internal verifier who disagrees with a
decision *returns* the entry to the tutors (passed or referred --return--> submitted, the same version, with the
verifier's note); an appeal against a referral that is upheld passes it (referred --appeal_upheld--> passed).

A submitted or passed entry is read-only to the learner. A referred entry can be revised (saved) and
resubmitted; every submission is a new, immutable version. An instructor's reset archives entries.
A refused action is a :class:`StateError` (HTTP 409).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from .errors import N_, LocalisedError

DRAFT, SUBMITTED, PASSED, REFERRED, ARCHIVED = "draft", "submitted", "passed", "referred", "archived"
STATUSES = (DRAFT, SUBMITTED, PASSED, REFERRED)
# What tutors see in the marking queue: work that has been submitted at least once.
QUEUE_STATUSES = (SUBMITTED, REFERRED, PASSED)

PASS, REFER = "pass", "refer"
# Quality-assurance actions: a verifier returns a decision to the tutors; an upheld appeal passes a referral.
RETURN, APPEAL_UPHELD = "return", "appeal_upheld"
MET, NOT_YET_MET = "met", "not_yet_met"

LOCK_MINUTES = 30
# The longest entry title (the records' title column).
MAX_TITLE = 200
PAGE_SIZE = 25
# (status, action) -> new status. Anything not listed is refused with a StateError.
TRANSITIONS = {
    (None, "save"): DRAFT,
    (DRAFT, "save"): DRAFT,
    (REFERRED, "save"): REFERRED,
    (DRAFT, "submit"): SUBMITTED,
    (REFERRED, "submit"): SUBMITTED,
    (SUBMITTED, "feedback"): SUBMITTED,
    (SUBMITTED, PASS): PASSED,
    (SUBMITTED, REFER): REFERRED,
    (DRAFT, "reset"): ARCHIVED,
    (SUBMITTED, "reset"): ARCHIVED,
    (PASSED, "reset"): ARCHIVED,
    (REFERRED, "reset"): ARCHIVED,
    (PASSED, RETURN): SUBMITTED,
    (REFERRED, RETURN): SUBMITTED,
    (REFERRED, APPEAL_UPHELD): PASSED,
}

_REFUSALS = {
    SUBMITTED: N_("This entry has been submitted and is waiting to be marked; it cannot be changed now."),
    PASSED: N_("This entry has passed; it can no longer be changed."),
    REFERRED: N_("This entry was referred: revise it and submit it again before it can be marked."),
    DRAFT: N_("This entry is a draft that has not been submitted."),
    ARCHIVED: N_("This entry was removed by a course reset."),
}

class StateError(LocalisedError):
    """The entry's state does not allow the action (HTTP 409)."""



# --------------------------------------------------------------------------- state machine

def refusal(status: str | None) -> StateError:
    """Why an entry in ``status`` refuses a change."""
    return StateError(_REFUSALS.get(status, N_("This action is not allowed now.")))


def next_status(status: str | None, action: str) -> str:
    """The status after ``action``, or :class:`StateError` when the action is not allowed now."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise refusal(status) from None


def is_editable(status: str) -> bool:
    """Whether the learner may change the entry's working copy."""
    return (status, "save") in TRANSITIONS


# --------------------------------------------------------------------------- coverage and score

def coverage(config: dict, passed: list) -> list:
    """
    Which of the block's criteria passed entries evidence.

    ``passed`` lists the passed entries as ``{"entry_id", "title", "version", "criteria", "passed_at"}``
    (the criteria their passed version claimed). Returns, per criterion in block order,
    ``{"id", "text", "met", "evidence": [{"entry_id", "title", "version", "passed_at"}]}`` with the
    earliest pass first.
    """
    ordered = sorted(passed, key=lambda entry: (str(entry.get("passed_at") or ""), str(entry["entry_id"])))
    result = []
    for criterion in config["criteria"]:
        evidence = [
            {key: entry.get(key) for key in ("entry_id", "title", "version", "passed_at")}
            for entry in ordered if criterion["id"] in entry["criteria"]
        ]
        result.append({"id": criterion["id"], "text": criterion["text"], "met": bool(evidence), "evidence": evidence})
    return result


def units_of(criteria: list) -> list:
    """The units a log's criteria belong to: the part of each id before its first '-' (``LPM3-2.1`` -> ``LPM3``)."""
    return sorted({str(criterion["id"]).split("-", 1)[0] for criterion in criteria if "-" in str(criterion["id"])})


def score(covered: list) -> tuple[int, int]:
    """(criteria met, criteria in the block): the learner's points and the points possible."""
    return sum(1 for item in covered if item["met"]), len(covered)


# --------------------------------------------------------------------------- locks

def lock_state(holder: str, expires_at: datetime | None, tutor: str, now: datetime) -> str:
    """``free`` (nobody, or expired), ``mine`` (held by ``tutor``) or ``other``."""
    if not holder or expires_at is None or expires_at <= now:
        return "free"
    return "mine" if holder == tutor else "other"


def lock_expiry(now: datetime) -> datetime:
    """When a lock claimed now expires."""
    return now + timedelta(minutes=LOCK_MINUTES)


def page_count(total: int, page_size: int = PAGE_SIZE) -> int:
    """Pages needed for ``total`` rows (0 when there are none)."""
    return (total + page_size - 1) // page_size
