"""The block's views and handlers in the SDK's WorkbenchRuntime (in process, Django test database)."""
import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from lp_xblocks.data.models import NeedsAssessmentAttempt
from lp_xblocks.needs_assessment.block import DEFAULT_INSTRUMENT, NeedsAssessmentBlock
from lp_xblocks.needs_assessment.instrument import validate
from tests.conftest import call_handler

XML = """
<lp_needs_assessment display_name="Health check" kind="partnership" allow_retake="{retake}">
  <scale><point value="1">One</point><point value="2">Two</point><point value="3">Three</point>
         <point value="4">Four</point><point value="5">Five</point></scale>
  <theme id="leadership" title="Leadership">
    <statement id="l1">Remit agreed.</statement><statement id="l2">Roles defined.</statement>
    <band upto="2.5" label="Needs attention">Agree terms of reference.</band>
    <band upto="3.75" label="Developing">Review roles.</band>
    <band upto="5" label="Strong">Share practice.</band>
  </theme>
  <theme id="trust" title="Trust">
    <statement id="t1">Partners talk honestly.</statement>
    <band upto="2.5" label="Needs attention">Agree protocols.</band>
    <band upto="5" label="Strong">Keep it up.</band>
  </theme>
  <stage id="co-operation" label="Co-operation">Partners share information.</stage>
  <stage id="collaboration" label="Collaboration">Partners pool resources.</stage>
</lp_needs_assessment>
"""

ANSWERS = {"l1": 4, "l2": 3, "t1": 2}
PLACED = {"partnership": "collaboration"}


@pytest.fixture
def block(workbench_block):
    return workbench_block(XML.format(retake="true"))


@pytest.fixture
def once_only(workbench_block):
    return workbench_block(XML.format(retake="false"))


# ------------------------------------------------------------------------------ submit

def test_submit_scores_and_answers_the_contract_shape(block):
    # The stage is the participant's own placement (issue 15), no longer derived from the overall score.
    status, body, _ = call_handler(block("ann"), "submit", {"answers": ANSWERS, "placements": PLACED})
    assert status == 200
    assert body["attempt"] == 1
    assert body["overall"] == 2.75  # (3.5 + 2) / 2
    assert body["stage"] == "Collaboration"
    assert body["themes"] == [
        {"id": "leadership", "title": "Leadership", "score": 3.5, "band": "Developing",
         "recommendation": "Review roles.", "change_since_first": None, "dont_know": 0},
        {"id": "trust", "title": "Trust", "score": 2.0, "band": "Needs attention",
         "recommendation": "Agree protocols.", "change_since_first": None, "dont_know": 0},
    ]
    assert body["recommendations"] == ["trust", "leadership"]
    assert [(h["attempt"], h["overall"]) for h in body["history"]] == [(1, 2.75)]


def test_submit_stores_attempt_in_user_state_and_cohort_table(block):
    call_handler(block("ann"), "submit", {"answers": ANSWERS, "placements": PLACED})
    learner = block("ann")
    assert learner.attempt_history[0]["scores"] == {"leadership": 3.5, "trust": 2.0}
    assert learner.attempts == 1
    assert learner.answers == ANSWERS
    row = NeedsAssessmentAttempt.objects.get(block_key=str(block.usage_id), student_id="ann")
    assert (row.attempt, row.is_latest, row.overall, row.stage) == (1, True, 2.75, "Collaboration")
    assert {s.theme_id: (s.score, s.band) for s in row.theme_scores.all()} == {
        "leadership": (3.5, "Developing"), "trust": (2.0, "Needs attention")}


