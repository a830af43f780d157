"""
Autosaved form drafts: what a learner has typed or ticked but not yet saved or submitted, kept in the
learner's own user state so nothing is lost when they close the form, leave the page or lose the
connection, and put back when they return.

``clean_draft`` is the pure rule (bounded: form names, number of fields, sizes); ``FormDraftsMixin``
gives a block the ``save_form_draft`` and ``discard_form_draft`` handlers and the ``form_drafts`` field.
The browser side is ``LpCommon.autosave`` in ``static/lp_common.js``.
"""
import json
import re
from datetime import datetime, timezone

from xblock.core import XBlockMixin
from xblock.fields import Dict, Scope

from .errors import N_, LocalisedError
from .http import HandlerError, json_handler

FORM_NAME = re.compile(r"^[A-Za-z0-9_:.-]{1,80}$")
FIELD_NAME = re.compile(r"^[A-Za-z0-9_:.\[\]-]{1,120}$")
MAX_FORMS = 20
MAX_FIELDS = 400
MAX_VALUE_CHARS = 60_000
MAX_LIST_ITEMS = 200
MAX_DRAFT_BYTES = 200_000



def autosave_strings(_, restored):
    """
    What LpCommon.autosave says about a form's draft (saved, saving, not saved, offline), translated by ``_``;
    ``restored`` is the block's own sentence for a draft brought back after a reload.
    """
    return {
        "savedAt": _("Draft saved at {time}"), "saving": _("Saving your draft\u2026"),
        "notSaved": _("Draft not saved yet: {error}"), "offline": _("the server could not be reached"),
        "restored": restored,
    }

class DraftError(LocalisedError):
    """An autosave request that breaks a bound (HTTP 400)."""


def clean_draft(form, values):
    """
    Check one autosave: ``form`` names the form (``entry:new``, ``plan``, ``answers``), ``values`` maps
    field names to text, a true/false tick or a list of texts. Returns ``(form, values)``.
    """
    if not isinstance(form, str) or not FORM_NAME.match(form):
        raise DraftError(N_("The form to save is not named (letters, digits and - _ : . only, at most 80)."))
    if not isinstance(values, dict):
        raise DraftError(N_("The form's values must be an object of field name to value."))
    if len(values) > MAX_FIELDS:
        raise DraftError(N_("The form has more than {limit} fields."), limit=MAX_FIELDS)
    clean = {}
    for name, value in values.items():
        if not FIELD_NAME.match(name):
            raise DraftError(N_("A field of the form has a name that cannot be stored: {name}"), name=name[:120])
        if isinstance(value, bool):
            clean[name] = value
        elif isinstance(value, str):
            if len(value) > MAX_VALUE_CHARS:
                raise DraftError(N_("{name} is longer than {limit} characters."), name=name, limit=MAX_VALUE_CHARS)
            clean[name] = value
        elif isinstance(value, list) and len(value) <= MAX_LIST_ITEMS and all(
                isinstance(item, str) and len(item) <= 1000 for item in value):
            clean[name] = list(value)
        else:
            raise DraftError(N_("{name} must be text, true or false, or a list of texts."), name=name)
    if len(json.dumps(clean)) > MAX_DRAFT_BYTES:
        raise DraftError(N_("The form is too large to save automatically ({limit} KB at most)."),
                         limit=MAX_DRAFT_BYTES // 1000)
    return form, clean


def store(drafts, form, values, now):
    """The learner's drafts with this form's draft put in (the oldest dropped beyond :data:`MAX_FORMS`)."""
    updated = {key: value for key, value in (drafts or {}).items() if key != form}
    updated[form] = {"values": values, "saved_at": now.isoformat()}
    while len(updated) > MAX_FORMS:
        oldest = min(updated, key=lambda key: updated[key].get("saved_at", ""))
        del updated[oldest]
    return updated


class FormDraftsMixin(XBlockMixin):
    """A block whose learners' half-done forms are autosaved in their user state."""

    form_drafts = Dict(
        display_name="Form drafts",
        help="Autosaved, not yet saved or submitted form values of this learner: form name -> values, saved_at.",
        default={}, scope=Scope.user_state,
    )

    def drop_form_draft(self, form):
        """Forget a form's autosave (after the form was saved or submitted for real)."""
        if form in (self.form_drafts or {}):
            self.form_drafts = {key: value for key, value in self.form_drafts.items() if key != form}

    @json_handler(methods=("POST",), signed_in=True)
    def save_form_draft(self, data, suffix=""):  # pylint: disable=unused-argument
        """Autosave: ``{"form": name, "values": {...}}``; answers ``{"saved_at": ISO 8601}``."""
        try:
            form, values = clean_draft(data.get("form"), data.get("values"))
        except DraftError as error:
            raise HandlerError(400, error.translated(self._), field="values") from error  # pylint: disable=no-member
        now = datetime.now(timezone.utc)
        self.form_drafts = store(self.form_drafts, form, values, now)
        return {"form": form, "saved_at": now.isoformat()}

    @json_handler(methods=("POST",), signed_in=True)
    def discard_form_draft(self, data, suffix=""):  # pylint: disable=unused-argument
        """Forget a form's autosave: ``{"form": name}``; answers ``{"discarded": true/false}``."""
        form = data.get("form")
        if not isinstance(form, str) or not FORM_NAME.match(form):
            raise HandlerError(400, self._("The form to discard is not named."), field="form")  # pylint: disable=no-member
        found = form in (self.form_drafts or {})
        self.drop_form_draft(form)
        return {"discarded": found}
