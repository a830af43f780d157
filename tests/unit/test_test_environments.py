"""
The test environments `make test` runs (tox.ini, .ci/run, requirements/platform-constraints.txt): the MariaDB
and platform-version runs are part of it, the pins are the platform's and fit the package's own ranges, and in
the platform run the pinned versions are what is installed.
"""
import configparser
import os
import re
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
CONSTRAINTS = ROOT / "requirements" / "platform-constraints.txt"


def tox():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "tox.ini")
    return parser


def pins():
    found = {}
    for line in CONSTRAINTS.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            found[re.sub(r"[-_.]+", "-", name).lower()] = version
    return found


def package_requirements():
    setup = configparser.ConfigParser(interpolation=None)
    setup.read(ROOT / "setup.cfg")
    lines = setup["options"]["install_requires"].splitlines()
    for extra in setup["options.extras_require"].values():
        lines += extra.splitlines()
    return [Requirement(line) for line in lines if line.strip()]


def test_make_test_runs_the_mariadb_and_platform_environments():
    config = tox()
    assert {"py311", "mariadb", "platform"} <= {env.strip() for env in config["tox"]["envlist"].split(",")}
    assert "LP_TEST_DB = mariadb" in config["testenv:mariadb"]["setenv"]
    assert "PIP_CONSTRAINT = {toxinidir}/requirements/platform-constraints.txt" in config["testenv:platform"]["setenv"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "tools/system-deps.sh" in ci and "make test" in ci
    assert "tools/system-deps.sh" in (ROOT / "Makefile").read_text()  # `make test` alone sets up a fresh machine
    deps = (ROOT / "tools" / "system-deps.sh").read_text()
    assert "apt-get install" in deps and "mariadb-server" in deps and "chromium" in deps


def test_the_constraints_pin_the_platforms_versions_of_what_we_share():
    pinned = pins()
    assert pinned["django"].startswith("5.2.")
    assert pinned["xblock"].startswith("5.3.")
    assert pinned["edx-submissions"].startswith("3.12.")
    assert {"edx-completion", "edx-django-utils", "web-fragments", "webob", "lxml"} <= set(pinned)


def test_every_pin_fits_the_packages_own_requirements():
    pinned = pins()
    misfits = [f"{req} excludes {pinned[req.name.lower()]}" for req in package_requirements()
               if req.name.lower() in pinned and not req.specifier.contains(pinned[req.name.lower()], prereleases=True)]
    assert not misfits


@pytest.mark.skipif(not os.environ.get("PIP_CONSTRAINT"), reason="checks the platform run's installation (tox -e platform)")
def test_the_platform_run_has_the_pinned_versions_installed():
    wrong = {}
    for name, version in pins().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
        if installed != version:
            wrong[name] = installed
    assert not wrong, f"installed versions differ from the platform's pins: {wrong}"
    for needed in ("django", "xblock", "edx-submissions", "edx-completion", "edx-django-utils"):
        assert metadata.version(needed) == pins()[needed]
