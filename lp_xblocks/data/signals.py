"""
Receivers the platform connects through the plugin app's ``signals_config`` (see :mod:`.apps`).
"""
import logging

from .. import compat

log = logging.getLogger(__name__)


def retire_user(sender, user, **kwargs):  # pylint: disable=unused-argument
    """
    ``USER_RETIRE_LMS_MISC``: the learner's account is being retired. Their usernames and free text leave
    the plugin tables; what accreditation audit needs stays, under a pseudonym (:mod:`.api.retirement`).
    """
    from .api.retirement import retire_learner  # pylint: disable=import-outside-toplevel
    student_ids = compat.anonymous_ids_for_user(user) + [user.username]
    counts = retire_learner(student_ids=student_ids, usernames=[user.username])
    log.info("lp-xblocks retired user id %s: %s", user.pk, counts)
