"""The reason for every decision of :mod:`.mapping`, as lines of text for ``lp-accredit explain`` (pure)."""
from __future__ import annotations

from .i18n import _, ngettext
from .mapping import LearnerResult, QualificationResult


def _day(moment, tz):
    return moment.astimezone(tz).date().isoformat() if moment is not None else _("date not known")


def _entry(record, tz):
    title = record.title or _("(untitled)")
    if record.status == "passed":
        return _("entry \u201c{title}\u201d version {version}, passed {date}").format(
            title=title, version=record.version, date=_day(record.decided_at, tz))
    if record.status == "referred":
        return _("entry \u201c{title}\u201d version {version}, referred {date}").format(
            title=title, version=record.version, date=_day(record.decided_at, tz))
    if record.status == "submitted":
        return _("entry \u201c{title}\u201d version {version}, submitted and waiting for a tutor").format(
            title=title, version=record.version)
    return _("entry \u201c{title}\u201d, a draft not yet submitted").format(title=title)


def _why_not(criterion_id, record):
    if record.status == "passed" and record.criteria_met is not None and criterion_id not in record.criteria_met:
        return _("the tutor did not mark this criterion met")
    if record.status == "passed":
        return _("no decision date in the source")
    if record.status == "referred" and record.criteria_met is not None and criterion_id in record.criteria_met:
        return _("met there, but the entry as a whole was referred: resubmit it")
    if record.status == "referred":
        return _("not yet met: revise and resubmit")
    return ""


def explain(result: LearnerResult, catalogue, tz, qualification_codes=None, candidate=None) -> list[str]:
    """Per unit and criterion, the evidence or what is missing; then each qualification's rules of combination."""
    lines = []
    if candidate is not None:
        lines.append(_("Candidate {username}: {given} {family}, candidate number {number}, ULN {uln}, "
                       "registered for {qualification}").format(
            username=candidate.username, given=candidate.given_name, family=candidate.family_name,
            number=candidate.candidate_number, uln=candidate.uln, qualification=candidate.qualification))
    else:
        lines.append(_("Learner {username}").format(username=result.username))
    if not result.known:
        lines.append(_("  The source has no record of this learner: no entries, exercises or enrolment."))
    for unit_result in result.units.values():
        unit = unit_result.unit
        if unit_result.achieved:
            status = _("ACHIEVED {date}").format(date=unit_result.date.isoformat() if unit_result.date else "")
        else:
            status = ngettext("NOT ACHIEVED: {n} item missing", "NOT ACHIEVED: {n} items missing",
                              unit_result.missing).format(n=unit_result.missing)
        lines.append("")
        lines.append(_("Unit {id} {code} {title} (level {level}, {credit}): {status}").format(
            id=unit.id, code=unit.code, title=unit.title, level=unit.level, status=status,
            credit=ngettext("{n} credit", "{n} credits", unit.credit).format(n=unit.credit)))
        texts = {criterion.id: criterion.text for criterion in unit.criteria}
        for criterion in unit_result.criteria:
            number = criterion.id.split("-", 1)[1]
            if criterion.met:
                lines.append(_("  {number} met: {evidence}").format(number=number, evidence=_entry(criterion.evidence, tz)))
            else:
                lines.append(_("  {number} MISSING: {text}").format(number=number, text=texts[criterion.id]))
                if not criterion.others:
                    lines.append(_("      no passed entry claims it"))
            for record in criterion.others:
                reason = _why_not(criterion.id, record)
                lines.append("      " + _entry(record, tz) + (f": {reason}" if reason else ""))
        for requirement in unit_result.requirements:
            described = requirement.requirement.description
            if requirement.met:
                lines.append(_("  requirement met: {what} ({date})").format(what=described, date=_day(requirement.at, tz)))
            elif requirement.record is None:
                lines.append(_("  requirement MISSING: {what}: not attempted").format(what=described))
            else:
                lines.append(ngettext("  requirement MISSING: {what}: {n} attempt, not passed",
                                      "  requirement MISSING: {what}: {n} attempts, none passed",
                                      requirement.record.attempts).format(what=described, n=requirement.record.attempts))
    if result.unknown_criteria:
        lines.append("")
        lines.append(_("Passed entries also claim criteria that are not in the catalogue (ignored): {ids}").format(
            ids=", ".join(result.unknown_criteria)))
    for qualification in catalogue.qualifications:
        if qualification_codes is not None and qualification.code not in qualification_codes:
            continue
        lines.append("")
        lines += explain_qualification(result.qualification(qualification, tz))
    return lines


def explain_qualification(result: QualificationResult) -> list[str]:
    q = result.qualification
    status = _("ACHIEVED {date}").format(date=result.date.isoformat()) if result.achieved else _("NOT ACHIEVED")
    lines = [_("Qualification {code} {title}: {status}").format(code=q.code, title=q.title, status=status)]
    for check in result.checks:
        mark = _("ok") if check.ok else _("SHORT")
        if check.rule == "mandatory":
            text = (_("mandatory unit {unit}: achieved") if check.ok else _("mandatory unit {unit}: not achieved"))
            lines.append(f"  [{mark}] " + text.format(unit=check.subject))
        elif check.rule == "group":
            lines.append(f"  [{mark}] " + ngettext("optional group \u201c{title}\u201d: {have} of at least {needed} credit",
                                             "optional group \u201c{title}\u201d: {have} of at least {needed} credits",
                                             check.needed).format(title=check.subject, have=check.have,
                                                                  needed=check.needed))
        elif check.rule == "credits":
            lines.append(f"  [{mark}] " + _("total credits: {have} of {needed} required").format(
                have=check.have, needed=check.needed))
        else:
            lines.append(f"  [{mark}] " + _("credits at or above level {level}: {have} of {needed} required").format(
                level=check.subject, have=check.have, needed=check.needed))
    return lines
