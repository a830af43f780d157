"""The mentoring block's OLX: ``<lp_mentoring display_name="..."><briefing>text</briefing></lp_mentoring>`` (lxml only)."""
from lxml import etree

from ..common.errors import N_, LocalisedError
from ..common.olx import children, text_of

MAX_BRIEFING = 20_000


class MentoringOlxError(LocalisedError):
    """The block's OLX is not as documented (names the element at fault)."""


def parse_briefing(node) -> str:
    """The mentor briefing: the text of the ``<briefing>`` child (paragraphs kept), '' without one."""
    found = [child for child in children(node) if child.tag == "briefing"]
    if len(found) > 1:
        raise MentoringOlxError(N_("lp_mentoring: only one <briefing> element is allowed"))
    unknown = sorted({child.tag for child in children(node)} - {"briefing"})
    if unknown:
        raise MentoringOlxError(N_("lp_mentoring: <{tag}> is not an element of the mentoring block"), tag=unknown[0])
    briefing = text_of(found[0], paragraphs=True) if found else ""
    if len(briefing) > MAX_BRIEFING:
        raise MentoringOlxError(N_("lp_mentoring: the briefing is longer than {most} characters"), most=MAX_BRIEFING)
    return briefing


def write_briefing(node, briefing: str) -> None:
    if briefing:
        child = etree.SubElement(node, "briefing")
        child.text = briefing
