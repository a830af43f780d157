"""
The saved-learning-activity XBlock (``lp_learning_activity``): a thin shell over :mod:`.response`.

Placed after a teaching page, it sets the learner a task (a prompt and a suggested time); the learner writes a
free-text response (autosaved as they type), saves it, and only then sees the author's commentary or model
answer. Saved responses collect into the learner's own whole-programme portfolio and can be cited as evidence
in a reflective-log entry (source ``activity`` of ``lp_xblocks.data.api.citations``). Nobody else reads a
response: tutors see one only where the learner cites it.
"""
from datetime import datetime, timezone

from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, Integer, Scope, String
from xblock.utils.resources import ResourceLoader

from ..common import permissions, records
from ..common.drafts import FormDraftsMixin, autosave_strings
from ..common.fragments import block_fragment, dom_id
from ..common.http import HandlerError, json_handler
from ..common.i18n import gettext_for, i18n_service, plural_forms
from ..common.olx import packaged_scenarios, read_settings, write_settings
from . import response as core

loader = ResourceLoader(__name__)

EVENT_SAVED = "lp.learning_activity.saved"
EVENT_REVEALED = "lp.learning_activity.commentary_viewed"
DRAFT_FORM = "response"

# The attributes the block reads and writes itself; the platform's settings (visible_to_staff_only,
# group_access, due ...) go through read_settings / write_settings.
OWN_ATTRIBUTES = ("display_name", "suggested_minutes", "word_limit")


def _now():
    return datetime.now(timezone.utc)


