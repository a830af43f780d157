"""
The needs-assessment block's pages (a mixin of :class:`.block.NeedsAssessmentBlock`): the learner's questionnaire
with results and the tutors' cohort panel, the strings its script shows, the Studio editor's draft check and the
mobile apps' data. The block module keeps the fields, submission, OLX and Studio save.
"""
from xblock.utils.resources import ResourceLoader

from ..common import permissions
from ..common.fragments import block_fragment
from ..common.http import json_handler
from ..common.i18n import i18n_service, plural_forms
from ..common.studio import draft_reply
from . import editor
from . import instrument as core
from .olx import instrument_to_string, parse_instrument_string

loader = ResourceLoader(__name__)

COMMENT_LIMIT = 2000         # characters in one comment on a delivery element


class NeedsAssessmentViews:
    """``student_view``, ``student_view_data`` and the Studio editor's ``validate_draft``."""

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
