"""
The workbench's URLs: the SDK's (scenarios, handlers, resources), a front page of our own, and the
whole course (``/course/``), and a favicon (browsers ask for ``/favicon.ico`` on every page).

``handler/`` is the SDK's view behind a step that loads the course first, so a block on a course page
answers even when the process has just started.
"""
from django.urls import path, re_path
from workbench.urls import urlpatterns as sdk_urlpatterns

from . import course, kvs

kvs.install()  # before any handler runs: learner state without lost fields (see kvs.py)

urlpatterns = [
    path("", course.home, name="lp_home"),
    path("favicon.ico", course.favicon, name="lp_favicon"),
    path("course/", course.index, name="lp_course_index"),
    re_path(r"^course/(?P<unit_url_name>[a-z0-9-]+)/$", course.unit, name="lp_course_unit"),
    re_path(r"^course/static/(?P<name>[^?#]+)$", course.course_static, name="lp_course_static"),
    re_path(r"^jump_to_id/(?P<url_name>[A-Za-z0-9_.-]+)/?$", course.jump_to_id, name="lp_jump_to_id"),
    re_path(
        r"^handler/(?P<usage_id>[^/]+)/(?P<handler_slug>[^/]*)(?:/(?P<suffix>.*))?$",
        course.handler, {"authenticated": True}, name="lp_handler",
    ),
    *sdk_urlpatterns,
]
