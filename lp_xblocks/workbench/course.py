"""
The whole course in the SDK workbench: ``/`` is the front page (the course, then every block scenario),
``/course/`` is the outline, ``/course/<unit>/`` renders one unit.

The course is read from ``course_content``'s OLX tree and every component is parsed into the workbench
runtime once per process. Open edX's ``<html filename>`` pointer is resolved while loading: the SDK's html
block (``html_demo``) takes its content inline. ``/jump_to_id/<url_name>`` opens the unit that holds
``url_name``, as the LMS does. Pages take the SDK's ``?student=`` convention, and links keep it.
"""
import re
import threading
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlparse

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import ensure_csrf_cookie
from lxml import etree
from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.plugin import PluginMissingError
from workbench import views as sdk_views
from workbench.runtime import WorkbenchRuntime
from workbench.scenarios import get_scenarios

from lp_programme.course_tree import load_course
from lp_xblocks.common.permissions import workbench_tutors

from . import discussion

SDK_HTML_TAG = "html_demo"
_lock = threading.Lock()
_loaded = None


@dataclass
class LoadedCourse:
    course: object
    usages: dict          # unit url_name -> [(component, usage id, or None when its block is not installed)]
    order: list           # [(chapter, sequential, unit)] in course order


def component_xml(component) -> str:
    """The XML the workbench parses for one component (html pointers resolved to inline content)."""
    if component.tag != "html":
        return etree.tostring(component.element, encoding="unicode")
    # html_demo substitutes $names from the render context: a literal $ is written $$. Links to the course's
    # static files point at course_static, as the LMS rewrites /static/ to the course's asset URLs.
    html = component.html.replace('$', '$$').replace('="/static/', '="/course/static/')
    return f"<{SDK_HTML_TAG}>{html}</{SDK_HTML_TAG}>"


def _parse(parser, component):
    tag = SDK_HTML_TAG if component.tag == "html" else component.tag
    try:
        XBlock.load_class(tag)
    except PluginMissingError:
        return None
    return parser.parse_xml_string(component_xml(component))


def load():
    """Parse the course into the workbench runtime (once per process; later calls return the same)."""
    global _loaded  # pylint: disable=global-statement
    with _lock:
        if _loaded is None:
            # The SDK loads its scenarios first: that load clears every stored parent-child link once,
            # so it must not run after ours.
            get_scenarios()
            discussion.register()  # the platform's <discussion>: a labelled placeholder in the workbench only
            course = load_course()
            parser = WorkbenchRuntime()
            usages = {}
            for _chapter, _sequential, unit in course.units():
                parser.id_generator.set_scenario(f"course-{unit.url_name}")
                usages[unit.url_name] = [(component, _parse(parser, component)) for component in unit.components]
            _loaded = LoadedCourse(course, usages, list(course.units()))
    return _loaded


def _student(request):
    return sdk_views.get_student_id(request)


def _unit_url(unit_url_name, student):
    return reverse("lp_course_unit", args=[unit_url_name]) + "?" + urlencode({"student": student})


def home(request):
    """The workbench's front page: the whole course first, then every block scenario."""
    student = _student(request)
    query = "?" + urlencode({"student": student})
    scenarios = [
        {"title": scenario.description, "url": reverse("workbench_show_scenario", args=[name]) + query}
        for name, scenario in sorted(get_scenarios().items())
        if name.split(".")[0] not in settings.EXCLUDED_XBLOCKS  # the SDK's sample blocks stay hidden
    ]
    return render(request, "lp_workbench/home.html", {
        "course": load().course, "course_url": reverse("lp_course_index") + query, "scenarios": scenarios,
        "student_id": student,
    })


def index(request):
    """The outline: chapters, sequentials and units, each unit a link."""
    loaded = load()
    student = _student(request)
    chapters = [
        {
            "title": chapter.display_name,
            "sequentials": [
                {
                    "title": sequential.display_name,
                    "graded": sequential.format if sequential.graded else "",
                    "units": [
                        {"title": unit.display_name, "url": _unit_url(unit.url_name, student)}
                        for unit in sequential.units
                    ],
                }
                for sequential in chapter.sequentials
            ],
        }
        for chapter in loaded.course.chapters
    ]
    return render(request, "lp_workbench/course_index.html", {
        "course": loaded.course, "chapters": chapters, "student_id": student,
        "scenarios_url": reverse("workbench_index") + "?" + urlencode({"student": student}),
    })


