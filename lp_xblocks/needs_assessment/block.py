"""
The needs-assessment XBlock (``lp_needs_assessment``): a thin shell over :mod:`.instrument`.

One questionnaire engine for three kinds of instrument: a partnership health check, an individual
learning-needs analysis and a satisfaction survey. Learners rate statements grouped by theme (or answer
"Don't know / not applicable"); the block scores each theme, bands it, recommends next steps weakest
theme first, lets the participant place the partnership and its activities on the stages of partnership
working, and shows progress between attempts. A satisfaction survey ends with thanks and the learner's
own ratings only; its cohort figures are aggregate-only. A partnership's manager can create a
partnership that partners join with a code, and see all raters' views combined.

The class keeps the fields, submission, the Studio editor and OLX; its pages are in :mod:`.views`, the cohort and
LMS reports in :mod:`.reports` and the partnership handlers in :mod:`.partnerships`, each a mixin.
"""
from datetime import datetime, timezone

from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Integer, List, Scope, String
from xblock.utils.resources import ResourceLoader

from ..common import permissions, records
from ..common.drafts import FormDraftsMixin
from ..common.fields import AttemptCount
from ..common.fragments import dom_id, studio_fragment
from ..common.http import HandlerError, json_handler, parsed_field
from ..common.i18n import gettext_for
from ..common.olx import packaged_scenarios, read_settings, write_settings
from ..common.studio import render_editor
from ..common.text import is_blank
from . import editor
from . import instrument as core
from . import raters
from .olx import instrument_to_string, parse_instrument, parse_instrument_string, write_instrument
from .partnerships import PartnershipHandlers
from .reports import NeedsAssessmentReports
from .views import COMMENT_LIMIT, NeedsAssessmentViews

loader = ResourceLoader(__name__)

EVENT_SUBMITTED = "lp.needs_assessment.submitted"

# A fresh block added in Studio starts with this small, valid instrument.
DEFAULT_INSTRUMENT = {
    "scale": [
        {"value": 1, "label": "Strongly disagree"}, {"value": 2, "label": "Disagree"},
        {"value": 3, "label": "Neither agree nor disagree"}, {"value": 4, "label": "Agree"},
        {"value": 5, "label": "Strongly agree"},
    ],
    "themes": [{
        "id": "leadership", "title": "Leadership",
        "statements": [
            {"id": "lead-remit", "text": "The partnership has a remit agreed by all partners."},
            {"id": "lead-roles", "text": "Members' roles and responsibilities are clearly defined."},
        ],
        "bands": [
            {"upto": 2.5, "label": "Needs attention", "text": "Agree terms of reference with all partners."},
            {"upto": 3.75, "label": "Developing", "text": "Review the remit and roles with partners this year."},
            {"upto": 5, "label": "Strong", "text": "Share how you agreed your remit with other partnerships."},
        ],
    }],
    "stages": [],
}

# The attributes the block reads and writes itself; every other settings field (the platform's
# visible_to_staff_only, group_access, due ...) goes through read_settings / write_settings.
OWN_ATTRIBUTES = ("display_name", "kind", "allow_retake", "minimum_group")

SCENARIO_FILES = ("partnership_health_check.xml", "learning_needs_analysis.xml", "satisfaction_survey.xml")


def _now():
    return datetime.now(timezone.utc)


