"""
An Open edX-shaped harness: the blocks run the way the LMS and Studio run them, without edx-platform.

Each piece follows the platform's own code (Ulmo era) and says which:

- :class:`Platform` is one course (or content library) with its users, the modulestore's content and
  settings, ``StudentModule`` rows (each learner's saved state of a block as ONE JSON document, read when a
  request starts and written back whole when the block saves, so concurrent requests overwrite each
  other's user state as they do in the LMS), per-course anonymous ids, course staff, ``BlockCompletion``
  rows behind the completion switch, and the platform modules the blocks may import (installed into
  ``sys.modules`` by :meth:`Platform.install_modules`).
- :meth:`Platform.lms_block`: the LMS runtime (``block_render``): the user service shaped like
  ``DjangoXBlockUserService`` (``user_is_staff`` from course access), the completion service when
  edx-completion is installed, ``publish`` that drops grade and completion events while masquerading and
  completion events while tracking is off, masquerade as a specific learner (the Django user behind the
  user service is the learner with ``real_user`` set; user state is sandboxed in the staff member's
  session, as ``MasqueradingKeyValueStore`` does).
- :meth:`Platform.studio_preview_block`: Studio's preview runtime (``contentstore/views/preview.py``):
  anonymous user id ``'student'`` for every author, ``is_author_mode``, ``studio_user_permissions``, user
  state kept per author (the preview's session field data).
- :meth:`Platform.library_block`: the content-library (v2) runtime: usage keys whose ``context_key`` is a
  library (``course_key`` deprecated), ``user_is_staff`` meaning global staff, no ``studio_user_permissions``.
- :meth:`Platform.reset_attempts` and :meth:`Platform.delete_state`: the instructor dashboard's "reset
  learner attempts" and "delete learner state" (``instructor/enrollment.py: reset_student_attempts``).
- :class:`LmsMixin`: the LMS's mixin fields ``visible_to_staff_only``, ``group_access`` and ``due``.
"""
import hashlib
import importlib.abc
import itertools
import json
import sys
import threading
import types
import warnings

from django.dispatch import Signal
from webob import Request
from xblock.core import XBlock, XBlockMixin
from xblock.fields import Boolean, Date, Dict, Scope, ScopeIds
from xblock.reference.user_service import UserService, XBlockUser
from xblock.runtime import KeyValueStore, KvsFieldData, MemoryIdManager, NullI18nService, Runtime

COURSE = "course-v1:LP+Managers+2026"
LIBRARY = "lib:LP:toolkit"


# ------------------------------------------------------------------------------------------- keys


class ContextKey(str):
    """A course or library key, as opaque-keys' (``is_course``)."""

    def __new__(cls, value, is_course=True):
        key = super().__new__(cls, value)
        key.is_course = is_course
        return key


class UsageKey(str):
    """A usage key in a course: ``context_key`` and (for courses) ``course_key``."""

    def __new__(cls, value, context):
        key = super().__new__(cls, value)
        key._context = context
        return key

    @property
    def context_key(self):
        return self._context

    @property
    def course_key(self):
        if not self._context.is_course:
            warnings.warn("Use .context_key instead of .course_key on a library usage key", DeprecationWarning,
                          stacklevel=2)
        return self._context


class KeyIds(MemoryIdManager):
    """Ids for one learning context: usage keys that know their course or library."""

    def __init__(self, context):
        super().__init__()
        self.context = context
        self._numbers = itertools.count(1)

    def create_usage(self, def_id):
        block_type = self.get_block_type(def_id)
        # A course's usage keys carry the course (block-v1:<org>+<course>+<run>+...), so two courses never share one.
        prefix = "lb:LP:toolkit" if not self.context.is_course else "block-v1:" + self.context.split(":", 1)[1]
        usage = UsageKey(f"{prefix}+type@{block_type}+block@b{next(self._numbers)}", self.context)
        self._usages[usage] = def_id
        return usage


# ------------------------------------------------------------------------------------------- users


class DjangoUser:
    """The fields of ``django.contrib.auth`` users the platform's services read."""

    def __init__(self, user_id, username, is_staff=False):
        self.id = self.pk = user_id
        self.username = username
        self.is_staff = is_staff  # global staff
        self.is_authenticated = True
        self.email = f"{username}@example.org"

    def __repr__(self):
        return f"<User {self.username}>"


