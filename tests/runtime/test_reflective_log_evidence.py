"""
Evidence on reflective-log entries in the SDK's WorkbenchRuntime: file uploads (type from the content, limits,
the scanner hook, who may download), witness testimony, the authenticity declaration, citations of the learner's
own records, and the external verifier's zip.
"""
import csv
import hashlib
import io
import json
import os
import zipfile

import pytest
from lxml import etree
from webob import Request

from lp_xblocks.data.api import citations
from lp_xblocks.data.models import EvidenceFile, ReflectiveAuditEvent, ReflectiveEntry, ReflectiveEntryVersion
from lp_xblocks.reflective_log.block import ReflectiveLogBlock
from tests.conftest import call_handler
from tests.runtime.test_reflective_log_handlers import DECLARATION, ENTRY, XML, mark, ok

SMALL_XML = XML.replace('max_words="40"', 'max_words="40" max_files="2" max_file_mb="1"')

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
GIF = b"GIF89a" + b"\x00" * 40
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40
CSV = b"Action,Owner,Due\nAgree agenda,Chair,2026-03-01\nCirculate minutes,Secretary,2026-03-14\n"


def office(main_part, extra=()):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
        for name in extra:
            archive.writestr(name, b"\x00")
    return buffer.getvalue()


def opendocument(mimetype):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def plain_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.LP_EVIDENCE_SCANNER = None
    return tmp_path / "media"


@pytest.fixture
def log(workbench_block):
    return workbench_block(XML)


def upload(block, entry_id, name, data):
    request = Request.blank("/", method="POST", POST={"entry_id": entry_id, "file": (name, data)})
    response = block.handle("upload_evidence", request)
    body = json.loads(response.body) if response.content_type == "application/json" else response.body
    return response.status_code, body


def draft(log, student="ann", **fields):
    return ok(call_handler(log(student), "save_draft", {"title": "Budget report", **fields}))["entry"]


def submit(log, entry, student="ann", **fields):
    return ok(call_handler(log(student), "submit_entry", {**ENTRY, "entry_id": entry["entry_id"], **fields}))["entry"]


def download(block, file_id):
    response = block.handle("evidence_file", Request.blank(f"/?file={file_id}", method="GET"))
    return response.status_code, response


def stored_files(media):
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()) if media.exists() else []


# ---------------------------------------------------------------------------------------- types

