"""
Validate the course source tree; every problem names the file, the line where known, and the element.

Checks, in order:

- ``structure``: the tree loads (pointers resolve, url_names unique and readable, display names present).
- ``olxcleaner``: olxcleaner's full validation with ``allowed_xblocks`` = the three block tags; ERROR-level
  results fail. Two of its warnings are checked here instead and dropped when this module finds them sound:
  a policy setting that repeats the course XML (Studio exports both; the values must agree) and a
  ``/jump_to_id/`` link to a custom block (olxcleaner does not index blocks it does not know); and a
  link to a downloadable template, which the build makes (``downloads`` below).
- ``settings``: ``advanced_modules`` in the course XML and in policy.json list the three block tags.
- ``block``: every custom block parses with the package's own XBlock class and passes its ``validate()``.
- ``shared``: blocks that reuse a block's workbench scenario match that scenario file exactly.
- ``link``: every ``/jump_to_id/<url_name>`` (in html and in block text) names something in the course, every
  ``/static/<file>`` exists, and no other site-relative link is used.
- ``catalogue``: every reflective-log criterion is a catalogue criterion of its module's unit with the
  catalogue's exact text, and every catalogue criterion is claimable in a log of that unit's module.
- ``assessment``: a facilitation exercise's assessment warnings (best choice at one position, a failing ending
  reachable with a passing score, a passing ending with a failing one) as WARNINGs; a key decision's criteria
  must be catalogue criteria of the module's unit, and an exercise a unit requires must count the first attempt.
- ``grading``: graded sequentials use the grading policy's types, as many as each type's ``min_count``;
  every reflective log sits in a graded sequential; there is a ``Pass`` cutoff.
- ``external-link``: every address outside the course (html links, addresses written in block text) is a
  well-formed absolute https/http URL or mailto: address (see :mod:`course_content.content_checks`).
- ``downloads``: every downloadable template the build makes (:mod:`lp_programme.downloads`) is linked from
  its page; a link to /static/downloads/ names one of them; a file in static/ nothing uses is a WARNING.
- ``study-time``: every unit states study_minutes; every stated study time, the guide's total and weeks, and
  about/effort agree with the units' sums (:mod:`course_content.study_time`); hours against credits: WARNING.
- ``drift``: catalogue text restated on a page (criteria marked data-criterion, unit titles and credits,
  qualification credits) is the catalogue's.
- ``rules``: text that restates a configuration agrees with it (action-plan rows, pass mark, grading weights,
  what a log's score counts, the tutors' marking turnaround).
- ``learning-sets``: discussions and cohorts in the policy (a topic per module plus workshops and mentoring,
  learning sets of 6 to 8 as cohorts) and every inline discussion component (see :mod:`.learning_sets`).
- ``html``: well-formed, headings in order from h2, tables with caption and header cells, meaningful link
  text, images with alt text; no placeholder text anywhere a participant looks.
"""
from __future__ import annotations

import importlib.resources
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from lp_programme import downloads
from lp_programme.catalogue import DEFAULT_CATALOGUE, CatalogueError, criteria, load_catalogue
from lp_programme.course_tree import LINK_OUT, Component, Course, OlxError, children, describe, load_course, scan_tree

from . import BLOCK_TAGS, SOURCE, content_checks, study_time
from .learning_sets import PLATFORM_TAGS, check_learning_sets

ERROR, WARNING = "ERROR", "WARNING"

# Course blocks that reuse a block's workbench scenario: the two must not drift apart.
SHARED_SCENARIOS = {
    "learning-needs-analysis": ("lp_xblocks.needs_assessment", "scenarios/learning_needs_analysis.xml"),
    "partnership-health-check": ("lp_xblocks.needs_assessment", "scenarios/partnership_health_check.xml"),
    "exercise-chairing": ("lp_xblocks.facilitation", "scenarios/contentious_meeting.xml"),
    "exercise-reluctant-partner": ("lp_xblocks.facilitation", "scenarios/reluctant_partner.xml"),
    "exercise-one-voice": ("lp_xblocks.facilitation", "scenarios/one_voice.xml"),
}

