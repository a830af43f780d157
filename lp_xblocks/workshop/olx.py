"""
The workshop's OLX (lxml only):

    <lp_workshop display_name="Module 1 workshop">
      <plan>
        <objective>Agree what a good partnership meeting looks like</objective>
        <activity minutes="20" title="Welcome">Introductions and hopes for the day</activity>
        <material>Flipchart, the protocols handout</material>
      </plan>
      <session id="m1-london" title="..." module="Induction" start="2027-01-20T10:00" end="2027-01-20T13:00"
               timezone="Europe/London" capacity="12" place="..." online="https://...">
        <prework href="/jump_to_id/budget-funding">Read the funding page</prework>
        <posttask href="/jump_to_id/induction-log">Write a log entry</posttask>
        <notes>Staff only: ...</notes>
      </session>
    </lp_workshop>
"""
from lxml import etree

from ..common.errors import N_
from ..common.olx import children, parse_string, text_of, to_string
from . import sessions as core


def _links(node, tag):
    return [{"label": text_of(link), "href": (link.get("href") or "").strip()} for link in node.findall(tag)]


def _minutes(raw):
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        return raw


def parse_plan(node):
    """The ``<plan>`` element as a cleaned plan (an empty plan when there is none)."""
    if node is None:
        return core.clean_plan({})
    return core.clean_plan({
        "objectives": [text_of(item) for item in node.findall("objective")],
        "activities": [{"minutes": _minutes(item.get("minutes")), "title": item.get("title") or "",
                        "text": text_of(item)} for item in node.findall("activity")],
        "materials": [text_of(item) for item in node.findall("material")],
    })


def parse_session(node):
    """One ``<session>`` element, checked (:class:`sessions.WorkshopError` names what is wrong)."""
    notes = node.find("notes")
    return core.clean_session({
        "id": node.get("id"), "title": node.get("title") or "", "module": node.get("module") or "",
        "start": node.get("start"), "end": node.get("end"), "timezone": node.get("timezone"),
        "place": node.get("place") or "", "online": (node.get("online") or "").strip(),
        "capacity": node.get("capacity"),
        "prework": _links(node, "prework"), "posttask": _links(node, "posttask"),
        "notes": text_of(notes, paragraphs=True) if notes is not None else "",
    })


def parse_workshop(node):
    """``(plan, sessions)`` from a block's element."""
    unknown = sorted({child.tag for child in children(node)} - {"plan", "session"})
    if unknown:
        raise core.WorkshopError(N_("<{tag}> is not part of a workshop: use <plan> and <session>."), tag=unknown[0])
    sessions = core.clean_sessions([parse_session(child) for child in node.findall("session")])
    return parse_plan(node.find("plan")), sessions


def parse_workshop_string(xml_text):
    """``(plan, sessions)`` from a ``<workshop>`` document (the Studio XML field)."""
    root = parse_string(xml_text, lambda detail: core.WorkshopError(N_("the XML is not well formed: {detail}"),
                                                                     detail=detail))
    return parse_workshop(root)


def write_workshop(plan, sessions, node):
    """Add ``<plan>`` and the ``<session>`` elements to ``node``."""
    plan_node = etree.SubElement(node, "plan")
    for text in plan.get("objectives", []):
        etree.SubElement(plan_node, "objective").text = text
    for item in plan.get("activities", []):
        child = etree.SubElement(plan_node, "activity", minutes=str(item["minutes"]), title=item["title"])
        child.text = item["text"]
    for text in plan.get("materials", []):
        etree.SubElement(plan_node, "material").text = text
    for session in sessions:
        attrs = {key: str(session[key]) for key in ("id", "title", "module", "start", "end", "timezone",
                                                    "capacity", "place", "online") if session.get(key) != ""}
        child = etree.SubElement(node, "session", **attrs)
        for tag in ("prework", "posttask"):
            for link in session[tag]:
                etree.SubElement(child, tag, href=link["href"]).text = link["label"]
        if session["notes"]:
            etree.SubElement(child, "notes").text = session["notes"]


def workshop_to_string(plan, sessions):
    """The Studio XML field's text."""
    root = etree.Element("workshop")
    write_workshop(plan, sessions, root)
    return to_string(root)
