"""An anonymous visitor on a needs assessment in headless Chromium: a sign-in message, no form, no script error."""
import pytest

from tests.browser.axe_check import serious_violations
from tests.browser.test_needs_assessment_browser import HEALTH_CHECK, SATISFACTION, open_scenario

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("number", [HEALTH_CHECK, SATISFACTION])
def test_anonymous_visitors_are_asked_to_sign_in(page, workbench_server, number):
    open_scenario(page, workbench_server, number, "none")
    sign_in = page.locator(".lp-na__signin")
    assert sign_in.is_visible()
    assert "Sign in to answer this questionnaire" in sign_in.text_content()
    assert page.locator(".lp-na__form").count() == 0
    assert page.locator(".lp-na input[type=radio]").count() == 0
    assert page.locator(".lp-na__results").is_hidden()
    assert page.errors == []
    assert serious_violations(page, ".lp-na") == []