@pytest.mark.parametrize("name, data, content_type, shown", [
    ("minutes.png", PDF, "application/pdf", "minutes.pdf"),
    ("photo.PNG", PNG, "image/png", "photo.png"),
    ("photo", JPEG, "image/jpeg", "photo.jpg"),
    ("a.gif", GIF, "image/gif", "a.gif"),
    ("b.webp", WEBP, "image/webp", "b.webp"),
    ("actions.csv", CSV, "text/csv", "actions.csv"),
    ("budget.docx", office("word/document.xml"),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "budget.docx"),
    ("budget.xlsx", office("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     "budget.xlsx"),
    ("slides.pptx", office("ppt/presentation.xml"),
     "application/vnd.openxmlformats-officedocument.presentationml.presentation", "slides.pptx"),
    ("notes.odt", opendocument("application/vnd.oasis.opendocument.text"), "application/vnd.oasis.opendocument.text",
     "notes.odt"),
    ("sheet.ods", opendocument("application/vnd.oasis.opendocument.spreadsheet"),
     "application/vnd.oasis.opendocument.spreadsheet", "sheet.ods"),
    ("deck.odp", opendocument("application/vnd.oasis.opendocument.presentation"),
     "application/vnd.oasis.opendocument.presentation", "deck.odp"),
    ("..\\..\\etc/r\u00e9sum\u00e9 <b>.exe", PDF, "application/pdf", "resume b.pdf"),
])
def test_the_type_comes_from_the_content_and_the_name_is_made_safe(log, media, name, data, content_type, shown):
    entry = draft(log)
    status, body = upload(log("ann"), entry["entry_id"], name, data)
    assert status == 200, body
    assert (body["file"]["content_type"], body["file"]["name"], body["file"]["size"]) == (content_type, shown, len(data))
    assert body["file"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["entry"]["draft_files"] == [body["file"]]
    row = EvidenceFile.objects.get()
    assert row.version is None and row.student_id == "ann"
    # Stored under a random name that says nothing about the learner or the file.
    (path,) = stored_files(media)
    assert path == row.storage_name and path.startswith("lp_evidence/") and "ann" not in path and shown not in path
    assert (media / path).read_bytes() == data


@pytest.mark.parametrize("name, data, reason", [
    ("minutes.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "web page"),
    ("photo.png", b"MZ\x90\x00" + b"\x00" * 100, "program"),
    ("photo.png", b"\x7fELF\x02\x01" + b"\x00" * 100, "program"),
    ("logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "web page"),
    ("run.csv", b"#!/bin/sh\nrm -rf /\n", "program"),
    ("report.docx", plain_zip(), "archive"),
    ("report.docm", office("word/document.xml", ["word/vbaProject.bin"]), "macros"),
    ("notes.csv", b"just one line of prose without any commas at all\n", "not a table"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old-style"),
    ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 30, "damaged"),
])
def test_a_file_spoofed_by_its_name_is_refused_naming_the_field(log, media, name, data, reason):
    entry = draft(log)
    status, body = upload(log("ann"), entry["entry_id"], name, data)
    assert status == 400 and body["field"] == "file" and reason in body["error"]
    assert body["errors"][0]["label"] == "File"
    assert EvidenceFile.objects.count() == 0 and stored_files(media) == []


def test_over_the_size_limit_is_413_and_nothing_is_stored(workbench_block, media):
    log = workbench_block(SMALL_XML)
    entry = draft(log)
    status, body = upload(log("ann"), entry["entry_id"], "big.pdf", PDF + b"0" * (1024 * 1024))
    assert status == 413 and body["field"] == "file" and "1 MB" in body["error"]
    assert EvidenceFile.objects.count() == 0 and stored_files(media) == []


def test_too_many_files_is_refused_with_the_limit_in_words(workbench_block, media):
    log = workbench_block(SMALL_XML)
    entry = draft(log)
    for number in range(2):
        assert upload(log("ann"), entry["entry_id"], f"p{number}.pdf", PDF)[0] == 200
    status, body = upload(log("ann"), entry["entry_id"], "p3.pdf", PDF)
    assert status == 400 and body["field"] == "file" and "already has 2 files" in body["error"]
    assert EvidenceFile.objects.count() == 2 and len(stored_files(media)) == 2


def test_every_missing_field_of_an_upload_at_once(log):
    request = Request.blank("/", method="POST", POST={"other": "x", "file2": ("a.pdf", PDF)})
    response = log("ann").handle("upload_evidence", request)
    body = json.loads(response.body)
    assert response.status_code == 400 and [item["field"] for item in body["errors"]] == ["entry_id", "file"]
    response = log("ann").handle("upload_evidence", Request.blank("/", method="POST", body=b"{}",
                                                                   content_type="application/json"))
    assert response.status_code == 400 and json.loads(response.body)["field"] == "file"
    assert log("ann").handle("upload_evidence", Request.blank("/", method="GET")).status_code == 405


def test_removing_a_draft_file_deletes_it(log, media):
    entry = draft(log)
    file_id = upload(log("ann"), entry["entry_id"], "a.pdf", PDF)[1]["file"]["file_id"]
    reply = ok(call_handler(log("ann"), "remove_evidence", {"entry_id": entry["entry_id"], "file_id": file_id}))
    assert reply["entry"]["draft_files"] == [] and EvidenceFile.objects.count() == 0
    status, body, _ = call_handler(log("ann"), "remove_evidence", {"entry_id": entry["entry_id"], "file_id": file_id})
    assert status == 404 and body["field"] == "file_id"


# ---------------------------------------------------------------------------------------- versions

def test_files_are_frozen_at_submission_and_a_referred_entry_adds_files_for_its_next_version(log):
    entry = draft(log)
    first = upload(log("ann"), entry["entry_id"], "v1.pdf", PDF)[1]["file"]
    submitted = submit(log, entry)
    assert [f["file_id"] for f in submitted["versions"][0]["files"]] == [first["file_id"]]
    assert submitted["draft_files"] == []
    # Submitted: no more files, and the version's files cannot be removed.
    status, body = upload(log("ann"), entry["entry_id"], "late.pdf", PDF)
    assert status == 409
    status, _body, _ = call_handler(log("ann"), "remove_evidence", {"entry_id": entry["entry_id"], "file_id": first["file_id"]})
    assert status == 409
    ok(mark(log, submitted, decision="refer", criteria={"LPM1-2.1": {"decision": "met"},
                                                        "LPM1-2.2": {"decision": "not_yet_met", "comment": "More."}},
            feedback="Attach the action record."))
    second = upload(log("ann"), entry["entry_id"], "v2.csv", CSV)[1]["file"]
    status, _body, _ = call_handler(log("ann"), "remove_evidence", {"entry_id": entry["entry_id"], "file_id": first["file_id"]})
    assert status == 404  # version 1's file stays with version 1
    again = submit(log, entry)
    assert [[f["name"] for f in version["files"]] for version in again["versions"]] == [["v1.pdf"], ["v2.csv"]]
    assert second["file_id"] in str(again["versions"][1])


# ---------------------------------------------------------------------------------------- who reaches a file

def test_the_learner_and_tutors_download_with_safe_headers(log):
    entry = draft(log)
    file_id = upload(log("ann"), entry["entry_id"], "Budget <2026>.pdf", PDF)[1]["file"]["file_id"]
    status, response = download(log("ann"), file_id)
    assert status == 200 and response.body == PDF
    # A draft's files are private: tutors reach them only once submitted.
    assert download(log("tutor"), file_id)[0] == 404
    submit(log, entry)
    status, response = download(log("tutor"), file_id)
    assert status == 200 and response.body == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="Budget 2026.pdf"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    opened = ok(call_handler(log("tutor"), "open_entry", {"entry_id": entry["entry_id"]}))
    assert opened["entry"]["versions"][0]["files"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()


def test_another_learner_never_reaches_a_learners_files(log, media):
    entry = draft(log)
    file_id = upload(log("ann"), entry["entry_id"], "mine.pdf", PDF)[1]["file"]["file_id"]
    submit(log, entry)
    status, response = download(log("bob"), file_id)
    assert status == 404 and PDF not in response.body
    bob_entry = draft(log, "bob")
    status, body = upload(log("bob"), entry["entry_id"], "theirs.pdf", PDF)
    assert status == 403
    status, body, _ = call_handler(log("bob"), "remove_evidence", {"entry_id": entry["entry_id"], "file_id": file_id})
    assert status == 403
    assert ok(call_handler(log("bob"), "my_entries", {}))["entries"][0]["entry_id"] == bob_entry["entry_id"]
    assert file_id not in str(ok(call_handler(log("bob"), "my_entries", {})))
    assert len(stored_files(media)) == 1


def test_anonymous_visitors_reach_no_evidence(log, media):
    entry = draft(log)
    file_id = upload(log("ann"), entry["entry_id"], "mine.pdf", PDF)[1]["file"]["file_id"]
    submit(log, entry)
    assert upload(log("none"), entry["entry_id"], "x.pdf", PDF)[0] == 403
    assert download(log("none"), file_id)[0] == 403
    assert log("none").handle("verifier_zip", Request.blank("/", method="GET")).status_code == 403
    assert call_handler(log("none"), "citable_records", {})[0] == 403
    assert call_handler(log("none"), "remove_evidence", {"entry_id": entry["entry_id"], "file_id": file_id})[0] == 403
    assert len(stored_files(media)) == 1


def test_a_tutor_of_another_log_or_course_cannot_reach_the_file(workbench_block, log):
    """A tutor's rights hold in their own course's blocks: a file is found only through the log it belongs to."""
    entry = draft(log)
    file_id = upload(log("ann"), entry["entry_id"], "mine.pdf", PDF)[1]["file"]["file_id"]
    submit(log, entry)
    elsewhere = workbench_block(XML)
    assert download(elsewhere("tutor"), file_id)[0] == 404
    response = elsewhere("tutor").handle("verifier_zip", Request.blank("/?learner=ann", method="GET"))
    names = zipfile.ZipFile(io.BytesIO(response.body)).namelist()
    assert not any("/files/" in name for name in names)


def test_a_tutor_of_another_course_on_the_platform_cannot_reach_the_file(db):  # pylint: disable=unused-argument
    """As the platform models it: course staff of course B (user_is_staff there) call a log of course B."""
    from tests.runtime.test_open_edx_permissions import UsageKey, make_block, staff  # pylint: disable=import-outside-toplevel

    class OtherCourseKey(UsageKey):
        course_key = "course-v1:Other+Course+2026"

    ann = make_block(ReflectiveLogBlock, user=staff(False))
    entry = ok(call_handler(ann, "save_draft", {"title": "Budget report"}))["entry"]
    file_id = upload(ann, entry["entry_id"], "mine.pdf", PDF)[1]["file"]["file_id"]
    ok(call_handler(ann, "submit_entry", {**ENTRY, "criteria": ["LP-1.1"], "body": " ".join(["word"] * 160),
                                          "entry_id": entry["entry_id"]}))
    own_course_tutor = make_block(ReflectiveLogBlock, user=staff(True, anonymous_id="anon-tutor", username="tina"))
    assert download(own_course_tutor, file_id)[0] == 200
    other = make_block(ReflectiveLogBlock, user=staff(True, anonymous_id="anon-other", username="otto"))
    other.scope_ids = other.scope_ids._replace(usage_id=OtherCourseKey(
        "block-v1:Other+Course+2026+type@ReflectiveLogBlock+block@check"))
    assert download(other, file_id)[0] == 404


# ---------------------------------------------------------------------------------------- scanner hook

def refusing_scanner(fileobj, *, name, content_type, size):  # pylint: disable=unused-argument
    assert fileobj.read(5) == b"%PDF-"
    return "Eicar-Test-Signature FOUND"


def broken_scanner(fileobj, **kwargs):  # pylint: disable=unused-argument
    raise ConnectionError("clamd is not running")


def clean_scanner(fileobj, *, name, content_type, size):  # pylint: disable=unused-argument
    clean_scanner.seen.append((name, content_type, size))


clean_scanner.seen = []


def test_the_scanner_runs_before_storing_and_fails_closed(log, media, settings):
    entry = draft(log)
    settings.LP_EVIDENCE_SCANNER = f"{__name__}.refusing_scanner"
    status, body = upload(log("ann"), entry["entry_id"], "a.pdf", PDF)
    assert status == 400 and body["field"] == "file" and "Eicar-Test-Signature FOUND" in body["error"]
    settings.LP_EVIDENCE_SCANNER = f"{__name__}.broken_scanner"
    status, body = upload(log("ann"), entry["entry_id"], "a.pdf", PDF)
    assert status == 503 and "could not be checked for viruses" in body["error"]
    settings.LP_EVIDENCE_SCANNER = "no.such.module.scan"
    assert upload(log("ann"), entry["entry_id"], "a.pdf", PDF)[0] == 503
    assert EvidenceFile.objects.count() == 0 and stored_files(media) == []
    settings.LP_EVIDENCE_SCANNER = f"{__name__}.clean_scanner"
    assert upload(log("ann"), entry["entry_id"], "a.pdf", PDF)[0] == 200
    assert clean_scanner.seen[-1] == ("a.pdf", "application/pdf", len(PDF))


# ---------------------------------------------------------------------------------------- witness testimony

WITNESS = {"name": "Priya Shah", "role": "Partnership chair", "relationship": "Chairs the board I report to",
           "statement": "I observed Ann chair the March meeting.\n\nShe kept to time.", "date": "2026-03-13",
           "confirmed": True, "email": "priya@example.org"}


def test_witness_testimony_is_kept_with_the_version_and_shown_to_tutors_escaped(log):
    hostile = {**WITNESS, "name": "<script>alert(1)</script>", "statement": "=HYPERLINK(\"x\") <img src=x>"}
    entry = draft(log, witnesses=[hostile])
    assert entry["draft"]["witnesses"][0]["name"] == "<script>alert(1)</script>"
    submitted = submit(log, entry)
    assert submitted["versions"][0]["witnesses"] == [hostile]
    opened = ok(call_handler(log("tutor"), "open_entry", {"entry_id": entry["entry_id"]}))
    assert opened["entry"]["versions"][0]["witnesses"][0]["relationship"] == WITNESS["relationship"]
    status, html, _ = call_handler(log("tutor"), "portfolio_html", method="GET", query="learner=ann")
    assert status == 200 and "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x&gt;" in html and "confirmed this statement" in html


@pytest.mark.parametrize("change, words", [
    ({"date": "2999-01-01"}, "in the future"),
    ({"date": "13/03/2026"}, "not a date"),
    ({"statement": "x" * 3001}, "at most 3000"),
    ({"email": "not-an-email"}, "not an email address"),
    ({"confirmed": "yes"}, "true or false"),
    ({"shoe_size": 9}, "no field 'shoe_size'"),
])
def test_bad_witness_fields_are_400_naming_the_field(log, change, words):
    status, body, _ = call_handler(log("ann"), "save_draft", {"title": "x", "witnesses": [{**WITNESS, **change}]})
    assert status == 400 and body["field"] == "witnesses" and words in body["error"]
    assert body["errors"][0]["label"] == "Witness testimony"
    assert ReflectiveEntry.objects.count() == 0


def test_an_unconfirmed_or_incomplete_witness_statement_cannot_be_submitted(log):
    entry = draft(log, witnesses=[{**WITNESS, "confirmed": False, "role": ""}])
    status, body, _ = call_handler(log("ann"), "submit_entry", {**ENTRY, "entry_id": entry["entry_id"]})
    assert status == 400 and {item["field"] for item in body["errors"]} == {"witnesses"}
    assert "give the role" in body["error"] and "tick that the witness confirmed" in body["error"]
    status, body, _ = call_handler(log("ann"), "save_draft", {"title": "x", "witnesses": [WITNESS] * 4})
    assert status == 400 and "at most 3" in body["error"]


# ---------------------------------------------------------------------------------------- declaration

def test_a_submission_without_the_declaration_is_400_naming_the_field(log):
    body_without = {key: value for key, value in ENTRY.items() if key != "declaration"}
    for body in (body_without, {**body_without, "declaration": False}, {**body_without, "declaration": ""}):
        status, reply, _ = call_handler(log("ann"), "submit_entry", body)
        assert status == 400 and reply["field"] == "declaration", reply
        assert reply["errors"][0]["label"] == "Declaration"
    status, reply, _ = call_handler(log("ann"), "submit_entry", {**body_without, "declaration": "2019-1"})
    assert status == 400 and "has changed" in reply["error"]
    # Every problem at once: a missing title and the declaration in one answer.
    status, reply, _ = call_handler(log("ann"), "submit_entry", {**body_without, "title": ""})
    assert status == 400 and [item["field"] for item in reply["errors"]] == ["title", "declaration"]
    assert ReflectiveEntry.objects.count() == 0 and ReflectiveEntryVersion.objects.count() == 0


def test_the_declaration_is_recorded_with_the_version_and_in_the_audit_trail(log):
    from lp_programme.catalogue import authenticity_declaration  # pylint: disable=import-outside-toplevel
    declaration = authenticity_declaration()
    assert declaration["version"] == DECLARATION and "my own work" in declaration["text"]
    entry = ok(call_handler(log("ann"), "submit_entry", ENTRY))["entry"]
    recorded = entry["versions"][0]["declaration"]
    assert (recorded["version"], recorded["text"]) == (DECLARATION, declaration["text"]) and recorded["at"]
    assert ReflectiveAuditEvent.objects.filter(action="declared", version=1, actor="ann").count() == 1
    portfolio = ok(call_handler(log("tutor"), "portfolio", {"learner": "ann"}))
    assert portfolio["entries"][0]["versions"][0]["declaration"]["version"] == DECLARATION
    assert "declared" in [event["action"] for event in portfolio["entries"][0]["audit"]]
    status, html, _ = call_handler(log("tutor"), "portfolio_html", method="GET", query="learner=ann")
    assert "Authenticity declaration" in html and "version 2026-1" in html


def test_the_page_shows_the_declaration_text(log):
    html = log("ann").render("student_view").body_html()
    assert "are my own work" in html and 'name="declaration"' in html


# ---------------------------------------------------------------------------------------- citations

RECORDS = {("ann", "w1"): {"id": "w1", "title": "Workshop: budgets", "date": "2026-02-01", "summary": "Attended",
                           "witness": True},
           ("bob", "w2"): {"id": "w2", "title": "Bob's workshop", "date": "2026-02-02", "summary": "", "witness": False}}


@pytest.fixture
def workshop_source():
    citations.register("test_workshop", "Workshop attended",
                       lambda course, student: [item for (who, _), item in RECORDS.items() if who == student],
                       lambda course, student, ident: RECORDS.get((student, ident)))
    yield
    citations._SOURCES.pop("test_workshop", None)  # pylint: disable=protected-access


def test_a_learner_cites_only_their_own_records_resolved_when_read(log, workshop_source):  # pylint: disable=unused-argument
    # Only the source this test registers: the course's own features register theirs too.
    listed = [src for src in ok(call_handler(log("ann"), "citable_records", {}))["sources"] if src["kind"] == "test_workshop"]
    assert listed == [{"kind": "test_workshop", "label": "Workshop attended", "items": [RECORDS[("ann", "w1")]]}]
    status, body, _ = call_handler(log("ann"), "save_draft", {"title": "x", "citations": [{"kind": "test_workshop",
                                                                                            "id": "w2"}]})
    assert status == 400 and body["field"] == "citations" and "w2" in body["error"]
    status, body, _ = call_handler(log("ann"), "save_draft", {"title": "x", "citations": [{"kind": "nope", "id": "1"}]})
    assert status == 400 and body["field"] == "citations"
    status, body, _ = call_handler(log("ann"), "save_draft", {"title": "x", "citations": "w1"})
    assert status == 400 and body["field"] == "citations"
    entry = draft(log, citations=[{"kind": "test_workshop", "id": "w1"}, {"kind": "test_workshop", "id": "w1"}])
    assert entry["draft"]["citations"] == [{"kind": "test_workshop", "id": "w1"}]
    assert entry["draft_citations"][0]["resolved"]["title"] == "Workshop: budgets"
    submit(log, entry)
    assert ReflectiveEntryVersion.objects.get().evidence["citations"] == [{"kind": "test_workshop", "id": "w1"}]
    RECORDS[("ann", "w1")]["title"] = "Workshop: budgets (renamed)"
    try:
        opened = ok(call_handler(log("tutor"), "open_entry", {"entry_id": entry["entry_id"]}))
        cited = opened["entry"]["versions"][0]["citations"][0]
        assert cited["resolved"]["title"] == "Workshop: budgets (renamed)" and cited["resolved"]["label"] == "Workshop attended"
        status, html, _ = call_handler(log("tutor"), "portfolio_html", method="GET", query="learner=ann")
        assert "Workshop: budgets (renamed)" in html and "confirmed by a third party" in html
    finally:
        RECORDS[("ann", "w1")]["title"] = "Workshop: budgets"
    bob = [src for src in ok(call_handler(log("bob"), "citable_records", {}))["sources"] if src["kind"] == "test_workshop"]
    assert bob[0]["items"] == [RECORDS[("bob", "w2")]]


# ---------------------------------------------------------------------------------------- the verifier's zip

def submitted_with_files(log, student="ann"):
    entry = draft(log, student, witnesses=[WITNESS])
    upload(log(student), entry["entry_id"], "=cmd()|budget.pdf", PDF)
    upload(log(student), entry["entry_id"], "actions.csv", CSV)
    return submit(log, entry, student)


def test_the_verifier_zip_holds_portfolio_manifest_and_verified_files(log):
    submitted_with_files(log, "ann")
    submitted_with_files(log, "bob")
    assert log("ann").handle("verifier_zip", Request.blank("/", method="GET")).status_code == 403
    response = log("tutor").handle("verifier_zip", Request.blank("/?learner=ann", method="GET"))
    assert response.status_code == 200 and response.content_type == "application/zip"
    assert response.headers["Content-Disposition"] == 'attachment; filename="verifier-ann.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.body))
    names = sorted(archive.namelist())
    assert "ann/portfolio.html" in names and "manifest.csv" in names and "manifest.json" in names
    assert not any(name.startswith("bob/") for name in names)
    rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8"))))
    assert [row["checksum"] for row in rows] == ["verified", "verified"]
    for row in rows:
        assert hashlib.sha256(archive.read(row["path"])).hexdigest() == row["sha256"]
    assert rows[0]["file"].startswith("cmd") and not rows[0]["entry_title"].startswith("=")
    manifest = json.loads(archive.read("manifest.json"))
    version = manifest["learners"]["ann"][0]["versions"][0]
    assert version["witnesses"][0]["name"] == "Priya Shah" and version["declaration"]["version"] == DECLARATION
    html = archive.read("ann/portfolio.html").decode("utf-8")
    assert "Priya Shah" in html and hashlib.sha256(PDF).hexdigest() in html and 'href="files/' in html
    whole = zipfile.ZipFile(io.BytesIO(log("tutor").handle("verifier_zip", Request.blank("/", method="GET")).body))
    assert {"ann/portfolio.html", "bob/portfolio.html"} <= set(whole.namelist())


def test_the_zip_reports_a_tampered_or_missing_file_instead_of_bundling_it(log, media):
    submitted_with_files(log)
    first, second = EvidenceFile.objects.order_by("id")
    (media / first.storage_name).write_bytes(PDF + b"tampered")
    os.remove(media / second.storage_name)
    archive = zipfile.ZipFile(io.BytesIO(log("tutor").handle("verifier_zip", Request.blank("/?learner=ann",
                                                                                           method="GET")).body))
    rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8"))))
    assert [(row["checksum"], row["path"]) for row in rows] == [("mismatch", ""), ("missing", "")]
    assert not any("/files/" in name for name in archive.namelist())


# ---------------------------------------------------------------------------------------- author settings

def test_file_limits_round_trip_through_olx_and_studio_is_bounded(workbench_block):
    log = workbench_block(SMALL_XML)
    block = log("tutor")
    assert (block.max_files, block.max_file_mb) == (2, 1)
    node = etree.Element("x")
    block.add_xml_to_node(node)
    assert (node.get("max_files"), node.get("max_file_mb")) == ("2", "1")
    again = workbench_block(etree.tostring(node).decode())("tutor")
    assert (again.max_files, again.max_file_mb) == (2, 1)
    status, body, _ = call_handler(block, "studio_submit", {"display_name": "Log", "max_files": "21", "max_file_mb": "5"})
    assert status == 400 and body["field"] == "max_files" and "0 to 20" in body["error"]
    status, body, _ = call_handler(block, "studio_submit", {"display_name": "Log", "max_files": "3", "max_file_mb": "0"})
    assert status == 400 and body["field"] == "max_file_mb"
    assert ok(call_handler(block, "studio_submit", {"display_name": "Log", "max_files": "0", "max_file_mb": "50"}))
    with pytest.raises(Exception, match="max_file_mb"):
        workbench_block(XML.replace('max_words="40"', 'max_words="40" max_file_mb="500"'))


def test_a_log_that_accepts_no_files_says_so(workbench_block):
    log = workbench_block(XML.replace('max_words="40"', 'max_words="40" max_files="0"'))
    entry = draft(log)
    status, body = upload(log("ann"), entry["entry_id"], "a.pdf", PDF)
    assert status == 400 and "does not accept files" in body["error"]
