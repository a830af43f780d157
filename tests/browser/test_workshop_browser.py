"""
The workshop block in headless Chromium, served by the real workbench (``/scenario/lp_workshop.0/``: the
"london" session has one place, "online" twelve). A learner signs up in one browser context while a tutor takes
the register in another; axe checks both sides; the learner downloads the calendar entry. Each test uses its own
learners because the server's database is shared by the whole session.
"""
import uuid

import pytest

from tests.browser.axe_check import serious_violations
from tests.browser.helpers import wait_for_block

pytestmark = [pytest.mark.browser]

TIMEOUT = 10_000
ONLINE, LONDON = "Chairing workshop, online", "Chairing workshop, London"


def expect():
    return pytest.importorskip("playwright.sync_api").expect


def axe_clean(page, when):
    pytest.importorskip("axe_playwright_python")
    found = serious_violations(page, ".lp-ws")
    assert not found, f"{when}:\n" + "\n".join(found)


@pytest.fixture
def contexts(chromium):
    """``open(student, width=1100)``: a page in a browser context of its own, on the workshop scenario."""
    made = []

    def open_(base, student, width=1100):
        context = chromium.new_context(viewport={"width": width, "height": 800})
        made.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(f"{base}/scenario/lp_workshop.0/?student={student}")
        wait_for_block(page, "LpWorkshop")
        page.locator(".lp-ws[data-ready=true]").wait_for()
        return page

    yield open_
    for context in made:
        context.close()


def card(page, title):
    return page.locator(".lp-ws__session", has=page.get_by_role("heading", name=title, exact=True))


def fits(page):
    return page.evaluate("""() => { const root = document.querySelector('.lp-ws');
        const width = document.documentElement.clientWidth;
        return [...root.querySelectorAll('*')].every(node => {
            const box = node.getBoundingClientRect();
            if (box.width === 0 || box.right <= width + 0.5) return true;
            for (let up = node.parentElement; up && up !== root.parentElement; up = up.parentElement) {
                if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(up).overflowX)) return true;
            }
            return false;
        }); }""")


def test_a_learner_signs_up_and_a_tutor_records_their_attendance(workbench_server, contexts):
    student = f"ws-{uuid.uuid4().hex[:8]}"
    learner = contexts(workbench_server, student)
    status = learner.locator(".lp-ws__status")
    assert status.get_attribute("aria-live") == "polite"
    session = card(learner, ONLINE)
    expect()(session).to_contain_text("Tue 19 Mar 2030, 14:00 to 16:00 GMT (Europe/London)")
    axe_clean(learner, "learner before signing up")

    learner.get_by_role("button", name=f"Sign up for {ONLINE}").click()
    expect()(status).to_have_text(f"You have a place in {ONLINE}.", timeout=TIMEOUT)
    expect()(session).to_contain_text("You have a place.")
    expect()(session.locator(".lp-ws__reminder")).to_have_text(f"Reminder: complete the pre-work before {ONLINE}.")
    cancel = learner.get_by_role("button", name=f"Cancel my place in {ONLINE}")
    expect()(cancel).to_be_focused()  # focus stays on the session's action
    axe_clean(learner, "learner with a place")

    ics = session.get_by_role("link", name=f"Add {ONLINE} to my calendar (.ics)")
    reply = learner.request.get(workbench_server + ics.get_attribute("href"))
    assert reply.status == 200 and reply.headers["content-type"].startswith("text/calendar")
    assert "DTSTART:20300319T140000Z" in reply.text() and "\r\n" in reply.text()

    tutor = contexts(workbench_server, "tutor")
    tutor_card = card(tutor, ONLINE)
    expect()(tutor_card.locator(".lp-ws__notes summary")).to_have_text("Facilitator notes (staff only)")
    tutor_card.locator(".lp-ws__register summary").click()
    mark = tutor_card.get_by_label(student, exact=True)
    mark.wait_for(timeout=TIMEOUT)
    leaving = "() => !window.dispatchEvent(new Event('beforeunload', {cancelable: true}))"
    assert not tutor.evaluate(leaving)
    mark.select_option("attended")
    assert tutor.evaluate(leaving), "leaving with unsaved register marks must ask first"
    tutor_card.get_by_role("button", name="Save the register").click()
    expect()(tutor.locator(".lp-ws__status")).to_contain_text("Register saved:", timeout=TIMEOUT)
    assert not tutor.evaluate(leaving)
    expect()(tutor_card.get_by_label(student, exact=True)).to_have_value("attended")
    csv = tutor_card.get_by_role("link", name=f"Download the register for {ONLINE} (CSV)")
    reply = tutor.request.get(workbench_server + csv.get_attribute("href"))
    assert reply.status == 200 and f"{student},{student},booked,attended,tutor" in reply.text()
    axe_clean(tutor, "tutor with the register open")

    learner.reload()
    learner.locator(".lp-ws[data-ready=true]").wait_for()
    expect()(card(learner, ONLINE)).to_contain_text("You attended this session.")
    assert learner.errors == [] and tutor.errors == []


def test_the_waiting_list_at_320_px(workbench_server, contexts):
    first, second = (f"wl-{uuid.uuid4().hex[:8]}" for _ in range(2))
    pages = [contexts(workbench_server, name, width=320) for name in (first, second)]
    for page in pages:
        button = card(page, LONDON).locator(".lp-ws__actions button")
        button.click()
        expect()(page.locator(".lp-ws__status")).not_to_be_empty(timeout=TIMEOUT)
    # However many places earlier learners took, the second of these two is behind the first.
    second_card = card(pages[1], LONDON)
    expect()(second_card.locator(".lp-ws__mine")).to_contain_text("on the waiting list")
    assert fits(pages[1]), "the workshop sticks out sideways at 320 px"
    axe_clean(pages[1], "waiting at 320 px")
    pages[0].reload()
    pages[0].locator(".lp-ws[data-ready=true]").wait_for()
    leave = card(pages[0], LONDON).locator(".lp-ws__actions button")
    leave.click()
    expect()(pages[0].locator(".lp-ws__status")).not_to_be_empty(timeout=TIMEOUT)
    tutor = contexts(workbench_server, "tutor", width=320)
    tutor_card = card(tutor, LONDON)
    tutor_card.locator(".lp-ws__register summary").click()
    tutor_card.locator("table").wait_for(timeout=TIMEOUT)
    assert fits(tutor), "the register sticks out sideways at 320 px"
    axe_clean(tutor, "register at 320 px")
