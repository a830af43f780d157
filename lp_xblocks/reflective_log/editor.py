"""The reflective log's Studio form: the log's schema (pure; see :mod:`lp_xblocks.common.editor`)."""
import functools

from .config import MAX_WORDS_LIMIT


def schema(_):
    """The log's fields, labelled in the author's language (``_``: the block's gettext)."""
    return [
        {"key": "prompt", "type": "textarea", "label": _("Prompt"), "required": True, "rows": 6,
         "help": _("What learners are asked to reflect on; a blank line starts a new paragraph.")},
        {"key": "min_words", "type": "integer", "label": _("Fewest words to submit"), "required": True,
         "min": 0, "max": MAX_WORDS_LIMIT},
        {"key": "max_words", "type": "integer", "label": _("Most words"), "required": True,
         "min": 1, "max": MAX_WORDS_LIMIT},
        {"key": "criteria", "type": "list", "label": _("Assessment criteria"), "item_label": _("Criterion"),
         "min": 1, "match": {"id": "id"}, "when": {"kind": "criterion"}, "mentions": ["criterion"],
         "title_key": "id", "picker": "criteria",
         "help": _("The awarding body's unit-and-criterion references a learner can claim; pick them from the "
                   "catalogue or type them."),
         "new_item": {"id": "", "text": ""},
         "item": [
             {"key": "id", "type": "text", "label": _("Reference"), "required": True},
             {"key": "text", "type": "textarea", "label": _("Text"), "required": True, "rows": 2},
         ]},
        {"key": "entry_types", "type": "list", "label": _("Entry types"), "item_label": _("Entry type"), "min": 1,
         "match": {"id": "id"}, "when": {"kind": "entry_type"}, "mentions": ["entry_type"], "title_key": "label",
         "new_item": {"id": "", "label": ""},
         "item": [
             {"key": "id", "type": "text", "label": _("Id"), "required": True},
             {"key": "label", "type": "text", "label": _("Label"), "required": True},
         ]},
    ]


@functools.lru_cache(maxsize=1)
def _units():
    from lp_programme import catalogue  # pylint: disable=import-outside-toplevel
    try:
        data = catalogue.load_catalogue()
        index = catalogue.criteria(data)
    except (catalogue.CatalogueError, OSError):
        return ()
    units = []
    for unit in data["units"]:
        found = [{"id": ident, "text": criterion["text"]} for ident, criterion in index.items()
                 if criterion["unit"] == unit.get("id")]
        if found:
            units.append({"id": unit["id"], "title": f"{unit['id']}: {unit.get('title', '')}".strip(), "criteria": found})
    return tuple(units)


def catalogue_units() -> list:
    """The accreditation catalogue's units with their criteria (the one list of criterion ids), for the picker."""
    return [dict(unit, criteria=list(unit["criteria"])) for unit in _units()]
