"""The distribution: entry points load, and the built wheel carries templates, assets, scenarios, migrations."""
import json
from importlib.metadata import distribution, entry_points, packages_distributions, requires

import pytest

BLOCK_TAGS = {"lp_needs_assessment", "lp_reflective_log", "lp_facilitation_exercise"}


def test_xblock_entry_points_load_the_blocks():
    found = {ep.name: ep for ep in entry_points(group="xblock.v1") if ep.name.startswith("lp_")}
    assert BLOCK_TAGS <= set(found)
    from lp_xblocks.needs_assessment.block import NeedsAssessmentBlock  # pylint: disable=import-outside-toplevel
    from lp_xblocks.reflective_log.block import ReflectiveLogBlock  # pylint: disable=import-outside-toplevel
    assert found["lp_needs_assessment"].load() is NeedsAssessmentBlock
    assert found["lp_reflective_log"].load() is ReflectiveLogBlock
    from lp_xblocks.facilitation.block import FacilitationExerciseBlock  # pylint: disable=import-outside-toplevel
    assert found["lp_facilitation_exercise"].load() is FacilitationExerciseBlock


@pytest.mark.parametrize("group", ["lms.djangoapp", "cms.djangoapp"])
def test_plugin_app_entry_points(group):
    found = [ep for ep in entry_points(group=group) if ep.name == "lp_xblocks"]
    assert len(found) == 1
    config = found[0].load()
    assert config.name == "lp_xblocks.data"
    assert isinstance(config.plugin_app, dict)


def test_wheel_contains_package_data():
    dist = distribution("lp-xblocks")
    direct_url = dist.read_text("direct_url.json")
    if direct_url and json.loads(direct_url).get("dir_info", {}).get("editable"):
        pytest.skip("editable install: tox installs the built wheel, where this is checked")
    files = {str(path) for path in dist.files}
    for needed in (
        "lp_xblocks/needs_assessment/templates/student_view.html",
        "lp_xblocks/common/templates/studio_editor.html",
        "lp_xblocks/needs_assessment/static/needs_assessment.js",
        "lp_xblocks/needs_assessment/static/needs_assessment.css",
        "lp_xblocks/common/static/lp_common.js",
        "lp_xblocks/common/static/lp_studio.js",
        "lp_xblocks/needs_assessment/scenarios/partnership_health_check.xml",
        "lp_xblocks/data/migrations/0001_initial.py",
        "lp_xblocks/data/migrations/0002_reflective_log.py",
        "lp_xblocks/reflective_log/templates/student_view.html",
        "lp_xblocks/reflective_log/templates/portfolio.html",
        "lp_xblocks/reflective_log/static/reflective_log.js",
        "lp_xblocks/reflective_log/static/reflective_log.css",
        "lp_xblocks/reflective_log/scenarios/chairing_meetings.xml",
        "lp_xblocks/facilitation/templates/student_view.html",
        "lp_xblocks/facilitation/static/facilitation.js",
        "lp_xblocks/facilitation/static/facilitation.css",
        "lp_xblocks/facilitation/scenarios/contentious_meeting.xml",
        "lp_xblocks/facilitation/scenarios/reluctant_partner.xml",
        "lp_xblocks/facilitation/scenarios/one_voice.xml",
        "lp_xblocks/data/migrations/0003_facilitation_exercise.py",
        "lp_xblocks/conf/locale/en/LC_MESSAGES/django.po",
        "lp_xblocks/conf/locale/en/LC_MESSAGES/djangojs.po",
        "course_content/__init__.py",
        "accreditation_export/__init__.py",
        "lp_programme/catalogues/partnership_management.yaml",
        "accreditation_export/API.md",
        "lp_programme/catalogues/partnership_management.yaml",
        "course_content/olx/course.xml",
        "course_content/olx/policies/2026/grading_policy.json",
        "course_content/olx/html/welcome-text.html",
        "course_content/olx/static/images/course_image.png",
    ):
        assert needed in files, needed


def test_lp_accredit_console_script():
    found = [ep for ep in entry_points(group="console_scripts") if ep.name == "lp-accredit"]
    assert len(found) == 1
    from accreditation_export.cli import main  # pylint: disable=import-outside-toplevel
    assert found[0].load() is main


def test_web_fragments_comes_from_xblock_and_is_installed_once():
    """
    XBlock provides ``web_fragments`` (a dependency up to 6.1, its own files from 6.2): we do not ask for the
    ``web-fragments`` distribution ourselves, so an XBlock that ships the package does not get it twice.
    """
    from packaging.requirements import Requirement  # pylint: disable=import-outside-toplevel
    from packaging.utils import canonicalize_name  # pylint: disable=import-outside-toplevel

    ours = {canonicalize_name(Requirement(line).name) for line in requires("lp-xblocks") or []
            if "extra ==" not in line}
    assert "xblock" in ours
    assert "web-fragments" not in ours
    xblock = distribution("XBlock")
    ships_it = any(str(path).startswith("web_fragments/") for path in xblock.files or [])
    depends_on_it = any(canonicalize_name(Requirement(line).name) == "web-fragments" and "extra ==" not in line
                        for line in xblock.requires or [])
    assert ships_it or depends_on_it, "XBlock neither ships nor requires web_fragments"
    providers = packages_distributions().get("web_fragments", [])
    assert len(set(providers)) == 1, f"web_fragments is installed by {providers}"
    from web_fragments.fragment import Fragment  # pylint: disable=import-outside-toplevel,unused-import
