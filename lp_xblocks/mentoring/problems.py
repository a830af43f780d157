"""
Every problem with a mentoring form at once (pure: no XBlock, no Django).

A core collects :class:`Problem` items (a translatable template, the field at fault and, for a row of a
table or a line of a CSV file, its 1-based number) and raises :class:`Problems` holding them all.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Callable

from ..common.errors import N_, LocalisedError
from ..common.text import visible_or_empty

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class Problem(LocalisedError):
    """One field at fault; ``line`` is a 1-based row or CSV line number (None for the form as a whole)."""

    def __init__(self, template: str, field: str, line: int | None = None, **params: Any):
        super().__init__(template, field=field, line=line, **params)
        self.field = field
        self.line = line
        self.args = (self.translated(str),)  # str(problem): the English message, prefix filled in

    def translated(self, gettext: Callable[[str], str]) -> str:
        params = dict(self.params)
        if params.get("label"):
            params["label"] = gettext(params["label"])
        if params.get("prefix"):
            params["prefix"] = gettext(params["prefix"]).format(line=self.line)
        return gettext(self.template).format(**params)


class Problems(LocalisedError):
    """Every :class:`Problem` of one request; ``field`` is the first one's."""

    def __init__(self, problems: list):
        self.problems = list(problems)
        first = self.problems[0]
        super().__init__(first.template, **first.params)
        self.field = first.field

    def __str__(self) -> str:
        return " ".join(str(problem) for problem in self.problems)

    def translated(self, gettext: Callable[[str], str]) -> str:
        return " ".join(problem.translated(gettext) for problem in self.problems)

    def details(self, gettext: Callable[[str], str]) -> list:
        """``[{"field", "line", "message"}]``: the error JSON's list of every problem."""
        return [{"field": p.field, "line": p.line, "message": p.translated(gettext)} for p in self.problems]


def text(data: dict, name: str, problems: list, label: str, most: int, required: bool = True,
         line: int | None = None, prefix: str = "") -> str:
    """
    ``data[name]`` as stripped visible text (``''`` when blank) or ``''`` with a problem appended: not text,
    empty when ``required``, longer than ``most`` characters. ``prefix`` is a template (``N_("Action {line}: ")``)
    that starts the message, formatted with ``line``.
    """
    value = data.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append(Problem(N_("{prefix}{label} must be text"), name, line, prefix=prefix, label=label))
        return ""
    value = visible_or_empty(value.strip())
    if required and not value:
        problems.append(Problem(N_("{prefix}{label} is empty"), name, line, prefix=prefix, label=label))
    elif len(value) > most:
        problems.append(Problem(N_("{prefix}{label} is longer than {most} characters"), name, line,
                                prefix=prefix, label=label, most=most))
        return ""
    return value


def parse_date(value) -> date | None:
    """A real date from ``YYYY-MM-DD`` or ``DD/MM/YYYY`` text; None for anything else."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    match = _ISO.match(value)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _UK.match(value)
        if not match:
            return None
        day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None
