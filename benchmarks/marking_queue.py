#!/usr/bin/env python
"""
Benchmark the reflective log's marking ``queue`` handler over 10,000 submitted entries.

    python benchmarks/marking_queue.py [--entries 10000] [--repeat 5] [--explain] [--keep-db]

What it does:

1. Migrates a fresh temporary SQLite database (``harness.run_in_temporary_database``).
2. Parses the "chairing partnership meetings" reflective log into the SDK's WorkbenchRuntime.
3. Fills ``--entries`` submitted entries (from learners with one to four entries each, at seeded
   submission times), plus a third as many passed and a tenth as many referred entries, each with its
   submitted version -- the rows ``api.submit_entry`` and ``api.mark_entry`` write -- with ``bulk_create``.
4. Calls the real handler as a tutor (``block.handle("queue", ...)``) for the first and the last page
   of the submitted entries, one warm-up and then ``--repeat`` timed calls each, counting SQL queries;
   and once more on a block holding 100 entries to show the query count does not grow.

A measurement, not a test: the exit status is 0 whether or not the target (under 150 ms and at most 10
queries a page) is met, and non-zero only when the handler misbehaves (not 200, wrong counts or order).
"""
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone

from harness import (
    REPO, explain, fast_inserts, handler_caller, measure, parse_args, parse_scenario_file, print_table,
    run_in_temporary_database,
)

SCENARIO = REPO / "lp_xblocks" / "reflective_log" / "scenarios" / "chairing_meetings.xml"
TARGET_MS = 150.0
TARGET_QUERIES = 10
SMALL = 100
BATCH = 2000
BODY = ("I chaired the partnership's steering group. We agreed the agenda in advance, kept to time and "
        "recorded each action with an owner and a date. ") * 8


