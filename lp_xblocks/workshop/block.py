"""
The workshop XBlock (``lp_workshop``): a thin shell over :mod:`.sessions` (places, waiting list, attendance)
and :mod:`.ics` (calendar entries).

Learners see the upcoming sessions with their times and zone, sign up (or join the waiting list), cancel
(the first learner waiting takes the place), download an ``.ics`` entry and are reminded of the pre-work.
Tutors see the facilitator notes and each session's register, record attended / absent / apologies and
export the register as CSV. Places and attendance live in the plugin tables (:mod:`lp_xblocks.data.api.workshop`).
"""
from datetime import datetime, timezone

from webob import Response
from xblock.core import XBlock
from xblock.fields import Dict, List, Scope, String
from xblock.utils.resources import ResourceLoader

from ..common import permissions, records
from ..common.csv_safe import csv_text
from ..common.fragments import block_fragment, dom_id, studio_fragment
from ..common.http import HandlerError, guarded_handler, json_handler, parsed_field
from ..common.i18n import gettext_for, i18n_service, plural_forms
from ..common.olx import read_settings, write_settings
from ..common.studio import draft_reply, render_editor
from ..common.text import is_blank
from . import editor, ics
from . import sessions as core
from .olx import parse_workshop, parse_workshop_string, workshop_to_string, write_workshop

loader = ResourceLoader(__name__)

EVENT_SIGNED_UP = "lp.workshop.signed_up"
EVENT_CANCELLED = "lp.workshop.cancelled"
EVENT_PROMOTED = "lp.workshop.promoted"
EVENT_ATTENDANCE = "lp.workshop.attendance"
OWN_ATTRIBUTES = ("display_name",)
MAX_MARKS = 500

DEFAULT_PLAN = {"objectives": ["Share how each partnership runs its meetings"],
                "activities": [{"minutes": 30, "title": "Introductions", "text": "Each participant describes one meeting."}],
                "materials": ["The partnership protocols handout"]}
DEFAULT_SESSIONS = [{
    "id": "session-1", "title": "Workshop session", "module": "", "start": "2030-01-15T10:00",
    "end": "2030-01-15T12:00", "timezone": "Europe/London", "place": "To be confirmed", "online": "",
    "capacity": 12, "prework": [], "posttask": [], "notes": "",
}]


def _now():
    return datetime.now(timezone.utc)


