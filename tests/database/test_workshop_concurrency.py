"""
The last places of a workshop session taken by many learners at the same moment, over loopback HTTP against
a threaded workbench (one request thread each): never more learners booked than the capacity, everyone else
on the waiting list in a strict order, no request failing (no "database is locked"), the session row's count
of places equal to the bookings. Runs on the workbench's SQLite and, in ``tox -e mariadb``, on MariaDB.
"""
import json
import uuid

import pytest

from tests.conftest import serve_workbench, workbench_rows
from tests.database.test_concurrent_learners import assert_all_succeeded, at_once, pages, table
from tests.integration.http_client import handler_url

WORKSHOP = "lp_workshop.0"  # the block's workbench scenario: "london" has 1 place, "online" 12


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("workshop-concurrency")
    for base in serve_workbench(var_dir, threading=True):
        yield base, var_dir


def sign_up_at_once(base, learners, session):
    opened = pages(base, WORKSHOP, learners)

    def sign_up(learner):
        client, html = opened[learner]
        return client.request(handler_url(html, "sign_up", learner), {"session": session})

    replies = at_once(learners, sign_up)
    assert_all_succeeded(replies)
    return {learner: json.loads(text)["status"] for learner, (_status, _headers, text) in zip(learners, replies)}


def stored(var_dir, session):
    rows = workbench_rows(var_dir, f"SELECT b.student_id, b.status FROM {table('WorkshopBooking')} b "
                                   f"JOIN {table('WorkshopSession')} s ON b.session_id = s.id "
                                   f"WHERE s.session_id = '{session}'")
    booked = workbench_rows(var_dir, f"SELECT booked FROM {table('WorkshopSession')} WHERE session_id = '{session}'")
    return dict(rows), booked[0][0]


def test_two_learners_take_the_last_place_at_the_same_moment(server):
    base, var_dir = server
    learners = [f"last-{n}-{uuid.uuid4().hex[:6]}" for n in range(2)]
    statuses = sign_up_at_once(base, learners, "london")
    assert sorted(statuses.values()) == ["booked", "waiting"]
    rows, booked = stored(var_dir, "london")
    assert rows == statuses and booked == 1


def test_a_crowd_fills_the_places_and_the_rest_wait(server):
    base, var_dir = server
    learners = [f"crowd-{n:02d}-{uuid.uuid4().hex[:6]}" for n in range(20)]
    statuses = sign_up_at_once(base, learners, "online")
    assert list(statuses.values()).count("booked") == 12
    assert list(statuses.values()).count("waiting") == 8
    rows, booked = stored(var_dir, "online")
    assert rows == statuses and booked == 12
