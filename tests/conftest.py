"""
Shared fixtures.

- ``workbench_block``: a block parsed into the SDK's WorkbenchRuntime (in process, Django test DB), for
  runtime tests of views and handlers.
- ``workbench_server``: the real workbench (``django-admin runserver``) on a free loopback port with its
  own SQLite database, for tests over HTTP and in the browser; ``private_workbench``: the same, one per test
  module, for tests that change what the workbench serves.
- ``chromium``: Debian's Chromium driven by Playwright. Missing Chromium skips locally and fails in CI.

``LP_TEST_DB=mariadb`` (tox -e mariadb) runs every test that touches the plugin's tables -- everything except
``tests/unit``, ``tests/integration`` and ``tests/browser`` -- against a throw-away MariaDB the session starts and
removes (tests/mariadb.py); workbench servers then each get a MariaDB database of their own. See docs/testing.md.
"""
import contextlib
import itertools
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("LP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

_scenario_numbers = itertools.count()
_server_numbers = itertools.count(1)

ON_MARIADB = os.environ.get("LP_TEST_DB") == "mariadb"
# Suites that never touch the plugin's tables on the test database: pure logic, and the SQLite workbench that
# `make run` serves (over HTTP and in the browser). Everything else also runs on MariaDB, new folders included.
NOT_ON_MARIADB = ("unit", "integration", "browser")
_mariadb = None
_server_databases = {}  # a served workbench's var dir -> its MariaDB database


# ---------------------------------------------------------------------------- database


def pytest_configure(config):
    global _mariadb  # pylint: disable=global-statement
    if ON_MARIADB and _mariadb is None:
        from tests.mariadb import MariaDB, MariaDBError  # pylint: disable=import-outside-toplevel
        from django.conf import settings  # pylint: disable=import-outside-toplevel

        try:
            _mariadb = MariaDB(settings.DATABASES["default"]["HOST"]).start()
        except MariaDBError as error:
            raise pytest.UsageError(f"LP_TEST_DB=mariadb: {error}") from None


def pytest_unconfigure(config):  # pylint: disable=unused-argument
    global _mariadb  # pylint: disable=global-statement
    if _mariadb is not None:
        _mariadb.stop()
        _mariadb = None


def pytest_ignore_collect(collection_path, config):  # pylint: disable=unused-argument
    if ON_MARIADB and collection_path.parent == Path(__file__).parent and collection_path.name in NOT_ON_MARIADB:
        return True
    return None


def pytest_collection_modifyitems(config, items):  # pylint: disable=unused-argument
    if ON_MARIADB:
        skip = pytest.mark.skip(reason="reads the workbench's SQLite file; the MariaDB run has none")
        for item in items:
            if item.get_closest_marker("sqlite_file"):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def mariadb():
    """The session's MariaDB server (tests/mariadb.py) when running on MariaDB, else skip."""
    if _mariadb is None:
        pytest.skip("runs on MariaDB only (LP_TEST_DB=mariadb, tox -e mariadb)")
    return _mariadb


@pytest.fixture(scope="session", autouse=True)
def lp_accredit_workdir(tmp_path_factory):
    """``lp-accredit``'s working directory for the whole run: never the user's data directory."""
    folder = tmp_path_factory.mktemp("lp-accredit-workdir")
    previous = os.environ.get("LP_ACCREDIT_WORKDIR")
    os.environ["LP_ACCREDIT_WORKDIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("LP_ACCREDIT_WORKDIR", None)
    else:
        os.environ["LP_ACCREDIT_WORKDIR"] = previous


# ---------------------------------------------------------------------------- runtime


class Recorder:
    """Collects what a block publishes."""

    def __init__(self):
        self.events = []

    def __call__(self, block, event_type, event_data):
        self.events.append((event_type, event_data))

    def of(self, event_type):
        return [data for kind, data in self.events if kind == event_type]


@pytest.fixture
def workbench_block(db):  # pylint: disable=unused-argument,redefined-outer-name
    """
    ``workbench_block(xml)`` parses a scenario and returns ``get(student)``, which loads the block as
    that student in a fresh WorkbenchRuntime whose ``publish`` is recorded in ``get.events``.
    """
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel

    def make(xml):
        parser = WorkbenchRuntime()
        parser.id_generator.set_scenario(f"test-scenario-{next(_scenario_numbers)}")
        usage_id = parser.parse_xml_string(xml)
        recorder = Recorder()

        def get(student="student_1"):
            runtime = WorkbenchRuntime(student)
            runtime.publish = recorder
            return runtime.get_block(usage_id)

        get.events = recorder
        get.usage_id = usage_id
        return get

    return make


def call_handler(block, name, body=None, method="POST", query=""):
    """Call a handler the way the runtime does; returns (status, parsed JSON or text, response)."""
    from webob import Request  # pylint: disable=import-outside-toplevel

    request = Request.blank("/" + ("?" + query if query else ""), method=method)
    if body is not None:
        if not isinstance(body, (bytes, str)):
            body = json.dumps(body)
        request.body = body.encode("utf-8") if isinstance(body, str) else body
        request.content_type = "application/json"
    response = block.handle(name, request)
    if response.content_type == "application/json":
        return response.status_code, json.loads(response.body.decode("utf-8")), response
    if response.content_type in ("application/zip", "application/octet-stream") or (
            response.content_type or "").startswith(("image/", "application/pdf", "application/vnd.")):
        return response.status_code, response.body, response  # a download of bytes (evidence files, zips)
    return response.status_code, response.body.decode("utf-8"), response


# ---------------------------------------------------------------------------- HTTP workbench


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# A threaded runserver as production servers listen: Django's WSGIServer asks for a listen backlog of 10
# (request_queue_size); gunicorn's default is 2048. With 20+ simultaneous learners on a loaded machine a backlog
# of 10 overflows and connections are reset before Django sees them -- a limit of the test server, not of the blocks.
_RUNSERVER_WITH_BACKLOG = (
    "import sys; from django.core.servers import basehttp; basehttp.WSGIServer.request_queue_size = 256; "
    "from django.core.management import execute_from_command_line; execute_from_command_line(['django-admin', *sys.argv[1:]])"
)


def serve_workbench(var_dir, threading=True):
    """
    Migrate a fresh database (SQLite under ``var_dir``; on MariaDB a database of its own), serve the workbench on a
    free port, threaded like ``make run`` and any real server (one request at a time with ``threading=False``: a
    connection a browser opens early and leaves idle would then hold up every later request); yield its base URL.
    """
    env = {**os.environ, "LP_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "lp_xblocks.workbench.settings"}
    env.pop("LP_WORKBENCH_DB", None)
    if _mariadb is not None:
        env["LP_MARIADB_DATABASE"] = _server_databases[str(var_dir)] = _mariadb.create_database(
            f"lp_workbench_{next(_server_numbers)}")
    admin = [sys.executable, "-m", "django"]
    subprocess.run(admin + ["migrate", "--run-syncdb", "--verbosity", "0"], env=env, check=True)
    port = _free_port()
    log = open(var_dir / "server.out", "w", encoding="utf-8")  # pylint: disable=consider-using-with
    # Threaded, as `make run` and any real server: a single-threaded server serves one connection at a time, so
    # a connection the browser opened ahead of need (a preconnect) and left idle blocked every later request
    # until Chromium dropped it (the cause of a browser test that timed out waiting for a scene).
    server = subprocess.Popen(  # pylint: disable=consider-using-with
        ([sys.executable, "-c", _RUNSERVER_WITH_BACKLOG] if threading else admin)
        + ["runserver", f"127.0.0.1:{port}", "--noreload", *([] if threading else ["--nothreading"])],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/", timeout=5) as reply:
                if reply.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise RuntimeError("workbench did not start: " + (var_dir / "server.out").read_text())
        time.sleep(0.3)
    yield base
    server.terminate()
    server.wait(timeout=10)
    log.close()


def workbench_rows(var_dir, sql):
    """The rows ``sql`` selects from the database of the workbench served from ``var_dir`` (SQLite or MariaDB)."""
    if _mariadb is not None:
        return [tuple(row) for row in _mariadb.execute(sql, database=_server_databases[str(var_dir)])]
    with contextlib.closing(sqlite3.connect(f"{(Path(var_dir) / 'workbench.db').as_uri()}?mode=ro", uri=True)) as db:
        return db.execute(sql).fetchall()


@pytest.fixture(scope="session")
def workbench_server(tmp_path_factory):
    """The real workbench served over loopback from a fresh SQLite database; yields its base URL."""
    yield from serve_workbench(tmp_path_factory.mktemp("workbench-var"))


@pytest.fixture(scope="module")
def private_workbench(tmp_path_factory):
    """
    A workbench of the test module's own (a fresh database the module may reconfigure, e.g. a scenario's
    criteria): yields ``(base URL, var dir)``; the database is ``<var dir>/workbench.db``.
    """
    var_dir = tmp_path_factory.mktemp("private-workbench-var")
    for base in serve_workbench(var_dir):
        yield base, var_dir


# ---------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def chromium():
    """A headless Debian Chromium; skipped locally when absent, a failure when CI is set."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + " -- CI must run the browser tests")
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):  # pylint: disable=redefined-outer-name
    """A fresh page; console errors and uncaught exceptions are collected in ``page.errors``."""
    context = chromium.new_context(viewport={"width": 1100, "height": 900})
    new_page = context.new_page()
    new_page.errors = []
    new_page.on("pageerror", lambda error: new_page.errors.append(str(error)))
    yield new_page
    context.close()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
