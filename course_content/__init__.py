"""
The programme's course as an OLX source tree in Studio's export layout (``course_content/olx/``), with the
commands that validate it and build the tarball Studio imports: ``python -m course_content validate|build``.

Nothing here imports the XBlock SDK. The reader of the tree is :mod:`lp_programme.course_tree`, shared with the
workbench (``lp_xblocks/workbench/``) and the exporter, so that none of them imports another.
"""
from lp_programme import COURSE_OLX as SOURCE

# The custom blocks the course uses (Studio's "Advanced module list").
BLOCK_TAGS = ("lp_needs_assessment", "lp_reflective_log", "lp_facilitation_exercise", "lp_mentoring",
              "lp_learning_activity", "lp_workshop")

__all__ = ["BLOCK_TAGS", "SOURCE"]
