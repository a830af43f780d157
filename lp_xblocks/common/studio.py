"""The Studio form editors' server side: the ``validate_draft`` answer and the editor's fragment."""
from xblock.utils.resources import ResourceLoader

from .editor import problems_with, translated
from .http import HandlerError
from .i18n import gettext_for

_loader = ResourceLoader(__name__)


def draft_reply(block, data, spec):
    """
    Validate a draft (``{"draft": {...}}``, the form's JSON) or the Advanced tab's XML (``{"xml": "..."}``)
    with the block's own validator; answer ``{"valid", "problems": [{"path", "message"}], "draft", "xml",
    **spec.extra(definition, valid)}``. Nothing is saved.

    ``spec``: ``schema`` (the form's fields), ``validate`` and ``error`` (the OLX path's validator and its
    error type), ``parse_xml`` / ``to_xml`` (the Advanced tab's text), ``extra`` (previews, graph; optional).
    """
    _ = gettext_for(block)
    if "xml" in data:
        xml = data["xml"]
        if not isinstance(xml, str):
            raise HandlerError(400, _("xml: must be text."), field="xml")
        try:
            draft = spec["parse_xml"](xml)
        except spec["error"] as error:
            return {"valid": False, "problems": [{"path": "xml", "message": error.translated(_)}], "draft": None,
                    "xml": xml}
    elif isinstance(data.get("draft"), dict):
        draft = data["draft"]
    else:
        raise HandlerError(400, _("Send the form's draft (an object) or the XML to check."), field="draft")
    definition, problems = problems_with(spec["schema"], draft, spec["validate"], spec["error"])
    xml_text = None
    try:
        xml_text = spec["to_xml"](definition)
    except (TypeError, ValueError, KeyError, AttributeError):
        xml_text = None  # a draft too broken to write: the Advanced tab keeps the last XML it had
    reply = {"valid": not problems, "problems": translated(problems, _), "draft": definition, "xml": xml_text}
    if spec.get("extra"):
        reply.update(spec["extra"](definition, not problems))
    return reply


def editor_strings(_):
    """The editor's own words, in the author's language."""
    return {
        "add": _("Add {item}"),
        "remove": _("Remove {item}"),
        "moveUp": _("Move {item} up"),
        "moveDown": _("Move {item} down"),
        "moved": _("{item} moved to position {position}."),
        "added": _("{item} added."),
        "removed": _("{item} removed."),
        "none": _("None yet."),
        "noProblems": _("No problems: ready to save."),
        "saving": _("Saving..."),
        "saved": _("Saved."),
        "saveFailed": _("The changes could not be saved"),
        "cancelled": _("Changes discarded."),
        "fixFirst": _("Fix the problems listed before saving."),
        "xmlFirst": _("The XML has a problem; fix it before going back to the form."),
        "network": _("The server could not be reached; nothing was saved. Try again."),
        "choose": _("(choose)"),
        "playHere": _("Play from here"),
        "playing": _("Playing from {title}"),
        "feedback": _("Feedback"),
        "points": _("{points} points"),
        "leadsTo": _("Leads to {target}"),
        "restart": _("Back to the form"),
        "ending": _("Ending: {title}"),
        "missingTarget": _("This choice leads nowhere yet."),
        "graphHeading": _("Scenario map"),
        "graphNode": _("{kind} {id}: {title}"),
        "scene": _("Scene"),
        "endingKind": _("Ending"),
        "unreachable": _("not reachable from the first scene"),
        "deadEnd": _("dead end: no choice leads on"),
        "start": _("first scene"),
        "edges": _("Choices: {edges}"),
        "sampleHeading": _("Sample result"),
        "theme": _("Theme"),
        "score": _("Score"),
        "band": _("Band"),
        "sampleAnswer": _("If a learner answers every statement with"),
        "overall": _("Overall score: {score}"),
        "stage": _("Stage: {stage}"),
        "scaleNote": _("Scale: {points}"),
        "pick": _("Add from the catalogue"),
        "pickUnit": _("Unit"),
        "pickAdd": _("Add the unit's criteria"),
        "picked": _("{count} criteria added."),
    }


def render_editor(block, loader, *, prefix, editor, block_class, settings, xml_field, xml_label, xml_help, xml,
                  schema, draft, preview_heading, extra_data=None):
    """The editor's HTML (``common/templates/studio_editor.html``) with its page data as escaped JSON."""
    from .i18n import i18n_service  # pylint: disable=import-outside-toplevel
    _ = gettext_for(block)
    short = block_class.split("-")[-1]
    return _loader.render_django_template("templates/studio_editor.html", {
        "prefix": prefix,
        "editor": editor,
        "block_class": block_class,
        "error_class": f"{block_class}__error",
        "status_class": f"{block_class}__status",
        "settings": settings,
        "xml_field": xml_field,
        "xml_label": xml_label,
        "xml_help": xml_help,
        "xml": xml,
        "preview_heading": preview_heading,
        "data_id": prefix + "-data",
        "data": {"schema": schema, "draft": draft, "xml": xml, "xmlField": xml_field, "editor": editor,
                 "settings": [field["name"] for field in settings], "strings": editor_strings(_), "short": short,
                 **(extra_data or {})},
    }, i18n_service=i18n_service(block))
