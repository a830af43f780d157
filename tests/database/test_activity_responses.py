"""
Saved learning activities on the database Open edX runs (SQLite here, MariaDB in ``tox -e mariadb``): learners
saving at the same moment over loopback HTTP each keep exactly one row, two tabs of one learner saving at once
leave one row (the last save), and the whole of Unicode (4-byte characters included) is stored as typed.
"""
import json
import re

import pytest

from tests.conftest import serve_workbench, workbench_rows
from tests.database.test_concurrent_learners import assert_all_succeeded, at_once, cohort, pages, per_learner, table
from tests.integration.http_client import handler_url

ACTIVITY = "lp_learning_activity.0"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("activity-workbench")
    for base in serve_workbench(var_dir, threading=True):
        yield base, var_dir


def test_learners_save_responses_at_the_same_moment_and_each_keeps_one_row(server):
    base, var_dir = server
    learners = cohort("act")
    opened = pages(base, ACTIVITY, learners)

    def save(learner):
        client, html = opened[learner]
        # The commentary is not in the block before saving (the SDK's debug panel below the block shows fields).
        assert re.search(r'id="lpact-[0-9a-f]+-commentary-text"></div>', html)
        return client.request(handler_url(html, "save_response", learner),
                              {"response": f"{learner}: our protocol is strong \U0001f91d and the budget weak."})

    replies = at_once(learners, save)
    assert_all_succeeded(replies)
    assert all(json.loads(text)["commentary"] for _status, _headers, text in replies)
    counts = per_learner(var_dir, f"SELECT student_id, COUNT(*) FROM {table('ActivityResponse')} "
                                  "WHERE student_id LIKE 'act-%' GROUP BY student_id", learners)
    assert counts == {learner: 1 for learner in learners}
    stored = dict(workbench_rows(var_dir, f"SELECT student_id, response FROM {table('ActivityResponse')} "
                                          "WHERE student_id LIKE 'act-%'"))
    assert all(stored[learner] == f"{learner}: our protocol is strong \U0001f91d and the budget weak."
               for learner in learners)


def test_two_tabs_of_one_learner_saving_at_once_leave_one_row(server):
    base, var_dir = server
    (learner,) = cohort("tab")[:1]
    opened = pages(base, ACTIVITY, [learner])
    client, html = opened[learner]
    texts = [f"Tab {number} says the remit needs review." for number in range(6)]
    replies = at_once(texts, lambda text: client.request(handler_url(html, "save_response", learner), {"response": text}))
    assert_all_succeeded(replies)
    rows = workbench_rows(var_dir, f"SELECT response FROM {table('ActivityResponse')} WHERE student_id = '{learner}'")
    assert len(rows) == 1 and rows[0][0] in texts