class LmsUserService(UserService):
    """Shaped like ``DjangoXBlockUserService``: the opt_attrs keys, ``_django_user`` and the lookups."""

    def __init__(self, platform, django_user, anonymous_user_id, user_is_staff):
        super().__init__()
        self._platform = platform
        self._django_user = django_user
        self._anonymous_user_id = anonymous_user_id
        self._user_is_staff = user_is_staff

    def get_current_user(self):
        user = XBlockUser(is_current_user=True)
        django_user = self._django_user
        if django_user is not None and django_user.is_authenticated:
            user.emails = [django_user.email]
            user.opt_attrs.update({
                "edx-platform.anonymous_user_id": self._anonymous_user_id,
                "edx-platform.is_authenticated": True,
                "edx-platform.user_id": django_user.id,
                "edx-platform.username": django_user.username,
                "edx-platform.user_is_staff": self._user_is_staff,
                "edx-platform.user_role": "staff" if self._user_is_staff else "student",
            })
        else:
            user.opt_attrs["edx-platform.is_authenticated"] = False
        return user

    def get_user_by_anonymous_id(self, uid=None):
        return self._platform.user_by_anonymous_id(uid or self._anonymous_user_id)


class StudioPermissions:
    """Studio's ``studio_user_permissions``: ``can_write`` (deprecated) and ``can_edit_content``."""

    def __init__(self, allowed, with_can_edit_content=True):
        self.allowed = allowed
        self.asked = []
        if with_can_edit_content:
            self.can_edit_content = self._can_edit_content

    def can_write(self, context_key):
        self.asked.append(("can_write", str(context_key)))
        return self.allowed

    def _can_edit_content(self, context_key):
        self.asked.append(("can_edit_content", str(context_key)))
        return self.allowed


class CompletionService:
    """edx-completion's ``CompletionService``: the switch and ``submit_group_completion``."""

    def __init__(self, platform, user, context_key):
        self._platform = platform
        self._user = user
        self._context_key = context_key

    def completion_tracking_enabled(self):
        return self._platform.completion_tracking

    def submit_group_completion(self, block_key, completion, users=None, user_ids=None):
        users = list(users or []) + [self._platform.users[pk] for pk in user_ids or []]
        self._platform.completion_service_calls.append((str(block_key), completion, [user.username for user in users]))
        return [self._platform.submit_completion(user, block_key, completion) for user in users]

    def submit_completion(self, block_key, completion):
        return self._platform.submit_completion(self._user, block_key, completion)


# ------------------------------------------------------------------------------------------- field data


class RequestKeyValueStore(KeyValueStore):
    """
    One request's field data: content and settings from the modulestore; the learner's user state read
    once, when the request starts (the LMS's ``FieldDataCache``), and written back as one JSON document
    whenever the block saves (``StudentModule.state``): the last request to save wins every field.
    ``sandbox`` (masquerade) keeps writes, and reads them back, out of the learner's row.
    """

    def __init__(self, platform, user_id, usage_id, sandbox=None, before_save=None):
        self.platform = platform
        self.user_id = user_id
        self.usage_id = usage_id
        self.sandbox = sandbox
        self.before_save = before_save
        self.state = json.loads(platform.student_modules.get((user_id, usage_id), "{}"))

    def _user_state(self, key):
        return key.scope == Scope.user_state

    def _shared_key(self, key):
        if key.scope in (Scope.content, Scope.settings, Scope.children, Scope.parent):
            return (key.block_scope_id, key.field_name)
        return (key.scope, key.user_id, key.block_scope_id, key.field_name)

    def get(self, key):
        if self._user_state(key):
            if self.sandbox is not None and key.field_name in self.sandbox:
                return self.sandbox[key.field_name]
            return self.state[key.field_name]
        return self.platform.content[self._shared_key(key)]

    def set(self, key, value):
        self.set_many({key: value})

    def set_many(self, update_dict):
        wrote_state = False
        for key, value in update_dict.items():
            if self._user_state(key):
                if self.sandbox is not None:
                    self.sandbox[key.field_name] = value
                else:
                    self.state[key.field_name] = value
                    wrote_state = True
            else:
                self.platform.content[self._shared_key(key)] = value
        if wrote_state:
            if self.before_save is not None:
                self.before_save()
            self.platform.student_modules[(self.user_id, self.usage_id)] = json.dumps(self.state)

    def delete(self, key):
        if self._user_state(key):
            if self.sandbox is not None:
                self.sandbox.pop(key.field_name, None)
                return
            self.state.pop(key.field_name, None)
            self.platform.student_modules[(self.user_id, self.usage_id)] = json.dumps(self.state)
        else:
            self.platform.content.pop(self._shared_key(key), None)

    def has(self, key):
        if self._user_state(key):
            return (self.sandbox is not None and key.field_name in self.sandbox) or key.field_name in self.state
        return self._shared_key(key) in self.platform.content


