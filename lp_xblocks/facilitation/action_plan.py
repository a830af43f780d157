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
from typing import Any

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


def clean(rows: Any, reflection: Any, min_rows: int) -> Plan:
    """
    Check and tidy a submitted plan; raise :class:`PlanError` naming the first row and field at fault.

    Rows must be objects with exactly the four text fields, none empty; at least ``min_rows`` and at most
    :data:`MAX_ROWS` rows. Texts are stripped; ``when`` is normalised (see :func:`parse_when`).
    """
    if not isinstance(rows, list):
        raise PlanError(N_("'rows' must be a list of actions"), row=None, field="rows")
    if len(rows) < min_rows:
        raise PlanError(
            N_("Add at least {min_rows} action(s) to your plan; it has {count}"),
            row=None, field="rows", min_rows=min_rows, count=len(rows),
        )
    if len(rows) > MAX_ROWS:
        raise PlanError(N_("A plan can hold at most {most} actions"), row=None, field="rows", most=MAX_ROWS)
    cleaned = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise PlanError(N_("Action {row} must be an object with what, where, whom and when"),
                            row=number, field="rows")
        unknown = sorted(str(key) for key in row if key not in FIELDS)
        if unknown:
            raise PlanError(N_("Action {row}: '{field}' is not a column of the plan"), row=number, field=unknown[0])
        cleaned.append(_clean_row(row, number))
    if reflection is None:
        reflection = ""
    if not isinstance(reflection, str):
        raise PlanError(N_("The reflection must be text"), row=None, field="reflection")
    reflection = visible_or_empty(reflection.strip())
    if len(reflection) > MAX_REFLECTION:
        raise PlanError(N_("The reflection is longer than {most} characters"), row=None, field="reflection",
                        most=MAX_REFLECTION)
    return Plan(rows=cleaned, reflection=reflection)


def _clean_row(row: dict, number: int) -> dict:
    cleaned = {}
    for field in FIELDS:
        value = row.get(field)
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise PlanError(N_("Action {row}: '{field}' must be text"), row=number, field=field)
        value = visible_or_empty(value.strip())
        if not value:
            raise PlanError(N_("Action {row}: '{field}' is empty"), row=number, field=field)
        if field == "when":
            when = parse_when(value)
            if when is None:
                raise PlanError(
                    N_("Action {row}: 'when' must be a date (YYYY-MM-DD or DD/MM/YYYY) or 'ongoing', not '{value}'"),
                    row=number, field=field, value=value[:40],
                )
            value = when
        elif len(value) > MAX_LENGTH[field]:
            raise PlanError(N_("Action {row}: '{field}' is longer than {most} characters"),
                            row=number, field=field, most=MAX_LENGTH[field])
        cleaned[field] = value
    return cleaned


def as_text(rows: list) -> str:
    """The plan as plain text, one action a line: ``what | where | whom | when``."""
    return "\n".join(" | ".join(row[field] for field in FIELDS) for row in rows)
