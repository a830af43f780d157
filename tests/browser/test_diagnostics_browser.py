"""
Issue 15 in headless Chromium on the real workbench: "don't know" and stage placement on the health check,
two people rating one partnership (create, code, join, the manager's combined view), and a satisfaction
survey that ends with thanks and the learner's own ratings. Each test uses its own learners (shared server).
"""
import re

import pytest

from tests.browser.axe_check import serious_violations
from tests.browser.test_needs_assessment_browser import (
    HEALTH_CHECK, SATISFACTION, TIMEOUT, check_all, expect, learner, open_scenario, statement_groups,
)

pytestmark = [pytest.mark.browser]


@pytest.fixture
def browser_context_pages(chromium):
    """Two people in two browser contexts (their own cookies), errors collected as the ``page`` fixture does."""
    contexts, pages = [], []
    for _ in range(2):
        context = chromium.new_context(viewport={"width": 1100, "height": 900})
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error, page=page: page.errors.append(str(error)))
        contexts.append(context)
        pages.append(page)
    yield pages
    for context in contexts:
        context.close()


def test_dont_know_and_stage_placement(workbench_server, page):
    open_scenario(page, workbench_server, HEALTH_CHECK, learner("place"))
    ids = [sid for _title, group in statement_groups(page) for sid, _name, _values in group]
    # The first theme (Leadership, four statements) entirely "don't know"; the rest 3.
    leadership = statement_groups(page)[0][1]
    unknown = {sid for sid, _name, _values in leadership}
    check_all(page, lambda _index, sid: "dont_know" if sid in unknown else 3)
    assert len(ids) == 55
    page.get_by_label("The partnership as a whole").select_option(label="Collaboration")
    page.get_by_label("Provision for young people (14-19)").select_option(label="Co-existence")
    page.locator(".lp-na__form button[type=submit]").click()
    results = page.locator(".lp-na__results")
    expect()(results).to_be_visible(timeout=TIMEOUT)
    expect()(results.locator(".lp-na__dont-know")).to_contain_text("4")
    placements = results.locator(".lp-na__placements li").all_inner_texts()
    assert placements[0] == "The partnership as a whole: Collaboration"
    assert "Adult outreach and widening participation: not placed" in placements
    assert "Provision for young people (14-19): Co-existence" in placements
    expect()(results.locator("tbody tr", has_text="Leadership")).to_contain_text("not scored")
    assert page.errors == []


def test_two_people_rate_one_partnership(workbench_server, browser_context_pages):
    manager_page, partner_page = browser_context_pages
    manager, partner = learner("mgr"), learner("partner")
    open_scenario(manager_page, workbench_server, HEALTH_CHECK, manager)
    forms = manager_page.locator(".lp-na__partnership-forms")
    expect()(forms).to_be_visible(timeout=TIMEOUT)
    manager_page.get_by_label("Partnership name (you are its manager)").fill("Tendring <b>LSP</b>")
    manager_page.get_by_role("button", name="Create partnership and get a code").click()
    member = manager_page.locator("[id$='-partnership-member']")
    expect()(member).to_contain_text("Partners join with the code", timeout=TIMEOUT)
    code = re.search(r"code ([A-Z0-9]{8})", member.inner_text()).group(1)
    assert manager_page.locator(".lp-na__partnership b").count() == 0    # the name is text

    open_scenario(partner_page, workbench_server, HEALTH_CHECK, partner)
    partner_page.get_by_label("Code from your partnership manager").fill(code.lower())
    partner_page.get_by_role("button", name="Join as a partner").click()
    expect()(partner_page.locator("[id$='-partnership-member']")).to_contain_text("as a partner", timeout=TIMEOUT)
    expect()(partner_page.get_by_role("button", name="Show all raters' views combined")).to_be_hidden()

    for page, value in ((manager_page, 5), (partner_page, 1)):
        check_all(page, lambda _index, _sid, value=value: value)
        page.locator(".lp-na__form button[type=submit]").click()
        expect()(page.locator(".lp-na__results")).to_be_visible(timeout=TIMEOUT)

    manager_page.get_by_role("button", name="Show all raters' views combined").click()
    combined = manager_page.locator(".lp-na__combined")
    # One partner is fewer than the workbench scenario's minimum (3): the partners' figures are withheld.
    expect()(combined).to_contain_text("Fewer than 3 partners have answered", timeout=TIMEOUT)
    first_row = combined.locator("tbody tr").first.locator("td").all_inner_texts()
    assert first_row[0] == "5" and first_row[1:] == ["-", "-", "-", "-"]
    assert serious_violations(manager_page, ".lp-na") == []
    assert manager_page.errors == [] and partner_page.errors == []


