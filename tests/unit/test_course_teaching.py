"""
The course's second-edition teaching (issue 19, part B): units on the missing topics each with objectives, an
activity, a study time and catalogue criteria; a glossary; case studies with questions and a commentary; a reading
list per module crediting the frameworks the course uses; Module 2 deepened with a second interactive element;
an interactive element in Module 3.
"""
import re
from urllib.parse import urlparse

import pytest
from lxml import etree

from lp_programme.catalogue import criteria, load_catalogue
from lp_programme.course_tree import load_course
from course_content.validate import count_words, html_fragment

COURSE = load_course()
NAMES = COURSE.url_names()
CHAPTERS = {chapter.url_name: chapter for chapter in COURSE.chapters}
KNOWN_CRITERIA = criteria(load_catalogue())

# Unit url_name -> the chapter it belongs to: the topics the first edition lacked.
TOPIC_UNITS = {
    "managing-small-team": "induction",
    "accountable-body-hr-procurement": "induction",
    "board-papers-minutes": "induction",
    "bid-writing": "induction",
    "learning-regeneration": "understanding-partnership",
    "mapping-partnerships": "understanding-partnership",
    "local-area-agreements": "understanding-partnership",
    "fourteen-nineteen": "understanding-partnership",
    "collaborative-advantage": "facilitating-partnership",
    "interests-not-positions": "facilitating-partnership",
    "designing-facilitated-sessions": "facilitating-partnership",
    "data-and-lmi": "leading-partnership",
}
READING = {"induction": "induction-reading", "understanding-partnership": "understanding-reading",
           "facilitating-partnership": "facilitating-reading", "leading-partnership": "leading-reading"}
STUDY_TIME = re.compile(r"Allow about (?:[a-z]+(?:[ -][a-z]+)*) (?:minutes|hours?)\b")
CRITERION = re.compile(r"\bLPM\d-\d\.\d\b")
# Module 2's html words at ea6df80, before this edition (python -m course_content validate, per chapter).
MODULE_2_HTML_WORDS_BEFORE = 3053


def html_of(unit_name):
    unit = COURSE.unit_of(unit_name)
    return "".join(component.html for component in unit.components if component.tag == "html")


def text_of(unit_name):
    return " ".join(" ".join(html_fragment(html_of(unit_name)).itertext()).split())


def chapter_of(unit_name):
    for chapter, _sequential, unit in COURSE.units():
        if unit.url_name == unit_name:
            return chapter.url_name
    return None


@pytest.mark.parametrize("name", sorted(TOPIC_UNITS))
def test_each_topic_unit_has_objectives_an_activity_a_study_time_and_catalogue_criteria(name):
    assert chapter_of(name) == TOPIC_UNITS[name]
    fragment = html_fragment(html_of(name))
    headings = [" ".join(h.itertext()) for h in fragment.iter("h2")]
    assert "Learning objectives" in headings
    assert any(h.startswith("Activity") for h in headings), headings
    objectives = fragment.xpath("//h2[.='Learning objectives']/following-sibling::ul[1]/li")
    assert len(objectives) >= 3
    text = text_of(name)
    assert STUDY_TIME.search(text), f"{name}: no study time stated"
    cited = set(CRITERION.findall(text))
    assert cited, f"{name}: the activity names no criterion"
    assert cited <= set(KNOWN_CRITERIA), cited - set(KNOWN_CRITERIA)


def test_the_glossary_explains_at_least_forty_distinct_terms():
    fragment = html_fragment(html_of("glossary"))
    terms = [" ".join(dt.itertext()).strip() for dt in fragment.iter("dt")]
    definitions = [" ".join(dd.itertext()).strip() for dd in fragment.iter("dd")]
    assert len(terms) >= 40 and len(terms) == len(set(terms)) == len(definitions)
    assert all(count_words(definition) >= 8 for definition in definitions)
    for term in ("Accountable body", "Every Child Matters", "NEET", "Local Area Agreement", "Collaborative inertia"):
        assert term in terms


