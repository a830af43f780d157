"""The course OLX: build determinism, tarball contents, olxcleaner, the blocks' parsers, links, catalogue, checks."""
import gzip
import importlib.resources
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile

import pytest
from lxml import etree

from lp_programme.catalogue import DEFAULT_CATALOGUE, criteria, load_catalogue
from course_content import BLOCK_TAGS, SOURCE
from course_content.build import build, tarball_bytes
from course_content.learning_sets import PLATFORM_TAGS
from lp_programme.downloads import build_files
from lp_programme.course_tree import OlxError, load_course, source_files
from course_content.validate import (
    SHARED_SCENARIOS, Report, check_catalogue, check_grading, check_html, check_links, check_olxcleaner,
    check_shared, check_structure, validate,
)

BLOCK_MODULES = {
    "lp_needs_assessment": "lp_xblocks.needs_assessment.block",
    "lp_reflective_log": "lp_xblocks.reflective_log.block",
    "lp_facilitation_exercise": "lp_xblocks.facilitation.block",
    "lp_mentoring": "lp_xblocks.mentoring.block",
    "lp_learning_activity": "lp_xblocks.activity.block",
    "lp_workshop": "lp_xblocks.workshop.block",
}


@pytest.fixture(scope="module")
def course():
    return load_course()


@pytest.fixture
def tree(tmp_path):
    """A writable copy of the course tree."""
    target = tmp_path / "olx"
    shutil.copytree(SOURCE, target)
    return target


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def problems(report, check):
    return [str(problem) for problem in report.problems if problem.check == check]


# --------------------------------------------------------------------------- structure and counts

def test_structure_has_induction_three_advanced_modules_and_closing(course):
    assert [chapter.url_name for chapter in course.chapters] == [
        "induction", "understanding-partnership", "facilitating-partnership", "leading-partnership", "closing"]
    tags = [component.tag for _unit, component in course.components()]
    assert set(tags) == {"html", *BLOCK_TAGS, *PLATFORM_TAGS}
    report = Report()
    check_structure(course, report)
    assert report.problems == []


def test_every_advanced_module_opens_with_objectives_and_ends_with_log_and_survey(course):
    for chapter in course.chapters[1:4]:
        first_unit = chapter.sequentials[0].units[0]
        assert "objectives" in first_unit.url_name
        assert "By the end of this module you will be able to" in first_unit.components[0].html
        last_tags = [c.tag for s in chapter.sequentials[-2:] for u in s.units for c in u.components]
        assert "lp_reflective_log" in last_tags
        survey = [c for s in chapter.sequentials[-1:] for u in s.units for c in u.components
                  if c.tag == "lp_needs_assessment"]
        assert survey and survey[0].element.get("kind") == "satisfaction"
    facilitating = course.chapters[2]
    exercises = [c for s in facilitating.sequentials for u in s.units for c in u.components
                 if c.tag == "lp_facilitation_exercise"]
    assert len(exercises) >= 2


def test_counts_meet_the_word_target(course):
    report = validate()
    counts = report.counts
    assert counts["modules"] == 5
    assert counts["units"] == len(list(course.units()))
    assert counts["blocks"]["lp_reflective_log"] == 4
    assert counts["blocks"]["lp_facilitation_exercise"] == 4
    assert counts["words"]["html"] >= 8000
    assert counts["words"]["total"] == sum(v for k, v in counts["words"].items() if k != "total")


# --------------------------------------------------------------------------- build

def test_build_is_byte_for_byte_deterministic(tmp_path):
    first = build(tmp_path / "one")
    second = build(tmp_path / "two")
    assert first.name == "LPN-LPM-2026.tar.gz"
    assert first.read_bytes() == second.read_bytes()
    assert tarball_bytes() == first.read_bytes()


def test_tarball_contents_equal_the_source_tree(tmp_path):
    data = build(tmp_path).read_bytes()
    assert data[:2] == b"\x1f\x8b" and data[4:8] == b"\x00\x00\x00\x00"  # gzip without a time stamp
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        members = tar.getmembers()
        files = {m.name: tar.extractfile(m).read() for m in members if m.isfile()}
        folders = {m.name for m in members if m.isdir()}
    assert all(m.name == "course" or m.name.startswith("course/") for m in members)
    assert {m.mtime for m in members} == {946684800} and {(m.uid, m.gid) for m in members} == {(0, 0)}
    expected = {f"course/{name}": (SOURCE / name).read_bytes() for name in source_files()}
    # The downloadable templates are built from their sources into static/downloads/ (course_content/downloads.py).
    expected |= {f"course/static/{name}": data for name, data in build_files().items()}
    assert files == expected
    assert "course/course.xml" in files and "course/policies/2026/policy.json" in files
    assert {"course", "course/html", "course/policies", "course/policies/2026", "course/static/images"} <= folders


