"""The second edition's checks: study time, external links, downloadable templates, catalogue drift, restated rules."""
import csv
import io
import shutil
import subprocess
import sys
import zipfile

import pytest

from course_content import SOURCE
from course_content.content_checks import external_link_problem
from lp_programme.downloads import FIXED_TIME, build_files, names
from lp_programme.template_sources import TEMPLATES
from lp_programme.course_tree import load_course
from course_content.validate import validate


@pytest.fixture
def tree(tmp_path):
    target = tmp_path / "olx"
    shutil.copytree(SOURCE, target)
    return target


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def errors(report, check):
    return [str(problem) for problem in report.errors if problem.check == check]


def test_the_shipped_course_passes_every_new_check():
    report = validate()
    for check in ("study-time", "external-link", "downloads", "drift", "rules"):
        assert errors(report, check) == [], check
    assert report.counts["study_minutes"] == 9805


# --------------------------------------------------------------------------- study time

def test_every_part_adds_up_to_what_the_guide_and_objectives_state():
    from course_content.study_time import round_hours, totals  # pylint: disable=import-outside-toplevel

    found = totals(load_course())
    assert not found.problems
    assert {part: round_hours(minutes) for part, minutes in found.parts.items()} == {
        "induction": 35, "understanding-partnership": 36, "facilitating-partnership": 45,
        "leading-partnership": 43, "closing": 4}
    assert (SOURCE / "about" / "effort.html").read_text().strip() == "3:00"


def test_the_old_induction_estimate_is_an_error(tree):
    edit(tree / "html" / "welcome-text.html",
         'Allow <span data-study-part="induction" data-study-hours="35">about 35 hours</span> for it, including the '
         "induction workshop, spread over your first two months in post.",
         "It takes most people between eight and twelve hours, spread over their first weeks in post.")
    found = errors(validate(tree), "study-time")
    assert len(found) == 1 and "welcome-text.html" in found[0] and "eight and twelve hours" in found[0]


def test_effort_that_is_not_the_weekly_share_of_the_total_is_an_error(tree):
    (tree / "about" / "effort.html").write_text("4:00\n", encoding="utf-8")
    found = errors(validate(tree), "study-time")
    assert found == ["ERROR [study-time] about/effort.html: says 4:00 hours a week, but 163 hours over 48 weeks is "
                     "3:00 a week (Open edX's effort is hours per week, in whole hours)"]
    (tree / "about" / "effort.html").write_text("three hours", encoding="utf-8")
    assert "must be hours of effort per week as H:MM" in errors(validate(tree), "study-time")[0]


def test_a_unit_estimate_that_changes_a_total_is_reported_on_every_page_that_states_it(tree):
    edit(tree / "vertical" / "trust.xml", 'study_minutes="180"', 'study_minutes="300"')
    found = errors(validate(tree), "study-time")
    assert any("programme-guide-text.html:10" in line and "states 45 hours for 'Module 2: Facilitating partnership'"
               in line and "2820 minutes, which is 47 hours" in line for line in found)
    assert any("facilitating-objectives-text.html" in line for line in found)
    assert any("course" in line and "165 hours" in line for line in found)
    warnings = [str(p) for p in validate(tree).warnings if p.check == "study-time"]
    assert any("47 hours" in line and "4 credits" in line for line in warnings)


def test_a_unit_without_an_estimate_or_with_a_bad_one_is_an_error(tree):
    edit(tree / "vertical" / "trust.xml", ' study_minutes="180"', "")
    edit(tree / "vertical" / "openness.xml", 'study_minutes="180"', 'study_minutes="two hours"')
    found = errors(validate(tree), "study-time")
    assert any("vertical/trust.xml" in line and "states no study time" in line for line in found)
    assert any("vertical/openness.xml" in line and "'two hours' must be a whole number" in line for line in found)


def test_a_stated_figure_must_show_in_the_text(tree):
    edit(tree / "html" / "leading-objectives-text.html", ">about forty-three hours</span>", ">about a week</span>")
    found = errors(validate(tree), "study-time")
    assert len(found) == 1 and "does not show the 43 hours" in found[0]


