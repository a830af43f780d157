"""
The mentoring-scheme XBlock (``lp_mentoring``): a thin shell over :mod:`.pairing`, :mod:`.agreement` and
:mod:`.sessions`, with its records in the plugin tables (``lp_xblocks/data/api/mentoring.py``).

- The coordinator (course staff) pairs mentees with mentors, one at a time or from a CSV file, and sees
  every pair with counts (agreement state, sessions logged and confirmed), never a session's content.
- A mentee and their mentor write and both sign a mentoring agreement; the mentee logs sessions, the
  mentor confirms each one or comments on it; the mentee writes a closing review.
- A mentor sees the mentor briefing and only their own mentees.
"""
from datetime import datetime, timedelta, timezone

from webob import Response
from xblock.core import XBlock
from xblock.fields import Scope, String
from xblock.utils.resources import ResourceLoader

from .. import compat
from ..common import permissions, records
from ..common.csv_safe import csv_text
from ..common.drafts import FormDraftsMixin
from ..common.fragments import block_fragment, dom_id
from ..common.http import HandlerError, guarded_handler, json_handler
from ..common.i18n import gettext_for, i18n_service
from ..common.olx import read_settings, write_settings
from ..common.text import is_blank
from . import agreement as agreements
from . import pairing
from . import sessions as session_rules
from .olx import MAX_BRIEFING, parse_briefing, write_briefing
from .problems import Problems
from .strings import page_strings

loader = ResourceLoader(__name__)

OWN_ATTRIBUTES = ("display_name",)
EVENT_PREFIX = "lp.mentoring."


def _now():
    return datetime.now(timezone.utc)


def _today():
    """Today where it is earliest on Earth (UTC+14): a date no participant has reached yet is in the future."""
    return (_now() + timedelta(hours=14)).date()


def _earliest_today():
    """Today where it is latest on Earth (UTC-12): a date before it has passed everywhere."""
    return (_now() - timedelta(hours=12)).date()


