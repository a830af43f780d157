"""
Parse the course's custom blocks with the package's own XBlock classes and run their validation.

A small in-memory runtime from the XBlock library (no SDK, no Django database): each block's ``parse_xml``
reads its element exactly as Studio's import does, then ``validate()`` reports what Studio would show.
"""
from __future__ import annotations

from lxml import etree
from xblock.core import XBlock
from xblock.plugin import PluginMissingError
from xblock.runtime import DictKeyValueStore, KvsFieldData, MemoryIdManager, NullI18nService, Runtime
from xblock.validation import ValidationMessage


class BlockNotInstalled(LookupError):
    """No installed XBlock class has this tag."""


class ParseRuntime(Runtime):
    """Just enough runtime to parse and validate blocks: no handlers, no resources, no events."""

    def __init__(self):
        ids = MemoryIdManager()
        super().__init__(ids, ids, services={
            "field-data": KvsFieldData(DictKeyValueStore()),
            "i18n": NullI18nService(),
        })

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):  # pylint: disable=too-many-positional-arguments
        raise NotImplementedError("blocks are only parsed here")

    def resource_url(self, resource):
        raise NotImplementedError("blocks are only parsed here")

    def local_resource_url(self, block, uri):
        raise NotImplementedError("blocks are only parsed here")

    def publish(self, block, event_type, event_data):
        """Parsing publishes nothing."""


def block_class(tag: str):
    """The installed XBlock class for ``tag``; :class:`BlockNotInstalled` when there is none."""
    try:
        return XBlock.load_class(tag)
    except PluginMissingError as error:
        raise BlockNotInstalled(tag) from error


def parse_and_validate(element) -> tuple[object, list[str]]:
    """
    Parse one block element; returns ``(block, error messages from its validate())``.

    Raises :class:`BlockNotInstalled`, or whatever the block's ``parse_xml`` raises for invalid OLX.
    """
    block_class(element.tag)
    runtime = ParseRuntime()
    usage_id = runtime.parse_xml_string(etree.tostring(element, encoding="unicode"))
    block = runtime.get_block(usage_id)
    problems = [
        str(message.text) for message in block.validate().messages
        if message.type == ValidationMessage.ERROR
    ]
    return block, problems
