"""
The reflective log's rules (pure: no XBlock, no Django): what an entry must hold and how a tutor's marking
is checked and decided. The life of an entry, coverage and locks are the shared marking state machine in
:mod:`lp_xblocks.common.marking`, re-exported here so the block reads one ``rules`` module.

Errors are :class:`EntryError` (bad input: HTTP 400, naming the field) and :class:`StateError` (the
entry is not in a state that allows the action: HTTP 409).
"""
from __future__ import annotations

import json
import re
from datetime import date
from typing import Any, Callable

from ..common.errors import N_, LocalisedError
from ..common.text import is_blank, visible_or_empty
from ..common.marking import (  # noqa: F401  # pylint: disable=unused-import  # the block and its tests read them as rules.X
    DRAFT, SUBMITTED, PASSED, REFERRED, ARCHIVED, STATUSES, QUEUE_STATUSES, PASS,
    REFER, MET, NOT_YET_MET, LOCK_MINUTES, MAX_TITLE, PAGE_SIZE, TRANSITIONS, StateError, refusal,
    next_status, is_editable, coverage, units_of, score, lock_state, lock_expiry, page_count,
)

MAX_PAGE = 100_000  # 2.5 million entries in one queue status: far beyond any cohort
_PAGE_NUMBER = re.compile(r"[0-9]{1,6}")

MAX_BODY_CHARS = 30_000
# A submitted version is one edx-submissions record, at most 100 KiB of JSON (non-ASCII characters take six
# bytes there); an entry must fit with room for the record's other keys.
MAX_STORED_BYTES = 100 * 1024 - 2048
MAX_COMMENT = 5_000
MAX_FEEDBACK = 10_000

ENTRY_FIELDS = ("title", "activity_date", "entry_type", "body", "criteria", "witnesses", "citations")

