"""
Read and write a facilitation scenario as OLX (pure: lxml only).

The root element (``<lp_facilitation_exercise>`` in a course, ``<scenario>`` in the Studio editor) carries
``start``, ``pass_ratio`` and ``graded_attempt`` (first, best or last) and holds::

    <principle id="openness">Members feel able to talk honestly and freely</principle>
    <scene id="opening" title=".." justify="LPM3-2.1 LPM3-3.1">
      <narrative>..</narrative>
      <choice id="round" goto="round" points="2" principles="openness equal-voice">
        <text>..</text> <feedback>..</feedback>
      </choice>
    </scene>
    <ending id="agreed" title=".." pass="true">..</ending>
    <action_plan min_rows="1"/>

Texts are plain text; in a narrative or an ending a blank line starts a new paragraph.
:func:`parse_scenario` returns the plain data of :mod:`.scenario` and validates it; :func:`write_scenario`
writes the same attributes and children to a node, so parse(write(x)) == x.
"""
from __future__ import annotations

from lxml import etree

from ..common.errors import N_
from ..common.olx import children, parse_string, text_of, to_string, whole_number
from .scenario import DEFAULT_GRADED_ATTEMPT, ScenarioError, choice_id, ending_passes, graded_policy, validate

DEFAULT_PASS_RATIO = 0.6
DEFAULT_MIN_ROWS = 1


def _attr(element, name) -> str:
    return (element.get(name) or "").strip()


def _ratio(raw):
    """``pass_ratio`` as a number: the default when absent, the raw text when it is not a number (validate names it)."""
    if raw is None:
        return DEFAULT_PASS_RATIO
    try:
        value = float(raw.strip())
    except ValueError:
        return raw
    return raw if value != value else value


def format_ratio(value) -> str:
    """``1.0`` -> ``"1"``, ``0.6`` -> ``"0.6"``: how ``pass_ratio`` is written back."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _boolean(raw, where):
    value = (raw or "true").strip().lower()
    if value not in ("true", "false"):
        raise ScenarioError(N_("{where}: pass must be true or false, not '{value}'"), where=where, value=raw)
    return value == "true"


def parse_scenario(root) -> dict:
    """Read the scenario held by ``root``; raise :class:`ScenarioError` if it is invalid."""
    scenario = {
        "start": _attr(root, "start"),
        "pass_ratio": _ratio(root.get("pass_ratio")),
        "graded_attempt": _attr(root, "graded_attempt") or DEFAULT_GRADED_ATTEMPT,
        "min_rows": DEFAULT_MIN_ROWS,
        "principles": [],
        "scenes": [],
        "endings": [],
    }
    plans = 0
    for child in children(root):
        if child.tag == "principle":
            scenario["principles"].append({"id": _attr(child, "id"), "text": text_of(child)})
        elif child.tag == "scene":
            scenario["scenes"].append(_parse_scene(child))
        elif child.tag == "ending":
            scenario["endings"].append({
                "id": _attr(child, "id"), "title": _attr(child, "title"), "text": text_of(child, paragraphs=True),
                "pass": _boolean(child.get("pass"), f"ending '{_attr(child, 'id')}'"),
            })
        elif child.tag == "action_plan":
            plans += 1
            scenario["min_rows"] = whole_number(child.get("min_rows", DEFAULT_MIN_ROWS))
        else:
            raise ScenarioError(N_("unexpected element <{tag}>"), tag=child.tag)
    if plans > 1:
        raise ScenarioError(N_("action_plan: only one <action_plan> is allowed"))
    validate(scenario)
    return scenario


def _parse_scene(element) -> dict:
    scene = {"id": _attr(element, "id"), "title": _attr(element, "title"), "narrative": "", "choices": []}
    if _attr(element, "justify"):
        scene["justify"] = _attr(element, "justify").split()
    narratives = 0
    for child in children(element):
        if child.tag == "narrative":
            narratives += 1
            scene["narrative"] = text_of(child, paragraphs=True)
        elif child.tag == "choice":
            scene["choices"].append(_parse_choice(child, scene["id"], len(scene["choices"]) + 1))
        else:
            raise ScenarioError(N_("scene '{scene}': unexpected element <{tag}>"), scene=scene["id"], tag=child.tag)
    if narratives > 1:
        raise ScenarioError(N_("scene '{scene}': only one <narrative> is allowed"), scene=scene["id"])
    return scene


def _parse_choice(element, scene_id, position) -> dict:
    choice = {
        "id": _attr(element, "id") or str(position),
        "text": "",
        "feedback": "",
        "goto": _attr(element, "goto"),
        "points": whole_number(element.get("points", 0)),
        "principles": _attr(element, "principles").split(),
    }
    for child in children(element):
        if child.tag in ("text", "feedback"):
            if choice[child.tag]:
                raise ScenarioError(N_("scene '{scene}', choice {choice}: only one <{tag}> is allowed"),
                                    scene=scene_id, choice=position, tag=child.tag)
            choice[child.tag] = text_of(child)
        else:
            raise ScenarioError(N_("scene '{scene}', choice {choice}: unexpected element <{tag}>"),
                                scene=scene_id, choice=position, tag=child.tag)
    return choice


def parse_scenario_string(xml_text: str) -> dict:
    """Parse the XML the Studio editor holds; malformed XML is a :class:`ScenarioError` too."""
    root = parse_string(xml_text, lambda detail: ScenarioError(
        N_("the scenario is not well-formed XML: {detail}"), detail=detail))
    return parse_scenario(root)


def write_scenario(scenario: dict, node) -> None:
    """Set ``start`` and ``pass_ratio`` on ``node`` (an lxml element) and append the scenario's elements."""
    node.set("start", scenario["start"])
    node.set("pass_ratio", format_ratio(scenario["pass_ratio"]))
    node.set("graded_attempt", graded_policy(scenario))
    for principle in scenario.get("principles") or []:
        etree.SubElement(node, "principle", id=principle["id"]).text = principle["text"]
    for scene in scenario["scenes"]:
        scene_node = etree.SubElement(node, "scene", id=scene["id"], title=scene["title"])
        if scene.get("justify"):
            scene_node.set("justify", " ".join(scene["justify"]))
        etree.SubElement(scene_node, "narrative").text = scene["narrative"]
        for index, choice in enumerate(scene["choices"]):
            choice_node = etree.SubElement(scene_node, "choice", id=choice_id(choice, index), goto=choice["goto"],
                                           points=str(choice["points"]))
            if choice.get("principles"):
                choice_node.set("principles", " ".join(choice["principles"]))
            etree.SubElement(choice_node, "text").text = choice["text"]
            etree.SubElement(choice_node, "feedback").text = choice["feedback"]
    for ending in scenario["endings"]:
        etree.SubElement(node, "ending", id=ending["id"], title=ending["title"],
                         **{"pass": "true" if ending_passes(ending) else "false"}).text = ending["text"]
    etree.SubElement(node, "action_plan", min_rows=str(scenario["min_rows"]))


def scenario_to_string(scenario: dict, tag: str = "scenario") -> str:
    """The scenario as an indented XML document, as the Studio editor shows it."""
    root = etree.Element(tag)
    write_scenario(scenario, root)
    return to_string(root)
