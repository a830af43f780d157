"""
Workshop attendance (pure, like :mod:`.figures`): who signed up for which session and who attended, and
satisfaction with each workshop delivery element split by attendance.

- **Per session**: places taken, the waiting list, attended, absent, apologies and not recorded, and the
  attendance rate (attended as a share of those with a place).
- **Per module**: participants who attended at least one of the module's sessions.
- **Satisfaction by attendance**: for each satisfaction survey's workshop element (a theme whose id or title
  names a workshop), the mean score of respondents who attended a session of the survey's module and of those
  who did not, so that a rating of the workshops is read against who was there.
- **Staff edition only**: each participant's attendance per session.

Sessions count when they start within the report's range. Every figure over fewer than the minimum is
suppressed.
"""
from __future__ import annotations

from lp_xblocks.needs_assessment.instrument import mean

from ..i18n import _
from .figures import STAFF, Section, Table, latest_attempts, percent

STATES = ("attended", "absent", "apologies")


def in_scope(attendance, scope) -> list:
    """The attendance records of the scope's participants for sessions starting within its range."""
    return [row for row in attendance if scope.includes(row.username) and scope.in_range(row.starts_at)]


def attended_by(attendance) -> dict:
    """``{username: {module, ...}}``: the modules in which each participant attended at least one session."""
    found: dict = {}
    for row in attendance:
        if row.attendance == "attended":
            found.setdefault(row.username, set()).add(row.module)
    return found


def _is_workshop_element(theme) -> bool:
    return "workshop" in theme.id.lower() or "workshop" in theme.title.lower()


def attendance(records, scope, instruments=(), assessments=()) -> Section:
    """The workshop attendance section (see the module's notes); ``records``: the source's attendance rows."""
    rows = in_scope(records, scope)
    sessions: dict = {}
    for row in rows:
        sessions.setdefault((row.starts_at, row.module, row.block, row.session), []).append(row)
    guard = scope.guard
    session_rows = []
    for (starts_at, module, _block, _session), group in sorted(sessions.items(), key=lambda item: (
            item[0][0] is None, item[0][0] or 0, item[0][2], item[0][3])):
        placed = [row for row in group if row.status == "booked" or row.attendance]
        waiting = sum(1 for row in group if row.status == "waiting" and not row.attendance)
        counts = {state: sum(1 for row in placed if row.attendance == state) for state in STATES}
        unmarked = sum(1 for row in placed if not row.attendance)
        n = len(placed)
        session_rows.append([group[0].title, module, scope.local(starts_at), guard(n, n), guard(n, waiting)]
                            + [guard(n, counts[state]) for state in STATES]
                            + [guard(n, unmarked), guard(n, percent(counts["attended"], n) if n else None)])
    per_session = Table("workshop-sessions", _("Attendance per workshop session"),
                        [_("Session"), _("Module"), _("Date"), _("Places taken"), _("Waiting list"), _("Attended"),
                         _("Absent"), _("Apologies"), _("Not recorded"), _("Percent")], session_rows,
                        empty=_("No workshop session in the period."))
    attended = attended_by(rows)
    modules = sorted({row.module for row in rows})
    module_rows = []
    for module in modules:
        signed = {row.username for row in rows if row.module == module}
        present = {name for name, seen in attended.items() if module in seen}
        module_rows.append([module, guard(len(signed), len(signed)), guard(len(signed), len(present)),
                            guard(len(signed), percent(len(present), len(signed)) if signed else None)])
    per_module = Table("workshop-modules", _("Workshop attendance per module"),
                       [_("Module"), _("Participants signed up"), _("Attended at least one session"), _("Percent")],
                       module_rows, empty=_("No workshop session in the period."))
    satisfaction_rows = []
    for instrument in instruments:
        if instrument.kind != "satisfaction":
            continue
        chosen = latest_attempts(assessments, scope, instrument.block)
        for theme in instrument.themes:
            if not _is_workshop_element(theme):
                continue
            split = {True: [], False: []}
            for username, record in chosen.items():
                score = instrument.score_of(record.scores, theme)
                if score is not None:
                    split[instrument.module in attended.get(username, set())].append(score)
            if not split[True] and not split[False]:
                continue
            cells = [instrument.title, instrument.module, theme.title]
            for group in (split[True], split[False]):
                cells += [guard(len(group), len(group)), guard(len(group), mean(group) if group else None)]
            satisfaction_rows.append(cells)
    by_attendance = Table("workshop-satisfaction", _("Satisfaction with the workshops by attendance"),
                          [_("Survey"), _("Module"), _("Delivery element"), _("Respondents who attended"),
                           _("Mean (attended)"), _("Respondents who did not attend"), _("Mean (did not attend)")],
                          satisfaction_rows, empty=_("No satisfaction survey rates a workshop in the period."))
    items = [per_session, per_module, by_attendance]
    csv = [per_session, per_module, by_attendance]
    if scope.audience == STAFF:
        people = Table("workshop-register", _("Each participant's workshop attendance"),
                       [_("Username"), _("Session"), _("Module"), _("Date"), _("Place"), _("Attendance")],
                       [[row.username, row.title, row.module, scope.local(row.starts_at), row.status,
                         row.attendance or _("not recorded")]
                        for row in sorted(rows, key=lambda r: (r.username, r.starts_at is None, r.starts_at or 0))],
                       personal=True, empty=_("No workshop session in the period."))
        items.append(people)
        csv.append(people)
    intro = [_("Places and attendance as tutors recorded them in each workshop's register (attended, absent, "
               "apologies). Percent: attended, of those with a place. Satisfaction by attendance compares the "
               "workshop ratings of participants who attended a session of the survey's module with those who "
               "did not.")]
    return Section("workshops", _("Workshop attendance"), intro, items, csv)
