"""
Completion and retention per module (pure, like :mod:`.figures`), from the course's own activities.

A module's activities are the plugin's blocks in its chapter (reflective logs, facilitation exercises,
needs assessments including its satisfaction survey), read from the course OLX by :func:`load_modules`.
Evidence counts as it stood at the end of the report's range (as accreditation outcomes do).

- **Started**: participants with any activity in the module (an entry saved, an exercise played, a
  questionnaire answered).
- **Completed**: participants who did every activity of the module: each reflective log has an entry
  submitted (whatever the tutor decided), each exercise reached an ending that passes, each questionnaire was
  answered.
- **Retention**: those who started the module, as a share of the participants who started the first module.

Every figure over fewer than the minimum is suppressed; the table is the same in both editions.
"""
from __future__ import annotations

from pathlib import Path

from ..i18n import _
from ..sources.base import Exercise, ReflectiveEntry
from .figures import Section, Table, percent, records_until

KINDS = {"lp_reflective_log": "reflective_log", "lp_facilitation_exercise": "facilitation_exercise",
         "lp_needs_assessment": "needs_assessment"}


def modules_of(course) -> list:
    """``[(chapter title, {url_name: kind})]`` for every chapter with the plugin's blocks, in course order."""
    found = []
    for chapter in course.chapters:
        blocks = {component.url_name: KINDS[component.tag]
                  for sequential in chapter.sequentials for unit in sequential.units
                  for component in unit.components if component.tag in KINDS}
        if blocks:
            found.append((chapter.display_name, blocks))
    return found


def load_modules(olx_root: str | Path | None = None) -> list:
    """The modules of the course at ``olx_root`` (default: the course this package ships); [] if unreadable."""
    try:
        from lp_programme import course_tree as tree  # pylint: disable=import-outside-toplevel
        course = tree.load_course(Path(olx_root)) if olx_root is not None else tree.load_course()
    except (ImportError, OSError, ValueError):
        return []
    return modules_of(course)


def _done(record, kind) -> bool:
    if kind == "reflective_log":
        return isinstance(record, ReflectiveEntry) and record.version >= 1
    if kind == "facilitation_exercise":
        return isinstance(record, Exercise) and record.kind == "facilitation_exercise" and record.passed
    return isinstance(record, Exercise) and record.kind == "needs_assessment"


def completion(modules: list, records, scope) -> Section:
    """One row per module: started, completed, percent completed, retention (see the module's notes)."""
    started_at, done_at = {}, {}        # username -> blocks with any activity / blocks done
    for record in records_until(records, scope):
        block = getattr(record, "block", None)
        if block is None or not scope.includes(record.username):
            continue
        started_at.setdefault(record.username, set()).add(block)
        for _title, blocks in modules:
            if block in blocks and _done(record, blocks[block]):
                done_at.setdefault(record.username, set()).add(block)
    rows, first_started = [], None
    for title, blocks in modules:
        started = {name for name, seen in started_at.items() if seen & set(blocks)}
        completed = {name for name in started if set(blocks) <= done_at.get(name, set())}
        if first_started is None:
            first_started = len(started)
        guard = scope.guard
        rows.append([title, len(blocks), guard(len(started), len(started)), guard(len(started), len(completed)),
                     guard(len(started), percent(len(completed), len(started)) if started else None),
                     guard(first_started, percent(len(started), first_started) if first_started else None)])
    table = Table("module-completion", _("Completion and retention per module"),
                  [_("Module"), _("Activities"), _("Started"), _("Completed"), _("Percent completed"),
                   _("Retention (percent of those who started the first module)")], rows,
                  empty=_("The course has no module with the programme's activities."))
    intro = [_("Started: any activity in the module. Completed: every reflective log submitted, every facilitation "
               "exercise passed and every questionnaire answered, as the evidence stood at the end of the period.")]
    return Section("modules", _("Completion and retention per module"), intro, [table], [table])
