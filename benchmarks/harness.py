"""
What every benchmark here shares: a throwaway SQLite database, a real handler called as the runtime calls
it (timed, its SQL queries counted), EXPLAIN QUERY PLAN, and a table of figures. Imported by the scripts
in this folder (``python benchmarks/<name>.py`` puts the folder on ``sys.path``).
"""
import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def parse_args(description, argv=None, size=("learners", "learners in the large cohort")):
    """
    The options every benchmark takes: the size of what it fills (``--learners`` unless ``size`` names
    another, e.g. ``("entries", "submitted entries")``), repeats, seed, EXPLAIN, keeping the database.
    """
    name, what = size
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(f"--{name}", type=int, default=10_000, help=f"{what} (default 10000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed handler calls after one warm-up (default 5)")
    parser.add_argument("--seed", type=int, default=42, help="random seed for the learners' work (default 42)")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN QUERY PLAN of the handler's queries")
    parser.add_argument("--keep-db", action="store_true", help="keep the temporary database and print its path")
    args = parser.parse_args(argv)
    if getattr(args, name) < 1 or args.repeat < 1:
        parser.error(f"--{name} and --repeat must be at least 1")
    return args


def setup_django(tmpdir):
    """Settings on a fresh SQLite file in ``tmpdir``; migrate quietly. Returns the database path."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "lp_xblocks.workbench.settings"
    os.environ["LP_VAR_DIR"] = tmpdir
    os.environ["LP_WORKBENCH_DB"] = os.path.join(tmpdir, "bench.db")
    import logging  # pylint: disable=import-outside-toplevel

    import django  # pylint: disable=import-outside-toplevel
    from django.conf import settings  # pylint: disable=import-outside-toplevel
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel

    django.setup()
    db_name = str(settings.DATABASES["default"]["NAME"])
    if not db_name.startswith(tmpdir):
        raise RuntimeError(f"refusing to run on {db_name}: expected a database under {tmpdir}")
    # Measure as production runs: no per-query debug cursor or SQL logging (the workbench settings have
    # DEBUG = True and log every query to a file). CaptureQueriesContext still forces the debug cursor.
    settings.DEBUG = False
    logging.getLogger("django.db.backends").setLevel(logging.WARNING)
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    return db_name


def run_in_temporary_database(prefix, keep_db, run):
    """Call ``run(db_name)`` on a migrated database in a temporary folder, removed afterwards unless kept."""
    sys.path.insert(0, str(REPO))
    tmpdir = tempfile.mkdtemp(prefix=prefix)
    try:
        return run(setup_django(tmpdir))
    finally:
        try:
            from django.db import connections  # pylint: disable=import-outside-toplevel
            connections.close_all()
        except Exception:  # pylint: disable=broad-except
            pass
        if keep_db:
            print(f"\nDatabase kept at {os.path.join(tmpdir, 'bench.db')}")
        else:
            shutil.rmtree(tmpdir, ignore_errors=True)


def parse_scenario_file(path, scenario_name):
    """Parse one workbench scenario into the SDK's WorkbenchRuntime; returns (runtime, usage id)."""
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel

    parser = WorkbenchRuntime()
    parser.id_generator.set_scenario(scenario_name)
    return parser, parser.parse_xml_string(Path(path).read_text(encoding="utf-8"))


def handler_caller(usage_id, handler, student="tutor", body=None):
    """
    Load the block as ``student``; ``once()`` POSTs ``body`` (default ``{}``) to the handler and returns
    (status, data, ms, SQL list).
    """
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel
    from webob import Request  # pylint: disable=import-outside-toplevel
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel

    block = WorkbenchRuntime(student).get_block(usage_id)
    payload = json.dumps(body or {}).encode("utf-8")

    def once():
        request = Request.blank("/", method="POST", body=payload)
        request.content_type = "application/json"
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = block.handle(handler, request)
            elapsed = (time.perf_counter() - started) * 1000
        data = json.loads(response.body.decode("utf-8")) if response.content_type == "application/json" else None
        return response.status_code, data, elapsed, [query["sql"] for query in captured.captured_queries]

    return once


def measure(once, repeat, check, label):
    """A warm-up call plus ``repeat`` timed calls, each answer passed to ``check(status, data, label)``."""
    status, data, warm_ms, warm_queries = once()  # also loads the block's content fields
    check(status, data, label + " warm-up")
    times, counts, last_sql = [], [], []
    for _ in range(repeat):
        status, data, elapsed, queries = once()
        check(status, data, label)
        times.append(elapsed)
        counts.append(len(queries))
        last_sql = queries
    return {
        "times": times, "counts": counts, "sql": last_sql, "data": data,
        "warm_ms": warm_ms, "warm_queries": len(warm_queries),
    }


def cohort_verdict(handler, small, large, small_size, large_size, repeat, target_ms):
    """
    The figures of a handler measured on a small and a large cohort (two :func:`measure` results): the
    rows to print after the script's own counts, whether the median is under ``target_ms``, and whether
    the query count is one number, the same for both cohorts. Returns ``(rows, fast, constant)``.
    """
    times = large["times"]
    median = statistics.median(times)
    small_q, large_q = sorted(set(small["counts"])), sorted(set(large["counts"]))
    constant = small_q == large_q and len(large_q) == 1
    fast = median < target_ms
    rows = [
        (f"{handler} calls timed", f"{repeat} (+1 warm-up, {large['warm_ms']:.1f} ms)"),
        ("median ms per call", f"{median:.1f}"),
        ("min ms per call", f"{min(times):.1f}"),
        ("max ms per call", f"{max(times):.1f}"),
        (f"median ms at {small_size} learners", f"{statistics.median(small['times']):.1f}"),
        (f"SQL queries per call at {small_size}", ", ".join(map(str, small_q))),
        (f"SQL queries per call at {large_size}", ", ".join(map(str, large_q))),
        ("SQL queries on first (cold) call", f"{small['warm_queries']} at {small_size}, {large['warm_queries']} at {large_size}"),
        (f"target median < {target_ms:.0f} ms", "met" if fast else "NOT met"),
        ("target constant query count", "met" if constant else "NOT met"),
    ]
    return rows, fast, constant


def explain(sql_list, title="the handler's queries, large cohort"):
    """Print SQLite's plan for each query (are they using the indexes?)."""
    from django.db import connection  # pylint: disable=import-outside-toplevel

    print(f"\nEXPLAIN QUERY PLAN ({title}):")
    with connection.cursor() as cursor:
        for sql in sql_list:
            print(f"\n  {sql}")
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            for row in cursor.fetchall():
                print(f"    {row}")


def print_table(rows):
    """Two columns, measure and value."""
    width = max(len(name) for name, _ in rows)
    print()
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 30}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


def fast_inserts():
    """A throwaway database: skip fsyncs while filling."""
    from django.db import connection  # pylint: disable=import-outside-toplevel

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous = OFF")
