"""
The facilitation exercise's pages (a mixin of :class:`.block.FacilitationExerciseBlock`): the learner's page with
the strings its script shows, the Studio editor's draft check and the mobile apps' data. The block module keeps
the fields, the learner's state, OLX and the Studio save.
"""
from xblock.utils.resources import ResourceLoader

from ..common import permissions
from ..common.drafts import autosave_strings
from ..common.fragments import block_fragment
from ..common.http import json_handler
from ..common.i18n import i18n_service, plural_forms
from ..common.studio import draft_reply
from . import editor
from . import scenario as core
from .olx import parse_scenario_string, scenario_to_string

loader = ResourceLoader(__name__)


class FacilitationViews:
    """``student_view``, ``student_view_data`` and the Studio editor's ``validate_draft``."""

    def _strings(self):
        _ = self._
        return {
            "sceneHeading": _("Scene {number}: {title}"),
            "practice": _("Practice attempt: it does not count towards your result."),
            "justifyHelp": _("This is a key decision. Explain in 20 to 400 words why you chose this move and what you "
                             "weighed against it; your tutor marks your answer against these criteria:"),
            "justifyCriterion": _("{id}: {text}"),
            "justifyLabel": _("Why this move?"),
            "legend": _("What do you do?"),
            "choose": _("Make this move"),
            "pickOne": _("Choose one of the moves first."),
            "feedbackHeading": _("How it went"),
            "youChose": _("Your move: {text}"),
            "continueScene": _("Continue to the next scene"),
            "continueEnding": _("See how the meeting ends"),
            "sceneAnnounce": _("Scene {number}: {title}"),
            "endingHeading": _("Ending: {title}"),
            "endingAnnounce": _("Ending reached: {title}. {score}"),
            "score": _("You scored {points} out of {max} points."),
            "passed": _("Passed: the pass mark is {percent}% of the best path's points."),
            "notYet": _("Not passed: a pass needs {percent}% of the best path's points and an ending that shows a successful outcome."),
            "demonstrated": _("Principles you put into practice"),
            "missed": _("Principles to work on"),
            "noneDemonstrated": _("None on this path."),
            "noneMissed": _("None: you put every principle into practice."),
            "pathHeading": _("The path you took"),
            "pathItem": _("{title}: {text}"),
            "best": _("Your result: {points} out of {max} ({result}), from attempt {attempt}; attempts begun: {attempts}."),
            "bestNone": _("No attempt has reached an ending yet."),
            "bestPassed": _("passed"),
            "bestNotYet": _("not yet passed"),
            "restart": _("Start again"),
            "tryAgain": _("Try again"),
            "restarted": _("Started again from the first scene."),
            "stale": _("The exercise had moved on (perhaps in another tab); it now shows where you are."),
            "failed": _("That did not work: {error}"),
            "network": _("The server could not be reached; try again."),
            "what": _("What"),
            "where": _("Where"),
            "whom": _("Whom"),
            "when": _("When"),
            "cellLabel": _("{column}, action {row}"),
            "remove": _("Remove"),
            "removeLabel": _("Remove action {row}"),
            "planSaved": _("Action plan saved."),
            "problemTitle": _("There is a problem"),
            "autosave": autosave_strings(
                _, _("Your unsaved changes from {time} are back; save the action plan to keep them.")),
            "planSaving": _("Saving..."),
            "savePlan": _("Save action plan"),
            "rowAdded": _("Action {row} added."),
            "rowRemoved": _("Action removed; {count} left."),
            "reportHeading": _("Choice report"),
            "reportStarted": plural_forms(self, "{count} learner has begun", "{count} learners have begun"),
            "reportFinished": plural_forms(self, "{count} has reached an ending", "{count} have reached an ending"),
            "reportPassed": plural_forms(self, "{count} has passed.", "{count} have passed."),
            "reportChoice": _("Move"),
            "reportPoints": _("Points"),
            "reportTakenBy": _("Learners"),
            "reportTimes": _("Times taken"),
            "reportEnding": _("Ending"),
            "reportAttempts": _("Attempts ending here"),
            "reportEndings": _("Endings reached"),
            "loading": _("Loading..."),
            "reportFailed": _("The choice report could not be loaded; try again."),
        }

    def student_view(self, context=None):  # pylint: disable=unused-argument
        """The current scene or ending, the action plan and, for tutors, the choice report."""
        prefix = self._dom_id()
        min_rows = self.scenario["min_rows"]
        html = loader.render_django_template("templates/student_view.html", {
            "prefix": prefix,
            "display_name": self.display_name,
            "principles": self.scenario.get("principles") or [],
            "min_rows": min_rows,
            "rule": self._rule(),
            "key_decisions": sum(1 for scene in self.scenario["scenes"] if scene.get("justify")),
            "is_tutor": permissions.is_tutor(self),
            # The learner's state (their own texts included) travels as a JSON script element that Django
            # escapes for HTML; the runtime writes initialisation arguments into the page unescaped.
            "state": {**self._state(), "plan_draft": (self.form_drafts or {}).get("plan")},  # + the autosaved plan
            "state_id": f"{prefix}-data",
        }, i18n_service=i18n_service(self))
        return block_fragment(
            html, loader.load_unicode("static/facilitation.css"), loader.load_unicode("static/facilitation.js"),
            "LpFacilitationExercise",
            {"prefix": prefix, "passRatio": self.scenario["pass_ratio"], "minRows": min_rows, "strings": self._strings()},
        )

    def _editor_spec(self):
        return {"schema": editor.schema(self._), "validate": core.validate, "error": core.ScenarioError,
                "parse_xml": parse_scenario_string, "to_xml": scenario_to_string,
                "extra": lambda definition, valid: {"graph": editor.graph(definition)}}

    @json_handler(methods=("POST",), authors_only=True)
    def validate_draft(self, data, suffix=""):  # pylint: disable=unused-argument
        """Check the editor's draft scenario (or its XML) with the OLX path's validator; nothing is saved."""
        return draft_reply(self, data, self._editor_spec())

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """The scenario's structure for the mobile apps: no points, feedback or learner's data."""
        return {"display_name": self.display_name, "scenario": core.structure(self.scenario)}