@pytest.mark.parametrize("answers, missing, unknown, invalid", [
    ({"l1": 4, "l2": 3}, ["t1"], [], []),
    ({"l1": 4, "l2": 3, "t1": 2, "x9": 1}, [], ["x9"], []),
    ({"l1": 9, "l2": "3", "t1": True}, [], [], ["l1", "l2", "t1"]),
    ({"l1": 0, "t1": 2, "bogus": 3}, ["l2"], ["bogus"], ["l1"]),
])
def test_bad_answers_are_400_naming_ids_and_change_nothing(block, answers, missing, unknown, invalid):
    status, body, _ = call_handler(block("bob"), "submit", {"answers": answers})
    assert status == 400
    assert body["error"]
    assert (body["missing"], body["unknown"], body["invalid"]) == (missing, unknown, invalid)
    assert block("bob").attempt_history == [] and block("bob").attempts == 0
    assert not NeedsAssessmentAttempt.objects.exists()
    assert block.events.of("completion") == []


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '{"answers": [4, 3, 2]}', '{"answers": "all fours"}', "{}"])
def test_malformed_bodies_are_400_json(block, body):
    status, reply, response = call_handler(block("bob"), "submit", body)
    assert status == 400
    assert response.content_type == "application/json"
    assert isinstance(reply["error"], str) and reply["error"]


def test_submit_needs_post(block):
    status, reply, response = call_handler(block("bob"), "submit", method="GET")
    assert status == 405
    assert "GET" in reply["error"]
    assert "POST" in response.headers["Allow"]


def test_retake_reports_change_since_first_attempt(block):
    call_handler(block("cat"), "submit", {"answers": ANSWERS})
    status, body, _ = call_handler(block("cat"), "submit", {"answers": {"l1": 5, "l2": 5, "t1": 1}})
    assert status == 200
    assert body["attempt"] == 2
    assert [(t["id"], t["score"], t["change_since_first"]) for t in body["themes"]] == [
        ("leadership", 5.0, 1.5), ("trust", 1.0, -1.0)]
    latest = NeedsAssessmentAttempt.objects.filter(student_id="cat").order_by("attempt")
    assert [(row.attempt, row.is_latest) for row in latest] == [(1, False), (2, True)]
    assert latest[1].first_scores == {"leadership": 3.5, "trust": 2.0}


def test_retake_refused_with_409_when_not_allowed(once_only):
    assert call_handler(once_only("dan"), "submit", {"answers": ANSWERS})[0] == 200
    status, body, _ = call_handler(once_only("dan"), "submit", {"answers": ANSWERS})
    assert status == 409
    assert body["error"]
    assert len(once_only("dan").attempt_history) == 1
    assert NeedsAssessmentAttempt.objects.filter(student_id="dan").count() == 1


def test_completion_once_and_analytics_event_each_time(block):
    call_handler(block("eve"), "submit", {"answers": ANSWERS})
    call_handler(block("eve"), "submit", {"answers": ANSWERS})
    assert block.events.of("completion") == [{"completion": 1.0}]
    submitted = block.events.of("lp.needs_assessment.submitted")
    assert [event["attempt"] for event in submitted] == [1, 2]
    assert submitted[0]["themes"] == {"leadership": 3.5, "trust": 2.0}
    assert NeedsAssessmentBlock.has_custom_completion is True


# ------------------------------------------------------------------------------ results

def test_results_before_any_attempt(block):
    status, body, _ = call_handler(block("fay"), "results", {})
    assert (status, body) == (200, {"attempt": 0})


def test_results_latest_with_history(block):
    call_handler(block("gus"), "submit", {"answers": ANSWERS})
    call_handler(block("gus"), "submit", {"answers": {"l1": 5, "l2": 5, "t1": 5}})
    status, body, _ = call_handler(block("gus"), "results", method="GET")
    assert status == 200
    assert body["attempt"] == 2
    assert body["overall"] == 5.0
    assert [t["change_since_first"] for t in body["themes"]] == [1.5, 3.0]
    assert [(h["attempt"], h["overall"]) for h in body["history"]] == [(1, 2.75), (2, 5.0)]
    assert all(re.match(r"\d{4}-\d\d-\d\dT", h["submitted_at"]) for h in body["history"])


