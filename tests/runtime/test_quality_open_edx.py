"""
The internal verifier in Open edX: course staff (the LMS user service's ``user_is_staff`` for this course) who are in
the Django group ``LP_VERIFIER_GROUP``; neither alone makes a verifier. Exercised with XBlock's TestRuntime and a user
service shaped like the LMS's (its ``edx-platform.user_id`` names the Django user).
"""
import pytest
from django.contrib.auth.models import Group, User

from lp_xblocks.common import permissions
from lp_xblocks.data.models import VerificationDecision
from lp_xblocks.reflective_log.block import ReflectiveLogBlock
from tests.conftest import call_handler
from tests.runtime.test_open_edx_permissions import ENTRY, PlatformUserService, make_block

pytestmark = pytest.mark.django_db


def person(username, is_staff, user_id=None, anonymous_id=None):
    return PlatformUserService(**{
        "edx-platform.user_is_staff": is_staff, "edx-platform.anonymous_user_id": anonymous_id or f"anon-{username}",
        "edx-platform.username": username, "edx-platform.is_authenticated": True, "edx-platform.user_id": user_id})


@pytest.fixture
def vera():
    user = User.objects.create(username="vera")
    user.groups.add(Group.objects.create(name="lp_internal_verifiers"))
    return user


def test_a_verifier_is_course_staff_in_the_verifier_group(vera, settings):
    outsider = User.objects.create(username="sam")
    assert permissions.is_verifier(make_block(ReflectiveLogBlock, user=person("vera", True, vera.pk)))
    assert not permissions.is_verifier(make_block(ReflectiveLogBlock, user=person("vera", False, vera.pk)))
    assert not permissions.is_verifier(make_block(ReflectiveLogBlock, user=person("sam", True, outsider.pk)))
    assert not permissions.is_verifier(make_block(ReflectiveLogBlock, user=person("x", True, None)))
    assert not permissions.is_verifier(make_block(ReflectiveLogBlock, user=person("x", True, "not-a-number")))
    assert not permissions.is_verifier(make_block(ReflectiveLogBlock))  # no user service
    # The workbench's list means nothing here; the group is the operator's to name.
    settings.LP_WORKBENCH_VERIFIERS = ["vera"]
    settings.LP_VERIFIER_GROUP = "centre-iv"
    assert not permissions.is_verifier(make_block(ReflectiveLogBlock, user=person("vera", True, vera.pk)))
    vera.groups.add(Group.objects.create(name="centre-iv"))
    assert permissions.is_verifier(make_block(ReflectiveLogBlock, user=person("vera", True, vera.pk)))


def test_a_staff_verifier_verifies_but_does_not_mark(vera):
    learner = make_block(ReflectiveLogBlock, user=person("ann", False))
    status, body, _ = call_handler(learner, "submit_entry", ENTRY)
    assert status == 200, body
    entry = body["entry"]
    tutor = make_block(ReflectiveLogBlock, user=person("tess", True))
    status, body, _ = call_handler(tutor, "mark_entry", {
        "entry_id": entry["entry_id"], "version": 1, "decision": "pass", "feedback": "Good.",
        "criteria": {"LP-1.1": {"decision": "met"}}})
    assert status == 200, body
    verifier = make_block(ReflectiveLogBlock, user=person("vera", True, vera.pk))
    status, body, _ = call_handler(verifier, "start_marking", {"entry_id": entry["entry_id"]})
    assert status == 403 and "verifiers do not mark" in body["error"]
    status, body, _ = call_handler(verifier, "verify_entry", {"entry_id": entry["entry_id"], "agreement": "agree"})
    assert status == 200, body
    assert VerificationDecision.objects.get().verifier == "vera"
    # Plain course staff are tutors, not verifiers.
    status, body, _ = call_handler(tutor, "verification_sample", {})
    assert status == 403
