"""
Read the course's OLX source tree (Studio's export layout) into an outline (pure: lxml only).

    course.xml                      <course url_name="RUN" org=".." course=".."/>
    course/RUN.xml                  <course display_name=..> <chapter url_name=".."/> ... </course>
    chapter/X.xml                   <chapter display_name=..> <sequential url_name=".."/> ... </chapter>
    sequential/X.xml                <sequential display_name=.. [graded="true" format=".."]> <vertical url_name=".."/> ...
    vertical/X.xml                  <vertical display_name=..> <html url_name=".."/> <lp_... url_name=".." ...>...</lp_...>
    html/X.xml + html/X.html        <html filename="X" display_name=".."/> and the HTML it points to
    policies/RUN/policy.json, policies/RUN/grading_policy.json, policies/assets.json, about/, static/

A child element that has only a ``url_name`` (the course pointer also ``org`` and ``course``) and no content is
a pointer to ``<tag>/<url_name>.xml``; anything else is read inline. Custom blocks sit inline in verticals.

:func:`load_course` raises :class:`OlxError` naming the file, line and element for anything it cannot follow.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from lxml import etree

from . import COURSE_OLX as SOURCE

STRUCTURE = ("chapter", "sequential", "vertical")
_POINTER_ATTRIBUTES = {"url_name"}
_COURSE_POINTER_ATTRIBUTES = {"url_name", "org", "course"}


def xml_parser():
    """A parser that never fetches anything and keeps line numbers."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def describe(element) -> str:
    """``<tag url_name='x'>`` for messages."""
    if element is None:
        return ""
    url_name = element.get("url_name")
    return f"<{element.tag} url_name='{url_name}'>" if url_name else f"<{element.tag}>"


class OlxError(ValueError):
    """A problem in the source tree: ``file:line: <element>: message``."""

    def __init__(self, file: str, message: str, element=None):
        self.file = file
        self.line = getattr(element, "sourceline", None) if element is not None else None
        self.element = describe(element)
        self.message = message
        where = f"{file}:{self.line}" if self.line else file
        super().__init__(f"{where}: {self.element + ': ' if self.element else ''}{message}")


def children(element) -> list:
    """Element children, without comments or processing instructions."""
    return [child for child in element if isinstance(child.tag, str)]


@dataclass
class Component:
    """One component of a unit: an ``html`` component or a custom block."""

    tag: str
    url_name: str
    display_name: str
    file: str                     # the file that holds the component's element
    element: object               # the lxml element (for html: the <html filename> element)
    html: str | None = None       # html components: the HTML text
    html_file: str | None = None  # html components: the .html file it came from

    @property
    def line(self):
        return self.element.sourceline


@dataclass
class Unit:
    url_name: str
    display_name: str
    file: str
    components: list[Component] = field(default_factory=list)
    attributes: dict = field(default_factory=dict)  # the vertical element's attributes (e.g. study_minutes)


@dataclass
class Sequential:
    url_name: str
    display_name: str
    file: str
    graded: bool
    format: str | None
    units: list[Unit] = field(default_factory=list)


@dataclass
class Chapter:
    url_name: str
    display_name: str
    file: str
    sequentials: list[Sequential] = field(default_factory=list)


@dataclass
class Course:
    root: Path
    org: str
    number: str
    run: str
    display_name: str
    file: str
    attributes: dict
    policy: dict
    grading_policy: dict
    chapters: list[Chapter] = field(default_factory=list)

    def units(self) -> Iterator[tuple[Chapter, Sequential, Unit]]:
        """Every unit in course order with its chapter and sequential."""
        for chapter in self.chapters:
            for sequential in chapter.sequentials:
                for unit in sequential.units:
                    yield chapter, sequential, unit

    def components(self) -> Iterator[tuple[Unit, Component]]:
        for _chapter, _sequential, unit in self.units():
            for component in unit.components:
                yield unit, component

    def url_names(self) -> dict[str, object]:
        """Every url_name in the course (chapters, sequentials, units, components) to its object."""
        found: dict[str, object] = {}
        for chapter in self.chapters:
            found[chapter.url_name] = chapter
            for sequential in chapter.sequentials:
                found[sequential.url_name] = sequential
                for unit in sequential.units:
                    found[unit.url_name] = unit
                    for component in unit.components:
                        found[component.url_name] = component
        return found

    def unit_of(self, url_name: str) -> Unit | None:
        """The unit a url_name opens (itself, its first unit, or the unit holding the component)."""
        target = self.url_names().get(url_name)
        if isinstance(target, Unit):
            return target
        if isinstance(target, Chapter):
            target = target.sequentials[0] if target.sequentials else None
        if isinstance(target, Sequential):
            return target.units[0] if target.units else None
        for unit, component in self.components():
            if component is target:
                return unit
        return None


