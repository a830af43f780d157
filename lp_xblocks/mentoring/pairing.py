"""
Pairing mentees with mentors (pure: no XBlock, no Django).

A coordinator pairs one mentee at a time in the block's staff view, or uploads a CSV file of pairs:

    mentee username, mentor username[, mentor organisation]

A header row (its first cell ``mentee`` in any case) is optional. Every bad row is reported at once by its
line and field; nothing is stored unless the whole file is good. Bounds: :data:`MAX_CSV_BYTES` of text,
:data:`MAX_ROWS` pairs, usernames as Open edX allows them (:data:`USERNAME`), organisations of at most
:data:`MAX_ORGANISATION` characters.
"""
from __future__ import annotations

import csv
import io
import re

from ..common.errors import N_
from ..common.text import visible_or_empty
from .problems import Problem, Problems

# Open edX usernames: letters, digits, '_', '-', '.', '@', '+' (2-150 characters); no spaces.
USERNAME = re.compile(r"^[\w.@+-]{2,150}$")
MAX_ORGANISATION = 200
MAX_CSV_BYTES = 200_000
MAX_ROWS = 500
COLUMNS = ("mentee", "mentor", "organisation")


def clean_username(value, field: str, problems: list, line: int | None = None, label: str = "") -> str:
    """A username (stripped) or '' with a problem appended naming ``field`` (and ``line``)."""
    prefix = N_("Line {line}: ") if line is not None else ""
    if not isinstance(value, str):
        problems.append(Problem(N_("{prefix}{label} must be text"), field, line, prefix=prefix, label=label))
        return ""
    value = value.strip()
    if not value:
        problems.append(Problem(N_("{prefix}{label} is empty"), field, line, prefix=prefix, label=label))
        return ""
    if not USERNAME.match(value):
        problems.append(Problem(
            N_("{prefix}{label} '{value}' is not a username (2 to 150 letters, digits or _ . @ + -)"),
            field, line, prefix=prefix, label=label, value=value[:40]))
        return ""
    return value


def clean_pair(mentee, mentor, organisation, line: int | None = None) -> tuple[dict | None, list]:
    """``({"mentee", "mentor", "organisation"}, [])`` or ``(None, problems)`` for one pair."""
    problems = []
    mentee = clean_username(mentee, "mentee", problems, line, N_("Mentee username"))
    mentor = clean_username(mentor, "mentor", problems, line, N_("Mentor username"))
    prefix = N_("Line {line}: ") if line is not None else ""
    if organisation is None:
        organisation = ""
    if not isinstance(organisation, str):
        problems.append(Problem(N_("{prefix}{label} must be text"), "organisation", line, prefix=prefix,
                                label=N_("Mentor organisation")))
        organisation = ""
    organisation = visible_or_empty(organisation.strip())
    if len(organisation) > MAX_ORGANISATION:
        problems.append(Problem(N_("{prefix}{label} is longer than {most} characters"), "organisation", line,
                                prefix=prefix, label=N_("Mentor organisation"), most=MAX_ORGANISATION))
    if mentee and mentor and mentee.lower() == mentor.lower():
        problems.append(Problem(N_("{prefix}a mentee cannot be their own mentor ({value})"), "mentor", line,
                                prefix=prefix, value=mentee[:40]))
    if problems:
        return None, problems
    return {"mentee": mentee, "mentor": mentor, "organisation": organisation}, []


def parse_csv(text) -> list:
    """
    The pairs of an uploaded CSV file, in file order; raises :class:`Problems` listing every bad line and
    field (a mentee on two lines is a problem on the second: each mentee has one mentor).
    """
    if not isinstance(text, str):
        raise Problems([Problem(N_("The file must be CSV text."), "csv")])
    if len(text.encode("utf-8", "surrogatepass")) > MAX_CSV_BYTES:
        raise Problems([Problem(N_("The file is larger than {most} KB."), "csv", most=MAX_CSV_BYTES // 1000)])
    text = text.lstrip("\ufeff")
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise Problems([Problem(N_("The file is not readable as CSV ({problem})."), "csv",
                                problem=str(error)[:80])]) from None
    rows = [(number, row) for number, row in enumerate(lines, start=1) if any(cell.strip() for cell in row)]
    if rows and rows[0][1] and rows[0][1][0].strip().lower() in ("mentee", "mentee username", "mentee_username"):
        rows = rows[1:]
    if not rows:
        raise Problems([Problem(N_("The file holds no pairs (mentee username, mentor username)."), "csv")])
    if len(rows) > MAX_ROWS:
        raise Problems([Problem(N_("The file holds {count} pairs; upload at most {most} at a time."), "csv",
                                count=len(rows), most=MAX_ROWS)])
    problems, pairs, seen = [], [], {}
    for number, row in rows:
        if len(row) < 2 or len(row) > 3:
            problems.append(Problem(
                N_("Line {line}: expected 2 or 3 columns (mentee username, mentor username, mentor organisation), "
                   "found {count}"), "csv", number, count=len(row)))
            continue
        pair, found = clean_pair(row[0], row[1], row[2] if len(row) > 2 else "", number)
        problems.extend(found)
        if pair is None:
            continue
        key = pair["mentee"].lower()
        if key in seen:
            problems.append(Problem(N_("Line {line}: {value} already has a mentor on line {first}"), "mentee",
                                    number, value=pair["mentee"][:40], first=seen[key]))
            continue
        seen[key] = number
        pairs.append(pair)
    if problems:
        raise Problems(problems)
    return pairs