def test_learners_see_only_their_own_results(block):
    call_handler(block("hal"), "submit", {"answers": ANSWERS})
    assert call_handler(block("ivy"), "results", {})[1] == {"attempt": 0}
    html = block("ivy").render("student_view").body_html()
    assert "Roles defined." in html
    assert "hal" not in html


# ------------------------------------------------------------------------------ tutors

def fill(block, learners):
    for index, name in enumerate(learners):
        value = 1 + index % 5
        assert call_handler(block(name), "submit", {"answers": {"l1": value, "l2": value, "t1": 5 - index % 5}})[0] == 200


@pytest.mark.parametrize("handler", ["cohort_report", "cohort_report_csv"])
@pytest.mark.parametrize("who", ["student_1", "ann", "Tutor", "tutor3"])
def test_cohort_handlers_are_403_for_non_tutors(block, handler, who):
    status, body, _ = call_handler(block(who), handler, {})
    assert status == 403
    assert "tutor" in body["error"].lower()


def test_cohort_report_means_and_bands_over_latest_attempts(block):
    fill(block, ["a1", "a2", "a3"])  # leadership 1, 2, 3; trust 5, 4, 3
    call_handler(block("a1"), "submit", {"answers": {"l1": 5, "l2": 5, "t1": 1}})  # a1 retakes: only latest counts
    status, body, _ = call_handler(block("tutor"), "cohort_report", {})
    assert status == 200
    assert body["learners"] == 3
    leadership, trust = body["themes"]
    assert leadership == {"id": "leadership", "title": "Leadership", "respondents": 3, "mean": 3.33,
                          "bands": {"Needs attention": 1, "Developing": 1, "Strong": 1},
                          "dont_know": 0, "suppressed": False}
    assert trust["mean"] == 2.67
    assert trust["bands"] == {"Needs attention": 1, "Strong": 2}


def test_cohort_report_when_nobody_has_answered(block):
    status, body, _ = call_handler(block("tutor2"), "cohort_report", {})
    assert status == 200
    assert body["learners"] == 0
    assert body["themes"][0]["mean"] is None


def test_cohort_report_query_count_does_not_grow_with_learners(block):
    fill(block, ["q1"])
    tutor = block("tutor")
    with CaptureQueriesContext(connection) as few:
        call_handler(tutor, "cohort_report", {})
    fill(block, [f"r{n}" for n in range(25)])
    tutor = block("tutor")
    with CaptureQueriesContext(connection) as many:
        status, body, _ = call_handler(tutor, "cohort_report", {})
    assert body["learners"] == 26
    ours = [q for q in many.captured_queries if "lp_xblocks" in q["sql"]]
    assert len(ours) == 1  # one read of the running summary (issue 15; was two aggregate queries)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_cohort_csv_one_row_per_learner_formula_safe(block):
    fill(block, ["=HYPERLINK(\"http://evil\")", "plain"])
    call_handler(block("plain"), "submit", {"answers": {"l1": 5, "l2": 5, "t1": 5}})
    status, text, response = call_handler(block("tutor"), "cohort_report_csv", method="GET")
    assert status == 200
    assert response.content_type == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["Learner", "Attempts", "Latest submitted (UTC)", "Overall", "Stage"]
    assert "Leadership" in rows[0] and "Trust: change since first" in rows[0]
    by_learner = {row[0]: row for row in rows[1:]}
    assert len(by_learner) == 2
    assert "'=HYPERLINK(\"http://evil\")" in by_learner
    plain = by_learner["plain"]
    assert plain[1] == "2" and plain[3] == "5.0"
    # first attempt: leadership 2.0, trust 4.0; latest: both 5.0
    assert plain[5:] == ["5.0", "3.0", "5.0", "1.0", "0"]  # then the count of "don't know" answers


# ------------------------------------------------------------------------------ views

