"""What the benchmark scripts share: a throwaway database, handler calls with timing and SQL counts, output."""
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@contextmanager
def throwaway_database(prefix, keep=False):
    """
    Point Django at a fresh SQLite file in a temporary folder (``LP_WORKBENCH_DB``; ``LP_VAR_DIR`` too, so
    the workbench log goes there), migrate it, and remove the folder afterwards. The repository's
    ``var/`` is never touched. Yields the database path.
    """
    sys.path.insert(0, str(REPO))
    tmpdir = tempfile.mkdtemp(prefix=prefix)
    os.environ["DJANGO_SETTINGS_MODULE"] = "lp_xblocks.workbench.settings"
    os.environ["LP_VAR_DIR"] = tmpdir
    os.environ["LP_WORKBENCH_DB"] = os.path.join(tmpdir, "bench.db")
    try:
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
        yield db_name
    finally:
        try:
            from django.db import connections  # pylint: disable=import-outside-toplevel
            connections.close_all()
        except Exception:  # pylint: disable=broad-except
            pass
        if keep:
            print(f"\nDatabase kept at {os.path.join(tmpdir, 'bench.db')}")
        else:
            shutil.rmtree(tmpdir, ignore_errors=True)


def two_blocks(xml):
    """Parse a scenario twice into the SDK's runtime: the large and the small block's usage ids."""
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel

    parser = WorkbenchRuntime()
    parser.id_generator.set_scenario("bench")
    usage_id = parser.parse_xml_string(xml)
    parser.id_generator.set_scenario("bench-small")
    return parser.get_block(usage_id), usage_id, parser.parse_xml_string(xml)


def fast_writes():
    """A throwaway database: skip fsyncs while filling."""
    from django.db import connection  # pylint: disable=import-outside-toplevel
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous = OFF")


def handler_caller(usage_id, student, handler, body):
    """A function that calls ``handler`` on the block as ``student``: returns (status, data, ms, [sql])."""
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel
    from webob import Request  # pylint: disable=import-outside-toplevel
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel

    block = WorkbenchRuntime(student).get_block(usage_id)
    payload = json.dumps(body).encode("utf-8")

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


def timed(once, repeat, check):
    """One warm-up call, then ``repeat`` timed calls, each checked by ``check(status, data)``."""
    status, data, warm_ms, warm_sql = once()
    check(status, data)
    times, counts, sql = [], [], []
    for _ in range(repeat):
        status, data, elapsed, sql = once()
        check(status, data)
        times.append(elapsed)
        counts.append(len(sql))
    return {"times": times, "median": statistics.median(times), "counts": sorted(set(counts)), "sql": sql,
            "data": data, "warm_ms": warm_ms, "warm_queries": len(warm_sql)}


def explain(sql_list, title):
    """Print SQLite's EXPLAIN QUERY PLAN of each statement."""
    from django.db import connection  # pylint: disable=import-outside-toplevel

    print(f"\nEXPLAIN QUERY PLAN ({title}):")
    with connection.cursor() as cursor:
        for sql in sql_list:
            print(f"\n  {sql}")
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            for row in cursor.fetchall():
                print(f"    {row}")


def print_table(rows):
    """Two aligned columns: measure and value."""
    width = max(len(name) for name, _ in rows)
    print()
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 30}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
