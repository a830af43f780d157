"""The Studio editor in the workbench: a tutor sees validation errors naming the element; nothing is saved."""
import pytest

pytestmark = [pytest.mark.browser]


def test_studio_editor_reports_the_element_at_fault(workbench_server, page):
    page.goto(f"{workbench_server}/scenario/lp_needs_assessment.2/studio_view/?student=tutor")
    # The XML is the editor's Advanced tab (the form editor is the default view since the form editors landed).
    page.get_by_role("tab", name="Advanced (XML)").click()
    editor = page.get_by_label("Instrument (scale, themes with statements and bands, optional stages) as XML")
    original = editor.input_value()
    assert '<theme id="online-study"' in original
    editor.fill(original.replace('upto="3.75"', 'upto="1"', 1))
    # Checked as the author types (the form editors' live validation): the problem is shown next to the XML
    # and Save stays disabled while it remains.
    error = page.locator(".lp-editor__field-error[id$='-xml-error']")
    page.wait_for_function("() => document.querySelector('.lp-editor__field-error[id$=\"-xml-error\"]').textContent.length > 0")
    assert page.get_by_role("button", name="Save").is_disabled()
    assert error.inner_text() == "theme 'online-study': band upto values must increase"
    assert page.evaluate("() => document.activeElement.name") == "instrument_xml"
    assert editor.get_attribute("aria-invalid") == "true"

    page.goto(f"{workbench_server}/scenario/lp_needs_assessment.2/studio_view/?student=tutor")
    page.get_by_role("tab", name="Advanced (XML)").click()
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
