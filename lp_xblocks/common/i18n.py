"""Translation helpers: every user-facing string goes through the runtime's i18n service."""


def _identity(text):
    return text


def gettext_for(block):
    """The i18n service's ``gettext`` for this block (identity where a runtime offers none)."""
    try:
        service = block.runtime.service(block, "i18n")
    except Exception:  # pylint: disable=broad-except  # bare runtimes raise NoSuchServiceError
        service = None
    if service is None:
        return _identity
    return getattr(service, "gettext", None) or getattr(service, "ugettext", _identity)


def i18n_service(block):
    """The runtime's i18n service, for template rendering (None where there is none)."""
    try:
        return block.runtime.service(block, "i18n")
    except Exception:  # pylint: disable=broad-except
        return None


def plural_forms(block, singular, plural):
    """
    A message's plural forms for the page's script, through the i18n service's ``ngettext``: ``{"one": ...,
    "other": ...}``; the script picks one with ``Intl.PluralRules`` (``LpCommon.plural``).
    """
    try:
        service = block.runtime.service(block, "i18n")
    except Exception:  # pylint: disable=broad-except
        service = None
    ngettext = getattr(service, "ngettext", None) or getattr(service, "ungettext", None)
    if ngettext is None:
        return {"one": singular, "other": plural}
    return {"one": ngettext(singular, plural, 1), "other": ngettext(singular, plural, 2)}
