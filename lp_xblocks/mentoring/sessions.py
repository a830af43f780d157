"""
The mentee's session log and the mentor's confirmation (pure: no XBlock, no Django).

A session record: date, focus, what was discussed, and agreed actions (rows of what / where / whom / when,
as in a partnership's minutes). The mentee writes it; the mentor confirms it or comments on it:

    logged --confirm--> confirmed        (frozen: nobody changes it afterwards)
    logged --comment--> commented --edit (mentee)--> logged
    logged --edit (mentee)--> logged

Each edit makes a new ``version``; the mentor confirms the version they read, so they never confirm text
that changed under them.

The closing review (goals met, what next, whether to continue beyond the programme) is cleaned here too.
"""
from __future__ import annotations

from datetime import date

from ..common.errors import N_
from .problems import Problem, Problems, parse_date, text

LOGGED, COMMENTED, CONFIRMED = "logged", "commented", "confirmed"
STATES = (LOGGED, COMMENTED, CONFIRMED)
LABELS = {"focus": N_("Focus"), "discussed": N_("What was discussed"), "comment": N_("Comment"),
          "what": N_("What"), "where": N_("Where"), "whom": N_("Whom"), "when": N_("When"),
          "what_next": N_("What next"), "goals_met": N_("Goals met")}
MOST = {"focus": 200, "discussed": 8000, "comment": 4000, "what": 500, "where": 200, "whom": 200,
        "what_next": 4000}
ACTION_FIELDS = ("what", "where", "whom", "when")
MAX_ACTIONS = 20
MAX_SESSIONS = 200
ONGOING = "ongoing"
GOALS_MET = ("yes", "partly", "no")


def clean_session(data: dict, today: date | None = None) -> dict:
    """
    ``{"date", "focus", "discussed", "actions"}`` from a request; raises :class:`Problems` naming every
    field (and action row) at fault. The date may not be after ``today`` (a session is logged once held).
    """
    problems = []
    held = parse_date(data.get("date"))
    if held is None:
        problems.append(Problem(N_("Date must be a date (YYYY-MM-DD or DD/MM/YYYY)"), "date"))
    elif today is not None and held > today:
        problems.append(Problem(N_("Date {value} is in the future: log a session once it has been held"), "date",
                                value=held.isoformat()))
    session = {"date": held.isoformat() if held else "",
               "focus": text(data, "focus", problems, LABELS["focus"], MOST["focus"]),
               "discussed": text(data, "discussed", problems, LABELS["discussed"], MOST["discussed"]),
               "actions": _actions(data.get("actions"), problems)}
    if problems:
        raise Problems(problems)
    return session


def _actions(rows, problems: list) -> list:
    if rows is None:
        return []
    if not isinstance(rows, list):
        problems.append(Problem(N_("Agreed actions must be a list of rows"), "actions"))
        return []
    if len(rows) > MAX_ACTIONS:
        problems.append(Problem(N_("A session can hold at most {most} agreed actions"), "actions",
                                most=MAX_ACTIONS))
        return []
    cleaned = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or set(row) - set(ACTION_FIELDS):
            problems.append(Problem(N_("Action {line} must have only what, where, whom and when"), "actions",
                                    number))
            continue
        if not any(isinstance(row.get(name), str) and row.get(name).strip() for name in ACTION_FIELDS):
            continue  # a blank row left in the form
        prefix = N_("Action {line}: ")
        item = {name: text(row, name, problems, LABELS[name], MOST[name], line=number, prefix=prefix)
                for name in ("what", "where", "whom")}
        when = row.get("when")
        if isinstance(when, str) and when.strip().lower() == ONGOING:
            item["when"] = ONGOING
        elif parse_date(when) is not None:
            item["when"] = parse_date(when).isoformat()
        else:
            problems.append(Problem(N_("{prefix}When must be a date (YYYY-MM-DD or DD/MM/YYYY) or 'ongoing'"),
                                    "when", number, prefix=prefix))
        cleaned.append(item)
    return cleaned


def new(session: dict, now) -> dict:
    """A freshly logged session (version 1)."""
    return dict(session, state=LOGGED, version=1, comment="", logged_at=now.isoformat(), confirmed_at=None)


def edit(record: dict, session: dict, now) -> dict:
    """The mentee's change to a session: back to ``logged`` as a new version; a confirmed session is frozen."""
    if record["state"] == CONFIRMED:
        raise Problems([Problem(N_("Your mentor has confirmed this session: it can no longer be changed."),
                                "session_id")])
    return dict(record, **session, state=LOGGED, version=record["version"] + 1, logged_at=now.isoformat())


def confirm(record: dict, version, now) -> dict:
    """The mentor's confirmation of the version they read (``logged`` only)."""
    _check_version(record, version)
    if record["state"] != LOGGED:
        raise Problems([Problem(_STATE_MESSAGES[record["state"]], "session_id")])
    return dict(record, state=CONFIRMED, confirmed_at=now.isoformat())


def comment(record: dict, version, remark: str) -> dict:
    """The mentor's comment asking for a change (``logged`` only): the mentee edits, then the mentor confirms."""
    _check_version(record, version)
    if record["state"] != LOGGED:
        raise Problems([Problem(_STATE_MESSAGES[record["state"]], "session_id")])
    return dict(record, state=COMMENTED, comment=remark)


_STATE_MESSAGES = {
    CONFIRMED: N_("This session is already confirmed."),
    COMMENTED: N_("You commented on this session: wait for your mentee to change it."),
}


def _check_version(record: dict, version) -> None:
    if isinstance(version, bool) or version != record["version"]:
        raise Problems([Problem(N_("The session changed while you read it (it is now version {current}): "
                                   "read it again."), "version", current=record["version"])])


def clean_comment(data: dict) -> str:
    problems = []
    remark = text(data, "comment", problems, LABELS["comment"], MOST["comment"])
    if problems:
        raise Problems(problems)
    return remark


def clean_review(data: dict) -> dict:
    """The closing review: ``goals_met`` (yes/partly/no), ``what_next`` (text), ``continue`` (true/false)."""
    problems = []
    goals = data.get("goals_met")
    if goals not in GOALS_MET:
        problems.append(Problem(N_("Goals met: choose yes, partly or no"), "goals_met"))
    what_next = text(data, "what_next", problems, LABELS["what_next"], MOST["what_next"])
    carry_on = data.get("continue")
    if not isinstance(carry_on, bool):
        problems.append(Problem(N_("Say whether you will continue beyond the programme (yes or no)"), "continue"))
    if problems:
        raise Problems(problems)
    return {"goals_met": goals, "what_next": what_next, "continue": carry_on}


def as_text(actions: list) -> str:
    """Agreed actions as plain text, one a line: ``what | where | whom | when``."""
    return "\n".join(" | ".join(row[name] for name in ACTION_FIELDS) for row in actions)
