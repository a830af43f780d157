"""
Every page works on a phone: at 320 and 390 px wide no block scenario (as a learner and as a tutor with the
tutors' reports open), no course unit with a block, and not the MI report scrolls sideways
(``scrollWidth <= clientWidth``); chart text is at least 12 px; tables reflow or scroll inside their own
labelled, focusable region. Checked in Chromium.
"""
import uuid

import pytest

from lp_programme.course_tree import load_course
from tests.browser.helpers import wait_for_block
from tests.browser.test_mi_report_browser import report  # noqa: F401  pylint: disable=unused-import  # the fixture

pytestmark = [pytest.mark.browser]

WIDTHS = (320, 390)
SCENARIOS = [("lp_needs_assessment", n, "LpNeedsAssessment") for n in range(3)] + \
            [("lp_reflective_log", n, "LpReflectiveLog") for n in range(2)] + \
            [("lp_facilitation_exercise", n, "LpFacilitationExercise") for n in range(3)] + \
            [("lp_mentoring", 0, "LpMentoring")] + \
            [("lp_learning_activity", 0, "LpLearningActivity")] + \
            [("lp_workshop", 0, "LpWorkshop")]
UNITS = [unit.url_name for _chapter, _sequential, unit in load_course().units()
         if any(component.tag.startswith("lp_") for component in unit.components)]
REPORT_BUTTONS = ".lp-na__button[id$=-cohort-load], [id$=-report-load], .lp-ws__register summary"


def expect():
    return pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def phone(chromium):
    """``phone(width)``: a page of a phone-sized browser context with touch."""
    contexts = []

    def make(width):
        # A window as narrow as a phone (the SDK's scenario page has no viewport meta, so mobile emulation
        # would lay it out 980 px wide; an LMS page has one).
        context = chromium.new_context(viewport={"width": width, "height": 740}, has_touch=True)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()


def overflow(page, scope=None):
    """
    What sticks out sideways: the page's (or, for the SDK's scenario pages, whose own header and debug panel are
    not ours, the block's) scroll and client widths, and the first elements inside that end past the viewport.
    """
    return page.evaluate("""(scope) => {
        const width = document.documentElement.clientWidth;
        const root = scope ? document.querySelector(scope) : document.documentElement;
        const culprits = [...root.querySelectorAll('*')].filter(node => {
            const box = node.getBoundingClientRect();
            if (box.right <= width + 0.5 || box.width === 0) return false;
            for (let up = node.parentElement; up && up !== root.parentElement; up = up.parentElement) {
                if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(up).overflowX)) return false;
            }
            return true;
        }).slice(0, 5).map(node => node.tagName.toLowerCase() + '.' + String(node.className).slice(0, 40) + ' ' +
                           Math.round(node.getBoundingClientRect().right));
        const right = Math.round(root.getBoundingClientRect().right);
        return {scroll: Math.max(root.scrollWidth, right), client: scope ? width : root.clientWidth, culprits};
    }""", scope)


def scroll_regions_are_labelled_and_focusable(page):
    """Every element that scrolls sideways inside a block is a labelled region reachable by keyboard."""
    bad = page.evaluate("""() => [...document.querySelectorAll('.xblock *')].filter(node => {
        const style = getComputedStyle(node);
        return ['auto', 'scroll'].includes(style.overflowX) && node.scrollWidth > node.clientWidth + 1;
    }).filter(node => !(node.getAttribute('role') === 'region' && node.getAttribute('aria-label')
                        && node.tabIndex >= 0)).map(node => node.outerHTML.slice(0, 80))""")
    assert bad == []


def small_chart_text(page):
    """Chart labels rendered smaller than 12 CSS px."""
    return page.evaluate("""() => [...document.querySelectorAll('svg text')].filter(text => {
        const box = text.getBoundingClientRect();
        return box.height > 0 && parseFloat(getComputedStyle(text).fontSize) * (text.getScreenCTM() || {a: 1}).a < 11.5;
    }).map(text => text.textContent.slice(0, 30))""")


def clipped_chart_labels(page):
    """Chart labels that run outside their drawing."""
    return page.evaluate("""() => [...document.querySelectorAll('svg text')].filter(text => {
        const svg = text.ownerSVGElement.getBoundingClientRect(), box = text.getBoundingClientRect();
        return box.width > 0 && (box.left < svg.left - 1 || box.right > svg.right + 1);
    }).map(text => text.textContent.slice(0, 30))""")


def check(page, where, scope=None):
    found = overflow(page, scope)
    assert found["scroll"] <= found["client"] and not found["culprits"], f"{where}: {found}"
    scroll_regions_are_labelled_and_focusable(page)
    assert small_chart_text(page) == [], where
    assert clipped_chart_labels(page) == [], where


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("block, number, init", SCENARIOS)
def test_every_scenario_fits_a_phone(workbench_server, phone, width, block, number, init):
    student = f"phone-{uuid.uuid4().hex[:8]}"
    for who in (student, "tutor"):
        page = phone(width)
        page.goto(f"{workbench_server}/scenario/{block}.{number}/?student={who}")
        wait_for_block(page, init)
        if who == "tutor":
            for button in page.locator(REPORT_BUTTONS).all():
                button.click()
            page.wait_for_function("() => ![...document.querySelectorAll('[aria-busy=true]')].length"
                                   " && !/Loading/.test(document.body.innerText)")
            if init == "LpReflectiveLog":
                page.locator(".lp-rl__queue table, .lp-rl__queue .lp-rl__note").first.wait_for()
        elif init == "LpNeedsAssessment":
            # The results (table and chart) as well as the questionnaire.
            for group in page.locator(".lp-na__statement").all():
                group.locator("input[type=radio]").nth(1).check()
            page.locator(".lp-na__form button[type=submit]").click()
            page.locator(".lp-na__results:not([hidden])").wait_for()
        check(page, f"{block}.{number} as {who} at {width}px", scope=".workbench .xblock-v1")
        assert page.errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_every_course_unit_with_a_block_fits_a_phone(workbench_server, phone, width):
    student = f"phone-{uuid.uuid4().hex[:8]}"
    page = phone(width)
    for unit in UNITS:
        page.goto(f"{workbench_server}/course/{unit}/?student={student}")
        page.wait_for_function("() => [...document.querySelectorAll('.xblock-v1[data-init]')].every("
                               "node => window.jQuery && jQuery(node).prop('xblock_children') !== undefined)")
        check(page, f"course unit {unit} at {width}px")
    assert page.errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_mi_report_fits_a_phone(phone, report, width):  # pylint: disable=redefined-outer-name
    page = phone(width)
    page.goto(report.as_uri())
    found = overflow(page)
    assert found["scroll"] <= found["client"] and not found["culprits"], found
    # Its charts keep their drawn size (text at least 12 px) and scroll inside their figure instead.
    small = page.evaluate("""() => [...document.querySelectorAll('figure.chart svg text')].filter(text =>
        parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a < 11.5).map(text => text.textContent)""")
    assert small == []
