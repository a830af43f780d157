"""
What an author sets up in a reflective log (pure: no XBlock, no Django).

A *configuration* is plain, JSON-serialisable data::

    {
      "prompt": "Describe a partnership meeting you chaired ...",      # plain text, paragraphs kept
      "criteria": [{"id": "LPM1-1.1", "text": "Explain the purpose of protocols ..."}, ...],
      "entry_types": [{"id": "workplace", "label": "Workplace activity"}, ...],
      "min_words": 150,
      "max_words": 1500,
    }

Criterion ids are the awarding body's unit-and-criterion references; they are unique within a block.
Reading and writing OLX lives in :mod:`.olx`.
"""
from __future__ import annotations

from ..common.errors import N_, LocalisedError
from ..common.olx import IdRegistry
from ..common.text import is_blank

# An author cannot ask for more than this: a longer entry no longer fits one submission record.
MAX_WORDS_LIMIT = 4000


class ConfigError(LocalisedError):
    """A configuration that breaks a rule; the message names the element at fault."""


def validate_limits(min_words, max_words) -> None:
    """Whole numbers, ``0 <= min_words < max_words <= MAX_WORDS_LIMIT``."""
    for name, value in (("min_words", min_words), ("max_words", max_words)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ConfigError(N_("{name} '{value}' is not a whole number of words"), name=name, value=value)
    if max_words <= min_words:
        raise ConfigError(
            N_("max_words ({max_words}) must be greater than min_words ({min_words})"),
            max_words=max_words, min_words=min_words,
        )
    if max_words > MAX_WORDS_LIMIT:
        raise ConfigError(
            N_("max_words ({max_words}) is above the limit of {limit} words"), max_words=max_words, limit=MAX_WORDS_LIMIT
        )


def validate(config: dict) -> None:
    """Raise :class:`ConfigError` for the first rule the configuration breaks."""
    if is_blank(config.get("prompt")):
        raise ConfigError(N_("prompt: the prompt is empty"))
    _check_items(config.get("criteria") or [], "criterion", "text")
    _check_items(config.get("entry_types") or [], "entry_type", "label")
    validate_limits(config.get("min_words"), config.get("max_words"))


def _check_items(items: list, kind: str, text_key: str) -> None:
    if not items:
        raise ConfigError(N_("at least one <{kind}> is needed"), kind=kind)
    ids = IdRegistry(ConfigError)  # criterion ids and entry-type ids are separate namespaces
    for item in items:
        ident = item.get("id")
        ids.claim(kind, ident)
        if is_blank(item.get(text_key)):
            raise ConfigError(N_("{kind} '{id}': the text is empty"), kind=kind, id=ident)


def criterion_ids(config: dict) -> list:
    """The block's criterion ids in document order."""
    return [criterion["id"] for criterion in config["criteria"]]
