"""
The reflective log in headless Chromium, served by the real workbench: a learner and tutors in separate
browser contexts go through draft, submit, refer with a comment, revise, resubmit and pass, by keyboard
where a person would; axe-core checks both sides. Scenario 0 is "chairing partnership meetings"
(criteria LPM1-3.1, 3.2, 3.3, as in the unit catalogue; 150 to 1500 words).
"""
import csv
import io
import uuid

import pytest
from lxml import etree

from lp_xblocks.reflective_log.rules import count_words
from tests.browser.axe_check import serious_violations
from tests.browser.helpers import wait_for_block

pytestmark = [pytest.mark.browser]

SCENARIO = "lp_reflective_log.0"
TIMEOUT = 10_000
PARAGRAPH = ("The college and the local authority disagreed about who should host the adult learning fair, "
             "so I asked each partner to set out their position before we discussed options. ")
BODY = (PARAGRAPH * 4).strip() + "\n\n" + (PARAGRAPH * 2).strip()  # 2 paragraphs, 174 words


def expect():
    return pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def browser_context(chromium):
    """``open(student)`` opens the scenario in a new browser context (its own cookies) as that student."""
    contexts = []

    def open_as(student, width=1100):
        context = chromium.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.student = student
        return page

    yield open_as
    for context in contexts:
        context.close()


def visit(page, base):
    page.goto(f"{base}/scenario/{SCENARIO}/?student={page.student}")
    page.locator(".lp-rl").first.wait_for()
    wait_for_block(page, "LpReflectiveLog")


def status_text(page):
    return page.locator(".lp-rl__status")


def focused(page):
    return page.evaluate("() => ({id: document.activeElement.id, tag: document.activeElement.tagName.toLowerCase(),"
                         " text: document.activeElement.textContent.trim(), invalid: document.activeElement.getAttribute('aria-invalid')})")


def press_button(page, name):
    """Focus a button and press Enter, as a keyboard user does."""
    page.get_by_role("button", name=name, exact=True).focus()
    page.keyboard.press("Enter")


def queue_row(page, learner):
    return page.locator(".lp-rl__queue-table tbody tr", has=page.locator("td", has_text=learner))


def wait_until_unlocked(page, tries=50):
    """Poll the tutor's queue handler (as the page would) until no waiting entry is locked."""
    queue_url = page.locator("a[href*=portfolio_html]").first.get_attribute("href").split("?")[0].replace("portfolio_html", "queue")
    for _ in range(tries):
        unlocked = page.evaluate("""async (url) => {
            const reply = await fetch(url + window.location.search, {method: 'POST', headers: {'Content-Type': 'application/json',
                'X-CSRFToken': LpCommon.csrfToken()}, body: JSON.stringify({status: 'submitted', page: 1})});
            return (await reply.json()).entries.every(entry => !entry.lock); }""", queue_url)
        if unlocked:
            return
        page.wait_for_timeout(200)
    raise AssertionError("the entry is still locked")


