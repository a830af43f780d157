"""
Evidence files of reflective-log entries: storage, the virus-scan hook, and their records.

Files are stored through Django's storage API: the storage named by the setting ``LP_EVIDENCE_STORAGE`` (an alias
of ``STORAGES``) or ``default_storage`` (the workbench: ``var/media``; Open edX: its configured storage, e.g. S3),
under a random name (``lp_evidence/<32 hex>/<32 hex>``) that says nothing about the learner or the file. The
setting ``LP_EVIDENCE_SCANNER`` names a callable ``scan(fileobj, *, name, content_type, size)`` run before a file
is stored: it returns None (or True) for a clean file, or a reason (text, or False) to refuse it; if it raises or
cannot be imported the file is refused (fail closed). See docs/evidence-and-quality-assurance.md.
"""
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from ...common import marking as rules
from ..models import EvidenceFile, ReflectiveEntry

CHUNK = 64 * 1024


class ScanRefused(Exception):
    """The virus scanner refused the file; ``reason`` is its own words (or empty)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class ScanFailed(Exception):
    """The virus scanner could not be run or raised: the file is refused (fail closed)."""


class TooManyFiles(Exception):
    """The entry's working copy already holds as many files as the author allows."""


class NotEditable(Exception):
    """The entry is no longer a draft or referred entry: its files are frozen."""


def storage():
    """The storage evidence files go to (``LP_EVIDENCE_STORAGE``, an alias of ``STORAGES``, or the default)."""
    alias = getattr(settings, "LP_EVIDENCE_STORAGE", None)
    if alias:
        from django.core.files.storage import storages  # pylint: disable=import-outside-toplevel
        return storages[alias]
    from django.core.files.storage import default_storage  # pylint: disable=import-outside-toplevel
    return default_storage


def scan(fileobj, *, name, content_type, size):
    """Run the configured scanner (if any) on the file; raises :class:`ScanRefused` or :class:`ScanFailed`."""
    path = getattr(settings, "LP_EVIDENCE_SCANNER", None)
    if not path:
        return
    try:
        scanner = import_string(path) if isinstance(path, str) else path
        fileobj.seek(0)
        result = scanner(fileobj, name=name, content_type=content_type, size=size)
    except Exception as error:  # pylint: disable=broad-except  # any failure of the scanner refuses the file
        raise ScanFailed(str(error)) from error
    finally:
        fileobj.seek(0)
    if result is None or result is True:
        return
    raise ScanRefused(result if isinstance(result, str) else "")


def sha256_of(fileobj):
    """The sha256 (hex) and size of a binary file, read in chunks; the position is left at the start."""
    digest, size = hashlib.sha256(), 0
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    fileobj.seek(0)
    return digest.hexdigest(), size


def file_dict(row):
    """A file as the handlers answer it (never its storage name)."""
    return {"file_id": str(row.file_id), "name": row.name, "content_type": row.content_type, "size": row.size,
            "sha256": row.sha256, "version": row.version, "uploaded_at": row.uploaded_at.isoformat()}


def working_files(entry):
    """The files on the entry's working copy (not yet submitted)."""
    return list(EvidenceFile.objects.filter(entry=entry, version__isnull=True).order_by("uploaded_at", "id"))


def files_by_entry(entry_ids):
    """``{entry pk: [row, ...]}`` for the entries given, in one query."""
    found = {}
    if entry_ids:
        for row in EvidenceFile.objects.filter(entry_id__in=list(entry_ids)).order_by("uploaded_at", "id"):
            found.setdefault(row.entry_id, []).append(row)
    return found


def add_file(entry, fileobj, *, name, content_type, now, max_files):
    """
    Store the (already checked and scanned) file and attach it to the entry's working copy. The count is
    checked inside the transaction that holds the entry's row, so two uploads at once cannot pass the limit.
    Raises :class:`TooManyFiles` or :class:`NotEditable`; nothing stays in storage when the row is not made.
    """
    digest, size = sha256_of(fileobj)
    target = storage()
    stored = target.save(f"lp_evidence/{secrets.token_hex(16)}/{secrets.token_hex(16)}", fileobj)
    try:
        with transaction.atomic():
            current = ReflectiveEntry.objects.select_for_update().get(pk=entry.pk)
            if not rules.is_editable(current.status):
                raise NotEditable()
            if EvidenceFile.objects.filter(entry=current, version__isnull=True).count() >= max_files:
                raise TooManyFiles()
            return EvidenceFile.objects.create(
                entry=current, student_id=current.student_id, name=name, content_type=content_type, size=size,
                sha256=digest, storage_name=stored, uploaded_at=now,
            )
    except BaseException:
        target.delete(stored)
        raise


def remove_file(entry, file_id):
    """Remove a file from the entry's working copy; False when there is no such unsubmitted file."""
    row = find_file(entry, file_id)
    if row is None or row.version is not None:
        return False
    with transaction.atomic():
        deleted, _ = EvidenceFile.objects.filter(pk=row.pk, version__isnull=True).delete()
    if deleted:
        transaction.on_commit(lambda: storage().delete(row.storage_name))
    return bool(deleted)


def find_file(entry, file_id):
    """The file of the entry with that public id, or None."""
    return _by_public_id(EvidenceFile.objects.filter(entry=entry), file_id)


def _by_public_id(rows, file_id):
    import uuid  # pylint: disable=import-outside-toplevel
    try:
        file_id = uuid.UUID(str(file_id))
    except ValueError:
        return None
    return rows.filter(file_id=file_id).select_related("entry").first()


def file_in(entries, file_id):
    """The file with that public id among the entries of a queryset (a log's entries), or None."""
    return _by_public_id(EvidenceFile.objects.filter(entry__in=entries), file_id)


def freeze(entry, number):
    """Attach the working copy's files to the version being submitted (call inside its transaction)."""
    return EvidenceFile.objects.filter(entry=entry, version__isnull=True).update(version=number)


def open_file(row):
    """The stored bytes of a file as an open binary file (the caller closes it)."""
    return storage().open(row.storage_name, "rb")


def delete_stored(rows):
    """Delete the stored bytes of rows that are gone (a deleted draft's files)."""
    target = storage()
    for row in rows:
        target.delete(row.storage_name)
