"""
OLX helpers shared by the blocks' pure OLX modules (lxml only: no XBlock, no Django; the settings helpers
take a block and use only the field API every XBlock has).

Author text in OLX is plain text: markup inside an element is read as its text, runs of white space
fold to one space, and (where asked) blank lines separate paragraphs.
"""
import importlib.resources
import json
import re

from lxml import etree

from .errors import N_

# Ids authors give to themes, statements, criteria, scenes...: letters, digits, '-', '_' and '.'.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")



class IdRegistry:
    """
    The ids claimed so far in one piece of content (an instrument, a scenario): each must be present,
    well formed (:data:`ID_PATTERN`) and unique. A broken rule raises ``error_type`` naming the element.
    """

    def __init__(self, error_type):
        self.error_type = error_type
        self.seen = set()

    def claim(self, kind: str, ident) -> None:
        if not ident:
            raise self.error_type(N_("a {kind} has no id"), kind=kind)
        if not ID_PATTERN.match(str(ident)):
            raise self.error_type(
                N_("{kind} '{id}': an id may hold only letters, digits, '-', '_' and '.'"), kind=kind, id=ident
            )
        if ident in self.seen:
            raise self.error_type(N_("{kind} '{id}': id is used more than once"), kind=kind, id=ident)
        self.seen.add(ident)


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


def packaged_scenarios(package: str, filenames) -> list:
    """A block's workbench scenarios: ``(display_name, OLX text)`` for each file in the package's ``scenarios/``."""
    folder = importlib.resources.files(package).joinpath("scenarios")
    scenarios = []
    for filename in filenames:
        xml = folder.joinpath(filename).read_text(encoding="utf-8")
        scenarios.append((etree.fromstring(xml.encode("utf-8")).get("display_name"), xml))
    return scenarios


# ------------------------------------------------------------------------------- platform settings fields


def _settings_fields(block, own):
    """The block's settings-scope fields it does not read and write itself (``own``)."""
    for name, field in block.fields.items():
        if name not in own and getattr(field.scope, "name", None) == "settings":
            yield name, field


def _deserialize(field, raw):
    """An attribute's text as the field's value: JSON where it parses, else the text itself (dates, names)."""
    try:
        value = json.loads(raw)
    except ValueError:
        return field.from_json(raw)
    if value is None:
        return None
    try:
        return field.from_json(value)
    except (TypeError, ValueError):
        return field.from_json(raw)  # a String field's "3.4" or "true" is text, not JSON


def read_settings(block, node, own):
    """
    Set every settings-scope field the node carries as an attribute and the block does not read itself:
    the platform's mixin fields (``visible_to_staff_only``, ``group_access``, ``due``, ...) that course
    export/import, copy-paste and library sync carry in the block's own element.
    """
    for name, field in _settings_fields(block, own):
        raw = node.get(name)
        if raw is not None:
            setattr(block, name, _deserialize(field, raw))


def write_settings(block, node, own):
    """
    Write every settings-scope field set on the block (not the ones it inherits or defaults) that the block
    does not write itself, as the platform does: text as it is, anything else as JSON.
    """
    for name, field in sorted(_settings_fields(block, own)):
        if not field.is_set_on(block):
            continue
        value = field.to_json(getattr(block, name))
        node.set(name, value if isinstance(value, str) else json.dumps(value, sort_keys=True))

