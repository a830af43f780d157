"""
The mentoring scheme in headless Chromium, served by the real workbench: the coordinator pairs a mentee with a
mentor, the mentee logs a session (autosaved as they type), and the mentor confirms it in a second browser
context; axe finds nothing serious in any of the three views, and the mentee's page fits a 320 px screen.
Every test uses its own people because the server's database is shared by the whole session.
"""
import uuid

import pytest

from tests.browser.axe_check import serious_violations
from tests.browser.helpers import wait_for_block
from tests.browser.test_responsive_browser import check as fits_a_phone

pytestmark = [pytest.mark.browser]

TIMEOUT = 10_000  # ms, for anything that waits on the server


def expect():
    return pytest.importorskip("playwright.sync_api").expect


def open_scheme(page, base, student):
    page.goto(f"{base}/scenario/lp_mentoring.0/?student={student}")
    wait_for_block(page, "LpMentoring")
    page.locator(".lp-mt__body > *").first.wait_for(timeout=TIMEOUT)


def axe_clean(page, when):
    pytest.importorskip("axe_playwright_python")
    found = serious_violations(page, ".lp-mt")
    assert not found, f"{when}:\n" + "\n".join(found)


def test_a_session_the_mentee_logs_is_confirmed_by_the_mentor_in_another_browser(workbench_server, chromium, page):
    tag = uuid.uuid4().hex[:8]
    mentee, mentor = f"mentee-{tag}", f"mentor-{tag}"

    # The coordinator pairs them in the staff view.
    open_scheme(page, workbench_server, "tutor")
    page.get_by_label("Mentee username").fill(mentee)
    page.get_by_label("Mentor username").fill(mentor)
    page.get_by_label("Mentor organisation").fill("Acme <b>Ltd</b>")
    page.get_by_role("button", name="Pair them").click()
    row = page.locator(".lp-mt table tr", has_text=mentee)
    expect()(row).to_contain_text(mentor, timeout=TIMEOUT)
    expect()(row).to_contain_text("Acme <b>Ltd</b>")  # shown as text, not markup
    axe_clean(page, "coordinator's view")

    # The mentee logs a session; what they type is autosaved before they save it.
    page.goto("about:blank")
    open_scheme(page, workbench_server, mentee)
    expect()(page.locator(".lp-mt__mentor")).to_have_text(f"Your mentor: {mentor} (Acme <b>Ltd</b>)")
    form = page.locator("form[id$=-session-form]")
    form.get_by_label("Date").fill("2026-01-15")
    form.get_by_label("Focus").fill("Chairing the executive board")
    form.get_by_label("What was discussed").fill("How to give every partner a voice.\n\nAgreeing owned actions.")
    form.get_by_label("What 1").fill("Draft the agenda with partners")
    form.get_by_label("Where 1").fill("Executive Board")
    form.get_by_label("Whom 1").fill("EFS")
    form.get_by_label("When 1").fill("ongoing")
    expect()(form.locator(".lp-mt__draft")).to_contain_text("Draft saved at", timeout=TIMEOUT)
    axe_clean(page, "mentee's session form")
    form.get_by_role("button", name="Save the session").click()
    session = page.locator(".lp-mt__session").first
    expect()(session).to_contain_text("Waiting for the mentor's confirmation", timeout=TIMEOUT)
    expect()(session).to_contain_text("Draft the agenda with partners | Executive Board | EFS | ongoing")

    # The mentor, in a browser context of their own, reads the briefing and confirms the session.
    other = chromium.new_context(viewport={"width": 1100, "height": 900})
    try:
        mentor_page = other.new_page()
        mentor_page.errors = []
        mentor_page.on("pageerror", lambda error: mentor_page.errors.append(str(error)))
        open_scheme(mentor_page, workbench_server, mentor)
        expect()(mentor_page.locator("h3", has_text="Mentor briefing")).to_be_visible()
        expect()(mentor_page.locator("h4", has_text=f"Mentee: {mentee}")).to_be_visible()
        axe_clean(mentor_page, "mentor's view")
        mentor_page.get_by_role("button", name="Confirm session 1").click()
        expect()(mentor_page.locator(".lp-mt__session").first).to_contain_text("Confirmed by the mentor",
                                                                               timeout=TIMEOUT)
        expect()(mentor_page.locator(".lp-mt__status")).to_have_text("Saved.", timeout=TIMEOUT)
        assert mentor_page.errors == []
    finally:
        other.close()

    # The mentee sees the confirmation; a confirmed session can no longer be changed.
    page.reload()
    wait_for_block(page, "LpMentoring")
    session = page.locator(".lp-mt__session").first
    expect()(session).to_contain_text("Confirmed by the mentor", timeout=TIMEOUT)
    assert session.get_by_role("button", name="Change session 1").count() == 0
    axe_clean(page, "mentee's confirmed session")
    page.set_viewport_size({"width": 320, "height": 740})
    fits_a_phone(page, "the mentee's page at 320 px", scope=".workbench .xblock-v1")
    assert page.errors == []


def test_every_problem_is_shown_at_once_and_another_learner_sees_nothing(workbench_server, page):
    tag = uuid.uuid4().hex[:8]
    open_scheme(page, workbench_server, "tutor")
    page.get_by_label("Mentee username").fill(f"ann-{tag}")
    page.get_by_label("Mentor username").fill(f"ann-{tag}")
    page.get_by_role("button", name="Pair them").click()
    summary = page.locator(".lp-mt__error")
    expect()(summary).to_contain_text("a mentee cannot be their own mentor", timeout=TIMEOUT)
    expect()(page.get_by_label("Mentor username")).to_have_attribute("aria-invalid", "true")

    page.goto("about:blank")
    open_scheme(page, workbench_server, f"nobody-{tag}")
    expect()(page.locator(".lp-mt__body")).to_contain_text("You have no mentor in this scheme yet")
    assert page.locator(".lp-mt h3", has_text="Mentor briefing").count() == 0
    axe_clean(page, "an unpaired learner's view")
