#!/usr/bin/env python
"""
Benchmark the needs-assessment ``cohort_report`` handler over a large cohort.

    python benchmarks/cohort_report.py [--learners 10000] [--repeat 5] [--explain] [--keep-db]

What it does:

1. Points Django at a fresh temporary SQLite database (``LP_WORKBENCH_DB``; ``LP_VAR_DIR`` also goes to the
   temporary folder so the workbench log is written there) and migrates it. The repository's ``var/`` is
   never touched.
2. Parses the partnership health check scenario into the SDK's WorkbenchRuntime.
3. Fills N learners' attempts (seeded, realistic answers scored with ``instrument.score``; about 30% of
   learners answer twice) straight into ``NeedsAssessmentAttempt`` and ``NeedsAssessmentThemeScore`` with
   ``bulk_create`` -- the same field values ``api.record_needs_assessment_attempt`` writes -- then brings
   the running summary in step (``api.rebuild_needs_assessment_summary``).
4. Calls the real handler as a tutor (``block.handle("cohort_report", ...)``) once to warm up, then
   ``--repeat`` times, timing each call and counting its SQL queries; does the same on a second block
   holding 100 learners to show the query count does not grow with the cohort.

It is a measurement, not a test: the exit status is 0 whether or not the target (median < 300 ms,
constant query count) is met, and non-zero only when something goes wrong (e.g. the handler does not
answer 200 or reports the wrong number of learners).
"""
import random
import sys
import time
from datetime import datetime, timedelta, timezone

from harness import (
    REPO, cohort_verdict, explain, fast_inserts, handler_caller, measure, parse_args, parse_scenario_file, print_table,
    run_in_temporary_database,
)

SCENARIO = REPO / "lp_xblocks" / "needs_assessment" / "scenarios" / "partnership_health_check.xml"
TARGET_MS = 300.0
SMALL_COHORT = 100
BATCH = 2000  # attempts per bulk_create batch (theme scores: BATCH * themes rows)


# ---------------------------------------------------------------------------- filling


def learner_answers(rng, statement_ids, scale_values, tendency):
    """One learner's answers: a personal tendency plus noise, clamped to the scale."""
    low, high = scale_values[0], scale_values[-1]
    return {
        sid: min(high, max(low, round(tendency + rng.gauss(0, 0.9))))
        for sid in statement_ids
    }


