"""
Where a request may write learner records: the one place that decides (the platform facts come from
:mod:`lp_xblocks.compat`; docs/open-edx.md says how each case behaves).

- Staff viewing the course as a specific learner (masquerade) write nothing: the platform would credit
  the learner with what staff did.
- A block in a content library (not a course) keeps no learner records: tutors, grades and the plugin
  tables are course things.
- Studio preview (every author is the anonymous learner ``'student'``) keeps what it can in the author's
  own preview state and never writes cross-learner records (plugin tables, edx-submissions).
"""
from .. import compat
from .http import HandlerError
from .i18n import gettext_for


def check_may_record(block):
    """Raise a 403 :class:`HandlerError` with a clear message when this request may not save learner work."""
    _ = gettext_for(block)
    if compat.is_masquerading(block):
        raise HandlerError(403, _(
            "You are viewing the course as a specific learner: nothing can be saved in their name. "
            "Stop viewing as this learner to make changes of your own."), reason="masquerade")
    if compat.in_library(block):
        raise HandlerError(403, _(
            "This block keeps learners' work only in a course: add it to a course to use it."), reason="library")


def shared_records_allowed(block):
    """False in Studio preview: nothing the author does there may reach the cross-learner tables."""
    return not compat.in_preview(block)
