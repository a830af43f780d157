"""The architecture's boundaries: pure cores import neither XBlock nor Django; only compat knows edx-platform."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "lp_xblocks"
PURE_MODULES = [
    "lp_xblocks.common.errors", "lp_xblocks.common.olx", "lp_xblocks.common.csv_safe",
    "lp_xblocks.common.text", "lp_xblocks.common.json_input",
    "lp_xblocks.needs_assessment.instrument", "lp_xblocks.needs_assessment.olx",
    "lp_xblocks.reflective_log.config", "lp_xblocks.reflective_log.olx", "lp_xblocks.reflective_log.rules",
    "lp_xblocks.facilitation.scenario", "lp_xblocks.facilitation.action_plan", "lp_xblocks.facilitation.olx",
    "lp_xblocks.common.editor", "lp_xblocks.needs_assessment.editor", "lp_xblocks.reflective_log.editor",
    "lp_xblocks.facilitation.editor",
    "lp_xblocks.workshop.sessions", "lp_xblocks.workshop.ics", "lp_xblocks.workshop.olx", "lp_xblocks.workshop.editor",
]
PLATFORM_PACKAGES = ("lms", "cms", "common", "openedx", "xmodule", "completion")


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_modules_import_neither_xblock_nor_django(module):
    code = (f"import sys, {module}; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('xblock', 'django', 'webob', 'submissions')); "
            "print(','.join(bad))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{module} pulls in {result.stdout.strip()}"


def test_only_compat_imports_edx_platform_code():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "compat.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(PACKAGE)}: {name}" for name in names
                          if name.split(".")[0] in PLATFORM_PACKAGES]
    assert offenders == []


EXPORTER_MODULES = [
    "accreditation_export.cli", "lp_programme.catalogue", "accreditation_export.register",
    "accreditation_export.mapping", "accreditation_export.explain", "accreditation_export.pipeline",
    "accreditation_export.outputs", "accreditation_export.submit", "accreditation_export.awarding_body_server",
    "accreditation_export.sources.workbench", "accreditation_export.sources.reports", "accreditation_export.sources.rest",
    "accreditation_export.mi.command", "accreditation_export.credentials.command",
]
# Besides CSV safety, the exporter may use the blocks' pure cores (the MI report places needs-assessment scores in
# bands and rounds means exactly as the block does): modules that import neither XBlock nor Django (tested above).
EXPORTER_MAY_IMPORT = sorted(set(PURE_MODULES) | {module.rsplit(".", 1)[0] for module in PURE_MODULES})


@pytest.mark.parametrize("module", EXPORTER_MODULES)
def test_the_exporter_imports_no_block_runtime_nor_django(module):
    """The exporter reads what the blocks stored or reported; it never imports them (pure cores aside), XBlock or Django."""
    code = (f"import sys, {module}; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('xblock', 'django', 'webob', 'submissions', "
            f"'workbench') or (m.startswith('lp_xblocks.') and m not in {EXPORTER_MAY_IMPORT!r})); "
            "print(','.join(bad))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{module} pulls in {result.stdout.strip()}"
