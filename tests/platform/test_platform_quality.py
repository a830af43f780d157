"""
Quality assurance in the Open edX-shaped platform: the verifier is course staff in the verifier group (the LMS user
service's ``user_id`` names the Django user), staff viewing the course as a learner cannot appeal or verify in
their name, and the sampling plan and appeal window survive course export and import.
"""
import pytest
from django.contrib.auth.models import Group, User

from lp_xblocks.data.models import Appeal, VerificationDecision
from tests.platform.conftest import ENTRY, REFLECTIVE_LOG
from tests.platform.harness import call

pytestmark = pytest.mark.django_db

QA_LOG = REFLECTIVE_LOG.replace('max_words="60"', 'max_words="60" sample_per_tutor="3" sample_pass_percent="25" '
                                'sample_seed="spring" appeal_days="10"')


def referred_entry(platform, usage):
    ann, tess = platform.user("ann"), platform.user("tess", staff=True)
    status, body = call(platform.lms_block(usage, ann), "submit_entry", ENTRY)
    assert status == 200, body
    entry = body["entry"]
    status, body = call(platform.lms_block(usage, tess), "mark_entry", {
        "entry_id": entry["entry_id"], "version": 1, "decision": "refer", "feedback": "More.",
        "criteria": {"LPM1-2.1": {"decision": "not_yet_met", "comment": "Say what you did."}}})
    assert status == 200, body
    return ann, tess, entry


def test_the_verifier_is_course_staff_in_the_group(platform):
    usage = platform.import_olx(QA_LOG)
    ann, tess, entry = referred_entry(platform, usage)
    vera = platform.user("vera", staff=True)
    status, _ = call(platform.lms_block(usage, vera), "verification_sample", {})
    assert status == 403  # staff, not yet in the group
    User.objects.create(pk=vera.id, username="vera").groups.add(Group.objects.create(name="lp_internal_verifiers"))
    status, body = call(platform.lms_block(usage, vera), "verification_sample", {})
    assert status == 200 and [item["entry_id"] for item in body["sample"]] == [entry["entry_id"]]
    assert body["plan"] == {"per_tutor": 3, "pass_percent": 25, "seed": "spring"}
    status, body = call(platform.lms_block(usage, vera), "verify_entry", {
        "entry_id": entry["entry_id"], "agreement": "disagree", "comment": "2.1 is evidenced."})
    assert status == 200 and body["status"] == "submitted"
    status, body = call(platform.lms_block(usage, tess), "returned_entries", {})
    assert body["returned"][entry["entry_id"]]["verifier"] == "vera"
    # A learner in the group is still no verifier: staff access is per course.
    learner_user = User.objects.create(pk=ann.id, username="ann")
    learner_user.groups.add(Group.objects.get(name="lp_internal_verifiers"))
    assert call(platform.lms_block(usage, ann), "verification_sample", {})[0] == 403


def test_masquerading_staff_cannot_appeal_in_the_learners_name(platform):
    usage = platform.import_olx(QA_LOG)
    ann, tess, entry = referred_entry(platform, usage)
    as_ann = platform.lms_block(usage, tess, masquerade_as=ann)
    status, reply = call(as_ann, "appeal_referral", {"entry_id": entry["entry_id"], "reasons": "I did."})
    assert status == 403 and reply["reason"] == "masquerade"
    status, mine = call(platform.lms_block(usage, tess, masquerade_as=ann), "my_appeals", {})
    assert status == 200 and mine["days"] == 10 and mine["appeals"][entry["entry_id"]]["may_appeal"] is True
    assert not Appeal.objects.exists() and not VerificationDecision.objects.exists()


def test_quality_settings_survive_export_and_import(platform):
    usage = platform.import_olx(QA_LOG)
    exported = platform.export_olx(usage)
    for attribute in ('sample_per_tutor="3"', 'sample_pass_percent="25"', 'sample_seed="spring"', 'appeal_days="10"'):
        assert attribute in exported
    from lxml import etree  # pylint: disable=import-outside-toplevel
    again = platform.import_olx(etree.tostring(etree.fromstring(exported.encode("utf-8")), encoding="unicode"))
    block = platform.lms_block(again, platform.user("tess", staff=True))
    assert (block.sample_per_tutor, block.sample_pass_percent, block.sample_seed, block.appeal_days) == (3, 25, "spring", 10)
    plain = platform.export_olx(platform.import_olx(REFLECTIVE_LOG))
    assert "appeal_days" not in plain and "sample_" not in plain