def test_hours_command_prints_units_totals_and_fails_when_they_disagree(tree):
    run = subprocess.run([sys.executable, "-m", "course_content", "hours"], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stderr
    assert "course: 9805 minutes = 163 hours" in run.stdout
    assert "  trust: 180 min" in run.stdout and "about/effort should be 3:00 (it is 3:00)" in run.stdout
    checked = subprocess.run([sys.executable, "-m", "course_content", "validate"], capture_output=True, text=True,
                             check=False)
    assert "study time: 9805 minutes = 163 hours" in checked.stdout
    edit(tree / "vertical" / "trust.xml", ' study_minutes="180"', "")
    run = subprocess.run([sys.executable, "-m", "course_content", "hours", "--source", str(tree)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 1 and "  trust: NO ESTIMATE" in run.stdout and "states no study time" in run.stderr


# --------------------------------------------------------------------------- external links

@pytest.mark.parametrize("link", [
    "https://www.gov.uk/government/organisations/department-for-education",
    "http://www.example.org.uk/page?x=1#part", "mailto:programme.team@lpm-course.org.uk", "#glossary",
])
def test_well_formed_external_links_pass(link):
    assert external_link_problem(link) is None


@pytest.mark.parametrize("link, why", [
    ("javascript:alert(1)", "'javascript:'"), ("data:text/html,hi", "'data:'"), ("file:///etc/passwd", "'file:'"),
    ("//cdn.example.org/x.js", "protocol-relative"), ("https:/www.gov.uk", "must start with https://"),
    ("https://user:secret@www.gov.uk/", "credentials"), ("http://localhost/x", "not a public domain name"),
    ("https://192.168.1.4/", "not a public domain name"), ("https://intranet/", "not a public domain name"),
    ("https://www.gov.uk/a page", "spaces"), ("https://www.gov.uk:8080/", "port 8080"),
    ("mailto:not an address", "spaces"), ("mailto:tutor@", "not a valid e-mail address"),
    ("www.gov.uk", "not an absolute address"), ("https://bad_host.org/", "not a public domain name"),
])
def test_malformed_or_unsafe_external_links_are_named(link, why):
    problem = external_link_problem(link)
    assert problem is not None and why in problem


def test_external_links_in_pages_about_pages_and_block_text_are_checked(tree):
    edit(tree / "html" / "trust-text.html", "<p>", '<p><a href="javascript:void(0)">the toolkit</a> ')
    edit(tree / "about" / "overview.html", "<p>", '<p><a href="https//www.gov.uk">government guidance</a> ')
    edit(tree / "vertical" / "reluctant-partner.xml", "<narrative>", "<narrative>See http://localhost:8000/x. ")
    found = errors(validate(tree), "external-link")
    assert len(found) == 3
    assert any("html/trust-text.html" in line and "'javascript:'" in line for line in found)
    assert any("about/overview.html" in line and "not an absolute address" in line for line in found)
    assert any("vertical/reluctant-partner.xml" in line and "http://localhost:8000/x" in line for line in found)


# --------------------------------------------------------------------------- downloadable templates

def test_every_template_is_built_deterministically_and_opens():
    import docx  # pylint: disable=import-outside-toplevel

    first, second = build_files(), build_files()
    assert first == second and sorted(first) == names()
    assert len([name for name in names() if name.endswith(".docx")]) == 7
    for name, data in first.items():
        if name.endswith(".docx"):
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                infos = package.infolist()
                assert infos[0].filename == "[Content_Types].xml"
                assert {info.date_time for info in infos} == {FIXED_TIME}
            document = docx.Document(io.BytesIO(data))
            assert document.core_properties.title and document.core_properties.author
            assert document.paragraphs[0].text == document.core_properties.title
            assert document.core_properties.language == "en-GB"
            for table in document.tables:
                if table.rows[0].cells[0].paragraphs[0].runs and table.rows[0].cells[0].paragraphs[0].runs[0].bold:
                    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")  # pylint: disable=protected-access
        else:
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
            assert rows[0] and all(cell and cell[0] not in "=+-@" for cell in rows[0])
    assert {template["name"] for template in TEMPLATES} == {
        "terms-of-reference", "partnership-protocol", "action-record", "in-kind-contribution-record",
        "budget-monitoring-report", "board-paper", "mentoring-agreement"}
    action = [t for t in TEMPLATES if t["name"] == "action-record"][0]
    assert action["csv"][0][:4] == ["What", "Where", "Whom", "When"]


def test_a_template_no_page_links_and_a_link_to_no_template_are_errors(tree):
    edit(tree / "html" / "chairing-preparation-text.html",
         '<a href="/static/downloads/board-paper.docx">', '<a href="/static/downloads/board-papers.docx">')
    (tree / "static" / "stray.pdf").write_bytes(b"%PDF")
    report = validate(tree)
    found = errors(report, "downloads")
    assert any("chairing-preparation-text.html" in line and "/static/downloads/board-paper.docx" in line
               and "does not link" in line for line in found)
    assert any("board-papers.docx" in line and "no downloadable template of that name" in line for line in found)
    assert any("static/stray.pdf" in str(w) and "not used" in str(w) for w in report.warnings)


def test_a_built_template_left_in_the_tree_is_refused_by_the_build(tree, tmp_path):
    from course_content.build import build  # pylint: disable=import-outside-toplevel
    from lp_programme.course_tree import OlxError  # pylint: disable=import-outside-toplevel

    (tree / "static" / "downloads").mkdir()
    (tree / "static" / "downloads" / "board-paper.docx").write_bytes(b"old")
    with pytest.raises(OlxError, match="static/downloads/board-paper.docx"):
        build(tmp_path, tree)


# --------------------------------------------------------------------------- catalogue drift and restated rules

def test_catalogue_text_restated_on_a_page_must_not_drift(tree):
    edit(tree / "html" / "accreditation-option-text.html", "LPM2 Understanding partnership",
         "LPM2 Understanding partnerships")
    edit(tree / "html" / "accreditation-option-text.html", "<td>Module 2</td><td>4</td>", "<td>Module 2</td><td>5</td>")
    edit(tree / "html" / "accreditation-option-text.html", "(14 credits)", "(15 credits)")
    edit(tree / "html" / "welcome-text.html", "</ul>",
         '<li data-criterion="LPM1-4.2">Review progress on your development plan with a mentor</li></ul>')
    found = errors(validate(tree), "drift")
    assert len(found) == 4
    assert any("\"Understanding partnership\" in the catalogue" in line for line in found)
    assert any("LPM3 is worth 4 credits" in line for line in found)
    assert any("Certificate in Learning Partnership Management needs 14 credits" in line for line in found)
    assert any("criterion LPM1-4.2 must read exactly" in line for line in found)


def test_the_guide_may_not_claim_the_logs_wording_without_listing_criteria(tree):
    edit(tree / "html" / "programme-guide-text.html", "which each reflective log lists in the awarding body's own "
         "wording.", "and the same wording appears in your reflective logs.")
    assert "lists no criterion marked data-criterion" in errors(validate(tree), "drift")[0]


def test_text_restating_the_configuration_must_agree_with_it(tree):
    edit(tree / "html" / "chairing-practice-text.html", "at least two rows of an action plan",
         "at least one row of an action plan")
    edit(tree / "html" / "portfolio-completion-text.html", "A log's score", "Check that you have at least one entry "
         "in each log. A log's score")
    edit(tree / "html" / "how-you-will-learn-text.html", "a grade of 60% or more is a pass",
         "a grade of 50% or more is a pass")
    edit(tree / "html" / "how-you-will-learn-text.html", "reflective logs (80%)", "reflective logs (70%)")
    found = errors(validate(tree), "rules")
    assert len(found) == 4
    assert any("\"at least one row of an action plan\"" in line and "at least 2" in line for line in found)
    assert any("\"at least one entry in each log\"" in line for line in found)
    assert any("pass mark of 50%" in line and "60%" in line for line in found)
    assert any("weigh 70%" in line and "80%" in line for line in found)


def test_the_tutors_page_promises_the_turnaround_the_mi_report_measures(tree):
    from lp_programme.service import TARGET_DAYS  # pylint: disable=import-outside-toplevel

    assert TARGET_DAYS == 14  # ten working days
    page = tree / "html" / "tutors-text.html"
    edit(page, 'data-turnaround-working-days="10">within ten working days', 'data-turnaround-working-days="5">within '
         "five working days")
    found = errors(validate(tree), "rules")
    assert len(found) == 1 and "within 5 working days" in found[0] and "10 working days" in found[0]
    edit(page, 'data-turnaround-working-days="5">within five working days', "data-x=\"\">within five working days")
    found = errors(validate(tree), "rules")
    assert len(found) == 1 and "promises a marking turnaround that nothing checks" in found[0]


def test_static_files_named_by_about_pages_and_the_policy_must_exist(tree):
    edit(tree / "about" / "overview.html", "<p>",
         '<p><img src="/static/images/missing.png" alt="A partnership meeting"/>')
    (tree / "static" / "images" / "course_image.png").unlink()
    found = [str(p) for p in validate(tree).errors if p.check == "link"]
    assert any("about/overview.html" in line and "/static/images/missing.png" in line for line in found)
    assert any("policy.json" in line and "course_image 'images/course_image.png'" in line for line in found)


def test_a_unit_may_state_its_own_time_and_other_hours_may_be_marked_as_not_study_time(tree):
    edit(tree / "html" / "trust-text.html", "<p>",
         '<p>Allow <span data-study-part="trust" data-study-hours="3">about three hours</span> for this unit. ', )
    edit(tree / "html" / "openness-text.html", "<p>",
         '<p>Allow <span data-study-part="openness" data-study-hours="2">about two hours</span> for this unit. ')
    edit(tree / "html" / "conflict-text.html", "<p>", "<p>Partners often spend twelve hours a month on meetings. ")
    edit(tree / "html" / "one-voice-text.html", "<p>",
         '<p><span data-study-time="other">Members may spend twelve hours a month on meetings.</span> ')
    found = errors(validate(tree), "study-time")
    assert len(found) == 2
    assert any("openness-text.html" in line and "states 2 hours for 'Openness" in line and "3 hours" in line
               for line in found)
    assert any("conflict-text.html" in line and "twelve hours a month" in line for line in found)


# --------------------------------------------------------------------------- a unit's own study time

def unit_errors(tree, page):
    return [line for line in errors(validate(tree), "study-time") if f"html/{page}-text.html" in line]


def test_every_new_unit_states_its_own_time_and_the_validator_checks_it():
    """Each unit page that says how long it takes is marked up with the unit's figure, which equals study_minutes."""
    from course_content.study_time import statements, totals  # pylint: disable=import-outside-toplevel
    from lxml import html as lxml_html  # pylint: disable=import-outside-toplevel

    found = totals(load_course())
    checked = {}
    for page in sorted((SOURCE / "html").glob("*.html")):
        for statement in statements(lxml_html.fragment_fromstring(page.read_text(encoding="utf-8"),
                                                                  create_parent="div"), page.name):
            if statement.part in found.units:
                checked[statement.part] = (int(statement.minutes) if statement.minutes is not None
                                           else int(statement.hours) * 60)
    assert {"mapping-partnerships": 75, "data-and-lmi": 75, "case-tendring": 60, "glossary": 15,
            "facilitation-self-check": 60, "progress-report-practice": 30}.items() <= checked.items()
    assert len(checked) >= 24
    assert all(found.units[unit] == minutes for unit, minutes in checked.items())


def test_a_unit_statement_in_minutes_fails_when_the_units_estimate_disagrees(tree):
    edit(tree / "vertical" / "mapping-partnerships.xml", 'study_minutes="75"', 'study_minutes="90"')
    found = unit_errors(tree, "mapping-partnerships")
    assert found == ["ERROR [study-time] html/mapping-partnerships-text.html:1: states 75 minutes for 'Mapping local "
                     "partnerships', but the unit's study_minutes (vertical/mapping-partnerships.xml) is 90 minutes"]


def test_a_unit_statement_in_hours_must_equal_the_units_minutes_exactly(tree):
    edit(tree / "vertical" / "bid-writing.xml", 'study_minutes="60"', 'study_minutes="75"')
    found = unit_errors(tree, "bid-writing")
    assert len(found) == 1 and "states 1 hour for 'Bid writing for partnership funds'" in found[0]
    assert "is 75 minutes: state data-study-minutes=\"75\"" in found[0]


def test_a_unit_statement_must_show_its_figure_in_the_text(tree):
    edit(tree / "html" / "data-and-lmi-text.html", ">about one hour and a quarter</span>", ">about one hour</span>")
    edit(tree / "html" / "case-joint-bid-text.html", ">about forty-five minutes</span>", ">about five minutes</span>")
    found = errors(validate(tree), "study-time")
    assert len(found) == 2
    assert any("data-and-lmi-text.html" in line and "does not show the 75 minutes" in line for line in found)
    assert any("case-joint-bid-text.html" in line and "does not show the 45 minutes" in line for line in found)


def test_an_unmarked_unit_statement_is_flagged_and_bad_mark_up_is_refused(tree):
    edit(tree / "html" / "bid-writing-text.html",
         'Allow <span data-study-part="bid-writing" data-study-hours="1">about one hour</span>', "Allow about one hour")
    edit(tree / "html" / "glossary-text.html", 'data-study-part="glossary"', 'data-study-part="induction"')
    edit(tree / "html" / "leading-reading-text.html", 'data-study-minutes="30"',
         'data-study-minutes="30" data-study-hours="1"')
    edit(tree / "html" / "case-two-colleges-text.html", 'data-study-minutes="45"', 'data-study-minutes="¾"')
    found = errors(validate(tree), "study-time")
    assert len(found) == 4
    assert any("bid-writing-text.html" in line and 'nothing checks: "Allow about one hour for this unit' in line
               for line in found)
    assert any("glossary-text.html" in line and "'induction' names no unit of the course" in line for line in found)
    assert any("leading-reading-text.html" in line and "not both" in line for line in found)
    assert any("case-two-colleges-text.html" in line and "'¾' must be a whole number of minutes" in line
               for line in found)


@pytest.mark.parametrize("text, minutes, shown", [
    ("about one hour and a quarter", 75, True), ("about one hour and a quarter", 60, False),
    ("an hour and a half", 90, True), ("about forty-five minutes", 45, True), ("about forty-five minutes", 5, False),
    ("half an hour", 30, True), ("1 hour 15 minutes", 75, True), ("1 hour and 15 minutes", 60, False),
    ("about two hours", 120, True), ("about one hour", 75, False), ("about 20 minutes", 20, True),
])
def test_a_duration_is_recognised_in_digits_words_and_fractions(text, minutes, shown):
    from course_content.study_time import shows_minutes  # pylint: disable=import-outside-toplevel

    assert shows_minutes(text, minutes) is shown