def test_draft_submit_refer_resubmit_pass_with_two_browsers(workbench_server, browser_context, artifacts):
    learner = f"writer-{uuid.uuid4().hex[:8]}"
    ann = browser_context(learner)
    visit(ann, workbench_server)
    assert ann.locator(".lp-rl__tutor").count() == 0

    # Write and save a short draft with the keyboard.
    press_button(ann, "Write a new entry")
    assert focused(ann)["id"].endswith("-f-title")
    ann.keyboard.type("Chairing the adult learning fair meeting")
    ann.keyboard.press("Tab")
    ann.locator("input[name=activity_date]").fill("2026-10-14")
    ann.locator("select[name=entry_type]").select_option("workplace")
    ann.locator("textarea[name=body]").focus()
    ann.keyboard.type("A first note before I forget the details.")
    expect()(ann.locator(".lp-rl__words")).to_have_text("8 words (between 150 and 1500 to submit)")
    press_button(ann, "Save draft")
    expect()(status_text(ann)).to_have_text("Draft saved.", timeout=TIMEOUT)
    expect()(ann.locator(".lp-rl__entry-table tbody tr")).to_have_count(1)
    expect()(ann.locator(".lp-rl__entry-table tbody tr td").nth(1)).to_have_text("Draft")

    # Submitting too few words is refused: the message names the limit, the body is marked and focused.
    ann.locator("input[name=criteria][value='LPM1-3.1']").check()
    press_button(ann, "Submit for marking")
    # (Changed: the GOV.UK error summary takes the focus; it links each problem, named in words, to its field.)
    summary = ann.locator(".lp-rl__error")
    expect()(summary).to_contain_text("There is a problem", timeout=TIMEOUT)
    link = summary.get_by_role("link", name="Your reflection: 8 words; write at least 150 words")
    expect()(link).to_have_count(1)
    assert focused(ann)["id"] == summary.get_attribute("id")
    body = ann.locator("textarea[name=body]")
    assert body.get_attribute("aria-invalid") == "true"
    message_id = body.get_attribute("aria-describedby").split()[0]
    assert ann.locator(f"#{message_id}").inner_text() == "Your reflection: 8 words; write at least 150 words"
    link.click()
    assert focused(ann)["id"].endswith("-f-body") and focused(ann)["invalid"] == "true"
    axe_violations = serious_violations(ann, ".lp-rl")
    assert not axe_violations, "error summary:\n" + "\n".join(axe_violations)

    ann.locator("textarea[name=body]").fill(BODY)
    expect()(ann.locator(".lp-rl__words")).to_contain_text(f"{count_words(BODY)} words")
    assert count_words(BODY) == 174
    ann.locator("input[name=criteria][value='LPM1-3.2']").focus()
    ann.keyboard.press("Space")
    ann.locator("input[name=declaration]").check()  # (added: every submission carries the declaration)
    press_button(ann, "Submit for marking")
    expect()(status_text(ann)).to_have_text("Entry submitted for marking.", timeout=TIMEOUT)
    expect()(ann.locator(".lp-rl__entry-table tbody tr td").nth(1)).to_have_text("Submitted, waiting to be marked")
    assert ann.locator(".lp-rl__form").is_hidden()
    assert focused(ann)["id"].endswith("-detail-heading")
    learner_violations = serious_violations(ann, ".lp-rl")
    assert not learner_violations, "learner side:\n" + "\n".join(learner_violations)

    # The tutor finds the entry in the queue and opens it from the link: reading it takes no lock; the
    # entry's text comes first, then "Start marking" claims the lock and shows the form below the text.
    tess = browser_context("tutor")
    visit(tess, workbench_server)
    row = queue_row(tess, learner)
    expect()(row).to_have_count(1, timeout=TIMEOUT)
    row.locator("a").focus()
    tess.keyboard.press("Enter")
    expect()(tess.locator(".lp-rl__marking-heading")).to_have_text(
        f"Chairing the adult learning fair meeting by {learner}", timeout=TIMEOUT)
    assert "-entry-" in tess.url
    assert tess.locator(".lp-rl__lock").count() == 0 and tess.locator(".lp-rl__mark-form").count() == 0
    press_button(tess, "Start marking")
    expect()(tess.locator(".lp-rl__lock")).to_contain_text("You are marking this entry", timeout=TIMEOUT)
    assert tess.evaluate("""() => { const body = document.querySelector('.lp-rl__marking-body .lp-rl__body');
        const form = document.querySelector('.lp-rl__mark-form');
        return !!(body.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING); }""")

    # A second tutor sees who holds the lock and gets no marking form.
    tom = browser_context("tutor2")
    tom.goto(tess.url.replace("student=tutor", "student=tutor2"))
    wait_for_block(tom, "LpReflectiveLog")
    expect()(tom.locator(".lp-rl__lock--other")).to_contain_text("tutor is marking this entry", timeout=TIMEOUT)
    assert tom.locator(".lp-rl__mark-form").count() == 0 and tom.locator(".lp-rl__start-marking").count() == 0

    # The first tutor closes the panel: the second can start marking at once, and leaving the page
    # (a navigation) gives the lock back too.
    press_button(tess, "Close")
    expect()(tess.locator(".lp-rl__marking")).to_be_hidden()
    tom.reload()
    wait_for_block(tom, "LpReflectiveLog")
    press_button(tom, "Start marking")
    expect()(tom.locator(".lp-rl__lock")).to_contain_text("You are marking this entry", timeout=TIMEOUT)
    tom.goto("about:blank")  # the page's pagehide sends the release as a beacon
    wait_until_unlocked(tess)
    row.locator("a").focus()
    tess.keyboard.press("Enter")
    expect()(tess.locator(".lp-rl__start-marking")).to_be_visible(timeout=TIMEOUT)
    press_button(tess, "Start marking")
    expect()(tess.locator(".lp-rl__lock")).to_contain_text("You are marking this entry", timeout=TIMEOUT)

    tutor_violations = serious_violations(tess, ".lp-rl")
    assert not tutor_violations, "tutor side:\n" + "\n".join(tutor_violations)

    # Referring with nothing decided names every problem at once, in a summary linked to the fields.
    press_button(tess, "Refer")
    mark_summary = tess.locator(".lp-rl__mark-form .lp-error-summary")
    expect()(mark_summary).to_contain_text("There is a problem", timeout=TIMEOUT)
    assert mark_summary.get_by_role("link").all_inner_texts() == [
        "Criteria: decide met or not yet met for: LPM1-3.1, LPM1-3.2",
        "Overall feedback: tell the learner what to do before resubmitting"]
    marking_violations = serious_violations(tess, ".lp-rl")
    assert not marking_violations, "marking errors:\n" + "\n".join(marking_violations)

    # The catalogue's marking guidance sits beside each criterion the tutor marks.
    form = tess.locator(".lp-rl__mark-form")
    guidance = form.locator("fieldset[data-criterion='LPM1-3.2'] details.lp-rl__guidance")
    expect()(guidance.locator("summary")).to_have_text("Marking guidance for LPM1-3.2")
    guidance.locator("summary").click()
    expect()(guidance.locator("dt").first).to_have_text("What \u201cmet\u201d looks like")
    assert guidance.locator("dd").first.inner_text().startswith("Judges what worked and what did not in own chairing")
    assert "Exemplar: not yet met" in guidance.locator("dt").all_inner_texts()

    # Refer with the keyboard: 2.1 met, 2.2 not yet met with a comment, overall feedback.
    form.locator("fieldset[data-criterion='LPM1-3.1'] input[value=met]").focus()
    tess.keyboard.press("Space")
    form.locator("fieldset[data-criterion='LPM1-3.2'] input[value=met]").focus()
    tess.keyboard.press("ArrowRight")  # moves to and selects "Not yet met"
    tess.keyboard.press("Tab")
    tess.keyboard.type("Say what you would do differently next time.")
    tess.keyboard.press("Tab")
    tess.keyboard.type("A clear account; now evaluate your own approach as chair.")
    press_button(tess, "Refer")
    expect()(status_text(tess)).to_have_text("Saved: Refer.", timeout=TIMEOUT)
    expect()(tess.locator(".lp-rl__marking-body .lp-rl__meta").first).to_have_text("Referred: revise and resubmit")

    # The learner sees the feedback on version 1, revises and resubmits.
    visit(ann, workbench_server)
    expect()(ann.locator(".lp-rl__entry-table tbody tr td").nth(1)).to_have_text("Referred: revise and resubmit")
    ann.get_by_role("button", name="View: Chairing the adult learning fair meeting").click()
    feedback = ann.locator(".lp-rl__detail .lp-rl__feedback")
    expect()(feedback).to_contain_text("Feedback from tutor")
    expect()(feedback).to_contain_text("LPM1-3.2: Not yet met \u2014 Say what you would do differently next time.")
    press_button(ann, "Revise and resubmit: Chairing the adult learning fair meeting")
    assert ann.locator("textarea[name=body]").input_value() == BODY
    ann.locator("textarea[name=body]").fill(BODY + "\n\nNext time I will agree the protocols before the agenda.")
    ann.locator("input[name=declaration]").check()  # (added: each version is declared again)
    press_button(ann, "Submit for marking")
    expect()(status_text(ann)).to_have_text("Entry submitted for marking.", timeout=TIMEOUT)
    versions = ann.locator(".lp-rl__detail .lp-rl__version h4")
    expect()(versions).to_have_count(2)
    assert versions.nth(0).inner_text().startswith("Version 2")

    # The tutor passes version 2.
    tess.reload()  # the URL still names the entry (#...-entry-<id>): it opens straight away
    wait_for_block(tess, "LpReflectiveLog")
    expect()(tess.locator(".lp-rl__start-marking")).to_be_visible(timeout=TIMEOUT)
    press_button(tess, "Start marking")
    expect()(tess.locator(".lp-rl__mark-form")).to_be_visible(timeout=TIMEOUT)
    assert "Version 2" in tess.locator(".lp-rl__marking-body .lp-rl__version h5").first.inner_text()
    form = tess.locator(".lp-rl__mark-form")
    for criterion in ("LPM1-3.1", "LPM1-3.2"):
        form.locator(f"fieldset[data-criterion='{criterion}'] input[value=met]").check()
    press_button(tess, "Pass")
    expect()(status_text(tess)).to_have_text("Saved: Pass.", timeout=TIMEOUT)
    tess.locator("#" + tess.locator(".lp-rl").get_attribute("id") + "-filter-passed").click()
    expect()(queue_row(tess, learner)).to_have_count(1, timeout=TIMEOUT)

    visit(ann, workbench_server)
    expect()(ann.locator(".lp-rl__coverage-summary")).to_have_text("2 of 3 criteria met by passed entries.")
    expect()(ann.locator(".lp-rl__entry-table tbody tr td").nth(1)).to_have_text("Passed")
    assert ann.locator(".lp-rl__entry-table button", has_text="Revise").count() == 0
    ann.screenshot(path=str(artifacts / "reflective_log_learner.png"), full_page=True)
    tess.screenshot(path=str(artifacts / "reflective_log_tutor.png"), full_page=True)
    assert ann.errors == [] and tess.errors == [] and tom.errors == []


