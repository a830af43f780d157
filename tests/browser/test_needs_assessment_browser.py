"""
The needs-assessment block in headless Chromium, served by the real workbench.

Scenarios (``/scenario/lp_needs_assessment.N/``): 0 partnership health check (12 themes, 55 statements,
stages), 1 individual learning-needs analysis (20 statements), 2 satisfaction survey (18 statements, no
retakes). ``?student=tutor`` is a tutor. Every test uses its own learner because the server's database
is shared by the whole session.
"""
import re
import uuid
import xml.etree.ElementTree as ET
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from tests.browser import keyboard
from tests.browser.axe_check import serious_violations
from tests.browser.helpers import wait_for_block

pytestmark = [pytest.mark.browser]

SCENARIOS = Path(__file__).resolve().parents[2] / "lp_xblocks" / "needs_assessment" / "scenarios"
HEALTH_CHECK, LEARNING_NEEDS, SATISFACTION = 0, 1, 2
TIMEOUT = 10_000  # ms, for anything that waits on the server


def expect():
    return pytest.importorskip("playwright.sync_api").expect


def learner(prefix="learner"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def open_scenario(page, base, number, student):
    page.goto(f"{base}/scenario/lp_needs_assessment.{number}/?student={student}")
    page.locator(".lp-na").wait_for()
    # The workbench initialises blocks on DOM ready (before "load"); be sure the block's JS has run.
    wait_for_block(page, "LpNeedsAssessment")


def statement_groups(page):
    """[(theme title, [(statement id, radio name, [option values]), ...]), ...] in document order."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('.lp-na fieldset.lp-na__theme')).map(theme => [
        theme.querySelector('legend').textContent.trim(),
        Array.from(theme.querySelectorAll('fieldset.lp-na__statement[data-statement]')).map(group => {
            const radios = Array.from(group.querySelectorAll('input[type=radio]'));
            // The scale's values; "Don't know / not applicable" (the last radio) is left out.
            return [group.dataset.statement, radios.length ? radios[0].name : null,
                    radios.filter(r => r.value !== 'dont_know').map(r => Number(r.value))];
        })
    ])""")


def js_number(value):
    """How a JSON number the server sends is written by the page (3.0 -> "3", 2.40 -> "2.4")."""
    return format(float(value), "g")


def round_half_up(value):
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def bands_of(scenario_file):
    """theme id -> [(upto, label)] read straight from the scenario's OLX."""
    root = ET.parse(SCENARIOS / scenario_file).getroot()
    return {
        theme.get("id"): [(Decimal(band.get("upto")), band.get("label")) for band in theme.findall("band")]
        for theme in root.findall("theme")
    }


def band_label(bands, score):
    return next(label for upto, label in bands if upto >= score)


def check_all(page, value_for, skip=()):
    """Answer through the UI (Playwright .check()); ``value_for(index, statement_id)`` picks the value."""
    index = 0
    for _title, statements in statement_groups(page):
        for statement_id, _name, _values in statements:
            if statement_id not in skip:
                value = value_for(index, statement_id)
                page.locator(f'[data-statement="{statement_id}"] input[value="{value}"]').check()
            index += 1


def results_rows(page):
    return page.evaluate("""() => Array.from(document.querySelectorAll('.lp-na__results table.lp-na__table tbody tr'))
        .map(row => [row.querySelector('th').textContent.trim()].concat(
            Array.from(row.querySelectorAll('td')).map(td => td.textContent.trim())))""")


def active(page):
    return page.evaluate("""() => { const a = document.activeElement;
        return {tag: a.tagName.toLowerCase(), type: a.type || null, name: a.name || null, value: a.value || null,
                id: a.id || null, cls: a.className && a.className.baseVal === undefined ? a.className : null,
                group: a.closest('.lp-na__statement') ? a.closest('.lp-na__statement').dataset.statement : null}; }""")


def tab_until(page, predicate, limit=60, key="Tab"):
    return keyboard.tab_until(page, predicate, active, limit=limit, key=key)


