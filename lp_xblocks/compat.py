"""
The only module that knows edx-platform exists. Everything here degrades to a safe answer when the
blocks run outside Open edX (the SDK workbench, tests), so no other module imports platform code.
"""
# Keys the platform's user service puts in XBlockUser.opt_attrs.
USER_IS_STAFF = "edx-platform.user_is_staff"
ANONYMOUS_USER_ID = "edx-platform.anonymous_user_id"
USERNAME = "edx-platform.username"
IS_AUTHENTICATED = "edx-platform.is_authenticated"


def studio_can_write(block):
    """
    Whether Studio's permission service lets the current user edit the block's course, or None when
    the block is not running in Studio (the service is only offered there).
    """
    service = block.runtime.service(block, "studio_user_permissions") if _wants(block, "studio_user_permissions") else None
    if service is None:
        return None
    course_key = getattr(block.scope_ids.usage_id, "course_key", None)
    return bool(course_key is not None and service.can_write(course_key))


def _wants(block, service_name):
    return block.service_declaration(service_name) is not None


def submit_completion_for_learner(block, anonymous_user_id, completion):
    """
    Record another learner's completion of the block (a tutor's decision changes the learner's
    completion, but the runtime's completion event would credit the tutor). Uses edx-completion in
    Open edX; returns False elsewhere, where the learner's next visit reports it instead.
    """
    try:
        from completion.models import BlockCompletion  # pylint: disable=import-outside-toplevel
        from common.djangoapps.student.models import user_by_anonymous_id  # pylint: disable=import-outside-toplevel
    except ImportError:
        return False
    user = user_by_anonymous_id(anonymous_user_id)
    if user is None:
        return False
    BlockCompletion.objects.submit_completion(user=user, block_key=block.scope_ids.usage_id, completion=completion)
    return True