READABLE_URL_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PLACEHOLDER = re.compile(r"\b(?:lorem ipsum|todo|tbd|fixme|placeholder|xxx+)\b|\[insert", re.IGNORECASE)
SITE_LINK = re.compile(r"(?<![\w/.:])/(?:jump_to_id|static|course|courses)/[^\s<>\"')]+")
VAGUE_LINK_TEXT = {"here", "click here", "read more", "more", "link", "this link", "this page", "click"}
WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
PARTICIPANT_ATTRIBUTES = ("display_name", "title", "label")


@dataclass
class Problem:
    level: str
    check: str
    file: str
    message: str
    line: int | None = None
    element: str = ""

    def __str__(self):
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{self.level} [{self.check}] {where}: {self.element + ': ' if self.element else ''}{self.message}"


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    course: Course | None = None

    @property
    def errors(self):
        return [problem for problem in self.problems if problem.level == ERROR]

    @property
    def warnings(self):
        return [problem for problem in self.problems if problem.level == WARNING]

    def add(self, check, file, message, element=None, level=ERROR):
        self.problems.append(Problem(
            level, check, file, message,
            line=getattr(element, "sourceline", None) if element is not None else None,
            element=describe(element) if element is not None else "",
        ))


# --------------------------------------------------------------------------- text helpers

def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def count_words(text: str) -> int:
    return len(WORD.findall(text or ""))


def html_fragment(html: str):
    """Parse an html component's text as an XML fragment (the workbench and olxcleaner both need it)."""
    return etree.fromstring(f"<div>{html}</div>".encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))


def element_text(element) -> str:
    """The participant-facing text of a block element: text nodes and display attributes."""
    parts = [value for name in PARTICIPANT_ATTRIBUTES for node in element.iter()
             if isinstance(node.tag, str) for value in [node.get(name)] if name in node.attrib and value]
    parts += [text for text in element.itertext()]
    return " ".join(parts)


# --------------------------------------------------------------------------- checks

def check_structure(course: Course, report: Report) -> None:
    for chapter in course.chapters:
        _named(report, chapter, "chapter")
        for sequential in chapter.sequentials:
            _named(report, sequential, "sequential")
            if not sequential.units:
                report.add("structure", sequential.file, f"sequential '{sequential.url_name}' has no units")
            for unit in sequential.units:
                _named(report, unit, "vertical")
                if not unit.components:
                    report.add("structure", unit.file, f"unit '{unit.url_name}' has no components")
                for component in unit.components:
                    _named(report, component, component.tag, component.element)
                    if component.tag != "html" and component.tag not in BLOCK_TAGS + PLATFORM_TAGS:
                        report.add("structure", component.file,
                                   f"<{component.tag}> is not one of the course's components: html, "
                                   + ", ".join(BLOCK_TAGS + PLATFORM_TAGS), component.element)


def _named(report, item, tag, element=None):
    label = f"<{tag} url_name='{item.url_name}'>"
    if not READABLE_URL_NAME.match(item.url_name):
        report.add("structure", item.file,
                   f"{label}: url_name must be readable: lower-case words joined by hyphens", element)
    if not fold(item.display_name):
        report.add("structure", item.file, f"{label}: display_name is missing", element)


def check_olxcleaner(root: Path, course: Course | None, report: Report) -> dict:
    """Run olxcleaner; returns its summary counts."""
    summary = {"errors": 0, "warnings": 0, "explained": 0}
    try:
        from olxcleaner import validate as olx_validate  # pylint: disable=import-outside-toplevel
    except ImportError:
        summary["errors"] += 1
        report.add("olxcleaner", "course.xml", "olxcleaner is not installed: pip install 'lp-xblocks[course]'")
        return summary
    _course, store, _names = olx_validate(str(root), steps=8, allowed_xblocks=list(BLOCK_TAGS))
    for error in store.errors:
        if course is not None and _explained(error, course):
            summary["explained"] += 1
            continue
        if error.level == "ERROR":
            summary["errors"] += 1
            report.add("olxcleaner", error.filename or "course.xml", f"{error.name}: {error.description}")
        elif error.level == "WARNING":
            summary["warnings"] += 1
            report.add("olxcleaner", error.filename or "course.xml", f"{error.name}: {error.description}",
                       level=WARNING)
    return summary


