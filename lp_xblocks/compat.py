"""
The only module that knows edx-platform exists. Everything here degrades to a safe answer when the
blocks run outside Open edX (the SDK workbench, tests), so no other module imports platform code.
"""
# Keys the platform's user service puts in XBlockUser.opt_attrs.
USER_IS_STAFF = "edx-platform.user_is_staff"
ANONYMOUS_USER_ID = "edx-platform.anonymous_user_id"
USERNAME = "edx-platform.username"


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