@XBlock.needs("i18n")
@XBlock.wants("user", "studio_user_permissions")
class MentoringBlock(FormDraftsMixin, XBlock):
    """A mentoring scheme: pairing, agreement, session log, mentor briefing and closing review."""

    display_name = String(
        display_name="Display name", help="The name participants see above the mentoring scheme.",
        default="Mentoring scheme", scope=Scope.settings,
    )
    briefing = String(
        display_name="Mentor briefing",
        help="What mentors read before they start (only mentors and staff see it); blank lines separate paragraphs.",
        default="", multiline_editor=True, scope=Scope.content,
    )
    editable_fields = ("display_name", "briefing")
    icon_class = "other"

    @property
    def _(self):
        return gettext_for(self)

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _api():
        from ..data.api import mentoring  # pylint: disable=import-outside-toplevel  # needs the app registry
        return mentoring

    def _keys(self):
        return permissions.block_key(self), permissions.course_key(self)

    def _may_share(self):
        """Cross-learner records are never written from Studio preview."""
        if not records.shared_records_allowed(self):
            raise HandlerError(403, self._("The mentoring scheme works in the course, not in Studio preview."),
                               reason="preview")

    def _problems(self, error: Problems, status=400):
        return HandlerError(status, error.translated(self._), field=error.field, errors=error.details(self._))

    def _not_found(self, field, message):
        return HandlerError(404, message, field=field)

    def _own_pair(self):
        """The current user's pair as mentee (their anonymous id remembered on it), or 404."""
        api = self._api()
        block_key, _course = self._keys()
        me = permissions.username(self)
        pair = api.pair_of_mentee(block_key, me)
        if pair is None:
            raise self._not_found("mentee", self._("You have no mentor in this scheme yet: the coordinator pairs you."))
        return pair

    def _mentee_of_mine(self, data):
        """The ``mentee`` a mentor names, when the current user is their mentor; 404 otherwise."""
        mentee = data.get("mentee")
        api = self._api()
        pair = api.pair_of_mentee(self._keys()[0], mentee) if isinstance(mentee, str) and len(mentee) <= 150 else None
        if not permissions.is_mentor_of(self, pair):
            raise self._not_found("mentee", self._("You are not the mentor of this participant."))
        return mentee

    def _state(self):
        """What the page shows this user: their pairing as mentee, their mentees as mentor, the coordinator's list."""
        api = self._api()
        block_key, _course = self._keys()
        me = permissions.username(self)
        state = {"username": me, "coordinator": permissions.is_coordinator(self), "mentee": None, "mentees": [],
                 "pairs": None, "briefing": None, "drafts": dict(self.form_drafts or {})}
        if permissions.is_anonymous(self):
            return dict(state, username=None, drafts={})
        own = api.pair_of_mentee(block_key, me)
        if own is not None:
            if records.shared_records_allowed(self) and not compat.is_masquerading(self):
                api.link_mentee(block_key=block_key, mentee=me, student_id=permissions.student_id(self))
            state["mentee"] = dict(own, sessions=api.sessions_of(block_key, me))
        state["mentees"] = [dict(pair, sessions=api.sessions_of(block_key, pair["mentee"], mentor=me))
                            for pair in api.mentees_of(block_key, me)]
        if state["coordinator"]:
            state["pairs"] = api.pairs_overview(block_key)
        if state["mentees"] or state["coordinator"]:
            state["briefing"] = self.briefing
        return state

    def _publish(self, name, data):
        self.runtime.publish(self, EVENT_PREFIX + name, data)

    # ------------------------------------------------------------------ views

    def student_view(self, context=None):  # pylint: disable=unused-argument
        """The page: what this user may see as mentee, mentor or coordinator."""
        prefix = dom_id(self, "lpmt")
        page = {"state": self._state(), "strings": page_strings(self._), "today": _earliest_today().isoformat()}
        html = loader.render_django_template("templates/student_view.html", {
            "prefix": prefix, "display_name": self.display_name, "page": page, "data_id": prefix + "-data",
            "signed_in": not permissions.is_anonymous(self),
        }, i18n_service=i18n_service(self))
        return block_fragment(html, loader.load_unicode("static/mentoring.css"),
                              loader.load_unicode("static/mentoring.js"), "LpMentoring", {"prefix": prefix})

    def studio_view(self, context=None):  # pylint: disable=unused-argument
        """The author's form: display name and the mentor briefing."""
        prefix = dom_id(self, "lpmt-edit")
        html = loader.render_django_template("templates/studio_view.html", {
            "prefix": prefix, "display_name": self.display_name, "briefing": self.briefing, "most": MAX_BRIEFING,
        }, i18n_service=i18n_service(self))
        return block_fragment(html, loader.load_unicode("static/mentoring.css"),
                              loader.load_unicode("static/mentoring_studio.js"), "LpMentoringStudio",
                              {"prefix": prefix})

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """For mobile apps and the Blocks API: the name only (everything else is per user and private)."""
        return {"display_name": self.display_name}

    # ------------------------------------------------------------------ handlers: everyone

    @json_handler(methods=("GET", "POST"), signed_in=True)
    def state(self, data, suffix=""):  # pylint: disable=unused-argument
        """The current user's view of the scheme (see :meth:`_state`)."""
        return self._state()

    # ------------------------------------------------------------------ handlers: coordinator

    @json_handler(methods=("POST",), tutors_only=True, writes=True)
    def pair(self, data, suffix=""):  # pylint: disable=unused-argument
        """Pair one mentee with a mentor: ``{"mentee", "mentor", "organisation"}``."""
        self._may_share()
        found, problems = pairing.clean_pair(data.get("mentee"), data.get("mentor"), data.get("organisation"))
        if found is None:
            raise self._problems(Problems(problems))
        return self._save_pairs([found])

    @json_handler(methods=("POST",), tutors_only=True, writes=True)
    def upload_pairs(self, data, suffix=""):  # pylint: disable=unused-argument
        """Pair everyone in a CSV file (``{"csv": text}``); nothing is stored unless every line is good."""
        self._may_share()
        try:
            found = pairing.parse_csv(data.get("csv"))
        except Problems as error:
            raise self._problems(error) from error
        return self._save_pairs(found)

    def _save_pairs(self, found):
        block_key, course_key = self._keys()
        counts = self._api().save_pairs(block_key=block_key, course_key=course_key, pairs=found,
                                        by=permissions.username(self), now=_now(),
                                        on_new_mentor=agreements.new_mentor)
        self._publish("paired", dict(counts))
        return dict(self._state(), saved=counts)

    @json_handler(methods=("POST",), tutors_only=True, writes=True)
    def unpair(self, data, suffix=""):  # pylint: disable=unused-argument
        """End a mentee's pairing (``{"mentee"}``); the record and its sessions are kept."""
        self._may_share()
        mentee = data.get("mentee")
        if not isinstance(mentee, str) or not self._api().end_pair(block_key=self._keys()[0], mentee=mentee):
            raise self._not_found("mentee", self._("This participant has no mentor to unpair."))
        return self._state()

    @guarded_handler(tutors_only=True)
    def pairs_csv(self, request, suffix=""):  # pylint: disable=unused-argument
        """The pairs with their counts as CSV (formula-safe): no session content."""
        _ = self._
        header = [_("Mentee"), _("Mentor"), _("Mentor organisation"), _("Paired at (UTC)"), _("Agreement"),
                  _("Sessions logged"), _("Sessions confirmed"), _("Closing review done")]
        rows = [[row["mentee"], row["mentor"], row["organisation"], row["paired_at"], row["agreement_status"],
                 row["sessions_logged"], row["sessions_confirmed"], row["reviewed"]]
                for row in self._api().pairs_overview(self._keys()[0])]
        return Response(body=csv_text(header, rows).encode("utf-8"), content_type="text/csv", charset="utf-8",
                        content_disposition='attachment; filename="mentoring-pairs.csv"')

    # ------------------------------------------------------------------ handlers: mentee and mentor

    def _agreement_party(self, data):
        """``(mentee username, role, mentor or None)`` for the caller: the mentee themself, or a named mentee's mentor."""
        if data.get("mentee") not in (None, permissions.username(self)):
            return self._mentee_of_mine(data), "mentor", permissions.username(self)
        return self._own_pair()["mentee"], "mentee", None

    def _change_agreement(self, data, change_for):
        """Apply ``change_for(role)`` (a function of the agreement) for the caller's party; 409 on a stale version."""
        self._may_share()
        mentee, role, mentor = self._agreement_party(data)
        try:
            result = self._api().change_agreement(block_key=self._keys()[0], mentee=mentee, mentor=mentor,
                                                  change=change_for(role), status=agreements.status,
                                                  now=_now())
        except Problems as error:
            raise self._problems(error, 409 if error.field == "version" else 400) from error
        return mentee, role, result

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def save_agreement(self, data, suffix=""):  # pylint: disable=unused-argument
        """Write or change the agreement's terms (mentee, or ``mentee`` named by their mentor) as a new version."""
        try:
            terms = agreements.clean_terms(data, _earliest_today())
        except Problems as error:
            raise self._problems(error) from error
        mentee, role, result = self._change_agreement(
            data, lambda role: lambda current: agreements.propose(current, terms, data.get("version")))
        self.drop_form_draft("agreement" if role == "mentee" else f"agreement:{mentee}"[:80])
        self._publish("agreement_proposed", {"mentee": mentee, "by": role, "version": result["version"]})
        return self._state()

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def sign_agreement(self, data, suffix=""):  # pylint: disable=unused-argument
        """Sign the version read (``{"version"}``, and ``mentee`` when the mentor signs)."""
        mentee, role, result = self._change_agreement(
            data, lambda role: lambda current: agreements.sign(current, role, data.get("version"), _now()))
        self._publish("agreement_signed", {"mentee": mentee, "by": role, "version": result["version"],
                                           "agreed": agreements.status(result) == "agreed"})
        return self._state()

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def log_session(self, data, suffix=""):  # pylint: disable=unused-argument
        """The mentee logs a session, or changes one (``session_id``) their mentor has not confirmed."""
        self._may_share()
        pair = self._own_pair()
        session_id = data.get("session_id")
        if session_id is not None and (isinstance(session_id, bool) or not isinstance(session_id, int)):
            raise HandlerError(400, self._("session_id: must be a session number."), field="session_id")
        try:
            session = session_rules.clean_session(data, _today())
            saved = self._api().log_session(
                block_key=self._keys()[0], mentee=pair["mentee"], student_id=permissions.student_id(self),
                session_id=session_id, session=session, create=session_rules.new, edit=session_rules.edit,
                now=_now(), most=session_rules.MAX_SESSIONS)
        except Problems as error:
            raise self._problems(error, 409 if error.field == "session_id" else 400) from error
        except self._api().NotFound as error:
            raise self._not_found("session_id", self._("There is no such session of yours.")) from error
        except self._api().Full as error:
            raise HandlerError(409, self._("You have logged {most} sessions, the most one pairing keeps.").format(
                most=session_rules.MAX_SESSIONS), field="session_id") from error
        self.drop_form_draft("session" if session_id is None else f"session:{session_id}")
        self._publish("session_logged", {"session": saved["session_id"], "version": saved["version"]})
        return self._state()

    def _mentor_act(self, data, act, event):
        self._may_share()
        mentee = self._mentee_of_mine(data)
        session_id = data.get("session_id")
        if isinstance(session_id, bool) or not isinstance(session_id, int):
            raise HandlerError(400, self._("session_id: must be a session number."), field="session_id")
        try:
            saved = self._api().mentor_act(block_key=self._keys()[0], mentee=mentee,
                                           mentor=permissions.username(self), session_id=session_id, act=act)
        except Problems as error:
            raise self._problems(error, 409) from error
        except self._api().NotFound as error:
            raise self._not_found("session_id", self._("Your mentee has no such session.")) from error
        self._publish(event, {"mentee": mentee, "session": saved["session_id"], "version": saved["version"]})
        return self._state()

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def confirm_session(self, data, suffix=""):  # pylint: disable=unused-argument
        """The mentor confirms the version they read: ``{"mentee", "session_id", "version"}``."""
        return self._mentor_act(data, lambda record: session_rules.confirm(record, data.get("version"), _now()),
                                "session_confirmed")

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def comment_session(self, data, suffix=""):  # pylint: disable=unused-argument
        """The mentor asks for a change: ``{"mentee", "session_id", "version", "comment"}``."""
        try:
            remark = session_rules.clean_comment(data)
        except Problems as error:
            raise self._problems(error) from error
        return self._mentor_act(data, lambda record: session_rules.comment(record, data.get("version"), remark),
                                "session_commented")

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def save_review(self, data, suffix=""):  # pylint: disable=unused-argument
        """The mentee's closing review: ``{"goals_met": yes/partly/no, "what_next", "continue": true/false}``."""
        self._may_share()
        pair = self._own_pair()
        try:
            review = session_rules.clean_review(data)
        except Problems as error:
            raise self._problems(error) from error
        self._api().save_review(block_key=self._keys()[0], mentee=pair["mentee"], review=review, now=_now())
        self.drop_form_draft("review")
        self._publish("review_saved", {"goals_met": review["goals_met"], "continue": review["continue"]})
        return self._state()

    # ------------------------------------------------------------------ Studio

    @json_handler(methods=("POST",), authors_only=True)
    def studio_submit(self, data, suffix=""):  # pylint: disable=unused-argument
        """Save the display name and the mentor briefing; nothing is saved unless both are valid."""
        _ = self._
        display_name = data.get("display_name", self.display_name)
        briefing = data.get("briefing", self.briefing)
        if not isinstance(display_name, str) or is_blank(display_name) or len(display_name) > 200:
            raise HandlerError(400, _("display_name: a name of at most 200 characters is required."),
                               field="display_name")
        if not isinstance(briefing, str) or len(briefing) > MAX_BRIEFING:
            raise HandlerError(400, _("briefing: must be text of at most {most} characters.").format(
                most=MAX_BRIEFING), field="briefing")
        self.display_name = display_name.strip()
        self.briefing = briefing.strip()
        return {"result": "success"}

    # ------------------------------------------------------------------ OLX

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Read the block from OLX (``display_name`` and the ``<briefing>``)."""
        block = runtime.construct_xblock_from_class(cls, keys)
        if node.get("display_name") is not None:
            block.display_name = node.get("display_name")
        block.briefing = parse_briefing(node)
        read_settings(block, node, OWN_ATTRIBUTES)
        return block

    def add_xml_to_node(self, node):
        """Write the block as OLX."""
        node.tag = self.xml_element_name()
        node.set("display_name", self.display_name)
        write_settings(self, node, OWN_ATTRIBUTES)
        write_briefing(node, self.briefing)

    @staticmethod
    def workbench_scenarios():
        """The scheme as the course places it."""
        from ..common.olx import packaged_scenarios  # pylint: disable=import-outside-toplevel
        return packaged_scenarios(__package__, ("mentoring_scheme.xml",))
