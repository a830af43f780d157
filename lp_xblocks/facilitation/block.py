"""
The facilitation-exercise XBlock (``lp_facilitation_exercise``): a thin shell over :mod:`.scenario`.

A participant plays a partnership-meeting scenario one scene at a time: each move brings feedback and the
next scene, until an ending shows the path taken, the points out of the best path's, pass or not yet, and
the principles of good partnership practice demonstrated and missed. They may try again at any time (the
best score counts) and keep an action plan (what / where / whom / when) for their own partnership.
"""
from datetime import datetime, timedelta, timezone

from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Float, Integer, List, Scope, String
from xblock.utils.resources import ResourceLoader

from ..common import permissions, records
from ..common.fields import AttemptCount
from ..common.csv_safe import safe_cell
from ..common.drafts import FormDraftsMixin
from ..common.fragments import block_fragment, dom_id, studio_fragment
from ..common.http import HandlerError, json_handler, parsed_field
from ..common.i18n import gettext_for, i18n_service, plural_forms
from ..common.olx import packaged_scenarios, read_settings, write_settings
from ..common.studio import draft_reply, render_editor
from ..common.text import is_blank
from . import action_plan as plans
from . import editor
from . import scenario as core
from .olx import parse_scenario, parse_scenario_string, scenario_to_string, write_scenario

loader = ResourceLoader(__name__)

EVENT_CHOICE = "lp.facilitation_exercise.choice"
EVENT_JUSTIFIED = "lp.facilitation_exercise.justified"
# A key decision's written justification: enough to give reasons, short enough to write in the exercise.
JUSTIFICATION_WORDS = (20, 400)
JUSTIFICATION_MAX_CHARS = 4000
EVENT_COMPLETED = "lp.facilitation_exercise.completed"

# A fresh block added in Studio starts with this small, valid scenario.
DEFAULT_SCENARIO = {
    "start": "opening",
    "pass_ratio": 0.6,
    "min_rows": 1,
    "principles": [
        {"id": "openness", "text": "Members feel able to talk honestly and freely"},
        {"id": "ownership", "text": "Members take ownership of actions"},
    ],
    "scenes": [
        {
            "id": "opening", "title": "An action with no owner",
            "narrative": "The meeting agrees that partners' good-practice examples should be gathered, but nobody "
                         "offers to do it.",
            "choices": [
                {"text": "Ask who is best placed to lead it and agree a date for it to come back to the group",
                 "feedback": "Naming an owner and a date turns agreement into an action that members own.",
                 "goto": "owned", "points": 2, "principles": ["openness", "ownership"]},
                {"text": "Say you will do it yourself to save time",
                 "feedback": "The task gets done, but partners learn that the manager picks up whatever they leave.",
                 "goto": "unowned", "points": 0, "principles": []},
            ],
        },
    ],
    "endings": [
        {"id": "owned", "title": "An owned action",
         "text": "The action goes into the table with a lead partner and a date."},
        {"id": "unowned", "title": "The manager's to-do list",
         "text": "The action is done, but the partnership did not take ownership of it."},
    ],
}

# The attributes the block reads and writes itself; every other settings field (the platform's
# visible_to_staff_only, group_access, due ...) goes through read_settings / write_settings.
OWN_ATTRIBUTES = ("display_name", "weight")

SCENARIO_FILES = ("contentious_meeting.xml", "reluctant_partner.xml", "one_voice.xml")


def _now():
    return datetime.now(timezone.utc)


def _weight(value):
    """A problem weight from Studio's form (text) or JSON (a number): a finite number from 0, else None."""
    if isinstance(value, bool):
        return None
    try:
        weight = float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        return None
    return weight if 0 <= weight < float("inf") else None


