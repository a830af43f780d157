"""
Studio and the LMS may hand a block's initialiser a jQuery-wrapped element (Studio's
``XBlock.initializeBlock($(...))``; the v2 iframe keeps that contract). Every block's ``studio_view`` and
``student_view`` must start and work with one, and must give ``runtime.handlerUrl`` back the very object the
runtime passed.

jQuery is really on the page: the SDK workbench loads its own jQuery (2.2.x, the line edx-platform ships) in
every block page, from the xblock-sdk wheel (no CDN is reachable, and none is needed). The workbench runtime
(``/static/workbench/js/runtime/1.js``) is served here in a Studio-shaped form: the initialiser receives
``$(element)`` instead of the DOM element, and ``handlerUrl`` records the element object it is given.
"""
import re
import uuid

import pytest

pytestmark = [pytest.mark.browser]

TIMEOUT = 10_000

# What Studio's runtime does differently from the SDK's: the block's element reaches the initialiser wrapped
# by jQuery; handlerUrl is recorded so the test can check it got the initialiser's own object back.
RECORDER = """
;(function () {
  window.lpInits = window.lpInits || [];
  window.lpHandlerUrlElements = window.lpHandlerUrlElements || [];
  var v1 = RuntimeProvider.versions[1], handlerUrl = v1.handlerUrl;
  v1.handlerUrl = function (block) {
    window.lpHandlerUrlElements.push(block);
    return handlerUrl.apply(this, arguments);
  };
}());
"""
WRAP = "(window.lpInits.push($(element)), window.lpInits[window.lpInits.length - 1])"


def studio_shaped(route):
    """Serve the SDK runtime with jQuery-wrapped elements passed to the initialisers."""
    original = route.fetch().text()
    patched, count = re.subn(r"new initFn\(runtime, element(\)|, data\))",
                             lambda m: "new initFn(runtime, " + WRAP + m.group(1), original)
    assert count == 2, "the workbench runtime changed: update the Studio-shaped patch"
    route.fulfill(body=patched + RECORDER,
                  content_type="application/javascript")


@pytest.fixture
def studio_page(page):
    page.route("**/static/workbench/js/runtime/1.js", studio_shaped)
    return page


def started(page, init_name):
    """Wait for the block's initialiser to have been called with a jQuery object and not to have thrown."""
    page.wait_for_function(
        "(name) => window.lpInits && window.lpInits.length > 0 && window.jQuery"
        " && document.querySelector(`.xblock-v1[data-init=${name}]`) !== null",
        arg=init_name)
    facts = page.evaluate("""(name) => ({
        jquery: window.jQuery.fn.jquery,
        wrapped: window.lpInits.every(e => e instanceof window.jQuery && e.length === 1),
        inits: window.lpInits.map(e => e.attr('data-init'))})""", init_name)
    assert facts["jquery"].startswith("2."), facts
    assert facts["wrapped"] and init_name in facts["inits"], facts
    assert page.errors == [], page.errors


def handler_urls_got_the_wrapped_element(page):
    return page.evaluate("""() => window.lpHandlerUrlElements.length > 0 && window.lpHandlerUrlElements.every(
        e => window.lpInits.indexOf(e) !== -1)""")


STUDIO = [
    ("lp_needs_assessment.2", "LpStudioEditor", ".lp-na__status", ".lp-na__title"),
    ("lp_reflective_log.0", "LpStudioEditor", ".lp-rl__status", ".lp-rl__title"),
    ("lp_facilitation_exercise.1", "LpStudioEditor", ".lp-fx__status", ".lp-fx__title"),
    ("lp_learning_activity.0", "LpLearningActivityStudio", ".lp-act--studio .lp-act__status", ".lp-act__title"),
]


