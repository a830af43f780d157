"""
Errors raised by the pure cores (no XBlock, no Django), translatable where they are shown.

A core raises ``SomeError(N_("theme '{theme}': title is empty"), theme="trust")``: the English template is
kept apart from its parameters, so ``str(error)`` is the English message and the block shows
``error.translated(gettext)`` in the user's language. Message templates are marked with :func:`N_` so
that extraction tools find them.
"""
from typing import Any, Callable


def N_(message: str) -> str:  # pylint: disable=invalid-name
    """Mark a message for translation without translating it here (the block translates it)."""
    return message


class LocalisedError(ValueError):
    """A rule broken by content or input. ``str(error)`` is the English message."""

    def __init__(self, template: str, **params: Any):
        self.template = template
        self.params = params
        super().__init__(template.format(**params))

    def translated(self, gettext: Callable[[str], str]) -> str:
        """The message in the user's language, through the runtime's ``gettext``."""
        return gettext(self.template).format(**self.params)
