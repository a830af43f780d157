"""
The reflective log's learner handlers: the learner's own entries, drafts and submissions.
"""
from ..common import permissions, records
from ..common.http import HandlerError, json_handler
from . import rules
from .shell import EVENT_SUBMITTED, LATEST_OFFSET, api as _api


class LearnerHandlersMixin:
    """Handlers a learner calls on their own work."""

    # ------------------------------------------------------------------ learner handlers

    @json_handler(methods=("GET", "POST"), signed_in=True)
    def my_entries(self, data, suffix=""):  # pylint: disable=unused-argument
        """The learner's own entries (working copies included), criteria coverage and score."""
        entries = _api().portfolio(permissions.block_key(self), student_id=permissions.student_id(self),
                                   owner=True, now=self._now_utc())
        covered, score = self._coverage(student_id=permissions.student_id(self))
        self._report_completion(score)
        return {"entries": entries, "coverage": covered, "score": score}

    def _draft_from(self, data, base=None):
        # The declaration is made (and recorded) only on submission: a draft save ignores one sent with the form.
        fields = {key: value for key, value in data.items() if key not in ("entry_id", "declaration")}
        try:
            return rules.clean_entry(self._config(), fields, (self._now_utc() + LATEST_OFFSET).date(), base)
        except rules.EntryError as error:
            raise self._error(error) from error

    def _revision(self, data):
        """
        What a learner's request edits: with an ``entry_id``, their own editable entry and the fields sent
        laid over its working copy; without one, ``None`` and a new draft from the fields sent.
        """
        if data.get("entry_id") is None:
            return None, self._draft_from(data)
        entry = self._own_entry(data)
        if not rules.is_editable(entry.status):
            raise self._error(rules.refusal(entry.status))
        return entry, self._draft_from(data, _api().working_copy(entry))

    def _check_may_write(self):
        """
        Entries live only in the cross-learner tables: refused in Studio preview (the handlers that call this
        are ``writes=True``, so masquerade and libraries are refused before).
        """
        if not records.shared_records_allowed(self):
            raise HandlerError(403, self._(
                "Studio preview does not save reflective entries (every author previews as the same learner). "
                "Try the log in the LMS."), reason="preview")

    def _save(self, data):
        """Create or update the learner's working copy from ``data``; returns the entry row."""
        self._check_may_write()
        api = _api()
        now = self._now_utc()
        entry, draft = self._revision(data)
        self._check_citations(draft)
        if entry is None:
            entry = api.create_entry(
                block_key=permissions.block_key(self), course_key=permissions.course_key(self),
                student_id=permissions.student_id(self), username=permissions.username(self), draft=draft, now=now,
            )
        else:
            try:
                entry = api.save_draft(entry, draft, now)
            except rules.StateError as error:
                raise self._error(error) from error
        self.last_activity = now.isoformat()
        return entry

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def save_draft(self, data, suffix=""):  # pylint: disable=unused-argument
        """Save a new or existing entry as a draft (incomplete is fine; what is there must be valid)."""
        entry = self._save(data)
        return {"entry": _api().owner_view(entry, self._now_utc())}

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def delete_draft(self, data, suffix=""):  # pylint: disable=unused-argument
        """Delete the learner's own never-submitted draft (409 once it was submitted)."""
        self._check_may_write()
        entry = self._own_entry(data)
        if not _api().delete_draft(entry):
            raise HandlerError(409, self._("Only a draft that was never submitted can be deleted."))
        return {"deleted": str(entry.entry_id)}

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def submit_entry(self, data, suffix=""):  # pylint: disable=unused-argument
        """Save the fields sent (if any) and submit the entry for marking as a new version."""
        api = _api()
        _ = self._
        self._check_may_write()
        declared = None
        try:
            declaration = self._take_declaration(data)
        except HandlerError as refusal:
            if refusal.status != 400:
                raise
            declaration, declared = None, refusal
        entry, draft = self._revision(data)
        self._check_citations(draft)
        try:
            words = rules.check_submittable(self._config(), draft)
        except rules.EntryError as error:
            answer = self._error(error)
            if declared is not None:  # every problem at once: the declaration's too
                answer.extra["errors"] = answer.extra.get("errors", []) + declared.extra["errors"]
                answer.message = f"{answer.message} {declared.message}"
            raise answer from error
        if declared is not None:
            raise declared
        now = self._now_utc()
        learner = {"block_key": permissions.block_key(self), "course_key": permissions.course_key(self),
                   "student_id": permissions.student_id(self), "username": permissions.username(self)}
        item = api.student_item(learner["block_key"], learner["course_key"], learner["student_id"])
        try:
            if entry is None:
                entry = api.submit_new_entry(**learner, draft=draft, word_count=words, now=now, item=item,
                                             declaration=declaration)
            else:
                entry = api.submit_entry(entry, draft, words, now, learner["username"], item, declaration)
        except rules.StateError as error:
            raise self._error(error) from error
        except api.EntryTooLarge as error:
            raise HandlerError(400, _("Your reflection: the entry is too long to store; shorten it."), field="body",
                               errors=[{"field": "body", "label": _("Your reflection"),
                                        "message": _("the entry is too long to store; shorten it.")}]) from error
        except api.SubmissionRefused as error:
            # Not the learner's text: the submissions service refused their record (for instance a learner id
            # it cannot tell from another's). Say so, with its reason, so staff can act on it.
            raise HandlerError(
                409, _("The entry was not submitted: the submissions service refused your learner record "
                       "({detail}). Nothing was saved as submitted; please tell course staff.").format(
                    detail=error.detail[:300]),
                field=error.fields[0], fields=error.fields,
            ) from error
        self.last_activity = now.isoformat()
        self.runtime.publish(self, EVENT_SUBMITTED, {
            "entry_id": str(entry.entry_id), "version": entry.version, "entry_type": draft["entry_type"],
            "criteria": draft["criteria"], "word_count": words,
        })
        covered, score = self._coverage(student_id=permissions.student_id(self))
        return {"entry": api.owner_view(entry, now), "coverage": covered, "score": score}

    # ------------------------------------------------------------------ tutor handlers
