"""
Every figure of the management-information report (pure: plain records in, sections of tables and chart
data out; no I/O).

The five sections follow the tender's minimum management information: registration, needs assessment,
satisfaction with each delivery element, progress, accreditation outcomes.

Rules every section keeps:

- **Scope.** A cohort filter keeps the participants whose register row has the cohort; a date range keeps the
  activity dated within it (centre's local dates, inclusive): attempts submitted, tutors' decisions, exercise
  results. Accreditation outcomes count evidence up to the end of the range (credit accumulates).
- **Means** are rounded half-up to two places (as the needs-assessment block rounds), and every mean stands
  next to its number of respondents.
- **Small groups.** A cohort-level figure over fewer than ``minimum`` people (the group's size, its mean and
  its distribution) is replaced by :class:`Suppressed`, never shown. Per-participant tables (marked
  ``personal``) are for staff and are left out for the funder's audience.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from lp_xblocks.needs_assessment.instrument import mean, round2

from ..i18n import _
from ..sources.base import Exercise, ReflectiveEntry

STAFF, FUNDER = "staff", "funder"
DIAGNOSTIC_KINDS = ("individual", "partnership")


# --------------------------------------------------------------------------------------------- structure


@dataclass(frozen=True)
class Suppressed:
    """A figure withheld because its group has fewer than ``minimum`` people."""
    minimum: int

    def __str__(self):
        return _("suppressed (fewer than {n})").format(n=self.minimum)


@dataclass
class Table:
    """Rows of cells (numbers, text, :class:`Suppressed` or None); the first cell of a row names the row."""
    id: str
    caption: str
    columns: list
    rows: list
    personal: bool = False          # names individuals: staff only
    empty: str = ""                 # what to say when there are no rows


@dataclass
class BarRow:
    label: str
    n: int | Suppressed
    counts: list | None             # one count per category; None when suppressed
    mean: float | Suppressed | None = None


@dataclass
class Bars:
    """100% stacked horizontal bars: each row's distribution over ordered categories."""
    id: str
    title: str
    desc: str
    categories: list
    rows: list
    table: str = ""                 # the id of the table that gives the same figures


@dataclass
class Counts:
    """Simple horizontal bars of counts."""
    id: str
    title: str
    desc: str
    rows: list                      # (label, count)
    table: str = ""


@dataclass
class Dumbbell:
    """Per row, the mean at the start and the latest mean on one scale."""
    id: str
    title: str
    desc: str
    low: float
    high: float
    rows: list                      # (label, n or Suppressed, baseline or None, latest or None)
    table: str = ""


@dataclass
class Section:
    id: str                         # also the main CSV's name
    title: str
    intro: list
    items: list                     # tables and charts in reading order (subheadings as str)
    csv: list = field(default_factory=list)   # tables written as CSV files (<id>.csv)


@dataclass
class Scope:
    """Who and when the report covers."""
    minimum: int = 5
    start: dt.date | None = None
    end: dt.date | None = None
    tz: dt.tzinfo = dt.timezone.utc
    cohort: tuple | None = None     # (column, value)
    members: set | None = None      # usernames of the cohort; None: everyone
    audience: str = STAFF

    def includes(self, username: str) -> bool:
        return self.members is None or username in self.members

    def local(self, moment: dt.datetime | None) -> dt.date | None:
        return moment.astimezone(self.tz).date() if moment is not None else None

    def in_range(self, moment: dt.datetime | None) -> bool:
        """Within the date range; undated activity counts only when there is no range."""
        if self.start is None and self.end is None:
            return True
        day = self.local(moment)
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def not_after_end(self, moment: dt.datetime | None) -> bool:
        if self.end is None:
            return True
        day = self.local(moment)
        return day is not None and day <= self.end

    def guard(self, n: int, value):
        """``value``, or :class:`Suppressed` when the group of ``n`` people is too small."""
        return Suppressed(self.minimum) if n < self.minimum else value