class PreviewKeyValueStore(RequestKeyValueStore):
    """Studio preview: an author's user state lives in their own session, never in ``StudentModule``."""

    def __init__(self, platform, author, usage_id):
        super().__init__(platform, author.id, usage_id)
        self.state = platform.preview_sessions.setdefault((author.id, usage_id), {})

    def set_many(self, update_dict):
        for key, value in update_dict.items():
            if self._user_state(key):
                self.state[key.field_name] = value
            else:
                self.platform.content[self._shared_key(key)] = value


# ------------------------------------------------------------------------------------------- runtimes


class LmsMixin(XBlockMixin):
    """The settings fields the LMS mixes into every block (``LmsBlockMixin``, ``InheritanceMixin``)."""

    visible_to_staff_only = Boolean(
        display_name="Hide from learners", help="Staff only.", default=False, scope=Scope.settings)
    group_access = Dict(
        display_name="Group access", help="Partition id -> group ids.", default={}, scope=Scope.settings)
    due = Date(display_name="Due date", help="Inherited from the subsection.", default=None, scope=Scope.settings)


class PlatformRuntime(Runtime):
    """The parts of the LMS / Studio runtimes the blocks touch."""

    def __init__(self, platform, services, masquerading=False, is_author_mode=False):
        super().__init__(id_reader=platform.ids, id_generator=platform.ids, mixins=(LmsMixin,),
                         services={"i18n": NullI18nService(), **services})
        self.platform = platform
        self.masquerading = masquerading
        self.is_author_mode = is_author_mode
        self.user = None  # the Django user of an LMS request
        self.published = []

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):  # pylint: disable=too-many-positional-arguments
        return f"/handler/{block.scope_ids.usage_id}/{handler_name}"

    def local_resource_url(self, block, uri):
        return f"/resource/{uri}"

    def resource_url(self, resource):
        return f"/static/{resource}"

    def publish(self, block, event_type, event_data):
        """``block_render.publish``: grade and completion events are dropped while masquerading, completion
        events (and only they) while completion tracking is switched off; the rest is logged."""
        self.published.append((event_type, event_data))
        handled = event_type == "grade" or (event_type == "completion" and self.platform.completion_tracking)
        if handled and not self.masquerading and self.user is not None:
            self.platform.accept_event(block, event_type, event_data)


