"""
The only module that knows edx-platform exists. Everything here degrades to a safe answer when the
blocks run outside Open edX (the SDK workbench, tests), so no other module imports platform code.

What the platform offers a block, and how these helpers read it (see docs/open-edx.md):

- the LMS user service: ``XBlockUser.opt_attrs`` keys below; when staff "view as a specific learner"
  (masquerade), the Django user behind the service is the learner and carries ``real_user``;
- Studio preview and the author view: the user service reports the anonymous id ``'student'`` for every
  author, and the runtime's ``is_author_mode`` is true;
- the completion service (edx-completion): ``completion_tracking_enabled()`` and
  ``submit_group_completion(block_key, completion, users=[...])``;
- Studio's ``studio_user_permissions`` service (``can_write``; ``can_edit_content`` where present);
- usage keys: ``context_key`` (a course or a content library); ``course_key`` is deprecated on library keys;
- account retirement: ``USER_RETIRE_LMS_MISC`` (connected through the plugin app's ``signals_config``).
"""
# Keys the platform's user service puts in XBlockUser.opt_attrs.
USER_IS_STAFF = "edx-platform.user_is_staff"
ANONYMOUS_USER_ID = "edx-platform.anonymous_user_id"
USERNAME = "edx-platform.username"
IS_AUTHENTICATED = "edx-platform.is_authenticated"
# The Django user's id (the LMS's ``DjangoXBlockUserService`` sets it beside the keys above).
USER_ID = "edx-platform.user_id"

# The anonymous user id Studio's preview runtime gives every author.
PREVIEW_ANONYMOUS_USER_ID = "student"

# The platform's retirement signal for plugin data (sent with ``user=<the learner's Django user>``).
RETIREMENT_SIGNAL_PATH = "openedx.core.djangoapps.user_api.accounts.signals.USER_RETIRE_LMS_MISC"


def _wants(block, service_name):
    return block.service_declaration(service_name) is not None


def _service(block, service_name):
    """The runtime's service, or None when the block does not ask for it or the runtime has none."""
    if not _wants(block, service_name):
        return None
    try:
        return block.runtime.service(block, service_name)
    except Exception:  # pylint: disable=broad-except  # NoSuchServiceError and runtimes that raise others
        return None


def _opt(block, key):
    service = _service(block, "user")
    user = service.get_current_user() if service is not None else None
    return user.opt_attrs.get(key) if user is not None else None


# ------------------------------------------------------------------------------------------- keys


def context_key(block):
    """
    The learning context of the block (a course, or a content library), or None where usage ids carry
    none (the workbench). Reads ``context_key`` first: ``course_key`` is deprecated on library keys.
    """
    usage = block.scope_ids.usage_id
    key = getattr(usage, "context_key", None)
    if key is None:
        key = getattr(usage, "course_key", None)
    return key


def in_library(block):
    """True when the block lives in a content library (v2) rather than a course."""
    key = context_key(block)
    if key is None:
        return False
    is_course = getattr(key, "is_course", None)
    if is_course is not None:
        return not is_course
    return str(key).startswith(("lib:", "library-v1:"))


# ------------------------------------------------------------------------------- Studio and preview


def studio_can_write(block):
    """
    Whether Studio's permission service lets the current user edit the block's course, or None when
    the block is not running in Studio (the service is only offered there). Prefers the service's
    ``can_edit_content`` where present (``can_write`` is deprecated).
    """
    service = _service(block, "studio_user_permissions")
    if service is None:
        return None
    key = context_key(block)
    if key is None:
        return False
    can_edit_content = getattr(service, "can_edit_content", None)
    if can_edit_content is not None:
        try:
            return bool(can_edit_content(key))
        except TypeError:
            pass  # a Studio whose can_edit_content takes other arguments: ask the older question
    return bool(service.can_write(key))


def in_preview(block):
    """
    True in Studio: the author view and the preview of a unit, where every author is the anonymous
    learner ``'student'``. Nothing done there may reach cross-learner records.
    """
    if getattr(block.runtime, "is_author_mode", False):
        return True
    return _opt(block, ANONYMOUS_USER_ID) == PREVIEW_ANONYMOUS_USER_ID


def is_masquerading(block):
    """
    True when staff are viewing the course as a specific learner: the platform then hands the block the
    learner's identity (the Django user behind the user service is the learner, with ``real_user`` set to
    the staff member), sandboxes the learner's state in the staff member's session and drops grade and
    completion events.
    """
    service = _service(block, "user")
    django_user = getattr(service, "_django_user", None)
    real_user = getattr(django_user, "real_user", None)
    if real_user is not None and real_user is not django_user:
        return getattr(real_user, "id", None) != getattr(django_user, "id", None)
    # Otherwise ask the LMS about the request's own user (``setup_masquerade`` leaves the settings there).
    try:
        from crum import get_current_request  # pylint: disable=import-outside-toplevel
        from lms.djangoapps.courseware.masquerade import (  # pylint: disable=import-outside-toplevel
            is_masquerading_as_specific_student,
        )
    except ImportError:
        return False
    request = get_current_request()
    key = context_key(block)
    if request is None or key is None or getattr(request, "user", None) is None:
        return False
    return bool(is_masquerading_as_specific_student(request.user, key))


# ------------------------------------------------------------------------------------------- completion


def submit_completion_for_learner(block, anonymous_user_id, completion):
    """
    Record another learner's completion of the block (a tutor's decision changes the learner's
    completion, but the runtime's completion event would credit the tutor), through the platform's
    completion service. Returns False, having done nothing, when there is no completion service
    (edx-completion absent, the workbench), tracking is switched off, or the learner is unknown; the
    learner's next visit then reports it.
    """
    service = _service(block, "completion")
    if service is None or not service.completion_tracking_enabled():
        return False
    user_service = _service(block, "user")
    lookup = getattr(user_service, "get_user_by_anonymous_id", None)
    user = lookup(anonymous_user_id) if lookup is not None else None
    if user is None:
        return False
    service.submit_group_completion(block_key=block.scope_ids.usage_id, completion=completion, users=[user])
    return True


# ------------------------------------------------------------------------------------------- retirement


def anonymous_ids_for_user(user):
    """
    Every per-course anonymous id the platform ever gave the user (how the plugin tables name a learner).
    Outside Open edX there are none: the workbench names learners by their student id, the username.
    """
    try:
        from common.djangoapps.student.models import AnonymousUserId  # pylint: disable=import-outside-toplevel
    except ImportError:
        return []
    return list(AnonymousUserId.objects.filter(user=user).values_list("anonymous_user_id", flat=True))
