"""
The reflective-log XBlock (``lp_reflective_log``): a thin shell over :mod:`.rules` and the data app.

Learners keep a portfolio of dated reflective entries that claim the block's assessment criteria;
tutors mark each submitted version (criterion by criterion) as a pass or a referral, or comment
without a decision; a referred entry is revised and resubmitted. Passed entries are the evidence
for accreditation: the learner's score is the share of the block's criteria they cover.
"""
from datetime import datetime, timedelta, timezone

from webob import Response
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Float, Integer, List, Scope, String
from xblock.utils.resources import ResourceLoader

from .. import compat
from ..common import permissions, records
from ..common.csv_safe import csv_text, safe_cell
from ..common.fragments import block_fragment, dom_id, studio_fragment
from ..common.http import HandlerError, guarded_handler, html_download, json_handler, parsed_field
from ..common.i18n import gettext_for, i18n_service, plural_forms
from ..common.olx import packaged_scenarios, read_settings, write_settings
from ..common.studio import draft_reply, render_editor
from ..common.text import is_blank
from . import editor, rules
from .config import ConfigError, validate as validate_config
from .olx import DEFAULT_LIMITS, config_to_string, parse_config, parse_config_string, write_config

loader = ResourceLoader(__name__)

EVENT_SUBMITTED = "lp.reflective_log.submitted"
EVENT_MARKED = "lp.reflective_log.marked"

DEFAULT_PROMPT = (
    "Describe a piece of partnership work you led or took part in: what happened, what you did, "
    "what you learned about partnership working, and what you will do differently."
)
DEFAULT_CRITERIA = [
    {"id": "LP-1.1", "text": "Describe own role in a partnership activity"},
    {"id": "LP-1.2", "text": "Evaluate own contribution to the partnership's objectives"},
]
DEFAULT_ENTRY_TYPES = [
    {"id": "workplace", "label": "Workplace activity"},
    {"id": "mentor", "label": "Mentor or buddy session"},
    {"id": "event", "label": "Training or network event"},
]

# The attributes the block reads and writes itself; every other settings field (the platform's
# visible_to_staff_only, group_access, due ...) goes through read_settings / write_settings.
OWN_ATTRIBUTES = ("display_name", "min_words", "max_words")

SCENARIO_FILES = ("chairing_meetings.xml", "partnership_budget.xml")

# A date is in the future only when it is later than today everywhere on Earth (UTC+14), so a
# learner is never refused the date of their own today.
_LATEST_OFFSET = timedelta(hours=14)


def _now():
    return datetime.now(timezone.utc)


def _api():
    from ..data.api import reflective_log  # pylint: disable=import-outside-toplevel  # needs Django's app registry
    return reflective_log


