"""The needs assessment's Studio form: the instrument's schema (pure; see :mod:`lp_xblocks.common.editor`)."""
from . import instrument as core


def schema(_):
    """The instrument's fields, labelled in the author's language (``_``: the block's gettext)."""
    return [
        {"key": "scale", "type": "list", "label": _("Scale"), "item_label": _("Point"), "min": 1, "top": True,
         "match": {"position": "#", "value": "value"}, "mentions": ["scale"],
         "help": _("The answers a learner can give, lowest first; each point's value is a whole number."),
         "new_item": {"value": "", "label": ""},
         "item": [
             {"key": "value", "type": "integer", "label": _("Value"), "required": True},
             {"key": "label", "type": "text", "label": _("Label"), "required": True},
         ]},
        {"key": "themes", "type": "list", "label": _("Themes"), "item_label": _("Theme"), "min": 1,
         "match": {"theme": "id"}, "mentions": ["theme"], "title_key": "title",
         "new_item": {"id": "", "title": "", "statements": [{"id": "", "text": ""}],
                      "bands": [{"upto": "", "label": "", "text": ""}]},
         "item": [
             {"key": "id", "type": "text", "label": _("Id"), "required": True,
              "help": _("Letters, digits, '-', '_' and '.'; unique in the instrument; kept in learners' results.")},
             {"key": "title", "type": "text", "label": _("Title"), "required": True},
             {"key": "statements", "type": "list", "label": _("Statements"), "item_label": _("Statement"),
              "min": 1, "match": {"id": "id"}, "mentions": ["statement"], "title_key": "text",
              "new_item": {"id": "", "text": ""},
              "item": [
                  {"key": "id", "type": "text", "label": _("Id"), "required": True},
                  {"key": "text", "type": "textarea", "label": _("Text"), "required": True, "rows": 2},
              ]},
             {"key": "bands", "type": "list", "label": _("Bands"), "item_label": _("Band"), "min": 1,
              "mentions": ["band"], "title_key": "label",
              "help": _("From the lowest; a theme's score up to a band's 'Up to' gets its label and advice. "
                        "The last band's 'Up to' is the scale's highest value."),
              "new_item": {"upto": "", "label": "", "text": ""},
              "item": [
                  {"key": "upto", "type": "number", "label": _("Up to"), "required": True, "mentions": ["upto"]},
                  {"key": "label", "type": "text", "label": _("Label"), "required": True},
                  {"key": "text", "type": "textarea", "label": _("Recommendation"), "rows": 2},
              ]},
         ]},
        {"key": "stages", "type": "list", "label": _("Stages (optional)"), "item_label": _("Stage"), "min": 0,
         "match": {"stage": "id"}, "mentions": ["stage"], "title_key": "label",
         "help": _("Optional: descriptors a participant chooses between to place the partnership (and each "
                   "activity below) on the stages, apart from the health score."),
         "new_item": {"id": "", "label": "", "text": ""},
         "item": [
             {"key": "id", "type": "text", "label": _("Id"), "required": True},
             {"key": "label", "type": "text", "label": _("Label"), "required": True},
             {"key": "text", "type": "textarea", "label": _("Descriptor"), "rows": 2},
         ]},
        {"key": "activities", "type": "list", "label": _("Activities placed on the stages (optional)"),
         "item_label": _("Activity"), "min": 0, "match": {"activity": "id"}, "mentions": ["activity", "activities"],
         "title_key": "label",
         "help": _("Optional: partnership activities the participant places on the stages one by one, besides "
                   "the partnership as a whole."),
         "new_item": {"id": "", "label": ""},
         "item": [
             {"key": "id", "type": "text", "label": _("Id"), "required": True},
             {"key": "label", "type": "text", "label": _("Label"), "required": True},
         ]},
    ]


def samples(instrument: dict) -> dict:
    """A sample result for each scale value: what a learner answering every statement with it would see."""
    ids = core.statement_ids(instrument)
    return {str(point["value"]): core.score(instrument, {ident: point["value"] for ident in ids})
            for point in instrument["scale"]}
