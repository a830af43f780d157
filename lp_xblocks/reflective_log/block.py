"""
The reflective-log XBlock (``lp_reflective_log``): a thin shell over :mod:`.rules` and the data app.

Learners keep a portfolio of dated reflective entries that claim the block's assessment criteria;
tutors mark each submitted version (criterion by criterion) as a pass or a referral, or comment
without a decision; a referred entry is revised and resubmitted. Passed entries are the evidence
for accreditation: the learner's score is the share of the block's criteria they cover.
"""
from datetime import datetime, timezone

from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Float, Integer, List, Scope, String
from xblock.utils.resources import ResourceLoader

from ..common import permissions, quality
from ..common.fragments import block_fragment, dom_id, studio_fragment
from ..common.http import HandlerError, json_handler, parsed_field
from ..common.i18n import gettext_for, i18n_service
from ..common.olx import packaged_scenarios, read_settings, write_settings
from ..common.studio import draft_reply, render_editor
from ..common.text import is_blank
from . import editor, rules
from .config import ConfigError, validate as validate_config
from .evidence import DEFAULT_MAX_FILE_MB, DEFAULT_MAX_FILES, validate_file_limits
from .olx import DEFAULT_LIMITS, config_to_string, parse_config, parse_config_string, write_config
from .evidence_handlers import EvidenceHandlersMixin
from .exports import ExportsMixin
from .learner_handlers import LearnerHandlersMixin
from .marking_handlers import MarkingHandlersMixin
from .quality_handlers import QA_ATTRIBUTES, QualityHandlersMixin
from .shell import EVENT_MARKED, EVENT_SUBMITTED, LATEST_OFFSET, api as _api  # pylint: disable=unused-import  # (events: tests read them here)
from .strings import StringsMixin

loader = ResourceLoader(__name__)


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



def _now():
    return datetime.now(timezone.utc)