LINK_OUT = ("is a symbolic link to {target}, outside the course tree: refused (the tarball would carry a file "
            "from elsewhere); copy the file into the tree instead")


class _Reader:
    def __init__(self, root: Path):
        self.root = root
        self.seen: dict[str, str] = {}

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def parse(self, relative: str, referenced_from: str | None = None, element=None):
        path = self.root / relative
        real, real_root = os.path.realpath(path), os.path.realpath(self.root)
        if path.is_symlink() and not real.startswith(real_root + os.sep):
            raise OlxError(relative, LINK_OUT.format(target=os.readlink(path)), element)
        if not path.is_file():
            raise OlxError(referenced_from or relative, f"points to {relative}, which does not exist", element)
        try:
            return etree.parse(str(path), xml_parser()).getroot()
        except etree.XMLSyntaxError as error:
            raise OlxError(relative, f"is not well-formed XML: {error}") from error

    def claim(self, url_name: str | None, file: str, element) -> str:
        if not url_name:
            raise OlxError(file, "has no url_name", element)
        if url_name in self.seen:
            raise OlxError(file, f"url_name '{url_name}' is already used in {self.seen[url_name]}", element)
        self.seen[url_name] = file
        return url_name

    def resolve(self, element, file: str, pointer_attributes=frozenset(_POINTER_ATTRIBUTES)):
        """Follow a pointer element to its file; returns (element, file, url_name)."""
        url_name = element.get("url_name")
        is_pointer = (
            url_name and set(element.attrib) <= set(pointer_attributes)
            and not children(element) and not (element.text or "").strip()
        )
        if not is_pointer:
            return element, file, url_name
        target_file = f"{element.tag}/{url_name}.xml"
        target = self.parse(target_file, file, element)
        if target.tag != element.tag:
            raise OlxError(target_file, f"root element is <{target.tag}>, expected <{element.tag}>", target)
        return target, target_file, url_name

    def expect(self, element, tag: str, file: str) -> None:
        if element.tag != tag:
            raise OlxError(file, f"unexpected element <{element.tag}> where <{tag}> belongs", element)

    def follow(self, pointer, file):
        """Claim the url_name where it is referenced, then read what the pointer points to."""
        self.claim(pointer.get("url_name"), file, pointer)
        return self.resolve(pointer, file)

    def items(self, element, file, tag, read):
        """Read each child with ``read``; every child must be a ``tag`` (any tag when None)."""
        found = []
        for child in children(element):
            if tag:
                self.expect(child, tag, file)
            found.append(read(child, file))
        return found

    def chapter(self, pointer, file):
        element, file, url_name = self.follow(pointer, file)
        return Chapter(url_name, element.get("display_name", ""), file,
                       self.items(element, file, "sequential", self.sequential))

    def sequential(self, pointer, file):
        element, file, url_name = self.follow(pointer, file)
        return Sequential(
            url_name, element.get("display_name", ""), file,
            graded=element.get("graded", "false").lower() == "true", format=element.get("format"),
            units=self.items(element, file, "vertical", self.unit),
        )

    def unit(self, pointer, file):
        element, file, url_name = self.follow(pointer, file)
        return Unit(url_name, element.get("display_name", ""), file, self.items(element, file, None, self.component),
                    attributes=dict(element.attrib))

    def component(self, pointer, file):
        if pointer.tag in STRUCTURE or pointer.tag == "course":
            raise OlxError(file, f"<{pointer.tag}> cannot sit inside a unit", pointer)
        element, file, url_name = self.follow(pointer, file)
        component = Component(pointer.tag, url_name, element.get("display_name", ""), file, element)
        if pointer.tag == "html":
            filename = element.get("filename")
            if filename is not None:
                if children(element) or (element.text or "").strip():
                    raise OlxError(file, "has both a filename and inline content", element)
                html_file = f"html/{filename}.html"
                path = self.root / html_file
                if not path.is_file():
                    raise OlxError(file, f"points to {html_file}, which does not exist", element)
                component.html = path.read_text(encoding="utf-8")
                component.html_file = html_file
            else:
                component.html = (element.text or "") + "".join(
                    etree.tostring(child, encoding="unicode") for child in element
                )
        return component


