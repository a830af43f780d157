"""
Who the current user is and what they may do: the one place that decides.

- In the SDK workbench (its user service marks users with ``xblock-workbench.user_id``) the student ids
  in the Django setting ``LP_WORKBENCH_TUTORS`` (default ``["tutor", "tutor2"]``) act as course staff.
- Everywhere else a tutor is whoever the platform's user service says is course staff.
- A runtime with no user service (bare test runtimes) has no tutors.

Internal verifiers (docs/evidence-and-quality-assurance.md, "Quality assurance"): in the workbench the student ids in
``LP_WORKBENCH_VERIFIERS`` (default ``["verifier"]``); in Open edX a member of the course's staff (the LMS's
course Staff or Admin role) who is also in the Django group named by ``LP_VERIFIER_GROUP`` (default
``lp_internal_verifiers``). A verifier reads submitted work and marking, verifies decisions and decides appeals,
but does not mark.
"""
from .. import compat

WORKBENCH_USER_ID = "xblock-workbench.user_id"
DEFAULT_WORKBENCH_TUTORS = ("tutor", "tutor2")
DEFAULT_WORKBENCH_VERIFIERS = ("verifier",)
DEFAULT_VERIFIER_GROUP = "lp_internal_verifiers"


def current_user(block):
    """The runtime's XBlockUser for the current request, or None without a user service."""
    try:
        service = block.runtime.service(block, "user")
    except Exception:  # pylint: disable=broad-except  # NoSuchServiceError and runtimes that raise others
        return None
    return service.get_current_user() if service is not None else None


def _opt(block, key):
    user = current_user(block)
    return user.opt_attrs.get(key) if user is not None else None


def workbench_tutors():
    """The student ids that act as staff in the workbench."""
    from django.conf import settings  # pylint: disable=import-outside-toplevel
    return tuple(getattr(settings, "LP_WORKBENCH_TUTORS", DEFAULT_WORKBENCH_TUTORS))


def is_anonymous(block):
    """
    True when nobody is signed in: no user at all, the platform's ``is_authenticated`` is false, or the
    workbench's unauthenticated handler (student id ``none``).
    """
    user = current_user(block)
    if user is None:
        return block.scope_ids.user_id is None
    workbench_id = user.opt_attrs.get(WORKBENCH_USER_ID)
    if workbench_id is not None:
        return workbench_id in ("", "none")
    if compat.IS_AUTHENTICATED in user.opt_attrs:
        return not user.opt_attrs[compat.IS_AUTHENTICATED]
    return block.scope_ids.user_id is None


def is_tutor(block):
    """True when the current user may see and mark other learners' work in this block's course."""
    workbench_id = _opt(block, WORKBENCH_USER_ID)
    if workbench_id is not None:
        return workbench_id in workbench_tutors()
    return bool(_opt(block, compat.USER_IS_STAFF))


def workbench_verifiers():
    """The student ids that act as internal verifiers in the workbench."""
    from django.conf import settings  # pylint: disable=import-outside-toplevel
    return tuple(getattr(settings, "LP_WORKBENCH_VERIFIERS", DEFAULT_WORKBENCH_VERIFIERS))


def verifier_group():
    """The Django group whose members (course staff of a course) verify its marking in Open edX."""
    from django.conf import settings  # pylint: disable=import-outside-toplevel
    return str(getattr(settings, "LP_VERIFIER_GROUP", DEFAULT_VERIFIER_GROUP))


def _in_group(user_id, group):
    """Whether the Django user ``user_id`` belongs to the Django group ``group`` (False for no or a bad id)."""
    if user_id is None or not group:
        return False
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    try:
        return get_user_model().objects.filter(pk=int(user_id), groups__name=group).exists()
    except (TypeError, ValueError):
        return False


def is_verifier(block):
    """
    True when the current user is an internal verifier of this block's course: in the workbench a student id of
    ``LP_WORKBENCH_VERIFIERS``; elsewhere course staff who are in the ``LP_VERIFIER_GROUP`` Django group.
    """
    workbench_id = _opt(block, WORKBENCH_USER_ID)
    if workbench_id is not None:
        return workbench_id in workbench_verifiers()
    if not _opt(block, compat.USER_IS_STAFF):
        return False
    return _in_group(_opt(block, compat.USER_ID), verifier_group())


def is_tutor_or_verifier(block):
    """Who may read a course's submitted work and marking (not drafts)."""
    return is_tutor(block) or is_verifier(block)


def may_review(block):
    """
    True when the current user may read (never change) any learner's submitted evidence in this block's course:
    tutors and course staff, and the course's internal verifiers.
    """
    return is_tutor_or_verifier(block)


def can_author(block):
    """True when the current user may change the block's content (Studio edits)."""
    studio = compat.studio_can_write(block)
    if studio is not None:
        return studio
    return is_tutor(block)


def student_id(block):
    """A stable, anonymous id for the current learner (anonymous id in Open edX)."""
    return str(
        _opt(block, compat.ANONYMOUS_USER_ID)
        or _opt(block, WORKBENCH_USER_ID)
        or block.scope_ids.user_id
    )


def username(block):
    """The current learner's username where the runtime tells it, else their student id."""
    return str(_opt(block, compat.USERNAME) or _opt(block, WORKBENCH_USER_ID) or block.scope_ids.user_id)


def block_key(block):
    """The block's usage key as a string."""
    return str(block.scope_ids.usage_id)


def course_key(block):
    """
    The block's learning context (course) key as a string ('' where usage ids carry none, as in the
    workbench); read from ``context_key`` (``course_key`` is deprecated on library keys).
    """
    key = compat.context_key(block)
    return str(key) if key is not None else ""


# ------------------------------------------------------------------ mentoring

def is_coordinator(block):
    """The mentoring scheme's coordinator: course staff (a tutor), who pairs mentees with mentors."""
    return is_tutor(block)


def is_mentor_of(block, pair):
    """
    True when the current user is the mentor of ``pair`` (a dict with ``mentor``, the username the coordinator
    paired). Mentors are identified by username: in Open edX the user service's username, in the workbench the
    student id. Anonymous visitors are nobody's mentor.
    """
    return bool(pair) and not is_anonymous(block) and pair.get("mentor") == username(block)