@XBlock.needs("i18n")
@XBlock.wants("user", "studio_user_permissions")
class WorkshopBlock(XBlock):
    """Workshop sessions with sign-up, a waiting list, calendar entries and a register of attendance."""

    display_name = String(display_name="Display name", help="The name learners see above the workshop.",
                          default="Workshop", scope=Scope.settings)
    plan = Dict(display_name="Session plan",
                help="The workshop's plan: objectives, timed activities and materials (the same for every session).",
                default=DEFAULT_PLAN, scope=Scope.content)
    sessions = List(display_name="Sessions",
                    help="Each session: id, title, module, start and end with an IANA time zone, place or online link, "
                         "capacity, pre-work and post-task links, and facilitator notes that only staff see.",
                    default=DEFAULT_SESSIONS, scope=Scope.content)

    icon_class = "other"
    editable_fields = ("display_name", "plan", "sessions")

    @property
    def _(self):
        return gettext_for(self)

    def _session(self, data):
        """The session a request names (``session``), or a 400/404 naming the field."""
        ident = data.get("session")
        if isinstance(ident, list) and len(ident) == 1:  # a GET's query value
            ident = ident[0]
        if not isinstance(ident, str) or not ident:
            raise HandlerError(400, self._("session: give the id of a session."), field="session")
        for session in self.sessions:
            if session["id"] == ident:
                return session
        raise HandlerError(404, self._("session: there is no session with this id."), field="session")

    def _when(self, session):
        """'Wed 20 Jan 2027, 10:00 to 13:00 GMT (Europe/London)': the session's time in its own zone."""
        start = datetime.strptime(session["start"], "%Y-%m-%dT%H:%M")
        end = datetime.strptime(session["end"], "%Y-%m-%dT%H:%M")
        days = start.date() != end.date()
        return self._("{day}, {start} to {end} {zone}").format(
            day=start.strftime("%a %d %b %Y"), start=start.strftime("%H:%M"),
            end=end.strftime("%d %b %Y %H:%M" if days else "%H:%M"), zone=core.zone_label(session))

    def _api(self):
        from ..data.api import workshop  # pylint: disable=import-outside-toplevel  # needs Django's app registry
        return workshop

    def _state(self):
        """What the page shows the caller: sessions (upcoming first) with places and the caller's own place."""
        now = _now()
        tutor = permissions.is_tutor(self)
        api = self._api()
        key = permissions.block_key(self)
        counts = api.counts(key)
        mine = {} if permissions.is_anonymous(self) else api.learner_places(key, permissions.student_id(self))
        listed = []
        for session in sorted(self.sessions, key=core.start_utc):
            if not tutor and core.end_utc(session) <= now and session["id"] not in mine:
                continue  # learners see upcoming sessions, and past ones they signed up for
            taken = counts.get(session["id"], {"booked": 0, "waiting": 0})
            item = {key_: session[key_] for key_ in ("id", "title", "module", "place", "online", "capacity",
                                                      "prework", "posttask", "timezone")}
            item.update({
                "when": self._when(session), "start_utc": core.start_utc(session).isoformat(),
                "open": core.is_open(session, now), "past": core.end_utc(session) <= now,
                "booked": taken["booked"], "waiting": taken["waiting"],
                "left": max(0, session["capacity"] - taken["booked"]),
                "mine": mine.get(session["id"], {"status": "", "position": None, "attendance": ""}),
            })
            if tutor:
                item["notes"] = session["notes"]
            listed.append(item)
        return {"sessions": listed, "tutor": tutor, "anonymous": permissions.is_anonymous(self)}

    def _strings(self):
        _ = self._
        return {
            "when": _("When"), "where": _("Where"), "online": _("Join online"), "module": _("Module"),
            "places": plural_forms(self, "{count} place left of {capacity}", "{count} places left of {capacity}"),
            "full": plural_forms(self, "Full: {count} learner waiting", "Full: {count} learners waiting"),
            "signUp": _("Sign up for {title}"), "join": _("Join the waiting list for {title}"),
            "cancel": _("Cancel my place in {title}"), "leave": _("Leave the waiting list for {title}"),
            "calendar": _("Add {title} to my calendar (.ics)"),
            "booked": _("You have a place."), "waitingAt": _("You are number {position} on the waiting list."),
            "cancelled": _("Your place was cancelled."), "closed": _("Sign-up has closed: the session has started."),
            "prework": _("Before the session (pre-work)"), "posttask": _("After the session"),
            "reminder": _("Reminder: complete the pre-work before {title}."),
            "signedUp": _("You have a place in {title}."), "queued": _("{title} is full: you are number {position} "
                                                                        "on the waiting list."),
            "gaveUp": _("You gave up your place in {title}."), "left": _("You left the waiting list for {title}."),
            "signIn": _("Sign in to sign up for a session."), "failed": _("That did not work: {error}"),
            "network": _("The server could not be reached; try again."),
            "notes": _("Facilitator notes (staff only)"),
            "register": _("Register for {title}"), "learner": _("Learner"), "place": _("Place"),
            "attendance": _("Attendance"), "attended": _("Attended"), "absent": _("Absent"),
            "apologies": _("Apologies"), "unmarked": _("Not recorded"), "saveRegister": _("Save the register"),
            "registerSaved": plural_forms(self, "Register saved: {count} learner recorded.",
                                          "Register saved: {count} learners recorded."),
            "csv": _("Download the register for {title} (CSV)"), "noSignUps": _("Nobody has signed up yet."),
            "statusBooked": _("Booked"), "statusWaiting": _("Waiting"), "statusCancelled": _("Cancelled"),
            "showRegister": _("Take the register"), "youAttended": _("You attended this session."),
            "problemTitle": _("There is a problem"), "past": _("This session has ended."),
        }

    # ------------------------------------------------------------------ views

    def student_view(self, context=None):  # pylint: disable=unused-argument
        """The session plan and the sessions; for tutors, the facilitator notes and the registers."""
        prefix = dom_id(self, "lpws")
        html = loader.render_django_template("templates/student_view.html", {
            "prefix": prefix, "display_name": self.display_name, "plan": self.plan,
            "minutes": core.plan_minutes(self.plan), "state": self._state(), "state_id": f"{prefix}-data",
        }, i18n_service=i18n_service(self))
        return block_fragment(html, loader.load_unicode("static/workshop.css"), loader.load_unicode("static/workshop.js"),
                              "LpWorkshop", {"prefix": prefix, "strings": self._strings()})

    def studio_view(self, context=None):  # pylint: disable=unused-argument
        """The form editor over the sessions, and the whole workshop (plan included) as XML."""
        _ = self._
        prefix = dom_id(self, "lpws") + "-studio"
        html = render_editor(
            self, loader, prefix=prefix, editor="workshop", block_class="lp-ws",
            settings=[{"name": "display_name", "type": "text", "label": _("Display name"),
                       "value": self.display_name, "required": True}],
            xml_field="workshop_xml", xml_label=_("Session plan and sessions as XML"),
            xml_help=_("Times are YYYY-MM-DDTHH:MM in the session's IANA time zone (such as Europe/London); "
                       "online links start with http:// or https://."),
            xml=workshop_to_string(self.plan, self.sessions), schema=editor.schema(_),
            draft={"plan": self.plan, "sessions": self.sessions}, preview_heading=_("Sessions"))
        return studio_fragment(html, loader.load_unicode("static/workshop.css"), prefix, _("Saved."))

    def _editor_spec(self):
        return {"schema": editor.schema(self._), "validate": editor.validate, "error": core.WorkshopError,
                "parse_xml": lambda text: dict(zip(("plan", "sessions"), parse_workshop_string(text))),
                "to_xml": lambda definition: workshop_to_string(definition["plan"], definition["sessions"])}

    @json_handler(methods=("POST",), authors_only=True)
    def validate_draft(self, data, suffix=""):  # pylint: disable=unused-argument
        """Check the editor's draft (or its XML) with the OLX path's rules; nothing is saved."""
        return draft_reply(self, data, self._editor_spec())

    @json_handler(methods=("POST",), authors_only=True)
    def studio_submit(self, data, suffix=""):  # pylint: disable=unused-argument
        """Save Studio edits (display name, the workshop's XML or the form's draft); all valid or nothing saved."""
        _ = self._
        display_name = data.get("display_name", self.display_name)
        if not isinstance(display_name, str) or is_blank(display_name) or len(display_name) > 200:
            raise HandlerError(400, _("display_name: a name of at most 200 characters is required."),
                               field="display_name")
        plan, sessions = parsed_field(data, "workshop_xml", parse_workshop_string, core.WorkshopError, _,
                                      (self.plan, self.sessions))
        if "draft" in data:
            try:
                cleaned = editor.validate(data["draft"])
            except core.WorkshopError as error:
                raise HandlerError(400, error.translated(_), field="draft") from error
            plan, sessions = cleaned["plan"], cleaned["sessions"]
        self.display_name = display_name.strip()
        self.plan, self.sessions = plan, sessions
        return {"result": "success"}

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """The plan and sessions for the mobile apps, without the facilitator notes."""
        return {"display_name": self.display_name, "plan": self.plan,
                "sessions": [{k: v for k, v in s.items() if k != "notes"} for s in self.sessions]}

    # ------------------------------------------------------------------ learner handlers

    @json_handler(methods=("GET", "POST"))
    def state(self, data, suffix=""):  # pylint: disable=unused-argument
        """The sessions with places left, the caller's own place and (tutors) the notes."""
        return self._state()

    def _open_session(self, data):
        session = self._session(data)
        if not core.is_open(session, _now()):
            raise HandlerError(409, self._("This session has started: places can no longer change."), field="session")
        return session

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def sign_up(self, data, suffix=""):  # pylint: disable=unused-argument
        """Take a place in a session, or a place on its waiting list when it is full."""
        session = self._open_session(data)
        if not records.shared_records_allowed(self):
            raise HandlerError(409, self._("Studio preview keeps no sign-ups: view the workshop in the course."),
                               field="session", reason="preview")
        api = self._api()
        result = api.sign_up(block_key=permissions.block_key(self), course_key=permissions.course_key(self),
                             session=session, student_id=permissions.student_id(self),
                             username=permissions.username(self), now=_now())
        self.runtime.publish(self, EVENT_SIGNED_UP, {"session": session["id"], "status": result["status"]})
        for student in result["promoted"]:
            self.runtime.publish(self, EVENT_PROMOTED, {"session": session["id"], "student": student})
        return {"status": result["status"], **self._state()}

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def cancel(self, data, suffix=""):  # pylint: disable=unused-argument
        """Give up a place (the first learner waiting takes it) or leave the waiting list."""
        session = self._open_session(data)
        if not records.shared_records_allowed(self):
            raise HandlerError(409, self._("Studio preview keeps no sign-ups: view the workshop in the course."),
                               field="session", reason="preview")
        api = self._api()
        try:
            promoted = api.cancel(block_key=permissions.block_key(self), course_key=permissions.course_key(self),
                                  session=session, student_id=permissions.student_id(self), now=_now())
        except api.NotBooked as error:
            raise HandlerError(409, self._("You have no place in this session to cancel."), field="session") from error
        self.runtime.publish(self, EVENT_CANCELLED, {"session": session["id"]})
        for student in promoted:
            self.runtime.publish(self, EVENT_PROMOTED, {"session": session["id"], "student": student})
        return self._state()

    @guarded_handler()
    def calendar(self, request, suffix=""):  # pylint: disable=unused-argument
        """The session as an iCalendar (.ics) download: times in UTC, the pre-work in the description."""
        session = self._session(request.GET)
        _ = self._
        lines = [self.display_name, self._when(session)]
        lines += [_("Pre-work: {label} {href}").format(**link) for link in session["prework"]]
        body = ics.calendar(session, permissions.block_key(self), _now(), lines)
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in session["id"])
        return Response(body=body.encode("utf-8"), content_type="text/calendar", charset="utf-8",
                        content_disposition=f'attachment; filename="workshop-{safe}.ics"')

    # ------------------------------------------------------------------ tutor handlers

    def _register_rows(self, session):
        return self._api().register(permissions.block_key(self), session["id"])

    @json_handler(methods=("GET", "POST"), tutors_only=True)
    def register(self, data, suffix=""):  # pylint: disable=unused-argument
        """A session's sign-ups (booked, waiting, cancelled) with their attendance (tutors only)."""
        return self._register_reply(self._session(data))

    def _register_reply(self, session):
        rows = self._register_rows(session)
        return {"session": session["id"], "summary": core.attendance_summary(
                    [row["attendance"] for row in rows if row["status"] != core.CANCELLED]),
                "learners": [{"student_id": row["student_id"], "username": row["username"] or row["student_id"],
                              "status": row["status"], "attendance": row["attendance"]} for row in rows]}

    @json_handler(methods=("POST",), tutors_only=True, writes=True)
    def mark_attendance(self, data, suffix=""):  # pylint: disable=unused-argument
        """Record attended / absent / apologies (or '' to clear) for learners of a session: all or nothing."""
        _ = self._
        session = self._session(data)
        marks = data.get("marks")
        if not isinstance(marks, dict) or not marks or len(marks) > MAX_MARKS:
            raise HandlerError(400, _("marks: give each learner's attendance, at most {most} learners.").format(
                most=MAX_MARKS), field="marks")
        bad = sorted(learner for learner, mark in marks.items()
                     if not isinstance(mark, str) or mark not in core.ATTENDANCE + ("",))
        if bad:
            raise HandlerError(400, _("marks: attendance must be attended, absent or apologies (learners: "
                                      "{learners}).").format(learners=", ".join(bad[:10])), field="marks", learners=bad)
        api = self._api()
        try:
            count = api.mark_attendance(block_key=permissions.block_key(self), session_id=session["id"],
                                        marks=marks, marked_by=permissions.username(self), now=_now())
        except api.UnknownLearners as error:
            raise HandlerError(400, _("marks: these learners did not sign up for this session: {learners}.").format(
                learners=", ".join(error.learners[:10])), field="marks", learners=error.learners) from error
        self.runtime.publish(self, EVENT_ATTENDANCE, {"session": session["id"], "count": count})
        return {"recorded": count, **self._register_reply(session)}

    @guarded_handler(tutors_only=True)
    def register_csv(self, request, suffix=""):  # pylint: disable=unused-argument
        """The session's register as CSV (formula-safe), tutors only."""
        _ = self._
        session = self._session(request.GET)
        when = self._when(session)
        rows = [[session["title"], when, row["username"] or row["student_id"], row["student_id"], row["status"],
                 row["attendance"], row["marked_by"], row["marked_at"].isoformat() if row["marked_at"] else ""]
                for row in self._register_rows(session)]
        body = csv_text([_("Session"), _("When"), _("Learner"), _("Student id"), _("Place"), _("Attendance"),
                         _("Recorded by"), _("Recorded at (UTC)")], rows)
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in session["id"])
        return Response(body=body.encode("utf-8"), content_type="text/csv", charset="utf-8",
                        content_disposition=f'attachment; filename="register-{safe}.csv"')

    # ------------------------------------------------------------------ platform

    def clear_student_state(self, user_id, course_id, item_id, requesting_user_id):  # pylint: disable=unused-argument
        """The instructor's "delete learner state": places in sessions not yet started are given up."""
        self._api().cancel_learner_upcoming(str(item_id), str(user_id), _now(),
                                            {s["id"]: s["capacity"] for s in self.sessions})

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Read the block from OLX; invalid content raises an error naming the session and field."""
        block = runtime.construct_xblock_from_class(cls, keys)
        if node.get("display_name") is not None:
            block.display_name = node.get("display_name")
        block.plan, block.sessions = parse_workshop(node)
        read_settings(block, node, OWN_ATTRIBUTES)
        return block

    def add_xml_to_node(self, node):
        """Write the block as OLX: the plan and the sessions as child elements."""
        node.tag = self.xml_element_name()
        node.set("display_name", self.display_name)
        write_settings(self, node, OWN_ATTRIBUTES)
        write_workshop(self.plan, self.sessions, node)

    @staticmethod
    def workbench_scenarios():
        """A workshop with two sessions (one with a single place) for the workbench."""
        from ..common.olx import packaged_scenarios  # pylint: disable=import-outside-toplevel
        return packaged_scenarios(__package__, ("workshop.xml",))
