"""
Nothing typed is lost, in headless Chromium against the real workbench: a reflection survives "Close the form"
and a reload, a half-answered health check survives leaving the page, an action plan being written comes back,
leaving with an unsent change asks first, and a draft is deleted only after a confirmation. axe stays clean.
"""
import uuid

import pytest

from tests.browser.axe_check import serious_violations
from tests.browser.helpers import wait_for_block

pytestmark = [pytest.mark.browser]

TIMEOUT = 10_000
SAVED = r"Saved at \d"


def expect():
    return pytest.importorskip("playwright.sync_api").expect


def learner(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def open_block(page, base, scenario, student, init):
    page.goto(f"{base}/scenario/{scenario}/?student={student}")
    wait_for_block(page, init)


def axe_clean(page, selector, when):
    pytest.importorskip("axe_playwright_python")
    found = serious_violations(page, selector)
    assert not found, f"{when}:\n" + "\n".join(found)


def test_a_reflection_survives_close_and_a_reload_and_a_draft_is_deleted_after_confirming(workbench_server, page):
    import re  # pylint: disable=import-outside-toplevel
    student = learner("autosave")
    open_block(page, workbench_server, "lp_reflective_log.0", student, "LpReflectiveLog")
    page.get_by_role("button", name="Write a new entry").click()
    page.locator("input[name=title]").fill("Budget meeting")
    page.locator("textarea[name=body]").fill("I opened the meeting by restating what each partner had agreed to fund.")
    status = page.locator(".lp-rl__autosave")
    expect()(status).to_have_text(re.compile(SAVED), timeout=TIMEOUT)
    assert status.get_attribute("role") == "status"
    axe_clean(page, ".lp-rl", "after an autosave")

    page.get_by_role("button", name="Close the form").click()  # saved already: no question asked
    expect()(page.locator(".lp-rl__form")).to_be_hidden()
    page.reload()
    wait_for_block(page, "LpReflectiveLog")
    row = page.locator(".lp-rl__entry-table tbody tr")
    expect()(row).to_have_count(1)
    expect()(row.locator("td").nth(1)).to_have_text("Draft")
    page.get_by_role("button", name="Edit: Budget meeting").click()
    assert page.locator("textarea[name=body]").input_value().startswith("I opened the meeting")

    # "Save draft" keeps the focus on the button (it is disabled while the request runs).
    page.get_by_role("button", name="Save draft").focus()
    page.keyboard.press("Enter")
    expect()(page.locator(".lp-rl__status")).to_have_text("Draft saved.", timeout=TIMEOUT)
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Save draft"

    # Deleting asks first: dismissing keeps the draft, accepting deletes it.
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        (dialog.accept if accept else dialog.dismiss)()

    page.once("dialog", lambda dialog: answer(dialog, False))
    page.get_by_role("button", name="Delete the draft Budget meeting").click()
    assert questions and "Delete the draft \u201cBudget meeting\u201d?" in questions[0]
    expect()(row).to_have_count(1)
    page.once("dialog", lambda dialog: answer(dialog, True))
    page.get_by_role("button", name="Delete the draft Budget meeting").click()
    expect()(page.locator(".lp-rl__status")).to_have_text("Draft deleted.", timeout=TIMEOUT)
    expect()(page.locator(".lp-rl__entry-table")).to_have_count(0)
    page.reload()
    wait_for_block(page, "LpReflectiveLog")
    expect()(page.locator(".lp-rl__entries-body")).to_contain_text("You have no entries yet")
    assert page.errors == []


def test_leaving_with_an_unsent_change_asks_first(workbench_server, page):
    student = learner("leave")
    open_block(page, workbench_server, "lp_reflective_log.0", student, "LpReflectiveLog")
    page.get_by_role("button", name="Write a new entry").click()
    page.context.set_offline(True)  # the autosave cannot reach the server: the change stays unsent
    page.locator("textarea[name=body]").type("Words the server has not got yet.")
    expect()(page.locator(".lp-rl__autosave")).to_contain_text("Not saved yet", timeout=TIMEOUT)
    with page.expect_event("dialog", timeout=TIMEOUT) as asked:
        page.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()  # stay on the page
    assert not page.is_closed()
    page.context.set_offline(False)


def test_a_half_answered_health_check_survives_leaving(workbench_server, page):
    student = learner("half")
    open_block(page, workbench_server, "lp_needs_assessment.0", student, "LpNeedsAssessment")
    groups = page.locator(".lp-na__statement")
    for index in range(10):
        groups.nth(index).locator("input[type=radio]").nth(index % 5).check()
    expect()(page.locator(".lp-na__autosave")).to_contain_text("saved at", timeout=TIMEOUT)
    page.goto("about:blank")
    open_block(page, workbench_server, "lp_needs_assessment.0", student, "LpNeedsAssessment")
    expect()(page.locator(".lp-na__autosave")).to_contain_text("are back")
    for index in range(10):
        assert groups.nth(index).locator("input[type=radio]").nth(index % 5).is_checked()
    assert groups.nth(10).locator("input:checked").count() == 0
    axe_clean(page, ".lp-na", "restored answers")
    assert page.errors == []


def test_an_action_plan_being_written_comes_back(workbench_server, page):
    student = learner("plan")
    open_block(page, workbench_server, "lp_facilitation_exercise.1", student, "LpFacilitationExercise")
    page.locator(".lp-fx__add-row").click()
    page.locator(".lp-fx__plan-row").nth(0).locator("input[name=what]").fill("Agree an action table")
    page.locator(".lp-fx__plan-row").nth(1).locator("input[name=where]").fill("Executive board")
    page.locator(".lp-fx__reflection").fill("Half a thought")
    expect()(page.locator(".lp-fx__autosave")).to_contain_text("Draft saved at", timeout=TIMEOUT)
    page.reload()
    wait_for_block(page, "LpFacilitationExercise")
    expect()(page.locator(".lp-fx__autosave")).to_contain_text("are back")
    assert page.locator(".lp-fx__plan-row").nth(0).locator("input[name=what]").input_value() == "Agree an action table"
    assert page.locator(".lp-fx__plan-row").nth(1).locator("input[name=where]").input_value() == "Executive board"
    assert page.locator(".lp-fx__reflection").input_value() == "Half a thought"
    axe_clean(page, ".lp-fx", "restored plan")
    assert page.errors == []
