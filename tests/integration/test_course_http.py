"""The whole course in the workbench over HTTP: the outline, every unit as a page, jump_to_id, handlers."""
import html
import json
import re
import uuid
from importlib.metadata import entry_points

import pytest
from lxml import etree

from lp_programme.course_tree import load_course

from .http_client import Client

pytestmark = pytest.mark.integration

COURSE = load_course()
UNITS = [unit for _chapter, _sequential, unit in COURSE.units()]
BLOCK_MODULES = {
    "lp_needs_assessment": "lp_xblocks.needs_assessment.block",
    "lp_reflective_log": "lp_xblocks.reflective_log.block",
    "lp_facilitation_exercise": "lp_xblocks.facilitation.block",
    "lp_mentoring": "lp_xblocks.mentoring.block",
    "lp_learning_activity": "lp_xblocks.activity.block",
    "lp_workshop": "lp_xblocks.workshop.block",
}
WORKBENCH_PLACEHOLDERS = {"discussion": "lp_xblocks.workbench.discussion"}  # the platform's own blocks
ERROR_TEXT = re.compile(
    r"Traceback|Server Error|No such view|PluginMissingError|TemplateSyntaxError|Page not found|"
    r"not installed in this workbench|\$[A-Za-z_{]")


def block_handler(body, tag, handler, student):
    usage = etree.fromstring(body, etree.HTMLParser()).xpath(f"//*[@data-block-type='{tag}']/@data-usage")[0]
    return f"/handler/{usage}/{handler}/?student={student}"


def page(client, path):
    status, _headers, body = client.request(path)
    return status, body, etree.fromstring(body, etree.HTMLParser())


def text_of(element):
    return " ".join(" ".join(element.itertext()).split())


def test_front_page_leads_to_the_course_and_every_scenario(workbench_server):
    status, _body, doc = page(Client(workbench_server), "/?student=ann")
    assert status == 200
    links = doc.xpath("//main//a")
    assert links[0].get("href") == "/course/?student=ann" and text_of(links[0]) == COURSE.display_name
    blocks = {point.name: point.load() for point in entry_points(group="xblock.v1") if point.name in BLOCK_MODULES}
    expected = {
        f"/scenario/{tag}.{number}/?student=ann": title
        for tag, block in blocks.items() for number, (title, _xml) in enumerate(block.workbench_scenarios())
    }
    assert {a.get("href"): text_of(a) for a in links[1:]} == expected  # every block's scenarios, nothing else
    assert all(Client(workbench_server).request(href)[0] == 200 for href in expected)


def test_outline_lists_every_unit_in_course_order(workbench_server):
    student = f"outline-{uuid.uuid4().hex[:6]}"
    status, body, doc = page(Client(workbench_server), f"/course/?student={student}")
    assert status == 200
    assert doc.xpath("//h1")[0].text == COURSE.display_name
    assert [text_of(h) for h in doc.xpath("//main//h2")] == [c.display_name for c in COURSE.chapters]
    sequentials = [text_of(h) for h in doc.xpath("//main//h3")]
    assert [s.split(" (graded")[0] for s in sequentials] == [
        s.display_name for c in COURSE.chapters for s in c.sequentials]
    assert sum("(graded: Reflective log)" in s for s in sequentials) == 4
    links = doc.xpath("//ol[@class='lp-course-units']//a")
    assert [text_of(a) for a in links] == [unit.display_name for unit in UNITS]
    assert [a.get("href") for a in links] == [f"/course/{unit.url_name}/?student={student}" for unit in UNITS]
    assert not ERROR_TEXT.search(body)


