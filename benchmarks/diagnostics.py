#!/usr/bin/env python
"""
Benchmark the needs-assessment reports at constant cost (issue 15).

    python benchmarks/diagnostics.py cohort      [--sizes 1000,10000,100000] [--repeat 5]
    python benchmarks/diagnostics.py csv         [--learners 100000]
    python benchmarks/diagnostics.py report-data [--learners 10000] [--repeat 3]
    python benchmarks/diagnostics.py submit      [--sizes 1000,50000] [--submits 30]

Each part fills a fresh temporary SQLite database the way ``cohort_report.py`` does (seeded learners, ~30%
answering twice, bulk inserts, then the running summary brought in step) and calls the real handlers as the
runtime calls them:

- ``cohort``: ``cohort_report`` at each size on one growing cohort; prints the median per size and the ratio
  largest/smallest (target: at most 1.5x).
- ``csv``: the streamed ``cohort_report_csv`` consumed chunk by chunk; prints the peak of Python memory above
  the baseline while it runs (tracemalloc; target: under 30 MB at 100k learners) and the bytes written.
- ``report-data``: ``generate_report_data`` over N learners' states against the implementation before
  issue 15 (kept below as ``baseline_report_data``: it translated every column label for every learner);
  checks both give identical rows and prints the speed-up (target: at least 10x).
- ``submit``: the ``submit`` handler for new learners on a block that already holds each size; prints the
  median per size and the ratio (target: flat within noise).

A measurement, not a test: exit status 0 whether or not a target is met; non-zero only when something
goes wrong (a handler does not answer 200, or the two report-data implementations disagree). The 100k runs
take minutes and a few hundred MB of disk on a shared machine: run them by hand, once.
"""
import argparse
import random
import statistics
import sys
import time
import tracemalloc

from cohort_report import SCENARIO, fill
from harness import handler_caller, parse_scenario_file, print_table, run_in_temporary_database

TARGET_RATIO = 1.5
TARGET_CSV_MB = 30.0
TARGET_SPEEDUP = 10.0


def grow(usage_id, instrument, have, want, rng):
    """Add learners to the block until it holds ``want`` (their prefix keeps student ids unique)."""
    if want > have:
        fill(usage_id, instrument, want - have, rng, f"n{have}")
    return want


# ---------------------------------------------------------------------------- cohort_report


def bench_cohort(args):
    parser, usage_id = parse_scenario_file(SCENARIO, "bench-cohort")
    instrument = parser.get_block(usage_id).instrument
    rng, have, medians, rows = random.Random(args.seed), 0, {}, []
    for size in args.sizes:
        started = time.perf_counter()
        have = grow(usage_id, instrument, have, size, rng)
        once = handler_caller(usage_id, "cohort_report")
        status, data, _ms, _sql = once()          # warm-up
        if status != 200 or data["learners"] != size:
            raise RuntimeError(f"cohort_report at {size}: {status} {data.get('learners')}")
        times, queries = [], set()
        for _ in range(args.repeat):
            status, data, elapsed, sql = once()
            times.append(elapsed)
            queries.add(len(sql))
        medians[size] = statistics.median(times)
        rows.append((f"{size} learners: median ms (queries)",
                     f"{medians[size]:.2f} ({', '.join(map(str, sorted(queries)))}); filled in "
                     f"{time.perf_counter() - started:.1f} s"))
    ratio = medians[args.sizes[-1]] / medians[args.sizes[0]]
    rows.append((f"ratio {args.sizes[-1]}/{args.sizes[0]}", f"{ratio:.2f}x"))
    rows.append((f"target ratio <= {TARGET_RATIO}x", "met" if ratio <= TARGET_RATIO else "NOT met"))
    print_table(rows)


# ---------------------------------------------------------------------------- CSV