EVIL_TITLE = '=cmd|"/c calc"!A1 <img src=x onerror="window.pwned=1">'
EVIL_BODY = ("<script>window.pwned=2</script> " + "partnership " * 160).strip() + "\n\n<b>bold?</b>"
EVIL_COMMENT = '<a href="javascript:window.pwned=3">click</a> +SUM(1)'


def test_free_text_is_escaped_in_view_queue_export_and_csv(workbench_server, browser_context):
    learner = f"xss-{uuid.uuid4().hex[:8]}"
    ann = browser_context(learner)
    visit(ann, workbench_server)
    ann.get_by_role("button", name="Write a new entry").click()
    ann.locator("input[name=title]").fill(EVIL_TITLE)
    ann.locator("input[name=activity_date]").fill("2026-09-01")
    ann.locator("select[name=entry_type]").select_option("event")
    ann.locator("textarea[name=body]").fill(EVIL_BODY)
    ann.locator("input[name=criteria][value='LPM1-3.3']").check()
    ann.locator("input[name=declaration]").check()  # (added: every submission carries the declaration)
    ann.get_by_role("button", name="Submit for marking").click()
    expect()(status_text(ann)).to_have_text("Entry submitted for marking.", timeout=TIMEOUT)
    detail = ann.locator(".lp-rl__detail")
    expect()(detail).to_contain_text("<script>window.pwned=2</script>")
    assert detail.locator("p", has_text="<b>bold?</b>").count() == 1

    tess = browser_context("tutor")
    visit(tess, workbench_server)
    row = queue_row(tess, learner)
    expect()(row.locator("a")).to_have_text(EVIL_TITLE, timeout=TIMEOUT)
    row.locator("a").click()
    tess.get_by_role("button", name="Start marking").click()
    form = tess.locator(".lp-rl__mark-form")
    expect()(form).to_be_visible(timeout=TIMEOUT)
    form.locator("fieldset[data-criterion='LPM1-3.3'] input[value=not_yet_met]").check()
    form.locator("fieldset[data-criterion='LPM1-3.3'] textarea").fill(EVIL_COMMENT)
    form.locator("textarea").last.fill(EVIL_COMMENT)
    tess.get_by_role("button", name="Refer", exact=True).click()
    expect()(status_text(tess)).to_have_text("Saved: Refer.", timeout=TIMEOUT)

    visit(ann, workbench_server)
    ann.locator(".lp-rl__entry-table button", has_text="View").click()
    expect()(ann.locator(".lp-rl__feedback")).to_contain_text(EVIL_COMMENT)
    for page in (ann, tess):
        assert page.evaluate("() => window.pwned") is None
        assert page.locator(".lp-rl img, .lp-rl script:not([type='application/json']), .lp-rl b, .lp-rl a[href^='javascript']").count() == 0

    # The export and the CSV, fetched with each browser's own session.
    portfolio_url = ann.locator(".lp-rl__link", has_text="Download my portfolio").get_attribute("href")
    reply = ann.request.get(workbench_server + portfolio_url)
    assert reply.status == 200
    doc = etree.fromstring(reply.body(), etree.HTMLParser())
    assert doc.xpath("//script") == [] and doc.xpath("//img") == [] and doc.xpath("//a") == []
    assert EVIL_TITLE in doc.xpath("string(//main)") and EVIL_COMMENT in doc.xpath("string(//main)")

    csv_url = tess.locator(".lp-rl__link", has_text="CSV").get_attribute("href")
    rows = list(csv.reader(io.StringIO(tess.request.get(workbench_server + csv_url).text())))
    mine = [row for row in rows if row[0] == learner]
    assert mine and mine[0][2] == "'" + EVIL_TITLE
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert ann.errors == [] and tess.errors == []
