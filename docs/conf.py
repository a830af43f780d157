"""Sphinx configuration: the reference documentation in docs/, written in Markdown (MyST).

Build: `.venv/bin/tox -e docs` (part of `make test`), warnings as errors, nitpicky, broken links failing it.
"""
project = "lp-xblocks"
author = "lp-xblocks contributors"
copyright = "2026, lp-xblocks contributors"  # pylint: disable=redefined-builtin

extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "README.md"]

# Headings become link targets (`page.md#a-heading`), checked like page links.
myst_heading_anchors = 4
myst_enable_extensions = ["colon_fence", "deflist"]

# Every link to a page or heading that does not exist is a warning, and the build treats warnings as errors.
nitpicky = True

html_theme = "alabaster"
html_title = "lp-xblocks documentation"
html_static_path = []
html_show_sourcelink = False
