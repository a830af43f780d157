"""The saved-learning-activity block's views and handlers in the SDK's WorkbenchRuntime (Django test database)."""
import pytest
from lxml import etree

from lp_xblocks.activity.block import LearningActivityBlock
from lp_xblocks.data.api import activity as api
from lp_xblocks.data.api import citations, learner_record
from lp_xblocks.data.models import ActivityResponse
from tests.conftest import call_handler

SECRET = "COMMENTARY-SECRET: partners who have seen the evidence agree sooner."
XML = f"""
<lp_learning_activity display_name="Commitments that hold us together" suggested_minutes="20" word_limit="12">
  <prompt>List the commitments that hold your partnership together.

  Which are strong and which are weak?</prompt>
  <commentary>{SECRET}

  A second paragraph of commentary.</commentary>
</lp_learning_activity>
"""
ANSWER = "Our protocol is strong; the shared budget is weak."


@pytest.fixture
def block(workbench_block):
    return workbench_block(XML)


def html_of(learner):
    return learner.render("student_view", {}).body_html()


# ------------------------------------------------------------------------------ the commentary is earned


def test_commentary_is_not_in_the_page_the_data_or_the_handlers_before_saving(block):
    learner = block("ann")
    assert "COMMENTARY-SECRET" not in html_of(learner)
    assert learner.student_view_data()["commentary"] is None
    status, view, _ = call_handler(block("ann"), "state", {})
    assert status == 200 and view["commentary"] is None and view["saved"] is False
    assert "COMMENTARY-SECRET" not in str(view)
    status, reply, _ = call_handler(block("ann"), "commentary_text", {})
    assert status == 403 and reply["reason"] == "not_saved"
    assert "COMMENTARY-SECRET" not in str(reply)


def test_saving_reveals_the_commentary_stores_the_response_and_reports_completion(block):
    status, view, _ = call_handler(block("ann"), "save_response", {"response": "  " + ANSWER + "\r\n"})
    assert status == 200, view
    assert view["saved"] and view["commentary"][0] == SECRET and len(view["commentary"]) == 2
    assert view["response"] == ANSWER and view["words"] == 9
    row = ActivityResponse.objects.get(student_id="ann")
    assert (row.response, row.word_count, row.title) == (ANSWER, 9, "Commitments that hold us together")
    assert row.prompt.startswith("List the commitments")
    assert [data["completion"] for data in block.events.of("completion")] == [1.0]
    assert SECRET in html_of(block("ann"))
    assert block("ann").student_view_data()["commentary"][0] == SECRET
    status, reply, _ = call_handler(block("ann"), "commentary_text", {})
    assert status == 200 and reply["commentary"][0] == SECRET
    # A second save updates the one row and reports completion no more.
    status, view, _ = call_handler(block("ann"), "save_response", {"response": "Changed my mind."})
    assert status == 200 and ActivityResponse.objects.get(student_id="ann").response == "Changed my mind."
    assert ActivityResponse.objects.count() == 1 and len(block.events.of("completion")) == 1


@pytest.mark.parametrize("body, message", [
    ({}, "must be text"),
    ({"response": 42}, "must be text"),
    ({"response": " \u200b\n "}, "Write a response"),
    ({"response": "word " * 13}, "has 13 words; the limit is 12"),
    ({"response": "x" * 2000}, "limit is 12"),
])
def test_a_bad_response_is_refused_with_a_clear_400_and_nothing_is_revealed(block, body, message):
    status, reply, _ = call_handler(block("ann"), "save_response", body)
    assert status == 400 and message in reply["error"] and reply["field"] == "response"
    assert "COMMENTARY-SECRET" not in str(reply)
    assert not ActivityResponse.objects.exists()
    assert call_handler(block("ann"), "commentary_text", {})[0] == 403


# ------------------------------------------------------------------------------ permission matrix


def test_anonymous_visitors_see_the_prompt_but_can_save_nothing(block):
    html = html_of(block("none"))
    assert "List the commitments" in html and "Sign in" in html and "COMMENTARY-SECRET" not in html
    for handler in ("save_response", "state", "commentary_text", "save_form_draft"):
        status, reply, _ = call_handler(block("none"), handler, {"response": ANSWER})
        assert status == 403, handler
    assert not ActivityResponse.objects.exists()


