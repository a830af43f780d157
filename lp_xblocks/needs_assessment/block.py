"""
The needs-assessment XBlock (``lp_needs_assessment``): a thin shell over :mod:`.instrument`.

One questionnaire engine for three kinds of instrument: a partnership health check, an individual
learning-needs analysis and a satisfaction survey. Learners rate statements grouped by theme (or answer
"Don't know / not applicable"); the block scores each theme, bands it, recommends next steps weakest
theme first, lets the participant place the partnership and its activities on the stages of partnership
working, and shows progress between attempts. A satisfaction survey ends with thanks and the learner's
own ratings only; its cohort figures are aggregate-only. A partnership's manager can create a
partnership that partners join with a code, and see all raters' views combined.
"""
from datetime import datetime, timezone

from webob import Response
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Integer, List, Scope, String
from xblock.utils.resources import ResourceLoader

from ..common import permissions, records
from ..common.csv_safe import csv_stream, safe_cell
from ..common.drafts import FormDraftsMixin
from ..common.fields import AttemptCount
from ..common.fragments import block_fragment, dom_id, studio_fragment
from ..common.http import HandlerError, json_handler, parsed_field, tutors_only_handler
from ..common.i18n import gettext_for, i18n_service, plural_forms
from ..common.olx import packaged_scenarios, read_settings, write_settings
from ..common.studio import draft_reply, render_editor
from ..common.text import is_blank
from . import editor
from . import instrument as core
from . import raters
from .olx import instrument_to_string, parse_instrument, parse_instrument_string, write_instrument

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
COMMENT_LIMIT = 2000         # characters in one comment on a delivery element
PARTNERSHIP_NAME_LIMIT = 200

SCENARIO_FILES = ("partnership_health_check.xml", "learning_needs_analysis.xml", "satisfaction_survey.xml")


def _now():
    return datetime.now(timezone.utc)


