"""
Read and write a needs-assessment instrument as OLX children (pure: lxml only).

The root element (``<lp_needs_assessment>`` in a course, any tag in the Studio editor) holds::

    <scale><point value="1">Not in place</point> ...</scale>
    <theme id=".." title=".."> <statement id="..">text</statement> ... <band upto="2.5" label="..">text</band> ... </theme>
    <stage id=".." label="..">descriptor</stage> ...            (optional: stages the participant chooses)
    <activity id="..">label</activity> ...                     (optional: what is placed on the stages)

:func:`parse_instrument` returns the plain-data instrument of :mod:`.instrument` and validates it;
:func:`write_instrument` appends the same children to a node, so parse(write(x)) == x.
"""
from __future__ import annotations

from lxml import etree

from ..common.olx import children as _children
from ..common.olx import parse_string, text_of as _text, to_string
from ..common.olx import whole_number as _whole
from .instrument import N_, InstrumentError, format_number, validate


def _decimal(raw):
    """A threshold as a finite float, or the raw value when it is not one (validate reports it)."""
    try:
        value = float(str(raw).strip())
    except (TypeError, ValueError):
        return raw
    if value != value or value in (float("inf"), float("-inf")):
        return raw
    return value


def parse_instrument(root) -> dict:
    """Read the instrument held by ``root``'s children; raise :class:`InstrumentError` if invalid."""
    instrument = {"scale": [], "themes": [], "stages": [], "activities": []}
    scales = 0
    for child in _children(root):
        if child.tag == "scale":
            scales += 1
            for point in _children(child):
                if point.tag != "point":
                    raise InstrumentError(N_("scale: unexpected element <{tag}>"), tag=point.tag)
                instrument["scale"].append({"value": _whole(point.get("value")), "label": _text(point)})
        elif child.tag == "theme":
            instrument["themes"].append(_parse_theme(child))
        elif child.tag == "stage":
            stage = {"id": (child.get("id") or "").strip(), "label": (child.get("label") or "").strip(),
                     "text": _text(child)}
            if child.get("upto") is not None:
                stage["upto"] = child.get("upto")
            instrument["stages"].append(stage)
        elif child.tag == "activity":
            instrument["activities"].append({"id": (child.get("id") or "").strip(), "label": _text(child)})
        else:
            raise InstrumentError(N_("unexpected element <{tag}>"), tag=child.tag)
    if scales > 1:
        raise InstrumentError(N_("scale: only one <scale> is allowed"))
    for stage in instrument["stages"]:
        if not stage["label"]:
            raise InstrumentError(N_("stage: a stage has no label"))
    validate(instrument)
    return instrument


def _parse_theme(element) -> dict:
    theme = {
        "id": (element.get("id") or "").strip(),
        "title": (element.get("title") or "").strip(),
        "statements": [],
        "bands": [],
    }
    for child in _children(element):
        if child.tag == "statement":
            theme["statements"].append({"id": (child.get("id") or "").strip(), "text": _text(child)})
        elif child.tag == "band":
            theme["bands"].append({
                "upto": _decimal(child.get("upto")),
                "label": (child.get("label") or "").strip(),
                "text": _text(child),
            })
        else:
            raise InstrumentError(
                N_("theme '{theme}': unexpected element <{tag}>"), theme=theme["id"], tag=child.tag
            )
    return theme


def parse_instrument_string(xml_text: str) -> dict:
    """Parse the XML the Studio editor holds; malformed XML is an :class:`InstrumentError` too."""
    root = parse_string(xml_text, lambda detail: InstrumentError(
        N_("the instrument is not well-formed XML: {detail}"), detail=detail))
    return parse_instrument(root)


def write_instrument(instrument: dict, node) -> None:
    """Append the instrument's elements to ``node`` (an lxml element)."""
    scale = etree.SubElement(node, "scale")
    for point in instrument["scale"]:
        etree.SubElement(scale, "point", value=str(point["value"])).text = point["label"]
    for theme in instrument["themes"]:
        theme_node = etree.SubElement(node, "theme", id=theme["id"], title=theme["title"])
        for statement in theme["statements"]:
            etree.SubElement(theme_node, "statement", id=statement["id"]).text = statement["text"]
        for band in theme["bands"]:
            band_node = etree.SubElement(theme_node, "band", upto=format_number(band["upto"]), label=band["label"])
            band_node.text = band.get("text", "")
    for stage in instrument.get("stages") or []:
        etree.SubElement(node, "stage", id=stage["id"], label=stage["label"]).text = stage.get("text", "")
    for activity in instrument.get("activities") or []:
        etree.SubElement(node, "activity", id=activity["id"]).text = activity["label"]


def instrument_to_string(instrument: dict, tag: str = "instrument") -> str:
    """The instrument as an indented XML document, as the Studio editor shows it."""
    root = etree.Element(tag)
    write_instrument(instrument, root)
    return to_string(root)
