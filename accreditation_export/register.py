"""
The candidate register (pure: stdlib only): the centre's CSV of who opted in to accreditation.

Columns (header names are matched without regard to case, spaces or hyphens: ``Given name`` is
``given_name``): ``username, uln, given_name, family_name, date_of_birth, candidate_number, opted_in`` and,
optionally, ``qualification`` (the code of the qualification the candidate is registered for; the default
comes from the command line).

Only opted-in candidates are claimed. An opted-in row with a missing field, a ULN that fails the Learner
Records Service check, an impossible date of birth, an unknown qualification, or a username, ULN or candidate
number shared with another row is *rejected* with the reason: never dropped silently, never claimed.

Each row is one line: a line that is not one CSV row (a stray quote, a NUL, not UTF-8) is rejected with its
line number and the lines after it are read as usual, so one bad row never hides the others. Duplicates are
found in one pass (a dict of lines per username, ULN and candidate number), and each message names at most
:data:`MAX_LINES_NAMED` other lines with the count of the rest.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .csvfile import BrokenRow, reading_lines
from .i18n import _, ngettext

REQUIRED = ("username", "uln", "given_name", "family_name", "date_of_birth", "candidate_number", "opted_in")
OPTIONAL = ("qualification",)
UNKNOWN_ULN = "9999999999"   # the LRS placeholder for 'not known': fails the check by design
CANDIDATE_NUMBER = re.compile(r"^[A-Za-z0-9]{1,20}$")
_ULN = re.compile(r"[0-9]{10}")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_WEIGHTS = tuple(range(10, 0, -1))
MAX_NAME = 100
MAX_LINES_NAMED = 5


class RegisterError(ValueError):
    """The register as a whole cannot be read (missing file, missing columns); names the file and line."""


@dataclass(frozen=True, slots=True)
class Candidate:
    line: int
    username: str
    uln: str
    given_name: str
    family_name: str
    date_of_birth: str       # ISO 8601
    candidate_number: str
    qualification: str


@dataclass(frozen=True, slots=True)
class Rejection:
    line: int | None
    username: str
    candidate_number: str
    family_name: str
    given_name: str
    field: str
    reason: str


@dataclass
class Register:
    candidates: list            # opted in and valid, sorted by username
    rejections: list            # in line order
    opted_out: list             # usernames that said no


def uln_problem(uln: str) -> str | None:
    """Why ``uln`` is not a valid Unique Learner Number, or None when it is."""
    if not _ULN.fullmatch(uln):
        return _("the ULN must be 10 digits")
    if uln[0] == "0":
        return _("the ULN must not start with 0")
    total = sum(map(int.__mul__, map(int, uln), _WEIGHTS))
    if total % 11 != 10:
        return _("the ULN fails the Learner Records Service check digit")
    return None


def is_valid_uln(uln: str) -> bool:
    return uln_problem(uln) is None


def parse_date_of_birth(text: str, today: dt.date) -> tuple[str | None, str | None]:
    """``(iso date, None)`` or ``(None, problem)``: YYYY-MM-DD or DD/MM/YYYY, a real date, 1900 to today."""
    for pattern, order in ((_ISO_DATE, "ymd"), (_UK_DATE, "dmy")):
        match = pattern.fullmatch(text)
        if match:
            parts = [int(part) for part in match.groups()]
            year, month, day = parts if order == "ymd" else parts[::-1]
            try:
                when = dt.date(year, month, day)
            except ValueError:
                return None, _("{text!r} is not a real date").format(text=text)
            if when > today:
                return None, _("{text!r} is in the future").format(text=text)
            if when.year < 1900:
                return None, _("{text!r} is before 1900").format(text=text)
            return when.isoformat(), None
    return None, _("{text!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)").format(text=text)


def _column(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def read_register(path, *, qualifications, default_qualification, today=None) -> Register:
    """
    Read and check the register. ``qualifications`` is the set of codes the catalogue knows;
    ``default_qualification`` applies where the row names none.
    """
    today = today or dt.date.today()
    path = Path(path)
    with reading_lines(path, RegisterError) as (header, rows):
        columns = [_column(name) for name in header]
        missing = [name for name in REQUIRED if name not in columns]
        if missing:
            raise RegisterError(_("{path}:1: missing columns: {names} (the header has: {found})").format(
                path=path, names=", ".join(missing), found=", ".join(header)))
        position = {name: columns.index(name) for name in REQUIRED + OPTIONAL if name in columns}
        return check_rows(rows, position, qualifications, default_qualification, today)


def check_rows(rows, position, qualifications, default_qualification, today) -> Register:
    """
    Check ``(line, cells)`` rows one by one as they stream past (each kept as one small tuple), then against
    each other: a username, ULN or candidate number on two rows rejects both.
    """
    fields = REQUIRED + OPTIONAL
    indexes = [(name, position.get(name)) for name in fields]
    checked, opted_out = [], []
    broken = []
    for line, row in rows:
        if isinstance(row, BrokenRow):
            broken.append(Rejection(line, "", "", "", "", "row", str(row)))
            continue
        values = {name: (row[index].strip() if index is not None and index < len(row) else "") for name, index in indexes}
        values["uln"] = values["uln"].replace(" ", "")
        problem = _row_problem(values, qualifications, default_qualification, today)
        if problem is None and values["opted_in"].lower() == "no":
            opted_out.append(values["username"])
            continue
        checked.append((line, values["username"], values["uln"], values["given_name"], values["family_name"],
                        values["date_of_birth"], values["candidate_number"],
                        values["qualification"] or default_qualification, problem))

    # Which row is right is unknown when two share a username, ULN or candidate number: neither is claimed.
    # One pass: the lines of each value; each message names a few of the other lines and counts the rest.
    lines_of: dict = {}
    for item in checked:
        if item[8] is None:
            for key in (("username", item[1].casefold()), ("uln", item[2]), ("candidate_number", item[6])):
                lines_of.setdefault(key, []).append(item[0])
    candidates, rejections = [], list(broken)
    for line, username, uln, given, family, born, number, qualification, problem in checked:
        if problem is None:
            for name, key in (("username", username.casefold()), ("uln", uln), ("candidate_number", number)):
                lines = lines_of[(name, key)]
                if len(lines) > 1:
                    problem = (name, _duplicate_message(name, lines, line))
                    break
        if problem is not None:
            rejections.append(Rejection(line, username, number, family, given, problem[0], problem[1]))
        else:
            candidates.append(Candidate(line, username, uln, given, family, born, number, qualification))
    rejections.sort(key=lambda item: item.line or 0)
    candidates.sort(key=lambda candidate: candidate.username)
    return Register(candidates, rejections, sorted(opted_out))


def _duplicate_message(name, lines, own) -> str:
    """``the same uln is on line 3, 4, 5, 6, 7 and 7,995 other lines too``: bounded however many share it."""
    named = []
    for other in lines:
        if other != own:
            named.append(str(other))
            if len(named) == MAX_LINES_NAMED:
                break
    rest = len(lines) - 1 - len(named)
    if rest:
        return ngettext("the same {field} is on line {lines} and {n} other line too",
                        "the same {field} is on line {lines} and {n} other lines too", rest).format(
            field=name, lines=", ".join(named), n=f"{rest:,}")
    return _("the same {field} is on line {lines} too").format(field=name, lines=", ".join(named))


def _row_problem(values, qualifications, default_qualification, today):
    """``(field, reason)`` for the first problem of one row, or None (an opted-out row needs only its username)."""
    if not values["username"]:
        return "username", _("the username is missing")
    opted = values["opted_in"].lower()
    if opted not in ("yes", "no"):
        return "opted_in", _("opted in must be yes or no, not {value!r}").format(value=values["opted_in"])
    if opted == "no":
        return None
    for name in REQUIRED:
        if not values[name]:
            return name, _("{field} is missing").format(field=name)
    for name in ("given_name", "family_name"):
        if len(values[name]) > MAX_NAME or any(ord(char) < 32 for char in values[name]):
            return name, _("{field} must be at most {limit} characters of text").format(field=name, limit=MAX_NAME)
    problem = uln_problem(values["uln"])
    if problem:
        return "uln", f"{problem}: {values['uln']!r}"
    iso, problem = parse_date_of_birth(values["date_of_birth"], today)
    if problem:
        return "date_of_birth", problem
    values["date_of_birth"] = iso
    if not CANDIDATE_NUMBER.match(values["candidate_number"]):
        return "candidate_number", _("the candidate number must be 1 to 20 letters or digits, not {value!r}").format(
            value=values["candidate_number"])
    qualification = values["qualification"] or default_qualification
    if qualification not in qualifications:
        return "qualification", _("{code!r} is not a qualification of the catalogue ({known})").format(
            code=qualification, known=", ".join(sorted(qualifications)))
    return None