def fill(usage_id, instrument, learners, rng, prefix):
    """
    Write ``learners`` learners' attempts for the block; ~30% have a second attempt.

    Returns ``(attempt_rows, theme_score_rows, seconds)``.
    """
    from django.db import transaction  # pylint: disable=import-outside-toplevel
    from django.db.models import Max  # pylint: disable=import-outside-toplevel

    from lp_xblocks.data.models import (  # pylint: disable=import-outside-toplevel
        NeedsAssessmentAttempt, NeedsAssessmentThemeScore,
    )
    from lp_xblocks.needs_assessment import instrument as core  # pylint: disable=import-outside-toplevel

    block_key = str(usage_id)
    course_key = ""  # the workbench's usage ids carry no course (permissions.course_key)
    statement_ids = core.statement_ids(instrument)
    scale_values = [point["value"] for point in instrument["scale"]]
    started = time.perf_counter()
    base_time = datetime(2024, 9, 1, 9, 0, tzinfo=timezone.utc)

    # Explicit primary keys: no need to read ids back, and theme scores can point at their attempt at once.
    next_attempt_id = (NeedsAssessmentAttempt.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    next_score_id = (NeedsAssessmentThemeScore.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    attempt_rows, score_rows = [], []
    n_attempts = n_scores = 0

    def flush():
        nonlocal attempt_rows, score_rows
        NeedsAssessmentAttempt.objects.bulk_create(attempt_rows)
        NeedsAssessmentThemeScore.objects.bulk_create(score_rows)
        attempt_rows, score_rows = [], []

    def add(student_id, number, is_latest, submitted_at, answers, scored, first_scores):
        nonlocal next_attempt_id, next_score_id, n_attempts, n_scores
        attempt_id = next_attempt_id
        next_attempt_id += 1
        attempt_rows.append(NeedsAssessmentAttempt(
            id=attempt_id, block_key=block_key, course_key=course_key, student_id=student_id,
            username=student_id, attempt=number, is_latest=is_latest, submitted_at=submitted_at,
            overall=scored["overall"], stage="", answers=answers,
            scores={theme["id"]: theme["score"] for theme in scored["themes"]}, first_scores=first_scores,
        ))
        for theme in scored["themes"]:
            score_rows.append(NeedsAssessmentThemeScore(
                id=next_score_id, attempt_id=attempt_id, theme_id=theme["id"],
                score=theme["score"], band=theme["band"],
            ))
            next_score_id += 1
        n_attempts += 1
        n_scores += len(scored["themes"])

    fast_inserts()
    with transaction.atomic():
        for index in range(learners):
            student_id = f"{prefix}-{index:06d}"
            tendency = rng.uniform(1.3, 4.7)
            answers = learner_answers(rng, statement_ids, scale_values, tendency)
            scored = core.score(instrument, answers)
            first_scores = {theme["id"]: theme["score"] for theme in scored["themes"]}
            submitted = base_time + timedelta(minutes=rng.randrange(0, 60 * 24 * 60))
            retakes = rng.random() < 0.30
            add(student_id, 1, not retakes, submitted, answers, scored, first_scores)
            if retakes:
                # A later attempt, usually a little better than the first.
                answers2 = learner_answers(rng, statement_ids, scale_values, tendency + rng.uniform(-0.2, 0.8))
                scored2 = core.score(instrument, answers2)
                submitted2 = submitted + timedelta(days=rng.randrange(14, 120))
                add(student_id, 2, True, submitted2, answers2, scored2, first_scores)
            if len(attempt_rows) >= BATCH:
                flush()
        flush()
    # Rows written around the submit path: bring the running summary in step, as a submit would have.
    from lp_xblocks.data import api  # pylint: disable=import-outside-toplevel
    api.rebuild_needs_assessment_summary(block_key)
    return n_attempts, n_scores, time.perf_counter() - started


# ---------------------------------------------------------------------------- measuring


def check(status, data, learners, label):
    if status != 200:
        raise RuntimeError(f"{label}: cohort_report answered {status}: {data}")
    if not isinstance(data, dict) or data.get("learners") != learners:
        got = data.get("learners") if isinstance(data, dict) else data
        raise RuntimeError(f"{label}: cohort_report reported {got} learners, expected {learners}")


# ---------------------------------------------------------------------------- main


def main(argv=None):
    args = parse_args(__doc__.split("\n\n", 1)[0], argv)
    return run_in_temporary_database("lp-bench-cohort-", args.keep_db, lambda db_name: run(args, db_name))


def run(args, db_name):
    parser, usage_id = parse_scenario_file(SCENARIO, "bench")
    _, small_usage_id = parse_scenario_file(SCENARIO, "bench-small")
    instrument = parser.get_block(usage_id).instrument
    n_themes = len(instrument["themes"])
    n_statements = sum(len(theme["statements"]) for theme in instrument["themes"])
    print(f"Temporary database: {db_name}")
    print(f"Scenario: {SCENARIO.name} ({n_themes} themes, {n_statements} statements); blocks {usage_id}, {small_usage_id}")

    rng = random.Random(args.seed)
    attempts, scores, seconds = fill(usage_id, instrument, args.learners, rng, "learner")
    print(f"Filled {args.learners} learners ({attempts} attempts, {scores} theme scores) in {seconds:.2f} s")
    small_attempts, small_scores, small_seconds = fill(small_usage_id, instrument, SMALL_COHORT, rng, "small")
    print(f"Filled {SMALL_COHORT} learners ({small_attempts} attempts, {small_scores} theme scores) "
          f"in {small_seconds:.2f} s")

    small = measure(handler_caller(small_usage_id, "cohort_report"), args.repeat,
                    lambda status, data, label: check(status, data, SMALL_COHORT, label), f"{SMALL_COHORT} learners")
    large = measure(handler_caller(usage_id, "cohort_report"), args.repeat,
                    lambda status, data, label: check(status, data, args.learners, label), f"{args.learners} learners")

    verdict, fast, _constant = cohort_verdict("cohort_report", small, large, SMALL_COHORT, args.learners,
                                              args.repeat, TARGET_MS)
    print_table([
        ("learners", f"{args.learners}"),
        ("attempts rows", f"{attempts}"),
        ("theme-score rows", f"{scores}"),
        *verdict,
    ])

    respondents = {theme["id"]: theme["respondents"] for theme in large["data"]["themes"]}
    if set(respondents.values()) != {args.learners}:
        print(f"\nnote: respondents per theme differ from learners: {respondents}")

    if args.explain or not fast:
        explain(large["sql"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
