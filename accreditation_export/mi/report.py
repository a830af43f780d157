"""Assemble the report's five sections from what the command read (pure) and write it under the title."""
from __future__ import annotations

import datetime as dt

from ..i18n import _
from ..pipeline import evaluate
from . import (
    diagnostics, figures, judged, mentoring as mentoring_figures, modules as module_figures, profile, turnaround,
    workshops,
)
from .render import document


def build_sections(catalogue, register, register_rows: dict, records: list, assessments: list, instruments: list,
                   claims: list, scope: figures.Scope, source_name: str = "the source", modules=None,
                   decisions=(), group_column: str = "cohort", mentoring=(),
                   attendance=()) -> list:
    """
    The sections, in the tender's order. ``register_rows``: ``{username: raw row}`` of the whole register;
    ``records``: the source's evidence stream (sorted by username); ``claims``: the ledger's rows;
    ``modules``: the course's modules and their activities (:func:`.modules.load_modules`; None: read the
    course this package ships); ``decisions``: tutors' decisions with their submission times, where the
    source gives them (tutor turnaround, judged progress); ``group_column``: the register column naming each
    participant's group (judged progress); ``mentoring``: the mentoring scheme's pairings, where the source
    gives them (:class:`.mentoring.MentoringRecord`); ``attendance``: workshop places and attendance, where the
    source gives them (:class:`..sources.base.Attendance`).
    """
    modules = module_figures.load_modules() if modules is None else modules
    rejections = list(register.rejections)
    evaluated = [outcome for outcome in evaluate(catalogue, register.candidates,
                                                 figures.records_until(records, scope), scope.tz, rejections,
                                                 source_name)
                 if scope.includes(outcome.candidate.username)]
    rejections = [item for item in rejections if scope.includes(item.username)]
    in_scope = {name: row for name, row in register_rows.items() if scope.includes(name)}
    decisions = list(decisions)
    titles = {block: f"{title} ({block})" for title, blocks in modules for block in blocks}
    return [
        figures.registration(figures.participants(records, assessments, scope), in_scope, register, rejections,
                             evaluated, scope, claims),
        figures.needs_assessment(instruments, assessments, scope),
        figures.satisfaction(instruments, assessments, scope),
        figures.progress(instruments, assessments, in_scope, scope),
        figures.outcomes(catalogue, evaluated, claims, in_scope, scope),
        diagnostics.diagnostics(instruments, assessments, scope),
        profile.profile(in_scope, figures.participants(records, assessments, scope), scope),
        module_figures.completion(modules, records, scope),
        turnaround.turnaround(decisions, scope, {block: f"{title} ({block})" for title, blocks in modules
                                                 for block, kind in blocks.items() if kind == "reflective_log"}),
        judged.judged_progress(catalogue, records, decisions, in_scope, scope, titles, group_column),
        mentoring_figures.uptake(mentoring, scope),
        workshops.attendance(list(attendance), scope, instruments, assessments),
    ]


def render_report(sections, scope: figures.Scope, source_text: str, generated: dt.date) -> str:
    """The HTML document for ``sections`` with the scope written under the title."""
    if scope.start or scope.end:
        period = _("{start} to {end}").format(start=scope.start or _("the start"), end=scope.end or _("today"))
    else:
        period = _("all activity to date")
    meta = [(_("Period"), period),
            (_("Cohort"), f"{scope.cohort[0]} = {scope.cohort[1]}" if scope.cohort else _("all participants")),
            (_("Source"), source_text),
            (_("Smallest group shown"), str(scope.minimum)),
            (_("Edition"), _("staff (names participants)") if scope.audience == figures.STAFF
             else _("funder (cohort-level figures only)")),
            (_("Generated"), generated.isoformat())]
    notices = [_("Cohort-level figures over fewer than {n} people are suppressed to protect individuals.").format(
        n=scope.minimum)]
    if scope.audience == figures.STAFF:
        notices.append(_("This edition is for the centre's staff and tutors: tables marked \u201cstaff only\u201d "
                         "name participants. Give the funder the edition made with --audience funder."))
    return document(sections, meta, notices, _("Management information report"))
