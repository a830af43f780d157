"""
The workshop's Studio form: the sessions' schema (pure; see :mod:`lp_xblocks.common.editor`). The session plan
is edited in the XML tab; the form keeps it untouched.
"""
from . import sessions as core


def schema(_):
    """The sessions' fields, labelled in the author's language (``_``: the block's gettext)."""
    link = [
        {"key": "label", "type": "text", "label": _("Label"), "required": True},
        {"key": "href", "type": "text", "label": _("Link (a course unit's address, or http/https)"), "required": True},
    ]
    return [
        {"key": "sessions", "type": "list", "label": _("Sessions"), "item_label": _("Session"), "min": 1,
         "match": {"session": "id"}, "mentions": ["session"], "title_key": "title",
         "new_item": {"id": "", "title": "", "module": "", "start": "", "end": "", "timezone": "Europe/London",
                      "place": "", "online": "", "capacity": 12, "prework": [], "posttask": [], "notes": ""},
         "item": [
             {"key": "id", "type": "text", "label": _("Id"), "required": True},
             {"key": "title", "type": "text", "label": _("Title"), "required": True},
             {"key": "module", "type": "text", "label": _("Module")},
             {"key": "start", "type": "text", "label": _("Start (YYYY-MM-DDTHH:MM)"), "required": True},
             {"key": "end", "type": "text", "label": _("End (YYYY-MM-DDTHH:MM)"), "required": True},
             {"key": "timezone", "type": "text", "label": _("Time zone (IANA, such as Europe/London)"),
              "required": True},
             {"key": "place", "type": "text", "label": _("Place")},
             {"key": "online", "type": "text", "label": _("Online link (http or https)")},
             {"key": "capacity", "type": "integer", "label": _("Capacity"), "required": True, "min": 1,
              "max": core.MAX_CAPACITY},
             {"key": "prework", "type": "list", "label": _("Pre-work"), "item_label": _("Pre-work link"), "min": 0,
              "title_key": "label", "new_item": {"label": "", "href": ""}, "item": link},
             {"key": "posttask", "type": "list", "label": _("Post-session task"), "item_label": _("Task link"),
              "min": 0, "title_key": "label", "new_item": {"label": "", "href": ""}, "item": link},
             {"key": "notes", "type": "textarea", "label": _("Facilitator notes (staff only)"), "rows": 4},
         ]},
    ]


def validate(definition):
    """``{"plan", "sessions"}`` checked by the OLX path's rules; raises :class:`sessions.WorkshopError`."""
    if not isinstance(definition, dict):
        raise core.WorkshopError(core.N_("the workshop must have a plan and sessions."))
    return {"plan": core.clean_plan(definition.get("plan") or {}),
            "sessions": core.clean_sessions(definition.get("sessions"))}
