"""
The facilitation-exercise XBlock (``lp_facilitation_exercise``): a thin shell over :mod:`.scenario`.

A participant plays a partnership-meeting scenario one scene at a time: each move brings feedback and the
next scene, until an ending shows the path taken, the points out of the best path's, pass or not yet, and
the principles of good partnership practice demonstrated and missed. They may try again at any time (the
best score counts) and keep an action plan (what / where / whom / when) for their own partnership.

The class keeps the fields, the learner's state, the Studio editor and OLX; its pages are in :mod:`.views`, playing
(moves, endings, restart, action plan) in :mod:`.play` and the reports in :mod:`.reports`, each a mixin.
"""
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Float, Integer, List, Scope, String
from xblock.utils.resources import ResourceLoader

from ..common import permissions
from ..common.fields import AttemptCount
from ..common.drafts import FormDraftsMixin
from ..common.fragments import dom_id, studio_fragment
from ..common.http import HandlerError, json_handler, parsed_field
from ..common.i18n import gettext_for
from ..common.olx import packaged_scenarios, read_settings, write_settings
from ..common.studio import render_editor
from ..common.text import is_blank
from . import editor
from . import scenario as core
from .olx import parse_scenario, parse_scenario_string, scenario_to_string, write_scenario
from .play import PlayHandlers
from .reports import FacilitationReports
from .views import FacilitationViews

loader = ResourceLoader(__name__)

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
class FacilitationExerciseBlock(FacilitationViews, PlayHandlers, FacilitationReports, FormDraftsMixin,
                                CompletableXBlockMixin, XBlock):
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
        from lp_programme.catalogue import marking_guidance  # pylint: disable=import-outside-toplevel
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

    # ------------------------------------------------------------------ views

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

    # ------------------------------------------------------------------ handlers (play: .play, reports: .reports)

    @json_handler(methods=("GET", "POST"))
    def state(self, data, suffix=""):  # pylint: disable=unused-argument
        """The learner's current scene or ending, path, best score, attempts and action plan."""
        return self._state()

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

    # ------------------------------------------------------------------ learner state

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
