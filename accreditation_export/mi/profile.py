"""
Who the participants are (pure, like :mod:`.figures`): a participant profile and optional equality
monitoring, read from optional register columns.

Profile columns (any may be absent): ``role``, ``partnership``, ``employer_type``, ``experience`` (new or
experienced in the role), ``partner_staff`` (yes: staff of a partner organisation rather than a manager).
Equality columns (optional for the participant to answer): ``gender``, ``age_band``, ``ethnicity``,
``disability``. A blank answer is counted as "Not stated".

Every count of fewer than ``minimum`` people (other than none) is suppressed, and so is the whole table
when the group itself is smaller; these are cohort-level figures, the same in both editions.
"""
from __future__ import annotations

from ..i18n import _
from .figures import Section, Suppressed, Table, percent

PROFILE = (("role", "Role"), ("employer_type", "Employer type"), ("experience", "New or experienced in the role"),
           ("partner_staff", "Partner organisation staff"))
EQUALITY = (("gender", "Gender"), ("age_band", "Age band"), ("ethnicity", "Ethnicity"), ("disability", "Disability"))


def _counts(rows: list, column: str) -> dict:
    found = {}
    for row in rows:
        value = (row.get(column) or "").strip() or _("Not stated")
        found[value] = found.get(value, 0) + 1
    return dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))


def _table(table_id, caption, rows, columns, scope, empty):
    n = len(rows)
    lines = []
    for column, title in columns:
        if not any(column in row for row in rows):
            continue
        for value, count in _counts(rows, column).items():
            if n < scope.minimum or 0 < count < scope.minimum:
                lines.append([_(title), value, Suppressed(scope.minimum), Suppressed(scope.minimum)])
            else:
                lines.append([_(title), value, count, percent(count, n)])
    return Table(table_id, caption.format(n=scope.guard(n, n)), [_("Characteristic"), _("Answer"), _("Number"),
                                                                  _("Percent")], lines, empty=empty)


def profile(register_rows: dict, participants: set, scope) -> Section:
    """The profile and equality tables over the register's participants in scope who took part."""
    rows = [row for name, row in sorted(register_rows.items()) if name in participants]
    partnerships = {(row.get("partnership") or "").strip() for row in rows} - {""}
    shown = scope.guard(len(rows), len(partnerships))
    profile_table = _table(
        "participant-profile", _("Participant profile (participants: {n})"), rows, PROFILE, scope,
        _("The register has none of the profile columns (role, employer_type, experience, partner_staff)."))
    if any("partnership" in row for row in rows):
        profile_table.rows.insert(0, [_("Partnerships represented"), "", shown, None])
    equality = _table(
        "equality-monitoring", _("Equality monitoring (optional answers; participants: {n})"), rows, EQUALITY, scope,
        _("The register has no equality monitoring columns (gender, age_band, ethnicity, disability)."))
    intro = [_("From optional register columns, over the participants in the report's scope. A count of fewer "
               "than {n} people is suppressed; blank answers are counted as \"Not stated\".").format(n=scope.minimum)]
    return Section("participants", _("Participant profile and equality monitoring"), intro,
                   [profile_table, equality], [profile_table, equality])
