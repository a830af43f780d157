"""The facilitation-exercise block's cross-learner queries: record each choice, aggregate the cohort's choices."""
from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from ..models import FacilitationAttempt, FacilitationChoice
from . import reflective_log


class DuplicateChoice(Exception):
    """The scene was already played in this attempt, or the attempt has ended (a concurrent request won)."""


def record_facilitation_choice(*, block_key, course_key, student_id, username, attempt, scene_id,
                               choice_index, chosen_at, ending=None, practice=False, justification=None):
    """
    Store one choice; the attempt's row is created with its first choice.

    ``ending`` (``{"id", "points", "max", "counts"}``) closes the attempt when the choice leads to an
    ending (``counts``: the attempt passed and is not practice). ``justification`` (``{"title", "body",
    "criteria", "unit", "word_count"}``) is stored in the same transaction as a submitted entry of kind
    ``exercise_justification``, which the unit's reflective logs list in their marking queue. Raises
    :class:`DuplicateChoice` when the scene was already played in this attempt or the attempt has
    already ended; then nothing is stored.
    """
    try:
        with transaction.atomic():
            row, _ = FacilitationAttempt.objects.get_or_create(
                block_key=block_key, student_id=student_id, attempt=attempt,
                defaults={"course_key": course_key, "username": username, "started_at": chosen_at,
                          "practice": practice},
            )
            if row.ending_id:
                raise DuplicateChoice(attempt)
            FacilitationChoice.objects.create(
                block_key=block_key, student_id=student_id, attempt=attempt, scene_id=scene_id,
                choice_index=choice_index, chosen_at=chosen_at,
            )
            if ending is not None:
                row.ending_id = ending["id"]
                row.points = ending["points"]
                row.max_points = ending["max"]
                row.passed = ending["counts"]
                row.completed_at = chosen_at
                row.save(update_fields=["ending_id", "points", "max_points", "passed", "completed_at"])
            if justification is not None:
                reflective_log.submit_justification(
                    block_key=block_key, course_key=course_key, student_id=student_id, username=username,
                    unit=justification["unit"], attempt=attempt, scene_id=scene_id, title=justification["title"],
                    body=justification["body"], criteria=justification["criteria"],
                    word_count=justification["word_count"], now=chosen_at,
                )
    except IntegrityError as error:
        raise DuplicateChoice(attempt) from error


def facilitation_choice_report(block_key):
    """
    Aggregate every learner's choices and endings in three grouped queries, whatever the cohort size.

    Returns ``{"choices": {(scene id, index): {"learners", "times"}}, "endings": {ending id: {"learners",
    "attempts"}}, "learners": {"started", "finished", "passed"}}``: ``learners`` counts distinct learners,
    ``times`` and ``attempts`` every play.
    """
    choices = (
        FacilitationChoice.objects.filter(block_key=block_key)
        .values("scene_id", "choice_index")
        .annotate(learners=Count("student_id", distinct=True), times=Count("id"))
        .order_by()
    )
    endings = (
        FacilitationAttempt.objects.filter(block_key=block_key).exclude(ending_id="")
        .values("ending_id")
        .annotate(learners=Count("student_id", distinct=True), attempts=Count("id"))
        .order_by()
    )
    learners = FacilitationAttempt.objects.filter(block_key=block_key).aggregate(
        started=Count("student_id", distinct=True),
        finished=Count("student_id", distinct=True, filter=~Q(ending_id="")),
        passed=Count("student_id", distinct=True, filter=Q(passed=True)),
    )
    return {
        "choices": {(row["scene_id"], row["choice_index"]): {"learners": row["learners"], "times": row["times"]}
                    for row in choices},
        "endings": {row["ending_id"]: {"learners": row["learners"], "attempts": row["attempts"]} for row in endings},
        "learners": learners,
    }
