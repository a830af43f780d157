"""
Read and write a reflective log's configuration as OLX (pure: lxml only).

    <lp_reflective_log display_name="..." min_words="150" max_words="1500">
      <prompt>Describe a partnership meeting ...</prompt>
      <criterion id="LPM1-1.1">Explain the purpose of protocols for partnership meetings</criterion>
      <entry_type id="workplace">Workplace activity</entry_type>
    </lp_reflective_log>

:func:`parse_config` returns the plain data of :mod:`.config` and validates it; :func:`write_config`
appends the same children (and the word limits) to a node, so parse(write(x)) == x.
"""
from __future__ import annotations

from lxml import etree

from ..common.olx import children, parse_string, text_of, to_string, whole_number
from .config import N_, ConfigError, validate

DEFAULT_LIMITS = {"min_words": 150, "max_words": 1500}


def parse_config(root) -> dict:
    """Read the configuration held by ``root`` (its word-limit attributes and its children)."""
    config = {
        "prompt": "",
        "criteria": [],
        "entry_types": [],
        "min_words": whole_number(root.get("min_words", DEFAULT_LIMITS["min_words"])),
        "max_words": whole_number(root.get("max_words", DEFAULT_LIMITS["max_words"])),
    }
    prompts = 0
    for child in children(root):
        if child.tag == "prompt":
            prompts += 1
            config["prompt"] = text_of(child, paragraphs=True)
        elif child.tag == "criterion":
            config["criteria"].append({"id": (child.get("id") or "").strip(), "text": text_of(child)})
        elif child.tag == "entry_type":
            config["entry_types"].append({"id": (child.get("id") or "").strip(), "label": text_of(child)})
        else:
            raise ConfigError(N_("unexpected element <{tag}>"), tag=child.tag)
    if prompts > 1:
        raise ConfigError(N_("prompt: only one <prompt> is allowed"))
    validate(config)
    return config


def parse_config_string(xml_text: str) -> dict:
    """Parse the XML the Studio editor holds; malformed XML is a :class:`ConfigError` too."""
    root = parse_string(xml_text, lambda detail: ConfigError(
        N_("the reflective log is not well-formed XML: {detail}"), detail=detail))
    return parse_config(root)


def write_config(config: dict, node) -> None:
    """Set the word limits on ``node`` and append the prompt, criteria and entry types."""
    node.set("min_words", str(config["min_words"]))
    node.set("max_words", str(config["max_words"]))
    etree.SubElement(node, "prompt").text = config["prompt"]
    for criterion in config["criteria"]:
        etree.SubElement(node, "criterion", id=criterion["id"]).text = criterion["text"]
    for entry_type in config["entry_types"]:
        etree.SubElement(node, "entry_type", id=entry_type["id"]).text = entry_type["label"]


def config_to_string(config: dict, tag: str = "lp_reflective_log") -> str:
    """The configuration as an indented XML document, as the Studio editor shows it."""
    root = etree.Element(tag)
    write_config(config, root)
    return to_string(root)