class Platform:
    """One course (or library) as the LMS and Studio hold it; see the module docstring."""

    def __init__(self, context=COURSE, is_course=True):
        self.context = ContextKey(context, is_course=is_course)
        self.ids = KeyIds(self.context)
        self.content = {}
        self.student_modules = {}
        self.preview_sessions = {}
        self.masquerade_sessions = {}
        self.users = {}
        self.course_staff = set()
        self.completion_installed = True
        self.completion_tracking = True
        self.completions = {}
        self.completion_service_calls = []
        self.grades = {}
        self._user_ids = itertools.count(1)
        self._lock = threading.Lock()

    # ----------------------------------------------------------------------------- people

    def user(self, username, staff=False, global_staff=False):
        """A user (created on first use); ``staff`` gives course staff access."""
        for user in self.users.values():
            if user.username == username:
                break
        else:
            with self._lock:
                user = DjangoUser(next(self._user_ids), username, is_staff=global_staff)
                self.users[user.id] = user
        if staff:
            self.course_staff.add(user.id)
        return user

    def anonymous_id(self, user):
        """``anonymous_id_for_user(user, course_id)``: a per-course hash, never the username."""
        return hashlib.md5(f"secret:{user.id}:{self.context}".encode()).hexdigest()

    def user_by_anonymous_id(self, uid):
        for user in self.users.values():
            if self.anonymous_id(user) == uid:
                return user
        return None

    def has_staff_access(self, user):
        return user.id in self.course_staff or user.is_staff

    # ----------------------------------------------------------------------------- content

    def import_olx(self, xml):
        """Studio's import: parse the block's OLX into the modulestore; returns its usage key."""
        parser = PlatformRuntime(self, {"field-data": KvsFieldData(_ContentOnly(self))})
        return parser.parse_xml_string(xml)

    def export_olx(self, usage_id):
        """Course export / copy: the block's OLX as the platform writes it."""
        from io import BytesIO  # pylint: disable=import-outside-toplevel
        runtime = PlatformRuntime(self, {"field-data": KvsFieldData(_ContentOnly(self))})
        block = self._construct(runtime, usage_id, None)
        out = BytesIO()
        runtime.export_to_xml(block, out)
        return out.getvalue().decode("utf-8")

    def _construct(self, runtime, usage_id, user_id):
        def_id = self.ids.get_definition_id(usage_id)
        block_type = self.ids.get_block_type(def_id)
        block_class = XBlock.load_class(block_type)
        return runtime.construct_xblock_from_class(block_class, ScopeIds(user_id, block_type, def_id, usage_id))

    # ----------------------------------------------------------------------------- runtimes

    def _services(self, user, anonymous_id, user_is_staff):
        services = {"user": LmsUserService(self, user, anonymous_id, user_is_staff)}
        if self.completion_installed:
            services["completion"] = CompletionService(self, user, self.context)
        return services

    def lms_block(self, usage_id, user, masquerade_as=None, before_save=None):
        """
        The block as one LMS request loads it for ``user``; with ``masquerade_as`` (a learner), as staff
        ``user`` viewing the course as that learner.
        """
        acting = user
        if masquerade_as is not None:
            acting = DjangoUser(masquerade_as.id, masquerade_as.username, masquerade_as.is_staff)
            acting.real_user = user
        sandbox = self.masquerade_sessions.setdefault((user.id, usage_id), {}) if masquerade_as else None
        kvs = RequestKeyValueStore(self, acting.id, usage_id, sandbox=sandbox, before_save=before_save)
        services = self._services(acting, self.anonymous_id(acting), self.has_staff_access(acting))
        services["field-data"] = KvsFieldData(kvs)
        runtime = PlatformRuntime(self, services, masquerading=masquerade_as is not None)
        runtime.user = acting
        return self._construct(runtime, usage_id, acting.id)

    def studio_preview_block(self, usage_id, author, can_edit=True):
        """The block in Studio's preview (and author view) for ``author``."""
        services = {
            "user": LmsUserService(self, author, "student", False),
            "studio_user_permissions": StudioPermissions(can_edit),
            "field-data": KvsFieldData(PreviewKeyValueStore(self, author, usage_id)),
        }
        runtime = PlatformRuntime(self, services, is_author_mode=True)
        return self._construct(runtime, usage_id, author.id)

    def library_block(self, usage_id, user):
        """The block in the content-library (v2) runtime: ``user_is_staff`` is global staff there."""
        kvs = RequestKeyValueStore(self, user.id, usage_id)
        services = {"user": LmsUserService(self, user, self.anonymous_id(user), user.is_staff),
                    "field-data": KvsFieldData(kvs)}
        return self._construct(PlatformRuntime(self, services), usage_id, user.id)

    # ----------------------------------------------------------------------------- the LMS's own records

    def accept_event(self, block, event_type, data):
        user = block.runtime.user
        if event_type == "grade":
            self.grades[(user.id, block.scope_ids.usage_id)] = (data["value"], data["max_value"])
        else:
            self.submit_completion(user, block.scope_ids.usage_id, data["completion"])

    def submit_completion(self, user, block_key, completion):
        """``BlockCompletion.objects.submit_completion``: refuses when tracking is switched off."""
        if not self.completion_tracking:
            raise RuntimeError("BlockCompletion.objects.submit_completion should not be called when the "
                               "feature is disabled.")
        self.completions[(user.id, str(block_key))] = completion
        return completion, True

    def state_of(self, usage_id, user):
        """The learner's saved state (``StudentModule.state``), parsed."""
        return json.loads(self.student_modules.get((user.id, usage_id), "{}"))

    # ----------------------------------------------------------------------------- instructor dashboard

    def reset_attempts(self, usage_id, student):
        """"Reset learner attempts": ``state["attempts"] = 0`` written into the saved state, nothing else."""
        state = self.state_of(usage_id, student)
        state["attempts"] = 0
        self.student_modules[(student.id, usage_id)] = json.dumps(state)

    def delete_state(self, usage_id, student, requesting_user):
        """
        "Delete learner state": the block's ``clear_student_state`` (if it has one) is called with the
        anonymous ids, and then the platform leaves the submissions score alone; without one the platform
        resets the edx-submissions score itself. The ``StudentModule`` row is then deleted.
        """
        from submissions import api as submissions_api  # pylint: disable=import-outside-toplevel
        block = self._construct(PlatformRuntime(self, {"field-data": KvsFieldData(_ContentOnly(self))}),
                                usage_id, None)
        user_id = self.anonymous_id(student)
        cleared = False
        clear = getattr(block, "clear_student_state", None)
        if callable(clear):
            clear(user_id=user_id, course_id=str(self.context), item_id=str(usage_id),
                  requesting_user_id=self.anonymous_id(requesting_user))
            cleared = True
        if not cleared:
            submissions_api.reset_score(user_id, str(self.context), str(usage_id))
        self.student_modules.pop((student.id, usage_id), None)
        self.grades.pop((student.id, usage_id), None)

    # ----------------------------------------------------------------------------- platform modules

    def install_modules(self, monkeypatch, completion_module="installed"):
        """
        Put the platform's modules that code may import into ``sys.modules`` for this test, backed by this
        platform: ``completion.models`` (``completion_module``: "installed", "absent", or "not-in-apps",
        where importing it raises as Django does for a model outside INSTALLED_APPS),
        ``common.djangoapps.student.models`` and the retirement signal's module. Returns the signal.
        """
        platform = self

        class BlockCompletionManager:
            @staticmethod
            def submit_completion(user, block_key, completion):
                return platform.submit_completion(user, block_key, completion)

        class AnonymousUserIds:
            @staticmethod
            def filter(user):
                return types.SimpleNamespace(values_list=lambda *a, **k: [platform.anonymous_id(user)])

        modules = {
            "common": types.ModuleType("common"),
            "common.djangoapps": types.ModuleType("common.djangoapps"),
            "common.djangoapps.student": types.ModuleType("common.djangoapps.student"),
            "common.djangoapps.student.models": types.ModuleType("common.djangoapps.student.models"),
        }
        student_models = modules["common.djangoapps.student.models"]
        student_models.user_by_anonymous_id = platform.user_by_anonymous_id
        student_models.anonymous_id_for_user = lambda user, course_id: platform.anonymous_id(user)
        student_models.AnonymousUserId = types.SimpleNamespace(objects=AnonymousUserIds())
        if completion_module == "installed":
            block_completion = types.SimpleNamespace(objects=BlockCompletionManager())
            real = _real_completion_models()
            if real is not None:
                # The platform-versions run installs edx-completion as an app, as the LMS does: keep the real
                # package (the plugin machinery imports its other modules) and stand in for its model only.
                monkeypatch.setattr(real, "BlockCompletion", block_completion)
            else:
                modules["completion"] = types.ModuleType("completion")
                modules["completion.models"] = types.ModuleType("completion.models")
                modules["completion.models"].BlockCompletion = block_completion
        else:
            self.completion_installed = False
            if completion_module == "not-in-apps":
                monkeypatch.setattr(sys, "meta_path", [_NotInInstalledApps()] + sys.meta_path)
        signal_modules = ["openedx", "openedx.core", "openedx.core.djangoapps", "openedx.core.djangoapps.user_api",
                          "openedx.core.djangoapps.user_api.accounts",
                          "openedx.core.djangoapps.user_api.accounts.signals"]
        for name in signal_modules:
            modules[name] = types.ModuleType(name)
        signal = Signal()
        modules["openedx.core.djangoapps.user_api.accounts.signals"].USER_RETIRE_LMS_MISC = signal
        for name, module in modules.items():
            monkeypatch.setitem(sys.modules, name, module)
        return signal