def _explained(error, course: Course) -> bool:
    """An olxcleaner warning that this module checks more precisely (see the module docstring)."""
    if error.name == "SettingOverride":
        setting = re.search(r"setting for '([^']+)'", error.description)
        if not setting or f"url_name='{course.run}'" not in error.description:
            return False
        name = setting.group(1)
        in_xml = course.attributes.get(name)
        in_policy = course.policy.get(f"course/{course.run}", {}).get(name)
        try:
            in_xml = json.loads(in_xml)
        except (TypeError, ValueError):
            pass
        return in_xml == in_policy
    if error.name == "MissingFile":  # a downloadable template: the build makes it (check_downloads checks it)
        missing = re.search(r"missing static file: /static/(\S+)", error.description)
        return bool(missing) and missing.group(1) in downloads.names()
    if error.name == "BadJumpToLink":
        target = error.description.rsplit("/jump_to_id/", 1)[-1].strip()
        found = course.url_names().get(target)
        return isinstance(found, Component) and found.tag in BLOCK_TAGS
    return False


def check_settings(course: Course, report: Report) -> None:
    expected = sorted(BLOCK_TAGS)
    raw = course.attributes.get("advanced_modules")
    try:
        in_xml = json.loads(raw) if raw else None
    except ValueError:
        in_xml = raw
    if not isinstance(in_xml, list) or sorted(in_xml) != expected:
        report.add("settings", course.file, f"advanced_modules must be the JSON list {json.dumps(expected)}")
    in_policy = course.policy.get(f"course/{course.run}", {}).get("advanced_modules")
    if not isinstance(in_policy, list) or sorted(in_policy) != expected:
        report.add("settings", f"policies/{course.run}/policy.json",
                   f"course/{course.run}: advanced_modules must list {', '.join(expected)}")


def check_blocks(course: Course, report: Report) -> dict:
    """Parse every custom block with its own class; returns {url_name: parsed block}."""
    from .blocks import BlockNotInstalled, parse_and_validate  # pylint: disable=import-outside-toplevel

    parsed = {}
    for _unit, component in course.components():
        if component.tag not in BLOCK_TAGS:
            continue
        try:
            block, problems = parse_and_validate(component.element)
        except BlockNotInstalled:
            report.add("block", component.file,
                       f"the {component.tag} block is not installed, so it cannot be parsed or validated",
                       component.element)
            continue
        except Exception as error:  # pylint: disable=broad-except  # any parse failure is the OLX's fault
            report.add("block", component.file, f"does not parse: {error}", component.element)
            continue
        for problem in problems:
            report.add("block", component.file, f"validation: {problem}", component.element)
        parsed[component.url_name] = block
    return parsed


def canonical(element):
    """A comparable form of an element: tag, attributes (without url_name), folded text, children."""
    attributes = tuple(sorted((k, v) for k, v in element.attrib.items() if k != "url_name"))
    return (element.tag, attributes, fold(element.text), tuple(
        (canonical(child), fold(child.tail)) for child in children(element)
    ))


