"""
Many different learners acting at the same moment, over loopback HTTP against a threaded ``runserver`` (one
request thread each, as a production server serves them): every request succeeds -- never a 500 such as SQLite's
"database is locked" -- and the plugin's tables hold exactly one row per learner and action, none lost, none twice.

Runs on the workbench's SQLite database and, in the MariaDB run (``tox -e mariadb``), on MariaDB.
"""
import json
import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.apps import apps
from lxml import etree

from tests.conftest import serve_workbench, workbench_rows
from tests.integration.http_client import handler_url, open_scenario

LEARNERS = 24
FACILITATION, NEEDS_ASSESSMENT, REFLECTIVE_LOG = "lp_facilitation_exercise.0", "lp_needs_assessment.0", "lp_reflective_log.0"
BODY = " ".join(["The partners agreed the agenda and every action had an owner and a date."] * 12)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A threaded workbench of this module's own: ``(base URL, var dir)``."""
    var_dir = tmp_path_factory.mktemp("concurrent-workbench")
    for base in serve_workbench(var_dir, threading=True):
        yield base, var_dir


def table(model):
    return apps.get_model("lp_xblocks", model)._meta.db_table


def cohort(prefix):
    return [f"{prefix}-{number:02d}-{uuid.uuid4().hex[:6]}" for number in range(LEARNERS)]


def at_once(learners, act):
    """Run ``act(learner)`` for every learner in its own thread, all released at the same moment."""
    start = threading.Barrier(len(learners))

    def run(learner):
        start.wait(timeout=60)
        return act(learner)

    with ThreadPoolExecutor(max_workers=len(learners)) as pool:
        return list(pool.map(run, learners))


def pages(base, scenario, learners):
    """Each learner's client and page, opened at the same moment too."""
    return dict(zip(learners, at_once(learners, lambda learner: open_scenario(base, scenario, learner))))


def assert_all_succeeded(replies):
    failures = [(status, text[:300]) for status, _headers, text in replies if status != 200]
    assert not failures, f"{len(failures)} of {len(replies)} simultaneous requests failed: {failures[:3]}"


def per_learner(var_dir, sql, learners):
    counts = dict(workbench_rows(var_dir, sql))
    return {learner: counts.get(learner, 0) for learner in learners}


def test_learners_make_facilitation_moves_at_the_same_moment(server):
    base, var_dir = server
    learners = cohort("fx")
    opened = pages(base, FACILITATION, learners)

    def move(learner):
        client, html = opened[learner]
        doc = etree.fromstring(html, etree.HTMLParser())
        (script,) = doc.xpath("//script[@type='application/json' and contains(@id, '-data')]")
        state = json.loads(script.text)
        return client.request(handler_url(html, "choose", learner), {"scene": state["scene"]["id"], "choice": 0})

    replies = at_once(learners, move)
    assert_all_succeeded(replies)
    assert all(json.loads(text)["feedback"]["feedback"] for _status, _headers, text in replies)
    choices = per_learner(var_dir, f"SELECT student_id, COUNT(*) FROM {table('FacilitationChoice')} "
                                   "WHERE student_id LIKE 'fx-%' GROUP BY student_id", learners)
    attempts = per_learner(var_dir, f"SELECT student_id, COUNT(*) FROM {table('FacilitationAttempt')} "
                                    "WHERE student_id LIKE 'fx-%' GROUP BY student_id", learners)
    assert choices == attempts == {learner: 1 for learner in learners}


def test_learners_submit_needs_assessments_at_the_same_moment(server):
    base, var_dir = server
    learners = cohort("na")
    opened = pages(base, NEEDS_ASSESSMENT, learners)

    def submit(learner):
        client, html = opened[learner]
        statements = re.findall(r'<fieldset class="lp-na__statement"[^>]*data-statement="([^"]+)"', html)
        assert statements
        return client.request(handler_url(html, "submit", learner), {"answers": {s: 4 for s in statements}})

    replies = at_once(learners, submit)
    assert_all_succeeded(replies)
    assert {json.loads(text)["attempt"] for _status, _headers, text in replies} == {1}
    attempts = per_learner(var_dir, f"SELECT student_id, COUNT(*) FROM {table('NeedsAssessmentAttempt')} "
                                    "WHERE student_id LIKE 'na-%' AND is_latest = 1 GROUP BY student_id", learners)
    assert attempts == {learner: 1 for learner in learners}
    themes = workbench_rows(var_dir, f"SELECT COUNT(*) FROM {table('NeedsAssessmentThemeScore')} s "
                                     f"JOIN {table('NeedsAssessmentAttempt')} a ON s.attempt_id = a.id "
                                     "WHERE a.student_id LIKE 'na-%'")[0][0]
    assert themes == LEARNERS * len(json.loads(replies[0][2])["themes"])


def test_learners_submit_reflective_log_entries_at_the_same_moment(server):
    base, var_dir = server
    learners = cohort("rl")
    opened = pages(base, REFLECTIVE_LOG, learners)

    def submit(learner):
        client, html = opened[learner]
        return client.request(handler_url(html, "submit_entry", learner), {
            "title": f"Chairing the steering group ({learner})", "activity_date": "2026-10-14",
            "entry_type": "workplace", "body": BODY, "criteria": ["LPM1-3.1", "LPM1-3.2"],
            "declaration": "2026-1"})

    replies = at_once(learners, submit)
    assert_all_succeeded(replies)
    entries = per_learner(var_dir, f"SELECT student_id, COUNT(*) FROM {table('ReflectiveEntry')} "
                                   "WHERE student_id LIKE 'rl-%' AND status = 'submitted' GROUP BY student_id", learners)
    versions = per_learner(var_dir, f"SELECT e.student_id, COUNT(*) FROM {table('ReflectiveEntryVersion')} v "
                                    f"JOIN {table('ReflectiveEntry')} e ON v.entry_id = e.id "
                                    "WHERE e.student_id LIKE 'rl-%' GROUP BY e.student_id", learners)
    submissions = per_learner(var_dir, "SELECT i.student_id, COUNT(*) FROM submissions_submission s "
                                       "JOIN submissions_studentitem i ON s.student_item_id = i.id "
                                       "WHERE i.student_id LIKE 'rl-%' GROUP BY i.student_id", learners)
    assert entries == versions == submissions == {learner: 1 for learner in learners}