def _real_completion_models():
    """edx-completion's models module where it is installed and an installed app, else None."""
    from django.apps import apps  # pylint: disable=import-outside-toplevel
    if not apps.is_installed("completion"):
        return None
    return importlib.import_module("completion.models")


class _NotInInstalledApps(importlib.abc.MetaPathFinder):
    """Importing ``completion.models`` raises, as it does when edx-completion is not in INSTALLED_APPS."""

    def find_spec(self, fullname, path, target=None):  # pylint: disable=unused-argument
        if fullname == "completion" or fullname.startswith("completion."):
            raise RuntimeError("Model class completion.models.BlockCompletion doesn't declare an explicit "
                               "app_label and isn't in an application in INSTALLED_APPS.")
        return None


class _ContentOnly(RequestKeyValueStore):
    """Field data for import, export and the instructor dashboard: the modulestore, no learner."""

    def __init__(self, platform):  # pylint: disable=super-init-not-called
        self.platform = platform
        self.sandbox = None
        self.before_save = None
        self.state = {}

    def set_many(self, update_dict):
        for key, value in update_dict.items():
            if not self._user_state(key):
                self.platform.content[self._shared_key(key)] = value


# ------------------------------------------------------------------------------------------- requests


def call(block, handler, body=None, method="POST"):
    """A handler request as the LMS makes it (the runtime saves the block afterwards); (status, JSON)."""
    request = Request.blank("/", method=method)
    if body is not None:
        request.body = json.dumps(body).encode("utf-8")
        request.content_type = "application/json"
    response = block.runtime.handle(block, handler, request)
    text = response.body.decode("utf-8")
    return response.status_code, (json.loads(text) if response.content_type == "application/json" else text)


__all__ = ["COURSE", "LIBRARY", "LmsMixin", "Platform", "call"]
