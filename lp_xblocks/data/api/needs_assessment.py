"""The needs-assessment block's cross-learner queries: record an attempt, aggregate the cohort, stream rows."""
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, Max, Sum

from ..models import NeedsAssessmentAttempt, NeedsAssessmentThemeScore


class DuplicateAttempt(Exception):
    """Concurrent submissions from the same learner kept taking the attempt number (three tries)."""


def record_needs_assessment_attempt(*, block_key, course_key, student_id, username,
                                    submitted_at, overall, stage, answers, themes, first_scores=None):
    """
    Store one attempt and its theme scores; it becomes the learner's latest. Returns the row.

    The attempt's number comes from this table, inside the transaction (one more than the learner's
    highest, archived rows included), never from the learner's saved state: the platform's "reset
    attempts" and "delete learner state" change that state, and two tabs can hold stale copies of it.
    ``first_scores`` (theme id -> score of the learner's first attempt) defaults to the scores of their
    earliest attempt still on record, or this attempt's when it is the first.
    ``themes`` is the scored theme list (``id``, ``score``, ``band``).
    """
    scores = {theme["id"]: theme["score"] for theme in themes}
    for tries_left in (2, 1, 0):
        try:
            with transaction.atomic():
                return _record(block_key=block_key, course_key=course_key, student_id=student_id,
                               username=username, submitted_at=submitted_at, overall=overall, stage=stage,
                               answers=answers, themes=themes, scores=scores, first_scores=first_scores)
        except IntegrityError as error:
            if not tries_left:
                raise DuplicateAttempt(student_id) from error
            # A concurrent submission by the same learner took the number: count again.
        except OperationalError:
            if not tries_left:
                raise
            # The database chose this transaction as a deadlock victim (MySQL) or found the table
            # locked (SQLite): nothing was stored, try again.
    raise AssertionError("unreachable")  # pragma: no cover


def _record(*, block_key, course_key, student_id, username, submitted_at, overall, stage, answers, themes,
            scores, first_scores):
    mine = NeedsAssessmentAttempt.objects.select_for_update().filter(block_key=block_key, student_id=student_id)
    highest = mine.aggregate(highest=Max("attempt"))["highest"] or 0
    if first_scores is None:
        first = mine.filter(archived=False).order_by("attempt").values_list("scores", flat=True).first()
        first_scores = first if first is not None else scores
    mine.filter(is_latest=True).update(is_latest=False)
    row = NeedsAssessmentAttempt.objects.create(
        block_key=block_key, course_key=course_key, student_id=student_id, username=username,
        attempt=highest + 1, is_latest=True, submitted_at=submitted_at, overall=overall,
        stage=stage or "", answers=answers, scores=scores, first_scores=first_scores,
    )
    NeedsAssessmentThemeScore.objects.bulk_create([
        NeedsAssessmentThemeScore(attempt=row, theme_id=theme["id"], score=theme["score"], band=theme["band"])
        for theme in themes
    ])
    return row


def archive_needs_assessment_learner(block_key, student_id):
    """
    An instructor's "delete learner state": the learner's attempts leave every report (kept, marked
    archived, for audit); their next submission starts a fresh history. Returns how many were archived.
    """
    with transaction.atomic():
        return NeedsAssessmentAttempt.objects.filter(
            block_key=block_key, student_id=student_id, archived=False,
        ).update(archived=True, is_latest=False)


def needs_assessment_cohort(block_key):
    """
    Aggregate every learner's latest attempt in two queries, whatever the number of learners.

    Returns ``{"learners": n, "themes": {theme_id: {"respondents", "total", "bands": {label: count}}}}``.
    """
    learners = NeedsAssessmentAttempt.objects.filter(block_key=block_key, is_latest=True).count()
    grouped = (
        NeedsAssessmentThemeScore.objects
        .filter(attempt__block_key=block_key, attempt__is_latest=True)
        .values("theme_id", "band")
        .annotate(count=Count("id"), total=Sum("score"))
        .order_by()
    )
    themes = {}
    for row in grouped:
        theme = themes.setdefault(row["theme_id"], {"respondents": 0, "total": 0.0, "bands": {}})
        theme["respondents"] += row["count"]
        theme["total"] += row["total"]
        theme["bands"][row["band"]] = row["count"]
    return {"learners": learners, "themes": themes}


def needs_assessment_latest(block_key, chunk_size=2000):
    """Stream every learner's latest attempt (one query, ordered by learner), as plain dicts."""
    return (
        NeedsAssessmentAttempt.objects
        .filter(block_key=block_key, is_latest=True)
        .order_by("student_id")
        .values("student_id", "username", "attempt", "submitted_at", "overall", "stage", "scores", "first_scores")
        .iterator(chunk_size=chunk_size)
    )