@XBlock.needs("i18n")
@XBlock.wants("user", "studio_user_permissions", "completion")
class ReflectiveLogBlock(LearnerHandlersMixin, MarkingHandlersMixin, EvidenceHandlersMixin, QualityHandlersMixin,
                         ExportsMixin, StringsMixin, CompletableXBlockMixin, XBlock):
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
    max_files = Integer(
        display_name="Most evidence files",
        help="How many evidence files a learner may attach to one version of an entry (0 to 20; 0 allows none).",
        default=DEFAULT_MAX_FILES, scope=Scope.settings,
    )
    max_file_mb = Integer(
        display_name="Largest evidence file (MB)",
        help="The largest evidence file a learner may attach, in megabytes (1 to 50).",
        default=DEFAULT_MAX_FILE_MB, scope=Scope.settings,
    )
    sample_per_tutor = Integer(
        display_name="Verification sample: decisions per tutor",
        help="The internal verifier's sample takes at least this many decisions of every tutor (0 to 50).",
        default=quality.DEFAULT_PLAN["per_tutor"], scope=Scope.settings,
    )
    sample_pass_percent = Integer(
        display_name="Verification sample: percentage of passes",
        help="The sample takes at least this percentage of passes (0 to 100); every referral is always sampled.",
        default=quality.DEFAULT_PLAN["pass_percent"], scope=Scope.settings,
    )
    sample_seed = String(
        display_name="Verification sample: seed",
        help="Any text (at most 100 characters); change it to draw another sample from the same decisions.",
        default=quality.DEFAULT_PLAN["seed"], scope=Scope.settings,
    )
    appeal_days = Integer(
        display_name="Days to appeal a referral",
        help="A learner may appeal a referral within this many days of the decision (0: no appeals; at most 365).",
        default=quality.DEFAULT_APPEAL_DAYS, scope=Scope.settings,
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
    editable_fields = ("display_name", "prompt", "criteria", "entry_types", "min_words", "max_words", "max_files",
                       "max_file_mb")

    # ------------------------------------------------------------------ helpers

    @property
    def _(self):
        return gettext_for(self)

    def _config(self):
        return {
            "prompt": self.prompt, "criteria": self.criteria, "entry_types": self.entry_types,
            "min_words": self.min_words, "max_words": self.max_words,
        }

    def _now_utc(self):
        """Now, from the module clock tests can set."""
        return _now()

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
        if not permissions.is_tutor_or_verifier(self):
            raise HandlerError(403, _("You can only see your own portfolio."))
        return {"username": learner}, False

    # ------------------------------------------------------------------ views

    def student_view(self, context=None):  # pylint: disable=unused-argument
        """The learner's portfolio and entry form; for tutors, the marking queue as well."""
        prefix = self._dom_id()
        anonymous = permissions.is_anonymous(self)
        is_tutor = not anonymous and permissions.is_tutor(self)
        is_verifier = not anonymous and permissions.is_verifier(self)
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
            "max_files": self.max_files,
            "max_file_mb": self.max_file_mb,
            "declaration": self._declaration(),
            "anonymous": anonymous,
            "is_tutor": is_tutor,
            "is_verifier": is_verifier,
            "today": (_now() + LATEST_OFFSET).date().isoformat(),
            "portfolio_url": self.runtime.handler_url(self, "portfolio_html"),
            "programme_url": self.runtime.handler_url(self, "programme_portfolio_html"),
            "csv_url": self.runtime.handler_url(self, "entries_csv"),
            "zip_url": self.runtime.handler_url(self, "verifier_zip") if is_tutor else "",
            "statuses": rules.QUEUE_STATUSES,
            # Learner text travels to the script as JSON in the page, escaped by Django's json_script
            # (never through the runtime's init arguments, which some runtimes embed unescaped).
            "data_id": prefix + "-data",
            "data": {
                "anonymous": anonymous,
                "isTutor": is_tutor,
                "isVerifier": is_verifier,
                "qaStrings": self._quality_strings(),
                "criteria": self.criteria,
                "entryTypes": self.entry_types,
                "minWords": self.min_words,
                "maxWords": self.max_words,
                "entries": entries,
                "coverage": covered,
                "score": score,
                "portfolioUrl": self.runtime.handler_url(self, "portfolio_html"),
                "programmeUrl": self.runtime.handler_url(self, "programme_portfolio_html"),
                "evidenceUrl": self.runtime.handler_url(self, "evidence_file"),
                "uploadUrl": self.runtime.handler_url(self, "upload_evidence"),
                "zipUrl": self.runtime.handler_url(self, "verifier_zip") if is_tutor else "",
                "declaration": self._declaration(),
                "strings": self._strings(),
            },
        }, i18n_service=i18n_service(self))
        return block_fragment(
            html, loader.load_unicode("static/reflective_log.css"),
            loader.load_unicode("static/reflective_log_quality.js") + "\n" + loader.load_unicode("static/reflective_log.js"),
            "LpReflectiveLog", {"prefix": prefix},
        )

    def studio_view(self, context=None):  # pylint: disable=unused-argument
        """The form editor (prompt, word limits, criteria, entry types), the XML tab, a preview."""
        _ = self._
        prefix = self._dom_id() + "-studio"
        html = render_editor(
            self, loader, prefix=prefix, editor="reflective_log", block_class="lp-rl",
            settings=[{"name": "display_name", "type": "text", "label": _("Display name"),
                       "value": self.display_name, "required": True},
                      {"name": "max_files", "type": "number", "label": _("Most evidence files per entry"),
                       "value": self.max_files, "required": True,
                       "help": _("0 to 20 files (PDF, Office, OpenDocument, images, CSV) per version of an entry; "
                                 "0 allows none.")},
                      {"name": "max_file_mb", "type": "number", "label": _("Largest evidence file (MB)"),
                       "value": self.max_file_mb, "required": True, "help": _("1 to 50 MB.")}] + self._qa_settings(),
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

    @json_handler(methods=("POST",), authors_only=True)
    def studio_submit(self, data, suffix=""):  # pylint: disable=unused-argument
        """Save Studio edits; nothing is saved unless everything is valid."""
        _ = self._
        display_name = data.get("display_name", self.display_name)
        if not isinstance(display_name, str) or is_blank(display_name):
            raise HandlerError(400, _("display_name: a name is required."), field="display_name")
        config = parsed_field(data, "config_xml", parse_config_string, ConfigError, _, self._config())
        limits = {}
        for name in ("max_files", "max_file_mb"):
            raw = data.get(name, getattr(self, name))
            if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
                raw = int(raw.strip())
            limits[name] = raw
        problems = validate_file_limits(limits["max_files"], limits["max_file_mb"])
        if problems:
            name, template, params = problems[0]
            raise HandlerError(400, _(template).format(**{**params, "value": str(params["value"])[:20]}), field=name)
        qa = self._clean_qa({name: data.get(name, getattr(self, name)) for name in QA_ATTRIBUTES})
        self.max_files, self.max_file_mb = limits["max_files"], limits["max_file_mb"]
        self.display_name = display_name.strip()
        self._set_config(config)
        self._set_qa(qa)
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
        block._read_qa(node)  # pylint: disable=protected-access
        read_settings(block, node, OWN_ATTRIBUTES + QA_ATTRIBUTES)
        problems = validate_file_limits(block.max_files, block.max_file_mb)
        if problems:
            raise ConfigError(problems[0][1], **problems[0][2])
        return block

    def add_xml_to_node(self, node):
        """Write the block as OLX: the display name and word limits as attributes, the rest as children."""
        node.tag = self.xml_element_name()
        node.set("display_name", self.display_name)
        write_settings(self, node, OWN_ATTRIBUTES + QA_ATTRIBUTES)
        for name in QA_ATTRIBUTES:  # only the ones an author set: a log without them keeps its OLX unchanged
            if self.fields[name].is_set_on(self):
                node.set(name, str(getattr(self, name)))
        write_config(self._config(), node)

    # ------------------------------------------------------------------ platform

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
