"""
A saved learning activity's rules (pure: no XBlock, no Django).

An activity has a prompt, a suggested time, a word limit for the learner's response and a commentary (or model
answer) that the learner sees only once they have saved a response. These functions check the author's
settings and the learner's response and decide what the learner's page may show; the block stores and serves.
"""
from __future__ import annotations

import re

from ..common.errors import N_, LocalisedError
from ..common.text import is_blank

WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")

# The author's settings: bounded so that a page, a database row and an export stay sensible.
MINUTES = (1, 600)
WORD_LIMIT = (10, 5000)
PROMPT_MAX_CHARS = 10000
COMMENTARY_MAX_CHARS = 20000
TITLE_MAX_CHARS = 255
# A response is at most the word limit; the character bound stops a single "word" of a megabyte.
CHARS_PER_WORD = 20


class ActivityError(LocalisedError):
    """An author's setting or a learner's response that breaks a rule; ``field`` names what is wrong."""

    def __init__(self, template, field, **params):
        super().__init__(template, **params)
        self.field = field


def count_words(text: str) -> int:
    """Words as a person counts them: runs of letters or digits, with inner apostrophes and hyphens."""
    return len(WORD.findall(text or ""))


def max_chars(word_limit: int) -> int:
    """The most characters a response within ``word_limit`` words may hold."""
    return max(int(word_limit), 1) * CHARS_PER_WORD + 1000


def clean_response(text, word_limit: int) -> dict:
    """
    The learner's response made ready to store: ``{"text", "words"}`` (line endings normalised, the ends
    trimmed). Raises :class:`ActivityError` when it is not text, is empty, or is longer than the word limit.
    """
    if not isinstance(text, str):
        raise ActivityError(N_("Your response must be text."), field="response")
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if is_blank(text):
        raise ActivityError(N_("Write a response before you save it."), field="response")
    words = count_words(text)
    if words > word_limit or len(text) > max_chars(word_limit):
        raise ActivityError(N_("Your response has {count} words; the limit is {limit}. Shorten it and save again."),
                            field="response", count=words, limit=word_limit)
    return {"text": text, "words": words}


def check_settings(*, display_name, prompt, suggested_minutes, commentary, word_limit) -> list[ActivityError]:
    """Every problem with an author's settings at once (an empty list when they are sound)."""
    problems = []
    if not isinstance(display_name, str) or is_blank(display_name) or len(display_name) > TITLE_MAX_CHARS:
        problems.append(ActivityError(N_("Display name: give the activity a name of at most {most} characters."),
                                      field="display_name", most=TITLE_MAX_CHARS))
    if not isinstance(prompt, str) or is_blank(prompt) or len(prompt) > PROMPT_MAX_CHARS:
        problems.append(ActivityError(N_("Prompt: write what the learner should do, in at most {most} characters."),
                                      field="prompt", most=PROMPT_MAX_CHARS))
    if not isinstance(commentary, str) or is_blank(commentary) or len(commentary) > COMMENTARY_MAX_CHARS:
        problems.append(ActivityError(
            N_("Commentary: write the commentary learners see after saving, in at most {most} characters."),
            field="commentary", most=COMMENTARY_MAX_CHARS))
    if not _whole(suggested_minutes, *MINUTES):
        problems.append(ActivityError(N_("Suggested time: a whole number of minutes from {low} to {high}."),
                                      field="suggested_minutes", low=MINUTES[0], high=MINUTES[1]))
    if not _whole(word_limit, *WORD_LIMIT):
        problems.append(ActivityError(N_("Response word limit: a whole number of words from {low} to {high}."),
                                      field="word_limit", low=WORD_LIMIT[0], high=WORD_LIMIT[1]))
    return problems


def whole_number(value):
    """A whole number from Studio's form (text) or JSON (a number); None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,6}\s*", value):
        return int(value)
    return None


def _whole(value, low, high) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def paragraphs(text: str) -> list[str]:
    """Text split into paragraphs at blank lines (each kept as typed; escaping is the template's job)."""
    return [part.strip() for part in re.split(r"\n\s*\n", text or "") if part.strip()]


def learner_view(*, prompt, suggested_minutes, word_limit, commentary, response, words, saved_at) -> dict:
    """
    What the learner's page (and the mobile app) may hold: the prompt and their own response always, the
    commentary only once a response has been saved (``saved_at`` set), never before.
    """
    saved = bool(saved_at)
    return {
        "prompt": paragraphs(prompt),
        "suggested_minutes": suggested_minutes,
        "word_limit": word_limit,
        "response": response or "",
        "words": words or 0,
        "saved_at": saved_at or None,
        "saved": saved,
        "commentary": paragraphs(commentary) if saved else None,
    }