def check_shared(course: Course, report: Report) -> None:
    names = course.url_names()
    for url_name, (package, resource) in SHARED_SCENARIOS.items():
        component = names.get(url_name)
        if not isinstance(component, Component):
            report.add("shared", course.file, f"the course has no block '{url_name}' (it should reuse {resource})")
            continue
        try:
            text = importlib.resources.files(package).joinpath(resource).read_text(encoding="utf-8")
        except (ModuleNotFoundError, FileNotFoundError):
            report.add("shared", component.file,
                       f"reuses {package}/{resource}, which is not installed", component.element)
            continue
        scenario = etree.fromstring(text.encode("utf-8"))
        if canonical(scenario) != canonical(component.element):
            report.add("shared", component.file,
                       f"differs from {package.replace('.', '/')}/{resource}: copy the scenario file's content "
                       "into the course (only url_name may be added)", component.element)


def check_links(course: Course, report: Report) -> int:
    """Returns the number of internal links checked."""
    names = course.url_names()
    checked = 0
    for _unit, component in course.components():
        if component.tag == "html":
            file = component.html_file or component.file
            try:
                fragment = html_fragment(component.html)
            except etree.XMLSyntaxError:
                continue  # reported by check_html
            links = [(node, node.get(attr)) for node in fragment.iter() if isinstance(node.tag, str)
                     for attr in ("href", "src") if node.get(attr)]
        else:
            file = component.file
            text = " ".join([*component.element.itertext(), *(
                value for node in component.element.iter() if isinstance(node.tag, str)
                for value in node.attrib.values())])
            links = [(component.element, match) for match in SITE_LINK.findall(text)]
        for node, link in links:
            if link.startswith("/jump_to_id/"):
                checked += 1
                target = link[len("/jump_to_id/"):].split("#")[0].split("?")[0].rstrip("/")
                if target not in names:
                    report.add("link", file, f"link {link} names '{target}', which is not in the course", node)
            elif link.startswith("/static/"):
                checked += 1
                name = link[len("/static/"):].split("#")[0].split("?")[0]
                if name.startswith(f"{downloads.FOLDER}/") and name not in downloads.names():
                    report.add("downloads", file, f"link {link}: no downloadable template of that name is built "
                                                  "(see lp_programme/template_sources.py)", node)
                elif name not in downloads.names() and not (course.root / "static" / name).is_file():
                    report.add("link", file, f"link {link}: no such file under static/", node)
            elif link.startswith("/"):
                report.add("link", file, f"link {link}: use /jump_to_id/<url_name> or /static/<file> inside "
                                         "the course", node)
            else:
                problem = content_checks.external_link_problem(link)
                if problem:
                    report.add("external-link", file, f"link {link}: {problem}", node)
    return checked


def check_external_text(course: Course, report: Report) -> None:
    """Addresses written out in block text and on the about pages."""
    for _unit, component in course.components():
        if component.tag == "html":
            continue
        text = " ".join([*component.element.itertext(), *(
            value for node in component.element.iter() if isinstance(node.tag, str) for value in node.attrib.values())])
        for link in content_checks.text_urls(text):
            problem = content_checks.external_link_problem(link)
            if problem:
                report.add("external-link", component.file, f"address {link}: {problem}", component.element)
    for path in sorted((course.root / "about").glob("*.html")):
        try:
            fragment = html_fragment(path.read_text(encoding="utf-8"))
        except etree.XMLSyntaxError:
            continue
        for node in fragment.iter():
            if not isinstance(node.tag, str):
                continue
            for attr in ("href", "src"):
                link = node.get(attr)
                if link and link.startswith("/static/"):
                    name = link[len("/static/"):].split("#")[0].split("?")[0]
                    if name not in downloads.names() and not (course.root / "static" / name).is_file():
                        report.add("link", path.relative_to(course.root).as_posix(),
                                   f"link {link}: no such file under static/", node)
                elif link and not link.startswith("/jump_to_id/"):
                    problem = content_checks.external_link_problem(link)
                    if problem:
                        report.add("external-link", path.relative_to(course.root).as_posix(),
                                   f"link {link}: {problem}", node)