@XBlock.needs("i18n")
@XBlock.wants("user", "studio_user_permissions")
class FacilitationExerciseBlock(FormDraftsMixin, CompletableXBlockMixin, XBlock):
    """Branching partnership-meeting scenarios with feedback, a score, and an action plan."""

    display_name = String(
        display_name="Display name", help="The name learners see above the exercise.",
        default="Facilitation exercise", scope=Scope.settings,
    )
    weight = Float(
        display_name="Problem weight",
        help="How many points the exercise is worth in the course grade; the learner's best score is scaled to it.",
        default=1.0, values={"min": 0, "step": 0.1}, scope=Scope.settings,
    )
    scenario = Dict(
        display_name="Scenario",
        help="Principles, scenes (narrative and choices), endings and the action plan's minimum rows, as parsed from OLX.",
        default=DEFAULT_SCENARIO, scope=Scope.content,
    )
    play = Dict(
        display_name="Current play",
        help="Where the learner is in their current attempt and the choices they made in it.",
        default={}, scope=Scope.user_state,
    )
    # The instructor dashboard's "reset learner attempts" writes attempts = 0 here; attempts are numbered
    # from the plugin tables, so this counter only reports (and tolerates whatever the saved state holds).
    attempts = AttemptCount(
        display_name="Attempts", help="How many attempts the learner has begun (an attempt begins with its first choice).",
        default=0, scope=Scope.user_state,
    )
    history = List(
        display_name="Finished attempts",
        help="The learner's attempts that reached an ending: number, ending, points, maximum, passed, time.",
        default=[], scope=Scope.user_state,
    )
    best_points = Integer(
        display_name="Graded points",
        help="The points of the attempt that counts under the scenario's graded_attempt (None before it ends).",
        default=None, scope=Scope.user_state,
    )
    action_plan = List(
        display_name="Action plan", help="The learner's actions: rows of what, where, whom and when.",
        default=[], scope=Scope.user_state,
    )
    reflection = String(
        display_name="Reflection", help="The learner's optional note on what they will do differently.",
        default="", scope=Scope.user_state,
    )
    plan_saved_at = String(
        display_name="Action plan saved", help="When the learner last saved their action plan (ISO 8601, UTC).",
        default="", scope=Scope.user_state,
    )
    completion_sent = Boolean(
        display_name="Completion reported",
        help="Whether completion was reported (an ending reached and the action plan saved).",
        default=False, scope=Scope.user_state,
    )

    has_score = True
    has_custom_completion = True
    icon_class = "problem"
    editable_fields = ("display_name", "weight", "scenario")

    # ------------------------------------------------------------------ helpers

    @property
    def _(self):
        return gettext_for(self)

    def _dom_id(self):
        """A prefix for element ids, unique per block instance on a page."""
        return dom_id(self, "lpfx")

    def max_score(self):
        """The raw maximum: the points of the highest-scoring path (the platform scales it by ``weight``)."""
        return core.max_points(self.scenario)

    def _play(self):
        """The learner's current play, or a fresh one when there is none or the scenario changed under it."""
        if self.play and core.is_consistent(self.scenario, self.play):
            return self.play
        return core.new_play(self.scenario)

    def _best(self):
        """The attempt that counts (under the author's graded_attempt): its points, the maximum, passed."""
        maximum = core.max_points(self.scenario)
        graded = core.graded_attempt(self.history, core.graded_policy(self.scenario))
        return {
            "points": graded["points"] if graded else None,
            "max": maximum,
            "passed": bool(graded and graded["passed"]),
            "attempt": graded["attempt"] if graded else None,
        }

    def _attempt_number(self, play):
        """The number of the attempt ``play`` belongs to (the next one before its first choice)."""
        return play.get("attempt") or self.attempts + 1

    def _ordinal(self, play):
        """
        Which attempt ``play`` is since the last reset by staff (1 for the first): the resettable
        ``attempts`` counter, so that an instructor's "reset attempts" gives the learner a graded attempt
        again, whatever number the attempt has in the tables.
        """
        return self.attempts if play.get("attempt") else self.attempts + 1

    def _order(self, play):
        """The shuffled display order of the current scene's choices for this learner and attempt."""
        scene = core.scenes_by_id(self.scenario)[play["at"]]
        seed = core.shuffle_seed(permissions.block_key(self), permissions.student_id(self), self._attempt_number(play))
        return core.display_order(seed, scene["id"], len(scene["choices"]))

    def _justifies(self, scene, play):
        """Whether this scene, in this attempt, asks for a written justification (a key decision, not practice)."""
        policy = core.graded_policy(self.scenario)
        return bool(scene.get("justify")) and not core.is_practice(policy, self._ordinal(play))

    @staticmethod
    def _criteria_texts(ids):
        """The catalogue's text of the criteria a key decision is marked against (learners see what is asked)."""
        if not ids:
            return {}
        from accreditation_export.catalogue import marking_guidance  # pylint: disable=import-outside-toplevel
        return {ident: item["text"] for ident, item in marking_guidance(ids).items()}

    def _rule(self):
        policy = core.graded_policy(self.scenario)
        return {"pass_ratio": self.scenario["pass_ratio"], "percent": round(self.scenario["pass_ratio"] * 100),
                "graded_attempt": policy}

    def _state(self):
        """What the learner's page shows: the current scene or ending, the path, best score and plan."""
        play = self._play()
        at_end = core.at_ending(self.scenario, play)
        scene = None
        if not at_end:
            raw = core.scenes_by_id(self.scenario)[play["at"]]
            scene = core.scene_view(raw, self._order(play), self._criteria_texts(raw.get("justify") or []))
            if not self._justifies(raw, play):
                scene.pop("justify", None)
        attempt = self._attempt_number(play)
        return {
            "scene": scene,
            "rule": self._rule(),
            "attempt": attempt,
            "practice": core.is_practice(core.graded_policy(self.scenario), self._ordinal(play)),
            "ending": core.ending_view(self.scenario, play["at"], play["path"]) if at_end else None,
            "path": core.path_view(self.scenario, play["path"]),
            "best": self._best(),
            "attempts": self.attempts,
            "action_plan": [dict(row) for row in self.action_plan],
            "reflection": self.reflection,
            "plan_saved_at": self.plan_saved_at or None,
            "complete": self.completion_sent,
        }

    def _report_completion(self):
        """Completion once an ending has been reached and the action plan saved."""
        if not self.completion_sent and self.history and self.plan_saved_at:
            self.emit_completion(1.0)
            self.completion_sent = True

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
            "autosave": {
                "savedAt": _("Draft saved at {time}"), "saving": _("Saving your draft\u2026"),
                "notSaved": _("Draft not saved yet: {error}"), "offline": _("the server could not be reached"),
                "restored": _("Your unsaved changes from {time} are back; save the action plan to keep them."),
            },
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

    # ------------------------------------------------------------------ views

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

    def studio_view(self, context=None):  # pylint: disable=unused-argument
        """The form editor (scenes, choices, endings, principles, pass mark), the XML tab, the scenario map."""
        _ = self._
        prefix = self._dom_id() + "-studio"
        html = render_editor(
            self, loader, prefix=prefix, editor="facilitation", block_class="lp-fx",
            settings=[
                {"name": "display_name", "type": "text", "label": _("Display name"), "value": self.display_name,
                 "required": True},
                {"name": "weight", "type": "number", "label": _("Problem weight"), "value": f"{self.weight:g}",
                 "help": _("How many points the exercise is worth in the course grade; the learner's best score "
                           "is scaled to it.")},
            ],
            xml_field="scenario_xml",
            xml_label=_("Scenario (principles, scenes with choices, endings, action plan) as XML"),
            xml_help=_("Every choice's goto names a scene or an ending; every scene must be reachable from start, "
                       "with no loops; the maximum score is the best path's points."),
            xml=scenario_to_string(self.scenario), schema=editor.schema(_), draft=self.scenario,
            preview_heading=_("Scenario map and play-through"))
        return studio_fragment(html, loader.load_unicode("static/facilitation.css"), prefix, _("Saved."))

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

    # ------------------------------------------------------------------ handlers

    @json_handler(methods=("GET", "POST"))
    def state(self, data, suffix=""):  # pylint: disable=unused-argument
        """The learner's current scene or ending, path, best score, attempts and action plan."""
        return self._state()

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def choose(self, data, suffix=""):  # pylint: disable=unused-argument
        """Take a choice of the current scene: answers its feedback and the next scene or the ending."""
        _ = self._
        scene_id, index = data.get("scene"), data.get("choice")
        if not isinstance(scene_id, str) or not scene_id:
            raise HandlerError(400, _("'scene' must be the id of your current scene."), field="scene")
        if not isinstance(index, int) or isinstance(index, bool):
            raise HandlerError(400, _("'choice' must be the number of a choice (0 for the first)."), field="choice")
        scenario = self.scenario
        play = self._play()
        try:
            new, choice = core.choose(scenario, play, scene_id, index)
        except core.NotCurrent as error:
            raise HandlerError(409, error.translated(_), current=play["at"]) from error
        except core.NoSuchChoice as error:
            raise HandlerError(400, error.translated(_), field="choice") from error
        practice = core.is_practice(core.graded_policy(scenario), self._ordinal(play))
        justification = self._justification(data, core.scenes_by_id(scenario)[scene_id], play, choice)
        chosen_at = _now()
        ending = None
        if core.at_ending(scenario, new):
            ending = {"id": new["at"], **core.outcome(scenario, new["path"])}
            ending["counts"] = ending["passed"] and not practice
            ending["practice"] = practice

        if records.shared_records_allowed(self):
            from ..data import api  # pylint: disable=import-outside-toplevel  # needs Django's app registry
            try:
                # A new attempt is numbered by the table, not from the saved (resettable) counter.
                new["attempt"] = api.record_facilitation_choice(
                    block_key=permissions.block_key(self), course_key=permissions.course_key(self),
                    student_id=permissions.student_id(self), username=permissions.username(self),
                    attempt=play["attempt"] or None, scene_id=scene_id, choice_index=index, chosen_at=chosen_at,
                    ending=ending, practice=practice, justification=justification,
                )
            except api.DuplicateChoice as error:
                if error.closed:
                    # The saved play points at an attempt that is over (another tab, a reset): start afresh
                    # rather than refuse every move from here on.
                    self.play = core.new_play(scenario)
                    raise HandlerError(409, _("That attempt had already ended (perhaps in another tab); the "
                                              "exercise starts again from the first scene."),
                                       current=self.play["at"]) from error
                raise HandlerError(409, _("This move was already made; reload the page."), current=play["at"]) from error
        else:
            # Studio preview: the author's own preview state only.
            new["attempt"] = play["attempt"] or self.attempts + 1

        self.play = new
        if not play["attempt"]:
            self.attempts = self.attempts + 1  # attempts begun (since the last reset by staff)
        self.runtime.publish(self, EVENT_CHOICE, {
            "attempt": new["attempt"], "scene": scene_id, "choice": index,
            "choice_id": core.choice_id(choice, index), "points": choice["points"], "goto": choice["goto"],
            "practice": practice,
        })
        if justification is not None:
            self.runtime.publish(self, EVENT_JUSTIFIED, {
                "attempt": new["attempt"], "scene": scene_id, "criteria": justification["criteria"],
                "words": justification["word_count"],
            })
        if ending is not None:
            self._finish(new, ending, chosen_at)
        return {
            "feedback": {"scene": scene_id, "choice": index, "text": choice["text"], "feedback": choice["feedback"]},
            **self._state(),
        }

    def _justification(self, data, scene, play, choice):
        """
        The written justification a key decision needs (None elsewhere and in practice attempts): plain
        text of 20 to 400 words, stored with the scene, the move and the criteria it is marked against.
        """
        if not self._justifies(scene, play):
            return None
        _ = self._
        text = data.get("justification")
        if not isinstance(text, str) or not text.strip():
            raise HandlerError(400, _("justification: this is a key decision; explain why you chose this move."),
                               field="justification")
        text = text.strip()
        words = len(text.split())
        low, high = JUSTIFICATION_WORDS
        if len(text) > JUSTIFICATION_MAX_CHARS or not low <= words <= high:
            raise HandlerError(400, _("justification: write between {low} and {high} words (you wrote {count}).").format(
                low=low, high=high, count=words), field="justification")
        title = f"{self.display_name}: {scene['title']}"
        body = "\n\n".join([
            _("Scene: {title}").format(title=scene["title"]), scene["narrative"],
            _("Move chosen: {text}").format(text=choice["text"]), _("Justification:"), text,
        ])
        return {"criteria": list(scene["justify"]), "title": title, "body": body, "word_count": words,
                "unit": scene["justify"][0].split("-", 1)[0]}

    def _finish(self, play, ending, finished_at):
        """Record an attempt that reached an ending: history, the graded attempt and grade, events, completion."""
        policy = core.graded_policy(self.scenario)
        before = core.graded_attempt(self.history, policy)
        self.history = self.history + [{
            "attempt": play["attempt"], "ending": ending["id"], "points": ending["points"], "max": ending["max"],
            "passed": ending["passed"], "practice": ending["practice"],
            "completed_at": finished_at.isoformat(),
        }]
        graded = core.graded_attempt(self.history, policy)
        if graded is not None and graded is not before and (before is None or graded["attempt"] != before["attempt"]):
            self.best_points = graded["points"]
            self.runtime.publish(self, "grade", {"value": graded["points"], "max_value": ending["max"]})
        self.runtime.publish(self, EVENT_COMPLETED, {
            "attempt": play["attempt"], "ending": ending["id"], "points": ending["points"], "max": ending["max"],
            "passed": ending["passed"], "best": self.best_points, "practice": ending["practice"],
            "path": [[step["scene"], step["choice"]] for step in play["path"]],
            "principles_demonstrated": [p["id"] for p in ending["demonstrated"]],
        })
        self._report_completion()

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def restart(self, data, suffix=""):  # pylint: disable=unused-argument
        """
        Go back to the first scene; the graded attempt and the action plan are kept. When only the first
        attempt counts, it must reach an ending first (restarting it would turn the assessment into practice).
        """
        play = self._play()
        if (core.graded_policy(self.scenario) == "first" and play.get("attempt") and self._ordinal(play) == 1
                and not core.at_ending(self.scenario, play)):
            raise HandlerError(409, self._("Your assessed attempt counts: finish it before you practise."))
        self.play = core.new_play(self.scenario)
        return self._state()

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def save_action_plan(self, data, suffix=""):  # pylint: disable=unused-argument
        """Replace the learner's action plan and reflection; 400 naming the row and field at fault."""
        _ = self._
        # A "when" is in the past only when that day has ended everywhere on Earth (UTC-12).
        earliest_today = (_now() - timedelta(hours=12)).date()
        try:
            plan = plans.clean(data.get("rows"), data.get("reflection"), self.scenario["min_rows"], earliest_today)
        except plans.PlanErrors as error:
            # Every problem at once; "row" and "field" are the first one's (as before), "errors" lists them all.
            raise HandlerError(400, error.translated(_), row=error.row, field=error.field,
                               errors=error.details(_)) from error
        saved_at = _now()
        if records.shared_records_allowed(self):  # never from Studio preview (the author's own state only)
            from ..data.api import learner_record  # pylint: disable=import-outside-toplevel  # needs the app registry
            learner_record.save_action_plan(
                block_key=permissions.block_key(self), course_key=permissions.course_key(self),
                student_id=permissions.student_id(self), username=permissions.username(self),
                rows=plan.rows, reflection=plan.reflection, saved_at=saved_at,
            )
        self.action_plan = plan.rows
        self.reflection = plan.reflection
        self.plan_saved_at = saved_at.isoformat()
        self.drop_form_draft("plan")
        self._report_completion()
        return self._state()

    @json_handler(methods=("GET", "POST"), tutors_only=True)
    def choice_report(self, data, suffix=""):  # pylint: disable=unused-argument
        """Per scene, how many learners took each choice; how many reached each ending (tutors only)."""
        from ..data import api  # pylint: disable=import-outside-toplevel
        counts = api.facilitation_choice_report(permissions.block_key(self))
        return core.choice_report(self.scenario, counts["choices"], counts["endings"], counts["learners"])

    @json_handler(methods=("POST",), authors_only=True)
    def studio_submit(self, data, suffix=""):  # pylint: disable=unused-argument
        """Save Studio edits; nothing is saved unless everything is valid."""
        _ = self._
        display_name = data.get("display_name", self.display_name)
        weight = _weight(data.get("weight", self.weight))
        if not isinstance(display_name, str) or is_blank(display_name):
            raise HandlerError(400, _("display_name: a name is required."), field="display_name")
        if weight is None:
            raise HandlerError(400, _("weight: must be a number from 0."), field="weight")
        new_scenario = parsed_field(data, "scenario_xml", parse_scenario_string, core.ScenarioError, _, self.scenario)
        self.display_name = display_name.strip()
        self.weight = weight
        self.scenario = new_scenario
        return {"result": "success", "warnings": [item.translated(_) for item in core.warnings(new_scenario)]}

    # ------------------------------------------------------------------ OLX

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Read the block from OLX; an invalid scenario raises an error naming the scene or choice."""
        block = runtime.construct_xblock_from_class(cls, keys)
        for name in ("display_name", "weight"):
            if node.get(name) is not None:
                setattr(block, name, block.fields[name].from_string(node.get(name)))
        block.scenario = parse_scenario(node)
        read_settings(block, node, OWN_ATTRIBUTES)
        return block

    def add_xml_to_node(self, node):
        """Write the block as OLX: attributes for the settings, child elements for the scenario."""
        node.tag = self.xml_element_name()
        node.set("display_name", self.display_name)
        node.set("weight", repr(float(self.weight)))
        write_settings(self, node, OWN_ATTRIBUTES)
        write_scenario(self.scenario, node)

    # ------------------------------------------------------------------ reports

    def generate_report_data(self, user_state_iterator, limit_responses=None):
        """
        One row per learner for the LMS problem-response report: attempts, best points, passed, the ending of
        the best attempt, the action plan and reflection (formula-safe text).
        """
        _ = self._
        titles = {ending["id"]: ending["title"] for ending in self.scenario["endings"]}
        maximum = core.max_points(self.scenario)
        count = 0
        for user_state in user_state_iterator:
            state = user_state.state or {}
            history, rows = state.get("history") or [], state.get("action_plan") or []
            # A reset by staff sets attempts to 0 (or anything): the history still counts.
            begun = self.fields["attempts"].from_json(state.get("attempts"))
            if not (begun or history or rows):
                continue
            if limit_responses is not None and count >= limit_responses:
                return
            graded = core.graded_attempt(history, core.graded_policy(self.scenario))
            ending = titles.get(graded["ending"], graded["ending"]) if graded else ""
            count += 1
            yield user_state.username, {
                _("Attempts"): begun,
                _("Graded attempt"): graded["attempt"] if graded else "",
                _("Graded points"): graded["points"] if graded else None,
                _("Maximum points"): maximum,
                _("Passed"): bool(graded and graded.get("passed")),
                _("Ending reached (graded attempt)"): safe_cell(ending),
                _("Action plan"): safe_cell(plans.as_text(rows)),
                _("Reflection"): safe_cell(state.get("reflection") or ""),
            }

    def clear_student_state(self, user_id, course_id, item_id, requesting_user_id):  # pylint: disable=unused-argument
        """
        The instructor's "delete learner state": the platform deletes the learner's saved state (and, as for
        any block with this method, leaves the grade to it); their attempts and choices leave the choice
        report (kept, archived, for audit) and their next move starts a new attempt.
        """
        from ..data import api  # pylint: disable=import-outside-toplevel
        api.archive_facilitation_learner(str(item_id), str(user_id))

    # ------------------------------------------------------------------ workbench

    @staticmethod
    def workbench_scenarios():
        """The three scenarios written from the programme's source documents."""
        return packaged_scenarios(__package__, SCENARIO_FILES)
