"""
One learner's work across a whole course, for the tutors' learner view and the whole-programme portfolio:
every reflective log (entries with versions, feedback and audit trail), every facilitation exercise (attempts
and the saved action plan), every needs assessment (attempts with their theme scores, first to latest) and
every saved learning activity (the learner's latest response).
A fixed number of indexed queries whatever the learner has done.
"""
from ..models import FacilitationActionPlan, FacilitationAttempt, NeedsAssessmentAttempt, ReflectiveEntry
from . import activity, reflective_log


def _iso(moment):
    return moment.isoformat() if moment else None


def _who(queryset, student_id, username):
    return queryset.filter(student_id=student_id) if student_id is not None else queryset.filter(username=username)


def save_action_plan(*, block_key, course_key, student_id, username, rows, reflection, saved_at):
    """Keep the learner's latest saved action plan of an exercise (one row per learner and block)."""
    FacilitationActionPlan.objects.update_or_create(
        block_key=block_key, student_id=student_id,
        defaults={"course_key": course_key, "username": username, "rows": rows, "reflection": reflection,
                  "saved_at": saved_at},
    )


def course_record(course_key, *, student_id=None, username=None, now=None):
    """
    ``{"logs": [{block_key, entries}], "exercises": [{block_key, attempts, plan}], "assessments":
    [{block_key, attempts}], "activities": [{id, block_key, title, prompt, response, words, first_saved_at,
    saved_at}]}`` for one learner (by student id, or by username for staff), blocks in the order the learner
    first used them; saved activity responses appear only in the learner's own record (by student id). Logs hold only entries submitted at least once (drafts are private).
    """
    entries = _who(ReflectiveEntry.objects.filter(course_key=course_key), student_id, username)
    entries = list(entries.exclude(status=reflective_log.rules.ARCHIVED).filter(version__gt=0).order_by("created_at", "id"))
    logs = {}
    for entry, data in zip(entries, reflective_log.entry_dicts(entries, with_audit=True, now=now)):
        logs.setdefault(entry.block_key, []).append(data)

    exercises = {}
    attempts = _who(FacilitationAttempt.objects.filter(course_key=course_key), student_id, username)
    for row in attempts.order_by("started_at", "id"):
        exercises.setdefault(row.block_key, {"attempts": [], "plan": None})["attempts"].append({
            "attempt": row.attempt, "started_at": _iso(row.started_at), "completed_at": _iso(row.completed_at),
            "ending_id": row.ending_id, "points": row.points, "max_points": row.max_points, "passed": row.passed,
        })
    plans = _who(FacilitationActionPlan.objects.filter(course_key=course_key), student_id, username)
    for row in plans.order_by("saved_at", "id"):
        exercises.setdefault(row.block_key, {"attempts": [], "plan": None})["plan"] = {
            "rows": row.rows, "reflection": row.reflection, "saved_at": _iso(row.saved_at)}

    assessments = {}
    answered = _who(NeedsAssessmentAttempt.objects.filter(course_key=course_key), student_id, username)
    for row in answered.order_by("submitted_at", "id"):
        assessments.setdefault(row.block_key, []).append({
            "attempt": row.attempt, "submitted_at": _iso(row.submitted_at), "overall": row.overall, "stage": row.stage,
            "scores": row.scores, "first_scores": row.first_scores,
        })
    return {
        "logs": [{"block_key": key, "entries": value} for key, value in logs.items()],
        "exercises": [{"block_key": key, **value} for key, value in exercises.items()],
        "assessments": [{"block_key": key, "attempts": value} for key, value in assessments.items()],
        # Saved activity responses only in the learner's own record (looked up by their student id): staff
        # looking a learner up by username see a response only where the learner cites it in a log entry.
        "activities": activity.learner_responses(course_key, student_id=student_id) if student_id is not None else [],
    }
