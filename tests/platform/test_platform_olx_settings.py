"""
Course export/import, copy-paste and library sync go through the blocks' OLX: the platform's own settings
fields set on a block (visible_to_staff_only, group_access, due, ...) must survive the round trip.
"""
import datetime

import pytest
from lxml import etree

from tests.platform.conftest import FACILITATION, NEEDS_ASSESSMENT, REFLECTIVE_LOG
from tests.platform.harness import Platform

SETTINGS = {
    "visible_to_staff_only": "true",
    "group_access": '{"50": [1, 2]}',
    "due": "2026-12-01T17:00:00+00:00",
}
BLOCKS = [NEEDS_ASSESSMENT.format(retake="false"), FACILITATION, REFLECTIVE_LOG]


def with_settings(xml, **attributes):
    root = etree.fromstring(xml.strip())
    for name, value in attributes.items():
        root.set(name, value)
    return etree.tostring(root, encoding="unicode")


def load(course, usage):
    return course.lms_block(usage, course.user("ann"))


@pytest.mark.parametrize("xml", BLOCKS, ids=["needs_assessment", "facilitation", "reflective_log"])
def test_platform_settings_survive_export_and_import(xml):
    course = Platform()
    usage = course.import_olx(with_settings(xml, **SETTINGS))
    block = load(course, usage)
    assert block.visible_to_staff_only is True
    assert block.group_access == {"50": [1, 2]}
    assert block.due == datetime.datetime(2026, 12, 1, 17, 0, tzinfo=datetime.timezone.utc)

    exported = etree.fromstring(course.export_olx(usage).encode("utf-8"))
    assert exported.get("visible_to_staff_only") == "true"
    assert exported.get("group_access") == '{"50": [1, 2]}'
    assert exported.get("due").startswith("2026-12-01T17:00:00")

    again = Platform()
    copy = again.import_olx(etree.tostring(exported, encoding="unicode"))
    block, original = load(again, copy), load(course, usage)
    for name in ("visible_to_staff_only", "group_access", "due", "display_name"):
        assert getattr(block, name) == getattr(original, name), name
    # The block's own content came through too.
    assert etree.tostring(exported) == etree.tostring(etree.fromstring(again.export_olx(copy).encode("utf-8")))

    # Settings left at their defaults (or inherited from the subsection) are not written.
    plain = course.import_olx(xml)
    exported = etree.fromstring(course.export_olx(plain).encode("utf-8"))
    assert not {"visible_to_staff_only", "group_access", "due"} & set(exported.attrib)


def test_a_settings_value_that_is_explicitly_false_or_empty_is_kept():
    course = Platform()
    usage = course.import_olx(with_settings(FACILITATION, visible_to_staff_only="false", group_access="{}"))
    exported = etree.fromstring(course.export_olx(usage).encode("utf-8"))
    assert (exported.get("visible_to_staff_only"), exported.get("group_access")) == ("false", "{}")