def test_student_view_groups_statements_with_labelled_radios(block):
    html = block("jo").render("student_view").body_html()
    doc = etree.fromstring(html, etree.HTMLParser())
    themes = doc.xpath("//fieldset[@class='lp-na__theme']")
    assert [t.xpath("string(legend)").strip() for t in themes] == ["Leadership", "Trust"]
    radios = doc.xpath("//input[@type='radio']")
    assert len(radios) == 3 * (5 + 1)  # the scale and "Don't know / not applicable"
    for radio in radios:
        assert doc.xpath(f"//label[@for='{radio.get('id')}']"), radio.get("id")
    ids = doc.xpath("//@id")
    assert len(ids) == len(set(ids))
    assert doc.xpath("//*[@aria-live='polite' and @role='status']")


def test_ids_are_unique_per_block_instance(workbench_block):
    first = workbench_block(XML.format(retake="true"))("kim").render("student_view").body_html()
    second = workbench_block(XML.format(retake="true"))("kim").render("student_view").body_html()
    ids_first = set(re.findall(r' id="([^"]+)"', first))
    ids_second = set(re.findall(r' id="([^"]+)"', second))
    assert ids_first and ids_second
    assert not ids_first & ids_second


def test_tutor_view_shows_cohort_section_learner_view_does_not(block):
    assert "lp-na__cohort" in block("tutor").render("student_view").body_html()
    assert "lp-na__cohort" not in block("lee").render("student_view").body_html()


def test_author_text_is_escaped(workbench_block):
    xml = XML.format(retake="true").replace("Remit agreed.", "&lt;script&gt;alert(1)&lt;/script&gt; Remit")
    xml = xml.replace('title="Trust"', 'title="Trust &lt;b&gt;"')
    html = workbench_block(xml)("mo").render("student_view").body_html()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Remit" in html
    assert "Trust &lt;b&gt;" in html


def test_form_hidden_after_attempt_and_absent_without_retake(block, once_only):
    call_handler(block("nia"), "submit", {"answers": ANSWERS})
    assert re.search(r"<form[^>]*hidden", block("nia").render("student_view").body_html())
    call_handler(once_only("nia"), "submit", {"answers": ANSWERS})
    assert "<form" not in once_only("nia").render("student_view").body_html()


def test_student_view_data_has_the_instrument_and_no_answers(block):
    call_handler(block("oz"), "submit", {"answers": ANSWERS})
    data = block("pat").student_view_data()
    assert data["kind"] == "partnership"
    assert [t["id"] for t in data["instrument"]["themes"]] == ["leadership", "trust"]
    assert "answers" not in str(data) and "oz" not in str(data)


# ------------------------------------------------------------------------------ reports

def test_generate_report_data_one_row_per_learner(block):
    call_handler(block("ray"), "submit", {"answers": ANSWERS})
    call_handler(block("ray"), "submit", {"answers": {"l1": 5, "l2": 5, "t1": 5}, "placements": PLACED})
    states = [
        type("State", (), {"username": "ray", "state": {"attempt_history": block("ray").attempt_history, "attempts": 2}})(),
        type("State", (), {"username": "nobody", "state": {}})(),
    ]
    rows = list(block("tutor").generate_report_data(iter(states)))
    assert rows == [("ray", {
        "Attempts": 2, "Latest submitted": block("ray").attempt_history[-1]["submitted_at"], "Latest overall": 5.0,
        "Latest stage": "Collaboration", "Latest: Leadership": 5.0, "First: Leadership": 3.5,
        "Latest: Trust": 5.0, "First: Trust": 2.0,
    })]
    assert list(block("tutor").generate_report_data(iter(states), limit_responses=0)) == []


# ------------------------------------------------------------------------------ OLX

