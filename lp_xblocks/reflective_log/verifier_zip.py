"""
The external verifier's zip: for one learner or every learner of a log, each portfolio as printable HTML, a
manifest (``manifest.csv``, formula-safe, and ``manifest.json``) and every evidence file of a submitted version,
each file's sha256 checked against the one recorded at upload while the zip is built.

Bounded: at most :data:`MAX_LEARNERS` learners and :data:`MAX_BYTES` of files in one zip (413 naming ``learner``
otherwise: ask per learner). Built in a temporary file on disk (never in memory) and streamed out in chunks.
"""
import hashlib
import json
import tempfile
import zipfile

from webob import Response

from ..common import permissions
from ..common.csv_safe import csv_text
from ..common.http import HandlerError
from .shell import api as _api

MAX_LEARNERS = 500
# The LMS turns a handler's answer into a plain (not streaming) HttpResponse, so a zip passes through memory once
# there: keep one zip to a size a web worker can hold, and ask for one learner at a time beyond it.
MAX_BYTES = 512 * 1024 ** 2
CHUNK = 64 * 1024
MANIFEST_COLUMNS = ("learner", "entry_id", "entry_title", "version", "status", "file", "type", "size", "sha256",
                    "checksum", "path")


def _safe(text, most=60):
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in str(text))[:most] or "_"


def _learners(block, learner):
    if learner is not None:
        return [learner]
    rows = (_api().log_entries(permissions.block_key(block), block._scope())  # pylint: disable=protected-access
            .filter(version__gt=0).exclude(status="archived").values_list("username", flat=True).distinct()
            .order_by("username")[:MAX_LEARNERS + 1])
    return list(rows)


def build(block, learner):
    """The zip as a streamed download (see the module's docstring)."""
    from ..data.api import evidence as evidence_api  # pylint: disable=import-outside-toplevel
    from ..data.models import EvidenceFile  # pylint: disable=import-outside-toplevel
    _ = block._  # pylint: disable=protected-access
    learners = _learners(block, learner)
    if len(learners) > MAX_LEARNERS:
        raise HandlerError(413, _("Learner: this log has more than {most} learners with entries; download the zip "
                                  "one learner at a time.").format(most=MAX_LEARNERS), field="learner")
    entries_of = _api().log_entries(permissions.block_key(block), block._scope())  # pylint: disable=protected-access
    rows = EvidenceFile.objects.filter(entry__in=entries_of.filter(username__in=learners),
                                       version__isnull=False).exclude(entry__status="archived")
    total = sum(rows.values_list("size", flat=True))
    if total > MAX_BYTES:
        raise HandlerError(413, _("Learner: the files come to more than {most} MB; download the zip one learner at "
                                  "a time.").format(most=MAX_BYTES // 1024 ** 2), field="learner")
    by_id = {str(row.file_id): row for row in rows}
    manifest, documents = [], {}
    out = tempfile.TemporaryFile()  # pylint: disable=consider-using-with  # closed when the response is sent
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in learners:
            folder = _safe(name)
            html, entries = block._portfolio_document(  # pylint: disable=protected-access
                {"username": name}, name,
                {file_id: f"files/{_safe(file_id[:8])}-{row.name}" for file_id, row in by_id.items()
                 if row.entry.username == name})
            for entry in entries:
                for version in entry["versions"]:
                    for item in version.get("files", []):
                        row = by_id.get(item["file_id"])
                        path = f"{folder}/files/{_safe(item['file_id'][:8])}-{row.name}" if row else ""
                        checksum = _copy_checked(archive, evidence_api, row, path) if row else "missing"
                        manifest.append({
                            "learner": name, "entry_id": entry["entry_id"], "entry_title": entry["title"],
                            "version": version["number"], "status": entry["status"], "file": item["name"],
                            "type": item["content_type"], "size": item["size"], "sha256": item["sha256"],
                            "checksum": checksum, "path": path if checksum == "verified" else "",
                        })
            archive.writestr(f"{folder}/portfolio.html", html)
            documents[name] = _evidence_summary(entries)
        archive.writestr("manifest.csv", csv_text(list(MANIFEST_COLUMNS),
                                                   ([row[column] for column in MANIFEST_COLUMNS] for row in manifest)))
        archive.writestr("manifest.json", json.dumps({
            "log": permissions.block_key(block), "course": permissions.course_key(block),
            "generated": block._now_utc().isoformat(),  # pylint: disable=protected-access
            "files": manifest, "learners": documents,
        }, indent=2, ensure_ascii=False))
    size = out.tell()
    out.seek(0)
    stem = _safe(learner) if learner is not None else "all-learners"
    response = Response(content_type="application/zip", app_iter=_stream(out), content_length=size)
    response.headers["Content-Disposition"] = f'attachment; filename="verifier-{stem}.zip"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _copy_checked(archive, evidence_api, row, path):
    """Copy one stored file into the zip, hashing as it goes: 'verified', 'mismatch' (left out) or 'missing'."""
    digest = hashlib.sha256()
    try:
        handle = evidence_api.open_file(row)
    except (OSError, ValueError):
        return "missing"
    try:
        with tempfile.TemporaryFile() as copy:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
                copy.write(chunk)
            if digest.hexdigest() != row.sha256:
                return "mismatch"
            copy.seek(0)
            with archive.open(path, "w", force_zip64=True) as target:
                for chunk in iter(lambda: copy.read(CHUNK), b""):
                    target.write(chunk)
    finally:
        handle.close()
    return "verified"


def _evidence_summary(entries):
    """Per entry and version: witness statements, citations and the declaration (the manifest's JSON part)."""
    return [{"entry_id": entry["entry_id"], "title": entry["title"], "status": entry["status"],
             "versions": [{"number": version["number"], "witnesses": version.get("witnesses", []),
                           "citations": version.get("citations", []), "declaration": version.get("declaration")}
                          for version in entry["versions"]]}
            for entry in entries]


def _stream(handle):
    try:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            yield chunk
    finally:
        handle.close()
