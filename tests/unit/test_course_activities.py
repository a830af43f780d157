"""The course's saved learning activities: enough of them, each after its teaching page, with a real commentary."""
import re

import pytest

from lp_programme.course_tree import load_course
from lp_xblocks.activity import response as core
from lp_xblocks.activity.block import _text_of

PROMPT_OPENINGS = re.compile(r"<p>(?:List|Draft|Think of|Think about|Recall|Choose|Identify|Plan|Take the|Find your|"
                             r"Does your|Who leads|When did|Which items|Using the|For your own|If you have a mentor|"
                             r"Nobody becomes)")


@pytest.fixture(scope="module")
def activities():
    course = load_course()
    found = []
    for _chapter, _sequential, unit in course.units():
        for index, component in enumerate(unit.components):
            if component.tag == "lp_learning_activity":
                found.append((unit, index, component))
    return found


def test_at_least_twenty_activities_replace_the_applied_prompts(activities):
    assert len(activities) >= 20
    assert len({component.url_name for _unit, _index, component in activities}) == len(activities)


def test_each_activity_follows_its_teaching_page_in_the_same_unit(activities):
    for unit, index, component in activities:
        assert index > 0 and unit.components[index - 1].tag == "html", component.url_name


def test_each_commentary_is_written_out_and_each_prompt_left_its_page(activities):
    for unit, index, component in activities:
        element = component.element
        commentary = _text_of(element.find("commentary"))
        prompt = _text_of(element.find("prompt"))
        words = core.count_words(commentary)
        assert 100 <= words <= 200, (component.url_name, words)
        assert len(core.paragraphs(commentary)) >= 2, component.url_name
        assert core.check_settings(display_name=component.display_name, prompt=prompt, commentary=commentary,
                                   suggested_minutes=int(element.get("suggested_minutes")),
                                   word_limit=int(element.get("word_limit"))) == []
        page = unit.components[index - 1].html
        assert prompt[:60] not in re.sub(r"\s+", " ", page), f"{component.url_name}: the prompt is still on the page"


def test_no_teaching_page_before_an_activity_still_ends_with_an_applied_prompt(activities):
    for unit, index, component in activities:
        last = [line.strip() for line in unit.components[index - 1].html.splitlines() if line.strip()][-1]
        assert not PROMPT_OPENINGS.match(last), (component.url_name, last[:80])
