"""
A saved learning activity in headless Chromium against the real workbench: the commentary is not in the page
before the learner saves (not even hidden), the response is autosaved as they type, leaving with an unsent
change asks first, saving reveals the commentary (focused and announced), and it is still there after a reload.
Another learner sees neither. axe stays clean; the block fits 320 px.
"""
import re
import uuid

import pytest

from tests.browser.axe_check import serious_violations
from tests.browser.helpers import wait_for_block

pytestmark = [pytest.mark.browser]

TIMEOUT = 10_000
SCENARIO = "lp_learning_activity.0"
COMMENTARY = "Most partnerships find that their strongest commitment"


def expect():
    return pytest.importorskip("playwright.sync_api").expect


def learner(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def open_activity(page, base, student):
    page.goto(f"{base}/scenario/{SCENARIO}/?student={student}")
    wait_for_block(page, "LpLearningActivity")
    return page.locator(".lp-act")


def axe_clean(page, when):
    pytest.importorskip("axe_playwright_python")
    found = serious_violations(page, ".lp-act")
    assert not found, f"{when}:\n" + "\n".join(found)


def test_saving_a_response_reveals_the_commentary_that_was_not_there_before(workbench_server, page):
    student = learner("activity")
    block = open_activity(page, workbench_server, student)
    commentary = page.get_by_role("region", name="Commentary", include_hidden=True)
    expect()(commentary).to_be_hidden()
    assert COMMENTARY not in block.inner_html()  # not sent to the browser at all, not merely hidden
    expect()(block.locator(".lp-act__locked")).to_contain_text("once you have saved your response")
    axe_clean(page, "before saving")

    box = page.get_by_label("Your response")
    box.fill("Our strongest commitment is the written protocol. The shared budget is weak and there are no shared staff.")
    expect()(block.locator(".lp-act__count")).to_have_text("18 words of 300")
    expect()(block.locator(".lp-act__autosave")).to_have_text(re.compile(r"Draft saved at \d"), timeout=TIMEOUT)
    assert COMMENTARY not in block.inner_html()

    page.get_by_role("button", name="Save response").click()
    expect()(commentary).to_be_visible(timeout=TIMEOUT)
    expect()(commentary).to_contain_text(COMMENTARY)
    expect()(commentary).to_be_focused()
    expect()(block.locator(".lp-act__status")).to_have_text("Response saved. The commentary is now shown below your response.",
                                                           timeout=TIMEOUT)
    expect()(page.get_by_role("button", name="Save changes")).to_be_visible()
    assert block.locator(".lp-act__locked").count() == 0
    axe_clean(page, "after saving")

    page.reload()
    block = open_activity(page, workbench_server, student)
    expect()(page.get_by_role("region", name="Commentary")).to_contain_text(COMMENTARY)
    assert page.get_by_label("Your response").input_value().startswith("Our strongest commitment")

    other = open_activity(page, workbench_server, learner("other"))
    assert COMMENTARY not in other.inner_html() and "no shared staff" not in other.inner_html()
    assert page.errors == []


def test_a_response_over_the_limit_is_refused_with_the_field_named_and_nothing_revealed(workbench_server, page):
    block = open_activity(page, workbench_server, learner("too-long"))
    page.get_by_label("Your response").fill("word " * 301)
    expect()(block.locator(".lp-act__count")).to_contain_text("1 word over the limit")
    page.get_by_role("button", name="Save response").click()
    summary = block.locator(".lp-act__error")
    expect()(summary).to_be_visible(timeout=TIMEOUT)
    expect()(summary).to_contain_text("Your response: Your response has 301 words; the limit is 300.")
    expect()(summary).to_be_focused()
    assert page.get_by_label("Your response").get_attribute("aria-invalid") == "true"
    assert COMMENTARY not in block.inner_html()
    axe_clean(page, "with the error summary")


def test_leaving_with_an_unsent_response_asks_first(workbench_server, page):
    open_activity(page, workbench_server, learner("leave"))
    page.context.set_offline(True)  # the autosave cannot reach the server: the change stays unsent
    page.get_by_label("Your response").type("Words the server has not got yet.")
    expect()(page.locator(".lp-act__autosave")).to_contain_text("Draft not saved yet", timeout=TIMEOUT)
    with page.expect_event("dialog", timeout=TIMEOUT) as asked:
        page.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()
    assert not page.is_closed()
    page.context.set_offline(False)


def test_the_activity_fits_a_320_px_screen(workbench_server, chromium):
    context = chromium.new_context(viewport={"width": 320, "height": 740}, has_touch=True)
    try:
        page = context.new_page()
        open_activity(page, workbench_server, learner("phone"))
        page.get_by_label("Your response").fill("A short answer.")
        page.get_by_role("button", name="Save response").click()
        expect()(page.get_by_role("region", name="Commentary")).to_be_visible(timeout=TIMEOUT)
        widths = page.evaluate("""() => {
            const root = document.querySelector('.lp-act');
            return {right: root.getBoundingClientRect().right, scroll: root.scrollWidth, client: root.clientWidth,
                    viewport: document.documentElement.clientWidth};
        }""")
        assert widths["right"] <= widths["viewport"] + 0.5 and widths["scroll"] <= widths["client"], widths
    finally:
        context.close()
