"""Autosaved form drafts (``save_form_draft`` / ``discard_form_draft``) and deleting reflective-log drafts, in the
SDK's WorkbenchRuntime: kept per learner, bounded, dropped once the form is saved or submitted for real."""
import pytest

from lp_xblocks.common import drafts
from lp_xblocks.data.models import ReflectiveEntry
from tests.conftest import call_handler
from tests.runtime import test_facilitation_handlers as fx
from tests.runtime import test_needs_assessment_handlers as na
from tests.runtime import test_reflective_log_handlers as rl


@pytest.fixture
def survey(workbench_block):
    return workbench_block(na.XML.format(retake="true"))


@pytest.fixture
def exercise(workbench_block):
    return workbench_block(fx.XML.format(weight="1.0", min_rows=1))


def ok(reply):
    status, body, _ = reply
    assert status == 200, body
    return body


def test_half_answered_questionnaire_is_kept_for_its_learner_only_until_submitted(survey):
    saved = ok(call_handler(survey("ann"), "save_form_draft", {"form": "answers", "values": {"l1": "4"}}))
    assert saved["form"] == "answers" and saved["saved_at"]
    assert survey("ann").form_drafts["answers"]["values"] == {"l1": "4"}
    assert survey("bob").form_drafts == {}
    page = survey("ann").render("student_view").body_html()
    assert '"values": {"l1": "4"}' in page
    assert '"draft": null' in survey("bob").render("student_view").body_html()
    ok(call_handler(survey("ann"), "submit", {"answers": na.ANSWERS}))
    assert "answers" not in survey("ann").form_drafts


def test_action_plan_draft_is_dropped_when_the_plan_is_saved(exercise):
    values = {"rows": '[{"what": "Agree an action table"}]', "reflection": "Half a thought"}
    ok(call_handler(exercise("ann"), "save_form_draft", {"form": "plan", "values": values}))
    assert exercise("ann").form_drafts["plan"]["values"] == values
    assert "Half a thought" in exercise("ann").render("student_view").body_html()
    ok(call_handler(exercise("ann"), "save_action_plan", {"rows": fx.ROWS, "reflection": ""}))
    assert exercise("ann").form_drafts == {}


def test_discard_forgets_the_draft(survey):
    ok(call_handler(survey("ann"), "save_form_draft", {"form": "answers", "values": {"l1": "4"}}))
    assert ok(call_handler(survey("ann"), "discard_form_draft", {"form": "answers"})) == {"discarded": True}
    assert ok(call_handler(survey("ann"), "discard_form_draft", {"form": "answers"})) == {"discarded": False}
    assert survey("ann").form_drafts == {}


@pytest.mark.parametrize("body, words", [
    ({"form": "", "values": {}}, "not named"),
    ({"form": "a b", "values": {}}, "not named"),
    ({"form": "answers", "values": []}, "object"),
    ({"form": "answers", "values": {"x": {"nested": 1}}}, "must be text"),
    ({"form": "answers", "values": {"x": 3}}, "must be text"),
    ({"form": "answers", "values": {"bad name!": "x"}}, "cannot be stored"),
    ({"form": "answers", "values": {"x": "y" * (drafts.MAX_VALUE_CHARS + 1)}}, "longer than"),
    ({"form": "answers", "values": {f"f{n}": "x" for n in range(drafts.MAX_FIELDS + 1)}}, "more than"),
])
def test_bad_autosaves_are_400_and_store_nothing(survey, body, words):
    status, reply, _ = call_handler(survey("ann"), "save_form_draft", body)
    assert status == 400 and words in reply["error"]
    assert survey("ann").form_drafts == {}


def test_anonymous_visitors_cannot_autosave(survey):
    status, reply, _ = call_handler(survey("none"), "save_form_draft", {"form": "answers", "values": {}})
    assert status == 403


def test_drafts_are_bounded_oldest_dropped():
    from datetime import datetime, timedelta, timezone  # pylint: disable=import-outside-toplevel
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    kept = {}
    for number in range(drafts.MAX_FORMS + 3):
        kept = drafts.store(kept, f"form-{number}", {}, start + timedelta(minutes=number))
    assert len(kept) == drafts.MAX_FORMS and "form-0" not in kept and f"form-{drafts.MAX_FORMS + 2}" in kept


# ----------------------------------------------------------------------------- reflective-log drafts


def test_a_learner_deletes_their_own_draft_only(workbench_block):
    log = workbench_block(rl.XML)
    draft = ok(call_handler(log("ann"), "save_draft", {"title": "Half written"}))["entry"]
    status, body, _ = call_handler(log("bob"), "delete_draft", {"entry_id": draft["entry_id"]})
    assert status == 403 and ReflectiveEntry.objects.count() == 1
    assert ok(call_handler(log("ann"), "delete_draft", {"entry_id": draft["entry_id"]})) == {"deleted": draft["entry_id"]}
    assert ReflectiveEntry.objects.count() == 0 and ok(call_handler(log("ann"), "my_entries", {}))["entries"] == []


def test_submitted_work_is_never_deleted(workbench_block):
    log = workbench_block(rl.XML)
    entry = rl.submit(log)
    status, body, _ = call_handler(log("ann"), "delete_draft", {"entry_id": entry["entry_id"]})
    assert status == 409 and "never submitted" in body["error"]
    assert ReflectiveEntry.objects.count() == 1
