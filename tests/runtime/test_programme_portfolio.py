"""
The whole-programme portfolio and the tutors' learner view (reflective-log handlers ``programme_portfolio_html``
and ``programme_record``): every log, exercise result and action plan, and needs assessment of one learner in the
course; a learner gets only their own, tutors anyone's, anonymous visitors nothing; free text is escaped.
"""
import pytest

from tests.conftest import call_handler
from tests.runtime import test_facilitation_handlers as fx
from tests.runtime import test_needs_assessment_handlers as na
from tests.runtime import test_reflective_log_handlers as rl

EVIL = '<script>window.pwned=1</script>'


@pytest.fixture
def course(workbench_block):
    """Two logs, an exercise and a questionnaire in one (workbench) course; ann has done some of each."""
    blocks = {"log": workbench_block(rl.XML), "other_log": workbench_block(rl.XML),
              "exercise": workbench_block(fx.XML.format(weight="1.0", min_rows=1)),
              "survey": workbench_block(na.XML.format(retake="true"))}
    entry = rl.submit(blocks["log"], "ann", title="Chairing in March " + EVIL)
    rl.ok(rl.mark(blocks["log"], entry, decision="refer", feedback="Say what you would change.",
                  criteria={"LPM1-2.1": rl.MET, "LPM1-2.2": {"decision": "not_yet_met"}}))
    rl.submit(blocks["other_log"], "ann", title="Budget round")
    rl.ok(call_handler(blocks["log"]("ann"), "save_draft", {"title": "A private draft"}))
    fx.play(blocks["exercise"], "ann", fx.BEST)
    rl.ok(call_handler(blocks["exercise"]("ann"), "save_action_plan", {"rows": fx.ROWS, "reflection": "Ask first " + EVIL}))
    rl.ok(call_handler(blocks["survey"]("ann"), "submit", {"answers": na.ANSWERS}))
    rl.ok(call_handler(blocks["survey"]("ann"), "submit", {"answers": {"l1": 5, "l2": 5, "t1": 4}}))
    rl.submit(blocks["log"], "bob", title="Bob's own work")
    return blocks


def html(block, student, query=""):
    status, body, response = call_handler(block(student), "programme_portfolio_html", method="GET", query=query)
    return status, body, response


def test_a_learner_downloads_their_whole_programme_portfolio(course):
    status, page, response = html(course["log"], "ann")
    assert status == 200 and response.content_type == "text/html"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "Chairing in March" in page and "Budget round" in page  # both logs
    assert "Say what you would change." in page and "Refer" in page  # feedback and decision
    assert "Agree an action table at every meeting" in page and "Ask first" in page  # the action plan
    assert "5 / 5" in page and "Passed" in page  # the exercise result
    assert "leadership: 5.0 (+1.5)" in page  # progress since the first attempt
    assert "A private draft" not in page and "Bob's own work" not in page
    assert EVIL not in page and "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page


def test_a_learner_cannot_have_another_learners_portfolio(course):
    for handler in ("programme_portfolio_html", "programme_record"):
        status, body, _ = call_handler(course["log"]("bob"), handler, method="GET", query="learner=ann")
        assert status == 403 and "Chairing in March" not in str(body)


def test_anonymous_visitors_get_nothing(course):
    for handler in ("programme_portfolio_html", "programme_record"):
        status, body, _ = call_handler(course["log"]("none"), handler, method="GET", query="learner=ann")
        assert status == 403 and "Chairing" not in str(body)


def test_tutors_see_any_learners_whole_programme(course):
    status, page, _ = html(course["other_log"], "tutor", "learner=ann")
    assert status == 200 and "Chairing in March" in page and "Bob's own work" not in page
    record = rl.ok(call_handler(course["log"]("tutor"), "programme_record", {"learner": "ann"}))
    assert record["learner"] == "ann"
    assert sorted(len(log["entries"]) for log in record["logs"]) == [1, 1]
    assert record["exercises"][0]["plan"]["rows"] == fx.ROWS
    assert record["exercises"][0]["attempts"][0]["passed"] is True
    assert [attempt["attempt"] for attempt in record["assessments"][0]["attempts"]] == [1, 2]


def test_the_portfolio_needs_get(course):
    status, body, _ = call_handler(course["log"]("ann"), "programme_portfolio_html", {})
    assert status == 405
