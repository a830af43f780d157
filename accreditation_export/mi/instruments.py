"""
The course's needs-assessment instruments, read from its OLX (``lp_programme.course_tree``): for each block its
kind (``individual``, ``partnership``, ``satisfaction``), themes with their titles and bands, and stages.

The instrument is parsed by the block's own pure parser (:mod:`lp_xblocks.needs_assessment.olx`: lxml only,
no XBlock code), so the report places scores in bands exactly as the block does.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lp_xblocks.common.errors import LocalisedError
from lp_xblocks.needs_assessment.instrument import first_reaching
from lp_xblocks.needs_assessment.olx import parse_instrument

from ..i18n import _

TAG = "lp_needs_assessment"
KINDS = ("individual", "partnership", "satisfaction")


class InstrumentsError(ValueError):
    """The course cannot be read or one of its instruments is invalid; the message names which."""


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    bands: tuple            # ({"upto", "label"}, ...) in order


@dataclass(frozen=True)
class Instrument:
    block: str              # the block's url_name
    title: str              # its display name
    kind: str
    module: str             # the chapter it sits in
    themes: tuple
    stages: tuple           # ({"id", "label", "text"}, ...), possibly empty: chosen by participants, not scored

    def theme(self, key: str) -> Theme | None:
        """The theme named by ``key``: its id, or its title (Open edX reports name themes by title)."""
        for theme in self.themes:
            if key in (theme.id, theme.title):
                return theme
        return None

    def score_of(self, scores: dict, theme: Theme):
        """The theme's score in a ``{theme id or title: score}`` mapping, or None."""
        value = scores.get(theme.id, scores.get(theme.title))
        return None if value is None else float(value)

    @staticmethod
    def band(theme: Theme, score: float) -> str | None:
        found = first_reaching(list(theme.bands), score)
        return found["label"] if found else None

    def whole_stage(self, stage_text: str) -> str | None:
        """
        The stage label a participant chose for the partnership as a whole, read from a stored stage summary
        (``"Co-ordination; Adult outreach: Collaboration"``: the whole partnership comes first, unprefixed).
        """
        first = (stage_text or "").split("; ")[0].strip()
        return first if first in {stage["label"] for stage in self.stages} else None


def instruments_of(course) -> list[Instrument]:
    """Every needs-assessment block of a course tree (``lp_programme.course_tree.Course``), in course order."""
    found = []
    for chapter in course.chapters:
        for sequential in chapter.sequentials:
            for unit in sequential.units:
                for component in unit.components:
                    if component.tag == TAG:
                        found.append(_instrument(component, chapter.display_name))
    return found


def _instrument(component, module: str) -> Instrument:
    element = component.element
    try:
        parsed = parse_instrument(element)
    except LocalisedError as error:
        raise InstrumentsError(_("{file}:{line}: needs assessment {block!r}: {why}").format(
            file=component.file, line=component.line, block=component.url_name, why=error)) from error
    kind = element.get("kind", "partnership")
    if kind not in KINDS:
        raise InstrumentsError(_("{file}:{line}: needs assessment {block!r}: unknown kind {kind!r}").format(
            file=component.file, line=component.line, block=component.url_name, kind=kind))
    themes = tuple(Theme(theme["id"], theme["title"], tuple(theme["bands"])) for theme in parsed["themes"])
    return Instrument(component.url_name, component.display_name or component.url_name, kind, module, themes,
                      tuple(parsed.get("stages") or ()))


def load_instruments(olx_root: str | Path | None = None) -> list[Instrument]:
    """The instruments of the course at ``olx_root`` (default: the course this package ships)."""
    try:
        from lp_programme import course_tree as tree  # pylint: disable=import-outside-toplevel
    except ImportError as error:
        raise InstrumentsError(_("the course content is not installed: {why}").format(why=error)) from error
    try:
        course = tree.load_course(Path(olx_root)) if olx_root is not None else tree.load_course()
    except (tree.OlxError, OSError) as error:
        raise InstrumentsError(_("the course cannot be read: {why}").format(why=error)) from error
    return instruments_of(course)
