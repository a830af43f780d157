"""
Settings for running the blocks in the XBlock SDK workbench on an embedded SQLite database.

Extends the SDK's ``workbench.settings``; adds edx-submissions and the package's Django app. The database
and log live under ``var/`` (override the folder with ``LP_VAR_DIR``).
"""
import json
import os
from importlib.metadata import entry_points

import django

from workbench.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
from workbench.settings import INSTALLED_APPS, LOGGING, TEMPLATES

LP_VAR_DIR = os.path.abspath(os.environ.get("LP_VAR_DIR", "var"))
os.makedirs(LP_VAR_DIR, exist_ok=True)

# The server is threaded: writers take SQLite's write lock when their transaction begins (Django >= 5.1), so two
# requests never deadlock upgrading read locks; a busy database is waited on for up to 20 s.
_SQLITE_OPTIONS = {"timeout": 20, **({"transaction_mode": "IMMEDIATE"} if django.VERSION >= (5, 1) else {})}

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("LP_WORKBENCH_DB", os.path.join(LP_VAR_DIR, "workbench.db")),
        "OPTIONS": _SQLITE_OPTIONS,
        "TEST": {"NAME": os.path.join(LP_VAR_DIR, "test-workbench.db")},
    }
}

INSTALLED_APPS = list(INSTALLED_APPS) + [
    "submissions",
    "lp_xblocks.data.apps.LpXBlocksDataConfig",
]

LOGGING["handlers"]["logfile"]["filename"] = os.path.join(LP_VAR_DIR, "workbench.log")

TIME_ZONE = "Europe/London"

# Student ids that act as course staff in the workbench (open /scenario/...?student=tutor).
LP_WORKBENCH_TUTORS = json.loads(os.environ.get("LP_WORKBENCH_TUTORS", '["tutor", "tutor2"]'))

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