@pytest.mark.parametrize("unit", UNITS, ids=[unit.url_name for unit in UNITS])
def test_every_unit_renders_its_html_and_blocks(workbench_server, unit):
    for component in unit.components:
        if component.tag != "html":
            pytest.importorskip({**BLOCK_MODULES, **WORKBENCH_PLACEHOLDERS}[component.tag])
    status, body, doc = page(Client(workbench_server), f"/course/{unit.url_name}/?student=visitor")
    assert status == 200
    assert not ERROR_TEXT.search(body), ERROR_TEXT.search(body).group(0)
    assert text_of(doc.xpath("//main/h1")[0]) == unit.display_name
    sections = doc.xpath("//main/div[contains(@class, 'lp-course-component')]")
    # A learner is not shown staff-only components (visible_to_staff_only), as in the LMS.
    shown = [c for c in unit.components if c.element.get("visible_to_staff_only") != "true"]
    assert [s.get("id") for s in sections] == [c.url_name for c in shown]
    for section, component in zip(sections, shown):
        assert section.xpath(".//*[@data-usage]"), component.url_name
        rendered = text_of(section)
        if component.tag == "html":
            source = etree.fromstring(f"<div>{component.html}</div>".encode())
            first = " ".join(next(p for p in source.iter("p")).itertext())
            assert " ".join(first.split()) in rendered
            assert len(section.xpath(".//table")) == len(source.findall(".//table"))
        else:
            assert html.unescape(component.display_name) in rendered
    ids = doc.xpath("//@id")
    assert len(ids) == len(set(ids))


STAFF_ONLY = [(unit, component) for unit in UNITS for component in unit.components
              if component.element.get("visible_to_staff_only") == "true"]


def test_staff_only_components_are_shown_to_tutors_only(workbench_server):
    assert STAFF_ONLY  # the workshops' facilitator notes
    for unit, component in STAFF_ONLY:
        _status, _body, learner = page(Client(workbench_server), f"/course/{unit.url_name}/?student=ann")
        _status, _body, tutor = page(Client(workbench_server), f"/course/{unit.url_name}/?student=tutor")
        assert not learner.xpath(f"//*[@id='{component.url_name}']")
        assert tutor.xpath(f"//*[@id='{component.url_name}']")


def test_unit_pages_link_to_their_neighbours(workbench_server):
    _status, _body, doc = page(Client(workbench_server), "/course/budget-contributions/?student=nav")
    assert doc.xpath("//a[@rel='prev']/@href") == ["/course/budget-funding/?student=nav"]
    assert doc.xpath("//a[@rel='next']/@href") == ["/course/budget-monitoring/?student=nav"]
    crumbs = [text_of(li) for li in doc.xpath("//nav[contains(@class, 'lp-course-crumbs')]//li")]
    assert crumbs == ["Induction", "Tools of the trade: the partnership budget", "Cash and in-kind contributions"]


def test_jump_to_id_opens_the_unit_that_holds_the_target(workbench_server):
    client = Client(workbench_server)
    status, headers, _ = _no_redirect(client, "/jump_to_id/learning-needs-analysis?student=ana")
    assert status == 302
    assert headers["Location"].endswith("/course/starting-point/?student=ana#learning-needs-analysis")
    status, headers, _ = _no_redirect(client, "/jump_to_id/remit", referer=f"{workbench_server}/course/?student=ben")
    assert status == 302 and headers["Location"].endswith("/course/remit/?student=ben")
    assert client.request("/jump_to_id/no-such-thing")[0] == 404
    assert client.request("/course/no-such-unit/")[0] == 404