def test_satisfaction_survey_thanks_and_shows_own_ratings(workbench_server, page):
    open_scenario(page, workbench_server, SATISFACTION, learner("sat"))
    check_all(page, lambda index, _sid: "dont_know" if index == 0 else 4)
    comment = page.locator(".lp-na__comment-text").first
    comment.fill("More <i>case studies</i>, please")
    assert page.locator(".lp-na__comment-text").count() == len(statement_groups(page))
    page.locator(".lp-na__form button[type=submit]").click()
    results = page.locator(".lp-na__results")
    expect()(results).to_be_visible(timeout=TIMEOUT)
    expect()(page.locator(".lp-na__status")).to_contain_text("Thank you", timeout=TIMEOUT)
    expect()(results).to_contain_text("Don't know / not applicable")
    expect()(results).to_contain_text("4 (Agree)")
    for absent in ("Overall score", "Recommendations", "Band"):
        assert absent not in results.inner_text()
    assert results.locator("table, svg").count() == 0
    assert serious_violations(page, ".lp-na") == []
    assert page.errors == []


@pytest.mark.parametrize("scenario", [HEALTH_CHECK, SATISFACTION])
def test_new_fields_fit_a_320_px_screen(workbench_server, page, scenario):
    page.set_viewport_size({"width": 320, "height": 640})
    open_scenario(page, workbench_server, scenario, learner("narrow"))
    selector = ".lp-na__placement-select, .lp-na__comment-text, .lp-na__partnership-form input"
    page.locator(".lp-na__partnership-forms").evaluate("el => { el.hidden = false; }") if scenario == HEALTH_CHECK else None
    # Each field stays on screen and uses the width it has (the text of a comment is readable as typed).
    boxes = page.locator(selector).evaluate_all("""els => els.map(el => {
        const box = el.getBoundingClientRect(), room = el.parentElement.getBoundingClientRect();
        return [Math.round(box.right), Math.round(box.width), Math.round(room.width)]; })""")
    assert boxes and all(right <= 320 for right, _width, _room in boxes), boxes
    assert all(width >= 0.95 * room for _right, width, room in boxes), boxes


def test_learning_needs_recommendations_link_to_course_units(workbench_server, page):
    from tests.browser.test_needs_assessment_browser import LEARNING_NEEDS  # pylint: disable=import-outside-toplevel
    open_scenario(page, workbench_server, LEARNING_NEEDS, learner("links"))
    check_all(page, lambda _index, _sid: 1)
    page.locator(".lp-na__form button[type=submit]").click()
    expect()(page.locator(".lp-na__recommendations li")).to_have_count(4, timeout=TIMEOUT)
    hrefs = page.locator(".lp-na__recommendations a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    # Every theme's "priority" band names its modules' units: "(/jump_to_id/leadership-phases)" and so on.
    assert len(hrefs) >= 8 and all(href.startswith("/jump_to_id/") for href in hrefs), hrefs
    assert "/jump_to_id/leadership-phases" in hrefs and "/jump_to_id/budget-funding" in hrefs
    assert page.errors == []
