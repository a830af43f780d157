"""
The management information issue 15 adds (pure, like :mod:`.figures`): multi-rater partnerships,
"don't know" answers, and satisfaction comments per delivery element.

- **Partnerships** counted once: the health check's respondents grouped by the partnership code they rated
  as members of; a respondent with no code is a partnership of their own.
- **Don't know**: per diagnostic and survey, respondents who answered "Don't know / not applicable" at least
  once and the number of such answers (left out of every mean in the other sections).
- **Comments**: per survey and delivery element, the number of learners who commented. The staff edition adds
  the comments themselves (no names; escaped by the renderer, formula-safe in CSV); the funder edition has
  the counts and the delivery elements only.

Every cohort-level figure keeps the report's small-group rule (:meth:`.figures.Scope.guard`).
"""
from __future__ import annotations

from ..i18n import _
from .figures import DIAGNOSTIC_KINDS, STAFF, Section, Table, latest_attempts, percent


def _partnership_rows(instrument, chosen: dict, scope) -> list:
    groups = {}
    for username, record in chosen.items():
        key = record.partnership or ("", username)
        groups.setdefault(key, []).append(username)
    respondents = len(chosen)
    coded = [members for key, members in groups.items() if isinstance(key, str)]
    several = [members for members in coded if len(members) >= 2]
    guard = scope.guard
    raters_in_several = sum(len(members) for members in several)
    return [
        [instrument.title, guard(respondents, respondents), guard(respondents, len(groups)),
         guard(respondents, len(several)), guard(raters_in_several, raters_in_several),
         guard(respondents, respondents - sum(len(members) for members in coded))],
    ]


def _dont_know_row(instrument, chosen: dict, scope) -> list:
    respondents = len(chosen)
    with_any = sum(1 for record in chosen.values() if record.dont_know)
    answers = sum(record.dont_know for record in chosen.values())
    guard = scope.guard
    return [instrument.title, guard(respondents, respondents), guard(respondents, with_any),
            guard(respondents, percent(with_any, respondents) if respondents else None), guard(respondents, answers)]


def diagnostics(instruments, assessments, scope) -> Section:
    """Partnerships counted once, "don't know" answers, and satisfaction comments (see the module's notes)."""
    partnership_rows, dont_know_rows, comment_rows, comment_texts = [], [], [], []
    for instrument in instruments:
        chosen = latest_attempts(assessments, scope, instrument.block)
        dont_know_rows.append(_dont_know_row(instrument, chosen, scope))
        if instrument.kind == "partnership":
            partnership_rows += _partnership_rows(instrument, chosen, scope)
        if instrument.kind not in DIAGNOSTIC_KINDS:
            respondents = len(chosen)
            for theme in instrument.themes:
                texts = [(record.comments or {}).get(theme.id, "").strip() for _, record in sorted(chosen.items())]
                texts = [text for text in texts if text]
                comment_rows.append([instrument.title, theme.title, scope.guard(respondents, respondents),
                                     scope.guard(respondents, len(texts))])
                comment_texts += [[instrument.title, theme.title, text] for text in texts]
    partnerships = Table(
        "partnerships", _("Partnership health checks: partnerships counted once"),
        [_("Instrument"), _("Respondents"), _("Partnerships"), _("Rated by two or more people"),
         _("Respondents in those partnerships"), _("Respondents rating alone (no partnership code)")],
        partnership_rows, empty=_("The course has no partnership health check."))
    dont_know = Table(
        "dont-know", _("\"Don't know / not applicable\" answers (left out of every mean)"),
        [_("Instrument"), _("Respondents"), _("Respondents with any"), _("Percent"), _("Answers")], dont_know_rows,
        empty=_("The course has no needs-assessment instrument."))
    comments = Table(
        "satisfaction-comments", _("Satisfaction surveys: comments per delivery element"),
        [_("Survey"), _("Delivery element"), _("Respondents"), _("Comments")], comment_rows,
        empty=_("The course has no satisfaction survey."))
    items = [partnerships, dont_know, comments]
    tables = [partnerships, dont_know, comments]
    if scope.audience == STAFF:
        texts = Table("satisfaction-comment-texts", _("Satisfaction comments (staff only; no names)"),
                      [_("Survey"), _("Delivery element"), _("Comment")], comment_texts, personal=True,
                      empty=_("No participant left a comment in the period."))
        items.append(texts)
        tables.append(texts)
    intro = [_("A partnership rated by several people (its manager and the partners who joined with its code) "
               "counts once. \"Don't know / not applicable\" answers are counted here and left out of every mean. "
               "Comments on each delivery element are counted; the staff edition also lists them, without names.")]
    return Section("diagnostics", _("Partnerships, \"don't know\" answers and comments"), intro, items, tables)
