"""
Content libraries (v2): the blocks are for courses. In a library they render (authors see what they
author), refuse learners' writes with a clear message, never read the deprecated ``course_key`` of a
library key, and Studio's permission is asked through ``can_edit_content`` where the service has it.
"""
import warnings

import pytest

from lp_xblocks.common import permissions
from lp_xblocks.data.models import FacilitationAttempt, NeedsAssessmentAttempt, ReflectiveEntry
from tests.platform.conftest import ANSWERS, ENTRY, FACILITATION, NEEDS_ASSESSMENT, REFLECTIVE_LOG
from tests.platform.harness import COURSE, LIBRARY, Platform, StudioPermissions, call

pytestmark = pytest.mark.django_db

CASES = [
    (NEEDS_ASSESSMENT.format(retake="true"), "submit", {"answers": ANSWERS}, "Remit agreed."),
    (FACILITATION, "choose", {"scene": "opening", "choice": 0}, "The agenda item"),
    (REFLECTIVE_LOG, "submit_entry", ENTRY, "Describe a meeting you chaired."),
]


@pytest.fixture
def library():
    return Platform(context=LIBRARY, is_course=False)


@pytest.mark.parametrize("xml, handler, body, text", CASES, ids=["needs_assessment", "facilitation", "reflective_log"])
def test_in_a_library_learner_writes_are_refused_cleanly_and_the_view_renders(library, xml, handler, body, text):
    usage = library.import_olx(xml)
    learner = library.user("ann")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # usage_id.course_key is deprecated on library keys
        assert text in library.library_block(usage, learner).render("student_view").body_html()
        status, reply = call(library.library_block(usage, learner), handler, body)
    assert status == 403 and reply["reason"] == "library"
    assert "course" in reply["error"]
    assert not (NeedsAssessmentAttempt.objects.exists() or FacilitationAttempt.objects.exists()
                or ReflectiveEntry.objects.exists())


def test_library_blocks_report_their_library_as_context_not_a_course(library):
    block = library.library_block(library.import_olx(FACILITATION), library.user("ann"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        assert permissions.course_key(block) == LIBRARY


def test_studio_edit_permission_uses_can_edit_content_where_offered():
    course = Platform()
    usage = course.import_olx(FACILITATION)
    author = course.user("author")
    block = course.studio_preview_block(usage, author, can_edit=True)
    status, body = call(block, "studio_submit", {"display_name": "Renamed"})
    # The answer may carry the assessment-design warnings of the fixture's scenario besides the success.
    assert (status, body["result"]) == (200, "success")
    service = block.runtime.service(block, "studio_user_permissions")
    assert service.asked == [("can_edit_content", COURSE)]

    refused = course.studio_preview_block(usage, author, can_edit=False)
    assert call(refused, "studio_submit", {"display_name": "Hijack"})[0] == 403

    # A Studio whose service has only can_write is asked that.
    block = course.studio_preview_block(usage, author)
    service = StudioPermissions(True, with_can_edit_content=False)
    block.runtime._services["studio_user_permissions"] = service  # pylint: disable=protected-access
    assert call(block, "studio_submit", {"display_name": "Renamed"})[0] == 200
    assert service.asked == [("can_write", COURSE)]

    # ... and so is one whose can_edit_content takes other arguments.
    block = course.studio_preview_block(usage, author)
    service = StudioPermissions(False, with_can_edit_content=False)
    service.can_edit_content = lambda user, key: True  # not the signature the blocks know
    block.runtime._services["studio_user_permissions"] = service  # pylint: disable=protected-access
    assert call(block, "studio_submit", {"display_name": "Hijack"})[0] == 403
    assert service.asked == [("can_write", COURSE)]