def test_build_changes_when_the_source_changes(tree, tmp_path):
    before = tarball_bytes(tree)
    edit(tree / "html" / "welcome-text.html", "Welcome to the", "Welcome, once more, to the")
    assert tarball_bytes(tree) != before


def test_build_refuses_a_tree_that_does_not_load(tree, tmp_path):
    (tree / "chapter" / "closing.xml").unlink()
    with pytest.raises(OlxError) as error:
        build(tmp_path, tree)
    assert "course/2026.xml" in str(error.value) and "<chapter url_name='closing'>" in str(error.value)
    assert "chapter/closing.xml" in str(error.value)


# --------------------------------------------------------------------------- olxcleaner

def test_olxcleaner_finds_no_errors_or_unexplained_warnings(course):
    report = Report()
    summary = check_olxcleaner(SOURCE, course, report)
    assert summary["errors"] == 0 and summary["warnings"] == 0, report.problems
    assert report.problems == []


def test_olxcleaner_errors_are_reported_with_the_file(tree):
    edit(tree / "sequential" / "induction-budget.xml", '<vertical url_name="budget-contributions"/>',
         '<vertical url_name="budget-funding"/>')
    report = Report()
    check_olxcleaner(tree, None, report)
    found = problems(report, "olxcleaner")
    assert any("ERROR" in p and "DuplicateURLName" in p and "budget-funding" in p for p in found), found


def test_a_policy_setting_that_disagrees_with_the_course_xml_is_not_explained_away(tree):
    policy_file = tree / "policies" / "2026" / "policy.json"
    policy = json.loads(policy_file.read_text())
    policy["course/2026"]["advanced_modules"][-1] = "lp_something_else"
    policy_file.write_text(json.dumps(policy))
    report = validate(tree)
    assert any("SettingOverride" in p and "advanced_modules" in p for p in problems(report, "olxcleaner"))
    assert any("advanced_modules must list" in p for p in problems(report, "settings"))


# --------------------------------------------------------------------------- blocks

def _components(course, tag):
    return [(unit, component) for unit, component in course.components() if component.tag == tag]


@pytest.mark.parametrize("tag", BLOCK_TAGS)
def test_every_custom_block_parses_and_validates_with_its_own_class(course, tag):
    pytest.importorskip(BLOCK_MODULES[tag])
    from course_content.blocks import parse_and_validate  # pylint: disable=import-outside-toplevel
    found = _components(course, tag)
    assert found
    for _unit, component in found:
        block, errors = parse_and_validate(component.element)
        assert errors == [], (component.url_name, errors)
        assert block.display_name == component.display_name


def test_an_invalid_block_is_reported_with_file_line_and_element(tree):
    edit(tree / "vertical" / "health-check.xml", '<band upto="5" label="Strong">', '<band upto="4.9" label="Strong">')
    report = validate(tree)
    found = problems(report, "block")
    assert any(p.startswith("ERROR [block] vertical/health-check.xml:3: <lp_needs_assessment url_name='partnership-"
                            "health-check'>: does not parse:") for p in found), found


@pytest.mark.parametrize("url_name", sorted(SHARED_SCENARIOS))
def test_blocks_that_reuse_a_scenario_file_match_it(course, url_name):
    pytest.importorskip(SHARED_SCENARIOS[url_name][0])
    assert url_name in course.url_names()
    report = Report()
    check_shared(course, report)
    assert [p for p in report.problems if p.element.endswith(f"url_name='{url_name}'>")] == []


def test_drift_from_the_scenario_file_is_an_error(tree):
    edit(tree / "vertical" / "starting-point.xml", "I can explain how the partnership", "I can describe how the partnership")
    report = validate(tree)
    assert any("vertical/starting-point.xml" in p and "learning_needs_analysis.xml" in p
               for p in problems(report, "shared")), report.problems


# --------------------------------------------------------------------------- links

def test_every_internal_link_resolves(course):
    report = Report()
    assert check_links(course, report) >= 9
    assert report.problems == []
    closing = course.url_names()["progress-review-text"].html
    assert 'href="/jump_to_id/learning-needs-analysis"' in closing


