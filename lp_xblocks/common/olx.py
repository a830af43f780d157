"""
OLX helpers shared by the blocks' pure OLX modules (lxml only: no XBlock, no Django).

Author text in OLX is plain text: markup inside an element is read as its text, runs of white space
fold to one space, and (where asked) blank lines separate paragraphs.
"""
import re

from lxml import etree

# Ids authors give to themes, statements, criteria, scenes...: letters, digits, '-', '_' and '.'.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")

_SPACES = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


def fold(text: str) -> str:
    """Runs of white space folded to one space, ends trimmed."""
    return _SPACES.sub(" ", text).strip()


def text_of(element, paragraphs: bool = False) -> str:
    """
    An element's text content as plain text. With ``paragraphs``, blank lines are kept as paragraph
    breaks (``"\\n\\n"``) and white space inside each paragraph is folded.
    """
    text = "".join(element.itertext())
    if not paragraphs:
        return fold(text)
    return "\n\n".join(part for part in (fold(chunk) for chunk in _PARAGRAPH_BREAK.split(text)) if part)


def children(element) -> list:
    """Element children only (no comments or processing instructions)."""
    return [child for child in element if isinstance(child.tag, str)]


def whole_number(raw):
    """An attribute as an int, or the raw value when it is not one (validation then names it)."""
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        return raw


def parse_string(xml_text: str, make_error):
    """
    Parse XML text safely (no external entities, no network). Malformed XML raises
    ``make_error(detail)``, the caller's own error type naming what was being read.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        return etree.fromstring(xml_text.encode("utf-8"), parser=parser)
    except etree.XMLSyntaxError as error:
        raise make_error(str(error)) from error


def to_string(root) -> str:
    """An element as an indented XML document (what a Studio editor shows)."""
    etree.indent(root, space="  ")
    return etree.tostring(root, encoding="unicode")
