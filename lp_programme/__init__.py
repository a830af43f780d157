"""
What the programme's parts share, read the same way by all of them (pure: PyYAML and lxml only).

- :mod:`lp_programme.catalogue`: the accreditation unit catalogue (``catalogues/partnership_management.yaml``), the
  one list of qualifications, units and criteria. The course's reflective logs claim its criterion ids (checked by
  ``course_content``'s validator), the blocks show its marking guidance, the exporter maps evidence onto it.
- :mod:`lp_programme.course_tree`: the reader of the course's OLX source tree (``course_content/olx/``), used by
  ``course_content`` (validate, build), the workbench's course pages and the exporter (MI report, workbench source).

It imports none of the other parts, so they all depend on it one way (tests/unit/test_import_structure.py).
"""
from pathlib import Path

# The course's OLX source tree: data shipped by the course_content package (its package data), found by path.
COURSE_OLX = Path(__file__).resolve().parent.parent / "course_content" / "olx"