def html_pages(course: Course):
    """``(file, unit or None, fragment)`` for every html component and about page that parses."""
    for unit, component in course.components():
        if component.tag == "html":
            try:
                yield component.html_file or component.file, unit, html_fragment(component.html)
            except etree.XMLSyntaxError:
                continue
    for path in sorted((course.root / "about").glob("*.html")):
        try:
            yield path.relative_to(course.root).as_posix(), None, html_fragment(path.read_text(encoding="utf-8"))
        except etree.XMLSyntaxError:
            continue


def check_downloads(course: Course, report: Report) -> None:
    """Every built template is linked from its page; every file in static/ is used."""
    from lp_programme.template_sources import TEMPLATES  # pylint: disable=import-outside-toplevel

    linked: dict[str, set] = {}
    for file, _unit, fragment in html_pages(course):
        for node in fragment.iter():
            if isinstance(node.tag, str):
                for attr in ("href", "src"):
                    link = node.get(attr) or ""
                    if link.startswith("/static/"):
                        linked.setdefault(link[len("/static/"):].split("#")[0].split("?")[0], set()).add(file)
    names = course.url_names()
    for template in TEMPLATES:
        page = names.get(template["page"])
        page_file = getattr(page, "html_file", None) or f"html/{template['page']}.html"
        for name in downloads.names():
            if not name.startswith(f"{downloads.FOLDER}/{template['name']}."):
                continue
            if page is None:
                report.add("downloads", "lp_programme/template_sources.py",
                           f"{name}: its page '{template['page']}' is not in the course")
            elif page_file not in linked.get(name, set()):
                report.add("downloads", page_file, f"does not link the template /static/{name} (a template nobody "
                                                   "can find is not downloadable)")
    image = course.policy.get(f"course/{course.run}", {}).get("course_image", "")
    if image and not (course.root / "static" / image).is_file():
        report.add("link", f"policies/{course.run}/policy.json", f"course_image '{image}': no such file under static/")
    used = set(linked) | {image}
    for path in sorted((course.root / "static").rglob("*")):
        name = path.relative_to(course.root / "static").as_posix()
        if path.is_file() and name not in used and not name.startswith("."):
            report.add("downloads", f"static/{name}", "is not used by any page", level=WARNING)


def check_study_time(course: Course, catalogue_path: Path, report: Report) -> study_time.Totals:
    found = study_time.totals(course)
    marked = []
    for file, _unit, fragment in html_pages(course):
        marked += study_time.statements(fragment, file)
        for sentence in study_time.unmarked(fragment):
            report.add("study-time", file, f"states a study time that nothing checks: \"{sentence}\" (mark the figure "
                                           "up with data-study-part and data-study-hours, or data-study-minutes for "
                                           "a unit's own time, see docs/course-second-edition.md)")
    effort_path = course.root / "about" / "effort.html"
    effort = effort_path.read_text(encoding="utf-8") if effort_path.is_file() else None
    try:
        credits = {unit.get("module"): int(unit.get("credit")) for unit in load_catalogue(catalogue_path)["units"]
                   if unit.get("credit") is not None}
    except (CatalogueError, TypeError, ValueError):
        credits = {}
    for level, file, line, message in study_time.check(found, marked, effort, credits):
        report.problems.append(Problem(level, "study-time", file, message, line))
    return found


def check_drift_and_rules(course: Course, catalogue_path: Path, report: Report) -> None:
    try:
        catalogue = load_catalogue(catalogue_path)
        known = criteria(catalogue)
    except CatalogueError:
        return  # check_catalogue reports it
    cutoff = course.grading_policy.get("GRADE_CUTOFFS", {}).get("Pass")
    weights = {entry.get("type"): entry.get("weight") for entry in course.grading_policy.get("GRADER", [])
               if isinstance(entry, dict) and isinstance(entry.get("weight"), (int, float))}
    from lp_programme.service import TARGET_DAYS as target_days  # pylint: disable=import-outside-toplevel

    for file, unit, fragment in html_pages(course):
        for line, message in content_checks.drift_problems(fragment, catalogue, known):
            report.problems.append(Problem(ERROR, "drift", file, message, line))
        min_rows = []
        for component in (unit.components if unit is not None else []):
            if component.tag == "lp_facilitation_exercise":
                plan = component.element.find("action_plan")
                rows = plan.get("min_rows", "1") if plan is not None else "1"
                if rows.isdigit():
                    min_rows.append(int(rows))
        for line, message in content_checks.turnaround_problems(fragment, target_days):
            report.problems.append(Problem(ERROR, "rules", file, message, line))
        text = " ".join(fragment.itertext())
        for message in content_checks.rule_problems(text, min_rows=min_rows, pass_mark=cutoff, weights=weights):
            report.add("rules", file, message)