def _no_redirect(client, path, referer=None):
    import urllib.error  # pylint: disable=import-outside-toplevel
    import urllib.request  # pylint: disable=import-outside-toplevel

    class Stop(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # pylint: disable=unused-argument
            return None

    opener = urllib.request.build_opener(Stop)
    request = urllib.request.Request(client.base + path, headers={"Referer": referer} if referer else {})
    try:
        with opener.open(request, timeout=30) as reply:
            return reply.status, reply.headers, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def test_course_blocks_answer_their_handlers_per_student(workbench_server):
    student = f"course-{uuid.uuid4().hex[:8]}"
    client = Client(workbench_server)
    status, body = client.request(f"/course/health-check/?student={student}")[::2]
    assert status == 200
    ids = re.findall(r'<fieldset class="lp-na__statement"[^>]*data-statement="([^"]+)"', body)
    assert len(ids) >= 30
    status, _, reply = client.request(block_handler(body, "lp_needs_assessment", "submit", student),
                                    {"answers": {i: 3 for i in ids}, "placements": {"partnership": "co-ordination"}})
    assert status == 200, reply
    assert json.loads(reply)["stage"] == "Co-ordination"  # the participant's placement (issue 15), not the score
    # The answers are the student's own: another student sees a fresh questionnaire.
    assert client.request(f"/course/health-check/?student={student}")[2].count(" checked>") == len(ids)
    assert client.request(f"/course/health-check/?student={student}-other")[2].count(" checked>") == 0


def test_every_static_link_in_the_course_downloads_from_the_workbench(workbench_server):
    from lp_programme.downloads import build_files  # pylint: disable=import-outside-toplevel

    client = Client(workbench_server)
    built = build_files()
    seen = set()
    for unit in UNITS:
        if not any(component.tag == "html" and "/static/" in component.html for component in unit.components):
            continue
        _status, _body, doc = page(client, f"/course/{unit.url_name}/?student=visitor")
        for link in doc.xpath("//main//a/@href[starts-with(., '/course/static/')]"):
            status, headers, body = fetch_bytes(workbench_server, link)
            assert status == 200, link
            name = link[len("/course/static/"):]
            assert headers["x-content-type-options"] == "nosniff"
            assert f'filename="{name.rsplit("/", 1)[-1]}"' in headers["content-disposition"]
            assert headers["content-type"].startswith(
                "text/csv" if name.endswith(".csv") else "application/vnd.openxmlformats")
            assert body == built[name]
            seen.add(name)
    assert seen == set(built)
    for wrong in ("/course/static/../course.xml", "/course/static/downloads/nothing.docx", "/course/static/%2e%2e/x"):
        assert fetch_bytes(workbench_server, wrong)[0] == 404, wrong
    status, headers, body = fetch_bytes(workbench_server, "/course/static/images/course_image.png")
    assert status == 200 and headers["content-type"] == "image/png" and body[:4] == b"\x89PNG"


def fetch_bytes(base, path):
    """(status, lower-cased headers, body bytes): the JSON client decodes text, downloads are binary."""
    import urllib.error  # pylint: disable=import-outside-toplevel
    import urllib.request  # pylint: disable=import-outside-toplevel

    try:
        with urllib.request.urlopen(base + path, timeout=30) as reply:  # noqa: S310 - loopback test server
            return reply.status, {k.lower(): v for k, v in reply.headers.items()}, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def test_inline_discussions_render_as_a_labelled_placeholder_in_the_workbench(workbench_server):
    status, body, doc = page(Client(workbench_server), "/course/partnership-stages/?student=ann")
    assert status == 200 and not ERROR_TEXT.search(body)
    (note,) = doc.xpath("//section[contains(@class, 'lp-disc')]")
    assert note.get("role") == "note"
    text = text_of(note)
    assert text.startswith("Discussion placeholder (workbench only)")
    assert "Compare with your learning set: stages of partnership working" in text
    assert '"Where our partnerships sit on the stages"' in text and '"Module 1: Understanding partnership"' in text


def test_the_placeholder_is_registered_for_the_workbench_only():
    from xblock.core import XBlock  # pylint: disable=import-outside-toplevel
    assert not [point for point in entry_points(group="xblock.v1") if point.value.startswith("lp_xblocks.workbench")]
    from lp_xblocks.workbench import discussion  # pylint: disable=import-outside-toplevel
    assert discussion.register() is discussion.DiscussionPlaceholderBlock
    assert XBlock.load_class("discussion") is discussion.DiscussionPlaceholderBlock
    assert discussion.register() is discussion.DiscussionPlaceholderBlock  # twice: still one registration
    assert sum(name == "discussion" for name, _entry in XBlock.extra_entry_points) == 1