def test_a_broken_link_names_the_file_and_target(tree):
    edit(tree / "html" / "progress-review-text.html", "/jump_to_id/learning-needs-analysis", "/jump_to_id/lna")
    edit(tree / "vertical" / "starting-point.xml", "Work through Induction", "See /jump_to_id/nowhere and work through Induction")
    report = validate(tree)
    found = problems(report, "link")
    assert any(p.startswith("ERROR [link] html/progress-review-text.html:") and "'lna'" in p for p in found), found
    assert any("vertical/starting-point.xml" in p and "'nowhere'" in p for p in found), found


# --------------------------------------------------------------------------- catalogue

def test_log_criteria_are_exactly_the_catalogue_criteria(course):
    known = criteria(load_catalogue())
    report = Report()
    check_catalogue(course, DEFAULT_CATALOGUE, report)
    assert report.problems == []
    in_logs = {node.get("id"): " ".join(node.text.split())
               for _unit, component in _components(course, "lp_reflective_log")
               for node in component.element.iter("criterion")}
    assert in_logs == {ident: entry["text"] for ident, entry in known.items()}


def test_catalogue_shape_and_rules(course):
    catalogue = load_catalogue()
    units = {unit["id"]: unit for unit in catalogue["units"]}
    chapters = {chapter.url_name for chapter in course.chapters}
    assert [unit["module"] for unit in catalogue["units"]] == [c.url_name for c in course.chapters[:4]]
    for unit in catalogue["units"]:
        assert unit["module"] in chapters and unit["sample"] is True
        assert re.fullmatch(r"[A-Z]/\d{3}/\d{4}", unit["code"])
        for outcome in unit["learning_outcomes"]:
            for criterion in outcome["criteria"]:
                if criterion.get("type") == "performance":  # something the learner does, evidenced by a product
                    assert criterion["text"].split()[0] in {
                        "Produce", "Prepare", "Chair", "Analyse", "Review", "Justify", "Agree", "Present", "Lead"}
                    assert criterion["evidence"]
                else:
                    assert criterion["text"].split()[0] in {"Explain", "Analyse", "Evaluate", "Assess", "Justify"}
    for qualification in catalogue["qualifications"]:
        mandatory = sum(units[u]["credit"] for u in qualification["mandatory_units"])
        optional = sum(group["min_credits"] for group in qualification["optional_groups"])
        assert mandatory + optional == qualification["credits_required"]


def test_wrong_or_unclaimable_criteria_are_errors(tree):
    log = tree / "vertical" / "induction-log.xml"
    edit(log, "Evaluate own approach to chairing", "Reflect on own approach to chairing")
    edit(log, '<criterion id="LPM1-4.2">Review progress on own development plan with a buddy or mentor</criterion>\n', "")
    edit(tree / "vertical" / "leading-log.xml", 'id="LPM4-1.1"', 'id="LPM9-1.1"')
    report = validate(tree)
    found = problems(report, "catalogue")
    assert any("vertical/induction-log.xml" in p and "LPM1-3.2" in p and "text must be the catalogue's" in p
               for p in found), found
    assert any("criterion LPM1-4.2 cannot be claimed" in p for p in found), found
    assert any("criterion 'LPM9-1.1' is not in partnership_management.yaml" in p for p in found), found


def test_a_criterion_claimed_in_another_module_is_an_error(tree):
    edit(tree / "vertical" / "leading-log.xml", 'id="LPM4-1.1"', 'id="LPM1-1.1"')
    report = validate(tree)
    assert any("belongs to unit LPM1" in p and "not to this module 'leading-partnership'" in p
               for p in problems(report, "catalogue"))


# --------------------------------------------------------------------------- grading

def test_grading_policy_matches_the_graded_sequentials(course):
    report = Report()
    check_grading(course, report)
    assert report.problems == []
    policy = json.loads((SOURCE / "policies" / "2026" / "grading_policy.json").read_text())
    assert policy["GRADE_CUTOFFS"] == {"Pass": 0.6}
    assert {g["type"] for g in policy["GRADER"]} == {"Reflective log", "Facilitation exercise"}


def test_an_ungraded_log_and_a_wrong_count_are_errors(tree):
    edit(tree / "sequential" / "leading-reflection.xml", ' graded="true" format="Reflective log"', "")
    report = validate(tree)
    found = problems(report, "grading")
    assert any("'leading-reflection' holds a reflective log but is not graded" in p for p in found), found
    assert any("grader 'Reflective log': min_count is 4 but the course has 3" in p for p in found), found


# --------------------------------------------------------------------------- html

