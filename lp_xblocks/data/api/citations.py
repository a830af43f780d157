"""
Records a learner may cite as evidence in a reflective-log entry: one registry, many providers.

A reflective-log entry can point at a record kept elsewhere in the same course (a workshop the learner
attended, a mentoring session their mentor confirmed, a saved learning activity). The reflective log does
not know those blocks: each feature registers a *source* here, at import time of its data-API module, and
the log asks the registry what a learner can cite and what a cited item says now.

A source is two functions, both scoped to one learner in one course so that nobody can cite (or read
through a citation) another learner's record:

- ``list_items(course_key, student_id)`` returns the learner's citable items, newest first, each a dict
  ``{"id": str, "title": str, "date": "YYYY-MM-DD" or "", "summary": str, "witness": bool}``
  (``witness`` is true when a third party confirmed the record, e.g. a mentor's confirmation).
- ``get_item(course_key, student_id, item_id)`` returns the same dict for one item, or ``None`` when the item
  does not exist or is not this learner's.

Citations are stored on the entry as ``{"kind": <source kind>, "id": <item id>}``; what a tutor reads is resolved
through ``describe`` at the time they read it.
"""
from collections import namedtuple

Source = namedtuple("Source", "kind label list_items get_item")

_SOURCES = {}


def register(kind, label, list_items, get_item):
    """Register (or replace) the source of citable records of ``kind``; ``label`` is a translatable noun."""
    _SOURCES[kind] = Source(kind, label, list_items, get_item)


def sources():
    """The registered sources, in kind order."""
    return [_SOURCES[kind] for kind in sorted(_SOURCES)]


def source(kind):
    """The source registered for ``kind``, or None."""
    return _SOURCES.get(kind)


def citable(course_key, student_id):
    """``{kind: [item, ...]}`` of every source, for one learner in one course."""
    return {src.kind: list(src.list_items(course_key, student_id)) for src in sources()}


def describe(course_key, student_id, citation):
    """The item a stored citation points at, with its ``kind`` and ``label``; None when it no longer resolves."""
    src = source((citation or {}).get("kind"))
    if src is None:
        return None
    item = src.get_item(course_key, student_id, str(citation.get("id", "")))
    if item is None:
        return None
    return dict(item, kind=src.kind, label=src.label)