# A word: a number with separators ("30,000", "2.5"), or letters and digits joined by apostrophes or
# hyphens ("don't", "co-operation"). The block's JavaScript counts the same way as the learner types.
_WORD = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+(?:['\u2019\-][^\W_]+)*")


class EntryError(LocalisedError):
    """Input that breaks a rule; ``field`` names the field at fault (HTTP 400)."""

    def __init__(self, field: str, template: str, **params: Any):
        super().__init__(template, **params)
        self.field = field


# What each field is called on the page: messages name fields in words, never by their ids.
FIELD_LABELS = {
    "title": N_("Title"), "activity_date": N_("Date of the activity"), "entry_type": N_("Type of activity"),
    "body": N_("Your reflection"), "criteria": N_("Criteria"), "entry_id": N_("Entry"),
    "feedback": N_("Overall feedback"), "decision": N_("Decision"), "version": N_("Version"),
    "status": N_("Status"), "page": N_("Page"),
    "witnesses": N_("Witness testimony"), "citations": N_("Records cited"), "declaration": N_("Declaration"),
    "file": N_("File"),
}


def field_label(field: str, gettext: Callable[[str], str] = lambda text: text) -> str:
    """The name a person reads for a field (its id only for a field the form does not have)."""
    return gettext(FIELD_LABELS[field]) if field in FIELD_LABELS else field


class EntryErrors(EntryError):
    """Every problem of one request at once (each an :class:`EntryError`); ``field`` is the first one's."""

    def __init__(self, problems: list):
        self.problems = list(problems)
        first = self.problems[0]
        super().__init__(first.field, first.template, **first.params)

    def __str__(self) -> str:
        return " ".join(f"{field_label(p.field)}: {p}" for p in self.problems)

    def translated(self, gettext: Callable[[str], str]) -> str:
        return " ".join(f"{field_label(p.field, gettext)}: {p.translated(gettext)}" for p in self.problems)

    def details(self, gettext: Callable[[str], str]) -> list:
        """``[{"field", "label", "message"}]`` for the error JSON's per-field list."""
        return [{"field": p.field, "label": field_label(p.field, gettext), "message": p.translated(gettext)}
                for p in self.problems]


def all_problems(error: EntryError) -> EntryErrors:
    """Any :class:`EntryError` as an :class:`EntryErrors` (one problem or many)."""
    return error if isinstance(error, EntryErrors) else EntryErrors([error])


class _Collector:
    """Runs checks and keeps every :class:`EntryError` they raise."""

    def __init__(self):
        self.problems = []

    def check(self, func, *args):
        try:
            return func(*args)
        except EntryErrors as error:
            self.problems.extend(error.problems)
        except EntryError as error:
            self.problems.append(error)
        return None

    def raise_any(self):
        if self.problems:
            raise EntryErrors(self.problems)


# --------------------------------------------------------------------------- entries

def count_words(text: str) -> int:
    """Words in plain text (see ``_WORD``): what the word limits count."""
    return len(_WORD.findall(text or ""))


def normalise_body(text: str) -> str:
    """Line endings as ``\\n``, trailing spaces and surrounding blank lines removed; paragraphs kept."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n").strip()


def empty_draft() -> dict:
    """The working copy of a new entry."""
    return {"title": "", "activity_date": "", "entry_type": "", "body": "", "criteria": []}


def clean_entry(config: dict, data: dict, today: date, base: dict | None = None) -> dict:
    """
    Check and normalise the fields of an entry a learner sends (any subset of :data:`ENTRY_FIELDS`),
    laid over ``base`` (the stored working copy). A draft may be incomplete; what is there must be
    valid. Returns the new working copy; raises :class:`EntryErrors` naming every field at fault.
    """
    from . import evidence  # pylint: disable=import-outside-toplevel  # evidence builds on this module's errors
    problems = _Collector()
    for name in sorted(key for key in data if key not in ENTRY_FIELDS):
        problems.problems.append(EntryError(name, N_("this form has no such field")))
    draft = dict(base or empty_draft())  # witnesses and citations only once sent (older drafts have neither)
    for field, clean in (("title", _clean_title), ("activity_date", lambda value: _clean_date(value, today)),
                         ("entry_type", lambda value: _clean_type(config, value)), ("body", _clean_body),
                         ("criteria", lambda value: _clean_criteria(config, value)),
                         ("witnesses", lambda value: evidence.clean_witnesses(value, today)),
                         ("citations", evidence.clean_citations)):
        if field in data:
            before = len(problems.problems)
            value = problems.check(clean, data[field])
            if len(problems.problems) == before:
                draft[field] = value
    problems.raise_any()
    return draft


def _clean_title(title: Any) -> str:
    if not isinstance(title, str):
        raise EntryError("title", N_("must be text"))
    # Only zero-width or bidi control characters is no title (it would show as a blank line in the queue).
    title = visible_or_empty(" ".join(title.split()))
    if len(title) > MAX_TITLE:
        raise EntryError("title", N_("at most {limit} characters; this one has {count}"), limit=MAX_TITLE, count=len(title))
    return title


def _clean_type(config: dict, entry_type: Any) -> str:
    allowed = [item["id"] for item in config["entry_types"]]
    if not isinstance(entry_type, str) or (entry_type and entry_type not in allowed):
        labels = [item["label"] for item in config["entry_types"]]
        raise EntryError("entry_type", N_("choose one of: {allowed}"), allowed=", ".join(labels))
    return entry_type


def _clean_body(body: Any) -> str:
    if not isinstance(body, str):
        raise EntryError("body", N_("must be text"))
    body = visible_or_empty(normalise_body(body))
    if len(body) > MAX_BODY_CHARS:
        raise EntryError("body", N_("at most {limit} characters; shorten it"), limit=MAX_BODY_CHARS)
    return body


def _clean_date(value: Any, today: date) -> str:
    if value in ("", None):
        return ""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise EntryError("activity_date", N_("'{value}' is not a date; give it as year-month-day, for example 2026-03-12"),
                         value=str(value)[:40])
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise EntryError("activity_date", N_("'{value}' is not a date; give it as year-month-day, for example 2026-03-12"),
                         value=value) from None
    if day > today:
        raise EntryError(
            "activity_date", N_("{value} is in the future; give the date the activity took place"),
            value=value,
        )
    return value


def _clean_criteria(config: dict, value: Any) -> list:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise EntryError("criteria", N_("must be a list of criterion ids"))
    known = [criterion["id"] for criterion in config["criteria"]]
    unknown = [item for item in value if item not in known]
    if unknown:
        raise EntryError("criteria", N_("this log has no criteria {ids}"), ids=", ".join(unknown))
    chosen = set(value)
    return [ident for ident in known if ident in chosen]  # the block's order, each once


def check_submittable(config: dict, draft: dict) -> int:
    """
    Raise :class:`EntryErrors` (every problem at once) unless the working copy is complete and within the
    word limits; returns its word count.
    """
    problems = []
    required = (
        ("title", N_("give the entry a title")),
        ("activity_date", N_("give the date of the activity")),
        ("entry_type", N_("choose the type of activity")),
        ("body", N_("write your reflection")),
    )
    for field, message in required:
        if is_blank(draft.get(field)):
            problems.append(EntryError(field, message))
    if not draft.get("criteria"):
        problems.append(EntryError("criteria", N_("choose at least one criterion this entry evidences")))
    from . import evidence  # pylint: disable=import-outside-toplevel
    problems.extend(evidence.check_witnesses(draft.get("witnesses") or []))
    words = count_words(draft["body"])
    if draft.get("body") and words < config["min_words"]:
        problems.append(EntryError(
            "body", N_("{words} words; write at least {limit} words"), words=words, limit=config["min_words"]))
    if words > config["max_words"]:
        problems.append(EntryError(
            "body", N_("{words} words; the limit is {limit} words"), words=words, limit=config["max_words"]))
    stored = len(json.dumps(draft))
    if stored > MAX_STORED_BYTES:
        problems.append(EntryError(
            "body", N_("the entry needs {size} KB to store and the limit is {limit} KB; shorten it"),
            size=-(-stored // 1024), limit=MAX_STORED_BYTES // 1024,
        ))
    if problems:
        raise EntryErrors(problems)
    return words


# --------------------------------------------------------------------------- marking

def clean_marking(claimed: list, data: dict) -> dict:
    """
    Check a tutor's marking of a version that claimed ``claimed`` criteria.

    ``data`` holds ``criteria`` ({id: {"decision": "met"|"not_yet_met"|None, "comment": str}}),
    ``feedback`` (str) and ``decision`` ("pass" | "refer" | None). The decision is ``pass`` when every
    claimed criterion is met and ``refer`` otherwise; a tutor who sends no decision saves feedback only.
    Returns ``{"criteria", "feedback", "decision"}`` normalised; raises :class:`EntryError`.
    """
    criteria = data.get("criteria", {})
    if not isinstance(criteria, dict):
        raise EntryError("criteria", N_("must be an object of criterion id to decision and comment"))
    not_claimed = [ident for ident in criteria if ident not in claimed]
    if not_claimed:
        raise EntryError(
            "criteria", N_("not claimed by this version: {ids}"), ids=", ".join(sorted(not_claimed))
        )
    marks = {}
    for ident in claimed:
        mark = criteria.get(ident, {})
        if not isinstance(mark, dict):
            raise EntryError("criteria", N_("'{id}' must be an object with decision and comment"), id=ident)
        decision = mark.get("decision")
        if decision not in (MET, NOT_YET_MET, None):
            raise EntryError(
                "criteria", N_("'{id}' decision must be 'met' or 'not_yet_met'"), id=ident
            )
        comment = mark.get("comment", "")
        if not isinstance(comment, str):
            raise EntryError("criteria", N_("'{id}' comment must be text"), id=ident)
        comment = visible_or_empty(normalise_body(comment))
        if len(comment) > MAX_COMMENT:
            raise EntryError(
                "criteria", N_("'{id}' comment is longer than {limit} characters"), id=ident, limit=MAX_COMMENT
            )
        if decision or comment:
            marks[ident] = {"decision": decision, "comment": comment}

    feedback = data.get("feedback", "")
    if not isinstance(feedback, str):
        raise EntryError("feedback", N_("must be text"))
    feedback = visible_or_empty(normalise_body(feedback))
    if len(feedback) > MAX_FEEDBACK:
        raise EntryError("feedback", N_("at most {limit} characters"), limit=MAX_FEEDBACK)

    decision = data.get("decision")
    if decision not in (PASS, REFER, None):
        raise EntryError("decision", N_("must be 'pass', 'refer' or null (feedback only)"))
    if decision is None:
        if not feedback and not marks:
            raise EntryError("feedback", N_("there is nothing to save; add feedback or a comment"))
    else:
        problems = []  # every problem of a decision at once
        undecided = [ident for ident in claimed if not (marks.get(ident) or {}).get("decision")]
        if undecided:
            problems.append(EntryError(
                "criteria", N_("decide met or not yet met for: {ids}"), ids=", ".join(undecided)
            ))
        else:
            expected = decide(claimed, marks)
            if decision == PASS and expected != PASS:
                unmet = [ident for ident in claimed if marks[ident]["decision"] != MET]
                problems.append(EntryError(
                    "decision", N_("a pass needs every claimed criterion met; not yet met: {ids}"),
                    ids=", ".join(unmet),
                ))
            if decision == REFER and expected != REFER:
                problems.append(EntryError(
                    "decision", N_("every claimed criterion is met, so the decision is a pass, not a referral")
                ))
        if decision == REFER and not feedback:
            problems.append(EntryError("feedback", N_("tell the learner what to do before resubmitting")))
        if len(problems) == 1:
            raise problems[0]
        if problems:
            raise EntryErrors(problems)
    return {"criteria": marks, "feedback": feedback, "decision": decision}


def decide(claimed: list, marks: dict) -> str:
    """``pass`` when every claimed criterion is met, ``refer`` otherwise."""
    return PASS if all((marks.get(ident) or {}).get("decision") == MET for ident in claimed) else REFER


# --------------------------------------------------------------------------- queue

def clean_queue_request(data: dict) -> tuple[str, int]:
    """``status`` (default ``submitted``) and ``page`` (default 1) of a queue request; EntryError if bad."""
    status = data.get("status") or SUBMITTED
    if isinstance(status, list):  # a query string may repeat a parameter
        status = status[-1]
    if status not in QUEUE_STATUSES:
        raise EntryError(
            "status", N_("'{value}' is not one of: {allowed}"), value=str(status)[:40],
            allowed=", ".join(QUEUE_STATUSES),
        )
    page = data.get("page", 1)
    if isinstance(page, str) and _PAGE_NUMBER.fullmatch(page.strip()):  # ASCII digits only: not "²" or "١"
        page = int(page.strip())
    if not isinstance(page, int) or isinstance(page, bool) or not 1 <= page <= MAX_PAGE:
        raise EntryError("page", N_("'{value}' is not a page number (1 to {most})"), value=str(page)[:40], most=MAX_PAGE)
    return status, page