def test_html_is_accessible_and_finished(course):
    report = Report()
    check_html(course, report)
    assert report.problems == []


def test_html_problems_are_named(tree):
    page = tree / "html" / "budget-monitoring-text.html"
    edit(page, "<caption>An illustrative budget report to partners at the end of the second quarter</caption>\n", "")
    edit(page, "<h2>Monitor every month</h2>", "<h4>Monitor every month</h4>")
    edit(page, "<p>Record every decision to move money", '<p><a href="https://example.org/">click here</a>. TODO. Record every decision to move money')
    edit(tree / "html" / "remit-text.html", "<h2>A minimum remit, and room to go further</h2>",
         "<h3>A minimum remit, and room to go further</h3>")
    report = validate(tree)
    found = problems(report, "html")
    for expected in ("a table needs a <caption>", "heading h4 follows h2", "link text 'click here'",
                     "placeholder text: 'TODO'"):
        assert any(p.startswith("ERROR [html] html/budget-monitoring-text.html") and expected in p
                   for p in found), (expected, found)
    assert any("html/remit-text.html" in p and "first heading must be h2" in p for p in found), found


def test_html_that_is_not_well_formed_is_an_error(tree):
    edit(tree / "html" / "welcome-text.html", "<h2>What the programme offers</h2>", "<h2>What the programme offers")
    report = validate(tree)
    assert any("html/welcome-text.html" in p and "not well-formed" in p for p in problems(report, "html"))


# --------------------------------------------------------------------------- the tree loader

def test_missing_and_malformed_files_name_file_and_element(tree):
    (tree / "html" / "remit-text.html").unlink()
    with pytest.raises(OlxError) as error:
        load_course(tree)
    assert str(error.value).startswith("html/remit-text.xml:1: <html url_name='remit-text'>:") or \
        "html/remit-text.html, which does not exist" in str(error.value)
    shutil.copy(SOURCE / "html" / "remit-text.html", tree / "html" / "remit-text.html")
    edit(tree / "vertical" / "remit.xml", "</vertical>", "</vertical")
    with pytest.raises(OlxError) as error:
        load_course(tree)
    assert str(error.value).startswith("vertical/remit.xml: is not well-formed XML")


def test_duplicate_url_names_are_refused(tree):
    edit(tree / "vertical" / "remit.xml", 'url_name="remit-text"', 'url_name="welcome-text"')
    with pytest.raises(OlxError) as error:
        load_course(tree)
    assert "url_name 'welcome-text' is already used in vertical/welcome.xml" in str(error.value)


def test_unit_of_finds_the_unit_for_any_url_name(course):
    assert course.unit_of("learning-needs-analysis").url_name == "starting-point"
    assert course.unit_of("induction").url_name == "welcome"
    assert course.unit_of("induction-budget").url_name == "budget-funding"
    assert course.unit_of("remit").url_name == "remit"
    assert course.unit_of("nothing-here") is None


# --------------------------------------------------------------------------- the command

def _run(*args):
    return subprocess.run([sys.executable, "-m", "course_content", *map(str, args)],
                          capture_output=True, text=True, check=False)


def test_validate_command_prints_counts_and_fails_with_file_and_element(tree):
    done = _run("validate", "--source", tree)
    units = f"units: {len(list(load_course(tree).units()))}"  # new pages are added by several developers
    for line in ("modules: 5", units, "blocks: ", "lp_needs_assessment 8", "participant-facing words: "):
        assert line in done.stdout, done.stdout
    edit(tree / "html" / "evaluating-partnership-text.html", "/jump_to_id/partnership-health-check",
         "/jump_to_id/health-chek")
    failed = _run("validate", "--source", tree)
    assert failed.returncode == 1
    assert "ERROR [link] html/evaluating-partnership-text.html:" in failed.stderr
    assert "'health-chek'" in failed.stderr and "FAILED" in failed.stderr


def test_validate_command_passes_when_every_block_is_installed():
    for module in BLOCK_MODULES.values():
        pytest.importorskip(module)
    done = _run("validate")
    assert done.returncode == 0, done.stderr
    assert "OK: no errors" in done.stdout
    words = int(re.search(r"participant-facing words: (\d+)", done.stdout).group(1))
    assert words >= 8000


def test_build_command_writes_the_tarball(tmp_path):
    done = _run("build", "--output", tmp_path)
    assert done.returncode == 0, done.stderr
    target = tmp_path / "LPN-LPM-2026.tar.gz"
    assert target.read_bytes() == tarball_bytes()
    with gzip.open(target) as raw:
        assert raw.read(512)[:8] == b"course/\x00"