def check_catalogue(course: Course, catalogue_path: Path, report: Report) -> None:
    try:
        catalogue = load_catalogue(catalogue_path)
        known = criteria(catalogue)
    except CatalogueError as error:
        report.add("catalogue", str(catalogue_path), str(error))
        return
    chapters = {chapter.url_name: chapter for chapter in course.chapters}
    names = course.url_names()
    claimable: dict[str, set] = {}
    for chapter in course.chapters:
        for sequential in chapter.sequentials:
            for unit in sequential.units:
                for component in unit.components:
                    if component.tag != "lp_reflective_log":
                        continue
                    for node in component.element.iter("criterion"):
                        ident = (node.get("id") or "").strip()
                        text = fold("".join(node.itertext()))
                        entry = known.get(ident)
                        if entry is None:
                            report.add("catalogue", component.file,
                                       f"criterion '{ident}' is not in {catalogue_path.name}", node)
                            continue
                        if entry["module"] != chapter.url_name:
                            report.add("catalogue", component.file,
                                       f"criterion '{ident}' belongs to unit {entry['unit']} (module "
                                       f"'{entry['module']}'), not to this module '{chapter.url_name}'", node)
                        if text != fold(entry["text"]):
                            report.add("catalogue", component.file,
                                       f"criterion '{ident}': text must be the catalogue's: \"{entry['text']}\"",
                                       node)
                        claimable.setdefault(ident, set()).add(chapter.url_name)
    for unit in catalogue["units"]:
        module = unit.get("module")
        if module not in chapters:
            report.add("catalogue", str(catalogue_path), f"unit {unit['id']}: module '{module}' is not a chapter")
        for need in unit.get("requires") or []:
            target = names.get(need.get("block"))
            if need.get("kind") == "facilitation_exercise" and not (
                    isinstance(target, Component) and target.tag == "lp_facilitation_exercise"):
                report.add("catalogue", str(catalogue_path),
                           f"unit {unit['id']}: requires '{need.get('block')}', which is not a facilitation "
                           "exercise in the course")
    for ident, entry in sorted(known.items()):
        if entry["module"] not in claimable.get(ident, set()):
            report.add("catalogue", str(catalogue_path),
                       f"criterion {ident} cannot be claimed: no reflective log in module '{entry['module']}' "
                       "lists it")


def check_assessment(course: Course, catalogue_path: Path, report: Report) -> None:
    """The facilitation exercises as assessments: the scenario's warnings, justified criteria, graded attempt."""
    from lp_xblocks.facilitation import scenario as core  # pylint: disable=import-outside-toplevel
    from lp_xblocks.facilitation.olx import parse_scenario  # pylint: disable=import-outside-toplevel

    try:
        catalogue = load_catalogue(catalogue_path)
        known = criteria(catalogue)
    except CatalogueError:
        return  # check_catalogue reports it
    required = {need.get("block") for unit in catalogue["units"] for need in unit.get("requires") or []
                if isinstance(need, dict) and need.get("kind") == "facilitation_exercise"}
    exercises = [(chapter.url_name, component) for chapter in course.chapters for sequential in chapter.sequentials
                 for unit in sequential.units for component in unit.components
                 if component.tag == "lp_facilitation_exercise"]
    for module, component in exercises:
        try:
            scenario = parse_scenario(component.element)
        except core.ScenarioError:
            continue  # check_blocks reports it
        for warning in core.warnings(scenario):
            report.add("assessment", component.file, str(warning), component.element, level=WARNING)
        for scene in scenario["scenes"]:
            for ident in scene.get("justify") or []:
                entry = known.get(ident)
                if entry is None:
                    report.add("assessment", component.file,
                               f"scene '{scene['id']}': justify names '{ident}', which is not a catalogue criterion",
                               component.element)
                elif entry["module"] != module:
                    report.add("assessment", component.file,
                               f"scene '{scene['id']}': justify names '{ident}' of unit {entry['unit']}, whose module "
                               f"is '{entry['module']}', not this module '{module}'", component.element)
        if component.url_name in required and core.graded_policy(scenario) != "first":
            report.add("assessment", component.file,
                       "a unit requires this exercise: set graded_attempt=\"first\" so that practice cannot count",
                       component.element)


