"""
Multi-rater partnerships (a mixin of :class:`.block.NeedsAssessmentBlock`, health check only): the manager creates
the partnership and its code, partners join with it, and the manager sees every rater's view combined
(:mod:`.raters`; records in the plugin app through ``lp_xblocks.data.api``).
"""
from datetime import datetime, timezone

from ..common import permissions
from ..common.http import HandlerError, json_handler
from . import raters

PARTNERSHIP_NAME_LIMIT = 200


def _now():
    return datetime.now(timezone.utc)


class PartnershipHandlers:
    """``create_partnership``, ``join_partnership``, ``my_partnership`` and ``partnership_report``."""

    def _membership(self):
        from ..data import api  # pylint: disable=import-outside-toplevel  # needs Django's app registry
        return api.membership(permissions.course_key(self), permissions.student_id(self))

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
