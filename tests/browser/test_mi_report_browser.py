"""
The MI report as a person sees it: the hand-worked cohort rendered in headless Chromium from a file, with no
request beyond the file itself, headings in order, charts named and paired with tables, the figures in place,
no serious or critical axe violation, and readable printed. Saves ``test-artifacts/mi-report.png`` (the README's
picture is a copy, ``docs/mi-report.png``).
"""
import datetime as dt

import pytest

from accreditation_export.mi.figures import Scope
from accreditation_export.mi.render import write_csv
from accreditation_export.mi.report import render_report
from tests.browser.axe_check import serious_violations
from tests.unit.test_mi_figures import sections

pytestmark = pytest.mark.browser

TITLES = ["Participant registration", "Needs assessment results", "Participant satisfaction with each delivery element",
          "Evaluation of progress made by participants", "Accreditation outcomes by participant",
          # issue 15: two sections after the tender's five
          "Partnerships, \"don't know\" answers and comments", "Participant profile and equality monitoring",
          "Completion and retention per module", "Tutor turnaround",
          # issue 15: progress beyond self-rating
          "Progress judged by tutors and exercises",
          # issue 17: the mentoring scheme
          "Mentoring uptake",
          # issue 17: who attended the workshops
          "Workshop attendance"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mi-report")
    register = folder / "register.csv"
    from tests import mi_fixture as fx  # pylint: disable=import-outside-toplevel
    register.write_text(fx.register_csv(), encoding="utf-8")
    found = list(sections(register).values())
    path = folder / "mi-report.html"
    path.write_text(render_report(found, Scope(), "the workbench database var/workbench.db", dt.date(2027, 1, 5)),
                    encoding="utf-8")
    for section in found:
        for table in section.csv:
            write_csv(folder, table)
    return path


def test_the_report_in_chromium(page, report, artifacts):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report.as_uri())
    assert requests == [report.as_uri()]          # inline CSS and SVG: nothing else is fetched
    page.screenshot(path=str(artifacts / "mi-report.png"), full_page=True)
    page.screenshot(path=str(artifacts / "mi-report-top.png"), clip={"x": 0, "y": 0, "width": 1100, "height": 2600},
                    full_page=True)

    headings = page.evaluate("[...document.querySelectorAll('h1, h2, h3')].map(h => [h.tagName, h.textContent])")
    assert headings[0] == ["H1", "Management information report"]
    assert [text for tag, text in headings if tag == "H2"] == TITLES
    levels = [int(tag[1]) for tag, _text in headings]
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:]))   # no level skipped

    # Every table has a caption and column headers; every chart is a named image followed by its table.
    assert page.evaluate("[...document.querySelectorAll('table')].every(t => t.caption && t.caption.textContent.trim()"
                         " && t.querySelectorAll('thead th[scope=col]').length)")
    charts = page.evaluate("""[...document.querySelectorAll('figure.chart svg')].map(svg => {
        const [title, desc] = svg.getAttribute('aria-labelledby').split(' ').map(id => document.getElementById(id));
        let next = svg.closest('figure').nextElementSibling;
        return [svg.getAttribute('role'), title.tagName, title.textContent, desc.tagName,
                !!(next && next.querySelector('table'))];
    })""")
    assert len(charts) >= 8
    assert all(role == "img" and title == "title" and text and desc == "desc" and table
               for role, title, text, desc, table in charts)

    # The figures (hand-worked in tests/unit/test_mi_figures.py).
    budget = page.locator("#table-needs-learning-needs-analysis tr", has_text="Managing the partnership for performance")
    assert budget.locator("td").all_inner_texts() == ["8", "3.30", "1", "4", "3"]
    online = page.locator("#table-satisfaction-survey-induction tr", has_text="Online induction materials")
    assert online.locator("td").all_inner_texts() == ["6", "3.92", "1", "1", "4"]
    progress = page.locator("#table-progress-learning-needs-analysis tr", has_text="Managing the partnership for performance")
    assert progress.locator("td").all_inner_texts() == ["6", "4", "1", "1", "2.83", "3.60", "0.77", "2"]
    trust = page.locator("#table-needs-partnership-health-check tr", has_text="Trust").locator("td").all_inner_texts()
    assert trust == ["suppressed (fewer than 5)"] * 5
    assert page.locator("#needs-learning-needs-analysis-chart").text_content().count("n = 8, mean 3.30") == 1
    lpm1 = page.locator("#table-outcomes-summary tr", has_text="A/000/0001").locator("td").all_inner_texts()
    assert lpm1[2:] == ["7", "2", "28.6%", "1"]
    fay = page.locator("#table-outcomes tr", has_text="fay").locator("td").all_inner_texts()
    assert fay[1] == "<b>Fay</b> & <script>alert(1)</script>"      # shown as text, never run as markup
    assert page.errors == []

    assert serious_violations(page, "body") == []

    # Printed: the section list is dropped and each section starts a page; every table stays readable.
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"
    assert page.evaluate("[...document.querySelectorAll('main > section')].map(s => getComputedStyle(s).breakBefore)"
                         ) == ["auto"] + ["page"] * (len(TITLES) - 1)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type/Page") >= 5
