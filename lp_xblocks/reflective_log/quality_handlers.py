"""
The reflective log's quality-assurance handlers: the internal verifier's sample and decisions, learners' appeals
against referrals, and reasonable-adjustments notes (docs/evidence-and-quality-assurance.md, "Quality assurance").
"""
from ..common import permissions, quality
from ..common.http import HandlerError, json_handler
from . import rules
from .config import ConfigError
from .shell import api as _api

EVENT_VERIFIED = "lp.reflective_log.verified"
EVENT_APPEALED = "lp.reflective_log.appealed"
EVENT_APPEAL_DECIDED = "lp.reflective_log.appeal_decided"


# The block's quality-assurance settings (sampling plan, appeal window): OLX attributes it reads and checks itself.
QA_ATTRIBUTES = ("sample_per_tutor", "sample_pass_percent", "sample_seed", "appeal_days")


def _checked_qa(raw):
    """The settings from text or numbers, checked (:class:`quality.PlanError` names the setting)."""
    plan = quality.clean_plan({"per_tutor": raw["sample_per_tutor"], "pass_percent": raw["sample_pass_percent"],
                               "seed": raw["sample_seed"]})
    return {"sample_per_tutor": plan["per_tutor"], "sample_pass_percent": plan["pass_percent"],
            "sample_seed": plan["seed"], "appeal_days": quality.clean_appeal_days(raw["appeal_days"])}


def _qa():
    from ..data.api import quality as api  # pylint: disable=import-outside-toplevel  # needs Django's app registry
    return api


