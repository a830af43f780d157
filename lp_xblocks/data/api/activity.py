"""
The saved-learning-activity block's records: keep a learner's latest response, list a learner's responses for
their own portfolio, and offer them as citable evidence (source ``activity`` of :mod:`.citations`).

Every function is scoped to one learner (by student id, or by username for staff views): no function here
lists another learner's responses, so a learner can neither read nor cite anyone else's.
"""
from django.db import IntegrityError, OperationalError, transaction

from ...common.errors import N_
from ..models import ActivityResponse
from . import citations

CITATION_KIND = "activity"
SUMMARY_CHARS = 200


def _iso(moment):
    return moment.isoformat() if moment else None


def save_response(*, block_key, course_key, student_id, username, title, prompt, text, words, saved_at):
    """
    Keep the learner's latest response to an activity (one row per learner and block); returns it. Two tabs
    saving a first response at once: the one whose insert loses the unique constraint updates the winner's row.
    """
    for tries_left in (1, 0):
        try:
            return _save(block_key=block_key, course_key=course_key, student_id=student_id, username=username,
                         title=title, prompt=prompt, text=text, words=words, saved_at=saved_at)
        except IntegrityError:
            if not tries_left:
                raise
        except OperationalError:  # a deadlock victim (MySQL) or a locked table (SQLite): nothing was stored
            if not tries_left:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _save(*, block_key, course_key, student_id, username, title, prompt, text, words, saved_at):
    with transaction.atomic():
        row = ActivityResponse.objects.select_for_update().filter(block_key=block_key, student_id=student_id).first()
        if row is None:
            return ActivityResponse.objects.create(
                block_key=block_key, course_key=course_key, student_id=student_id, username=username, title=title,
                prompt=prompt, response=text, word_count=words, first_saved_at=saved_at, saved_at=saved_at)
        if row.archived:
            row.first_saved_at = saved_at
        row.course_key, row.username, row.title, row.prompt = course_key, username, title, prompt
        row.response, row.word_count, row.saved_at, row.archived = text, words, saved_at, False
        row.save()
        return row


def own_response(block_key, student_id):
    """The learner's live (not archived) response to this activity as a dict, or None."""
    row = ActivityResponse.objects.filter(block_key=block_key, student_id=student_id, archived=False).first()
    return _as_dict(row) if row is not None else None


def archive_learner(block_key, student_id):
    """An instructor's "delete learner state": the response leaves the portfolio (kept, archived). Returns rows archived."""
    return ActivityResponse.objects.filter(block_key=block_key, student_id=student_id, archived=False).update(
        archived=True)


def _as_dict(row):
    return {"id": str(row.pk), "block_key": row.block_key, "title": row.title, "prompt": row.prompt,
            "response": row.response, "words": row.word_count, "first_saved_at": _iso(row.first_saved_at),
            "saved_at": _iso(row.saved_at)}


def learner_responses(course_key, *, student_id=None, username=None):
    """One learner's live responses in a course, in the order first saved (one indexed query)."""
    rows = ActivityResponse.objects.filter(course_key=course_key, archived=False)
    rows = rows.filter(student_id=student_id) if student_id is not None else rows.filter(username=username)
    return [_as_dict(row) for row in rows.order_by("first_saved_at", "id")]


def _summary(text):
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_CHARS else text[:SUMMARY_CHARS - 1].rstrip() + "\u2026"


def _citable(row):
    return {"id": str(row.pk), "title": row.title, "date": row.saved_at.date().isoformat(),
            "summary": _summary(row.response), "witness": False}


def citable_items(course_key, student_id):
    """The learner's responses they may cite, newest first (a citations source's ``list_items``)."""
    rows = ActivityResponse.objects.filter(course_key=course_key, student_id=student_id, archived=False)
    return [_citable(row) for row in rows.order_by("-saved_at", "-id")]


def citable_item(course_key, student_id, item_id):
    """One response, only when it is this learner's in this course (a citations source's ``get_item``)."""
    if not str(item_id).isdigit():
        return None
    row = ActivityResponse.objects.filter(pk=int(item_id), course_key=course_key, student_id=student_id,
                                          archived=False).first()
    return _citable(row) if row is not None else None


# The label is marked for extraction; the reflective log translates it where it shows it.
citations.register(CITATION_KIND, N_("Saved learning activity"), citable_items, citable_item)
