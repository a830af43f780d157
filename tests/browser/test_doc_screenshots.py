"""
The pictures in the documentation, taken from the real blocks in headless Chromium so they stay current.

For each block, the learner's side and the tutor's side as the workbench serves them (``?student=`` a fresh learner,
``?student=tutor``), each after real work through the page (answers submitted, an entry submitted, moves made) and
each asserting what the picture shows before it is taken. They are written to ``docs/img/`` (used by README.md,
docs/using-the-blocks.md and docs/participants-and-tutors.md); a picture a test did not check is never written.
"""
import re
from pathlib import Path

import pytest

from tests.browser.helpers import wait_for_block

pytestmark = [pytest.mark.browser]

IMAGES = Path(__file__).resolve().parents[2] / "docs" / "img"
TIMEOUT = 15_000
PARAGRAPH = ("The college and the local authority disagreed about who should host the adult learning fair, "
             "so I asked each partner to set out their position before we discussed options. ")
BODY = (PARAGRAPH * 4).strip() + "\n\n" + (PARAGRAPH * 2).strip()


def expect():
    return pytest.importorskip("playwright.sync_api").expect


def learner(block):
    """The pictured participant: one name per block (the same shuffle and page every run), used by no other test."""
    return f"sam-pictured-{block}"


def picture(locator, name, until=None):
    """
    Save the element's picture as a person sees it (from its top to the bottom of ``until`` when given). The
    workbench's own fixed title bar is put back in the flow first, so that it does not cover the block.
    """
    IMAGES.mkdir(parents=True, exist_ok=True)
    page = locator.page
    page.evaluate("""() => document.querySelectorAll('body *').forEach(node => {
        const position = getComputedStyle(node).position;
        if (position === 'fixed' || position === 'sticky') { node.style.position = 'static'; } })""")
    locator.scroll_into_view_if_needed()
    if until is None:
        locator.screenshot(path=str(IMAGES / name), animations="disabled", caret="hide")
    else:
        top, bottom = locator.bounding_box(), until.bounding_box()
        scroll = page.evaluate("() => [window.scrollX, window.scrollY]")
        page.screenshot(path=str(IMAGES / name), full_page=True, animations="disabled", caret="hide", clip={
            "x": top["x"] + scroll[0], "y": top["y"] + scroll[1], "width": top["width"],
            "height": bottom["y"] + bottom["height"] - top["y"]})
    assert (IMAGES / name).stat().st_size > 5_000, name
    return IMAGES / name


def open_block(page, base, scenario, student, root, init):
    page.goto(f"{base}/scenario/{scenario}/?student={student}")
    page.locator(root).first.wait_for()
    wait_for_block(page, init)
    return page.locator(root).first


def test_needs_assessment_learner_results_and_tutor_cohort_report(workbench_server, page):
    student = learner("needs-assessment")
    block = open_block(page, workbench_server, "lp_needs_assessment.1", student, ".lp-na", "LpNeedsAssessment")
    groups = page.locator(".lp-na fieldset.lp-na__statement[data-statement]")
    themes = page.locator(".lp-na fieldset.lp-na__theme > legend").all_text_contents()
    for index in range(groups.count()):
        value = 2 + (index % 4)
        groups.nth(index).locator(f"input[value='{value}']").check()
    form = block.locator("form.lp-na__form")
    expect()(form.locator("input[type=radio]:checked")).to_have_count(groups.count())
    picture(form.locator("fieldset.lp-na__theme").first, "needs-assessment-questionnaire.png")
    page.locator(".lp-na__form button[type=submit]").click()
    results = page.locator(".lp-na__results")
    expect()(results).to_be_visible(timeout=TIMEOUT)
    rows = results.locator("table.lp-na__table tbody tr")
    expect()(rows).to_have_count(len(themes))
    assert [title.strip() for title in rows.locator("th").all_text_contents()] == [t.strip() for t in themes]
    expect()(results).to_contain_text("Recommendations, weakest theme first")
    picture(results, "needs-assessment-learner.png")

    block = open_block(page, workbench_server, "lp_needs_assessment.1", "tutor", ".lp-na", "LpNeedsAssessment")
    cohort = page.locator(".lp-na__cohort")
    page.get_by_role("button", name="Show cohort report").click()
    expect()(cohort.locator("table.lp-na__table tbody tr")).to_have_count(len(themes), timeout=TIMEOUT)
    line = cohort.locator(".lp-na__cohort-body > p").first.text_content()
    assert re.match(r"(1 learner has|\d+ learners have) submitted", line), line
    picture(cohort, "needs-assessment-tutor.png")
    assert page.errors == []


