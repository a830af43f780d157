"""The axe helper finds serious and critical violations inside the block it is scoped to, and only there."""
import pytest

from tests.browser.axe_check import serious_violations

pytestmark = [pytest.mark.browser]

PAGE = """<!DOCTYPE html><html lang="en"><head><title>axe</title></head><body><main>
<div class="outside"><input type="text"></div>
<div class="block"><p>Fine text</p>{inside}</div>
</main></body></html>"""


def test_violations_inside_the_block_are_reported_and_outside_ignored(page):
    pytest.importorskip("axe_playwright_python")
    page.set_content(PAGE.format(inside='<img src="data:,"><input type="radio" name="r">'))
    found = serious_violations(page, ".block")
    assert any(line.startswith("image-alt (critical)") for line in found), found
    assert any(line.startswith("label (critical)") for line in found), found
    assert all(".outside" not in line for line in found)

    page.set_content(PAGE.format(inside='<label>Name <input type="text"></label>'))
    assert serious_violations(page, ".block") == []
