"""
One learner's concurrent requests, in threads against the real database: a move and a "start again"
(two tabs, a double click) that both loaded the learner's saved state before either saved. The platform
keeps that state as one JSON document, so the later save overwrites the earlier one whole; attempt numbers
must not depend on it, or the learner is refused every move from then on.
"""
import threading

import pytest
from django.db import connections

from lp_xblocks.data.models import FacilitationAttempt, NeedsAssessmentAttempt
from tests.platform.conftest import FACILITATION, NEEDS_ASSESSMENT
from tests.platform.harness import call

LEARNERS = 6
TIMEOUT = 60


def run_round(platform, usage, learners):
    """Every learner's move and restart run at once; each restart saves after its learner's move has saved."""
    barrier = threading.Barrier(2 * len(learners))
    results, errors = [], []

    def move(learner, moved):
        try:
            block = platform.lms_block(usage, learner)
            block.play  # pylint: disable=pointless-statement  # the request has read the saved state
            barrier.wait(TIMEOUT)
            results.append(("choose", learner.username, call(block, "choose", {"scene": "opening", "choice": 1})))
        except Exception as error:  # pylint: disable=broad-except
            errors.append(error)
        finally:
            moved.set()
            connections.close_all()

    def restart(learner, moved):
        try:
            block = platform.lms_block(usage, learner, before_save=lambda: moved.wait(TIMEOUT))
            block.play  # pylint: disable=pointless-statement
            barrier.wait(TIMEOUT)
            results.append(("restart", learner.username, call(block, "restart", {})))
        except Exception as error:  # pylint: disable=broad-except
            errors.append(error)
        finally:
            connections.close_all()

    threads = []
    for learner in learners:
        moved = threading.Event()
        threads += [threading.Thread(target=move, args=(learner, moved)),
                    threading.Thread(target=restart, args=(learner, moved))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.fixture
def writers_wait_their_turn():
    """
    On SQLite, each thread's transactions take the write lock when they begin (and wait for it up to the
    busy timeout) instead of failing when two readers both try to write: the embedded database's
    concurrency setting. MySQL/MariaDB need nothing.
    """
    options = connections.settings["default"].setdefault("OPTIONS", {})
    saved = dict(options)
    if connections["default"].vendor == "sqlite":
        options["transaction_mode"] = "IMMEDIATE"
    connections.close_all()
    yield
    options.clear()
    options.update(saved)
    connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_and_restarts_lock_no_learner_out(platform, writers_wait_their_turn):  # pylint: disable=redefined-outer-name,unused-argument
    usage = platform.import_olx(FACILITATION)
    learners = [platform.user(f"learner-{number}") for number in range(LEARNERS)]
    for _round in range(2):
        results = run_round(platform, usage, learners)
        refused = [(kind, name, reply) for kind, name, (status, reply) in results if status != 200]
        assert refused == []
    for learner in learners:
        assert call(platform.lms_block(usage, learner), "restart", {})[0] == 200
        status, body = call(platform.lms_block(usage, learner), "choose", {"scene": "opening", "choice": 1})
        assert status == 200, (learner.username, body)
        attempts = FacilitationAttempt.objects.filter(student_id=platform.anonymous_id(learner)).order_by("attempt")
        assert [(row.attempt, row.ending_id) for row in attempts] == [(1, "split"), (2, "split"), (3, "split")]


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_learner_are_both_stored_in_order(platform, writers_wait_their_turn):  # pylint: disable=redefined-outer-name,unused-argument
    """Two tabs submit the same questionnaire at once: both are stored, numbered 1 and 2 by the table."""
    usage = platform.import_olx(NEEDS_ASSESSMENT.format(retake="true"))
    learner = platform.user("ann")
    tabs = [platform.lms_block(usage, learner) for _tab in range(2)]
    for tab in tabs:
        tab.attempt_history  # pylint: disable=pointless-statement  # each request has read the saved state
    barrier = threading.Barrier(len(tabs))
    replies, errors = [], []

    def submit(tab, answers):
        try:
            barrier.wait(TIMEOUT)
            replies.append(call(tab, "submit", {"answers": answers}))
        except Exception as error:  # pylint: disable=broad-except
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(tab, {"l1": value, "l2": value}))
               for tab, value in zip(tabs, (2, 4))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not errors, errors
    assert [status for status, _body in replies] == [200, 200], replies
    rows = NeedsAssessmentAttempt.objects.filter(student_id=platform.anonymous_id(learner)).order_by("attempt")
    assert [row.attempt for row in rows] == [1, 2]
    assert [row.is_latest for row in rows] == [False, True]
