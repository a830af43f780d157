"""
The mentoring agreement and its signatures (pure: no XBlock, no Django).

Terms: goals, meeting frequency, confidentiality and boundaries, review date. Either party may write or
change the terms; each change makes a new *version* and clears both signatures. Each party signs the
version they read (a signature names the version, so nobody signs text that changed under them). When both
have signed the current version it is *agreed*: that version's terms and both signing times are frozen in
``agreed`` and stay in force, unchanged, until both sign a later version.

States (:func:`status`): ``none`` (no terms yet), ``awaiting`` (terms written, not both signed),
``agreed`` (both signed the current version), ``changed`` (a later version awaits signatures while an
earlier agreed version stays in force).

An agreement is a plain dict: ``{"version", "terms", "signatures": {role: ISO time}, "agreed": {"version",
"terms", "signed": {role: ISO time}} or None, "history": [agreed versions before the current one]}``.
"""
from __future__ import annotations

from datetime import date, datetime

from ..common.errors import N_
from .problems import Problem, Problems, parse_date, text

ROLES = ("mentee", "mentor")
FIELDS = ("goals", "frequency", "confidentiality", "review_date")
LABELS = {"goals": N_("Goals"), "frequency": N_("Meeting frequency"),
          "confidentiality": N_("Confidentiality and boundaries"), "review_date": N_("Review date")}
MOST = {"goals": 4000, "frequency": 200, "confidentiality": 4000}
MAX_HISTORY = 20


def empty() -> dict:
    return {"version": 0, "terms": {}, "signatures": {}, "agreed": None, "history": []}


def status(agreement: dict | None) -> str:
    agreement = agreement or empty()
    if not agreement.get("version"):
        return "none"
    if all(role in agreement.get("signatures", {}) for role in ROLES):
        return "agreed"
    return "changed" if agreement.get("agreed") else "awaiting"


def clean_terms(data: dict, today: date | None = None) -> dict:
    """The four terms, stripped; raises :class:`Problems` naming every field at fault."""
    problems = []
    terms = {name: text(data, name, problems, LABELS[name], MOST[name]) for name in ("goals", "frequency",
                                                                                    "confidentiality")}
    raw = data.get("review_date")
    review = parse_date(raw)
    if review is None:
        problems.append(Problem(N_("{label} must be a date (YYYY-MM-DD or DD/MM/YYYY)"), "review_date",
                                label=LABELS["review_date"]))
    elif today is not None and review < today:
        problems.append(Problem(N_("{label} {value} has passed; give a date from today on"), "review_date",
                                label=LABELS["review_date"], value=review.isoformat()))
    else:
        terms["review_date"] = review.isoformat()
    if problems:
        raise Problems(problems)
    return terms


def propose(agreement: dict | None, terms: dict, base_version) -> dict:
    """
    The agreement with ``terms`` (from :func:`clean_terms`) as its next version and no signatures. The
    writer names the version they edited (``base_version``, 0 for the first): a change to a version that
    is no longer current is refused, as are terms identical to the current ones.
    """
    agreement = dict(agreement or empty())
    if isinstance(base_version, bool) or base_version != agreement["version"]:
        raise Problems([Problem(N_("The agreement changed while you edited it (it is now version {current}): "
                                   "reload it and make your change again."), "version",
                                current=agreement["version"])])
    if agreement["version"] and terms == agreement["terms"]:
        raise Problems([Problem(N_("Nothing in the agreement changed."), "terms")])
    agreement.update(version=agreement["version"] + 1, terms=dict(terms), signatures={})
    return agreement


def sign(agreement: dict | None, role: str, version, now: datetime) -> dict:
    """
    The agreement signed by ``role`` for ``version`` (the version they read). When both have signed it,
    the version is frozen as ``agreed`` (the previous agreed version goes to ``history``).
    """
    agreement = dict(agreement or empty())
    if role not in ROLES:
        raise Problems([Problem(N_("Only the mentee and the mentor sign the agreement."), "role")])
    if not agreement["version"]:
        raise Problems([Problem(N_("There are no terms to sign yet."), "version")])
    if isinstance(version, bool) or version != agreement["version"]:
        raise Problems([Problem(N_("You signed version {signed} but the agreement is now version {current}: "
                                   "read it again before you sign."), "version", signed=str(version)[:20],
                                current=agreement["version"])])
    if role in agreement["signatures"]:
        raise Problems([Problem(N_("You have already signed this version."), "version")])
    agreement["signatures"] = dict(agreement["signatures"], **{role: now.isoformat()})
    if all(party in agreement["signatures"] for party in ROLES):
        history = list(agreement.get("history") or [])
        if agreement.get("agreed"):
            history = (history + [agreement["agreed"]])[-MAX_HISTORY:]
        agreement["history"] = history
        agreement["agreed"] = {"version": agreement["version"], "terms": dict(agreement["terms"]),
                               "signed": dict(agreement["signatures"])}
    return agreement


def new_mentor(agreement: dict | None) -> dict:
    """
    The agreement when the mentee gets a different mentor: the terms stay as a draft (a new version), no
    signatures, nothing agreed (the new mentor has agreed to nothing); earlier agreed versions go to history.
    """
    agreement = dict(agreement or empty())
    if not agreement["version"]:
        return agreement
    history = list(agreement.get("history") or [])
    if agreement.get("agreed"):
        history = (history + [agreement["agreed"]])[-MAX_HISTORY:]
    agreement.update(version=agreement["version"] + 1, signatures={}, agreed=None, history=history)
    return agreement