class QualityHandlersMixin:
    """Handlers of the quality-assurance workflow (the fields they read are the block's sampling and appeal settings)."""

    # ------------------------------------------------------------------ settings

    def _qa_settings(self):
        """The quality-assurance settings as Studio editor fields."""
        _ = self._
        return [
            {"name": "sample_per_tutor", "type": "number", "label": _("Verification sample: decisions per tutor"),
             "value": self.sample_per_tutor, "help": _("At least this many decisions of every tutor (0 to 50).")},
            {"name": "sample_pass_percent", "type": "number", "label": _("Verification sample: percentage of passes"),
             "value": self.sample_pass_percent, "help": _("0 to 100; every referral is always sampled.")},
            {"name": "sample_seed", "type": "text", "label": _("Verification sample: seed"),
             "value": self.sample_seed, "help": _("Change it to draw another sample.")},
            {"name": "appeal_days", "type": "number", "label": _("Days to appeal a referral"),
             "value": self.appeal_days, "help": _("0: no appeals; at most 365.")},
        ]

    def _clean_qa(self, raw):
        """Checked quality-assurance settings from a Studio save (text or numbers); 400 naming the setting."""
        try:
            return _checked_qa(raw)
        except quality.PlanError as error:
            raise HandlerError(400, error.translated(self._), field=error.params["name"]) from error

    def _set_qa(self, qa):
        for name, value in qa.items():
            if value != getattr(self, name) or self.fields[name].is_set_on(self):
                setattr(self, name, value)

    def _read_qa(self, node):
        """The quality-assurance attributes of the OLX (those present), checked; an error names the attribute."""
        present = {name: node.get(name) for name in QA_ATTRIBUTES if node.get(name) is not None}
        if not present:
            return
        try:
            qa = _checked_qa({name: present.get(name, getattr(self, name)) for name in QA_ATTRIBUTES})
        except quality.PlanError as error:
            raise ConfigError(error.template, **error.params) from error
        for name in present:
            setattr(self, name, qa[name])

    # ------------------------------------------------------------------ helpers

    def _require_verifier(self):
        if not permissions.is_verifier(self):
            raise HandlerError(403, self._("Only internal verifiers may do this."))

    def _require_staff_or_verifier(self):
        if not permissions.is_tutor_or_verifier(self):
            raise HandlerError(403, self._("Only tutors, course staff and internal verifiers may do this."))

    def _qa_role(self):
        return "verifier" if permissions.is_verifier(self) else "tutor"

    def _plan(self):
        """The block's sampling plan (settings out of bounds, e.g. from hand-edited OLX, fall back to the defaults)."""
        raw = {"per_tutor": self.sample_per_tutor, "pass_percent": self.sample_pass_percent, "seed": self.sample_seed}
        try:
            return quality.clean_plan(raw)
        except quality.PlanError:
            return dict(quality.DEFAULT_PLAN)

    def _appeal_days(self):
        try:
            return quality.clean_appeal_days(self.appeal_days)
        except quality.PlanError:
            return quality.DEFAULT_APPEAL_DAYS

    def _qa_error(self, error):
        if isinstance(error, quality.QualityError):
            return HandlerError(400, error.translated(self._), field=error.field)
        return HandlerError(409, error.translated(self._))

    def _with_reasons(self, items):
        for item in items:
            item["reason_texts"] = [quality.explain(reason, self._) for reason in item.get("reasons", [])]
        return items

    def _learner_name(self, data):
        learner = data.get("learner")
        if isinstance(learner, list) and learner:
            learner = learner[-1]
        if not isinstance(learner, str) or not learner.strip() or len(learner) > 150:
            raise HandlerError(400, self._("Learner's username: give a username."), field="learner")
        return learner

    def _note_course(self):
        """Notes are per learner per course (the workbench has no course: its block key stands in)."""
        return permissions.course_key(self) or permissions.block_key(self)

    # ------------------------------------------------------------------ verifier

    @json_handler(methods=("GET", "POST"), signed_in=True)
    def verification_sample(self, data, suffix=""):  # pylint: disable=unused-argument
        """The sampling plan's picks (each with its reasons), their verification, and the other decisions."""
        self._require_verifier()
        result = _qa().verification_sample(permissions.block_key(self), self._plan(),
                                           [criterion["id"] for criterion in self.criteria], scope=self._scope())
        self._with_reasons(result["sample"])
        return result

    @json_handler(methods=("POST",), signed_in=True)
    def verification_entry(self, data, suffix=""):  # pylint: disable=unused-argument
        """A submitted entry with its versions, marking, audit trail, verifications and appeals (no working copy)."""
        self._require_verifier()
        entry = self._submitted_entry(data)
        view = _api().open_entry(entry, now=self._now_utc())
        view.update(_qa().quality_record([str(entry.entry_id)])[str(entry.entry_id)])
        return {"entry": view}

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def verify_entry(self, data, suffix=""):  # pylint: disable=unused-argument
        """Agree or disagree (with a comment) with the entry's standing decision; disagreeing returns it to the tutors."""
        self._require_verifier()
        entry = self._submitted_entry(data)
        if self._is_own(entry):
            raise HandlerError(403, self._("You cannot verify a decision on your own entry."))
        try:
            verification = quality.clean_verification(data)
        except quality.QualityError as error:
            raise self._qa_error(error) from error
        picked = {item["entry_id"]: item["reasons"] for item in quality.pick_sample(
            _qa().marked_entries(permissions.block_key(self), self._scope()), self._plan(),
            [criterion["id"] for criterion in self.criteria])}
        reasons = picked.get(str(entry.entry_id)) or [{"code": quality.ADDED}]
        try:
            entry = _qa().record_verification(entry, verifier=permissions.username(self), reasons=reasons,
                                              now=self._now_utc(), **verification)
        except rules.StateError as error:
            raise self._qa_error(error) from error
        self.runtime.publish(self, EVENT_VERIFIED, {"entry_id": str(entry.entry_id), "version": entry.version,
                                                    "agreement": verification["agreement"]})
        return {"entry_id": str(entry.entry_id), "status": entry.status, "agreement": verification["agreement"]}

    @json_handler(methods=("GET", "POST"), signed_in=True)
    def returned_entries(self, data, suffix=""):  # pylint: disable=unused-argument
        """For tutors: the entries a verifier returned, with the verifier's note, oldest first."""
        self._require_staff_or_verifier()
        return {"returned": _qa().returned_in_log(permissions.block_key(self), self._scope())}

    def _returned_notes(self, entries):
        """For the marking queue: the verifier's note on each listed entry a verifier returned (one query)."""
        waiting = [entry["entry_id"] for entry in entries if entry["status"] == rules.SUBMITTED]
        return _qa().returned_notes(waiting) if waiting else {}

    # ------------------------------------------------------------------ appeals (learner)

    @json_handler(methods=("GET", "POST"), signed_in=True)
    def my_appeals(self, data, suffix=""):  # pylint: disable=unused-argument
        """For each of the learner's own submitted entries: may they appeal now, until when, and their appeal."""
        days = self._appeal_days()
        return {"days": days, "appeals": _qa().learner_appeals(permissions.block_key(self), permissions.student_id(self),
                                                               days, self._now_utc())}

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def appeal_referral(self, data, suffix=""):  # pylint: disable=unused-argument
        """The learner appeals the referral of their entry (once, within the log's appeal window), with reasons."""
        entry = self._own_entry(data)
        try:
            reasons = quality.clean_appeal(data)
            appeal = _qa().create_appeal(entry, learner=permissions.username(self), reasons=reasons,
                                         days=self._appeal_days(), now=self._now_utc())
        except (quality.QualityError, quality.AppealRefused) as error:
            raise self._qa_error(error) from error
        self.runtime.publish(self, EVENT_APPEALED, {"entry_id": str(entry.entry_id), "version": entry.version})
        return {"appeal": appeal}

    # ------------------------------------------------------------------ appeals (tutors and verifier)

    @json_handler(methods=("GET", "POST"), signed_in=True)
    def appeals(self, data, suffix=""):  # pylint: disable=unused-argument
        """The log's appeals (open first), with who may decide each."""
        self._require_staff_or_verifier()
        me, verifier = permissions.username(self), permissions.is_verifier(self)
        rows = _qa().log_appeals(permissions.block_key(self), self._scope())
        for row in rows:
            row["may_decide"] = row["status"] == quality.APPEAL_OPEN and quality.may_decide_appeal(
                referred_by=row["referred_by"], person=me, is_verifier=verifier)
        return {"appeals": rows}

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def decide_appeal(self, data, suffix=""):  # pylint: disable=unused-argument
        """Record an appeal's outcome (upheld: the referral becomes a pass) and the reasons the learner reads."""
        _ = self._
        self._require_staff_or_verifier()
        appeal_id = data.get("appeal_id")
        if not isinstance(appeal_id, int) or isinstance(appeal_id, bool) or not 0 < appeal_id < 2 ** 53:
            raise HandlerError(400, _("Appeal: give the number of the appeal."), field="appeal_id")
        appeal = _qa().find_appeal(permissions.block_key(self), appeal_id, self._scope())
        if appeal is None:
            raise HandlerError(404, _("There is no appeal {number} in this log.").format(number=appeal_id),
                               field="appeal_id")
        me = permissions.username(self)
        if appeal.entry.student_id == permissions.student_id(self):
            raise HandlerError(403, _("You cannot decide an appeal about your own entry."))
        if not quality.may_decide_appeal(referred_by=appeal.referred_by, person=me,
                                         is_verifier=permissions.is_verifier(self)):
            raise HandlerError(403, _("You referred this entry: another tutor or the internal verifier decides "
                                      "the appeal."))
        try:
            outcome = quality.clean_outcome(data)
            result, score = _qa().decide_appeal(appeal, person=me, role=self._qa_role(), now=self._now_utc(),
                                                config=self._config(), log_key=permissions.block_key(self),
                                                scope=self._scope(), **outcome)
        except (quality.QualityError, rules.StateError) as error:
            raise self._qa_error(error) from error
        if score is not None and score[1]:
            from .. import compat  # pylint: disable=import-outside-toplevel
            compat.submit_completion_for_learner(self, appeal.entry.student_id, round(score[0] / score[1], 4))
        self.runtime.publish(self, EVENT_APPEAL_DECIDED, {"entry_id": result["entry_id"], "outcome": result["status"]})
        return {"appeal": result}

    # ------------------------------------------------------------------ reasonable adjustments

    @json_handler(methods=("GET", "POST"), signed_in=True)
    def adjustments(self, data, suffix=""):  # pylint: disable=unused-argument
        """
        A learner's reasonable-adjustments note: tutors and verifiers name the learner (and see its history);
        a learner reads only their own note (docs/decisions/0008-verification-and-appeals.md).
        """
        if "learner" in data and data["learner"] not in ("", [""]):
            self._require_staff_or_verifier()
            return _qa().adjustment_note(self._note_course(), self._learner_name(data), history=True)
        return _qa().adjustment_note(self._note_course(), permissions.username(self))

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def save_adjustments(self, data, suffix=""):  # pylint: disable=unused-argument
        """Replace a learner's adjustments note (tutors and verifiers; the earlier versions are kept)."""
        self._require_staff_or_verifier()
        learner = self._learner_name(data)
        try:
            note = quality.clean_note(data)
        except quality.QualityError as error:
            raise self._qa_error(error) from error
        return _qa().save_adjustment_note(self._note_course(), learner, note=note, author=permissions.username(self),
                                          role=self._qa_role(), now=self._now_utc())

    # ------------------------------------------------------------------ page strings

    def _quality_strings(self):
        """The quality-assurance part of the page's strings (static/reflective_log_quality.js)."""
        _ = self._
        return {
            "appeal": _("Appeal this referral"),
            "appealReasons": _("Why should the decision change? (required)"),
            "sendAppeal": _("Send the appeal"),
            "appealUntil": _("You may appeal until {deadline}."),
            "appealSent": _("Your appeal was sent; a tutor who did not refer the entry, or the internal verifier, "
                            "will decide it."),
            "appealStatus": _("Appeal made {date}: {status}."),
            "appealStatuses": {"open": _("waiting for a decision"), "upheld": _("upheld: the entry has passed"),
                               "not_upheld": _("not upheld")},
            "outcomeReasons": _("Reasons given:"),
            "noAppeals": _("None of your entries is referred."),
            "referredEntry": _("{title} (version {version})"),
            "sampleEmpty": _("No marked decisions to verify yet."),
            "sampleCaption": _("Entries the sampling plan picked ({count} of {marked} standing decisions)"),
            "learner": _("Learner"), "title": _("Title"), "decision": _("Decision"), "tutor": _("Tutor"),
            "why": _("Why sampled"), "verified": _("Verification"), "open": _("Verify {title}"),
            "notVerified": _("not verified yet"),
            "agreements": {"agree": _("agreed"), "disagree": _("disagreed: returned")},
            "decisions": {"pass": _("Pass"), "refer": _("Refer")},
            "othersLabel": _("Add another marked entry to the sample"),
            "addOther": _("Verify this entry"),
            "verifyHeading": _("Verify the decision on {title} by {learner}"),
            "verificationSaved": _("Verification recorded."),
            "returnedNone": _("No entries are waiting after a verifier's return."),
            "returnedNote": _("Returned by {verifier}: {comment}"),
            "returnedItem": _("{title}: {verifier} disagreed with the {decision} on {date}: {comment}"),
            "appealsNone": _("No appeals."),
            "appealItem": _("{learner}, {title}: appealed {date} (referred by {tutor}): {reasons}"),
            "decideLegend": _("Outcome of the appeal"),
            "upheld": _("Upheld: the entry passes"), "notUpheld": _("Not upheld"),
            "decideReasons": _("Reasons (the learner reads them)"),
            "decide": _("Record the outcome"),
            "appealDecided": _("The appeal's outcome was recorded."),
            "noteLoaded": _("Note for {learner} loaded."),
            "noteSaved": _("Note for {learner} saved."),
            "network": _("The request failed; check your connection and try again."),
        }

    # ------------------------------------------------------------------ export

    def _quality_export(self, entries, staff):
        """
        Verifications and appeals of exported entries (the portfolio's ``quality``, by entry id). A learner's own
        export carries their appeals; the internal verifier's decisions are for staff and the external verifier.
        """
        record = _qa().quality_record([entry["entry_id"] for entry in entries])
        if not staff:
            for item in record.values():
                item.pop("verifications")
        return record

    def _with_quality(self, exported, staff):
        """The printable portfolio's entries, each with its verifications and appeals (``quality``) labelled."""
        _ = self._
        record = self._quality_export(exported, staff)
        agreements = {quality.AGREE: _("Agrees"), quality.DISAGREE: _("Disagrees: returned to the tutors")}
        outcomes = {quality.APPEAL_OPEN: _("Open"), quality.UPHELD: _("Upheld"), quality.NOT_UPHELD: _("Not upheld")}
        decisions = {rules.PASS: _("Pass"), rules.REFER: _("Refer")}
        for entry in exported:
            item = record.get(entry["entry_id"], {})
            entry["quality"] = {
                "verifications": [{**row, "agreement_label": agreements.get(row["agreement"], row["agreement"]),
                                   "decision_label": decisions.get(row["decision"], row["decision"])}
                                  for row in item.get("verifications", [])],
                "appeals": [{**row, "status_label": outcomes.get(row["status"], row["status"])}
                            for row in item.get("appeals", [])],
            }
        return exported