def test_another_learner_sees_neither_the_response_nor_the_commentary(block):
    assert call_handler(block("ann"), "save_response", {"response": ANSWER})[0] == 200
    html = html_of(block("bob"))
    assert ANSWER not in html and "COMMENTARY-SECRET" not in html
    status, view, _ = call_handler(block("bob"), "state", {})
    assert view["response"] == "" and view["commentary"] is None
    assert call_handler(block("bob"), "commentary_text", {})[0] == 403
    # Nothing in the data API lists ann's response for bob.
    assert api.learner_responses("", student_id="bob") == []
    assert citations.citable("", "bob")["activity"] == []
    ann_item = citations.citable("", "ann")["activity"][0]
    assert citations.describe("", "bob", {"kind": "activity", "id": ann_item["id"]}) is None


def test_a_tutor_is_a_learner_here_and_reads_a_response_only_through_a_citation(block):
    assert call_handler(block("ann"), "save_response", {"response": ANSWER})[0] == 200
    html = html_of(block("tutor"))
    assert ANSWER not in html and "COMMENTARY-SECRET" not in html
    assert call_handler(block("tutor"), "commentary_text", {})[0] == 403
    # The tutors' learner view (looked up by username) carries no activity responses ...
    assert learner_record.course_record("", username="ann")["activities"] == []
    # ... the learner's own record does; and a cited response resolves for the learner who cites it.
    own = learner_record.course_record("", student_id="ann")["activities"]
    assert [item["response"] for item in own] == [ANSWER]
    item = citations.describe("", "ann", {"kind": "activity", "id": own[0]["id"]})
    assert item["title"] == "Commitments that hold us together" and item["summary"] == ANSWER
    assert item["label"] == "Saved learning activity" and item["witness"] is False


def test_autosaved_draft_comes_back_and_is_dropped_by_a_real_save(block):
    status, reply, _ = call_handler(block("ann"), "save_form_draft", {"form": "response", "values": {"response": "half"}})
    assert status == 200
    assert '"half"' in html_of(block("ann"))
    assert call_handler(block("ann"), "save_response", {"response": ANSWER})[0] == 200
    assert block("ann").form_drafts == {}


def test_delete_learner_state_archives_the_response_out_of_the_portfolio(block):
    assert call_handler(block("ann"), "save_response", {"response": ANSWER})[0] == 200
    learner = block("ann")
    learner.clear_student_state(user_id="ann", course_id="", item_id=str(block.usage_id), requesting_user_id="tutor")
    assert api.learner_responses("", student_id="ann") == []
    assert ActivityResponse.objects.get(student_id="ann").archived
    assert citations.citable("", "ann")["activity"] == []


def test_a_response_lost_from_saved_state_comes_back_from_the_portfolio(block):
    assert call_handler(block("ann"), "save_response", {"response": ANSWER})[0] == 200
    learner = block("ann")
    learner.response, learner.saved_at, learner.response_words = "", "", 0
    learner.save()
    assert ANSWER in html_of(block("ann")) and SECRET in html_of(block("ann"))


# ------------------------------------------------------------------------------ authoring and OLX


def test_olx_round_trip_keeps_every_field(block):
    learner = block("ann")
    node = etree.Element("x")
    learner.add_xml_to_node(node)
    again = etree.tostring(node, encoding="unicode")
    assert node.tag == "lp_learning_activity"
    assert node.get("suggested_minutes") == "20" and node.get("word_limit") == "12"
    assert node.find("prompt").text == learner.prompt and node.find("commentary").text == learner.commentary
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
    parser = WorkbenchRuntime()
    parser.id_generator.set_scenario("activity-round-trip")
    parsed = parser.get_block(parser.parse_xml_string(again))
    for name in LearningActivityBlock.editable_fields:
        assert getattr(parsed, name) == getattr(learner, name), name


