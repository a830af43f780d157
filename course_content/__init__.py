"""
The programme's course as an OLX source tree in Studio's export layout (``course_content/olx/``), with the
commands that validate it and build the tarball Studio imports: ``python -m course_content validate|build``.

Nothing here imports the XBlock SDK; the workbench (``lp_xblocks/workbench/``) reads the tree through
:mod:`course_content.tree`.
"""
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "olx"

# The custom blocks the course uses (Studio's "Advanced module list").
BLOCK_TAGS = ("lp_needs_assessment", "lp_reflective_log", "lp_facilitation_exercise", "lp_workshop")
