#!/usr/bin/env python
"""
Benchmark the facilitation exercise's ``choice_report`` handler over a large cohort.

    python benchmarks/facilitation_choice_report.py [--learners 10000] [--repeat 5] [--explain] [--keep-db]

What it does:

1. Migrates a fresh temporary SQLite database (see ``harness.py``; the repository's ``var/`` is never touched).
2. Parses the contentious-meeting scenario (7 scenes, 5 endings) into the SDK's WorkbenchRuntime.
3. Plays N learners through it with the pure engine (``scenario.choose``, ``scenario.outcome``): each learner
   makes one to three attempts of random moves, about one attempt in ten is abandoned half-way, and the rows
   go straight into ``FacilitationAttempt`` and ``FacilitationChoice`` with ``bulk_create`` -- the field
   values ``api.record_facilitation_choice`` writes.
4. Calls the real handler as a tutor once to warm up, then ``--repeat`` times, timing each call and counting
   its SQL queries; does the same on a second block holding 100 learners to show that the query count does
   not grow with the cohort.

A measurement, not a test: the exit status is 0 whether or not the target (median < 300 ms, constant query
count) is met, and non-zero only when something goes wrong (the handler does not answer 200, or its counts
disagree with what was filled).
"""
import random
import sys
import time
from datetime import datetime, timedelta, timezone

from harness import (
    REPO, cohort_verdict, explain, fast_inserts, handler_caller, measure, parse_args, parse_scenario_file, print_table,
    run_in_temporary_database,
)

SCENARIO = REPO / "lp_xblocks" / "facilitation" / "scenarios" / "contentious_meeting.xml"
TARGET_MS = 300.0
SMALL_COHORT = 100
BATCH = 5000  # choice rows per bulk_create batch


# ---------------------------------------------------------------------------- filling


def fill(usage_id, scenario, learners, rng, prefix):
    """
    Play ``learners`` learners through the scenario and store their attempts and choices.

    Returns ``(figures, seconds)`` where figures holds the row counts and the learners who started,
    finished and passed, to check the report against.
    """
    from django.db import transaction  # pylint: disable=import-outside-toplevel

    from lp_xblocks.data.models import FacilitationAttempt, FacilitationChoice  # pylint: disable=import-outside-toplevel
    from lp_xblocks.facilitation import scenario as core  # pylint: disable=import-outside-toplevel

    block_key = str(usage_id)
    started = time.perf_counter()
    base_time = datetime(2026, 9, 1, 9, 0, tzinfo=timezone.utc)
    attempts, choices = [], []
    figures = {"attempts": 0, "choices": 0, "started": 0, "finished": 0, "passed": 0}

    def flush():
        nonlocal attempts, choices
        FacilitationAttempt.objects.bulk_create(attempts)
        FacilitationChoice.objects.bulk_create(choices)
        attempts, choices = [], []

    fast_inserts()
    with transaction.atomic():
        for index in range(learners):
            student_id = f"{prefix}-{index:06d}"
            finished = passed = False
            when = base_time + timedelta(minutes=rng.randrange(0, 60 * 24 * 60))
            for number in range(1, rng.choice((1, 1, 2, 3)) + 1):
                play, row = core.new_play(scenario), None
                row = FacilitationAttempt(block_key=block_key, student_id=student_id, username=student_id,
                                          attempt=number, started_at=when)
                abandon_after = rng.randrange(1, 4) if rng.random() < 0.1 else None
                while not core.at_ending(scenario, play):
                    if abandon_after is not None and len(play["path"]) == abandon_after:
                        break
                    scene = core.scenes_by_id(scenario)[play["at"]]
                    index_taken = rng.randrange(len(scene["choices"]))
                    play, _ = core.choose(scenario, play, scene["id"], index_taken)
                    when += timedelta(minutes=2)
                    choices.append(FacilitationChoice(block_key=block_key, student_id=student_id, attempt=number,
                                                      scene_id=scene["id"], choice_index=index_taken, chosen_at=when))
                if core.at_ending(scenario, play):
                    result = core.outcome(scenario, play["path"])
                    row.ending_id, row.points, row.max_points = play["at"], result["points"], result["max"]
                    row.passed, row.completed_at = result["passed"], when
                    finished, passed = True, passed or result["passed"]
                attempts.append(row)
                figures["attempts"] += 1
                figures["choices"] += len(play["path"])
                when += timedelta(days=rng.randrange(1, 30))
            figures["started"] += 1
            figures["finished"] += finished
            figures["passed"] += passed
            if len(choices) >= BATCH:
                flush()
        flush()
    return figures, time.perf_counter() - started


# ---------------------------------------------------------------------------- measuring


def checker(figures):
    expected = {key: figures[key] for key in ("started", "finished", "passed")}

    def check(status, data, label):
        if status != 200:
            raise RuntimeError(f"{label}: choice_report answered {status}: {data}")
        if data["learners"] != expected:
            raise RuntimeError(f"{label}: choice_report counted {data['learners']}, expected {expected}")
        taken = sum(choice["times"] for scene in data["scenes"] for choice in scene["choices"])
        if taken != figures["choices"]:
            raise RuntimeError(f"{label}: choice_report counted {taken} choices, expected {figures['choices']}")

    return check


# ---------------------------------------------------------------------------- main


def main(argv=None):
    args = parse_args(__doc__.split("\n\n", 1)[0], argv)
    return run_in_temporary_database("lp-bench-facilitation-", args.keep_db, lambda db_name: run(args, db_name))


def run(args, db_name):
    parser, usage_id = parse_scenario_file(SCENARIO, "bench")
    _, small_usage_id = parse_scenario_file(SCENARIO, "bench-small")
    scenario = parser.get_block(usage_id).scenario
    print(f"Temporary database: {db_name}")
    print(f"Scenario: {SCENARIO.name} ({len(scenario['scenes'])} scenes, {len(scenario['endings'])} endings); "
          f"blocks {usage_id}, {small_usage_id}")

    rng = random.Random(args.seed)
    large_figures, seconds = fill(usage_id, scenario, args.learners, rng, "learner")
    print(f"Filled {args.learners} learners ({large_figures['attempts']} attempts, {large_figures['choices']} choices) "
          f"in {seconds:.2f} s")
    small_figures, seconds = fill(small_usage_id, scenario, SMALL_COHORT, rng, "small")
    print(f"Filled {SMALL_COHORT} learners ({small_figures['attempts']} attempts, {small_figures['choices']} choices) "
          f"in {seconds:.2f} s")

    small = measure(handler_caller(small_usage_id, "choice_report"), args.repeat, checker(small_figures),
                    f"{SMALL_COHORT} learners")
    large = measure(handler_caller(usage_id, "choice_report"), args.repeat, checker(large_figures),
                    f"{args.learners} learners")

    verdict, fast, _constant = cohort_verdict("choice_report", small, large, SMALL_COHORT, args.learners,
                                              args.repeat, TARGET_MS)
    print_table([
        ("learners", f"{args.learners}"),
        ("attempt rows", f"{large_figures['attempts']}"),
        ("choice rows", f"{large_figures['choices']}"),
        *verdict,
    ])
    if args.explain or not fast:
        explain(large["sql"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
