"""
The mentoring scheme under simultaneous requests, over loopback HTTP against a threaded workbench (SQLite, and
MariaDB in ``tox -e mariadb``): mentees logging at the same moment, one mentee's double-clicks, and a mentor
confirming while the mentee changes the same session. Never a 500, never a session lost or numbered twice, and
a confirmation always confirms exactly the version the mentor read.
"""
import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.apps import apps

from tests.conftest import serve_workbench, workbench_rows
from tests.integration.http_client import handler_url, open_scenario

SCENARIO = "lp_mentoring.0"
SESSION = {"date": "2026-01-15", "focus": "Chairing", "discussed": "The March board.",
           "actions": [{"what": "Draft the agenda", "where": "Board", "whom": "EFS", "when": "ongoing"}]}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("mentoring-workbench")
    for base in serve_workbench(var_dir, threading=True):
        yield base, var_dir


def table(model):
    return apps.get_model("lp_xblocks", model)._meta.db_table


def at_once(jobs):
    """Run every job in its own thread, all released at the same moment."""
    start = threading.Barrier(len(jobs))

    def run(job):
        start.wait(timeout=60)
        return job()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def call(base, student, handler, body):
    client, html = open_scenario(base, SCENARIO, student)
    return lambda: client.request(handler_url(html, handler, student), body)


def pair(base, pairs):
    status, _headers, text = call(base, "tutor", "upload_pairs", {"csv": "\n".join(pairs)})()
    assert status == 200, text


def numbers(var_dir, mentee):
    return sorted(row[0] for row in workbench_rows(
        var_dir, f"SELECT s.number FROM {table('MentoringSession')} s JOIN {table('MentoringPair')} p "
                 f"ON s.pair_id = p.id WHERE p.mentee_username = '{mentee}'"))


def test_mentees_log_sessions_at_the_same_moment_and_one_mentee_double_clicks(server):
    base, var_dir = server
    tag = uuid.uuid4().hex[:6]
    mentees = [f"m{number:02d}-{tag}" for number in range(12)]
    pair(base, [f"{mentee},mentor-{tag}" for mentee in mentees])
    replies = at_once([call(base, mentee, "log_session", SESSION) for mentee in mentees])
    assert [status for status, _headers, _text in replies] == [200] * len(mentees), replies[:2]
    assert all(numbers(var_dir, mentee) == [1] for mentee in mentees)

    eager = mentees[0]
    replies = at_once([call(base, eager, "log_session", SESSION) for _ in range(8)])
    assert [status for status, _headers, _text in replies] == [200] * 8, [text[:200] for _s, _h, text in replies]
    assert numbers(var_dir, eager) == list(range(1, 10))


def test_a_confirmation_racing_a_change_confirms_only_the_version_the_mentor_read(server):
    base, var_dir = server
    for round_ in range(6):
        tag = uuid.uuid4().hex[:6]
        mentee, mentor = f"race{round_}-{tag}", f"mentor{round_}-{tag}"
        pair(base, [f"{mentee},{mentor}"])
        assert call(base, mentee, "log_session", SESSION)()[0] == 200
        confirm, edit = at_once([
            call(base, mentor, "confirm_session", {"mentee": mentee, "session_id": 1, "version": 1}),
            call(base, mentee, "log_session", dict(SESSION, session_id=1, focus="Chairing, changed")),
        ])
        assert sorted([confirm[0], edit[0]]) in ([200, 200], [200, 409]), (confirm, edit)
        (state, version, focus), = workbench_rows(
            var_dir, f"SELECT s.state, s.version, s.focus FROM {table('MentoringSession')} s JOIN "
                     f"{table('MentoringPair')} p ON s.pair_id = p.id WHERE p.mentee_username = '{mentee}'")
        if confirm[0] == 200 and edit[0] == 409:      # the confirmation came first: version 1 is frozen
            assert (state, version, focus) == ("confirmed", 1, "Chairing")
        elif confirm[0] == 200:                        # confirmed, then... the edit must have been refused
            pytest.fail(f"both succeeded: {state} v{version} {focus!r}")
        else:                                          # the change came first: the stale confirmation is refused
            assert json.loads(confirm[2])["field"] == "version"
            assert (state, version, focus) == ("logged", 2, "Chairing, changed")
