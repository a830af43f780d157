"""
The needs-assessment block's cross-learner queries: record an attempt (keeping the running summary in step),
read the cohort summary, stream rows, and the multi-rater partnerships.
"""
import secrets
import time
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Max

from ..models import (
    NeedsAssessmentAttempt, NeedsAssessmentSummary, NeedsAssessmentThemeScore, Partnership, PartnershipRater,
)

BLOCK_ROW = ""      # theme id of the summary row that counts the block's learners


class DuplicateAttempt(Exception):
    """Concurrent submissions from the same learner kept taking the attempt number (three tries)."""


def hundredths(score):
    """A two-place score as a whole number of hundredths (exact sums, whatever the order of additions)."""
    return int(Decimal(str(score)).scaleb(2).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _theme_deltas(themes, sign):
    """Summary increments for one attempt's theme rows (``sign`` +1 to add it, -1 to take it away)."""
    deltas = {}
    for theme in themes:
        key = (theme["id"], theme["band"] or "")
        learners, total, dont_know = deltas.get(key, (0, 0, 0))
        score = theme["score"]
        deltas[key] = (learners + sign, total + sign * (0 if score is None else hundredths(score)),
                       dont_know + sign * (theme.get("dont_know") or 0))
    return deltas


def _bump(block_key, theme_id, band, learners, total, dont_know):
    """Add to one summary row atomically (``UPDATE ... SET n = n + d``), creating the row the first time."""
    if not (learners or total or dont_know):
        return
    rows = NeedsAssessmentSummary.objects.filter(block_key=block_key, theme_id=theme_id, band=band)
    changes = {"learners": F("learners") + learners, "score_hundredths": F("score_hundredths") + total,
               "dont_know": F("dont_know") + dont_know}
    if rows.update(**changes):
        return
    try:
        with transaction.atomic():
            NeedsAssessmentSummary.objects.create(block_key=block_key, theme_id=theme_id, band=band,
                                                  learners=learners, score_hundredths=total, dont_know=dont_know)
    except IntegrityError:
        # A concurrent submit created the row first; the UPDATE reads the committed row.
        rows.update(**changes)


def _ensure_summary_rows(block_key, keys):
    """
    Create the summary rows a submit will update, if missing, before its transaction (``INSERT IGNORE`` /
    ``INSERT OR IGNORE``, autocommitted): inside the transaction every change is then an UPDATE of an existing
    row, which takes a row lock and no gap lock.
    """
    NeedsAssessmentSummary.objects.bulk_create(
        [NeedsAssessmentSummary(block_key=block_key, theme_id=theme_id, band=band) for theme_id, band in keys],
        ignore_conflicts=True,
    )


DEADLOCK_RETRIES = 5
_RETRYABLE = {1213, 1205}          # MySQL/MariaDB: deadlock found; lock wait timeout exceeded


def _retrying(work):
    """
    Run ``work()`` in its own transaction, again when MySQL/MariaDB chose it as a deadlock victim (the server
    rolled it back entirely, so running it again is safe). Inside an outer transaction it runs once: only the
    outermost transaction can be retried.
    """
    from django.db import OperationalError, connection  # pylint: disable=import-outside-toplevel
    for attempt in range(DEADLOCK_RETRIES):
        try:
            with transaction.atomic():
                return work()
        except OperationalError as error:
            code = error.args[0] if error.args else None
            if code not in _RETRYABLE or connection.in_atomic_block or attempt == DEADLOCK_RETRIES - 1:
                raise
            time.sleep(0.01 * (attempt + 1) * (1 + secrets.randbelow(10)))
    raise AssertionError("unreachable")


def record_needs_assessment_attempt(*, block_key, course_key, student_id, username,
                                    submitted_at, overall, stage, answers, themes, first_scores=None,
                                    dont_know=0, placements=None, comments=None, partnership_id=None):
    """
    Store one attempt and its theme scores; it becomes the learner's latest. In the same transaction the
    block's summary loses the learner's previous latest attempt and gains this one.

    ``themes`` is the scored theme list (``id``, ``score``, ``band``, ``dont_know``); a theme answered
    "don't know" throughout has score and band None.

    The attempt's number comes from this table, inside the transaction (one more than the learner's
    highest, archived rows included), never from the learner's saved state: the platform's "reset
    attempts" and "delete learner state" change that state, and two tabs can hold stale copies of it.
    ``first_scores`` (theme id -> score of the learner's first attempt) defaults to the scores of their
    earliest attempt still on record, or this attempt's when it is the first. Returns the row.

    Concurrency: the attempt number is unique per learner (a concurrent submission that took it makes this
    one count again, three times at most, then :class:`DuplicateAttempt`);
    the previous latest attempt is taken over with ``UPDATE ... WHERE id = ? AND is_latest`` (only the submit
    that flips it takes it out of the summary); summary rows are changed with ``n = n + d`` in a fixed order.
    """
    scores = {theme["id"]: theme["score"] for theme in themes if theme["score"] is not None}
    _ensure_summary_rows(block_key, [(BLOCK_ROW, "")] + sorted(_theme_deltas(themes, +1)))

    def work():
        mine = NeedsAssessmentAttempt.objects.filter(block_key=block_key, student_id=student_id)
        attempt = (mine.aggregate(highest=Max("attempt"))["highest"] or 0) + 1
        first = first_scores
        if first is None:
            earliest = mine.filter(archived=False).order_by("attempt").values_list("scores", flat=True).first()
            first = earliest if earliest is not None else scores
        # attempt__lt lets the unique (block_key, student_id, attempt) index find the row: a bare boolean
        # condition cannot use an index on is_latest. A plain read: no range or gap locks.
        previous_ids = list(
            NeedsAssessmentAttempt.objects
            .filter(block_key=block_key, student_id=student_id, attempt__lt=attempt, is_latest=True)
            .values_list("pk", flat=True)
        )
        try:
            with transaction.atomic():
                row = NeedsAssessmentAttempt.objects.create(
                    block_key=block_key, course_key=course_key, student_id=student_id, username=username,
                    attempt=attempt, is_latest=True, submitted_at=submitted_at, overall=overall,
                    stage=stage or "", answers=answers, scores=scores, first_scores=first,
                    dont_know=dont_know, placements=placements or {}, comments=comments or {},
                    partnership_id=partnership_id,
                )
        except IntegrityError as error:
            raise DuplicateAttempt(attempt) from error
        NeedsAssessmentThemeScore.objects.bulk_create([
            NeedsAssessmentThemeScore(attempt=row, theme_id=theme["id"], score=theme["score"],
                                      band=theme["band"] or "", dont_know=theme.get("dont_know") or 0)
            for theme in themes
        ])
        deltas = _theme_deltas(themes, +1)
        block_delta = [1, 0, dont_know]
        # Only the rows this submit actually flips leave the summary (a concurrent retake may have flipped one).
        taken = [pk for pk in previous_ids
                 if NeedsAssessmentAttempt.objects.filter(pk=pk, is_latest=True).update(is_latest=False)]
        if taken:
            old_themes = [{"id": t.theme_id, "score": t.score, "band": t.band, "dont_know": t.dont_know}
                          for t in NeedsAssessmentThemeScore.objects.filter(attempt_id__in=taken)]
            for key, (learners, total, dk) in _theme_deltas(old_themes, -1).items():
                was = deltas.get(key, (0, 0, 0))
                deltas[key] = (was[0] + learners, was[1] + total, was[2] + dk)
            block_delta[0] -= len(taken)
            block_delta[2] -= sum(NeedsAssessmentAttempt.objects.filter(pk__in=taken)
                                  .values_list("dont_know", flat=True))
        # A fixed order of row updates: two submits never wait on each other's rows in opposite orders.
        _bump(block_key, BLOCK_ROW, "", *block_delta)
        for (theme_id, band), (learners, total, dk) in sorted(deltas.items()):
            _bump(block_key, theme_id, band, learners, total, dk)
        return row

    for tries_left in (2, 1, 0):
        try:
            return _retrying(work)
        except DuplicateAttempt:
            if not tries_left:
                raise
            # A concurrent submission by the same learner took the number: count again.
    raise AssertionError("unreachable")  # pragma: no cover


def withdraw_needs_assessment_latest(block_key, student_id):
    """
    Take a learner's latest attempt out of the cohort (it stays stored, no longer latest) and out of the
    running summary, in one transaction: for a reset or deleted learner state. Returns True when there was one.
    """
    with transaction.atomic():
        latest = list(NeedsAssessmentAttempt.objects.select_for_update()
                      .filter(block_key=block_key, student_id=student_id, is_latest=True))
        if not latest:
            return False
        NeedsAssessmentAttempt.objects.filter(pk__in=[row.pk for row in latest]).update(is_latest=False)
        themes = [{"id": t.theme_id, "score": t.score, "band": t.band, "dont_know": t.dont_know}
                  for t in NeedsAssessmentThemeScore.objects.filter(attempt__in=latest)]
        _bump(block_key, BLOCK_ROW, "", -len(latest), 0, -sum(row.dont_know for row in latest))
        for (theme_id, band), (learners, total, dk) in sorted(_theme_deltas(themes, -1).items()):
            _bump(block_key, theme_id, band, learners, total, dk)
    return True


def _summary_from(rows):
    learners, dont_know, themes = 0, 0, {}
    for theme_id, band, count, total, dk in rows:
        if theme_id == BLOCK_ROW:
            learners, dont_know = count, dk
            continue
        theme = themes.setdefault(theme_id, {"respondents": 0, "total": 0.0, "bands": {}, "dont_know": 0,
                                             "unscored": 0})
        theme["dont_know"] += dk
        if band:
            theme["respondents"] += count
            theme["total"] = (Decimal(str(theme["total"])) + Decimal(total).scaleb(-2))
            theme["bands"][band] = count
        else:
            theme["unscored"] += count
    for theme in themes.values():
        theme["total"] = float(theme["total"])
    return {"learners": learners, "dont_know": dont_know, "themes": themes}


def archive_needs_assessment_learner(block_key, student_id):
    """
    An instructor's "delete learner state": the learner's attempts leave every report (kept, marked
    archived, for audit); their next submission starts a fresh history. Returns how many were archived.
    """
    with transaction.atomic():
        withdraw_needs_assessment_latest(block_key, student_id)  # keeps the running summary in step
        return NeedsAssessmentAttempt.objects.filter(
            block_key=block_key, student_id=student_id, archived=False,
        ).update(archived=True, is_latest=False)


def needs_assessment_cohort(block_key):
    """
    The block's summary: one indexed read of (themes x bands) rows, whatever the number of learners.

    Returns ``{"learners", "dont_know", "themes": {theme_id: {"respondents", "total", "bands": {label: n},
    "dont_know", "unscored"}}}`` over every learner's latest attempt.
    """
    rows = (NeedsAssessmentSummary.objects.filter(block_key=block_key)
            .values_list("theme_id", "band", "learners", "score_hundredths", "dont_know"))
    return _summary_from([row for row in rows if row[2] or row[3] or row[4]])


def recompute_needs_assessment_cohort(block_key):
    """The same figures as :func:`needs_assessment_cohort`, recomputed from every latest attempt (for checks)."""
    totals = {}
    latest = NeedsAssessmentAttempt.objects.filter(block_key=block_key, is_latest=True)
    learners = latest.count()
    dont_know = sum(latest.values_list("dont_know", flat=True))
    for theme_id, band, score, dk in NeedsAssessmentThemeScore.objects.filter(
            attempt__block_key=block_key, attempt__is_latest=True).values_list("theme_id", "band", "score", "dont_know"):
        count, total, dks = totals.get((theme_id, band), (0, 0, 0))
        totals[(theme_id, band)] = (count + 1, total + (0 if score is None else hundredths(score)), dks + dk)
    rows = [(theme_id, band, *values) for (theme_id, band), values in totals.items()]
    return _summary_from([(BLOCK_ROW, "", learners, 0, dont_know)] + rows if learners else rows)


def rebuild_needs_assessment_summary(block_key):
    """
    Replace the block's summary rows with a full recomputation (after rows were written around
    :func:`record_needs_assessment_attempt`, e.g. a bulk load or a repair). Returns the recomputed figures.
    """
    with transaction.atomic():
        latest = NeedsAssessmentAttempt.objects.filter(block_key=block_key, is_latest=True)
        totals = {}
        learners = latest.count()
        if learners:
            totals[(BLOCK_ROW, "")] = [learners, 0, sum(latest.values_list("dont_know", flat=True))]
        for theme_id, band, score, dk in NeedsAssessmentThemeScore.objects.filter(
                attempt__block_key=block_key, attempt__is_latest=True).values_list(
                    "theme_id", "band", "score", "dont_know").iterator():
            row = totals.setdefault((theme_id, band), [0, 0, 0])
            row[0] += 1
            row[1] += 0 if score is None else hundredths(score)
            row[2] += dk
        NeedsAssessmentSummary.objects.filter(block_key=block_key).delete()
        NeedsAssessmentSummary.objects.bulk_create([
            NeedsAssessmentSummary(block_key=block_key, theme_id=theme_id, band=band, learners=count,
                                   score_hundredths=total, dont_know=dk)
            for (theme_id, band), (count, total, dk) in totals.items()
        ])
    return needs_assessment_cohort(block_key)


def needs_assessment_latest(block_key, chunk_size=2000):
    """Stream every learner's latest attempt (one query, ordered by learner), as plain dicts."""
    return (
        NeedsAssessmentAttempt.objects
        .filter(block_key=block_key, is_latest=True)
        .order_by("student_id")
        .values("student_id", "username", "attempt", "submitted_at", "overall", "stage", "scores", "first_scores",
                "dont_know")
        .iterator(chunk_size=chunk_size)
    )


# ------------------------------------------------------------------------------------------ partnerships


class PartnershipRefused(Exception):
    """A partnership cannot be created or joined; ``reason`` says why (``code``, ``other``, ``manager``)."""

    def __init__(self, reason, partnership=None):
        super().__init__(reason)
        self.reason = reason
        self.partnership = partnership


_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"   # no 0/O or 1/I to misread


def _new_code():
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def _plain(partnership, role):
    return {"code": partnership.code, "name": partnership.name, "role": role, "id": partnership.pk}


def membership(course_key, student_id):
    """``{"id", "code", "name", "role"}`` of the learner's partnership in the course, or None."""
    rater = (PartnershipRater.objects.select_related("partnership")
             .filter(course_key=course_key, student_id=student_id).first())
    return _plain(rater.partnership, rater.role) if rater else None


def create_partnership(*, course_key, student_id, username, name, now):
    """The manager's partnership (created on the first call; the same one after). Refused for a partner."""
    with transaction.atomic():
        found = membership(course_key, student_id)
        if found:
            if found["role"] != PartnershipRater.MANAGER:
                raise PartnershipRefused("other", found)
            return found
        for _ in range(5):
            try:
                with transaction.atomic():
                    partnership = Partnership.objects.create(
                        course_key=course_key, code=_new_code(), name=name, manager_student_id=student_id,
                        manager_username=username, created_at=now)
                    PartnershipRater.objects.create(partnership=partnership, course_key=course_key,
                                                    student_id=student_id, username=username,
                                                    role=PartnershipRater.MANAGER, joined_at=now)
                return _plain(partnership, PartnershipRater.MANAGER)
            except IntegrityError:
                found = membership(course_key, student_id)
                if found:                       # a concurrent call created it
                    return found
        raise PartnershipRefused("code")


def join_partnership(*, course_key, student_id, username, code, now):
    """
    Join the partnership with ``code`` as a partner. Joining the same partnership again changes nothing;
    a learner already in another partnership of the course (or its manager) is refused.
    """
    code = (code or "").strip().upper()
    partnership = Partnership.objects.filter(course_key=course_key, code=code).first()
    if partnership is None:
        raise PartnershipRefused("code")
    found = membership(course_key, student_id)
    if found:
        if found["id"] == partnership.pk:
            return found
        raise PartnershipRefused("other", found)
    try:
        with transaction.atomic():
            PartnershipRater.objects.create(partnership=partnership, course_key=course_key, student_id=student_id,
                                            username=username, role=PartnershipRater.PARTNER, joined_at=now)
    except IntegrityError:
        found = membership(course_key, student_id)
        if found and found["id"] == partnership.pk:
            return found
        raise PartnershipRefused("other", found) from None
    return _plain(partnership, PartnershipRater.PARTNER)


def partnership_ratings(block_key, partnership_id):
    """
    The latest attempt at one block of every current member of a partnership, as
    ``[{"student_id", "role", "answers", "scores", "placements"}]`` (one per rater, however often they retook).
    """
    raters = dict(PartnershipRater.objects.filter(partnership_id=partnership_id).values_list("student_id", "role"))
    rows = (NeedsAssessmentAttempt.objects
            .filter(block_key=block_key, is_latest=True, student_id__in=list(raters))
            .values("student_id", "answers", "scores", "placements"))
    return [{**row, "role": raters[row["student_id"]]} for row in rows]
