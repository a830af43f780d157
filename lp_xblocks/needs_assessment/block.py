"""
The needs-assessment XBlock (``lp_needs_assessment``): a thin shell over :mod:`.instrument`.

One questionnaire engine for three kinds of instrument: a partnership health check, an individual
learning-needs analysis and a satisfaction survey. Learners rate statements grouped by theme; the
block scores each theme, bands it, recommends next steps weakest theme first, places the
partnership on the stages of partnership working, and shows progress between attempts.
"""
from datetime import datetime, timezone

from webob import Response
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, Dict, List, Scope, String
from xblock.utils.resources import ResourceLoader

from ..common import permissions
from ..common.csv_safe import csv_text
from ..common.drafts import FormDraftsMixin
from ..common.fragments import block_fragment, dom_id, studio_fragment
from ..common.http import HandlerError, json_handler, parsed_field, tutors_only_handler
from ..common.i18n import gettext_for, i18n_service, plural_forms
from ..common.olx import packaged_scenarios
from . import instrument as core
from .olx import instrument_to_string, parse_instrument, parse_instrument_string, write_instrument

loader = ResourceLoader(__name__)

EVENT_SUBMITTED = "lp.needs_assessment.submitted"

# A fresh block added in Studio starts with this small, valid instrument.
DEFAULT_INSTRUMENT = {
    "scale": [
        {"value": 1, "label": "Not in place"}, {"value": 2, "label": "Starting"},
        {"value": 3, "label": "Partly in place"}, {"value": 4, "label": "Mostly in place"},
        {"value": 5, "label": "Fully in place"},
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
    attempts = List(
        display_name="Attempts",
        help="The learner's own attempts: number, time, overall score, stage and theme scores.",
        default=[], scope=Scope.user_state,
    )
    answers = Dict(
        display_name="Latest answers",
        help="The learner's answers in their latest attempt (statement id to scale value).",
        default={}, scope=Scope.user_state,
    )

    has_custom_completion = True
    editable_fields = ("display_name", "kind", "allow_retake", "instrument")

    # ------------------------------------------------------------------ helpers

    @property
    def _(self):
        return gettext_for(self)

    def _dom_id(self):
        """A prefix for element ids, unique per block instance on a page."""
        return dom_id(self, "lpna")

    def _first_scores(self):
        return self.attempts[0]["scores"] if self.attempts else None

    def _result(self, attempt):
        """The learner-facing result of one stored attempt (the shape ``submit`` answers with)."""
        scored = core.score(self.instrument, attempt["answers"])
        first = None if attempt["attempt"] == 1 else self._first_scores()
        return {
            "attempt": attempt["attempt"],
            "overall": scored["overall"],
            "stage": scored["stage"],
            "themes": core.change_since(first, scored["themes"]),
            "recommendations": scored["recommendations"],
        }

    def _history(self):
        return [
            {"attempt": a["attempt"], "submitted_at": a["submitted_at"], "overall": a["overall"]}
            for a in self.attempts
        ]

    def _latest_result(self):
        if not self.attempts:
            return {"attempt": 0}
        latest = {**self.attempts[-1], "answers": self.answers}
        try:
            result = self._result(latest)
        except (KeyError, TypeError, core.InstrumentError):
            # The instrument was edited after this attempt: report the stored figures only.
            result = {"attempt": latest["attempt"], "overall": latest["overall"], "stage": latest.get("stage"),
                      "themes": [], "recommendations": []}
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
        }

    # ------------------------------------------------------------------ views

    def student_view(self, context=None):  # pylint: disable=unused-argument
        """The questionnaire, the learner's results and, for tutors, the cohort report."""
        _ = self._
        prefix = self._dom_id()
        is_tutor = permissions.is_tutor(self)
        retake_allowed = self.allow_retake or not self.attempts
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
                             "checked": self.answers.get(statement["id"]) == point["value"]}
                            for point in self.instrument["scale"]
                        ],
                    }
                    for statement in theme["statements"]
                ],
            }
            for theme in self.instrument["themes"]
        ]
        intro = {
            "partnership": _("Rate how far each statement is true of your partnership today."),
            "individual": _("Rate your own confidence in each area; your results point to the course modules that will help most."),
            "satisfaction": _("Rate each element of the programme you have taken part in."),
        }.get(self.kind, "")
        html = loader.render_django_template("templates/student_view.html", {
            "prefix": prefix,
            "display_name": self.display_name,
            "intro": intro,
            "themes": themes,
            "scale": self.instrument["scale"],
            "has_attempt": bool(self.attempts),
            "retake_allowed": retake_allowed,
            "is_tutor": is_tutor,
            "csv_url": self.runtime.handler_url(self, "cohort_report_csv"),
            # Author text reaches the script as JSON escaped by Django's json_script, never raw.
            "data_id": prefix + "-data",
            "data": {
                "max": self.instrument["scale"][-1]["value"],
                "allowRetake": bool(self.allow_retake),
                "result": self._latest_result(),
                # Answers ticked but not yet submitted (autosaved), put back on the page by the script.
                "draft": None if permissions.is_anonymous(self) else (self.form_drafts or {}).get("answers"),
                "signedIn": not permissions.is_anonymous(self),
                "strings": self._strings(),
            },
        }, i18n_service=i18n_service(self))
        return block_fragment(
            html, loader.load_unicode("static/needs_assessment.css"), loader.load_unicode("static/needs_assessment.js"),
            "LpNeedsAssessment", {"prefix": prefix},
        )

    def studio_view(self, context=None):  # pylint: disable=unused-argument
        """Edit the display name, kind, retakes and the instrument XML (validated on save)."""
        prefix = self._dom_id() + "-studio"
        html = loader.render_django_template("templates/studio_view.html", {
            "prefix": prefix,
            "display_name": self.display_name,
            "kind": self.kind,
            "kinds": core.KINDS,
            "allow_retake": self.allow_retake,
            "instrument_xml": instrument_to_string(self.instrument),
        }, i18n_service=i18n_service(self))
        return studio_fragment(html, loader.load_unicode("static/needs_assessment.css"), prefix, self._("Saved."))

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """The instrument for the mobile apps; no learner's answers."""
        return {
            "display_name": self.display_name,
            "kind": self.kind,
            "allow_retake": self.allow_retake,
            "instrument": self.instrument,
        }

    # ------------------------------------------------------------------ handlers

    @json_handler(methods=("POST",))
    def submit(self, data, suffix=""):  # pylint: disable=unused-argument
        """Score a complete set of answers and store the attempt."""
        _ = self._
        answers = data.get("answers")
        if not isinstance(answers, dict):
            raise HandlerError(400, _("'answers' must be an object of statement id to scale value."),
                               missing=core.statement_ids(self.instrument), unknown=[], invalid=[])
        if self.attempts and not self.allow_retake:
            raise HandlerError(409, _("This questionnaire can be answered only once."))
        problems = core.check_answers(self.instrument, answers)
        if problems:
            raise HandlerError(
                400, _("Some answers are missing, unknown or not on the scale."),
                missing=problems.missing, unknown=problems.unknown, invalid=problems.invalid,
            )
        answers = {sid: answers[sid] for sid in core.statement_ids(self.instrument)}
        scored = core.score(self.instrument, answers)
        number = len(self.attempts) + 1
        submitted_at = _now()
        first_scores = self._first_scores() or {t["id"]: t["score"] for t in scored["themes"]}

        from ..data import api  # pylint: disable=import-outside-toplevel  # needs Django's app registry
        try:
            api.record_needs_assessment_attempt(
                block_key=permissions.block_key(self), course_key=permissions.course_key(self),
                student_id=permissions.student_id(self), username=permissions.username(self),
                attempt=number, submitted_at=submitted_at, overall=scored["overall"],
                stage=scored["stage"], answers=answers, themes=scored["themes"], first_scores=first_scores,
            )
        except api.DuplicateAttempt as error:
            raise HandlerError(409, _("This attempt was already submitted; reload the page.")) from error

        record = {
            "attempt": number,
            "submitted_at": submitted_at.isoformat(),
            "overall": scored["overall"],
            "stage": scored["stage"],
            "scores": {t["id"]: t["score"] for t in scored["themes"]},
        }
        self.attempts = self.attempts + [record]
        self.answers = answers
        self.drop_form_draft("answers")
        if number == 1:
            self.emit_completion(1.0)
        self.runtime.publish(self, EVENT_SUBMITTED, {
            "attempt": number, "kind": self.kind, "overall": scored["overall"], "stage": scored["stage"],
            "themes": record["scores"],
        })
        return {**self._result({**record, "answers": answers}), "history": self._history()}

    @json_handler(methods=("GET", "POST"))
    def results(self, data, suffix=""):  # pylint: disable=unused-argument
        """The learner's latest result with their attempt history, or ``{"attempt": 0}``."""
        return self._latest_result()

    @json_handler(methods=("GET", "POST"), tutors_only=True)
    def cohort_report(self, data, suffix=""):  # pylint: disable=unused-argument
        """Means and band counts per theme over each learner's latest attempt (tutors only)."""
        from ..data import api  # pylint: disable=import-outside-toplevel
        summary = api.needs_assessment_cohort(permissions.block_key(self))
        themes = []
        for theme in self.instrument["themes"]:
            found = summary["themes"].get(theme["id"], {"respondents": 0, "total": 0.0, "bands": {}})
            bands = {band["label"]: found["bands"].get(band["label"], 0) for band in theme["bands"]}
            themes.append({
                "id": theme["id"],
                "title": theme["title"],
                "respondents": found["respondents"],
                "mean": core.round2(found["total"] / found["respondents"]) if found["respondents"] else None,
                "bands": bands,
            })
        return {"learners": summary["learners"], "themes": themes}

    @tutors_only_handler
    def cohort_report_csv(self, request, suffix=""):  # pylint: disable=unused-argument
        """One row per learner (latest attempt, theme scores and change since first); formula-safe."""
        from ..data import api  # pylint: disable=import-outside-toplevel
        _ = self._
        theme_ids = [theme["id"] for theme in self.instrument["themes"]]
        header = [_("Learner"), _("Attempts"), _("Latest submitted (UTC)"), _("Overall"), _("Stage")]
        for theme in self.instrument["themes"]:
            header += [theme["title"], _("{theme}: change since first").format(theme=theme["title"])]
        rows = []
        for row in api.needs_assessment_latest(permissions.block_key(self)):
            line = [row["username"] or row["student_id"], row["attempt"],
                    row["submitted_at"].strftime("%Y-%m-%d %H:%M"), row["overall"], row["stage"]]
            for theme_id in theme_ids:
                latest, first = row["scores"].get(theme_id), row["first_scores"].get(theme_id)
                change = None if latest is None or first is None or row["attempt"] == 1 else core.round2(latest - first)
                line += [latest, change]
            rows.append(line)
        return Response(
            body=csv_text(header, rows).encode("utf-8"), content_type="text/csv", charset="utf-8",
            content_disposition=f'attachment; filename="needs-assessment-{self._dom_id()}.csv"',
        )

    @json_handler(methods=("POST",), authors_only=True)
    def studio_submit(self, data, suffix=""):  # pylint: disable=unused-argument
        """Save Studio edits; nothing is saved unless everything is valid."""
        _ = self._
        display_name = data.get("display_name", self.display_name)
        kind = data.get("kind", self.kind)
        allow_retake = data.get("allow_retake", self.allow_retake)
        if not isinstance(display_name, str) or not display_name.strip():
            raise HandlerError(400, _("display_name: a name is required."), field="display_name")
        if not isinstance(allow_retake, bool):
            raise HandlerError(400, _("allow_retake: must be true or false."), field="allow_retake")
        try:
            core.validate_kind(kind)
        except core.InstrumentError as error:
            raise HandlerError(400, error.translated(_), field="kind") from error
        new_instrument = parsed_field(
            data, "instrument_xml", parse_instrument_string, core.InstrumentError, _, self.instrument)
        self.display_name = display_name.strip()
        self.kind = kind
        self.allow_retake = allow_retake
        self.instrument = new_instrument
        return {"result": "success"}

    # ------------------------------------------------------------------ OLX

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Read the block from OLX; an invalid instrument raises an error naming the element."""
        block = runtime.construct_xblock_from_class(cls, keys)
        for name in ("display_name", "kind", "allow_retake"):
            if node.get(name) is not None:
                setattr(block, name, block.fields[name].from_string(node.get(name)))
        core.validate_kind(block.kind)
        block.instrument = parse_instrument(node)
        return block

    def add_xml_to_node(self, node):
        """Write the block as OLX: attributes for the settings, child elements for the instrument."""
        node.tag = self.xml_element_name()
        node.set("display_name", self.display_name)
        node.set("kind", self.kind)
        node.set("allow_retake", "true" if self.allow_retake else "false")
        write_instrument(self.instrument, node)

    # ------------------------------------------------------------------ reports

    def generate_report_data(self, user_state_iterator, limit_responses=None):
        """One row per learner for the LMS problem-response report: attempts, latest and first scores."""
        _ = self._
        count = 0
        for user_state in user_state_iterator:
            attempts = (user_state.state or {}).get("attempts") or []
            if not attempts:
                continue
            if limit_responses is not None and count >= limit_responses:
                return
            first, latest = attempts[0], attempts[-1]
            row = {
                _("Attempts"): len(attempts),
                _("Latest submitted"): latest["submitted_at"],
                _("Latest overall"): latest["overall"],
                _("Latest stage"): latest.get("stage") or "",
            }
            for theme in self.instrument["themes"]:
                row[_("Latest: {theme}").format(theme=theme["title"])] = latest["scores"].get(theme["id"])
                row[_("First: {theme}").format(theme=theme["title"])] = first["scores"].get(theme["id"])
            count += 1
            yield user_state.username, row

    # ------------------------------------------------------------------ workbench

    @staticmethod
    def workbench_scenarios():
        """The three instruments written from the programme's source documents."""
        return packaged_scenarios(__package__, SCENARIO_FILES)