def test_four_to_six_case_studies_each_with_questions_and_a_commentary_composites_labelled():
    cases = [unit.url_name for _c, _s, unit in COURSE.units() if unit.url_name.startswith("case-")]
    assert 4 <= len(cases) <= 6, cases
    assert "case-tendring" in cases
    for name in cases:
        fragment = html_fragment(html_of(name))
        headings = [" ".join(h.itertext()) for h in fragment.iter("h2")]
        assert headings[-2:] == ["Questions", "Commentary"], (name, headings)
        assert len(fragment.xpath("//h2[.='Questions']/following-sibling::ol[1]/li")) >= 4
        first = " ".join(fragment.xpath("//p")[0].itertext())
        assert ("This case study is a composite." in first and "fictional" in first) or \
            "based on a real document" in first, name
    assert "Tendring" in text_of("case-tendring")


@pytest.mark.parametrize("chapter, unit", sorted(READING.items()))
def test_every_module_has_a_reading_list_with_well_formed_https_links(chapter, unit):
    assert chapter_of(unit) == chapter
    fragment = html_fragment(html_of(unit))
    assert fragment.find(".//table/caption") is not None  # the frameworks and their sources
    for link in fragment.iter("a"):
        href = link.get("href")
        parts = urlparse(href)
        assert parts.scheme == "https" and "." in parts.netloc and not parts.username, href


@pytest.mark.parametrize("unit, credits", [
    ("facilitating-reading", ["Huxham and Vangen", "Fisher, Ury and Patton", "Mayer, Davis and Schoorman",
                              "Sako", "Moore", "Kaner"]),
    ("understanding-reading", ["Partnership Assessment Tool", "Nuffield Institute", "Tendring", "Dunford",
                               "Huxham"]),
    ("leading-reading", ["Dunford", "Senge", "Kolb"]),
    ("induction-reading", ["Gibbs", "Kolb", "Fisher and Ury", "Tendring"]),
    # Credit where the first edition used a framework without naming it.
    ("trust", ["Mayer, Davis and Schoorman (1995)", "Sako (1992)"]),
    ("conflict", ["circle of conflict", "Moore"]),
    ("facilitation-tools", ["Fisher", "Getting to Yes"]),
    ("induction-log", ["Gibbs", "Kolb", "Borton"]),
    ("partnership-stages", ["Tendring LSP working party minutes, April 2008"]),
])
def test_frameworks_are_credited(unit, credits):
    text = text_of(unit)
    for credit in credits:
        assert credit in text, (unit, credit)


def test_module_2_is_at_least_twice_as_deep_with_a_second_interactive_element():
    chapter = CHAPTERS["facilitating-partnership"]
    components = [c for s in chapter.sequentials for u in s.units for c in u.components]
    words = sum(count_words(" ".join(html_fragment(c.html).itertext())) for c in components if c.tag == "html")
    assert words >= 2 * MODULE_2_HTML_WORDS_BEFORE
    checks = [c for c in components if c.tag == "lp_needs_assessment" and c.element.get("kind") != "satisfaction"]
    assert [c.url_name for c in checks] == ["self-check-facilitation"]
    assert sum(c.tag == "lp_facilitation_exercise" for c in components) >= 2


def test_module_3_has_an_interactive_element_beyond_its_log_and_survey():
    chapter = CHAPTERS["leading-partnership"]
    exercises = [c for s in chapter.sequentials for u in s.units for c in u.components
                 if c.tag == "lp_facilitation_exercise"]
    assert [c.url_name for c in exercises] == ["exercise-progress-report"]
    graded = {s.url_name for s in chapter.sequentials if s.graded}
    assert all(s.url_name not in graded for s in chapter.sequentials
               if any(c in exercises for u in s.units for c in u.components))  # practice, not graded
    assert exercises[0].element.get("graded_attempt") == "best"


def test_the_new_exercise_and_self_check_parse_with_their_blocks():
    from lp_xblocks.facilitation import scenario as core  # pylint: disable=import-outside-toplevel
    from lp_xblocks.facilitation.olx import parse_scenario  # pylint: disable=import-outside-toplevel
    from lp_xblocks.needs_assessment.olx import parse_instrument  # pylint: disable=import-outside-toplevel

    scenario = parse_scenario(NAMES["exercise-progress-report"].element)
    assert core.warnings(scenario) == []
    instrument = parse_instrument(NAMES["self-check-facilitation"].element)
    assert len(instrument["themes"]) == 4
    links = re.findall(r"/jump_to_id/([a-z0-9-]+)", etree.tostring(NAMES["self-check-facilitation"].element,
                                                                   encoding="unicode"))
    assert links and all(link in NAMES for link in links)
