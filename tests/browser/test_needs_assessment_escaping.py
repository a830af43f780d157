"""The block's JavaScript puts every text on the page as text: no markup, no script, only safe links."""
import importlib.resources

import pytest

pytestmark = [pytest.mark.browser]

COMMON = importlib.resources.files("lp_xblocks.common").joinpath("static", "lp_common.js").read_text("utf-8")
SCRIPT = importlib.resources.files("lp_xblocks.needs_assessment").joinpath("static", "needs_assessment.js").read_text("utf-8")

EVIL = '<img src=x onerror="window.pwned=1">'

PAGE = """<!DOCTYPE html><html lang="en"><head><title>escaping</title></head><body>
<div class="xblock" id="wrapper"><div class="lp-na" id="p1">{data}
  <div class="lp-na__status" role="status" aria-live="polite"></div>
  <section class="lp-na__results" hidden><h3 class="lp-na__results-heading" tabindex="-1">Results</h3>
  <div class="lp-na__results-body"></div></section>
</div></div></body></html>"""

RESULT = {
    "attempt": 2, "overall": 2.5, "stage": EVIL,
    "themes": [
        {"id": "t1", "title": EVIL, "score": 2.0, "band": "<b>bold</b>", "change_since_first": 0.5,
         "recommendation": "See /jump_to_id/unit-1, https://example.org/guide. Not javascript:alert(1) nor //evil.example/x"},
        {"id": "t2", "title": "Trust & openness", "score": 3.0, "band": "Developing", "change_since_first": None,
         "recommendation": "<script>window.pwned=2</script>"},
    ],
    "recommendations": ["t1", "t2"],
    "history": [{"attempt": 1, "submitted_at": "2026-01-01T10:00:00", "overall": 2.0},
                {"attempt": 2, "submitted_at": "2026-02-01T10:00:00", "overall": 2.5}],
}

STRINGS = {key: key + " {score}{max}{stage}{attempt}{date}{overall}" for key in (
    "results overall stage theme score band change noChange tableCaption chartTitle chartDesc recommendations "
    "history attemptLine retake submit submitting submitted missing failed network cohortHeading cohortLearners "
    "cohortMean cohortRespondents loading cohortFailed").split()}


def test_results_render_free_text_as_text(page):
    from django.utils.html import json_script  # pylint: disable=import-outside-toplevel  # as the template does

    data = {"max": 5, "allowRetake": False, "result": RESULT, "strings": STRINGS}
    page.set_content(PAGE.replace("{data}", json_script(data, "p1-data")))
    page.add_script_tag(content=COMMON)
    page.add_script_tag(content=SCRIPT)
    page.evaluate("() => LpNeedsAssessment({handlerUrl: () => '/none'}, document.getElementById('wrapper'), {prefix: 'p1'})")
    block = page.locator(".lp-na")
    assert block.locator("img").count() == 0
    assert block.locator("script:not([type='application/json'])").count() == 0
    assert block.locator("b").count() == 0
    assert page.evaluate("() => window.pwned") is None
    table_text = block.locator("table").inner_text()
    assert EVIL in table_text and "<b>bold</b>" in table_text
    assert EVIL in block.locator(".lp-na__stage").inner_text()
    hrefs = block.locator(".lp-na__recommendations a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["/jump_to_id/unit-1", "https://example.org/guide"]
    first = block.locator(".lp-na__recommendations li").first.inner_text()
    assert "javascript:alert(1)" in first and "//evil.example/x" in first
    assert "<script>window.pwned=2</script>" in block.locator(".lp-na__recommendations li").nth(1).inner_text()
    # the chart's labels are text too, and the chart is named for assistive technology
    assert block.locator("svg[role=img] text").first.text_content() == EVIL
    assert block.locator("svg[role=img]").get_attribute("aria-labelledby")
    assert page.errors == []
