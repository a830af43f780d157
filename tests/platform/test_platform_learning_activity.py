"""
The saved learning activity inside an Open edX-shaped platform: the learner's record by anonymous id and course,
completion through the platform, Studio preview and masquerade writing nothing, a content library refusing,
"delete learner state" taking the response out of the portfolio, OLX export with the platform's settings, and
account retirement erasing the response text.
"""
import pytest
from edx_django_utils.plugins import connect_plugin_receivers, plugin_signals

from lp_xblocks.data.api import citations, learner_record
from lp_xblocks.data.models import ActivityResponse
from tests.platform.harness import LIBRARY, Platform, call

pytestmark = pytest.mark.django_db

ACTIVITY = """
<lp_learning_activity display_name="Your partnership's remit" suggested_minutes="15" word_limit="200"
                      visible_to_staff_only="false" group_access='{"50": [1]}'>
  <prompt>Find your partnership's remit. When was it last reviewed?</prompt>
  <commentary>COMMENTARY: most remits predate the 2002 review.</commentary>
</lp_learning_activity>
"""
ANSWER = {"response": "Our remit was last reviewed in 2001 and names neither core role."}


@pytest.fixture
def course(platform):
    platform.ann, platform.bob = platform.user("ann"), platform.user("bob")
    platform.tess = platform.user("tess", staff=True)
    platform.usage = platform.import_olx(ACTIVITY)
    return platform


def test_a_learners_save_is_recorded_by_anonymous_id_and_course_and_completes_the_block(course):
    status, body = call(course.lms_block(course.usage, course.ann), "save_response", ANSWER)
    assert status == 200 and body["commentary"] == ["COMMENTARY: most remits predate the 2002 review."]
    row = ActivityResponse.objects.get()
    assert row.student_id == course.anonymous_id(course.ann) and row.username == "ann"
    assert row.course_key == str(course.context) and row.block_key == str(course.usage)
    assert course.completions == {(course.ann.id, str(course.usage)): 1.0}
    record = learner_record.course_record(str(course.context), student_id=course.anonymous_id(course.ann))
    assert [item["response"] for item in record["activities"]] == [ANSWER["response"]]
    assert citations.citable(str(course.context), course.anonymous_id(course.bob))["activity"] == []
    # Other learners and staff see neither the response nor the commentary in their own view.
    for user in (course.bob, course.tess):
        html = course.lms_block(course.usage, user).render("student_view").body_html()
        assert "COMMENTARY" not in html and "names neither core role" not in html


def test_studio_preview_keeps_the_authors_response_out_of_the_tables(course):
    author = course.user("author", staff=True)
    status, body = call(course.studio_preview_block(course.usage, author), "save_response", ANSWER)
    assert status == 200 and body["saved"]
    assert not ActivityResponse.objects.exists()


def test_viewing_as_a_learner_cannot_save_in_their_name(course):
    status, reply = call(course.lms_block(course.usage, course.tess, masquerade_as=course.ann), "save_response", ANSWER)
    assert status == 403 and reply["reason"] == "masquerade"
    assert not ActivityResponse.objects.exists() and course.completions == {}


def test_in_a_content_library_saving_is_refused_and_the_view_renders():
    library = Platform(context=LIBRARY, is_course=False)
    usage = library.import_olx(ACTIVITY)
    learner = library.user("ann")
    assert "Find your partnership" in library.library_block(usage, learner).render("student_view").body_html()
    status, reply = call(library.library_block(usage, learner), "save_response", ANSWER)
    assert status == 403 and reply["reason"] == "library"
    assert not ActivityResponse.objects.exists()


def test_delete_learner_state_archives_the_response_and_a_new_save_starts_afresh(course):
    assert call(course.lms_block(course.usage, course.ann), "save_response", ANSWER)[0] == 200
    course.delete_state(course.usage, course.ann, course.tess)
    assert learner_record.course_record(str(course.context), student_id=course.anonymous_id(course.ann))["activities"] == []
    status, reply = call(course.lms_block(course.usage, course.ann), "commentary_text", {})
    assert status == 403
    assert call(course.lms_block(course.usage, course.ann), "save_response", {"response": "Again."})[0] == 200
    row = ActivityResponse.objects.get()
    assert (row.response, row.archived) == ("Again.", False)


def test_reset_attempts_leaves_the_saved_response_and_commentary(course):
    assert call(course.lms_block(course.usage, course.ann), "save_response", ANSWER)[0] == 200
    course.reset_attempts(course.usage, course.ann)
    status, view = call(course.lms_block(course.usage, course.ann), "state", {})
    assert status == 200 and view["saved"] and view["commentary"]


def test_olx_export_keeps_the_platform_settings(course):
    exported = course.export_olx(course.usage)
    assert 'visible_to_staff_only="false"' in exported and "group_access" in exported
    assert "<prompt>Find your partnership's remit." in exported and "<commentary>COMMENTARY" in exported


def test_account_retirement_erases_the_response_text(course, monkeypatch):
    assert call(course.lms_block(course.usage, course.ann), "save_response", ANSWER)[0] == 200
    found = plugin_signals.registry.get_plugin_app_configs
    monkeypatch.setattr(plugin_signals.registry, "get_plugin_app_configs",
                        lambda project_type: [app for app in found(project_type) if app.name == "lp_xblocks.data"])
    connect_plugin_receivers("lms.djangoapp")
    course.signal.send(sender=None, user=course.ann)
    row = ActivityResponse.objects.get()
    assert row.response == "" and row.username == "" and row.student_id.startswith("retired-")