def test_olx_round_trip_is_unchanged(block):
    original = block("tutor")
    node = etree.Element("root")
    original.add_xml_to_node(node)
    exported = etree.tostring(node, encoding="unicode")
    assert node.tag == "lp_needs_assessment"
    assert node.get("allow_retake") == "true" and node.get("kind") == "partnership"

    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
    runtime = WorkbenchRuntime("tutor")
    runtime.id_generator.set_scenario("round-trip")
    again = runtime.get_block(runtime.parse_xml_string(exported))
    assert again.instrument == original.instrument
    assert (again.display_name, again.kind, again.allow_retake) == ("Health check", "partnership", True)
    node2 = etree.Element("root")
    again.add_xml_to_node(node2)
    assert etree.tostring(node2, encoding="unicode") == exported


def test_invalid_olx_is_refused_naming_the_element(workbench_block):
    bad = XML.format(retake="true").replace('<band upto="3.75"', '<band upto="2.0"')
    with pytest.raises(ValueError, match="theme 'leadership': band upto values must increase"):
        workbench_block(bad)
    with pytest.raises(ValueError, match="kind 'quiz' is not one of"):
        workbench_block(XML.format(retake="true").replace('kind="partnership"', 'kind="quiz"'))


def test_default_instrument_is_valid():
    validate(DEFAULT_INSTRUMENT)


# ------------------------------------------------------------------------------ studio

STUDIO_XML = XML.split("</lp_needs_assessment>")[0].split('allow_retake="{retake}">')[1]


def test_studio_submit_saves_valid_edits(block):
    new_xml = "<instrument>" + STUDIO_XML.replace("Remit agreed.", "Remit agreed by all.") + "</instrument>"
    status, body, _ = call_handler(block("tutor"), "studio_submit", {
        "display_name": "Check-up", "kind": "individual", "allow_retake": False, "instrument_xml": new_xml})
    assert (status, body) == (200, {"result": "success"})
    saved = block("student_1")
    assert (saved.display_name, saved.kind, saved.allow_retake) == ("Check-up", "individual", False)
    assert saved.instrument["themes"][0]["statements"][0]["text"] == "Remit agreed by all."


@pytest.mark.parametrize("change, field, message", [
    ({"instrument_xml": "<instrument><scale>"}, "instrument_xml", "not well-formed"),
    ({"instrument_xml": "<instrument>" + STUDIO_XML.replace('upto="3.75"', 'upto="1"') + "</instrument>"},
     "instrument_xml", "theme 'leadership': band upto values must increase"),
    ({"kind": "quiz"}, "kind", "kind 'quiz'"),
    ({"display_name": "  "}, "display_name", "display_name"),
    ({"allow_retake": "yes"}, "allow_retake", "allow_retake"),
    ({"instrument_xml": 42}, "instrument_xml", "instrument_xml"),
])
def test_studio_submit_rejects_invalid_edits_and_saves_nothing(block, change, field, message):
    status, body, _ = call_handler(block("tutor"), "studio_submit", {"display_name": "Renamed", **change})
    assert status == 400
    assert body["field"] == field
    assert message in body["error"]
    assert block("tutor").display_name == "Health check"


def test_studio_submit_is_403_for_learners(block):
    status, _, _ = call_handler(block("ann"), "studio_submit", {"display_name": "Hacked"})
    assert status == 403
    assert block("ann").display_name == "Health check"


def test_studio_view_renders_the_instrument_xml(block):
    html = block("tutor").render("studio_view").body_html()
    assert "&lt;theme id=&quot;leadership&quot;" in html
    assert 'name="instrument_xml"' in html


def test_author_text_cannot_end_the_page_data_script(workbench_block):
    evil = XML.format(retake="true").replace('title="Trust"', 'title="Trust &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"')
    block = workbench_block(evil)
    assert call_handler(block("ann"), "submit", {"answers": ANSWERS})[0] == 200  # the results carry the titles
    html = block("ann").render("student_view").body_html()
    # Two script elements: the page data (json_script) and the runtime's init arguments (the prefix only).
    assert html.count("<script") == 2 and html.count("</script>") == 2
    assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)" in html
    assert re.search(r'class="xblock_json_init_args">\{"prefix": "lpna-[0-9a-f]+"\}</script>', html)
