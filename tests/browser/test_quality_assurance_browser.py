"""
Quality assurance in headless Chromium on the real workbench, in separate browser contexts: a learner submits an
entry with the meeting's minutes attached and the authenticity declaration, a tutor refers it with the file in
view, the learner appeals it, the internal verifier sees the referral in the sample and disagrees (with a
comment), and the tutor sees it returned with the verifier's note; another tutor decides the appeal and the
learner reads the outcome. Keyboard where a person would; axe-core on every side; 320 px wide.
"""
import uuid

import pytest

from tests.browser.axe_check import serious_violations
from tests.browser.helpers import wait_for_block
from tests.browser.test_responsive_browser import overflow
from tests.browser.test_reflective_log_browser import BODY, browser_context, expect, press_button, queue_row, visit  # noqa: F401  # pylint: disable=unused-import

pytestmark = [pytest.mark.browser]
TIMEOUT = 10_000
MINUTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def no_violations(page, side):
    violations = serious_violations(page, ".lp-rl")
    assert not violations, side + ":\n" + "\n".join(violations)


def test_refer_appeal_verify_return_and_decide_with_separate_browsers(workbench_server, browser_context):
    learner = f"appellant-{uuid.uuid4().hex[:8]}"
    title = f"Budget meeting {learner}"
    ann = browser_context(learner)
    visit(ann, workbench_server)
    # The learner writes the entry in the page, attaches the meeting's minutes and declares the work their own.
    ann.get_by_role("button", name="Write a new entry").click()
    form = ann.locator(".lp-rl__form")
    form.get_by_label("Title").fill(title)
    form.get_by_label("Date of the activity").fill("2026-10-01")
    form.get_by_label("Type of activity").select_option("workplace")
    form.get_by_label("Your reflection").fill(BODY)
    form.locator("input[name=criteria][value='LPM1-3.1']").check()
    form.get_by_label("Attach a file").set_input_files({"name": "minutes.pdf", "mimeType": "application/pdf",
                                                        "buffer": MINUTES})
    expect()(form.locator(".lp-rl__evidence-files [role=status]")).to_have_text("minutes.pdf attached.", timeout=TIMEOUT)
    form.locator("input[name=declaration]").check()
    form.get_by_role("button", name="Submit for marking").click()
    expect()(ann.locator(".lp-rl__status")).to_have_text("Entry submitted for marking.", timeout=TIMEOUT)

    # A tutor refers it through the marking panel.
    tess = browser_context("tutor")
    visit(tess, workbench_server)
    row = queue_row(tess, learner)
    expect()(row).to_have_count(1, timeout=TIMEOUT)
    row.locator("a").click()
    expect()(tess.locator(".lp-rl__marking-body").get_by_role("link", name="minutes.pdf")).to_have_count(
        1, timeout=TIMEOUT)  # the tutor marks with the evidence in view
    press_button(tess, "Start marking")
    form = tess.locator(".lp-rl__mark-form")
    expect()(form).to_be_visible(timeout=TIMEOUT)
    form.locator("fieldset[data-criterion='LPM1-3.1'] input[value=not_yet_met]").check()
    form.locator("fieldset[data-criterion='LPM1-3.1'] textarea, fieldset[data-criterion='LPM1-3.1'] input[type=text]").first.fill(
        "Say what you did as chair.")
    form.locator("textarea").last.fill("Evaluate your own chairing.")
    press_button(tess, "Refer")
    expect()(tess.locator(".lp-rl__status")).to_have_text("Saved: Refer.", timeout=TIMEOUT)

    # The learner, at 320 px, appeals within the window by keyboard.
    ann.set_viewport_size({"width": 320, "height": 800})
    visit(ann, workbench_server)
    appeals = ann.locator(".lp-rl__my-appeals")
    expect()(appeals).to_contain_text("You may appeal until", timeout=TIMEOUT)
    press_button(ann, "Appeal this referral")
    assert ann.evaluate("() => document.activeElement.tagName") == "TEXTAREA"
    press_button(ann, "Send the appeal")  # without reasons: refused, announced, the field marked
    expect()(ann.locator(f"#{ann.locator('.lp-rl__my-appeals [role=status]').get_attribute('id')}")).to_contain_text(
        "Reasons: say why", timeout=TIMEOUT)
    assert appeals.locator("textarea").get_attribute("aria-invalid") == "true"
    appeals.locator("textarea").focus()
    ann.keyboard.type("The minutes I attached show that I chaired the meeting.")
    press_button(ann, "Send the appeal")
    expect()(appeals).to_contain_text("waiting for a decision", timeout=TIMEOUT)
    found = overflow(ann, ".workbench .xblock-v1")
    assert found["scroll"] <= found["client"] and not found["culprits"], found
    no_violations(ann, "learner appeal")

    # The verifier finds the referral in the sample and disagrees; a comment is required.
    vera = browser_context("verifier")
    visit(vera, workbench_server)
    sample_row = vera.locator(".lp-rl__sample tbody tr", has=vera.locator("td", has_text=learner))
    expect()(sample_row).to_have_count(1, timeout=TIMEOUT)
    expect()(sample_row).to_contain_text("Every referral is verified.")
    sample_row.get_by_role("button").focus()
    vera.keyboard.press("Enter")
    verify = vera.locator(".lp-rl__verify")
    expect()(verify).to_be_visible(timeout=TIMEOUT)
    assert vera.evaluate("() => document.activeElement.tagName") == "H5"
    vera.get_by_label("Disagree: return it to the tutors").check()
    press_button(vera, "Record verification")
    expect()(vera.locator(".lp-rl__verify [role=alert]")).to_contain_text("say why you disagree", timeout=TIMEOUT)
    vera.get_by_label("Comment (required to disagree; the tutors read it)").fill(
        "The minutes show the learner chaired; LPM1-3.1 is met.")
    no_violations(vera, "verifier")
    press_button(vera, "Record verification")
    expect()(vera.locator(".lp-rl__qa-status").first).to_have_text("Verification recorded.", timeout=TIMEOUT)
    expect()(sample_row).to_have_count(0, timeout=TIMEOUT)  # no longer a standing decision: back with the tutors

    # The tutor sees it returned, with the verifier's note, and it waits in the queue again.
    visit(tess, workbench_server)
    returned = tess.locator(".lp-rl__returned")
    expect()(returned).to_contain_text(f"{title}: verifier disagreed with the Refer", timeout=TIMEOUT)
    expect()(returned).to_contain_text("LPM1-3.1 is met.")
    expect()(queue_row(tess, learner)).to_have_count(1)
    expect()(queue_row(tess, learner).locator(".lp-rl__returned-note")).to_have_text(
        "Returned by verifier: The minutes show the learner chaired; LPM1-3.1 is met.")
    no_violations(tess, "tutor returned")

    # The appeal (still open) cannot change a decision that is being re-marked: another tutor is told why.
    tom = browser_context("tutor2")
    visit(tom, workbench_server)
    appeal = tom.locator(".lp-rl__qa .lp-rl__appeal").filter(has_text=learner)
    expect()(appeal).to_have_count(1, timeout=TIMEOUT)
    appeal.get_by_label("Not upheld").check()
    appeal.get_by_label("Reasons (the learner reads them)").fill("Your entry is being marked again.")
    appeal.get_by_role("button", name="Record the outcome").click()
    expect()(tom.locator(".lp-rl__qa-status").first).to_have_text("The appeal's outcome was recorded.", timeout=TIMEOUT)
    no_violations(tom, "appeal decided")

    # A reasonable-adjustments note, written by a tutor, which the learner reads (and other learners never see).
    adjust = tom.get_by_role("form", name="Reasonable adjustments")
    adjust.get_by_label("Username of the learner the note is about").fill(learner)
    adjust.get_by_label("Adjustments agreed for this learner (tutors, verifiers and the learner see it)").fill(
        "25% extra time; documents in a screen-reader friendly format.")
    adjust.get_by_role("button", name="Save note").click()
    expect()(tom.locator(".lp-rl__qa-status").first).to_have_text(f"Note for {learner} saved.", timeout=TIMEOUT)

    visit(ann, workbench_server)
    expect()(appeals).to_contain_text("not upheld", timeout=TIMEOUT)
    expect()(ann.locator(".lp-rl__my-adjustments")).to_contain_text("25% extra time", timeout=TIMEOUT)
    no_violations(ann, "learner outcome")
    expect()(appeals).to_contain_text("Your entry is being marked again.")
    for page in (ann, tess, vera, tom):
        assert not page.errors, page.errors
    wait_for_block(ann, "LpReflectiveLog")
