"""The facilitation-exercise block's cross-learner queries: record each choice, aggregate the cohort's choices."""
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, Max, Q

from ..models import FacilitationAttempt, FacilitationChoice
from . import reflective_log


class DuplicateChoice(Exception):
    """
    The scene was already played in this attempt, or the attempt has ended (a concurrent request won).
    ``closed`` is True when the attempt can take no more moves (it reached an ending or was archived).
    """

    def __init__(self, attempt, closed=False):
        super().__init__(attempt)
        self.closed = closed


def record_facilitation_choice(*, block_key, course_key, student_id, username, attempt, scene_id,
                               choice_index, chosen_at, ending=None, practice=False, justification=None):
    """
    Store one choice and return the number of the attempt it belongs to; an attempt's row is created with
    its first choice.

    ``attempt`` is the number of the learner's attempt in progress, or None for the first choice of a new
    one: the new attempt's number then comes from this table, inside the transaction (one more than the
    learner's highest, archived rows included), never from the learner's saved state, which the platform's
    "reset attempts" and "delete learner state" change and concurrent requests can leave stale.
    ``ending`` (``{"id", "points", "max", "counts"}``) closes the attempt when the choice leads to an
    ending (``counts``: the attempt passed and is not practice). ``justification`` (``{"title", "body",
    "criteria", "unit", "word_count"}``) is stored in the same transaction as a submitted entry of kind
    ``exercise_justification``, which the unit's reflective logs list in their marking queue. Raises :class:`DuplicateChoice` when the scene was already played in this attempt or the
    attempt has already ended; then nothing is stored.
    """
    for tries_left in (2, 1, 0):
        try:
            with transaction.atomic():
                return _record_choice(block_key=block_key, course_key=course_key, student_id=student_id,
                                      username=username, attempt=attempt, scene_id=scene_id,
                                      choice_index=choice_index, chosen_at=chosen_at, ending=ending,
                                      practice=practice, justification=justification)
        except IntegrityError as error:
            if attempt is not None or not tries_left:
                raise DuplicateChoice(attempt) from error
            # A concurrent first move took the new number: count again.
        except OperationalError:
            if not tries_left:
                raise
            # The database chose this transaction as a deadlock victim (MySQL) or found the table
            # locked (SQLite): nothing was stored, try again.
    raise AssertionError("unreachable")  # pragma: no cover


def _record_choice(*, block_key, course_key, student_id, username, attempt, scene_id, choice_index,
                   chosen_at, ending, practice, justification):
    if attempt is None:
        mine = FacilitationAttempt.objects.select_for_update().filter(block_key=block_key, student_id=student_id)
        attempt = (mine.aggregate(highest=Max("attempt"))["highest"] or 0) + 1
        row = FacilitationAttempt.objects.create(
            block_key=block_key, student_id=student_id, attempt=attempt, course_key=course_key,
            username=username, started_at=chosen_at, practice=practice)
    else:
        row, _ = FacilitationAttempt.objects.get_or_create(
            block_key=block_key, student_id=student_id, attempt=attempt,
            defaults={"course_key": course_key, "username": username, "started_at": chosen_at,
                      "practice": practice},
        )
        if row.ending_id or row.archived:
            raise DuplicateChoice(attempt, closed=True)
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
    return attempt


def archive_facilitation_learner(block_key, student_id):
    """
    An instructor's "delete learner state": the learner's attempts and choices leave the choice report
    (kept, marked archived, for audit); their next move starts a new attempt. Returns the attempts archived.
    """
    with transaction.atomic():
        FacilitationChoice.objects.filter(block_key=block_key, student_id=student_id, archived=False).update(
            archived=True)
        return FacilitationAttempt.objects.filter(
            block_key=block_key, student_id=student_id, archived=False).update(archived=True)


def facilitation_choice_report(block_key):
    """
    Aggregate every learner's choices and endings in three grouped queries, whatever the cohort size.

    Returns ``{"choices": {(scene id, index): {"learners", "times"}}, "endings": {ending id: {"learners",
    "attempts"}}, "learners": {"started", "finished", "passed"}}``: ``learners`` counts distinct learners,
    ``times`` and ``attempts`` every play.
    """
    choices = (
        FacilitationChoice.objects.filter(block_key=block_key, archived=False)
        .values("scene_id", "choice_index")
        .annotate(learners=Count("student_id", distinct=True), times=Count("id"))
        .order_by()
    )
    endings = (
        FacilitationAttempt.objects.filter(block_key=block_key, archived=False).exclude(ending_id="")
        .values("ending_id")
        .annotate(learners=Count("student_id", distinct=True), attempts=Count("id"))
        .order_by()
    )
    learners = FacilitationAttempt.objects.filter(block_key=block_key, archived=False).aggregate(
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
