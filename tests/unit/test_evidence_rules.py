"""The pure evidence rules: file types from content, safe names, witness statements, citations, file limits."""
import io
import zipfile
from datetime import date

import pytest

from lp_xblocks.reflective_log import evidence
from lp_xblocks.reflective_log.rules import EntryError, EntryErrors

TODAY = date(2026, 11, 26)


def zipped(entries, stored_first=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if stored_first is not None:
            archive.writestr(zipfile.ZipInfo("mimetype"), stored_first)
        for name, data in entries.items():
            archive.writestr(name, data)
    return io.BytesIO(buffer.getvalue())


@pytest.mark.parametrize("data, expected", [
    (b"%PDF-1.7\n", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n....", "image/png"),
    (b"\xff\xd8\xff\xdb", "image/jpeg"),
    (b"GIF87a..", "image/gif"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8L", "image/webp"),
    (b"a,b\r\n1,2\r\n", "text/csv"),
    ("\ufeffName;Role\n".replace(";", ",").encode("utf-8") + b"Ann,Chair\n", "text/csv"),
    (b'a,"b, with comma"\n1,"2\nline"\n', "text/csv"),
])
def test_types_are_read_from_the_bytes(data, expected):
    handle = io.BytesIO(data)
    assert evidence.detect_type(handle) == expected
    assert handle.tell() == 0


def test_zip_formats_need_their_own_markers():
    assert evidence.detect_type(zipped({"[Content_Types].xml": "x", "xl/workbook.xml": "x"})) == \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert evidence.detect_type(zipped({"content.xml": "x"}, "application/vnd.oasis.opendocument.presentation")) == \
        "application/vnd.oasis.opendocument.presentation"
    for refused in (zipped({"word/document.xml": "x"}),  # no [Content_Types].xml
                    zipped({"content.xml": "x"}, "application/epub+zip"),  # an e-book, not OpenDocument
                    zipped({"[Content_Types].xml": "x", "xl/workbook.xml": "x", "xl/vbaProject.bin": "x"}),
                    zipped({"[Content_Types].xml": "x"})):
        with pytest.raises(evidence.NotAllowed):
            evidence.detect_type(refused)


@pytest.mark.parametrize("data", [
    b"", b"   \n", b"<svg/>", b"  <!doctype html>", b"{\"a\": 1}", b"[1, 2]", b"MZ\x90", b"#!/usr/bin/env python\n",
    b"one column only\nstill one\n", b"a,b\n1,2,3\n", b"a,b\x00\n1,2\n", b"\xff\xfe\x00a", b"\xd0\xcf\x11\xe0",
    b"a,b\n<script>x</script>,1\n",
])
def test_everything_else_is_refused(data):
    with pytest.raises(evidence.NotAllowed):
        evidence.detect_type(io.BytesIO(data))


@pytest.mark.parametrize("name, content_type, safe", [
    ("Budget 2026.xlsx", "application/pdf", "Budget 2026.pdf"),
    ("C:\\Users\\ann\\minutes.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "minutes.docx"),
    ("\u202egpj.exe", "image/jpeg", "gpj.jpg"),
    ("", "text/csv", "evidence.csv"),
    (None, "image/png", "evidence.png"),
    ("..", "image/png", "evidence.png"),
    ("a" * 300 + ".pdf", "application/pdf", "a" * 80 + ".pdf"),
    ('x"; filename="evil.html', "application/pdf", "x filenameevil.pdf"),
])
def test_safe_filenames_take_the_detected_extension(name, content_type, safe):
    assert evidence.safe_filename(name, content_type) == safe


WITNESS = {"name": "  Priya   Shah ", "role": "Chair", "relationship": "Board chair", "statement": "Saw it.\r\n\r\nYes.",
           "date": "2026-11-26", "confirmed": True}


def test_witnesses_are_normalised_and_may_be_incomplete_in_a_draft():
    cleaned = evidence.clean_witnesses([WITNESS, {"name": "Half done"}], TODAY)
    assert cleaned[0]["name"] == "Priya Shah" and cleaned[0]["statement"] == "Saw it.\n\nYes." and cleaned[0]["email"] == ""
    assert cleaned[1] == {"name": "Half done", "role": "", "relationship": "", "email": "", "statement": "", "date": "",
                          "confirmed": False}
    assert evidence.check_witnesses(cleaned[:1]) == []
    problems = evidence.check_witnesses(cleaned)
    assert len(problems) == 2 and all(problem.field == "witnesses" for problem in problems)


def test_every_witness_problem_at_once():
    with pytest.raises(EntryErrors) as caught:
        evidence.clean_witnesses([{**WITNESS, "date": "2026-11-27", "email": "x@", "role": 5}], TODAY)
    assert len(caught.value.problems) == 3
    with pytest.raises(EntryError):
        evidence.clean_witnesses("Priya", TODAY)


def test_citations_are_shaped_bounded_and_deduplicated():
    cited = [{"kind": "workshop", "id": "1"}, {"kind": "workshop", "id": "1"}, {"kind": "mentoring", "id": "1"}]
    assert evidence.clean_citations(cited) == cited[1:]
    for bad in ("1", [{"kind": "w"}], [{"kind": "w", "id": 1}], [{"kind": "w", "id": "1", "x": 1}],
                [{"kind": "w", "id": str(n)} for n in range(21)], [{"kind": "", "id": "1"}]):
        with pytest.raises(EntryError):
            evidence.clean_citations(bad)


@pytest.mark.parametrize("files, megabytes, problems", [
    (5, 10, 0), (0, 1, 0), (20, 50, 0), (21, 10, 1), (-1, 10, 1), (5, 0, 1), (5, 51, 1), (True, 10, 1), ("5", "x", 2),
])
def test_file_limits_are_bounded(files, megabytes, problems):
    assert len(evidence.validate_file_limits(files, megabytes)) == problems
