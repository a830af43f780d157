"""The needs-assessment block's cross-learner queries: record an attempt, aggregate the cohort, stream rows."""
from django.db import transaction
from django.db.models import Count, Sum

from ..models import NeedsAssessmentAttempt, NeedsAssessmentThemeScore


class DuplicateAttempt(Exception):
    """The attempt number was taken by a concurrent submission from the same learner."""


def record_needs_assessment_attempt(*, block_key, course_key, student_id, username, attempt,
                                    submitted_at, overall, stage, answers, themes, first_scores):
    """
    Store one attempt and its theme scores; it becomes the learner's latest.

    ``themes`` is the scored theme list (``id``, ``score``, ``band``).
    """
    scores = {theme["id"]: theme["score"] for theme in themes}
    with transaction.atomic():
        if NeedsAssessmentAttempt.objects.filter(
            block_key=block_key, student_id=student_id, attempt=attempt
        ).exists():
            raise DuplicateAttempt(attempt)
        NeedsAssessmentAttempt.objects.filter(
            block_key=block_key, student_id=student_id, is_latest=True
        ).update(is_latest=False)
        row = NeedsAssessmentAttempt.objects.create(
            block_key=block_key, course_key=course_key, student_id=student_id, username=username,
            attempt=attempt, is_latest=True, submitted_at=submitted_at, overall=overall,
            stage=stage or "", answers=answers, scores=scores, first_scores=first_scores,
        )
        NeedsAssessmentThemeScore.objects.bulk_create([
            NeedsAssessmentThemeScore(attempt=row, theme_id=theme["id"], score=theme["score"], band=theme["band"])
            for theme in themes
        ])
    return row


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
