"""
Evidence attached to a reflective-log entry (pure: no XBlock, no Django): files, witness testimony,
citations of the learner's own records, and the authenticity declaration.

- :func:`detect_type` decides what a file is from its content (magic bytes; for zip-based Office and
  OpenDocument files the zip's own markers), never from its name; anything else is refused.
- :func:`safe_filename` reduces a learner's file name to something safe to show and to offer as a download.
- :func:`clean_witnesses` / :func:`check_witnesses` and :func:`clean_citations` check the draft's fields.
See docs/evidence-and-quality-assurance.md and docs/decisions/0007-what-counts-as-evidence.md.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from datetime import date
from typing import Any

from ..common.errors import N_
from ..common.text import is_blank, visible_or_empty
from .rules import EntryError, EntryErrors, normalise_body

# What an author may set (per block): how many files one version of an entry may carry, and how large each is.
DEFAULT_MAX_FILES = 5
MOST_FILES = 20
DEFAULT_MAX_FILE_MB = 10
MOST_FILE_MB = 50

# The types a file may be, each with what the learner and tutor read and the extension a download gets.
TYPES = {
    "application/pdf": (N_("PDF"), "pdf"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (N_("Word document"), "docx"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (N_("Excel spreadsheet"), "xlsx"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (N_("PowerPoint presentation"), "pptx"),
    "application/vnd.oasis.opendocument.text": (N_("OpenDocument text"), "odt"),
    "application/vnd.oasis.opendocument.spreadsheet": (N_("OpenDocument spreadsheet"), "ods"),
    "application/vnd.oasis.opendocument.presentation": (N_("OpenDocument presentation"), "odp"),
    "image/png": (N_("PNG image"), "png"),
    "image/jpeg": (N_("JPEG image"), "jpg"),
    "image/gif": (N_("GIF image"), "gif"),
    "image/webp": (N_("WebP image"), "webp"),
    "text/csv": (N_("CSV table"), "csv"),
}

_OOXML_PARTS = {  # the main part each Office document must have, by content type
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/presentation.xml": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_ODF_TYPES = {
    "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
MAX_ZIP_MEMBERS = 10_000  # an Office document with more parts than this is not one a learner made by hand
MAX_CSV_BYTES = 5 * 1024 * 1024
_MACRO_PARTS = re.compile(r"(^|/)vbaProject\.bin$|\.bin$", re.IGNORECASE)


class NotAllowed(Exception):
    """The content is not one of :data:`TYPES`; ``reason`` says what it looks like (a translatable template)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def detect_type(fileobj) -> str:
    """
    The content type of an uploaded file, read from its bytes (``fileobj``: a seekable binary file).
    Raises :class:`NotAllowed` for anything not in :data:`TYPES` (executables, HTML, SVG, scripts, archives,
    Office files with macros ...). The file position is left at the start.
    """
    fileobj.seek(0)
    head = fileobj.read(512)
    fileobj.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(fileobj)
    if head.startswith((b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")):
        raise NotAllowed(N_("it is a program, not a document"))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise NotAllowed(N_("it is an old-style Office file (.doc, .xls, .ppt); save it as .docx, .xlsx or .pptx"))
    return _text_type(fileobj)


def _zip_type(fileobj) -> str:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise NotAllowed(N_("it is an archive, not a document"))
            names = {info.filename for info in infos}
            if "mimetype" in names:  # OpenDocument: the first entry, stored, names the type
                declared = archive.read("mimetype")[:100].decode(N_("ascii"), "replace").strip()
                if declared in _ODF_TYPES and "content.xml" in names:
                    return declared
            if "[Content_Types].xml" in names:
                if any(_MACRO_PARTS.search(name) for name in names):
                    raise NotAllowed(N_("it is an Office file with macros; save it without macros"))
                for part, content_type in _OOXML_PARTS.items():
                    if part in names:
                        return content_type
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError, ValueError, NotImplementedError):
        raise NotAllowed(N_("it looks like a damaged zip file")) from None
    finally:
        fileobj.seek(0)
    raise NotAllowed(N_("it is an archive, not a document"))


def _text_type(fileobj) -> str:
    """CSV: UTF-8 text with no markup that parses as rows with the same number of columns (two or more)."""
    data = fileobj.read(MAX_CSV_BYTES + 1)
    fileobj.seek(0)
    if len(data) > MAX_CSV_BYTES:
        raise NotAllowed(N_("it is not a file type this log accepts"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotAllowed(N_("it is not a file type this log accepts")) from None
    stripped = text.lstrip().lower()
    if stripped.startswith(("<", "{", "[")) or "<script" in stripped or "<svg" in stripped or "<html" in stripped:
        raise NotAllowed(N_("it is a web page, image markup or script, which this log does not accept"))
    if "\x00" in text or not text.strip():
        raise NotAllowed(N_("it is not a file type this log accepts"))
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline="")) if row]
    except csv.Error:
        raise NotAllowed(N_("it is not a file type this log accepts")) from None
    widths = {len(row) for row in rows}
    if not rows or len(widths) != 1 or widths.pop() < 2:
        raise NotAllowed(N_("it is text, but not a table (CSV) with the same number of columns in every row"))
    return "text/csv"


def type_label(content_type: str) -> str:
    """What a person reads for a detected type (a translatable noun)."""
    return TYPES.get(content_type, (content_type, ""))[0]


