"""
The reflective log's evidence handlers: file upload, removal and download, the learner's citable records,
and the external verifier's zip. See docs/evidence-and-quality-assurance.md.
"""
import tempfile

from webob import Response

from ..common import permissions, records
from ..common.http import HandlerError, error_response, guarded_handler, json_handler, json_response
from ..common.i18n import gettext_for
from . import evidence, rules
from .shell import api as _api

# Multipart overhead allowed above the file itself (boundaries, headers, the entry id field).
MULTIPART_OVERHEAD = 64 * 1024


def _evidence_api():
    from ..data.api import evidence as evidence_api  # pylint: disable=import-outside-toplevel  # needs Django
    return evidence_api


def _citations():
    from ..data.api import citations  # pylint: disable=import-outside-toplevel  # needs Django
    return citations


def _problem(gettext, status, field, message, more=()):
    """A 400-style error naming the field in words, with the per-field list the form's error summary shows."""
    problems = [(field, message), *more]
    details = [{"field": name, "label": rules.field_label(name, gettext), "message": text} for name, text in problems]
    return HandlerError(status, " ".join(f"{item['label']}: {item['message']}" for item in details),
                        field=field, errors=details)


class EvidenceHandlersMixin:
    """Evidence files, citable records and the verifier's zip."""

    # ------------------------------------------------------------------ declaration and citations

    def _declaration(self):
        """The catalogue's authenticity declaration (``{"version", "text"}``), or None when it has none."""
        from lp_programme.catalogue import authenticity_declaration  # pylint: disable=import-outside-toplevel
        try:
            return authenticity_declaration()
        except (OSError, ValueError):
            return None

    def _take_declaration(self, data):
        """
        Remove ``declaration`` from a submission and check it: the learner must send the version of the
        declaration they ticked, and it must be the catalogue's current one. Returns what is recorded.
        """
        _ = self._
        sent = data.pop("declaration", None)
        declaration = self._declaration()
        if declaration is None:
            raise HandlerError(503, _("The authenticity declaration cannot be read; nothing was submitted. "
                                      "Please tell course staff."), field="declaration")
        if sent in (None, False, ""):
            raise _problem(_, 400, "declaration",
                           _("tick the declaration that this entry and its evidence are your own work."))
        if sent != declaration["version"]:
            raise _problem(_, 400, "declaration",
                           _("the declaration has changed since you opened the page; reload it, read the new "
                             "declaration and tick it again."))
        return {"version": declaration["version"], "text": declaration["text"], "at": self._now_utc().isoformat()}

    def _check_citations(self, draft):
        """Every citation must resolve to one of this learner's own records in this course (400 naming them)."""
        _ = self._
        unknown = []
        for citation in draft.get("citations") or []:
            item = _citations().describe(permissions.course_key(self), permissions.student_id(self), citation)
            if item is None:
                unknown.append(f"{citation['kind']} {citation['id']}"[:80])
        if unknown:
            raise _problem(_, 400, "citations", _("these are not records of yours you can cite: {items}").format(
                items=", ".join(unknown)))

    @json_handler(methods=("GET", "POST"), signed_in=True)
    def citable_records(self, data, suffix=""):  # pylint: disable=unused-argument
        """The learner's own records they may cite (every registered source, scoped to them in this course)."""
        _ = self._
        found = _citations().citable(permissions.course_key(self), permissions.student_id(self))
        return {"sources": [{"kind": source.kind, "label": _(source.label), "items": found.get(source.kind, [])}
                            for source in _citations().sources()]}

    # ------------------------------------------------------------------ files

    @guarded_handler(signed_in=True)
    def upload_evidence(self, request, suffix=""):  # pylint: disable=unused-argument
        """
        Attach one file to the learner's own editable entry (multipart: ``entry_id`` and ``file``). The type is
        read from the content; size and count are the author's limits; the virus-scan hook runs before storing.
        """
        _ = self._
        if request.method != "POST":
            response = error_response(405, _("Method {method} is not allowed here").format(method=request.method))
            response.allow = ["POST"]
            return response
        records.check_may_record(self)
        self._check_may_write()
        limit = self.max_file_mb * 1024 * 1024
        if not (request.content_type or "").startswith("multipart/form-data"):
            raise _problem(_, 400, "file", _("send the file as a form upload (multipart/form-data)."))
        if request.content_length is None:
            raise _problem(_, 411, "file", _("the upload has no length; try again."))
        if request.content_length > limit + MULTIPART_OVERHEAD:
            raise _problem(_, 413, "file", _("the file is larger than {limit} MB, the most this log accepts.").format(
                limit=self.max_file_mb))
        try:
            form = request.POST
            entry_id = form.get("entry_id")
            upload = form.get("file")
        except Exception as error:  # pylint: disable=broad-except  # a broken multipart body
            raise _problem(_, 400, "file", _("the upload could not be read; try again.")) from error
        problems = []
        if not isinstance(entry_id, str) or not entry_id:
            problems.append(("entry_id", _("save the entry as a draft before attaching files.")))
        if upload is None or isinstance(upload, (str, bytes)) or not hasattr(upload, "file"):
            problems.append(("file", _("choose a file to attach.")))
        if problems:
            raise _problem(_, 400, problems[0][0], problems[0][1], problems[1:])
        entry = self._own_entry({"entry_id": entry_id})
        if not rules.is_editable(entry.status):
            raise self._error(rules.refusal(entry.status))
        if self.max_files < 1:
            raise _problem(_, 400, "file", _("this log does not accept files."))
        return self._store_upload(entry, upload, limit)

    def _store_upload(self, entry, upload, limit):
        _ = self._
        api = _evidence_api()
        with tempfile.SpooledTemporaryFile(max_size=1024 * 1024) as copy:
            size = 0
            upload.file.seek(0)
            for chunk in iter(lambda: upload.file.read(64 * 1024), b""):
                size += len(chunk)
                if size > limit:
                    raise _problem(_, 413, "file", _("the file is larger than {limit} MB, the most this log "
                                                     "accepts.").format(limit=self.max_file_mb))
                copy.write(chunk)
            if size == 0:
                raise _problem(_, 400, "file", _("the file is empty."))
            try:
                content_type = evidence.detect_type(copy)
            except evidence.NotAllowed as error:
                raise _problem(_, 400, "file", _(
                    "this file cannot be attached: {reason}. Attach a PDF, Word, Excel or PowerPoint file, an "
                    "OpenDocument file, an image (PNG, JPEG, GIF, WebP) or a CSV table.").format(
                    reason=_(error.reason))) from error
            name = evidence.safe_filename(getattr(upload, "filename", ""), content_type)
            try:
                api.scan(copy, name=name, content_type=content_type, size=size)
            except api.ScanRefused as error:
                raise _problem(_, 400, "file", _("the virus scanner refused this file{reason}.").format(
                    reason=(": " + error.reason[:200]) if error.reason else "")) from error
            except api.ScanFailed as error:
                raise _problem(_, 503, "file", _("the file could not be checked for viruses, so it was not "
                                                 "stored; try again later.")) from error
            try:
                row = api.add_file(entry, copy, name=name, content_type=content_type, now=self._now_utc(),
                                   max_files=self.max_files)
            except api.TooManyFiles as error:
                raise _problem(_, 400, "file", self._ngettext(
                    "this entry already has {count} file, the most this log allows; remove one first.",
                    "this entry already has {count} files, the most this log allows; remove one first.",
                    self.max_files).format(count=self.max_files)) from error
            except api.NotEditable as error:
                raise HandlerError(409, _("This entry can no longer be changed.")) from error
        self.last_activity = self._now_utc().isoformat()
        return json_response({"file": api.file_dict(row), "entry": _api().owner_view(entry, self._now_utc())})

    def _ngettext(self, singular, plural, count):
        service = self.runtime.service(self, "i18n")
        ngettext = getattr(service, "ngettext", None)
        return ngettext(singular, plural, count) if ngettext else (singular if count == 1 else plural)

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def remove_evidence(self, data, suffix=""):  # pylint: disable=unused-argument
        """Remove a file from the learner's own working copy (a submitted version's files never change)."""
        _ = self._
        self._check_may_write()
        entry = self._own_entry(data)
        if not rules.is_editable(entry.status):
            raise self._error(rules.refusal(entry.status))
        file_id = data.get("file_id")
        if not isinstance(file_id, str) or not _evidence_api().remove_file(entry, file_id):
            raise HandlerError(404, _("File: this entry has no unsubmitted file {file_id}.").format(
                file_id=str(file_id)[:40]), field="file_id")
        return {"entry": _api().owner_view(entry, self._now_utc())}

    @guarded_handler(signed_in=True)
    def evidence_file(self, request, suffix=""):  # pylint: disable=unused-argument
        """
        Download one evidence file: its learner (any of their files), or a reviewer (tutor, verifier) a file of
        a submitted version in this log. Everyone else: 404 (nothing says whether it exists).
        """
        _ = self._
        if request.method != "GET":
            raise HandlerError(405, _("Method {method} is not allowed here").format(method=request.method))
        file_id = request.GET.get("file", "")
        row = _evidence_api().file_in(_api().log_entries(permissions.block_key(self), self._scope()), file_id)
        own = row is not None and row.entry.student_id == permissions.student_id(self)
        reviewer = row is not None and row.version is not None and permissions.may_review(self)
        if row is None or row.entry.status == rules.ARCHIVED or not (own or reviewer):
            raise HandlerError(404, _("File: there is no such file in this log."), field="file")
        try:
            handle = _evidence_api().open_file(row)
        except (OSError, ValueError) as error:
            raise HandlerError(404, _("File: the stored file is missing; tell course staff."), field="file") from error
        response = Response(content_type=row.content_type, app_iter=_chunks(handle), content_length=row.size)
        response.headers["Content-Disposition"] = f'attachment; filename="{row.name}"'
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response.headers["Cache-Control"] = "private, no-store"
        return response

    # ------------------------------------------------------------------ the verifier's zip

    @guarded_handler(signed_in=True)
    def verifier_zip(self, request, suffix=""):  # pylint: disable=unused-argument
        """
        The external verifier's bundle (reviewers only): for one learner (``learner``) or every learner of the log,
        each portfolio as printable HTML, a manifest (CSV and JSON) and every evidence file, checksums verified.
        """
        _ = gettext_for(self)
        if request.method != "GET":
            raise HandlerError(405, _("Method {method} is not allowed here").format(method=request.method))
        if not permissions.may_review(self):
            raise HandlerError(403, _("Only tutors, verifiers and course staff may do this."))
        from .verifier_zip import build  # pylint: disable=import-outside-toplevel
        return build(self, request.GET.get("learner") or None)


def _chunks(handle, size=64 * 1024):
    try:
        for chunk in iter(lambda: handle.read(size), b""):
            yield chunk
    finally:
        handle.close()
