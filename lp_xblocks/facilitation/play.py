"""
Playing the exercise (a mixin of :class:`.block.FacilitationExerciseBlock`): a move in the current scene (with a
key decision's written justification), an attempt reaching its ending (history, the graded attempt, grade and
events), starting again, and the learner's action plan. The rules are :mod:`.scenario` and :mod:`.action_plan`;
cross-learner rows go through ``lp_xblocks.data.api``.
"""
from datetime import datetime, timedelta, timezone

from ..common import permissions, records
from ..common.http import HandlerError, json_handler
from . import action_plan as plans
from . import scenario as core

EVENT_CHOICE = "lp.facilitation_exercise.choice"
EVENT_JUSTIFIED = "lp.facilitation_exercise.justified"
# A key decision's written justification: enough to give reasons, short enough to write in the exercise.
JUSTIFICATION_WORDS = (20, 400)
JUSTIFICATION_MAX_CHARS = 4000
EVENT_COMPLETED = "lp.facilitation_exercise.completed"


def _now():
    return datetime.now(timezone.utc)


class PlayHandlers:
    """``choose``, ``restart`` and ``save_action_plan``."""

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
