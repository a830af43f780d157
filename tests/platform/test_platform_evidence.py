"""
Evidence files the way Open edX exercises them: course staff download a learner's submitted file, staff of
another course (and learners who are not staff) do not reach it, and neither staff viewing the course as a
learner (masquerade) nor Studio preview stores a file.
"""
import pytest

from lp_xblocks.data.models import EvidenceFile
from tests.platform.conftest import ENTRY, REFLECTIVE_LOG
from tests.platform.harness import Platform, call
from tests.runtime.test_reflective_log_evidence import PDF, download, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.LP_EVIDENCE_SCANNER = None
    return tmp_path / "media"


def stored(media):
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def submitted_file(platform, usage):
    ann = platform.user("ann")
    status, body = call(platform.lms_block(usage, ann), "save_draft", {"title": "Budget report"})
    assert status == 200, body
    entry_id = body["entry"]["entry_id"]
    status, reply = upload(platform.lms_block(usage, ann), entry_id, "report.pdf", PDF)
    assert status == 200, reply
    status, body = call(platform.lms_block(usage, ann), "submit_entry", {**ENTRY, "entry_id": entry_id})
    assert status == 200, body
    return reply["file"]["file_id"]


def test_course_staff_download_and_staff_of_another_course_do_not(platform, monkeypatch):
    usage = platform.import_olx(REFLECTIVE_LOG)
    file_id = submitted_file(platform, usage)
    tess = platform.user("tess", staff=True)
    status, response = download(platform.lms_block(usage, tess), file_id)
    assert status == 200 and response.body == PDF

    # Otto is course staff of another course only: in this course he is a learner like any other, and in his
    # course's log the file is unknown. (The other course's platform modules replace this one's from here on.)
    otto_here = platform.user("otto")
    assert download(platform.lms_block(usage, otto_here), file_id)[0] == 404
    other = Platform(context="course-v1:Other+Course+2026")
    other.install_modules(monkeypatch)
    otto_there = other.user("otto", staff=True)
    assert download(other.lms_block(other.import_olx(REFLECTIVE_LOG), otto_there), file_id)[0] == 404


def test_masquerade_and_studio_preview_store_no_file(platform, media):
    usage = platform.import_olx(REFLECTIVE_LOG)
    ann = platform.user("ann")
    status, body = call(platform.lms_block(usage, ann), "save_draft", {"title": "Budget report"})
    entry_id = body["entry"]["entry_id"]
    tess = platform.user("tess", staff=True)
    status, reply = upload(platform.lms_block(usage, tess, masquerade_as=ann), entry_id, "report.pdf", PDF)
    assert status == 403 and reply["reason"] == "masquerade"
    author = platform.user("author", staff=True)
    status, reply = upload(platform.studio_preview_block(usage, author), entry_id, "report.pdf", PDF)
    assert status == 403 and reply["reason"] == "preview"
    assert EvidenceFile.objects.count() == 0 and stored(media) == []