@pytest.mark.parametrize("scenario,init,status,title", STUDIO, ids=[s[0].split(".")[0] for s in STUDIO])
def test_studio_view_saves_with_a_jquery_wrapped_element(private_workbench, studio_page, scenario, init, status,
                                                         title):
    base, _ = private_workbench
    page = studio_page
    page.goto(f"{base}/scenario/{scenario}/studio_view/?student=tutor")
    started(page, init)
    name = f"Edited in Studio {uuid.uuid4().hex[:6]}"
    page.get_by_label("Display name").fill(name)
    page.get_by_role("button", name="Save").click()
    page.wait_for_function("(sel) => document.querySelector(sel).textContent === 'Saved.'", arg=status,
                           timeout=TIMEOUT)
    assert handler_urls_got_the_wrapped_element(page)
    assert page.errors == []

    page.goto(f"{base}/scenario/{scenario}/?student=tutor")
    page.wait_for_function("(sel) => document.querySelector(sel) !== null", arg=title)
    assert page.locator(title).first.inner_text() == name


def test_needs_assessment_student_view_with_a_jquery_wrapped_element(private_workbench, studio_page):
    base, _ = private_workbench
    page = studio_page
    page.goto(f"{base}/scenario/lp_needs_assessment.0/?student=learner-{uuid.uuid4().hex[:8]}")
    started(page, "LpNeedsAssessment")
    page.evaluate("""() => document.querySelectorAll('.lp-na fieldset.lp-na__statement').forEach(group => {
        const radios = group.querySelectorAll('input[type=radio]'); radios[radios.length - 1].checked = true; })""")
    page.get_by_role("button", name="Submit").click()
    page.locator(".lp-na__results").wait_for(state="visible", timeout=TIMEOUT)
    assert page.locator(".lp-na__results-body li, .lp-na__results-body tr").count() > 0
    assert handler_urls_got_the_wrapped_element(page)
    assert page.errors == []


def test_facilitation_student_view_with_a_jquery_wrapped_element(private_workbench, studio_page):
    base, _ = private_workbench
    page = studio_page
    page.goto(f"{base}/scenario/lp_facilitation_exercise.0/?student=learner-{uuid.uuid4().hex[:8]}")
    started(page, "LpFacilitationExercise")
    page.locator(".lp-fx__scene input[type=radio]").first.check()
    page.get_by_role("button", name="Make this move").click()
    page.locator(".lp-fx__feedback").wait_for(state="visible", timeout=TIMEOUT)
    assert page.locator(".lp-fx__feedback-text").inner_text().strip()
    assert handler_urls_got_the_wrapped_element(page)
    assert page.errors == []


def test_reflective_log_student_view_with_a_jquery_wrapped_element(private_workbench, studio_page):
    base, _ = private_workbench
    page = studio_page
    page.goto(f"{base}/scenario/lp_reflective_log.0/?student=writer-{uuid.uuid4().hex[:8]}")
    started(page, "LpReflectiveLog")
    page.get_by_role("button", name="Write a new entry", exact=True).click()
    page.locator("input[name=title]").fill("Chairing the fair meeting")
    page.locator("input[name=activity_date]").fill("2026-10-14")
    page.locator("textarea[name=body]").fill("A first note before I forget the details.")
    page.get_by_role("button", name="Save draft", exact=True).click()
    page.wait_for_function("() => document.querySelector('.lp-rl__status').textContent === 'Draft saved.'",
                           timeout=TIMEOUT)
    assert page.locator(".lp-rl__entry-table tbody tr").count() == 1
    assert handler_urls_got_the_wrapped_element(page)
    assert page.errors == []


def test_learning_activity_student_view_with_a_jquery_wrapped_element(private_workbench, studio_page):
    base, _ = private_workbench
    page = studio_page
    page.goto(f"{base}/scenario/lp_learning_activity.0/?student=learner-{uuid.uuid4().hex[:8]}")
    started(page, "LpLearningActivity")
    page.get_by_label("Your response").fill("The protocol is strong; the budget is weak.")
    page.get_by_role("button", name="Save response").click()
    page.locator(".lp-act__commentary").wait_for(state="visible", timeout=TIMEOUT)
    assert "Most partnerships find" in page.locator(".lp-act__commentary").inner_text()
    assert handler_urls_got_the_wrapped_element(page)
    assert page.errors == []