@XBlock.needs("i18n")
@XBlock.wants("user", "studio_user_permissions")
class NeedsAssessmentBlock(NeedsAssessmentViews, NeedsAssessmentReports, PartnershipHandlers, FormDraftsMixin,
                           CompletableXBlockMixin, XBlock):
    """A diagnostic questionnaire scored per theme, with recommendations and progress between attempts."""

    display_name = String(
        display_name="Display name", help="The name learners see above the questionnaire.",
        default="Needs assessment", scope=Scope.settings,
    )
    kind = String(
        display_name="Kind",
        help="partnership: how well a partnership functions; individual: learning and skills needs; "
             "satisfaction: ratings of each delivery element.",
        default="partnership", values=list(core.KINDS), scope=Scope.content,
    )
    allow_retake = Boolean(
        display_name="Allow retakes",
        help="Whether a learner may answer again to measure progress since their first attempt.",
        default=True, scope=Scope.settings,
    )
    instrument = Dict(
        display_name="Instrument",
        help="The scale, themes (statements and bands) and optional stages, as parsed from OLX.",
        default=DEFAULT_INSTRUMENT, scope=Scope.content,
    )
    attempt_history = List(
        display_name="Attempt history",
        help="The learner's own attempts: number, time, overall score, stage and theme scores.",
        default=[], scope=Scope.user_state,
    )
    # The instructor dashboard's "reset learner attempts" writes attempts = 0 into the learner's state:
    # this counter is what it resets (a questionnaire answered once may then be answered again); the
    # history stays. See docs/decisions/0002-attempts-the-platform-can-reset.md.
    attempts = AttemptCount(
        display_name="Attempts counted",
        help="Submissions since the last reset by staff (a questionnaire without retakes allows one).",
        default=0, scope=Scope.user_state,
    )
    answers = Dict(
        display_name="Latest answers",
        help="The learner's answers in their latest attempt (statement id to scale value or 'dont_know').",
        default={}, scope=Scope.user_state,
    )
    placements = Dict(
        display_name="Latest placements",
        help="Where the learner placed the partnership and its activities on the stages (target id to stage id).",
        default={}, scope=Scope.user_state,
    )
    minimum_group = Integer(
        display_name="Smallest group reported",
        help="Satisfaction figures and a partnership's combined view are withheld for fewer people than this "
             "(partners, for a partnership).",
        default=3, scope=Scope.settings,
    )

    has_custom_completion = True
    editable_fields = ("display_name", "kind", "allow_retake", "minimum_group", "instrument")

    # ------------------------------------------------------------------ helpers

    @property
    def _(self):
        return gettext_for(self)

    def _dom_id(self):
        """A prefix for element ids, unique per block instance on a page."""
        return dom_id(self, "lpna")

    def _migrate_state(self):
        """
        State saved before the history had its own field kept the list in ``attempts``: move it to
        ``attempt_history`` (once; the counter then counts it).
        """
        field_data = self._field_data  # pylint: disable=protected-access
        if field_data.has(self, "attempts") and self.fields["attempts"] not in self._dirty_fields:
            raw = field_data.get(self, "attempts")
            if isinstance(raw, list):
                old = [attempt for attempt in raw if isinstance(attempt, dict)]
                if not self.attempt_history:
                    self.attempt_history = old
                self.attempts = len(old)

    def _first_scores(self):
        return self.attempt_history[0]["scores"] if self.attempt_history else None

    def _placed(self, chosen):
        """The learner's placements with every target named in their language."""
        placed = core.placements(self.instrument, chosen or {})
        for item in placed:
            if item["target_label"] is None:
                item["target_label"] = self._("The partnership as a whole")
        return placed

    def _own_ratings(self, answers):
        """A satisfaction survey's closing view: each statement with the learner's own rating, nothing scored."""
        labels = {point["value"]: point["label"] for point in self.instrument["scale"]}
        dont_know = self._("Don't know / not applicable")
        return [
            {"title": theme["title"], "statements": [
                {"text": s["text"], "rating": dont_know if answers[s["id"]] == core.DONT_KNOW
                 else f"{answers[s['id']]} ({labels[answers[s['id']]]})"}
                for s in theme["statements"]]}
            for theme in self.instrument["themes"]
        ]

    def _result(self, attempt):
        """The learner-facing result of one stored attempt (the shape ``submit`` answers with)."""
        if self.kind == "satisfaction":
            # Thanks and the learner's own ratings: a satisfaction survey never scores, bands or recommends.
            return {"attempt": attempt["attempt"], "kind": "satisfaction",
                    "ratings": self._own_ratings(attempt["answers"]), "comments": attempt.get("comments") or {}}
        scored = core.score(self.instrument, attempt["answers"])
        first = None if attempt["attempt"] == 1 else self._first_scores()
        placed = self._placed(attempt.get("placements"))
        return {
            "attempt": attempt["attempt"],
            "kind": self.kind,
            "overall": scored["overall"],
            "dont_know": scored["dont_know"],
            "stage": core.stage_summary(placed) or None,
            "placements": placed,
            "themes": core.change_since(first, scored["themes"]),
            "recommendations": scored["recommendations"],
        }

    def _history(self):
        if self.kind == "satisfaction":
            return [{"attempt": a["attempt"], "submitted_at": a["submitted_at"]} for a in self.attempt_history]
        return [
            {"attempt": a["attempt"], "submitted_at": a["submitted_at"], "overall": a["overall"]}
            for a in self.attempt_history
        ]

    def _latest_result(self):
        if not self.attempt_history:
            return {"attempt": 0}
        latest = {**self.attempt_history[-1], "answers": self.answers, "placements": self.placements}
        try:
            result = self._result(latest)
        except (KeyError, TypeError, core.InstrumentError):
            # The instrument was edited after this attempt: report the stored figures only.
            if self.kind == "satisfaction":
                result = {"attempt": latest["attempt"], "kind": "satisfaction", "ratings": [], "comments": {}}
            else:
                result = {"attempt": latest["attempt"], "kind": self.kind, "overall": latest["overall"],
                          "stage": latest.get("stage"), "themes": [], "recommendations": [], "placements": []}
        result["history"] = self._history()
        return result

    # ------------------------------------------------------------------ views

    def studio_view(self, context=None):  # pylint: disable=unused-argument
        """The form editor (scale, themes, statements, bands, stages), the XML as an Advanced tab, a live preview."""
        _ = self._
        prefix = self._dom_id() + "-studio"
        xml = instrument_to_string(self.instrument)
        html = render_editor(
            self, loader, prefix=prefix, editor="needs_assessment", block_class="lp-na",
            settings=[
                {"name": "display_name", "type": "text", "label": _("Display name"), "value": self.display_name,
                 "required": True},
                {"name": "kind", "type": "select", "label": _("Kind"), "value": self.kind,
                 "options": [(kind, kind) for kind in core.KINDS],
                 "help": _("partnership: how well a partnership functions; individual: learning and skills needs; "
                           "satisfaction: each delivery element.")},
                {"name": "allow_retake", "type": "checkbox", "value": self.allow_retake,
                 "label": _("Allow learners to answer again (progress since their first attempt)")},
                {"name": "minimum_group", "type": "number", "label": _("Smallest group reported"),
                 "value": self.minimum_group,
                 "help": _("Satisfaction figures, and a partnership's combined view, are withheld for fewer people "
                           "than this (a whole number from 1 to 100).")},
            ],
            xml_field="instrument_xml",
            xml_label=_("Instrument (scale, themes with statements and bands, optional stages) as XML"),
            xml_help=_("The same instrument as the form, as OLX; edits here show in the form when you go back to it."),
            xml=xml, schema=editor.schema(_), draft=self.instrument,
            preview_heading=_("Preview: the questionnaire as learners see it"))
        return studio_fragment(html, loader.load_unicode("static/needs_assessment.css"), prefix, _("Saved."))

    # ------------------------------------------------------------------ handlers (reports, partnerships: own modules)

    def _read_placements(self, data):
        _ = self._
        chosen = data.get("placements", {})
        if not isinstance(chosen, dict) or not all(isinstance(v, (str, type(None))) for v in chosen.values()):
            raise HandlerError(400, _("'placements' must be an object of activity id to stage id."),
                               field="placements")
        problems = core.check_placements(self.instrument, chosen)
        if problems:
            raise HandlerError(400, _("Some placements name an activity or a stage this questionnaire does not have."),
                               field="placements", unknown=problems.unknown, invalid=problems.invalid)
        return {target: stage for target, stage in chosen.items() if stage is not None}

    def _read_comments(self, data):
        _ = self._
        comments = data.get("comments", {})
        if self.kind != "satisfaction":
            if comments:     # never dropped silently: only a satisfaction survey takes comments
                raise HandlerError(400, _("Only a satisfaction survey takes comments."), field="comments")
            return {}
        theme_ids = [theme["id"] for theme in self.instrument["themes"]]
        if not isinstance(comments, dict) or not all(isinstance(v, (str, type(None))) for v in comments.values()):
            raise HandlerError(400, _("'comments' must be an object of delivery element id to text."), field="comments")
        unknown = sorted(str(key) for key in comments if key not in theme_ids)
        too_long = [key for key in theme_ids if len(comments.get(key) or "") > COMMENT_LIMIT]
        if unknown or too_long:
            raise HandlerError(400, _("Some comments are too long (at most {limit} characters) or name no delivery "
                                      "element of this survey.").format(limit=COMMENT_LIMIT),
                               field="comments", unknown=unknown, too_long=too_long)
        return {key: comments[key].strip() for key in theme_ids if (comments.get(key) or "").strip()}

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def submit(self, data, suffix=""):  # pylint: disable=unused-argument
        """
        Score a complete set of answers (scale values or "don't know"), with optional placements and comments
        (signed-in learners only: 403 otherwise).
        """
        _ = self._
        self._migrate_state()
        answers = data.get("answers")
        if not isinstance(answers, dict):
            raise HandlerError(400, _("'answers' must be an object of statement id to scale value."),
                               field="answers", missing=core.statement_ids(self.instrument), unknown=[], invalid=[])
        if self.attempts and not self.allow_retake:
            raise HandlerError(409, _("This questionnaire can be answered only once."))
        problems = core.check_answers(self.instrument, answers)
        if problems:
            raise HandlerError(
                400, _("Some answers are missing, unknown or not on the scale."), field="answers",
                missing=problems.missing, unknown=problems.unknown, invalid=problems.invalid,
            )
        chosen = self._read_placements(data)
        comments = self._read_comments(data)
        member = self._membership()
        if member and member["role"] == raters.PARTNER and self.kind != "partnership":
            raise HandlerError(403, _("Partners who joined to rate a partnership take only the health check."))
        answers = {sid: answers[sid] for sid in core.statement_ids(self.instrument)}
        scored = core.score(self.instrument, answers)
        placed = self._placed(chosen)
        stage = core.stage_summary(placed)
        # The learner's own numbering (what their page shows); the table numbers its rows itself.
        number = len(self.attempt_history) + 1
        submitted_at = _now()
        first_scores = self._first_scores() or {
            t["id"]: t["score"] for t in scored["themes"] if t["score"] is not None}

        if records.shared_records_allowed(self):
            from ..data import api  # pylint: disable=import-outside-toplevel  # needs Django's app registry
            try:
                api.record_needs_assessment_attempt(
                    block_key=permissions.block_key(self), course_key=permissions.course_key(self),
                    student_id=permissions.student_id(self), username=permissions.username(self),
                    submitted_at=submitted_at, overall=scored["overall"],
                    stage=stage, answers=answers, themes=scored["themes"], first_scores=first_scores,
                    dont_know=scored["dont_know"], placements=chosen, comments=comments,
                    partnership_id=member["id"] if member else None,
                )
            except api.DuplicateAttempt as error:
                raise HandlerError(409, _("Your answers could not be stored just now; submit them again.")) from error

        record = {
            "attempt": number,
            "submitted_at": submitted_at.isoformat(),
            "overall": scored["overall"],
            "stage": stage,
            "dont_know": scored["dont_know"],
            "scores": {t["id"]: t["score"] for t in scored["themes"] if t["score"] is not None},
        }
        if comments:
            record["comments"] = comments
        self.attempt_history = self.attempt_history + [record]
        self.attempts = self.attempts + 1
        self.answers = answers
        self.placements = chosen
        self.drop_form_draft("answers")
        if number == 1:
            self.emit_completion(1.0)
        event = {"attempt": number, "kind": self.kind, "dont_know": scored["dont_know"]}
        if self.kind != "satisfaction":
            event.update(overall=scored["overall"], stage=stage, themes=record["scores"])
        self.runtime.publish(self, EVENT_SUBMITTED, event)
        return {**self._result({**record, "answers": answers, "placements": chosen}), "history": self._history()}

    @json_handler(methods=("GET", "POST"), signed_in=True)
    def results(self, data, suffix=""):  # pylint: disable=unused-argument
        """The learner's latest result with their attempt history, or ``{"attempt": 0}`` (signed in only)."""
        self._migrate_state()
        return self._latest_result()

    # ------------------------------------------------------------------ Studio

    @json_handler(methods=("POST",), authors_only=True)
    def studio_submit(self, data, suffix=""):  # pylint: disable=unused-argument
        """Save Studio edits; nothing is saved unless everything is valid."""
        _ = self._
        display_name = data.get("display_name", self.display_name)
        kind = data.get("kind", self.kind)
        allow_retake = data.get("allow_retake", self.allow_retake)
        if not isinstance(display_name, str) or is_blank(display_name):
            raise HandlerError(400, _("display_name: a name is required."), field="display_name")
        if not isinstance(allow_retake, bool):
            raise HandlerError(400, _("allow_retake: must be true or false."), field="allow_retake")
        minimum_group = data.get("minimum_group", self.minimum_group)
        if isinstance(minimum_group, str) and minimum_group.strip().isdigit():
            minimum_group = int(minimum_group.strip())
        if not isinstance(minimum_group, int) or isinstance(minimum_group, bool) or not 1 <= minimum_group <= 100:
            raise HandlerError(400, _("minimum_group: a whole number from 1 to 100."), field="minimum_group")
        try:
            core.validate_kind(kind)
        except core.InstrumentError as error:
            raise HandlerError(400, error.translated(_), field="kind") from error
        new_instrument = parsed_field(
            data, "instrument_xml", parse_instrument_string, core.InstrumentError, _, self.instrument)
        self.display_name = display_name.strip()
        self.kind = kind
        self.allow_retake = allow_retake
        self.minimum_group = minimum_group
        self.instrument = new_instrument
        return {"result": "success"}

    # ------------------------------------------------------------------ OLX

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Read the block from OLX; an invalid instrument raises an error naming the element."""
        block = runtime.construct_xblock_from_class(cls, keys)
        for name in ("display_name", "kind", "allow_retake", "minimum_group"):
            if node.get(name) is not None:
                setattr(block, name, block.fields[name].from_string(node.get(name)))
        if not 1 <= block.minimum_group <= 100:
            raise ValueError(f"minimum_group '{block.minimum_group}' is not a whole number from 1 to 100")
        core.validate_kind(block.kind)
        block.instrument = parse_instrument(node)
        read_settings(block, node, OWN_ATTRIBUTES)
        return block

    def add_xml_to_node(self, node):
        """Write the block as OLX: attributes for the settings, child elements for the instrument."""
        node.tag = self.xml_element_name()
        node.set("display_name", self.display_name)
        node.set("kind", self.kind)
        node.set("allow_retake", "true" if self.allow_retake else "false")
        write_settings(self, node, OWN_ATTRIBUTES)
        if self.fields["minimum_group"].is_set_on(self):     # left out when never set: older exports unchanged
            node.set("minimum_group", str(self.minimum_group))
        write_instrument(self.instrument, node)

    # ------------------------------------------------------------------ learner state

    def clear_student_state(self, user_id, course_id, item_id, requesting_user_id):  # pylint: disable=unused-argument
        """
        The instructor's "delete learner state": the platform deletes the learner's saved state; their
        attempts leave the cohort report (kept, archived, for audit) and their next submission is a first.
        """
        from ..data import api  # pylint: disable=import-outside-toplevel
        api.archive_needs_assessment_learner(str(item_id), str(user_id))

    # ------------------------------------------------------------------ workbench

    @staticmethod
    def workbench_scenarios():
        """The three instruments written from the programme's source documents."""
        return packaged_scenarios(__package__, SCENARIO_FILES)
