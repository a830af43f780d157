"""
The workshop's Studio form editor in headless Chromium, in a Studio-shaped page (jQuery-wrapped elements): a
session is added with the form, a session without a place or online link is refused at its field, the saved
workshop shows the new session to learners; axe finds no serious problem.
"""
import pytest

from tests.browser.test_studio_editors import axe_clean, checked, click, field, open_editor, save, studio, valid  # noqa: F401  pylint: disable=unused-import

pytestmark = [pytest.mark.browser]


def test_add_a_session_with_the_form_and_see_it_as_a_learner(private_workbench, studio):  # noqa: F811  pylint: disable=redefined-outer-name
    base, _ = private_workbench
    page = studio
    open_editor(page, base, "lp_workshop.0")
    valid(page)
    axe_clean(page, "workshop editor")
    click(page, "Add Session")
    for name, value in (("id", "evening"), ("title", "Chairing workshop, evening"), ("module", "Induction"),
                        ("start", "2030-04-02T18:00"), ("end", "2030-04-02T20:00"), ("capacity", "8")):
        field(page, f"sessions.2.{name}").fill(value)
    checked(page)
    problems = page.locator(".lp-editor__problem-list").inner_text()
    assert "give a place, an online link, or both" in problems, problems
    field(page, "sessions.2.online").fill("https://meet.example.org/evening")
    valid(page)
    # The preview lists the sessions by title.
    assert "Chairing workshop, evening" in page.locator(".lp-editor__preview").inner_text()
    save(page)
    page.goto(f"{base}/scenario/lp_workshop.0/?student=studio-learner")
    page.locator(".lp-ws[data-ready=true]").wait_for()
    evening = page.locator(".lp-ws__session[data-session=evening]")
    assert "Tue 02 Apr 2030, 18:00 to 20:00 BST (Europe/London)" in evening.inner_text()
    assert page.errors == []