def test_reflective_log_learner_entry_and_tutor_queue(workbench_server, page):
    student = learner("reflective-log")
    open_block(page, workbench_server, "lp_reflective_log.0", student, ".lp-rl", "LpReflectiveLog")
    page.get_by_role("button", name="Write a new entry", exact=True).click()
    page.locator("input[name=title]").fill("Chairing the adult learning fair meeting")
    page.locator("input[name=activity_date]").fill("2026-10-14")
    page.locator("select[name=entry_type]").select_option("workplace")
    page.locator("textarea[name=body]").fill(BODY)
    page.locator("input[name=criteria][value='LPM1-3.1']").check()
    page.locator("input[name=criteria][value='LPM1-3.2']").check()
    expect()(page.locator(".lp-rl__words")).to_contain_text("174 words")
    page.locator("input[name=declaration]").check()  # every submission carries the authenticity declaration
    picture(page.locator(".lp-rl__form").first, "reflective-log-learner.png")
    page.get_by_role("button", name="Submit for marking", exact=True).click()
    expect()(page.locator(".lp-rl__status")).to_have_text("Entry submitted for marking.", timeout=TIMEOUT)
    expect()(page.locator(".lp-rl__entry-table tbody tr td").nth(1)).to_have_text("Submitted, waiting to be marked")

    open_block(page, workbench_server, "lp_reflective_log.0", "tutor", ".lp-rl", "LpReflectiveLog")
    row = page.locator(".lp-rl__queue-table tbody tr", has=page.locator("td", has_text=student))
    expect()(row).to_have_count(1, timeout=TIMEOUT)
    expect()(row).to_contain_text("Chairing the adult learning fair meeting")
    picture(page.locator(".lp-rl__tutor").first, "reflective-log-tutor.png")
    assert page.errors == []


def test_facilitation_learner_scene_and_tutor_choice_report(workbench_server, page):
    student = learner("facilitation")
    page.goto(f"{workbench_server}/scenario/lp_facilitation_exercise.0/?student={student}")
    page.wait_for_function("() => document.querySelector('.lp-fx__stage h3') !== null")
    block = page.locator(".lp-fx").first
    scene = page.locator(".lp-fx__scene")
    expect()(scene.locator("fieldset input[type=radio]").first).to_be_visible()
    moves = scene.locator("fieldset label").count()
    assert moves >= 2
    scene.locator("fieldset input[type=radio]").first.check()
    expect()(scene.locator("fieldset legend")).not_to_be_empty()
    picture(block.locator(".lp-fx__stage"), "facilitation-learner.png")
    page.locator(".lp-fx__make-move").click()
    feedback = page.locator(".lp-fx__feedback")
    expect()(feedback).to_be_visible(timeout=TIMEOUT)
    assert feedback.inner_text().strip()

    page.goto(f"{workbench_server}/scenario/lp_facilitation_exercise.0/?student=tutor")
    page.wait_for_function("() => document.querySelector('.lp-fx__stage h3') !== null")
    report = page.locator(".lp-fx__report")
    page.get_by_role("button", name="Show choice report").click()
    tables = report.locator("table")
    expect()(tables.last.locator("caption")).to_have_text("Endings reached", timeout=TIMEOUT)
    assert re.match(r"(1 learner has|\d+ learners have) begun", report.locator(".lp-fx__report-body > p").inner_text())
    picture(report, "facilitation-tutor.png", until=tables.first)
    assert page.errors == []
