"""
The facilitation exercise's reports (a mixin of :class:`.block.FacilitationExerciseBlock`): the tutors' choice
report (grouped SQL through ``lp_xblocks.data.api``) and the LMS problem-response report (``generate_report_data``).
"""
from ..common import permissions
from ..common.csv_safe import safe_cell
from ..common.http import json_handler
from . import action_plan as plans
from . import scenario as core


class FacilitationReports:
    """``choice_report`` and ``generate_report_data``."""

    @json_handler(methods=("GET", "POST"), tutors_only=True)
    def choice_report(self, data, suffix=""):  # pylint: disable=unused-argument
        """Per scene, how many learners took each choice; how many reached each ending (tutors only)."""
        from ..data import api  # pylint: disable=import-outside-toplevel
        counts = api.facilitation_choice_report(permissions.block_key(self))
        return core.choice_report(self.scenario, counts["choices"], counts["endings"], counts["learners"])

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
