"""Learning sets in the course: discussions and cohorts in the policy, inline discussions, and the validator's check."""
import json
import shutil

import pytest

from course_content import SOURCE
from course_content.learning_sets import LEARNING_SET_SIZE, PLANNED_PARTICIPANTS
from lp_programme.course_tree import load_course
from course_content.validate import validate


@pytest.fixture(scope="module")
def course():
    return load_course()


@pytest.fixture
def tree(tmp_path):
    target = tmp_path / "olx"
    shutil.copytree(SOURCE, target)
    return target


def learning_set_errors(root):
    return [str(problem) for problem in validate(root).errors if problem.check == "learning-sets"]


def edit_policy(root, change):
    path = root / "policies" / "2026" / "policy.json"
    policy = json.loads(path.read_text(encoding="utf-8"))
    change(policy["course/2026"])
    path.write_text(json.dumps(policy, indent=2), encoding="utf-8")


def test_the_policy_enables_discussions_per_module_and_cohorts_as_learning_sets(course):
    settings = course.policy["course/2026"]
    topics = settings["discussion_topics"]
    for name in [chapter.display_name for chapter in course.chapters] + ["Workshops", "Mentoring"]:
        assert name in topics
    cohorts = settings["cohort_config"]
    assert cohorts["cohorted"] and cohorts["auto_cohort"] and cohorts["always_cohort_inline_discussions"]
    sets = len(cohorts["auto_cohort_groups"])
    low, high = LEARNING_SET_SIZE
    assert low <= PLANNED_PARTICIPANTS / sets <= high
    assert {"type": "discussion", "name": "Discussion", "course_staff_only": False} in settings["tabs"]
    assert settings["allow_anonymous"] is False and settings["allow_anonymous_to_peers"] is False


def test_inline_discussions_sit_where_the_course_asks_to_compare_practice(course):
    found = {unit.url_name: component for chapter, _sequential, unit in course.units()
             for component in unit.components if component.tag == "discussion"}
    assert len(found) >= 6
    assert {"partnership-stages", "partnership-barriers", "protocols", "facilitation-tools", "learning-sets"} <= set(found)
    ids = [component.element.get("discussion_id") for component in found.values()]
    assert len(set(ids)) == len(ids)
    for chapter, _sequential, unit in course.units():
        for component in unit.components:
            if component.tag == "discussion":
                assert component.element.get("discussion_category") == chapter.display_name


def test_the_course_passes_the_learning_sets_check():
    assert learning_set_errors(SOURCE) == []


def test_a_broken_policy_is_named_problem_by_problem(tree):
    def spoil(settings):
        del settings["discussion_topics"]["Workshops"]
        settings["discussion_topics"]["Mentoring"] = {"id": "Mentoring Topic"}
        settings["cohort_config"]["always_cohort_inline_discussions"] = False
        settings["cohort_config"]["auto_cohort_groups"] = ["Learning set 1", "Learning set 2"]
        settings["allow_anonymous_to_peers"] = True
        settings["tabs"] = [tab for tab in settings["tabs"] if tab["type"] != "discussion"]
    edit_policy(tree, spoil)
    errors = learning_set_errors(tree)
    for expected in ("no topic for Workshops", "topic 'Mentoring' needs a readable id",
                     "always_cohort_inline_discussions must be true", "2 learning sets for 101 participants",
                     "allow_anonymous_to_peers must be false", "tabs: add the Discussion tab"):
        assert any(expected in error for error in errors), (expected, errors)
    assert all(error.startswith("ERROR [learning-sets] policies/2026/policy.json") for error in errors)


def test_no_cohorts_at_all_is_an_error(tree):
    edit_policy(tree, lambda settings: settings.pop("cohort_config"))
    assert any("cohort_config: turn on cohorts" in error for error in learning_set_errors(tree))


def test_a_broken_inline_discussion_names_the_file_and_element(tree):
    path = tree / "vertical" / "protocols.xml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('discussion_id="lp-induction-compare-protocols"', 'discussion_id="lp-m1-compare-stages"')
    text = text.replace('discussion_category="Induction"', 'discussion_category="Module 2: Facilitating partnership"')
    path.write_text(text, encoding="utf-8")
    errors = learning_set_errors(tree)
    assert any("vertical/protocols.xml" in error and "discussion_category must be its module's name, 'Induction'" in error
               for error in errors), errors
    assert any("discussion_id 'lp-m1-compare-stages' is already used" in error for error in errors), errors