def check_grading(course: Course, report: Report) -> None:
    file = f"policies/{course.run}/grading_policy.json"
    graders = {entry.get("type"): entry for entry in course.grading_policy.get("GRADER", [])
               if isinstance(entry, dict)}
    cutoffs = course.grading_policy.get("GRADE_CUTOFFS", {})
    if "Pass" not in cutoffs:
        report.add("grading", file, "GRADE_CUTOFFS needs a 'Pass' cutoff")
    graded: dict[str, int] = {}
    for chapter in course.chapters:
        for sequential in chapter.sequentials:
            tags = {component.tag for unit in sequential.units for component in unit.components}
            if sequential.graded:
                if sequential.format not in graders:
                    report.add("grading", sequential.file,
                               f"sequential '{sequential.url_name}': format '{sequential.format}' is not a grader "
                               f"type ({', '.join(sorted(graders))})")
                graded[sequential.format] = graded.get(sequential.format, 0) + 1
                if not tags & {"lp_reflective_log", "lp_facilitation_exercise"}:
                    report.add("grading", sequential.file,
                               f"sequential '{sequential.url_name}' is graded but holds nothing that is scored")
            elif "lp_reflective_log" in tags:
                report.add("grading", sequential.file,
                           f"sequential '{sequential.url_name}' holds a reflective log but is not graded")
    for kind, entry in graders.items():
        if graded.get(kind, 0) != entry.get("min_count"):
            report.add("grading", file, f"grader '{kind}': min_count is {entry.get('min_count')} but the course "
                                        f"has {graded.get(kind, 0)} graded sequentials of that format")


def check_html(course: Course, report: Report) -> None:
    for _unit, component in course.components():
        if component.tag == "html":
            _check_html_text(component.html, component.html_file or component.file, report)
        else:
            text = element_text(component.element)
            if PLACEHOLDER.search(text):
                report.add("html", component.file, f"placeholder text: '{PLACEHOLDER.search(text).group(0)}'",
                           component.element)
    for path in sorted((course.root / "about").glob("*.html")):
        _check_html_text(path.read_text(encoding="utf-8"), path.relative_to(course.root).as_posix(), report,
                         first_heading=None)
    for chapter, sequential, unit in course.units():
        for item in (chapter, sequential, unit):
            if PLACEHOLDER.search(item.display_name):
                report.add("html", item.file, f"placeholder text in the name '{item.display_name}'")