def bench_csv(args):
    from webob import Request  # pylint: disable=import-outside-toplevel
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel

    parser, usage_id = parse_scenario_file(SCENARIO, "bench-csv")
    instrument = parser.get_block(usage_id).instrument
    started = time.perf_counter()
    fill(usage_id, instrument, args.learners, random.Random(args.seed), "csv")
    filled = time.perf_counter() - started
    block = WorkbenchRuntime("tutor").get_block(usage_id)
    block.instrument  # pylint: disable=pointless-statement  # load content fields before the baseline
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    started = time.perf_counter()
    response = block.handle("cohort_report_csv", Request.blank("/", method="GET"))
    if response.status_code != 200:
        raise RuntimeError(f"cohort_report_csv answered {response.status_code}")
    written = lines = 0
    for chunk in response.app_iter:
        written += len(chunk)
        lines += chunk.count(b"\r\n")
    seconds = time.perf_counter() - started
    peak = (tracemalloc.get_traced_memory()[1] - baseline) / 2 ** 20
    tracemalloc.stop()
    if lines != args.learners + 1:
        raise RuntimeError(f"the CSV has {lines} lines, expected {args.learners + 1}")
    # The LMS turns a handler's webob response into Django's HttpResponse (not a StreamingHttpResponse), which
    # joins the chunks into one bytes body: measure that too, as the platform would hold it.
    from django.http import HttpResponse  # pylint: disable=import-outside-toplevel
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    response = block.handle("cohort_report_csv", Request.blank("/", method="GET"))
    lms = HttpResponse(response.app_iter, content_type=response.content_type)
    lms_peak = (tracemalloc.get_traced_memory()[1] - baseline) / 2 ** 20
    tracemalloc.stop()
    if len(lms.content) != written:
        raise RuntimeError("the LMS-shaped response differs from the stream")
    print_table([
        ("learners", f"{args.learners} (filled in {filled:.1f} s)"),
        ("CSV bytes streamed", f"{written} ({written / 2 ** 20:.1f} MB) in {seconds:.1f} s"),
        ("peak Python memory above baseline", f"{peak:.1f} MB"),
        (f"target < {TARGET_CSV_MB:.0f} MB", "met" if peak < TARGET_CSV_MB else "NOT met"),
        ("same, wrapped as the LMS does (HttpResponse)", f"{lms_peak:.1f} MB"),
    ])


# ---------------------------------------------------------------------------- generate_report_data


def baseline_report_data(block, user_state_iterator, limit_responses=None):
    """``generate_report_data`` as it was before issue 15: every label translated for every learner."""
    _ = block._  # pylint: disable=protected-access
    count = 0
    for user_state in user_state_iterator:
        attempts = (user_state.state or {}).get("attempts") or []
        if not attempts:
            continue
        if limit_responses is not None and count >= limit_responses:
            return
        first, latest = attempts[0], attempts[-1]
        row = {
            _("Attempts"): len(attempts),
            _("Latest submitted"): latest["submitted_at"],
            _("Latest overall"): latest["overall"],
            _("Latest stage"): latest.get("stage") or "",
        }
        for theme in block.instrument["themes"]:
            row[_("Latest: {theme}").format(theme=theme["title"])] = latest["scores"].get(theme["id"])
            row[_("First: {theme}").format(theme=theme["title"])] = first["scores"].get(theme["id"])
        count += 1
        yield user_state.username, row


class State:  # pylint: disable=too-few-public-methods
    """What the LMS passes for one learner: a username and the block's user state."""

    def __init__(self, username, state):
        self.username, self.state = username, state


def bench_report_data(args):
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel

    from lp_xblocks.needs_assessment import instrument as core  # pylint: disable=import-outside-toplevel

    parser, usage_id = parse_scenario_file(SCENARIO, "bench-report-data")
    block = WorkbenchRuntime("tutor").get_block(usage_id)
    instrument = parser.get_block(usage_id).instrument
    rng = random.Random(args.seed)
    ids = core.statement_ids(instrument)
    states = []
    for index in range(args.learners):
        scored = core.score(instrument, {sid: rng.randint(1, 5) for sid in ids})
        record = {"attempt": 1, "submitted_at": "2026-10-01T10:00:00+00:00", "overall": scored["overall"],
                  "stage": "Co-ordination", "scores": {t["id"]: t["score"] for t in scored["themes"]}}
        states.append(State(f"learner{index}", {"attempts": [record, {**record, "attempt": 2}]}))
    new_rows = list(block.generate_report_data(iter(states)))
    old_rows = list(baseline_report_data(block, iter(states)))
    # Identical output, except that the stage (author text) is now formula-safe: the same for this stage.
    if new_rows != old_rows:
        raise RuntimeError("generate_report_data and the baseline disagree")

    def timed(run):
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            for _row in run():
                pass
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    new_ms = timed(lambda: block.generate_report_data(iter(states)))
    old_ms = timed(lambda: baseline_report_data(block, iter(states)))
    speedup = old_ms / new_ms
    print_table([
        ("learners", f"{args.learners} ({len(new_rows[0][1])} columns a row)"),
        ("before issue 15: median ms", f"{old_ms:.1f}"),
        ("now: median ms", f"{new_ms:.1f}"),
        ("speed-up", f"{speedup:.1f}x"),
        (f"target >= {TARGET_SPEEDUP:.0f}x", "met" if speedup >= TARGET_SPEEDUP else "NOT met"),
    ])