@XBlock.needs("i18n")
@XBlock.wants("user", "studio_user_permissions", "completion")
class ReflectiveLogBlock(CompletableXBlockMixin, XBlock):
    """A portfolio of reflective entries marked by tutors against assessment criteria."""

    display_name = String(
        display_name="Display name", help="The name learners see above the log.",
        default="Reflective log", scope=Scope.settings,
    )
    prompt = String(
        display_name="Prompt", help="What learners are asked to reflect on (plain text; blank lines separate paragraphs).",
        default=DEFAULT_PROMPT, scope=Scope.content,
    )
    criteria = List(
        display_name="Assessment criteria",
        help="The awarding body's criteria an entry can claim: id (unit-and-criterion reference) and text.",
        default=DEFAULT_CRITERIA, scope=Scope.content,
    )
    entry_types = List(
        display_name="Entry types", help="The kinds of activity an entry can reflect on: id and label.",
        default=DEFAULT_ENTRY_TYPES, scope=Scope.content,
    )
    min_words = Integer(
        display_name="Minimum words", help="An entry needs at least this many words to be submitted.",
        default=DEFAULT_LIMITS["min_words"], scope=Scope.settings,
    )
    max_words = Integer(
        display_name="Maximum words", help="An entry may have at most this many words to be submitted.",
        default=DEFAULT_LIMITS["max_words"], scope=Scope.settings,
    )
    completion_reported = Float(
        display_name="Completion reported",
        help="The completion (criteria met / criteria) last reported for this learner.",
        default=None, scope=Scope.user_state,
    )
    last_activity = String(
        display_name="Last activity", help="When the learner last saved or submitted an entry (ISO 8601).",
        default="", scope=Scope.user_state,
    )

    has_score = True
    has_custom_completion = True
    editable_fields = ("display_name", "prompt", "criteria", "entry_types", "min_words", "max_words")

    # ------------------------------------------------------------------ helpers

    @property
    def _(self):
        return gettext_for(self)

    def _config(self):
        return {
            "prompt": self.prompt, "criteria": self.criteria, "entry_types": self.entry_types,
            "min_words": self.min_words, "max_words": self.max_words,
        }

    def _dom_id(self):
        return dom_id(self, "lprl")

    def max_score(self):
        """Points possible: one per assessment criterion."""
        return len(self.criteria)

    def _error(self, error):
        """A rules error as the handler's error answer."""
        if isinstance(error, rules.EntryError):
            # Every problem at once: "error" names each field in words; "errors" lists them per field
            # (field id, label, message) for the form's error summary; "field" is the first, as before.
            problems = rules.all_problems(error)
            return HandlerError(400, problems.translated(self._), field=problems.field,
                                errors=problems.details(self._))
        return HandlerError(409, error.translated(self._))

    def _scope(self):
        """
        Which exercise justifications this log lists besides its own entries: those of its course whose
        criteria belong to the units of its criteria (docs/decisions/0003-exercise-justifications-in-the-log-queue.md).
        """
        return {"course_key": permissions.course_key(self), "units": rules.units_of(self.criteria)}

    def _guidance(self):
        """The catalogue's marking guidance and evidence requirements for this log's criteria, by criterion id."""
        from lp_programme.catalogue import marking_guidance  # pylint: disable=import-outside-toplevel
        return marking_guidance([criterion["id"] for criterion in self.criteria])

    def _criteria_with_evidence(self):
        """The log's criteria, each with the evidence the catalogue requires for it (learners see it by the checkbox)."""
        guidance = self._guidance()
        return [{**criterion, "evidence": (guidance.get(criterion["id"]) or {}).get("evidence", [])}
                for criterion in self.criteria]

    def _coverage(self, **learner):
        covered = rules.coverage(self._config(), _api().passed_entries(permissions.block_key(self),
                                                                       scope=self._scope(), **learner))
        points, possible = rules.score(covered)
        return covered, {"points": points, "possible": possible}

    def _report_completion(self, score):
        """Emit the learner's completion (criteria met / criteria) when it has changed."""
        fraction = round(score["points"] / score["possible"], 4) if score["possible"] else 0.0
        if self.completion_reported != fraction:
            self.completion_reported = fraction
            self.emit_completion(fraction)

    def _entry(self, data, submitted_only=False):
        """
        The entry named by ``entry_id`` (400 without one, 404 unknown). Tutors' handlers pass
        ``submitted_only``: a learner's drafts are private, so they are unknown to tutors too.
        """
        _ = self._
        entry_id = data.get("entry_id")
        if not isinstance(entry_id, str) or not entry_id:
            raise HandlerError(400, _("Entry: give the id of the entry."), field="entry_id")
        entry = _api().find_entry(permissions.block_key(self), entry_id, self._scope() if submitted_only else None)
        if entry is None or (submitted_only and entry.version == 0):
            raise HandlerError(404, _("There is no entry {entry_id} in this log.").format(entry_id=entry_id),
                               field="entry_id")
        return entry

    def _own_entry(self, data):
        """The current learner's own entry (403 for another learner's)."""
        entry = self._entry(data)
        if not self._is_own(entry):
            raise HandlerError(403, self._("That entry belongs to another learner."))
        return entry

    def _is_own(self, entry):
        """Whether the entry is the current user's own (a tutor never marks their own work)."""
        return entry.student_id == permissions.student_id(self)

    def _submitted_entry(self, data):
        """For tutors: an entry that was submitted at least once."""
        return self._entry(data, submitted_only=True)

    def _learner_lookup(self, data):
        """
        Whose portfolio a request asks for: a tutor may name any learner (``learner``, a username);
        a learner only themselves (403 otherwise). Returns (keyword for the api, whether it is their own).
        """
        _ = self._
        learner = data.get("learner")
        if isinstance(learner, list) and learner:
            learner = learner[-1]
        own_name = permissions.username(self)
        if learner in (None, "", own_name):
            return {"student_id": permissions.student_id(self)}, True
        if not isinstance(learner, str):
            raise HandlerError(400, _("Learner's username: give a username."), field="learner")
        if not permissions.is_tutor(self):
            raise HandlerError(403, _("You can only see your own portfolio."))
        return {"username": learner}, False

    def _labels(self):
        """Translated names of statuses, audit actions and roles (for the page and the export)."""
        _ = self._
        return {
            "statuses": {
                rules.DRAFT: _("Draft"), rules.SUBMITTED: _("Submitted, waiting to be marked"),
                rules.PASSED: _("Passed"), rules.REFERRED: _("Referred: revise and resubmit"),
                rules.ARCHIVED: _("Removed by a course reset"),
            },
            "actions": {
                "created": _("created the entry"), "submitted": _("submitted"), "feedback": _("gave feedback"),
                "passed": _("passed it"), "referred": _("referred it"), "reset": _("reset the learner's work"),
            },
            "roles": {"learner": _("learner"), "tutor": _("tutor"), "staff": _("course staff")},
        }

    def _strings(self):
        _ = self._
        return {
            **self._labels(),
            "queueStatuses": {
                rules.SUBMITTED: _("Waiting ({count})"), rules.REFERRED: _("Referred ({count})"),
                rules.PASSED: _("Passed ({count})"),
            },
            "decisions": {rules.PASS: _("Pass"), rules.REFER: _("Refer"), "": _("Feedback only")},
            "criterionDecisions": {rules.MET: _("Met"), rules.NOT_YET_MET: _("Not yet met")},
            "myEntries": _("My entries"),
            "noEntries": _("You have no entries yet. Use \u201cWrite a new entry\u201d to start one."),
            "untitled": _("Untitled draft"),
            "view": _("View"),
            "edit": _("Edit"),
            "revise": _("Revise and resubmit"),
            "words": plural_forms(self, "{count} word (between {min} and {max} to submit)",
                                  "{count} words (between {min} and {max} to submit)"),
            "saved": _("Draft saved."),
            "autosave": {
                "savedAt": _("Saved at {time}"), "saving": _("Saving\u2026"),
                "notSaved": _("Not saved yet: {error}"), "offline": _("the server could not be reached"),
            },
            "closeUnsaved": _("Your latest changes could not be saved. Close the form and lose them?"),
            "delete": _("Delete"),
            "deleteLabel": _("Delete the draft {title}"),
            "deleteConfirm": _("Delete the draft \u201c{title}\u201d? This cannot be undone."),
            "deleted": _("Draft deleted."),
            "submitted": _("Entry submitted for marking."),
            "failed": _("Not saved: {error}"),
            "problemTitle": _("There is a problem"),
            "network": _("The server could not be reached. Your text is still in the form; try again."),
            "versionHeading": _("Version {number}, submitted {date}"),
            "activity": _("Activity on {date} ({type})"),
            "claims": _("Criteria claimed"),
            "feedbackHeading": _("Feedback from {marker}, {date}: {decision}"),
            "noFeedback": _("No feedback yet."),
            "overallFeedback": _("Overall feedback"),
            "workingCopy": _("You have unsubmitted changes to this entry (saved as a draft)."),
            "coverageSummary": _("{met} of {total} criteria met by passed entries."),
            "coverageMet": _("Met: {titles}"),
            "coverageNotYet": _("Not yet met"),
            "criterion": _("Criterion"),
            "status": _("Status"),
            "queueCaption": _("{status}: page {page} of {pages}"),
            "queueEmpty": _("No entries with this status."),
            "learner": _("Learner"),
            "title": _("Title"),
            "type": _("Type"),
            "submittedAt": _("Submitted"),
            "version": _("Version"),
            "referrals": _("Referrals"),
            "lockedBy": _("Being marked by"),
            "open": _("Open {title}"),
            "page": _("Page {page} of {pages}"),
            "markingHeading": _("{title} by {learner}"),
            "lockMine": _("You are marking this entry; no other tutor can mark it until {time} or until you close it."),
            "lockOther": _("{holder} is marking this entry until {time}. You can read it but not mark it."),
            "startMarking": _("Start marking"),
            "notWaiting": _("This entry is not waiting to be marked."),
            "markCriterion": _("{id}: {text}"),
            "comment": _("Comment on {id}"),
            "saveFeedback": _("Save feedback only"),
            "pass": _("Pass"),
            "refer": _("Refer"),
            "release": _("Release the lock"),
            "close": _("Close"),
            "marked": _("Saved: {decision}."),
            "released": _("Lock released."),
            "loading": _("Loading..."),
            "loadFailed": _("Could not load: {error}"),
            "audit": _("Audit trail"),
            "auditLine": _("{at}: {actor} ({role}) {action}, {from} \u2192 {to}, version {version}"),
            "portfolioHeading": _("Portfolio of {learner}"),
            "guidanceHeading": _("Marking guidance for {id}"),
            "guidanceMet": _("What \u201cmet\u201d looks like"),
            "guidanceExemplarMet": _("Exemplar: met"),
            "guidanceExemplarNotYet": _("Exemplar: not yet met"),
            "guidanceEvidence": _("Evidence required"),
            "downloadPortfolio": _("Download {learner}'s portfolio (HTML)"),
            "downloadProgramme": _("Download {learner}'s whole-programme portfolio (HTML)"),
            "programmeHeading": _("All of {learner}'s work in the course"),
            "programmeLogs": _("Reflective logs"),
            "programmeExercises": _("Facilitation exercises and action plans"),
            "programmeAssessments": _("Needs assessments"),
            "programmeNone": _("Nothing yet."),
            "programmeBlock": _("In {block}"),
            "programmeEntry": _("{title}: {status}, version {version}"),
            "programmeAttempt": _("Attempt {attempt}: {result}"),
            "programmeScore": _("{points} of {max} points, {result}"),
            "programmePassed": _("passed"),
            "programmeNotYet": _("not yet passed"),
            "programmeInProgress": _("in progress"),
            "programmePlanRow": _("{what} \u2014 {where} \u2014 {whom} \u2014 {when}"),
            "programmePlan": _("Action plan saved {date}"),
            "programmeAnswered": _("Attempt {attempt}, {date}: overall {overall}"),
        }

    # ------------------------------------------------------------------ views

    def student_view(self, context=None):  # pylint: disable=unused-argument
        """The learner's portfolio and entry form; for tutors, the marking queue as well."""
        prefix = self._dom_id()
        anonymous = permissions.is_anonymous(self)
        is_tutor = not anonymous and permissions.is_tutor(self)
        entries, covered, score = [], [], {"points": 0, "possible": len(self.criteria)}
        if not anonymous:
            entries = _api().portfolio(permissions.block_key(self), student_id=permissions.student_id(self),
                                       owner=True, now=_now())
            covered, score = self._coverage(student_id=permissions.student_id(self))
            self._report_completion(score)
        html = loader.render_django_template("templates/student_view.html", {
            "prefix": prefix,
            "display_name": self.display_name,
            "paragraphs": [part for part in self.prompt.split("\n\n") if part],
            "criteria": self._criteria_with_evidence(),
            "entry_types": self.entry_types,
            "min_words": self.min_words,
            "max_words": self.max_words,
            "anonymous": anonymous,
            "is_tutor": is_tutor,
            "today": (_now() + _LATEST_OFFSET).date().isoformat(),
            "portfolio_url": self.runtime.handler_url(self, "portfolio_html"),
            "programme_url": self.runtime.handler_url(self, "programme_portfolio_html"),
            "csv_url": self.runtime.handler_url(self, "entries_csv"),
            "statuses": rules.QUEUE_STATUSES,
            # Learner text travels to the script as JSON in the page, escaped by Django's json_script
            # (never through the runtime's init arguments, which some runtimes embed unescaped).
            "data_id": prefix + "-data",
            "data": {
                "anonymous": anonymous,
                "isTutor": is_tutor,
                "criteria": self.criteria,
                "entryTypes": self.entry_types,
                "minWords": self.min_words,
                "maxWords": self.max_words,
                "entries": entries,
                "coverage": covered,
                "score": score,
                "portfolioUrl": self.runtime.handler_url(self, "portfolio_html"),
                "programmeUrl": self.runtime.handler_url(self, "programme_portfolio_html"),
                "strings": self._strings(),
            },
        }, i18n_service=i18n_service(self))
        return block_fragment(
            html, loader.load_unicode("static/reflective_log.css"), loader.load_unicode("static/reflective_log.js"),
            "LpReflectiveLog", {"prefix": prefix},
        )

    def studio_view(self, context=None):  # pylint: disable=unused-argument
        """The form editor (prompt, word limits, criteria, entry types), the XML tab, a preview."""
        _ = self._
        prefix = self._dom_id() + "-studio"
        html = render_editor(
            self, loader, prefix=prefix, editor="reflective_log", block_class="lp-rl",
            settings=[{"name": "display_name", "type": "text", "label": _("Display name"),
                       "value": self.display_name, "required": True}],
            xml_field="config_xml",
            xml_label=_("Reflective log (word limits, prompt, criteria, entry types) as XML"),
            xml_help=_("Criterion ids are the awarding body's unit-and-criterion references and must be unique."),
            xml=config_to_string(self._config()), schema=editor.schema(_), draft=self._config(),
            preview_heading=_("Preview: what learners are asked"),
            extra_data={"catalogue": editor.catalogue_units()})
        return studio_fragment(html, loader.load_unicode("static/reflective_log.css"), prefix, _("Saved."))

    def _editor_spec(self):
        return {"schema": editor.schema(self._), "validate": validate_config, "error": ConfigError,
                "parse_xml": parse_config_string, "to_xml": config_to_string}

    @json_handler(methods=("POST",), authors_only=True)
    def validate_draft(self, data, suffix=""):  # pylint: disable=unused-argument
        """Check the editor's draft log set-up (or its XML) with the OLX path's validator; nothing is saved."""
        return draft_reply(self, data, self._editor_spec())

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """The log's set-up for the mobile apps; no learner's entries."""
        return {"display_name": self.display_name, **self._config()}

    # ------------------------------------------------------------------ learner handlers

    @json_handler(methods=("GET", "POST"), signed_in=True)
    def my_entries(self, data, suffix=""):  # pylint: disable=unused-argument
        """The learner's own entries (working copies included), criteria coverage and score."""
        entries = _api().portfolio(permissions.block_key(self), student_id=permissions.student_id(self),
                                   owner=True, now=_now())
        covered, score = self._coverage(student_id=permissions.student_id(self))
        self._report_completion(score)
        return {"entries": entries, "coverage": covered, "score": score}

    def _draft_from(self, data, base=None):
        fields = {key: value for key, value in data.items() if key != "entry_id"}
        try:
            return rules.clean_entry(self._config(), fields, (_now() + _LATEST_OFFSET).date(), base)
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
        now = _now()
        entry, draft = self._revision(data)
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
        return {"entry": _api().owner_view(entry, _now())}

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
        entry, draft = self._revision(data)
        try:
            words = rules.check_submittable(self._config(), draft)
        except rules.EntryError as error:
            raise self._error(error) from error
        now = _now()
        learner = {"block_key": permissions.block_key(self), "course_key": permissions.course_key(self),
                   "student_id": permissions.student_id(self), "username": permissions.username(self)}
        item = api.student_item(learner["block_key"], learner["course_key"], learner["student_id"])
        try:
            if entry is None:
                entry = api.submit_new_entry(**learner, draft=draft, word_count=words, now=now, item=item)
            else:
                entry = api.submit_entry(entry, draft, words, now, learner["username"], item)
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

    @json_handler(methods=("GET", "POST"), tutors_only=True)
    def queue(self, data, suffix=""):  # pylint: disable=unused-argument
        """One page of the marking queue with counts per status (two indexed queries)."""
        try:
            status, page = rules.clean_queue_request(data)
        except rules.EntryError as error:
            raise self._error(error) from error
        return _api().queue_page(permissions.block_key(self), status, page, _now(), scope=self._scope())

    def _marking_view(self, entry, now):
        """
        The entry for the marking panel: ``can_mark`` when this tutor may mark it now (waiting, not their own,
        nobody else holds the lock) and ``holding`` when the lock is theirs.
        """
        lock = rules.lock_state(entry.lock_holder, entry.lock_expires_at, permissions.username(self), now)
        # Viewing as another member of staff (masquerade) reads the entry but may not mark in their name.
        can_mark = (entry.status == rules.SUBMITTED and not self._is_own(entry) and lock != "other"
                    and not compat.is_masquerading(self))
        return {"entry": _api().open_entry(entry, now=now), "can_mark": can_mark, "holding": can_mark and lock == "mine",
                "guidance": self._guidance()}

    @json_handler(methods=("POST",), tutors_only=True)
    def open_entry(self, data, suffix=""):  # pylint: disable=unused-argument
        """An entry with every version, its feedback and audit trail. Reading takes no lock."""
        return self._marking_view(self._submitted_entry(data), _now())

    @json_handler(methods=("POST",), tutors_only=True, writes=True)
    def start_marking(self, data, suffix=""):  # pylint: disable=unused-argument
        """Claim (or renew) the marking lock: 409 naming the holder while another tutor marks the entry."""
        _ = self._
        api = _api()
        entry = self._submitted_entry(data)
        if self._is_own(entry):
            raise HandlerError(403, _("You cannot mark your own entry; another tutor must mark it."))
        now = _now()
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
        now = _now()
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
            released = _api().release_lock(entry, permissions.username(self), _now())
        except rules.StateError as error:
            raise self._error(error) from error
        return {"released": released}

    @json_handler(methods=("GET", "POST"), signed_in=True)
    def portfolio(self, data, suffix=""):  # pylint: disable=unused-argument
        """A learner's submitted entries, feedback, coverage and audit trail (own, or anyone's for tutors)."""
        lookup, own = self._learner_lookup(data)
        entries = _api().portfolio(permissions.block_key(self), owner=False, with_audit=True, now=_now(),
                                   scope=self._scope(), **lookup)
        covered, score = self._coverage(**lookup)
        learner = permissions.username(self) if own else lookup["username"]
        return {"learner": learner, "entries": entries, "coverage": covered, "score": score}

    @guarded_handler(signed_in=True)
    def portfolio_html(self, request, suffix=""):  # pylint: disable=unused-argument
        """The portfolio as a standalone, printable HTML document for the external verifier."""
        if request.method != "GET":
            raise HandlerError(405, self._("Method {method} is not allowed here").format(method=request.method))
        lookup, own = self._learner_lookup(dict(request.GET))
        learner = permissions.username(self) if own else lookup["username"]
        entries = _api().portfolio(permissions.block_key(self), owner=False, with_audit=True, now=_now(),
                                   scope=self._scope(), **lookup)
        covered, score = self._coverage(**lookup)
        types = {item["id"]: item["label"] for item in self.entry_types}
        types["exercise_justification"] = self._("Facilitation exercise: justification of a key decision")
        html = loader.render_django_template("templates/portfolio.html", {
            "title": self.display_name,
            "learner": learner,
            "generated": _now().strftime("%Y-%m-%d %H:%M UTC"),
            "criteria": self.criteria,
            "entries": [self._export_entry(entry, types) for entry in entries],
            "coverage": covered,
            "matrix": self._matrix(entries),
            "score": score,
            "labels": self._labels(),
        }, i18n_service=i18n_service(self))
        return html_download(html, "portfolio", learner)

    # ------------------------------------------------------------------ the whole programme

    def _programme_record(self, lookup):
        """One learner's work across the course (every log, exercise and questionnaire), labelled for people."""
        from ..data.api import learner_record  # pylint: disable=import-outside-toplevel  # needs Django's app registry
        record = learner_record.course_record(permissions.course_key(self), now=_now(), **lookup)
        labels = self._labels()
        decisions = {rules.PASS: self._("Pass"), rules.REFER: self._("Refer"), "": self._("Feedback only"), None: ""}
        marks = {rules.MET: self._("Met"), rules.NOT_YET_MET: self._("Not yet met"), None: ""}
        for log in record["logs"]:
            for entry in log["entries"]:
                entry["status_label"] = labels["statuses"].get(entry["status"], entry["status"])
                for version in entry["versions"]:
                    version["paragraphs"] = [part for part in version["body"].split("\n\n") if part.strip()]
                    for item in version["feedback"]:
                        item["decision_label"] = decisions.get(item["decision"] or "", item["decision"])
                        item["criteria_rows"] = [{"id": ident, **mark, "decision_label": marks.get(mark.get("decision"), "")}
                                                 for ident, mark in item["criteria"].items()]
        for assessment in record["assessments"]:
            for attempt in assessment["attempts"]:
                attempt["themes"] = []
                for theme, score in sorted((attempt["scores"] or {}).items()):
                    first = (attempt["first_scores"] or {}).get(theme)
                    change = None if first is None or attempt["attempt"] == 1 else round(score - first, 2)
                    attempt["themes"].append({"id": theme, "score": score, "change": change,
                                              "change_text": "" if change is None else f"{change:+g}"})
        return record

    @json_handler(methods=("GET", "POST"), signed_in=True)
    def programme_record(self, data, suffix=""):  # pylint: disable=unused-argument
        """All of a learner's work in the course (own, or anyone's for tutors): the tutors' learner view."""
        lookup, own = self._learner_lookup(data)
        learner = permissions.username(self) if own else lookup["username"]
        return {"learner": learner, **self._programme_record(lookup)}

    @guarded_handler(signed_in=True)
    def programme_portfolio_html(self, request, suffix=""):  # pylint: disable=unused-argument
        """The whole-programme portfolio as one printable HTML document (the learner's own, or any for tutors)."""
        if request.method != "GET":
            raise HandlerError(405, self._("Method {method} is not allowed here").format(method=request.method))
        lookup, own = self._learner_lookup(dict(request.GET))
        learner = permissions.username(self) if own else lookup["username"]
        html = loader.render_django_template("templates/programme_portfolio.html", {
            "learner": learner,
            "course": permissions.course_key(self) or "workbench",
            "generated": _now().strftime("%Y-%m-%d %H:%M UTC"),
            "record": self._programme_record(lookup),
        }, i18n_service=i18n_service(self))
        return html_download(html, "programme-portfolio", learner)

    def _export_entry(self, entry, types):
        """An entry with labels resolved and paragraphs split, for the export template."""
        labels = self._labels()
        audit = [
            {**event, "action_label": labels["actions"].get(event["action"], event["action"]),
             "role_label": labels["roles"].get(event["role"], event["role"]),
             "from_label": labels["statuses"].get(event["from"], event["from"] or ""),
             "to_label": labels["statuses"].get(event["to"], event["to"])}
            for event in entry.get("audit", [])
        ]
        versions = []
        for version in entry["versions"]:
            versions.append({
                **version,
                "type_label": types.get(version["entry_type"], version["entry_type"]),
                "paragraphs": [part for part in version["body"].split("\n\n") if part.strip()],
                "feedback": [
                    {**item, "criteria_rows": [
                        {"id": ident, **mark} for ident, mark in item["criteria"].items()]}
                    for item in version["feedback"]
                ],
            })
        return {**entry, "versions": versions, "audit": audit,
                "status_label": labels["statuses"].get(entry["status"], entry["status"])}

    def _matrix(self, entries):
        """Rows of criteria, columns of entries: what each version claimed and each decision found."""
        rows = []
        for criterion in self.criteria:
            cells = []
            for entry in entries:
                latest = entry["versions"][-1] if entry["versions"] else None
                claimed = latest is not None and criterion["id"] in latest["criteria"]
                decided = None
                if latest and latest["feedback"]:
                    decided = (latest["feedback"][-1]["criteria"].get(criterion["id"]) or {}).get("decision")
                cells.append({"claimed": claimed, "decision": decided, "passed": entry["status"] == rules.PASSED})
            rows.append({"criterion": criterion, "cells": cells})
        return rows

    @guarded_handler(tutors_only=True)
    def entries_csv(self, request, suffix=""):  # pylint: disable=unused-argument
        """One row per submitted entry (latest version): the report of :meth:`generate_report_data`."""
        header, rows = self._report_table(_api().report_rows(permissions.block_key(self)))
        return Response(
            body=csv_text(header, rows).encode("utf-8"), content_type="text/csv", charset="utf-8",
            content_disposition=f'attachment; filename="reflective-log-{self._dom_id()}.csv"',
        )

    def _report_columns(self):
        _ = self._
        types = {item["id"]: item["label"] for item in self.entry_types}
        return [
            (_("Learner"), lambda row: row["learner"]),
            (_("Entry"), lambda row: row["entry_id"]),
            (_("Title"), lambda row: row["title"]),
            (_("Type"), lambda row: types.get(row["entry_type"], row["entry_type"])),
            (_("Status"), lambda row: row["status"]),
            (_("Version"), lambda row: row["version"]),
            (_("Date of activity"), lambda row: row["activity_date"]),
            (_("Words"), lambda row: row["word_count"]),
            (_("Criteria claimed"), lambda row: " ".join(row["criteria_claimed"])),
            (_("Criteria met"), lambda row: " ".join(row["criteria_met"])),
            (_("Marker"), lambda row: row["marker"]),
            (_("Created"), lambda row: row["created_at"]),
            (_("Submitted"), lambda row: row["submitted_at"]),
            (_("Decided"), lambda row: row["decided_at"] or ""),
            (_("Referrals"), lambda row: row["referrals"]),
        ]

    def _report_table(self, rows):
        columns = self._report_columns()
        return [name for name, _get in columns], ([get(row) for _name, get in columns] for row in rows)

    @json_handler(methods=("POST",), authors_only=True)
    def studio_submit(self, data, suffix=""):  # pylint: disable=unused-argument
        """Save Studio edits; nothing is saved unless everything is valid."""
        _ = self._
        display_name = data.get("display_name", self.display_name)
        if not isinstance(display_name, str) or is_blank(display_name):
            raise HandlerError(400, _("display_name: a name is required."), field="display_name")
        config = parsed_field(data, "config_xml", parse_config_string, ConfigError, _, self._config())
        self.display_name = display_name.strip()
        self._set_config(config)
        return {"result": "success"}

    def _set_config(self, config):
        for name in ("prompt", "criteria", "entry_types", "min_words", "max_words"):
            setattr(self, name, config[name])

    # ------------------------------------------------------------------ OLX

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Read the block from OLX; an invalid log raises an error naming the element."""
        block = runtime.construct_xblock_from_class(cls, keys)
        if node.get("display_name") is not None:
            block.display_name = node.get("display_name")
        block._set_config(parse_config(node))  # pylint: disable=protected-access
        read_settings(block, node, OWN_ATTRIBUTES)
        return block

    def add_xml_to_node(self, node):
        """Write the block as OLX: the display name and word limits as attributes, the rest as children."""
        node.tag = self.xml_element_name()
        node.set("display_name", self.display_name)
        write_settings(self, node, OWN_ATTRIBUTES)
        write_config(self._config(), node)

    # ------------------------------------------------------------------ platform

    def generate_report_data(self, user_state_iterator, limit_responses=None):
        """
        One row per entry (latest version) for the LMS problem-response report, for the learners the
        platform lists; entries are read in batches of 500 learners, one query per batch.
        """
        api = _api()
        count = 0
        batch = []

        def flush():
            nonlocal count
            usernames = [state.username for state in batch]
            by_user = {}
            for row in api.report_rows(permissions.block_key(self), usernames=usernames):
                by_user.setdefault(row["learner"], []).append(row)
            columns = self._report_columns()
            for username in usernames:
                for row in by_user.get(username, []):
                    if limit_responses is not None and count >= limit_responses:
                        return False
                    count += 1
                    yield username, {name: safe_cell(get(row)) for name, get in columns}
            return True

        for user_state in user_state_iterator:
            batch.append(user_state)
            if len(batch) >= 500:
                keep_going = yield from flush()
                batch = []
                if not keep_going:
                    return
        if batch:
            yield from flush()

    def clear_student_state(self, user_id, course_id, item_id, requesting_user_id):
        """
        The instructor's "delete learner state": the learner's entries are archived (kept for audit, gone from
        every view) and their score leaves the gradebook. The platform skips its own ``reset_score`` for a
        block with this method, so the block resets the edx-submissions score itself (as ORA2 does).
        """
        api = _api()
        api.archive_learner(str(item_id), str(user_id), f"staff:{requesting_user_id}", _now())
        api.reset_learner_score(student_id=str(user_id), course_key=str(course_id), block_key=str(item_id))

    # ------------------------------------------------------------------ workbench

    @staticmethod
    def workbench_scenarios():
        """Reflective logs written from the programme's source documents."""
        return packaged_scenarios(__package__, SCENARIO_FILES)


# Fail early (at import) if the defaults are not a valid log.
validate_config({
    "prompt": DEFAULT_PROMPT, "criteria": DEFAULT_CRITERIA, "entry_types": DEFAULT_ENTRY_TYPES, **DEFAULT_LIMITS,
})
