"""
Mentoring uptake (pure, like :mod:`.figures`): how many participants took up the mentoring scheme, as it
stood at the end of the report's range.

From the mentoring block's records (:class:`MentoringRecord`, one per mentee paired in a mentoring block):

- **Paired**: participants with a mentor (paired on or before the end of the range).
- **Agreement signed**: of those, participants whose mentoring agreement both mentee and mentor signed.
- **Logged a session** / **had a session confirmed**: at least one session logged / confirmed by the mentor.
- **Closing review** written, and **continuing** beyond the programme (as the review says).
- **Sessions logged** and **sessions confirmed**: totals over the paired participants.

Counts only: nothing of what was said in a session reaches the report, and both editions show the same
table. Every figure over fewer than the minimum is suppressed (:meth:`.figures.Scope.guard`).
"""
from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from ..i18n import _
from .figures import Section, Table, percent


class MentoringRecord(NamedTuple):
    """One mentee's pairing: when each step happened (None: not yet), their sessions' log and confirm times."""
    username: str
    paired_at: dt.datetime | None
    agreed_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    continuing: bool | None
    sessions_logged: tuple = ()      # logged_at of each session
    sessions_confirmed: tuple = ()   # confirmed_at of each confirmed session


def uptake(records, scope) -> Section:
    """One table: participants paired, agreements signed, sessions logged and confirmed, reviews (see above)."""
    until = scope.not_after_end
    people = {}
    for record in records:
        if not scope.includes(record.username) or record.paired_at is None or not until(record.paired_at):
            continue
        people[record.username] = record  # one pairing per mentee counts (the latest read)
    paired = len(people)
    agreed = sum(1 for r in people.values() if r.agreed_at is not None and until(r.agreed_at))
    logged = [sum(1 for moment in r.sessions_logged if until(moment)) for r in people.values()]
    confirmed = [sum(1 for moment in r.sessions_confirmed if until(moment)) for r in people.values()]
    reviewed = [r for r in people.values() if r.reviewed_at is not None and until(r.reviewed_at)]
    continuing = sum(1 for r in reviewed if r.continuing)
    guard = scope.guard

    def row(label, count):
        return [label, guard(paired, count), guard(paired, percent(count, paired) if paired else None)]

    rows = [
        [_("Participants paired with a mentor"), guard(paired, paired), guard(paired, 100.0 if paired else None)],
        row(_("Mentoring agreement signed by both"), agreed),
        row(_("Logged at least one session"), sum(1 for n in logged if n)),
        row(_("Had at least one session confirmed by their mentor"), sum(1 for n in confirmed if n)),
        row(_("Wrote the closing review"), len(reviewed)),
        row(_("Will continue the mentoring beyond the programme"), continuing),
        [_("Sessions logged (all paired participants)"), guard(paired, sum(logged)), None],
        [_("Sessions confirmed by mentors"), guard(paired, sum(confirmed)), None],
    ]
    table = Table("mentoring-uptake", _("Mentoring uptake"),
                  [_("Measure"), _("Number"), _("Percent of paired participants")], rows,
                  empty=_("Nobody was paired with a mentor."))
    intro = [_("From the mentoring scheme's records as they stood at the end of the period: pairings, signed "
               "agreements, sessions the mentee logged and the mentor confirmed, and closing reviews. Counts only: "
               "nothing said in a session is reported.")]
    return Section("mentoring", _("Mentoring uptake"), intro, [table], [table])