def percent(count: int, total: int) -> float:
    """``count`` of ``total`` as a percentage rounded half-up to one place."""
    if not total:
        return 0.0
    return float((Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def person_name(row: dict | None) -> tuple:
    """``(given name, family name)`` from a raw register row, or blanks."""
    if not row:
        return "", ""
    return row.get("given_name", ""), row.get("family_name", "")


# --------------------------------------------------------------------------------------------- scope helpers


def records_until(records, scope: Scope):
    """
    The evidence as it stood at the end of the range: a pass decided later is not yet a pass (the entry
    counts as submitted), an exercise result dated later is not yet there.
    """
    for record in records:
        if isinstance(record, ReflectiveEntry) and record.status == "passed" and not scope.not_after_end(record.decided_at):
            yield record._replace(status="submitted", criteria_met=None, decided_at=None)
        elif isinstance(record, Exercise) and record.completed_at is not None and not scope.not_after_end(record.completed_at):
            continue
        else:
            yield record


def _dated(record):
    if isinstance(record, ReflectiveEntry):
        return record.decided_at
    if isinstance(record, Exercise):
        return record.completed_at
    return getattr(record, "submitted_at", None)


def participants(records, assessments, scope: Scope) -> set:
    """Learners with any activity in the course (within the range, when there is one), in the scope."""
    found = set()
    for record in list(records) + list(assessments):
        if scope.includes(record.username) and scope.in_range(_dated(record)):
            found.add(record.username)
    return found


def latest_attempts(assessments, scope: Scope, block: str) -> dict:
    """``{username: attempt}``: each learner's latest attempt of ``block`` submitted within the range."""
    chosen = {}
    for record in assessments:
        if record.block != block or not scope.includes(record.username) or not scope.in_range(record.submitted_at):
            continue
        best = chosen.get(record.username)
        if best is None or record.attempt > best.attempt:
            chosen[record.username] = record
    return chosen


# --------------------------------------------------------------------------------------------- registration


def registration(participants_seen: set, register_rows: dict, register, rejections: list, registered: list,
                 scope: Scope, claims=()) -> Section:
    """
    ``register_rows``: ``{username: raw row}`` of the register in the scope; ``register``: the checked
    register; ``rejections``: every candidate not claimed (register checks and no evidence), in the scope;
    ``registered``: the candidates matched with evidence (eligible to be claimed); ``claims``: the ledger's rows.
    Participants are the register's people: an account active in the course but not in the register is not
    counted (staff see such accounts listed apart). A candidate is registered with the awarding body only when
    the ledger has an accepted claim for them.
    """
    in_register = {name for name in participants_seen if name in register_rows}
    others = sorted(name for name in participants_seen if name not in register_rows)
    accepted = {row["username"] for row in claims if row.get("state") == "accepted"}
    with_body = sum(1 for outcome in registered if outcome.candidate.username in accepted)
    opted_in = sum(1 for row in register_rows.values() if row.get("opted_in", "").strip().lower() == "yes")
    opted_out = sum(1 for name in register.opted_out if name in register_rows)
    summary = [
        (_("Participants active in the course"), len(in_register)),
        (_("In the candidate register"), len(register_rows)),
        (_("Opted in to accreditation"), opted_in),
        (_("Opted out of accreditation"), opted_out),
        (_("Eligible to be claimed"), len(registered)),
        (_("Registered with the awarding body"), with_body),
        (_("Rejected (see the reasons)"), len(rejections)),
    ]
    table = Table("registration", _("Registration"), [_("Measure"), _("Participants")], [list(row) for row in summary])
    chart = Counts("registration-chart", _("Registration"),
                   _("Bar chart of participants at each step from activity in the course to registration with the "
                     "awarding body; the table below gives the same figures."), summary, table="registration")
    if scope.audience == STAFF:
        rows = [[item.line or "", item.username, item.given_name, item.family_name, item.field, item.reason]
                for item in sorted(rejections, key=lambda r: (r.line or 0, r.username))]
        reasons = Table("registration-rejections", _("Rejected candidates and why"),
                        [_("Register line"), _("Username"), _("Given name"), _("Family name"), _("Field"),
                         _("Reason")], rows, personal=True, empty=_("No candidate was rejected."))
    else:
        by_field: dict[str, int] = {}
        for item in rejections:
            by_field[item.field] = by_field.get(item.field, 0) + 1
        reasons = Table("registration-rejections", _("Rejections by the field at fault"), [_("Field"), _("Rejected")],
                        [[name, count] for name, count in sorted(by_field.items())], empty=_("No candidate was rejected."))
    intro = [_("Participants are the people in the centre's register with any activity in the course (an "
               "assessment taken, an entry marked, an exercise played); other accounts are not counted. Candidates "
               "opt in to accreditation in the register; an opted-in candidate whose register row passes every check "
               "and who has evidence in the course is eligible to be claimed, and is registered with the awarding "
               "body once the submission ledger records a claim of theirs as accepted. Every other opted-in row is "
               "rejected, with the reason.")]
    items, csv_tables = [chart, table, reasons], [table, reasons]
    if scope.audience == STAFF:
        unregistered = Table("registration-not-in-register", _("Accounts active in the course but not in the register"),
                             [_("Username")], [[name] for name in others], personal=True,
                             empty=_("Every account active in the course is in the register."))
        items.append(unregistered)
        csv_tables.append(unregistered)
    return Section("registration", _("Participant registration"), intro, items, csv_tables)


# --------------------------------------------------------------------------------------------- assessments


def _distribution(instrument, theme, chosen: dict):
    labels = [band["label"] for band in theme.bands]
    counts = [0] * len(labels)
    scores = []
    for record in chosen.values():
        score = instrument.score_of(record.scores, theme)
        if score is None:
            continue
        scores.append(score)
        label = instrument.band(theme, score)
        if label in labels:
            counts[labels.index(label)] += 1
    return labels, counts, scores


def _theme_rows(instrument, chosen: dict, scope: Scope):
    """Per theme: (theme, labels, n, mean, counts) with small groups suppressed."""
    rows = []
    for theme in instrument.themes:
        labels, counts, scores = _distribution(instrument, theme, chosen)
        n = len(scores)
        rows.append((theme, labels, scope.guard(n, n), scope.guard(n, mean(scores) if scores else None),
                     scope.guard(n, counts)))
    return rows


def _long_rows(prefix: list, labels, n, average, counts):
    found = []
    for position, label in enumerate(labels):
        if isinstance(counts, Suppressed):
            found.append(prefix + [n, average, label, counts, counts])
        else:
            found.append(prefix + [n, average, label, counts[position], percent(counts[position], n)])
    return found


def _instrument_block(instrument, chosen, scope, table_id, name_column):
    rows = _theme_rows(instrument, chosen, scope)
    labels = [band["label"] for band in instrument.themes[0].bands] if instrument.themes else []
    same_bands = all([band["label"] for band in theme.bands] == labels for theme in instrument.themes)
    table_rows, bars = [], []
    for theme, theme_labels, n, average, counts in rows:
        if same_bands:
            cells = list(counts) if not isinstance(counts, Suppressed) else [counts] * len(labels)
        else:
            cells = ["; ".join(f"{label}: {count}" for label, count in zip(theme_labels, counts))
                     if not isinstance(counts, Suppressed) else counts]
        table_rows.append([theme.title, n, average] + cells)
        bars.append(BarRow(theme.title, n, None if isinstance(counts, Suppressed) else counts, average))
    columns = [name_column, _("Respondents"), _("Mean")] + (labels if same_bands else [_("Bands")])
    table = Table(table_id, _("{title}: respondents, mean score and number in each band").format(
        title=instrument.title), columns, table_rows)
    chart = Bars(f"{table_id}-chart", instrument.title,
                 _("Stacked bar chart: for each theme of {title}, the share of respondents in each band, with the "
                   "number of respondents and the mean; the table below gives the same figures.").format(
                     title=instrument.title), labels, bars, table=table_id) if same_bands else None
    return rows, table, chart


def needs_assessment(instruments, assessments, scope: Scope) -> Section:
    """Per diagnostic instrument and theme: respondents, mean and bands over each learner's latest attempt."""
    items, long_rows, stage_rows = [], [], []
    for instrument in instruments:
        if instrument.kind not in DIAGNOSTIC_KINDS:
            continue
        chosen = latest_attempts(assessments, scope, instrument.block)
        rows, table, chart = _instrument_block(instrument, chosen, scope, f"needs-{instrument.block}", _("Theme"))
        items.append(_("{title} ({kind})").format(title=instrument.title, kind=_kind(instrument.kind)))
        items += [item for item in (chart, table) if item is not None]
        for theme, labels, n, average, counts in rows:
            long_rows += _long_rows([instrument.title, instrument.kind, theme.title], labels, n, average, counts)
        if instrument.stages:
            stage_table, stage_chart, stage_long = _stages(instrument, chosen, scope)
            items += [stage_chart, stage_table]
            stage_rows += stage_long
    main = Table("needs-assessment", _("Needs assessment results"),
                 [_("Instrument"), _("Kind"), _("Theme"), _("Respondents"), _("Mean"), _("Band"), _("Number"),
                  _("Percent")], long_rows)
    stages = Table("needs-assessment-stages", _("Stage of partnership working"),
                   [_("Instrument"), _("Partnerships"), _("Mean overall score"), _("Stage"), _("Number"), _("Percent")],
                   stage_rows)
    intro = [_("Each participant's latest attempt at each diagnostic in the period: the individual learning-needs "
               "analysis and the partnership health check. A theme's score is placed in the instrument's bands. "
               "Participants place their partnership on the stages of partnership working themselves; a "
               "partnership rated by several people is counted once.")]
    return Section("needs-assessment", _("Needs assessment results"), intro, items, [main, stages])


def partnership_stages(instrument, chosen: dict) -> tuple:
    """
    Each partnership counted once: ``({stage label: partnerships}, partnerships placed, respondents)``.

    Raters who share a partnership code are one partnership, placed where most of them placed it (a tie goes
    to the earlier stage: the cautious reading); a respondent with no code is a partnership of their own. The
    stage is what the participant chose for the partnership as a whole, never derived from scores.
    """
    labels = [stage["label"] for stage in instrument.stages]
    groups = {}
    for username, record in chosen.items():
        label = instrument.whole_stage(record.stage)
        key = ("code", record.partnership) if getattr(record, "partnership", "") else ("learner", username)
        groups.setdefault(key, []).append(label)
    counts = {label: 0 for label in labels}
    placed = 0
    for votes in groups.values():
        votes = [label for label in votes if label in counts]
        if not votes:
            continue
        winner = max(labels, key=lambda label: (votes.count(label), -labels.index(label)))
        counts[winner] += 1
        placed += 1
    return counts, placed, len(chosen)


def _stages(instrument, chosen, scope):
    labels = [stage["label"] for stage in instrument.stages]
    found, placed, respondents = partnership_stages(instrument, chosen)
    counts = [found[label] for label in labels]
    overalls = []
    for record in chosen.values():
        overall = record.overall
        if overall is None:
            scores = [instrument.score_of(record.scores, theme) for theme in instrument.themes]
            scores = [score for score in scores if score is not None]
            overall = mean(scores) if scores else None
        if overall is not None:
            overalls.append(overall)
    n = placed
    shown_n = scope.guard(n, n)
    shown_mean = scope.guard(len(overalls), mean(overalls) if overalls else None)
    shown = scope.guard(n, counts)
    table_id = f"stages-{instrument.block}"
    if isinstance(shown, Suppressed):
        rows = [[label, shown, shown] for label in labels]
    else:
        rows = [[label, count, percent(count, n)] for label, count in zip(labels, counts)]
    table = Table(table_id, _("{title}: partnerships at each stage of partnership working, each counted once, as "
                              "placed by participants (partnerships: {n}; respondents: {r}; mean overall score: "
                              "{mean})").format(title=instrument.title, n=shown_n, r=scope.guard(respondents, respondents),
                                                mean=_text(shown_mean)),
                  [_("Stage"), _("Number"), _("Percent")], rows)
    chart = Bars(f"{table_id}-chart", _("{title}: stages of partnership working").format(title=instrument.title),
                 _("Stacked bar chart: the share of partnerships at each stage, from co-existence to co-ownership, "
                   "as participants placed them; the table below gives the same figures."), labels,
                 [BarRow(_("All partnerships"), shown_n, None if isinstance(shown, Suppressed) else counts, shown_mean)],
                 table=table_id)
    return table, chart, _long_rows([instrument.title], labels, shown_n, shown_mean, shown)


def satisfaction(instruments, assessments, scope: Scope) -> Section:
    """Per satisfaction survey and delivery element: respondents, mean and bands."""
    items, long_rows = [], []
    for instrument in instruments:
        if instrument.kind != "satisfaction":
            continue
        chosen = latest_attempts(assessments, scope, instrument.block)
        rows, table, chart = _instrument_block(instrument, chosen, scope, f"satisfaction-{instrument.block}",
                                               _("Delivery element"))
        items.append(_("{title} ({module})").format(title=instrument.title, module=instrument.module))
        items += [item for item in (chart, table) if item is not None]
        for theme, labels, n, average, counts in rows:
            long_rows += _long_rows([instrument.title, instrument.module, theme.title], labels, n, average, counts)
    main = Table("satisfaction", _("Satisfaction with each delivery element"),
                 [_("Survey"), _("Module"), _("Delivery element"), _("Respondents"), _("Mean"), _("Band"), _("Number"),
                  _("Percent")], long_rows)
    intro = [_("One survey per module; each theme is a delivery element (online study, workshops, exercises, "
               "mentoring, accreditation support), scored from 1 (strongly disagree) to 5 (strongly agree) with "
               "statements about it.")]
    return Section("satisfaction", _("Participant satisfaction with each delivery element"), intro, items, [main])


# --------------------------------------------------------------------------------------------- progress


def _change(latest, baseline):
    if latest is None or baseline is None:
        return None
    return round2(float(Decimal(str(latest)) - Decimal(str(baseline))))


def progress(instruments, assessments, register_rows: dict, scope: Scope) -> Section:
    """Per participant and theme: baseline (first attempt), latest attempt in the period, change; cohort summary."""
    items, summary_rows, person_rows = [], [], []
    firsts = {(r.username, r.block): r for r in assessments if r.attempt == 1}
    for instrument in instruments:
        if instrument.kind not in DIAGNOSTIC_KINDS:
            continue
        chosen = latest_attempts(assessments, scope, instrument.block)
        if not chosen:
            continue
        theme_rows, dumbbell = [], []
        for theme in list(instrument.themes) + [None]:
            baselines, latests, changes = [], [], []
            not_retaken = 0
            for username in sorted(chosen):
                record = chosen[username]
                if theme is None:
                    baseline = _overall(instrument, record.first_scores)
                    latest = record.overall if record.overall is not None else _overall(instrument, record.scores)
                else:
                    baseline = instrument.score_of(record.first_scores, theme)
                    latest = instrument.score_of(record.scores, theme)
                retaken = record.attempt > 1
                change = _change(latest, baseline) if retaken else None
                if theme is not None and scope.audience == STAFF:
                    first = firsts.get((username, record.block))
                    given, family = person_name(register_rows.get(username))
                    person_rows.append([instrument.title, username, given, family, theme.title, baseline,
                                        latest if retaken else None, change,
                                        scope.local(first.submitted_at) if first else None,
                                        scope.local(record.submitted_at) if retaken else None, record.attempt])
                if not retaken:
                    not_retaken += 1
                elif change is not None:
                    baselines.append(baseline)
                    latests.append(latest)
                    changes.append(change)
            n = len(changes)
            label = theme.title if theme is not None else _("Overall score")
            row = [label, scope.guard(n, n)]
            for value in (sum(1 for c in changes if c > 0), sum(1 for c in changes if c == 0),
                          sum(1 for c in changes if c < 0), mean(baselines) if n else None,
                          mean(latests) if n else None, mean(changes) if n else None):
                row.append(scope.guard(n, value))
            row.append(scope.guard(len(chosen), not_retaken))
            theme_rows.append(row)
            summary_rows.append([instrument.title] + row)
            dumbbell.append((label, row[1], None if n < scope.minimum else row[5],
                             None if n < scope.minimum else row[6]))
        table_id = f"progress-{instrument.block}"
        table = Table(table_id, _("{title}: who improved between the first attempt and the latest").format(
            title=instrument.title),
            [_("Theme"), _("Retaken by"), _("Improved"), _("No change"), _("Declined"), _("Mean at the start"),
             _("Mean latest"), _("Mean change"), _("Not yet retaken")], theme_rows)
        low, high = _scale(instrument)
        chart = Dumbbell(f"{table_id}-chart", _("{title}: mean score at the start and latest").format(
            title=instrument.title),
            _("Dot plot: for each theme, the mean score of the participants who retook {title}, at the first attempt "
              "(hollow dot) and at the latest (filled dot); the table below gives the same figures.").format(
                  title=instrument.title), low, high, dumbbell, table=table_id)
        shown = any(baseline is not None and latest is not None for _l, _n, baseline, latest in dumbbell)
        items += [instrument.title, chart, table] if shown else [instrument.title, table]
    summary = Table("progress-summary", _("Progress: cohort summary"),
                    [_("Instrument"), _("Theme"), _("Retaken by"), _("Improved"), _("No change"), _("Declined"),
                     _("Mean at the start"), _("Mean latest"), _("Mean change"), _("Not yet retaken")], summary_rows)
    people = Table("progress", _("Progress of each participant"),
                   [_("Instrument"), _("Username"), _("Given name"), _("Family name"), _("Theme"), _("At the start"),
                    _("Latest"), _("Change"), _("First taken"), _("Latest taken"), _("Attempts")], person_rows,
                   personal=True, empty=_("No participant has taken a diagnostic in the period."))
    csv_tables = [summary]
    if scope.audience == STAFF:
        items += [_("Each participant"), people]
        csv_tables.insert(0, people)
    intro = [_("The baseline is a participant's first attempt at a diagnostic (taken at the start of the programme); "
               "the latest is their last attempt in the period (the learning-needs analysis is retaken at the close). "
               "A positive change is an improvement; participants who have not retaken yet are counted apart.")]
    return Section("progress", _("Evaluation of progress made by participants"), intro, items, csv_tables)


def _overall(instrument, scores: dict):
    values = [instrument.score_of(scores, theme) for theme in instrument.themes]
    values = [value for value in values if value is not None]
    return mean(values) if values else None


def _scale(instrument):
    uptos = [band["upto"] for theme in instrument.themes for band in theme.bands]
    return 1.0, float(max(uptos)) if uptos else 5.0


# --------------------------------------------------------------------------------------------- outcomes


def outcomes(catalogue, evaluated: list, claims: list, register_rows: dict, scope: Scope) -> Section:
    """
    ``evaluated``: the pipeline's outcomes (candidate, units, qualification) in the scope; ``claims``: ledger rows
    ``{"username", "unit_code", "state"}`` (empty without a ledger).
    """
    states: dict[tuple, str] = {}
    for row in claims:
        key = (row["username"], row["unit_code"])
        if states.get(key) != "accepted":
            states[key] = row["state"]
    person_rows = []
    unit_counts = {unit.id: [0, 0, 0] for unit in catalogue.units}          # registered for, achieved, accepted
    qual_counts = {q.code: [0, 0] for q in catalogue.qualifications}         # registered for, achieved
    for outcome in evaluated:
        candidate, qualification = outcome.candidate, outcome.qualification
        q = qualification.qualification
        achieved = outcome.achieved_units()
        qual_counts[q.code][0] += 1
        qual_counts[q.code][1] += qualification.achieved
        for unit_id in q.unit_ids:
            unit_counts[unit_id][0] += 1
        claim_texts = []
        for unit_result in achieved:
            unit = unit_result.unit
            unit_counts[unit.id][1] += 1
            state = states.get((candidate.username, unit.code))
            unit_counts[unit.id][2] += state == "accepted"
            claim_texts.append(f"{unit.code} {state or _('not submitted')}")
        still = max(0, q.credits_required - qualification.credits)
        short = [check for check in qualification.checks if not check.ok and check.rule in ("mandatory", "group")]
        if qualification.achieved:
            status = _("achieved {date}").format(date=qualification.date.isoformat())
        else:
            needs = [_("unit {unit}").format(unit=check.subject) if check.rule == "mandatory"
                     else _("{n} more credits from {group}").format(n=check.needed - check.have, group=check.subject)
                     for check in short]
            status = _("not yet") + (": " + "; ".join(needs) if needs else "")
        person_rows.append([candidate.username, candidate.given_name, candidate.family_name,
                            candidate.candidate_number, q.code,
                            " ".join(result.unit.code for result in achieved), qualification.credits, still, status,
                            "; ".join(claim_texts)])
    summary_rows = []
    for q in catalogue.qualifications:
        n, done = qual_counts[q.code]
        summary_rows.append([_("Qualification"), q.code, q.title, scope.guard(n, n), scope.guard(n, done),
                             scope.guard(n, percent(done, n)), None])
    for unit in catalogue.units:
        n, done, accepted = unit_counts[unit.id]
        summary_rows.append([_("Unit"), unit.code, unit.title, scope.guard(n, n), scope.guard(n, done),
                             scope.guard(n, percent(done, n)), scope.guard(n, accepted)])
    summary = Table("outcomes-summary", _("Accreditation outcomes: units and qualifications"),
                    [_("Kind"), _("Code"), _("Title"), _("Candidates"), _("Achieved"), _("Percent"),
                     _("Claims accepted")], summary_rows)
    people = Table("outcomes", _("Accreditation outcomes of each candidate"),
                   [_("Username"), _("Given name"), _("Family name"), _("Candidate number"), _("Qualification"),
                    _("Units achieved"), _("Credits"), _("Credits still needed"),
                    _("Qualification status"), _("Claims (from the ledger)")], person_rows, personal=True,
                   empty=_("No registered candidate in the scope."))
    chart_rows = [(f"{unit.code} {unit.title}", row[4]) for unit, row in zip(catalogue.units, summary_rows[len(
        catalogue.qualifications):]) if not isinstance(row[4], Suppressed)]
    chart = Counts("outcomes-chart", _("Candidates who achieved each unit"),
                   _("Bar chart of the number of registered candidates who achieved each unit (units of too few "
                     "candidates are left out); the table below gives the same figures."), chart_rows,
                   table="outcomes-summary")
    items = [chart, summary]
    csv_tables = [summary]
    if scope.audience == STAFF:
        items.append(people)
        csv_tables.insert(0, people)
    intro = [_("For each registered candidate: the units achieved on the evidence up to the end of the period, the "
               "credits, whether the qualification they are registered for is achieved or what it still needs, and "
               "the state of each unit's claim in the submission ledger (accepted, pending, sent, rejected).")]
    return Section("outcomes", _("Accreditation outcomes by participant"), intro, items, csv_tables)


# --------------------------------------------------------------------------------------------- helpers


def _kind(kind: str) -> str:
    return {"individual": _("individual learning needs"), "partnership": _("partnership health"),
            "satisfaction": _("satisfaction")}.get(kind, kind)


def _text(value) -> str:
    if value is None:
        return "-"
    return str(value)
