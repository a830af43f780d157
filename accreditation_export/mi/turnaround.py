"""
Tutor turnaround (pure, like :mod:`.figures`): from a reflective-log version's submission to the tutor's
decision on it (pass or refer), per reflective log and over all.

Decisions made within the report's range count (by the decision's local date); each one's turnaround is
measured in days (24 hours) and reported as the number of decisions, the median, the longest, and the number
and percent decided within the target (``TARGET_DAYS``, the programme's 10 working days taken as 14 calendar
days). Small groups: a row over fewer than the minimum participants is suppressed (decisions name individual
participants' work). The table is the same in both editions.
"""
from __future__ import annotations

import statistics

from lp_programme.service import TARGET_DAYS  # the programme's standard, which the course states too

from ..i18n import _
from .figures import Section, Table, percent, round2


def _days(decision) -> float | None:
    if decision.submitted_at is None or decision.decided_at is None:
        return None
    return max(0.0, (decision.decided_at - decision.submitted_at).total_seconds() / 86400)


def turnaround(decisions, scope, titles: dict | None = None) -> Section:
    """``decisions``: :class:`~accreditation_export.sources.base.Decision` records; ``titles``: block -> name."""
    titles = titles or {}
    groups = {}
    for decision in decisions:
        if not scope.includes(decision.username) or not scope.in_range(decision.decided_at):
            continue
        days = _days(decision)
        if days is None:
            continue
        for key in (decision.block, None):
            groups.setdefault(key, []).append((decision.username, days))
    rows = []
    for key in sorted((k for k in groups if k is not None), key=lambda k: titles.get(k, k)) + [None]:
        found = groups.get(key, [])
        people = len({name for name, _days in found})
        days = [value for _name, value in found]
        within = sum(1 for value in days if value <= TARGET_DAYS)
        label = _("All reflective logs") if key is None else titles.get(key, key)
        guard = scope.guard
        rows.append([label, guard(people, len(days)),
                     guard(people, round2(statistics.median(days)) if days else None),
                     guard(people, round2(max(days)) if days else None),
                     guard(people, within), guard(people, percent(within, len(days)) if days else None)])
    table = Table("tutor-turnaround", _("Tutor turnaround: days from submission to decision"),
                  [_("Reflective log"), _("Decisions"), _("Median days"), _("Longest (days)"),
                   _("Within {n} days").format(n=TARGET_DAYS), _("Percent within")], rows,
                  empty=_("No tutor decision in the period."))
    intro = [_("Each pass or referral decided in the period, from the submission of the version it decided; "
               "days of 24 hours. The target is {n} calendar days.").format(n=TARGET_DAYS)]
    return Section("turnaround", _("Tutor turnaround"), intro, [table], [table])
