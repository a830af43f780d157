"""
Shared fixtures.

- ``workbench_block``: a block parsed into the SDK's WorkbenchRuntime (in process, Django test DB), for
  runtime tests of views and handlers.
- ``workbench_server``: the real workbench (``django-admin runserver``) on a free loopback port with its
  own SQLite database, for tests over HTTP and in the browser; ``private_workbench``: the same, one per test
  module, for tests that change what the workbench serves.
- ``chromium``: Debian's Chromium driven by Playwright. Missing Chromium skips locally and fails in CI.
"""
import itertools
import json
import os
import shutil
import socket
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
    return response.status_code, response.body.decode("utf-8"), response


# ---------------------------------------------------------------------------- HTTP workbench


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_workbench(var_dir):
    """Migrate a fresh SQLite database under ``var_dir``, serve the workbench on a free port; yield its base URL."""
    env = {**os.environ, "LP_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "lp_xblocks.workbench.settings"}
    env.pop("LP_WORKBENCH_DB", None)
    admin = [sys.executable, "-m", "django"]
    subprocess.run(admin + ["migrate", "--run-syncdb", "--verbosity", "0"], env=env, check=True)
    port = _free_port()
    log = open(var_dir / "server.out", "w", encoding="utf-8")  # pylint: disable=consider-using-with
    # Threaded, as `make run` and any real server: a single-threaded server serves one connection at a time, so
    # a connection the browser opened ahead of need (a preconnect) and left idle blocked every later request
    # until Chromium dropped it (the cause of a browser test that timed out waiting for a scene).
    server = subprocess.Popen(  # pylint: disable=consider-using-with
        admin + ["runserver", f"127.0.0.1:{port}", "--noreload"],
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