def _check_html_text(html, file, report, first_heading=2):
    try:
        fragment = html_fragment(html)
    except etree.XMLSyntaxError as error:
        report.add("html", file, f"is not well-formed (XHTML is required so every runtime can read it): {error}")
        return
    text = " ".join(fragment.itertext())
    found = PLACEHOLDER.search(text)
    if found:
        report.add("html", file, f"placeholder text: '{found.group(0)}'")
    previous = None
    for node in fragment.iter():
        if not isinstance(node.tag, str):
            continue
        heading = re.fullmatch(r"h([1-6])", node.tag)
        if heading:
            level = int(heading.group(1))
            if previous is None and first_heading and level != first_heading:
                report.add("html", file, f"line {node.sourceline}: the first heading must be h{first_heading} "
                                         f"(the page title is h1), not h{level}")
            elif previous is not None and level > previous + 1:
                report.add("html", file, f"line {node.sourceline}: heading h{level} follows h{previous}: "
                                         "headings must not skip a level")
            previous = level
        elif node.tag == "table":
            if node.find("caption") is None:
                report.add("html", file, f"line {node.sourceline}: a table needs a <caption>")
            headers = node.findall(".//th")
            if not headers:
                report.add("html", file, f"line {node.sourceline}: a table needs header cells (<th>)")
            elif any(th.get("scope") not in ("col", "row", "colgroup", "rowgroup") for th in headers):
                report.add("html", file, f"line {node.sourceline}: every <th> needs scope=\"col\" or \"row\"")
        elif node.tag == "a":
            label = fold(" ".join(node.itertext())) or fold(node.get("aria-label", ""))
            if not node.get("href"):
                report.add("html", file, f"line {node.sourceline}: a link has no href")
            if label.lower().rstrip(".") in VAGUE_LINK_TEXT or not label:
                report.add("html", file, f"line {node.sourceline}: link text '{label}' does not say where it "
                                         "goes")
        elif node.tag == "img" and node.get("alt") is None:
            report.add("html", file, f"line {node.sourceline}: an image needs alt text")


# --------------------------------------------------------------------------- counts

def counts(course: Course) -> dict:
    blocks: dict[str, int] = {}
    words = {"html": 0, "blocks": 0, "about": 0}
    for _unit, component in course.components():
        blocks[component.tag] = blocks.get(component.tag, 0) + 1
        if component.tag == "html":
            try:
                words["html"] += count_words(" ".join(html_fragment(component.html).itertext()))
            except etree.XMLSyntaxError:
                pass
        else:
            words["blocks"] += count_words(element_text(component.element))
    for path in sorted((course.root / "about").glob("*.html")):
        try:
            words["about"] += count_words(" ".join(html_fragment(path.read_text(encoding="utf-8")).itertext()))
        except etree.XMLSyntaxError:
            pass
    words["total"] = sum(words.values())
    units = list(course.units())
    return {
        "modules": len(course.chapters),
        "sequentials": sum(len(chapter.sequentials) for chapter in course.chapters),
        "units": len(units),
        "blocks": dict(sorted(blocks.items())),
        "words": words,
    }


def check_links_out(root: Path, report: Report) -> None:
    """Every symbolic link that leaves the tree is an error: ``build`` refuses to pack what it points to."""
    for where, target in scan_tree(root)[1]:
        report.add("links-out", where, LINK_OUT.format(target=target))


# --------------------------------------------------------------------------- entry point

def validate(root: str | Path = SOURCE, catalogue_path: str | Path = DEFAULT_CATALOGUE) -> Report:
    """Run every check; the report's ``errors`` are empty when the course may be built and imported."""
    root, catalogue_path = Path(root), Path(catalogue_path)
    report = Report()
    check_links_out(root, report)
    try:
        course = load_course(root)
    except OlxError as error:
        report.problems.append(Problem(ERROR, "structure", error.file, error.message, error.line, error.element))
        course = None
    report.counts["olxcleaner"] = check_olxcleaner(root, course, report)
    if course is None:
        return report
    report.course = course
    check_structure(course, report)
    check_settings(course, report)
    check_blocks(course, report)
    check_shared(course, report)
    report.counts["links"] = check_links(course, report)
    check_catalogue(course, catalogue_path, report)
    check_assessment(course, catalogue_path, report)
    check_grading(course, report)
    check_html(course, report)
    check_external_text(course, report)
    check_downloads(course, report)
    found = check_study_time(course, catalogue_path, report)
    check_drift_and_rules(course, catalogue_path, report)
    check_learning_sets(course, report)
    report.counts.update(counts(course))
    report.counts["study_minutes"] = found.course
    return report