def test_wrong_arguments_exit_2():
    assert _run("publish").returncode == 2


def test_course_xml_names_the_advanced_modules(course):
    listed = json.loads(course.attributes["advanced_modules"])
    assert sorted(listed) == sorted(BLOCK_TAGS)
    assert etree.parse(str(SOURCE / "course.xml")).getroot().attrib == {"url_name": "2026", "org": "LPN",
                                                                         "course": "LPM"}


def test_course_content_never_imports_the_sdk():
    code = ("import sys, course_content.__main__, lp_programme.course_tree, course_content.build, course_content.validate; "
            "light = sorted(m for m in sys.modules if m.split('.')[0] in ('xblock', 'django', 'workbench')); "
            "course_content.validate.validate(); "
            "print(','.join(light) + '|' + ','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('workbench', 'sample_xblocks'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "|", result.stdout


def test_reflective_log_workbench_scenarios_claim_catalogue_criteria_with_its_wording():
    known = criteria(load_catalogue())
    folder = importlib.resources.files("lp_xblocks.reflective_log").joinpath("scenarios")
    scenarios = sorted(path for path in folder.iterdir() if path.name.endswith(".xml"))
    assert scenarios
    for path in scenarios:
        for node in etree.fromstring(path.read_bytes()).iter("criterion"):
            assert node.get("id") in known, (path.name, node.get("id"))
            assert " ".join(node.text.split()) == known[node.get("id")]["text"], (path.name, node.get("id"))


# --------------------------------------------------------------------------- assessment


def test_shipped_exercises_raise_no_assessment_problems(course):
    report = validate()
    assert problems(report, "assessment") == []


def test_a_weak_exercise_is_warned_about_and_wrong_justify_criteria_are_errors(tree):
    vertical = tree / "vertical" / "confidentiality-breach.xml"
    edit(vertical, '<ending id="paper-protocol" title="A protocol on paper" pass="false">',
         '<ending id="paper-protocol" title="A protocol on paper" pass="true">')
    edit(vertical, 'justify="LPM3-1.2 LPM3-2.3"', 'justify="LPM1-1.2 LPM9-9.9"')
    edit(vertical, 'graded_attempt="first"', 'graded_attempt="best"')
    report = validate(tree)
    found = problems(report, "assessment")
    assert any(p.startswith("WARNING [assessment] vertical/confidentiality-breach.xml") and
               "passing ending 'paper-protocol' can be reached with only 7 of 18 points" in p for p in found), found
    assert any("justify names 'LPM1-1.2' of unit LPM1, whose module is 'induction', not this module "
               "'facilitating-partnership'" in p for p in found), found
    assert any("justify names 'LPM9-9.9', which is not a catalogue criterion" in p for p in found), found
    assert any("a unit requires this exercise: set graded_attempt=\"first\"" in p for p in found), found


def test_build_and_validate_refuse_symlinks_that_leave_the_tree(tree, tmp_path):
    """Issue 12: a link out of the tree would pack a file from elsewhere (a key, /etc/...) into the tarball."""
    secret = tmp_path / "secret.txt"
    secret.write_text("not course content", encoding="utf-8")
    (tree / "static" / "secret.txt").symlink_to(secret)
    (tree / "static" / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(OlxError, match=r"static/elsewhere: is a symbolic link to .*, outside the course tree: refused.*1 more: see validate"):
        build(tmp_path / "dist", tree)
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").iterdir())
    found = problems(validate(tree), "links-out")
    assert len(found) == 2
    assert [text for text in found if "static/elsewhere" in text and "outside the course tree" in text]
    assert [text for text in found if "static/secret.txt" in text and "secret.txt, outside" in text]
    # A link that stays inside the tree is packed as the file it points to.
    (tree / "static" / "secret.txt").unlink()
    (tree / "static" / "elsewhere").unlink()
    (tree / "static" / "again.html").symlink_to(tree / "html" / "welcome-text.html")
    assert "static/again.html" in source_files(tree) and not problems(validate(tree), "links-out")


def test_an_olx_file_linked_from_outside_is_refused_when_loading(tree, tmp_path):
    outside = tmp_path / "closing.xml"
    shutil.move(tree / "chapter" / "closing.xml", outside)
    (tree / "chapter" / "closing.xml").symlink_to(outside)
    with pytest.raises(OlxError, match="outside the course tree"):
        load_course(tree)