# ---------------------------------------------------------------------------- submit


def bench_submit(args):
    from lp_xblocks.needs_assessment import instrument as core  # pylint: disable=import-outside-toplevel

    parser, usage_id = parse_scenario_file(SCENARIO, "bench-submit")
    instrument = parser.get_block(usage_id).instrument
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel

    rng, have, medians, ours, rows = random.Random(args.seed), 0, {}, {}, []
    ids = core.statement_ids(instrument)
    plans = []
    for size in args.sizes:
        have = grow(usage_id, instrument, have, size, rng)
        times, own = [], []
        for number in range(args.submits + 1):
            student = f"new-{size}-{number}"
            body = {"answers": {sid: rng.randint(1, 5) for sid in ids}, "placements": {"partnership": "co-operation"}}
            # A first submit, then a retake: the path that moves the learner's latest attempt and its summary rows.
            for _ in range(2):
                call = handler_caller(usage_id, "submit", student, body)
                spent = []

                def timed(execute, sql, params, many, context, spent=spent):
                    started = time.perf_counter()
                    try:
                        return execute(sql, params, many, context)
                    finally:
                        if "lp_xblocks_" in sql:
                            spent.append((time.perf_counter() - started) * 1000)

                with connection.execute_wrapper(timed), CaptureQueriesContext(connection) as captured:
                    status, data, elapsed, _sql = call()
                if status != 200:
                    raise RuntimeError(f"submit answered {status}: {data}")
                if number:                           # the first pair warms up
                    times.append(elapsed)
                    own.append(sum(spent))
                if size == args.sizes[-1] and number == args.submits:
                    plans = [q["sql"] for q in captured.captured_queries if "lp_xblocks_" in q["sql"]
                             and q["sql"].lstrip().upper().startswith(("SELECT", "UPDATE"))]
        medians[size], ours[size] = statistics.median(times), statistics.median(own)
        rows.append((f"{size} learners: median ms per submit (plugin SQL)",
                     f"{medians[size]:.2f} ({ours[size]:.2f}) over {len(times)}"))
    first, last = args.sizes[0], args.sizes[-1]
    rows.append((f"ratio {last}/{first}: whole handler", f"{medians[last] / medians[first]:.2f}x"))
    rows.append((f"ratio {last}/{first}: the plugin's SQL", f"{ours[last] / ours[first]:.2f}x (flat: about 1)"))
    print_table(rows)
    print("\nEXPLAIN QUERY PLAN of the plugin's reads and updates in a retake at the largest size:")
    with connection.cursor() as cursor:
        for sql in plans:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            print(f"  {' '.join(sql.split())[:150]}...\n    " + "; ".join(str(row[3]) for row in cursor.fetchall()))


# ---------------------------------------------------------------------------- main

PARTS = {
    "cohort": (bench_cohort, "1000,10000,100000"),
    "csv": (bench_csv, None),
    "report-data": (bench_report_data, None),
    "submit": (bench_submit, "1000,50000"),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("part", choices=sorted(PARTS))
    parser.add_argument("--sizes", help="comma-separated cohort sizes (cohort, submit)")
    parser.add_argument("--learners", type=int, help="learners (csv: 100000; report-data: 10000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed calls per size (default 5)")
    parser.add_argument("--submits", type=int, default=30, help="new learners submitting per size (default 30)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)
    run, sizes = PARTS[args.part]
    args.sizes = [int(size) for size in (args.sizes or sizes or "1").split(",")]
    if args.learners is None:
        args.learners = 100_000 if args.part == "csv" else 10_000
    if min(args.sizes) < 1 or args.learners < 1 or args.repeat < 1 or args.submits < 1:
        parser.error("sizes, --learners, --repeat and --submits must be at least 1")
    return run_in_temporary_database(f"lp-bench-{args.part}-", args.keep_db, lambda _db: run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