def _json(root: Path, relative: str) -> dict:
    path = root / relative
    if not path.is_file():
        raise OlxError(relative, "is missing")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise OlxError(relative, f"is not valid JSON: line {error.lineno}: {error.msg}") from error
    if not isinstance(data, dict):
        raise OlxError(relative, "must hold a JSON object")
    return data


def load_course(root: str | Path = SOURCE) -> Course:
    """Read the whole tree; :class:`OlxError` for the first thing that cannot be followed."""
    root = Path(root)
    reader = _Reader(root)
    top = reader.parse("course.xml")
    reader.expect(top, "course", "course.xml")
    for name in ("url_name", "org", "course"):
        if not top.get(name):
            raise OlxError("course.xml", f"the course pointer needs '{name}'", top)
    element, file, run = reader.resolve(top, "course.xml", _COURSE_POINTER_ATTRIBUTES)
    if file == "course.xml":
        raise OlxError("course.xml", "expected a pointer to course/<run>.xml", top)
    course = Course(
        root=root, org=top.get("org"), number=top.get("course"), run=run,
        display_name=element.get("display_name", ""), file=file, attributes=dict(element.attrib),
        policy=_json(root, f"policies/{run}/policy.json"),
        grading_policy=_json(root, f"policies/{run}/grading_policy.json"),
    )
    for child in children(element):
        if child.tag == "wiki":
            continue
        reader.expect(child, "chapter", file)
        course.chapters.append(reader.chapter(child, file))
    return course


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") or part == "__pycache__" for part in relative.parts)


def scan_tree(root: str | Path = SOURCE) -> tuple[list[str], list[tuple[str, str]]]:
    """
    ``(files, links_out)``: every file of the tree (relative POSIX paths, sorted, leaving out caches and hidden
    files), and every symbolic link whose target is outside the tree (``(relative path, target)``). A link
    inside the tree to a file or folder inside it is followed (once: no loops); a link out is never followed.
    """
    root = Path(root)
    real_root = os.path.realpath(root)
    files, links_out, visited = [], [], set()

    def inside(path) -> bool:
        real = os.path.realpath(path)
        return real == real_root or real.startswith(real_root + os.sep)

    for folder, dirs, names in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in visited:
            dirs[:] = []
            continue
        visited.add(real)
        for name in list(dirs) + names:
            path = Path(folder) / name
            relative = path.relative_to(root)
            if _hidden(relative):
                if name in dirs:
                    dirs.remove(name)
                continue
            if path.is_symlink() and not inside(path):
                links_out.append((relative.as_posix(), os.readlink(path)))
                if name in dirs:
                    dirs.remove(name)
                continue
            if name in names and path.is_file():
                files.append(relative.as_posix())
    return sorted(files), sorted(links_out)


def source_files(root: str | Path = SOURCE) -> list[str]:
    """Every file of the tree (see :func:`scan_tree`); a symbolic link out of the tree is an :class:`OlxError`."""
    files, links_out = scan_tree(root)
    if links_out:
        where, target = links_out[0]
        raise OlxError(where, LINK_OUT.format(target=target) + (
            f" ({len(links_out) - 1} more: see validate)" if len(links_out) > 1 else ""))
    return files