@ensure_csrf_cookie
def unit(request, unit_url_name):
    """One unit: its html components and blocks rendered as the given student, in order."""
    loaded = load()
    if unit_url_name not in loaded.usages:
        raise Http404(f"no unit '{unit_url_name}' in the course")
    student = _student(request)
    position = next(i for i, (_c, _s, u) in enumerate(loaded.order) if u.url_name == unit_url_name)
    chapter, sequential, this_unit = loaded.order[position]
    runtime = WorkbenchRuntime(student)
    page = Fragment()
    sections = []
    for component, usage_id in loaded.usages[unit_url_name]:
        if component.element.get("visible_to_staff_only") == "true" and student not in workbench_tutors():
            continue  # as the LMS does: staff-only components are not shown to learners
        if usage_id is None:
            sections.append({"anchor": component.url_name, "kind": component.tag, "missing": component.tag})
            continue
        block = runtime.get_block(usage_id)
        fragment = block.render("student_view", {})
        page.add_fragment_resources(fragment)
        sections.append({"anchor": component.url_name, "kind": component.tag, "body": fragment.body_html()})

    def neighbour(offset):
        index_ = position + offset
        if 0 <= index_ < len(loaded.order):
            other = loaded.order[index_][2]
            return {"title": other.display_name, "url": _unit_url(other.url_name, student)}
        return None

    return render(request, "lp_workbench/course_unit.html", {
        "course": loaded.course, "chapter": chapter, "sequential": sequential, "unit": this_unit,
        "sections": sections, "head_html": page.head_html(), "foot_html": page.foot_html(),
        "student_id": student, "previous": neighbour(-1), "next": neighbour(1),
        "outline_url": reverse("lp_course_index") + "?" + urlencode({"student": student}),
    })


def jump_to_id(request, url_name):
    """Open the unit that holds ``url_name`` (a unit, sequential, chapter or component), as the LMS does."""
    loaded = load()
    target_unit = loaded.course.unit_of(url_name)
    if target_unit is None:
        raise Http404(f"nothing called '{url_name}' in the course")
    student = request.GET.get("student")
    if not student:
        referrer = parse_qs(urlparse(request.META.get("HTTP_REFERER", "")).query).get("student")
        student = referrer[0] if referrer else "student_1"
    anchor = "" if url_name == target_unit.url_name else f"#{url_name}"
    return HttpResponseRedirect(_unit_url(target_unit.url_name, student) + anchor)


def handler(request, *args, **kwargs):
    """The SDK's handler view, once the course's usages exist in this process (after a restart too)."""
    load()
    return sdk_views.handler(request, *args, **kwargs)


STATIC_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$")
CONTENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".csv": "text/csv; charset=utf-8",
    ".png": "image/png",
}
_built = {}


def course_static(request, name):  # pylint: disable=unused-argument
    """A file of the course's static/ folder, or a downloadable template the build makes (built once)."""
    from lp_programme import downloads  # pylint: disable=import-outside-toplevel

    if not STATIC_NAME.match(name) or ".." in name.split("/"):
        raise Http404("no such file")
    if name in downloads.names():
        with _lock:
            if not _built:
                _built.update(downloads.build_files())
        data = _built[name]
    else:
        root = (load().course.root / "static").resolve()
        path = (root / name).resolve()
        if root not in path.parents or not path.is_file():
            raise Http404("no such file")
        data = path.read_bytes()
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    response = HttpResponse(data, content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    if name.startswith(f"{downloads.FOLDER}/"):
        response["Content-Disposition"] = f'attachment; filename="{name.rsplit("/", 1)[-1]}"'
    return response


FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0a3d62"/>'
    '<path d="M4 3h2v8h5v2H4z" fill="#fff"/></svg>'
)


def favicon(request):  # pylint: disable=unused-argument
    """The workbench's icon (an "L" on the programme's blue), so browsers' requests for it are not 404s."""
    response = HttpResponse(FAVICON, content_type="image/svg+xml")
    response["Cache-Control"] = "max-age=86400"
    return response
