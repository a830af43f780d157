"""The Studio editor in the workbench: a tutor sees validation errors naming the element; nothing is saved."""
import pytest

pytestmark = [pytest.mark.browser]


def test_studio_editor_reports_the_element_at_fault(workbench_server, page):
    page.goto(f"{workbench_server}/scenario/lp_needs_assessment.2/studio_view/?student=tutor")
    editor = page.get_by_label("Instrument (scale, themes with statements and bands, optional stages) as XML")
    original = editor.input_value()
    assert '<theme id="online-study"' in original
    editor.fill(original.replace('upto="3.75"', 'upto="1"', 1))
    page.get_by_role("button", name="Save").click()
    error = page.locator(".lp-na__error[role=alert]")
    error.wait_for()
    page.wait_for_function("() => document.querySelector('.lp-na__error').textContent.length > 0")
    assert error.inner_text() == "theme 'online-study': band upto values must increase"
    assert page.evaluate("() => document.activeElement.name") == "instrument_xml"
    assert editor.get_attribute("aria-invalid") == "true"

    page.goto(f"{workbench_server}/scenario/lp_needs_assessment.2/studio_view/?student=tutor")
    assert page.get_by_label("Instrument (scale, themes with statements and bands, optional stages) as XML").input_value() == original
    assert page.errors == []


def test_studio_save_is_refused_to_a_learner(workbench_server, page):
    page.goto(f"{workbench_server}/scenario/lp_needs_assessment.2/studio_view/?student=learner-x")
    page.get_by_label("Display name").fill("Hijacked")
    page.get_by_role("button", name="Save").click()
    page.wait_for_function("() => document.querySelector('.lp-na__error').textContent.length > 0")
    assert "course authors" in page.locator(".lp-na__error").inner_text()
    page.goto(f"{workbench_server}/scenario/lp_needs_assessment.2/?student=learner-x")
    assert page.locator(".lp-na__title").inner_text() == "Satisfaction survey"
