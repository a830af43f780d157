"""
The workshop block inside an Open edX-shaped platform (tests/platform/harness.py): learners are recorded by
their per-course anonymous id, course staff are tutors, Studio preview and masquerade never write places or
attendance, a library refuses sign-ups, "delete learner state" gives up upcoming places, and the platform's
settings fields survive course export and import.
"""
import pytest
from lxml import etree

from lp_xblocks.data.api import citations
from lp_xblocks.data.models import WorkshopBooking
from tests.platform.harness import LIBRARY, Platform, call
from tests.runtime.test_workshop_handlers import XML

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(platform):
    platform.ann = platform.user("ann")
    platform.bob = platform.user("bob")
    platform.tess = platform.user("tess", staff=True)
    platform.usage = platform.import_olx(XML)
    return platform


def test_places_are_kept_by_anonymous_id_and_course_and_tutors_take_the_register(course):
    assert call(course.lms_block(course.usage, course.ann), "sign_up", {"session": "small"})[1]["status"] == "booked"
    assert call(course.lms_block(course.usage, course.bob), "sign_up", {"session": "small"})[1]["status"] == "waiting"
    row = WorkshopBooking.objects.get(status="booked")
    assert row.student_id == course.anonymous_id(course.ann) and row.username == "ann"
    assert row.course_key == str(course.context)
    assert call(course.lms_block(course.usage, course.ann), "register", {"session": "small"})[0] == 403
    status, reply = call(course.lms_block(course.usage, course.tess), "mark_attendance",
                         {"session": "small", "marks": {row.student_id: "attended"}})
    assert status == 200 and reply["summary"]["attended"] == 1
    items = citations.citable(str(course.context), course.anonymous_id(course.ann))["workshop"]
    assert [item["title"] for item in items] == ["Small room, Harwich; 1 place"]
    assert citations.citable(str(course.context), course.anonymous_id(course.bob))["workshop"] == []


def test_masquerading_staff_cannot_sign_up_cancel_or_mark_in_a_learners_name(course):
    call(course.lms_block(course.usage, course.ann), "sign_up", {"session": "small"})
    as_ann = course.lms_block(course.usage, course.tess, masquerade_as=course.ann)
    for handler in ("sign_up", "cancel"):
        status, reply = call(course.lms_block(course.usage, course.tess, masquerade_as=course.ann), handler,
                             {"session": "small"})
        assert status == 403 and reply["reason"] == "masquerade"
    status, reply = call(as_ann, "state", {})
    assert status == 200
    assert WorkshopBooking.objects.get().status == "booked"


def test_studio_preview_writes_no_places(course):
    author = course.user("author", staff=True)
    for handler in ("sign_up", "cancel"):
        status, reply = call(course.studio_preview_block(course.usage, author), handler, {"session": "small"})
        assert status == 409 and reply["reason"] == "preview"
    assert not WorkshopBooking.objects.exists()
    assert "Small room" in course.studio_preview_block(course.usage, author).render("student_view").body_html()


def test_a_library_refuses_sign_ups_with_a_clear_message():
    library = Platform(context=LIBRARY, is_course=False)
    usage = library.import_olx(XML)
    status, reply = call(library.library_block(usage, library.user("ann")), "sign_up", {"session": "small"})
    assert status == 403 and reply["reason"] == "library" and "course" in reply["error"]
    assert not WorkshopBooking.objects.exists()


def test_delete_learner_state_gives_up_the_place_and_promotes_the_next(course):
    call(course.lms_block(course.usage, course.ann), "sign_up", {"session": "small"})
    call(course.lms_block(course.usage, course.bob), "sign_up", {"session": "small"})
    course.delete_state(course.usage, course.ann, course.tess)
    statuses = dict(WorkshopBooking.objects.values_list("username", "status"))
    assert statuses == {"ann": "cancelled", "bob": "booked"}


def test_settings_and_content_survive_export_and_import():
    course = Platform()
    root = etree.fromstring(XML.strip())
    root.set("visible_to_staff_only", "true")
    usage = course.import_olx(etree.tostring(root, encoding="unicode"))
    exported = etree.fromstring(course.export_olx(usage).encode("utf-8"))
    assert exported.get("visible_to_staff_only") == "true"
    again = Platform()
    copy = again.import_olx(etree.tostring(exported, encoding="unicode"))
    block = again.lms_block(copy, again.user("ann"))
    assert block.visible_to_staff_only is True
    assert [s["id"] for s in block.sessions] == ["small", "online", "past"]
    assert block.sessions[0]["notes"].startswith("SECRET") and block.plan["activities"][1]["minutes"] == 40
    assert etree.tostring(exported) == etree.tostring(etree.fromstring(again.export_olx(copy).encode("utf-8")))