@XBlock.needs("i18n")
@XBlock.wants("user", "studio_user_permissions")
class NeedsAssessmentBlock(FormDraftsMixin, CompletableXBlockMixin, XBlock):
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

    def _strings(self):
        _ = self._
        return {
            "autosave": {
                "savedAt": _("Your answers so far were saved at {time}"), "saving": _("Saving your answers\u2026"),
                "notSaved": _("Answers not saved yet: {error}"), "offline": _("the server could not be reached"),
                "restored": _("Your answers so far (saved at {time}) are back; submit when you have answered every statement."),
            },
            "answerThis": _("Answer \u201c{statement}\u201d"),
            "results": _("Your results"),
            "overall": _("Overall score: {score} out of {max}"),
            "stage": _("Stage of partnership working: {stage}"),
            "theme": _("Theme"),
            "score": _("Score"),
            "band": _("Band"),
            "change": _("Change since first attempt"),
            "noChange": _("first attempt"),
            "tableCaption": _("Scores by theme (out of {max})"),
            "chartTitle": _("Bar chart of theme scores"),
            "chartDesc": _("Each bar shows a theme's score out of {max}; the table above gives the same figures."),
            "recommendations": _("Recommendations, weakest theme first"),
            "history": _("Your attempts"),
            "attemptLine": _("Attempt {attempt}, {date}: overall {overall}"),
            "retake": _("Answer again"),
            "submit": _("Submit"),
            "submitting": _("Submitting..."),
            "submitted": _("Submitted. Overall score {score} out of {max}."),
            "missing": plural_forms(self, "Please answer every statement: {count} is still unanswered.",
                                    "Please answer every statement: {count} are still unanswered."),
            "failed": _("Your answers could not be submitted: {error}"),
            "network": _("The server could not be reached. Your answers are still on the page; try again."),
            "cohortHeading": _("Cohort report"),
            "cohortLearners": plural_forms(self, "{count} learner has submitted (latest attempt of each).",
                                           "{count} learners have submitted (latest attempt of each)."),
            "cohortMean": _("Mean"),
            "cohortRespondents": _("Respondents"),
            "loading": _("Loading..."),
            "cohortFailed": _("The cohort report could not be loaded; try again."),
            "dontKnowCount": _("Statements answered \"Don't know / not applicable\": {count} (left out of the scores)."),
            "notScored": _("not scored (all don't know)"),
            "placementsHeading": _("Where you placed the partnership on the stages"),
            "notPlaced": _("not placed"),
            "thanks": _("Thank you for your feedback. It will help the programme team improve the programme."),
            "yourRatings": _("Your ratings"),
            "yourComment": _("Your comment: {comment}"),
            "cohortDontKnow": _("Don't know"),
            "cohortSuppressed": _("Fewer than {n} respondents: figures withheld."),
            "partnershipCreated": _("Your partnership's code is {code}. Give it to your partners so they can join."),
            "partnershipJoined": _("You have joined {name}."),
            "partnershipFailed": _("That did not work: {error}"),
            "combinedHeading": _("Your partnership's combined view ({raters} raters, {partners} partners)"),
            "combinedSuppressed": _("Fewer than {n} partners have answered: their combined view is withheld."),
            "you": _("You"),
            "partnersMean": _("Partners (mean)"),
            "allMean": _("All raters (mean)"),
            "range": _("Range"),
            "spread": _("Spread"),
            "differMost": _("Statements where views differ most"),
            "memberManager": _("You manage {name}. Partners join with the code {code}."),
            "memberPartner": _("You rate {name} as a partner."),
        }

    # ------------------------------------------------------------------ views

    def student_view(self, context=None):  # pylint: disable=unused-argument
        """
        The questionnaire, the learner's results and, for tutors, the cohort report. An anonymous visitor
        sees the statements and a sign-in message, no form and no stored answers (they cannot submit).
        """
        _ = self._
        self._migrate_state()
        prefix = self._dom_id()
        anonymous = permissions.is_anonymous(self)
        is_tutor = not anonymous and permissions.is_tutor(self)
        retake_allowed = not anonymous and (self.allow_retake or not self.attempts)
        themes = [
            {
                "id": theme["id"],
                "title": theme["title"],
                "statements": [
                    {
                        "id": statement["id"],
                        "text": statement["text"],
                        "options": [
                            {"value": point["value"], "label": point["label"],
                             "checked": not anonymous and self.answers.get(statement["id"]) == point["value"]}
                            for point in self.instrument["scale"]
                        ] + [{"value": core.DONT_KNOW, "label": _("Don't know / not applicable"),
                              "checked": self.answers.get(statement["id"]) == core.DONT_KNOW, "dont_know": True}],
                    }
                    for statement in theme["statements"]
                ],
            }
            for theme in self.instrument["themes"]
        ]
        intro = {
            "partnership": _("Rate how far each statement is true of your partnership today."),
            "individual": _("Rate your own confidence in each area; your results point to the course modules that will help most."),
            "satisfaction": _("Rate each element of the programme you have taken part in. "
                              "You may add a comment on each; your answers are reported only in summary."),
        }.get(self.kind, "")
        placement_targets = [
            {"id": item["target"], "label": item["target_label"],
             "options": [{"id": stage["id"], "label": stage["label"],
                          "selected": self.placements.get(item["target"]) == stage["id"]}
                         for stage in self.instrument.get("stages") or []]}
            for item in self._placed(self.placements)
        ]

        html = loader.render_django_template("templates/student_view.html", {
            "prefix": prefix,
            "display_name": self.display_name,
            "intro": intro,
            "themes": themes,
            "scale": self.instrument["scale"],
            "stages": self.instrument.get("stages") or [],
            "placement_targets": placement_targets,
            "comments": self.kind == "satisfaction",
            "comment_limit": COMMENT_LIMIT,
            "partnership_panel": self.kind == "partnership",
            "has_attempt": not anonymous and bool(self.attempt_history),
            "retake_allowed": retake_allowed,
            "anonymous": anonymous,
            "is_tutor": is_tutor,
            "csv_url": self.runtime.handler_url(self, "cohort_report_csv"),
            # Author text reaches the script as JSON escaped by Django's json_script, never raw.
            "data_id": prefix + "-data",
            "data": {
                "max": self.instrument["scale"][-1]["value"],
                # True also when staff reset the attempts of a one-answer questionnaire ("Answer again").
                "allowRetake": bool(retake_allowed),
                "result": {"attempt": 0} if anonymous else self._latest_result(),
                # Answers ticked but not yet submitted (autosaved), put back on the page by the script.
                "draft": None if anonymous else (self.form_drafts or {}).get("answers"),
                "signedIn": not anonymous,
                "strings": self._strings(),
            },
        }, i18n_service=i18n_service(self))
        return block_fragment(
            html, loader.load_unicode("static/needs_assessment.css"), loader.load_unicode("static/needs_assessment.js"),
            "LpNeedsAssessment", {"prefix": prefix},
        )

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

    def _editor_spec(self):
        def extra(definition, valid):
            return {"samples": editor.samples(definition) if valid else None}
        return {"schema": editor.schema(self._), "validate": core.validate, "error": core.InstrumentError,
                "parse_xml": parse_instrument_string, "to_xml": instrument_to_string, "extra": extra}

    @json_handler(methods=("POST",), authors_only=True)
    def validate_draft(self, data, suffix=""):  # pylint: disable=unused-argument
        """Check the editor's draft instrument (or its XML) with the OLX path's validator; nothing is saved."""
        return draft_reply(self, data, self._editor_spec())

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """The instrument for the mobile apps; no learner's answers."""
        return {
            "display_name": self.display_name,
            "kind": self.kind,
            "allow_retake": self.allow_retake,
            "instrument": self.instrument,
        }

    # ------------------------------------------------------------------ handlers

    def _membership(self):
        from ..data import api  # pylint: disable=import-outside-toplevel  # needs Django's app registry
        return api.membership(permissions.course_key(self), permissions.student_id(self))

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

    def _suppressed(self, count):
        """Satisfaction results are aggregate-only: a group smaller than the minimum shows no figures."""
        return self.kind == "satisfaction" and 0 < count < self.minimum_group

    def _cohort(self):
        from ..data import api  # pylint: disable=import-outside-toplevel
        summary = api.needs_assessment_cohort(permissions.block_key(self))
        themes = []
        for theme in self.instrument["themes"]:
            found = summary["themes"].get(theme["id"], {"respondents": 0, "total": 0.0, "bands": {}, "dont_know": 0})
            bands = {band["label"]: found["bands"].get(band["label"], 0) for band in theme["bands"]}
            entry = {
                "id": theme["id"],
                "title": theme["title"],
                "respondents": found["respondents"],
                "mean": core.round2(found["total"] / found["respondents"]) if found["respondents"] else None,
                "bands": bands,
                "dont_know": found["dont_know"],
                "suppressed": self._suppressed(found["respondents"]),
            }
            if entry["suppressed"]:
                entry.update(mean=None, bands={label: None for label in bands}, dont_know=None)
            themes.append(entry)
        return {"learners": summary["learners"], "minimum": self.minimum_group if self.kind == "satisfaction" else None,
                "themes": themes}

    @json_handler(methods=("GET", "POST"), tutors_only=True)
    def cohort_report(self, data, suffix=""):  # pylint: disable=unused-argument
        """
        Means, band counts and "don't know" counts per theme over each learner's latest attempt (tutors only),
        read from the running summary: the same few rows whatever the cohort's size.
        """
        return self._cohort()

    @tutors_only_handler
    def cohort_report_csv(self, request, suffix=""):  # pylint: disable=unused-argument
        """
        Streamed, formula-safe CSV. Diagnostics: one row per learner (latest attempt, theme scores and change
        since first). Satisfaction surveys: one row per delivery element, never a learner's name.
        """
        _ = self._
        if self.kind == "satisfaction":
            return self._csv_response(*self._satisfaction_table())
        from ..data import api  # pylint: disable=import-outside-toplevel
        theme_ids = [theme["id"] for theme in self.instrument["themes"]]
        header = [_("Learner"), _("Attempts"), _("Latest submitted (UTC)"), _("Overall"), _("Stage")]
        for theme in self.instrument["themes"]:
            header += [theme["title"], _("{theme}: change since first").format(theme=theme["title"])]
        header.append(_("Don't know answers"))

        def rows():
            for row in api.needs_assessment_latest(permissions.block_key(self)):
                line = [row["username"] or row["student_id"], row["attempt"],
                        row["submitted_at"].strftime("%Y-%m-%d %H:%M"), row["overall"], row["stage"]]
                for theme_id in theme_ids:
                    latest, first = row["scores"].get(theme_id), row["first_scores"].get(theme_id)
                    change = (None if latest is None or first is None or row["attempt"] == 1
                              else core.round2(latest - first))
                    line += [latest, change]
                line.append(row["dont_know"])
                yield line
        return self._csv_response(header, rows())

    def _satisfaction_table(self):
        _ = self._
        cohort = self._cohort()
        labels = [band["label"] for band in self.instrument["themes"][0]["bands"]]
        header = [_("Delivery element"), _("Respondents"), _("Mean"), _("Don't know answers")] + labels
        rows = []
        for theme in cohort["themes"]:
            if theme["suppressed"]:
                withheld = _("withheld (fewer than {n})").format(n=self.minimum_group)
                rows.append([theme["title"], withheld, withheld, withheld] + [withheld] * len(labels))
            else:
                rows.append([theme["title"], theme["respondents"], theme["mean"], theme["dont_know"]]
                            + [theme["bands"].get(label, 0) for label in labels])
        return header, rows

    def _csv_response(self, header, rows):
        response = Response(content_type="text/csv", charset="utf-8",
                            content_disposition=f'attachment; filename="needs-assessment-{self._dom_id()}.csv"')
        response.app_iter = csv_stream(header, rows)
        return response

    # ------------------------------------------------------------------ partnerships

    def _partnership_handler_allowed(self):
        _ = self._
        if self.kind != "partnership":
            raise HandlerError(404, _("Only a partnership health check has partnerships."))
        if permissions.is_anonymous(self):
            raise HandlerError(403, _("Sign in to use this."))

    @json_handler(methods=("POST",))
    def create_partnership(self, data, suffix=""):  # pylint: disable=unused-argument
        """The manager creates their partnership (once; later calls return it) and gets the code partners join with."""
        _ = self._
        self._partnership_handler_allowed()
        name = data.get("name")
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > PARTNERSHIP_NAME_LIMIT:
            raise HandlerError(400, _("name: give the partnership a name of at most {limit} characters.").format(
                limit=PARTNERSHIP_NAME_LIMIT), field="name")
        from ..data import api  # pylint: disable=import-outside-toplevel
        try:
            return api.create_partnership(course_key=permissions.course_key(self),
                                          student_id=permissions.student_id(self),
                                          username=permissions.username(self), name=name.strip(), now=_now())
        except api.PartnershipRefused as error:
            if error.reason == "other":
                raise HandlerError(409, _("You have joined another partnership as a partner, so you cannot create "
                                          "one.")) from error
            raise HandlerError(503, _("No partnership code could be issued; try again.")) from error

    @json_handler(methods=("POST",))
    def join_partnership(self, data, suffix=""):  # pylint: disable=unused-argument
        """A partner joins a partnership with its code (joining again is harmless; another partnership is refused)."""
        _ = self._
        self._partnership_handler_allowed()
        code = data.get("code")
        if not isinstance(code, str) or not code.strip() or len(code) > 32:
            raise HandlerError(400, _("code: type the code your partnership manager gave you."), field="code")
        from ..data import api  # pylint: disable=import-outside-toplevel
        try:
            return api.join_partnership(course_key=permissions.course_key(self), student_id=permissions.student_id(self),
                                        username=permissions.username(self), code=code, now=_now())
        except api.PartnershipRefused as error:
            if error.reason == "code":
                raise HandlerError(404, _("No partnership in this course has that code."), field="code") from error
            raise HandlerError(409, _("You already belong to another partnership in this course.")) from error

    @json_handler(methods=("GET", "POST"))
    def my_partnership(self, data, suffix=""):  # pylint: disable=unused-argument
        """The learner's partnership in this course (name, code, role) or ``{"partnership": null}``."""
        self._partnership_handler_allowed()
        return {"partnership": self._membership()}

    @json_handler(methods=("GET", "POST"))
    def partnership_report(self, data, suffix=""):  # pylint: disable=unused-argument
        """The manager's view of all raters combined (partners see only their own results)."""
        _ = self._
        self._partnership_handler_allowed()
        member = self._membership()
        if not member or member["role"] != raters.MANAGER:
            raise HandlerError(403, _("Only the partnership's manager sees the combined view."))
        from ..data import api  # pylint: disable=import-outside-toplevel
        ratings = api.partnership_ratings(permissions.block_key(self), member["id"])
        combined = raters.combine(self.instrument, ratings, self.minimum_group)
        stage_labels = {stage["id"]: stage["label"] for stage in self.instrument.get("stages") or []}
        targets = {item["target"]: item["target_label"] for item in self._placed({})}
        for item in combined["placements"]:
            item["target_label"] = targets.get(item["target"])
            item["manager_label"] = stage_labels.get(item["manager"])
            item["stage_labels"] = stage_labels
        return {"partnership": {"name": member["name"], "code": member["code"]}, **combined}

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

    # ------------------------------------------------------------------ reports

    def generate_report_data(self, user_state_iterator, limit_responses=None):
        """
        One row per learner for the LMS problem-response report: attempts, latest and first scores.
        Column labels are translated once per report; the stage (author text) is formula-safe. A satisfaction
        survey gives no rows: its results are aggregate-only (see the cohort report).
        """
        if self.kind == "satisfaction":
            return
        _ = self._
        attempts_label, submitted_label = _("Attempts"), _("Latest submitted")
        overall_label, stage_label = _("Latest overall"), _("Latest stage")
        theme_columns = [
            (theme["id"], _("Latest: {theme}").format(theme=theme["title"]),
             _("First: {theme}").format(theme=theme["title"]))
            for theme in self.instrument["themes"]
        ]
        count = 0
        for user_state in user_state_iterator:
            state = user_state.state or {}
            attempts = state.get("attempt_history")
            if not attempts and isinstance(state.get("attempts"), list):
                attempts = state["attempts"]  # saved before the history had its own field
            attempts = [attempt for attempt in attempts or [] if isinstance(attempt, dict)]
            if not attempts:
                continue
            if limit_responses is not None and count >= limit_responses:
                return
            first, latest = attempts[0], attempts[-1]
            latest_scores, first_scores = latest["scores"], first["scores"]
            row = {
                attempts_label: len(attempts),
                submitted_label: latest["submitted_at"],
                overall_label: latest["overall"],
                stage_label: safe_cell(latest.get("stage") or ""),
            }
            for theme_id, latest_label, first_label in theme_columns:
                row[latest_label] = latest_scores.get(theme_id)
                row[first_label] = first_scores.get(theme_id)
            count += 1
            yield user_state.username, row

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
