"""
Settings for running the blocks in the XBlock SDK workbench on an embedded SQLite database.

Extends the SDK's ``workbench.settings``; adds edx-submissions and the package's Django app. The database
and log live under ``var/`` (override the folder with ``LP_VAR_DIR``).
"""
import json
import os
import tempfile
from importlib.metadata import entry_points

import django

from workbench.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
from workbench.settings import INSTALLED_APPS, LOGGING, TEMPLATES

LP_VAR_DIR = os.path.abspath(os.environ.get("LP_VAR_DIR", "var"))
os.makedirs(LP_VAR_DIR, exist_ok=True)

# SQLite: every transaction takes the write lock when it begins (BEGIN IMMEDIATE, Django >= 5.1), so simultaneous
# learners (the server is threaded) queue for up to ``timeout`` seconds instead of failing with "database is
# locked" when a read turns into a write.
_SQLITE_OPTIONS = {"timeout": 30, **({"transaction_mode": "IMMEDIATE"} if django.VERSION >= (5, 1) else {})}

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("LP_WORKBENCH_DB", os.path.join(LP_VAR_DIR, "workbench.db")),
        "OPTIONS": _SQLITE_OPTIONS,
        "TEST": {"NAME": os.path.join(LP_VAR_DIR, "test-workbench.db")},
    }
}

if os.environ.get("LP_TEST_DB") == "mariadb":
    # MariaDB as Open edX runs it (tox -e mariadb, docs/testing.md): a throw-away server the test session starts on
    # the Unix socket LP_MARIADB_SOCKET (tests/mariadb.py); the pure-Python PyMySQL stands in for mysqlclient.
    try:
        import pymysql
    except ImportError as error:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("LP_TEST_DB=mariadb needs PyMySQL: pip install PyMySQL (tox -e mariadb installs it)") from error
    pymysql.install_as_MySQLdb()
    LP_MARIADB_SOCKET = os.environ.setdefault(
        "LP_MARIADB_SOCKET", os.path.join(tempfile.gettempdir(), f"lp-mariadb-{os.getpid()}", "mysqld.sock"))
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "NAME": os.environ.get("LP_MARIADB_DATABASE", "lp_workbench"),
            "USER": "root",
            "PASSWORD": "",
            "HOST": LP_MARIADB_SOCKET,
            "OPTIONS": {"charset": "utf8mb4", "init_command": "SET sql_mode='STRICT_TRANS_TABLES'"},
            "TEST": {"NAME": "test_lp_workbench", "CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        }
    }

INSTALLED_APPS = list(INSTALLED_APPS) + [
    "submissions",
    "lp_xblocks.data.apps.LpXBlocksDataConfig",
]
# Platform apps the LMS installs beside the plugin, when the platform's packages are present (tox -e platform sets
# LP_PLATFORM_APPS=completion: edx-completion's BlockCompletion is then a real model, as in the LMS).
INSTALLED_APPS += [app for app in os.environ.get("LP_PLATFORM_APPS", "").split(",") if app.strip()]
if os.environ.get("LP_TEST_DB") == "mariadb":
    INSTALLED_APPS.append("lp_xblocks.workbench.mariadb")  # `migrate` past an edx-submissions migration broken on MariaDB

LOGGING["handlers"]["logfile"]["filename"] = os.path.join(LP_VAR_DIR, "workbench.log")

TIME_ZONE = "Europe/London"

# Evidence files (reflective-log entries) go through Django's default storage: here files under var/media.
MEDIA_ROOT = os.path.join(LP_VAR_DIR, "media")

# Student ids that act as course staff in the workbench (open /scenario/...?student=tutor).
LP_WORKBENCH_TUTORS = json.loads(os.environ.get("LP_WORKBENCH_TUTORS", '["tutor", "tutor2"]'))
# Student ids that act as internal verifiers (open /scenario/...?student=verifier).
LP_WORKBENCH_VERIFIERS = json.loads(os.environ.get("LP_WORKBENCH_VERIFIERS", '["verifier"]'))

# The workbench index lists only this package's blocks; the SDK's sample blocks stay installed but hidden.
EXCLUDED_XBLOCKS = {
    entry_point.name for entry_point in entry_points(group="xblock.v1")
    if not entry_point.name.startswith("lp_")
}

# The SDK's URLs plus the whole course as pages (/course/): see lp_xblocks/workbench/urls.py.
ROOT_URLCONF = "lp_xblocks.workbench.urls"
TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], os.path.join(os.path.dirname(__file__), "templates")]},
    *TEMPLATES[1:],
]
