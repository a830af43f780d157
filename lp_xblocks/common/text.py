"""
Text a person can see (pure: no XBlock, no Django).

A required text field ("give the entry a title", a scene's narrative, a plan's "what") is empty when it
holds nothing visible: only whitespace, zero-width characters (U+200B..U+200D, U+2060, U+FEFF), bidi
controls (U+200E/F, U+202A..U+202E, U+2066..U+2069, U+061C), other format or control characters, or the
few letters that render as blank (Hangul fillers, the braille blank). :func:`is_blank` is the one test
every block uses for that rule.
"""
import re
import unicodedata

# Letters and symbols that draw nothing although Unicode does not class them as spaces or format characters.
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u180e")
# Categories that draw nothing on their own: format (zero-width, bidi controls), control, separators.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})
_PLAIN_VISIBLE = re.compile(r"[!-~\u00a1-\u00ac\u00ae-\u02ff]")  # a fast path: any ordinary visible character


def _invisible(char: str) -> bool:
    return char.isspace() or char in _BLANK_GLYPHS or unicodedata.category(char) in _INVISIBLE_CATEGORIES


def is_blank(text) -> bool:
    """True for None, '' and any text made only of invisible characters (see the module's docstring)."""
    if not text:
        return True
    if not isinstance(text, str):
        return False
    if _PLAIN_VISIBLE.search(text):
        return False
    return all(_invisible(char) for char in text)


def visible_or_empty(text: str) -> str:
    """``text`` unchanged, or '' when it is blank: the value a required field stores."""
    return "" if is_blank(text) else text
