"""
The reflective log's tutor handlers: the marking queue, marking locks and decisions.
"""
from .. import compat
from ..common import permissions
from ..common.http import HandlerError, json_handler
from . import rules
from .shell import EVENT_MARKED, api as _api


class MarkingHandlersMixin:
    """Handlers tutors call to mark submitted entries."""

    def _refuse_verifier(self):
        """Internal verifiers (course staff in Open edX) verify decisions; they do not mark."""
        if permissions.is_verifier(self):
            raise HandlerError(403, self._("Internal verifiers do not mark; a tutor marks this entry."))

    @json_handler(methods=("GET", "POST"), tutors_only=True)
    def queue(self, data, suffix=""):  # pylint: disable=unused-argument
        """One page of the marking queue with counts per status (two indexed queries)."""
        try:
            status, page = rules.clean_queue_request(data)
        except rules.EntryError as error:
            raise self._error(error) from error
        result = _api().queue_page(permissions.block_key(self), status, page, self._now_utc(), scope=self._scope())
        result["returned"] = self._returned_notes(result["entries"])  # the verifier's notes (quality_handlers)
        return result

    def _marking_view(self, entry, now):
        """
        The entry for the marking panel: ``can_mark`` when this tutor may mark it now (waiting, not their own,
        nobody else holds the lock) and ``holding`` when the lock is theirs.
        """
        lock = rules.lock_state(entry.lock_holder, entry.lock_expires_at, permissions.username(self), now)
        # Viewing as another member of staff (masquerade) reads the entry but may not mark in their name.
        can_mark = (entry.status == rules.SUBMITTED and not self._is_own(entry) and lock != "other"
                    and not compat.is_masquerading(self) and not permissions.is_verifier(self))
        return {"entry": _api().open_entry(entry, now=now), "can_mark": can_mark, "holding": can_mark and lock == "mine",
                "guidance": self._guidance()}

    @json_handler(methods=("POST",), tutors_only=True)
    def open_entry(self, data, suffix=""):  # pylint: disable=unused-argument
        """An entry with every version, its feedback and audit trail. Reading takes no lock."""
        return self._marking_view(self._submitted_entry(data), self._now_utc())

    @json_handler(methods=("POST",), tutors_only=True, writes=True)
    def start_marking(self, data, suffix=""):  # pylint: disable=unused-argument
        """Claim (or renew) the marking lock: 409 naming the holder while another tutor marks the entry."""
        _ = self._
        api = _api()
        self._refuse_verifier()
        entry = self._submitted_entry(data)
        if self._is_own(entry):
            raise HandlerError(403, _("You cannot mark your own entry; another tutor must mark it."))
        now = self._now_utc()
        if entry.status != rules.SUBMITTED:
            raise HandlerError(409, _("This entry is not waiting to be marked."))
        if not api.claim_lock(entry, permissions.username(self), now):
            raise self._error(api.lock_refusal(entry))
        return self._marking_view(entry, now)

    @json_handler(methods=("POST",), tutors_only=True, writes=True)
    def mark_entry(self, data, suffix=""):  # pylint: disable=unused-argument
        """Feedback per criterion and overall on one version, with a pass, a referral or no decision."""
        api = _api()
        _ = self._
        self._refuse_verifier()
        entry = self._submitted_entry(data)
        if self._is_own(entry):
            raise HandlerError(403, _("You cannot mark your own entry; another tutor must mark it."))
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise HandlerError(400, _("Version: give the number of the version you marked."), field="version")
        claimed = api.claimed_criteria(entry, version)
        if claimed is None:
            raise HandlerError(400, _("Version: this entry has no version {version}.").format(version=version),
                               field="version")
        try:
            marking = rules.clean_marking(claimed, data)
        except rules.EntryError as error:
            raise self._error(error) from error
        tutor = permissions.username(self)
        now = self._now_utc()
        try:
            entry, score = api.mark_entry(entry, version=version, tutor=tutor, marking=marking, now=now,
                                          config=self._config(), log_key=permissions.block_key(self),
                                          scope=self._scope())
        except rules.StateError as error:
            raise self._error(error) from error
        if score is not None and score[1]:
            compat.submit_completion_for_learner(self, entry.student_id, round(score[0] / score[1], 4))
        self.runtime.publish(self, EVENT_MARKED, {
            "entry_id": str(entry.entry_id), "version": version, "decision": marking["decision"],
            "criteria_met": [ident for ident, mark in marking["criteria"].items() if mark["decision"] == rules.MET],
            "criteria_not_yet_met": [
                ident for ident, mark in marking["criteria"].items() if mark["decision"] == rules.NOT_YET_MET],
        })
        result = self._marking_view(entry, now)
        if score is not None:
            result["score"] = {"points": score[0], "possible": score[1]}
        return result

    @json_handler(methods=("POST",), tutors_only=True, writes=True)
    def release_lock(self, data, suffix=""):  # pylint: disable=unused-argument
        """Give up the marking lock so another tutor can mark (409 if someone else holds it)."""
        entry = self._submitted_entry(data)
        try:
            released = _api().release_lock(entry, permissions.username(self), self._now_utc())
        except rules.StateError as error:
            raise self._error(error) from error
        return {"released": released}