# ----------------------------------------------------------------------------------------------- tests


def test_keyboard_only_answer_submit_and_read_results(workbench_server, page, artifacts):
    open_scenario(page, workbench_server, LEARNING_NEEDS, learner("keyboard"))
    themes = statement_groups(page)
    statements = [statement for _title, group in themes for statement in group]
    assert len(themes) == 4 and len(statements) == 20   # the toolkit's four themes (issue 15)

    # Every statement has a named radio group, and nothing is answered yet.
    state = page.evaluate("""(names) => names.map(name => {
        const radios = document.querySelectorAll(`input[type=radio][name="${CSS.escape(name)}"]`);
        return [name, radios.length, Array.from(radios).filter(r => r.checked).length];
    })""", [name for _sid, name, _values in statements])
    assert all(name for name, _count, _checked in state)
    assert all(count == 6 for _name, count, _checked in state), state   # five points and "don't know"
    assert sum(checked for _name, _count, checked in state) == 0, "a radio was checked before any answer"
    assert page.locator(".lp-na input[type=radio]:checked").count() == 0

    # Varied values so that theme means differ: option position 0..4 per statement.
    chosen = {}
    for index, (statement_id, name, values) in enumerate(statements):
        position = ((index * index) // 7) % len(values)
        chosen[statement_id] = values[position]
        # Tab lands on the first radio of the next (unanswered) group.
        if index == 0:
            focused = tab_until(page, lambda f: f["type"] == "radio")
        else:
            page.keyboard.press("Tab")
            focused = active(page)
        assert focused["type"] == "radio" and focused["name"] == name and focused["value"] == str(values[0]), focused
        page.keyboard.press("Space")
        for _ in range(position):
            page.keyboard.press("ArrowRight")
        assert active(page)["value"] == str(values[position])
    checked = page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('.lp-na__statement'))
        .map(g => [g.dataset.statement, (g.querySelector('input:checked') || {}).value || null]))""")
    assert checked == {sid: str(value) for sid, value in chosen.items()}

    # Shift+Tab goes back to the previous group's checked radio and Tab returns; then Tab reaches Submit.
    page.keyboard.press("Shift+Tab")
    focused = active(page)
    assert focused["group"] == statements[-2][0] and focused["value"] == str(chosen[statements[-2][0]]), focused
    page.keyboard.press("Tab")
    focused = active(page)
    assert focused["group"] == statements[-1][0] and focused["value"] == str(chosen[statements[-1][0]]), focused
    focused = tab_until(page, lambda f: f["tag"] == "button", limit=5)
    assert focused["type"] == "submit", focused
    page.keyboard.press("Enter")

    # Expected figures, computed here from the values chosen.
    bands = bands_of("learning_needs_analysis.xml")
    theme_ids = page.evaluate(
        "() => Array.from(document.querySelectorAll('.lp-na fieldset.lp-na__theme'))"
        ".map(t => t.id.replace(/^.*-theme-/, ''))"
    )
    expected = []
    for theme_id, (title, group) in zip(theme_ids, themes):
        values = [Decimal(chosen[sid]) for sid, _name, _values in group]
        score = round_half_up(sum(values) / Decimal(len(values)))
        expected.append((title, score, band_label(bands[theme_id], score)))
    assert len({score for _title, score, _band in expected}) > 1, "pick values that make theme scores differ"

    results = page.locator(".lp-na__results")
    expect()(results).to_be_visible(timeout=TIMEOUT)
    status = page.locator(".lp-na__status[role=status]")
    assert status.get_attribute("aria-live") == "polite"
    expect()(status).to_contain_text("Submitted", timeout=TIMEOUT)
    expect()(page.locator(".lp-na__form")).to_be_hidden()
    assert page.evaluate("() => document.activeElement.classList.contains('lp-na__results-heading')")

    assert results_rows(page) == [[title, js_number(score), band] for title, score, band in expected]

    chart = page.locator(".lp-na__results svg[role=img]")
    expect()(chart).to_have_count(1)
    chart_name = chart.evaluate("""svg => (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
        .map(id => { const node = document.getElementById(id); return node ? node.textContent.trim() : null; })""")
    assert chart_name and all(chart_name), chart_name
    assert chart_name[0] == chart.locator("title").text_content().strip() == "Bar chart of theme scores"
    expect()(page.get_by_role("img", name=re.compile("Bar chart of theme scores"))).to_have_count(1)
    assert chart.locator("rect.lp-na__bar").count() == len(expected)

    weakest_first = [title for title, _score, _band in sorted(expected, key=lambda item: item[1])]
    items = page.locator(".lp-na__recommendations > li strong").all_text_contents()
    assert [text.split(" (")[0] for text in items] == weakest_first
    assert items == [
        f"{title} ({band}): " for title, _s, band in sorted(expected, key=lambda item: item[1])
    ]

    assert page.errors == []
    page.screenshot(path=str(artifacts / "needs_assessment_results.png"), full_page=True)


def test_no_serious_or_critical_axe_violations(workbench_server, page):
    pytest.importorskip("axe_playwright_python")
    open_scenario(page, workbench_server, LEARNING_NEEDS, learner("axe"))
    before = serious_violations(page, ".lp-na")
    assert not before, "before submitting:\n" + "\n".join(before)

    check_all(page, lambda index, _sid: 1 + (index % 5))
    page.locator(".lp-na__form button[type=submit]").click()
    expect()(page.locator(".lp-na__results")).to_be_visible(timeout=TIMEOUT)
    expect()(page.locator(".lp-na__status")).to_contain_text("Submitted", timeout=TIMEOUT)
    after = serious_violations(page, ".lp-na")
    assert not after, "after submitting:\n" + "\n".join(after)
    assert page.errors == []


def test_unanswered_statements_are_announced_and_focused(workbench_server, page):
    student = learner("missing")
    open_scenario(page, workbench_server, LEARNING_NEEDS, student)
    ids = [sid for _title, group in statement_groups(page) for sid, _name, _values in group]
    skipped = [ids[6], ids[19]]
    check_all(page, lambda index, _sid: 1 + (index % 5), skip=skipped)

    submits = []
    page.on("request", lambda request: submits.append(request.url) if "/submit" in request.url else None)
    page.locator(".lp-na__form button[type=submit]").click()

    status = page.locator(".lp-na__status[role=status]")
    expect()(status).to_contain_text(re.compile(r"\b2\b"), timeout=TIMEOUT)
    expect()(status).to_contain_text("unanswered")
    missing = page.evaluate(
        "() => Array.from(document.querySelectorAll('.lp-na__statement--missing')).map(g => g.dataset.statement)"
    )
    assert missing == skipped
    invalid = page.evaluate(
        "() => Array.from(new Set(Array.from(document.querySelectorAll('.lp-na input[aria-invalid=true]'))"
        ".map(r => r.closest('.lp-na__statement').dataset.statement)))"
    )
    assert invalid == skipped
    # (Changed: a GOV.UK error summary takes the focus, names each statement in words and links to it; each
    # group carries its own message, which its radios are described by.)
    summary = page.locator(".lp-na__error")
    expect()(summary).to_be_visible()
    assert page.evaluate("() => document.activeElement.id") == summary.get_attribute("id")
    assert summary.get_by_role("link").count() == 2
    for sid in skipped:
        group = page.locator(f".lp-na__statement[data-statement='{sid}']")
        message = group.locator(".lp-field-error")
        text = group.locator("legend").inner_text().strip()
        assert message.inner_text() == f"Answer \u201c{text}\u201d"
        assert group.locator(f"input[aria-describedby='{message.get_attribute('id')}']").count() == 6  # five scale points and "don't know"
    found = serious_violations(page, ".lp-na")
    assert not found, "error summary:\n" + "\n".join(found)
    summary.get_by_role("link").first.click()
    focused = active(page)
    assert focused["type"] == "radio" and focused["group"] == skipped[0], focused
    expect()(page.locator(".lp-na__results")).to_be_hidden()
    assert submits == []

    # (Changed: answers ticked so far are autosaved and come back; nothing is submitted.)
    expect()(page.locator(".lp-na__autosave")).to_contain_text("saved at", timeout=TIMEOUT)
    page.reload()
    page.locator(".lp-na").wait_for()
    wait_for_block(page, "LpNeedsAssessment")
    expect()(page.locator(".lp-na__results")).to_be_hidden()
    expect()(page.locator(".lp-na__form")).to_be_visible()
    assert page.locator(".lp-na input[type=radio]:checked").count() == len(ids) - len(skipped)
    assert page.errors == []


def test_retake_shows_change_since_first_attempt(workbench_server, page):
    open_scenario(page, workbench_server, HEALTH_CHECK, learner("retake"))
    themes = statement_groups(page)
    assert len(themes) == 12 and sum(len(group) for _title, group in themes) == 55

    check_all(page, lambda _index, _sid: 2)
    page.locator(".lp-na__form button[type=submit]").click()
    expect()(page.locator(".lp-na__results")).to_be_visible(timeout=TIMEOUT)
    expect()(page.locator(".lp-na__results thead th")).to_have_count(3)

    again = page.get_by_role("button", name="Answer again")
    again.focus()
    page.keyboard.press("Enter")
    expect()(page.locator(".lp-na__form")).to_be_visible()
    assert active(page)["type"] == "radio"

    check_all(page, lambda _index, _sid: 4)
    page.locator(".lp-na__form button[type=submit]").click()
    expect()(page.locator(".lp-na__history li")).to_have_count(2, timeout=TIMEOUT)
    expect()(page.locator(".lp-na__results")).to_be_visible()

    headers = page.locator(".lp-na__results thead th").all_text_contents()
    assert headers[-1] == "Change since first attempt", headers
    rows = results_rows(page)
    assert [row[0] for row in rows] == [title for title, _group in themes]
    assert [row[1] for row in rows] == ["4"] * len(themes)
    assert [row[-1] for row in rows] == ["+2"] * len(themes)
    history = page.locator(".lp-na__history li").all_text_contents()
    assert history[0].startswith("Attempt 1") and history[1].startswith("Attempt 2"), history
    assert page.errors == []


def test_tutor_sees_cohort_report_and_learner_does_not(workbench_server, page):
    open_scenario(page, workbench_server, SATISFACTION, learner("cohort"))
    expect()(page.locator(".lp-na__cohort")).to_have_count(0)
    expect()(page.get_by_role("button", name="Show cohort report")).to_have_count(0)
    check_all(page, lambda index, _sid: 1 + (index % 5))
    page.locator(".lp-na__form button[type=submit]").click()
    expect()(page.locator(".lp-na__results")).to_be_visible(timeout=TIMEOUT)

    open_scenario(page, workbench_server, SATISFACTION, "tutor")
    cohort = page.locator(".lp-na__cohort")
    expect()(cohort).to_be_visible()
    expect()(cohort.get_by_role("heading", name="Cohort report (tutors)")).to_be_visible()
    titles = [title for title, _group in statement_groups(page)]
    page.get_by_role("button", name="Show cohort report").click()
    rows = cohort.locator("table.lp-na__table tbody tr")
    expect()(rows).to_have_count(len(titles), timeout=TIMEOUT)
    assert rows.locator("th").all_text_contents() == titles
    learners_line = cohort.locator(".lp-na__cohort-body > p").first.text_content()
    match = re.match(r"(?:(1) learner has|(\d+) learners have) submitted", learners_line)  # (changed: ngettext plurals)
    assert match and int(match.group(1) or match.group(2)) >= 1, learners_line
    respondents = [int(text) for text in rows.locator("td:nth-of-type(1)").all_text_contents()]
    assert all(count >= 1 for count in respondents), respondents
    assert page.errors == []
