"""
A learner's action plan: rows of what / where / whom / when, as in a partnership's minutes (pure).

``when`` is a date or ``ongoing``. Dates are accepted as ``YYYY-MM-DD`` or ``DD/MM/YYYY`` and stored as
``YYYY-MM-DD``. Every cell is plain text: it is escaped wherever it is shown and made formula-safe in
any spreadsheet.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from ..common.errors import N_, LocalisedError
from ..common.text import visible_or_empty

FIELDS = ("what", "where", "whom", "when")
MAX_ROWS = 30
MAX_LENGTH = {"what": 500, "where": 200, "whom": 200, "when": 10}
MAX_REFLECTION = 5000
ONGOING = "ongoing"

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class PlanError(LocalisedError):
    """A row, field or the reflection is wrong; ``row`` is 1-based (None for the plan as a whole)."""

    def __init__(self, template: str, row: int | None, field: str, **params: Any):
        super().__init__(template, row=row, field=field, **params)
        self.row = row
        self.field = field

    def translated(self, gettext: Callable[[str], str]) -> str:
        params = dict(self.params)
        if "label" in params:
            params["label"] = gettext(params["label"])
        return gettext(self.template).format(**params)


class PlanErrors(PlanError):
    """Every problem of a plan at once (each a :class:`PlanError`); ``row`` and ``field`` are the first one's."""

    def __init__(self, problems: list):
        self.problems = list(problems)
        first = self.problems[0]
        super().__init__(first.template, first.row, first.field,
                         **{k: v for k, v in first.params.items() if k not in ("row", "field")})

    def __str__(self) -> str:
        return " ".join(str(problem) for problem in self.problems)

    def translated(self, gettext: Callable[[str], str]) -> str:
        return " ".join(problem.translated(gettext) for problem in self.problems)

    def details(self, gettext: Callable[[str], str]) -> list:
        """``[{"row", "field", "message"}]``: the error JSON's per-field list."""
        return [{"row": p.row, "field": p.field, "message": p.translated(gettext)} for p in self.problems]


# The columns as the page names them.
LABELS = {"what": N_("What"), "where": N_("Where"), "whom": N_("Whom"), "when": N_("When")}


@dataclass(frozen=True)
class Plan:
    rows: list
    reflection: str


def parse_when(text: str) -> str | None:
    """``ongoing`` (any case) or a real date as ``YYYY-MM-DD``; None when it is neither."""
    text = text.strip()
    if text.lower() == ONGOING:
        return ONGOING
    match = _ISO.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _UK.match(text)
        if not match:
            return None
        day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def clean(rows: Any, reflection: Any, min_rows: int, today: date | None = None) -> Plan:
    """
    Check and tidy a submitted plan; raise :class:`PlanErrors` naming every row and field at fault.

    Rows must be objects with exactly the four text fields, none empty; at least ``min_rows`` and at most
    :data:`MAX_ROWS` rows. Texts are stripped; ``when`` is normalised (see :func:`parse_when`) and, given
    ``today``, may not be a date before it.
    """
    problems = []
    cleaned = []
    if not isinstance(rows, list):
        problems.append(PlanError(N_("'rows' must be a list of actions"), row=None, field="rows"))
        rows = []
    elif len(rows) < min_rows:
        problems.append(PlanError(
            N_("Add at least {min_rows} action(s) to your plan; it has {count}"),
            row=None, field="rows", min_rows=min_rows, count=len(rows),
        ))
    elif len(rows) > MAX_ROWS:
        problems.append(PlanError(N_("A plan can hold at most {most} actions"), row=None, field="rows", most=MAX_ROWS))
        rows = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.append(PlanError(N_("Action {row} must be an object with what, where, whom and when"),
                                      row=number, field="rows"))
            continue
        unknown = sorted(str(key) for key in row if key not in FIELDS)
        if unknown:
            problems.append(PlanError(N_("Action {row}: '{field}' is not a column of the plan"),
                                      row=number, field=unknown[0]))
            continue
        row_problems = []
        cleaned.append(_clean_row(row, number, today, row_problems))
        problems.extend(row_problems)
    if reflection is None:
        reflection = ""
    if not isinstance(reflection, str):
        problems.append(PlanError(N_("The reflection must be text"), row=None, field="reflection"))
        reflection = ""
    reflection = visible_or_empty(reflection.strip())
    if len(reflection) > MAX_REFLECTION:
        problems.append(PlanError(N_("The reflection is longer than {most} characters"), row=None,
                                  field="reflection", most=MAX_REFLECTION))
    if problems:
        raise PlanErrors(problems)
    return Plan(rows=cleaned, reflection=reflection)


def _clean_row(row: dict, number: int, today: date | None, problems: list) -> dict:
    cleaned = {}
    for field in FIELDS:
        label = LABELS[field]
        value = row.get(field)
        if value is None:
            value = ""
        if not isinstance(value, str):
            problems.append(PlanError(N_("Action {row}: {label} must be text"), row=number, field=field, label=label))
            continue
        value = visible_or_empty(value.strip())
        if not value:
            problems.append(PlanError(N_("Action {row}: {label} is empty"), row=number, field=field, label=label))
            continue
        if field == "when":
            when = parse_when(value)
            if when is None:
                problems.append(PlanError(
                    N_("Action {row}: When must be a date (YYYY-MM-DD or DD/MM/YYYY) or 'ongoing', not '{value}'"),
                    row=number, field=field, value=value[:40],
                ))
                continue
            if when_in_past(when, today):
                problems.append(PlanError(
                    N_("Action {row}: When is {value}, which has passed; give a date from today on, or 'ongoing'"),
                    row=number, field=field, value=when,
                ))
                continue
            value = when
        elif len(value) > MAX_LENGTH[field]:
            problems.append(PlanError(N_("Action {row}: {label} is longer than {most} characters"),
                                      row=number, field=field, label=label, most=MAX_LENGTH[field]))
            continue
        cleaned[field] = value
    return cleaned


def when_in_past(when: str, today: date | None) -> bool:
    """Whether a plan's ``when`` (a normalised date or ``ongoing``) is a date before ``today`` (None: never)."""
    return today is not None and when != ONGOING and date.fromisoformat(when) < today


def as_text(rows: list) -> str:
    """The plan as plain text, one action a line: ``what | where | whom | when``."""
    return "\n".join(" | ".join(row[field] for field in FIELDS) for row in rows)