def fill(usage_id, config, submitted, rng, prefix):
    """
    ``submitted`` waiting entries, ``submitted // 3`` passed and ``submitted // 10`` referred ones, each
    with its version. Returns (entries by status, seconds).
    """
    from django.db import transaction  # pylint: disable=import-outside-toplevel

    from lp_xblocks.data.models import ReflectiveEntry, ReflectiveEntryVersion  # pylint: disable=import-outside-toplevel

    started = time.perf_counter()
    block_key = str(usage_id)
    base = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
    criteria_ids = [criterion["id"] for criterion in config["criteria"]]
    plan = ["submitted"] * submitted + ["passed"] * (submitted // 3) + ["referred"] * (submitted // 10)
    rng.shuffle(plan)
    entries, versions = [], []
    learner = 0
    left_for_learner = 0

    def flush():
        ReflectiveEntry.objects.bulk_create(entries)
        ReflectiveEntryVersion.objects.bulk_create(versions)
        entries.clear()
        versions.clear()

    fast_inserts()
    next_id = (ReflectiveEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    with transaction.atomic():
        for status in plan:
            if left_for_learner == 0:
                learner += 1
                left_for_learner = rng.randint(1, 4)
            left_for_learner -= 1
            student = f"{prefix}-{learner:06d}"
            when = base + timedelta(seconds=rng.randrange(0, 300 * 24 * 3600))
            claimed = sorted(rng.sample(criteria_ids, rng.randint(1, len(criteria_ids))))
            decided = when + timedelta(days=3) if status != "submitted" else None
            entries.append(ReflectiveEntry(
                id=next_id, block_key=block_key, course_key="", student_id=student, username=student, status=status,
                title=f"Meeting reflection {next_id}", entry_type="workplace", version=1, submitted_at=when,
                referrals=1 if status == "referred" else 0, marker="tutor" if decided else "", decided_at=decided,
                created_at=when - timedelta(days=1), updated_at=decided or when,
            ))
            versions.append(ReflectiveEntryVersion(
                entry_id=next_id, number=1, title=f"Meeting reflection {next_id}", activity_date=date(2025, 12, 1),
                entry_type="workplace", body=BODY, criteria=claimed, word_count=200, submitted_at=when,
            ))
            next_id += 1
            if len(entries) >= BATCH:
                flush()
        flush()
    counts = {name: plan.count(name) for name in ("submitted", "referred", "passed")}
    return counts, time.perf_counter() - started


def check(expected_counts, page):
    """Each answer: 200, the right counts, a full page in submission order."""
    def verify(status, data, label):
        if status != 200:
            raise RuntimeError(f"{label}: queue answered {status}: {data}")
        if data["counts"] != expected_counts:
            raise RuntimeError(f"queue counts {data['counts']}, expected {expected_counts}")
        if data["page"] != page or not data["entries"]:
            raise RuntimeError(f"queue page {data['page']} with {len(data['entries'])} entries, expected page {page}")
        times = [entry["submitted_at"] for entry in data["entries"]]
        if times != sorted(times):
            raise RuntimeError("queue page is not oldest submission first")
    return verify


def main(argv=None):
    args = parse_args(__doc__.split("\n\n", 1)[0], argv, size=("entries", "submitted entries"))
    return run_in_temporary_database("lp-bench-queue-", args.keep_db, lambda db_name: run(args, db_name))


def run(args, db_name):
    from lp_xblocks.reflective_log.rules import PAGE_SIZE, page_count  # pylint: disable=import-outside-toplevel

    parser, usage_id = parse_scenario_file(SCENARIO, "bench")
    _, small_id = parse_scenario_file(SCENARIO, "bench-small")
    config = parser.get_block(usage_id)._config()  # pylint: disable=protected-access
    print(f"Temporary database: {db_name}")
    print(f"Scenario: {SCENARIO.name}; blocks {usage_id}, {small_id}")

    rng = random.Random(args.seed)
    counts, seconds = fill(usage_id, config, args.entries, rng, "learner")
    print(f"Filled {sum(counts.values())} entries ({counts}) in {seconds:.2f} s")
    small_counts, _ = fill(small_id, config, SMALL, rng, "small")

    last = page_count(args.entries)
    def queue(usage, page, expected, label):
        once = handler_caller(usage, "queue", body={"status": "submitted", "page": page})
        figures = measure(once, args.repeat, check(expected, page), label)
        figures["median"] = statistics.median(figures["times"])
        figures["counts"] = sorted(set(figures["counts"]))
        return figures

    first_page = queue(usage_id, 1, counts, "first page")
    last_page = queue(usage_id, last, counts, "last page")
    small = queue(small_id, 1, small_counts, f"{SMALL} entries")

    worst_ms = max(first_page["median"], last_page["median"])
    worst_queries = max(first_page["counts"] + last_page["counts"])
    rows = [
        ("entries (submitted/referred/passed)", f"{counts['submitted']}/{counts['referred']}/{counts['passed']}"),
        ("page size, pages of submitted", f"{PAGE_SIZE}, {last}"),
        ("calls timed per page", f"{args.repeat} (+1 warm-up)"),
        ("first page median ms", f"{first_page['median']:.1f} (min {min(first_page['times']):.1f}, max {max(first_page['times']):.1f})"),
        (f"last page ({last}) median ms", f"{last_page['median']:.1f} (min {min(last_page['times']):.1f}, max {max(last_page['times']):.1f})"),
        (f"first page median ms at {SMALL} entries", f"{small['median']:.1f}"),
        ("SQL queries per page (first, last)", f"{first_page['counts']}, {last_page['counts']}"),
        (f"SQL queries per page at {SMALL} entries", f"{small['counts']}"),
        ("SQL queries on first (cold) call", f"{first_page['warm_queries']}"),
        (f"target < {TARGET_MS:.0f} ms a page", "met" if worst_ms < TARGET_MS else "NOT met"),
        (f"target <= {TARGET_QUERIES} queries a page", "met" if worst_queries <= TARGET_QUERIES else "NOT met"),
    ]
    print_table(rows)
    if args.explain or worst_ms >= TARGET_MS:
        explain(last_page["sql"], "the handler's queries, last page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