def test_every_field_has_a_display_name_help_and_scope():
    for name in ("display_name", "prompt", "suggested_minutes", "commentary", "word_limit", "response",
                 "response_words", "saved_at", "completion_sent", "form_drafts"):
        field = LearningActivityBlock.fields[name]
        assert field.display_name and field.help and field.scope is not None, name


@pytest.mark.parametrize("attrs, inner, message", [
    ('suggested_minutes="0"', "<prompt>P</prompt><commentary>C</commentary>", "Suggested time"),
    ('word_limit="abc"', "<prompt>P</prompt><commentary>C</commentary>", "word limit"),
    ("", "<commentary>C</commentary>", "Prompt"),
    ("", "<prompt>P</prompt>", "Commentary"),
])
def test_invalid_olx_names_what_is_wrong(workbench_block, attrs, inner, message):
    with pytest.raises(ValueError, match=message):
        workbench_block(f'<lp_learning_activity display_name="A" {attrs}>{inner}</lp_learning_activity>')


def test_studio_submit_is_for_authors_and_lists_every_problem(block):
    status, reply, _ = call_handler(block("ann"), "studio_submit", {"prompt": "New"})
    assert status == 403
    status, reply, _ = call_handler(block("tutor"), "studio_submit", {
        "display_name": " ", "prompt": "", "suggested_minutes": "-3", "word_limit": 7, "commentary": "C"})
    assert status == 400
    assert [item["field"] for item in reply["errors"]] == ["display_name", "prompt", "suggested_minutes", "word_limit"]
    status, reply, _ = call_handler(block("tutor"), "studio_submit", {
        "display_name": "Renamed", "prompt": "New prompt", "suggested_minutes": "25", "word_limit": 100,
        "commentary": "New commentary"})
    assert status == 200
    saved = block("ann")
    assert (saved.display_name, saved.prompt, saved.suggested_minutes, saved.word_limit, saved.commentary) == (
        "Renamed", "New prompt", 25, 100, "New commentary")
    assert "Suggested time (minutes)" in block("tutor").render("studio_view", {}).body_html()


def test_learner_text_is_escaped_in_the_page(block):
    hostile = "<script>alert(1)</script> </textarea><img src=x onerror=alert(2)>"
    assert call_handler(block("ann"), "save_response", {"response": hostile})[0] == 200
    html = html_of(block("ann"))
    assert "<script>alert(1)" not in html and "<img src=x" not in html


# ------------------------------------------------------------------------------ the learner's portfolio


def test_the_learners_own_programme_portfolio_holds_their_responses_and_a_tutors_copy_does_not(workbench_block, block):
    from tests.runtime import test_reflective_log_handlers as rl  # pylint: disable=import-outside-toplevel
    log = workbench_block(rl.XML)
    hostile = "Protocol strong <b>bold</b> =HYPERLINK(\"x\")"
    assert call_handler(block("ann"), "save_response", {"response": hostile})[0] == 200
    status, page, response = call_handler(log("ann"), "programme_portfolio_html", method="GET")
    assert status == 200 and "attachment" in response.headers["Content-Disposition"]
    assert "Saved learning activities" in page and "Commitments that hold us together" in page
    assert "Protocol strong &lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page
    status, page, _ = call_handler(log("tutor"), "programme_portfolio_html", method="GET", query="learner=ann")
    assert status == 200 and "Protocol strong" not in page and "No learning activity saved yet." in page
    status, record, _ = call_handler(log("ann"), "programme_record", {})
    assert [item["response"] for item in record["activities"]] == [hostile]
    status, record, _ = call_handler(log("tutor"), "programme_record", {"learner": "ann"})
    assert status == 200 and record["activities"] == []


def test_the_activity_source_is_registered_whenever_the_registry_is_imported():
    """A fresh process that imports only the registry finds the source (lp_xblocks.data.api imports it)."""
    import subprocess  # pylint: disable=import-outside-toplevel
    import sys  # pylint: disable=import-outside-toplevel
    code = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'lp_xblocks.workbench.settings'); "
            "django.setup(); from lp_xblocks.data.api import citations; "
            "print([source.kind for source in citations.sources()])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert "'activity'" in done.stdout