def safe_filename(name: Any, content_type: str) -> str:
    """
    The learner's file name reduced to letters, digits, spaces, ``-_.()`` (accents folded), at most 100
    characters, with the extension of the *detected* type: never a name that runs as something else.
    """
    text = unicodedata.normalize("NFKD", name if isinstance(name, str) else "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    stem = text.rsplit(".", 1)[0] if "." in text else text
    stem = "".join(ch for ch in stem if ch.isascii() and (ch.isalnum() or ch in " -_()")).strip(" .-_")
    stem = re.sub(r"\s+", " ", stem)[:80] or "evidence"
    return f"{stem}.{TYPES[content_type][1]}"


# --------------------------------------------------------------------------- witness testimony

MAX_WITNESSES = 3
WITNESS_TEXT = {"name": 100, "role": 100, "relationship": 100, "email": 254}
MAX_STATEMENT = 3000
WITNESS_KEYS = ("name", "role", "relationship", "statement", "date", "confirmed", "email")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def clean_witnesses(value: Any, today: date) -> list:
    """
    A draft's witness testimony: a list of at most :data:`MAX_WITNESSES` objects with bounded texts, a date
    that is not in the future and ``confirmed`` (the learner records that the witness confirmed the statement).
    Incomplete is fine in a draft (see :func:`check_witnesses`). Raises :class:`EntryErrors` naming every problem.
    """
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise EntryError("witnesses", N_("must be a list of witness statements"))
    if len(value) > MAX_WITNESSES:
        raise EntryError("witnesses", N_("at most {limit} witness statements per entry"), limit=MAX_WITNESSES)
    problems, cleaned = [], []
    for number, item in enumerate(value, start=1):
        witness = {}
        for key in sorted(set(item) - set(WITNESS_KEYS)):
            problems.append(EntryError("witnesses", N_("witness {number}: there is no field '{key}'"),
                                       number=number, key=str(key)[:40]))
        for key, limit in (*WITNESS_TEXT.items(), ("statement", MAX_STATEMENT)):
            text = item.get(key, "")
            if not isinstance(text, str):
                problems.append(EntryError("witnesses", N_("witness {number}: {key} must be text"), number=number, key=key))
                text = ""
            text = visible_or_empty(normalise_body(text) if key == "statement" else " ".join(text.split()))
            if len(text) > limit:
                problems.append(EntryError("witnesses", N_("witness {number}: {key} has {count} characters; at most {limit}"),
                                           number=number, key=key, count=len(text), limit=limit))
            witness[key] = text
        if witness["email"] and not _EMAIL.match(witness["email"]):
            problems.append(EntryError("witnesses", N_("witness {number}: '{value}' is not an email address"),
                                       number=number, value=witness["email"][:60]))
        day = item.get("date", "")
        witness["date"] = ""
        if day not in ("", None):
            try:
                parsed = date.fromisoformat(day) if isinstance(day, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) else None
            except ValueError:
                parsed = None
            if parsed is None:
                problems.append(EntryError("witnesses", N_("witness {number}: the date is not a date (year-month-day)"),
                                           number=number))
            elif parsed > today:
                problems.append(EntryError("witnesses", N_("witness {number}: the date {value} is in the future"),
                                           number=number, value=day))
            else:
                witness["date"] = day
        confirmed = item.get("confirmed", False)
        if not isinstance(confirmed, bool):
            problems.append(EntryError("witnesses", N_("witness {number}: confirmed must be true or false"), number=number))
            confirmed = False
        witness["confirmed"] = confirmed
        cleaned.append(witness)
    if problems:
        raise EntryErrors(problems)
    return cleaned


def check_witnesses(witnesses: list) -> list:
    """The problems that keep a draft's witness statements from being submitted (empty list: none)."""
    problems = []
    for number, witness in enumerate(witnesses, start=1):
        missing = [key for key in ("name", "role", "relationship", "statement", "date") if is_blank(witness.get(key))]
        if missing:
            problems.append(EntryError("witnesses", N_("witness {number}: give the {fields}"), number=number,
                                       fields=", ".join(missing)))
        if not witness.get("confirmed"):
            problems.append(EntryError("witnesses", N_("witness {number}: tick that the witness confirmed this statement"),
                                       number=number))
    return problems


# --------------------------------------------------------------------------- citations

MAX_CITATIONS = 20


def clean_citations(value: Any) -> list:
    """``[{"kind": str, "id": str}]``, each once, at most :data:`MAX_CITATIONS` (whether they resolve is the block's check)."""
    if not isinstance(value, list) or len(value) > MAX_CITATIONS or not all(
            isinstance(item, dict) and set(item) <= {"kind", "id"} and isinstance(item.get("kind"), str)
            and isinstance(item.get("id"), str) and 0 < len(item["kind"]) <= 50 and 0 < len(item["id"]) <= 100
            for item in value):
        raise EntryError("citations", N_("must be a list of at most {limit} records, each with a kind and an id"),
                         limit=MAX_CITATIONS)
    seen, cleaned = set(), []
    for item in value:
        key = (item["kind"], item["id"])
        if key not in seen:
            seen.add(key)
            cleaned.append({"kind": item["kind"], "id": item["id"]})
    return cleaned


def validate_file_limits(max_files: Any, max_file_mb: Any) -> list:
    """The problems with an author's file limits (``[(name, template, params)]``); empty when valid."""
    problems = []
    for name, value, most in (("max_files", max_files, MOST_FILES), ("max_file_mb", max_file_mb, MOST_FILE_MB)):
        lowest = 0 if name == "max_files" else 1
        if not isinstance(value, int) or isinstance(value, bool) or not lowest <= value <= most:
            problems.append((name, N_("{name} '{value}' must be a whole number from {least} to {most}"),
                             {"name": name, "value": value, "least": lowest, "most": most}))
    return problems