@XBlock.needs("i18n")
@XBlock.wants("user", "studio_user_permissions")
class LearningActivityBlock(FormDraftsMixin, CompletableXBlockMixin, XBlock):
    """A prompt, the learner's saved response, then a commentary revealed once they have saved."""

    display_name = String(
        display_name="Display name", help="The activity's name, shown above it and in the learner's portfolio.",
        default="Activity", scope=Scope.settings,
    )
    prompt = String(
        display_name="Prompt", help="What the learner is asked to do (plain text; blank lines separate paragraphs).",
        default="Think of a recent partnership meeting. What helped partners reach agreement, and what got in the way?",
        multiline_editor=True, scope=Scope.content,
    )
    suggested_minutes = Integer(
        display_name="Suggested time (minutes)", help="About how long the activity should take, in minutes (1 to 600).",
        default=15, values={"min": 1, "max": 600, "step": 1}, scope=Scope.settings,
    )
    commentary = String(
        display_name="Commentary or model answer",
        help="Shown to the learner only after they have saved a response (plain text; blank lines separate "
             "paragraphs). Never sent to the browser before.",
        default="Agreement usually comes more easily when partners have seen the evidence beforehand and each has "
                "had a chance to say what matters to their organisation.",
        multiline_editor=True, scope=Scope.content,
    )
    word_limit = Integer(
        display_name="Response word limit", help="The most words a learner's response may have (10 to 5000).",
        default=300, values={"min": 10, "max": 5000, "step": 1}, scope=Scope.settings,
    )
    response = String(
        display_name="Response", help="The learner's saved response (plain text).", default="", scope=Scope.user_state,
    )
    response_words = Integer(
        display_name="Response words", help="How many words the learner's saved response has.",
        default=0, scope=Scope.user_state,
    )
    saved_at = String(
        display_name="Response saved", help="When the learner last saved their response (ISO 8601, UTC); the "
                                            "commentary is shown once this is set.",
        default="", scope=Scope.user_state,
    )
    completion_sent = Boolean(
        display_name="Completion reported", help="Whether completion was reported (on the first save).",
        default=False, scope=Scope.user_state,
    )

    has_custom_completion = True
    icon_class = "other"
    editable_fields = ("display_name", "prompt", "suggested_minutes", "commentary", "word_limit")

    # ------------------------------------------------------------------ helpers

    @property
    def _(self):
        return gettext_for(self)

    def _dom_id(self):
        return dom_id(self, "lpact")

    def _view(self):
        """The learner's own view: the commentary only once they have saved a response."""
        return core.learner_view(
            prompt=self.prompt, suggested_minutes=self.suggested_minutes, word_limit=self.word_limit,
            commentary=self.commentary, response=self.response, words=self.response_words, saved_at=self.saved_at)

    def _restore_from_records(self):
        """
        Where the platform lost the learner's state but their response is still in their portfolio (a state
        written back stale by a concurrent request), put it back: what a learner saved is never lost.
        """
        if self.saved_at or permissions.is_anonymous(self) or not records.shared_records_allowed(self):
            return
        from ..data.api import activity as api  # pylint: disable=import-outside-toplevel  # needs the app registry
        saved = api.own_response(permissions.block_key(self), permissions.student_id(self))
        if saved is not None:
            self.response, self.response_words, self.saved_at = saved["response"], saved["words"], saved["saved_at"]

    def _strings(self):
        _ = self._
        return {
            "words": plural_forms(self, "{count} word of {limit}", "{count} words of {limit}"),
            "tooLong": plural_forms(self, "{count} word over the limit", "{count} words over the limit"),
            "save": _("Save response"),
            "update": _("Save changes"),
            "saving": _("Saving..."),
            "savedAt": _("Response saved at {time}."),
            "savedRevealed": _("Response saved. The commentary is now shown below your response."),
            "failed": _("That did not work: {error}"),
            "network": _("The server could not be reached; your text is still here. Try again."),
            "problemTitle": _("There is a problem"),
            "responseLabel": _("Your response"),
            "autosave": autosave_strings(
                _, _("Your unsaved changes from {time} are back; save your response to keep them.")),
        }

    def _report_completion(self):
        if not self.completion_sent:
            self.emit_completion(1.0)
            self.completion_sent = True

    # ------------------------------------------------------------------ views

    def student_view(self, context=None):  # pylint: disable=unused-argument
        """The prompt, the response form, and (once saved) the commentary."""
        self._restore_from_records()
        prefix = self._dom_id()
        view = self._view()
        anonymous = permissions.is_anonymous(self)
        html = loader.render_django_template("templates/student_view.html", {
            "prefix": prefix,
            "display_name": self.display_name,
            "view": view,
            "anonymous": anonymous,
            # The learner's own text travels as JSON that Django escapes for HTML.
            "state": {**view, "draft": None if anonymous else (self.form_drafts or {}).get(DRAFT_FORM)},
            "state_id": f"{prefix}-data",
        }, i18n_service=i18n_service(self))
        return block_fragment(
            html, loader.load_unicode("static/activity.css"), loader.load_unicode("static/activity.js"),
            "LpLearningActivity", {"prefix": prefix, "form": DRAFT_FORM, "strings": self._strings()},
        )

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """For the mobile apps: the prompt and settings, the learner's response, the commentary only once saved."""
        return {"display_name": self.display_name, **self._view()}

    def studio_view(self, context=None):  # pylint: disable=unused-argument
        """The author's form: name, prompt, suggested time, word limit, commentary."""
        _ = self._
        prefix = self._dom_id() + "-studio"
        fields = [
            {"name": "display_name", "label": _("Display name"), "value": self.display_name, "kind": "text",
             "help": _("The activity's name, shown above it and in the learner's portfolio.")},
            {"name": "prompt", "label": _("Prompt"), "value": self.prompt, "kind": "textarea",
             "help": _("What the learner is asked to do. Blank lines separate paragraphs.")},
            {"name": "suggested_minutes", "label": _("Suggested time (minutes)"), "value": self.suggested_minutes,
             "kind": "number", "help": _("About how long the activity should take (1 to 600 minutes).")},
            {"name": "word_limit", "label": _("Response word limit"), "value": self.word_limit, "kind": "number",
             "help": _("The most words a response may have (10 to 5000).")},
            {"name": "commentary", "label": _("Commentary or model answer"), "value": self.commentary,
             "kind": "textarea", "help": _("Shown to the learner only after they save a response.")},
        ]
        html = loader.render_django_template("templates/studio_view.html", {"prefix": prefix, "fields": fields},
                                             i18n_service=i18n_service(self))
        return block_fragment(html, loader.load_unicode("static/activity.css"),
                              loader.load_unicode("static/activity_studio.js"), "LpLearningActivityStudio",
                              {"prefix": prefix, "strings": {"saving": _("Saving..."), "saved": _("Saved."),
                                                             "problemTitle": _("There is a problem"),
                                                             "network": _("The server could not be reached; nothing was saved.")}})

    # ------------------------------------------------------------------ handlers

    @json_handler(methods=("GET", "POST"), signed_in=True)
    def state(self, data, suffix=""):  # pylint: disable=unused-argument
        """The learner's own view (the commentary only once they have saved)."""
        self._restore_from_records()
        return self._view()

    @json_handler(methods=("POST",), signed_in=True, writes=True)
    def save_response(self, data, suffix=""):  # pylint: disable=unused-argument
        """Save the learner's response (``{"response": text}``); answers the view, now with the commentary."""
        try:
            clean = core.clean_response(data.get("response"), self.word_limit)
        except core.ActivityError as error:
            raise HandlerError(400, error.translated(self._), field=error.field) from error
        saved_at = _now()
        first = not self.saved_at
        if records.shared_records_allowed(self):  # never from Studio preview (the author's own state only)
            from ..data.api import activity as api  # pylint: disable=import-outside-toplevel  # needs the app registry
            api.save_response(
                block_key=permissions.block_key(self), course_key=permissions.course_key(self),
                student_id=permissions.student_id(self), username=permissions.username(self),
                title=self.display_name[:core.TITLE_MAX_CHARS], prompt=self.prompt, text=clean["text"],
                words=clean["words"], saved_at=saved_at)
        self.response, self.response_words, self.saved_at = clean["text"], clean["words"], saved_at.isoformat()
        self.drop_form_draft(DRAFT_FORM)
        self.runtime.publish(self, EVENT_SAVED, {"words": clean["words"], "first": first})
        if first:
            self.runtime.publish(self, EVENT_REVEALED, {})
        self._report_completion()
        return self._view()

    @json_handler(methods=("GET", "POST"), signed_in=True)
    def commentary_text(self, data, suffix=""):  # pylint: disable=unused-argument
        """The commentary, only to a learner who has saved a response (403 before)."""
        self._restore_from_records()
        if not self.saved_at:
            raise HandlerError(403, self._("Save a response first: the commentary is shown once you have saved one."),
                               reason="not_saved")
        return {"commentary": core.paragraphs(self.commentary)}

    @json_handler(methods=("POST",), authors_only=True)
    def studio_submit(self, data, suffix=""):  # pylint: disable=unused-argument
        """Save the author's settings; nothing is saved unless all are valid (every problem listed at once)."""
        values = {
            "display_name": data.get("display_name", self.display_name),
            "prompt": data.get("prompt", self.prompt),
            "commentary": data.get("commentary", self.commentary),
            "suggested_minutes": core.whole_number(data.get("suggested_minutes", self.suggested_minutes)),
            "word_limit": core.whole_number(data.get("word_limit", self.word_limit)),
        }
        problems = core.check_settings(**values)
        if problems:
            raise HandlerError(400, problems[0].translated(self._), field=problems[0].field,
                               errors=[{"field": item.field, "message": item.translated(self._)} for item in problems])
        for name, value in values.items():
            setattr(self, name, value.strip() if isinstance(value, str) else value)
        return {"result": "success"}

    # ------------------------------------------------------------------ OLX

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """
        ``<lp_learning_activity display_name=".." suggested_minutes="20" word_limit="300"><prompt>..</prompt>
        <commentary>..</commentary></lp_learning_activity>``; a missing or invalid part raises an error naming it.
        """
        block = runtime.construct_xblock_from_class(cls, keys)
        values = {"display_name": node.get("display_name", block.display_name)}
        for name in ("suggested_minutes", "word_limit"):
            raw = node.get(name)
            values[name] = getattr(block, name) if raw is None else core.whole_number(raw)
        for name in ("prompt", "commentary"):
            child = node.find(name)
            values[name] = "" if child is None else _text_of(child)
        problems = core.check_settings(**values)
        if problems:
            raise ValueError("; ".join(str(problem) for problem in problems))
        for name, value in values.items():
            setattr(block, name, value)
        read_settings(block, node, OWN_ATTRIBUTES)
        return block

    def add_xml_to_node(self, node):
        """Write the block as OLX: attributes for the settings, child elements for the prompt and commentary."""
        from lxml import etree  # pylint: disable=import-outside-toplevel
        node.tag = self.xml_element_name()
        node.set("display_name", self.display_name)
        node.set("suggested_minutes", str(self.suggested_minutes))
        node.set("word_limit", str(self.word_limit))
        write_settings(self, node, OWN_ATTRIBUTES)
        for name in ("prompt", "commentary"):
            etree.SubElement(node, name).text = getattr(self, name)

    def clear_student_state(self, user_id, course_id, item_id, requesting_user_id):  # pylint: disable=unused-argument
        """The instructor's "delete learner state": the response leaves the learner's portfolio (kept, archived)."""
        from ..data.api import activity as api  # pylint: disable=import-outside-toplevel
        api.archive_learner(str(item_id), str(user_id))

    # ------------------------------------------------------------------ workbench

    @staticmethod
    def workbench_scenarios():
        """An activity from Module 1 of the programme."""
        return packaged_scenarios(__package__, ("activity.xml",))


def _text_of(element):
    """An OLX text element's text: paragraphs kept, each paragraph's lines joined, indentation dropped."""
    text = "".join(element.itertext())
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    paragraphs, current = [], []
    for line in lines + [""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return "\n\n".join(paragraphs)
