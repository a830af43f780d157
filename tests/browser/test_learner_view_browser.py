"""
The tutors' learner view in Chromium: after a participant saves an action plan, a tutor looks the participant up
from a reflective log and sees all of their work in the course (the exercise and its plan), with a link to the
whole-programme portfolio; axe stays clean. A participant's own page links to their whole-programme portfolio.
"""
import uuid

import pytest

from tests.browser.axe_check import serious_violations
from tests.browser.helpers import wait_for_block

pytestmark = [pytest.mark.browser]

TIMEOUT = 10_000


def expect():
    return pytest.importorskip("playwright.sync_api").expect


def test_a_tutor_sees_a_learners_whole_programme(workbench_server, page):
    student = f"whole-{uuid.uuid4().hex[:8]}"
    page.goto(f"{workbench_server}/scenario/lp_facilitation_exercise.1/?student={student}")
    wait_for_block(page, "LpFacilitationExercise")
    cells = page.locator(".lp-fx__plan-row").first.locator("input")
    for position, text in enumerate(["Ask the college to co-chair", "Steering group", "Partnership manager", "ongoing"]):
        cells.nth(position).fill(text)
    page.get_by_role("button", name="Save action plan").click()
    expect()(page.locator(".lp-fx__status")).to_have_text("Action plan saved.", timeout=TIMEOUT)

    page.goto(f"{workbench_server}/scenario/lp_reflective_log.1/?student={student}")
    wait_for_block(page, "LpReflectiveLog")
    own = page.get_by_role("link", name="Download my whole-programme portfolio", exact=False)
    assert "programme_portfolio_html" in own.get_attribute("href")

    page.goto(f"{workbench_server}/scenario/lp_reflective_log.1/?student=tutor")
    wait_for_block(page, "LpReflectiveLog")
    page.get_by_label("Learner's username").fill(student)
    page.get_by_role("button", name="Show portfolio").click()
    view = page.locator(".lp-rl__programme")
    expect()(view).to_contain_text(f"All of {student}'s work in the course", timeout=TIMEOUT)
    expect()(view).to_contain_text("Ask the college to co-chair \u2014 Steering group \u2014 Partnership manager \u2014 ongoing")
    link = page.get_by_role("link", name=f"Download {student}'s whole-programme portfolio (HTML)")
    assert f"learner={student}" in link.get_attribute("href")
    found = serious_violations(page, ".lp-rl")
    assert not found, "learner view:\n" + "\n".join(found)
    assert page.errors == []
