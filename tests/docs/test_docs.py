"""
The documentation holds together: the README is a quick start and a map; every page in docs/ is reached from the
index's tables of contents; every relative link and picture (README and docs) points at a file, and every
``page.md#heading`` at a heading, that exists. Where Sphinx is installed (``tox -e docs``, which first builds the
real docs with warnings as errors), a copy of the docs builds cleanly and the same copy with a broken link does not.
"""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
LINK = re.compile(r"!?\[(?:[^\]]|\][^(])*?\]\(([^)\s]+)\)")
TOCTREE = re.compile(r"```\{toctree\}\n(.*?)```", re.S)
AUDIENCES = ("Participants and tutors", "Course teams", "Operators", "Centre administrators", "Developers")


def pages():
    return sorted(path for path in DOCS.rglob("*.md") if "_build" not in path.parts)


def slug(title):
    """A heading's anchor as MyST makes it (myst_heading_anchors): lower case, punctuation dropped, spaces to '-'."""
    title = re.sub(r"[`*]", "", title.strip().lower())
    return re.sub(r"[^\w\- ]", "", title).replace(" ", "-")


def anchors(path):
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return {slug(match) for match in re.findall(r"^#{1,6} (.+)$", text, flags=re.M)}


def links(path):
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)   # code blocks are not links
    text = re.sub(r"`[^`\n]*`", "", text)
    return [target for target in LINK.findall(text)
            if not re.match(r"^(https?:|mailto:)", target)]


def toctree_entries(path):
    """The documents a page's toctrees list (globs expanded), as paths relative to docs/ without ``.md``."""
    found = []
    base = path.parent.relative_to(DOCS)
    for block in TOCTREE.findall(path.read_text(encoding="utf-8")):
        glob = ":glob:" in block
        for line in block.splitlines():
            line = line.strip()
            if not line or line.startswith(":"):
                continue
            if glob and any(ch in line for ch in "*?["):
                found += [str(p.relative_to(DOCS).with_suffix("")) for p in sorted((DOCS / base).glob(line + ".md"))]
            else:
                found.append(str(base / line) if str(base) != "." else line)
    return found


def reachable():
    seen, todo = set(), ["index"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += toctree_entries(DOCS / f"{name}.md")
    return seen


def test_every_page_is_reached_from_the_index():
    names = {str(path.relative_to(DOCS).with_suffix("")) for path in pages()}
    assert names - reachable() == set(), "add these pages to a toctree in docs/index.md"
    assert reachable() - names == set(), "a toctree names a page that does not exist"


def test_the_index_has_a_table_of_contents_per_audience():
    text = (DOCS / "index.md").read_text(encoding="utf-8")
    captions = re.findall(r":caption: (.+)", text)
    assert tuple(captions) == AUDIENCES


@pytest.mark.parametrize("path", [README] + pages(), ids=lambda path: str(path.relative_to(ROOT)))
def test_relative_links_and_pictures_point_at_what_exists(path):
    broken = []
    for target in links(path):
        file_part, _, anchor = target.partition("#")
        destination = (path.parent / file_part).resolve() if file_part else path
        if not destination.exists():
            broken.append(f"{target}: no such file")
        elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
            broken.append(f"{target}: no heading with that anchor")
        elif DOCS in path.parents and destination.suffix == ".md" and DOCS not in destination.parents:
            broken.append(f"{target}: a page outside docs/ (the built site cannot link it; include it instead)")
    assert broken == []


def test_the_readme_is_a_quick_start_and_a_map():
    text = README.read_text(encoding="utf-8")
    assert len(text) < 8000, len(text)
    assert "make run" in text and "make test" in text
    targets = links(README)
    pictures = [target for target in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)]
    assert pictures and all(target.startswith("docs/img/") for target in pictures), pictures
    for page in ("docs/using-the-blocks.md", "docs/course.md", "docs/installing.md", "docs/accreditation-export.md",
                 "docs/developers.md"):
        assert page in targets, f"the README does not point {page}'s audience to it"


def test_the_pictures_the_docs_use_are_the_ones_the_browser_tests_take():
    taken = set(re.findall(r'"([\w-]+\.png)"', (ROOT / "tests/browser/test_doc_screenshots.py").read_text()))
    used = {Path(target).name for path in [README] + pages() for target in links(path)
            if target.startswith(("img/", "docs/img/"))}
    assert used and used <= taken, used - taken
    for block in ("needs-assessment", "reflective-log", "facilitation"):
        assert {f"{block}-learner.png", f"{block}-tutor.png"} <= used


def _build(source, out):
    return subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", "-b", "html",
                           str(source), str(out)], capture_output=True, text=True, check=False)


def test_a_broken_link_fails_the_build(tmp_path):
    pytest.importorskip("sphinx")
    pytest.importorskip("myst_parser")
    shutil.copytree(DOCS, tmp_path / "docs", ignore=shutil.ignore_patterns("_build"))
    (tmp_path / "accreditation_export").mkdir()
    shutil.copy(ROOT / "accreditation_export" / "API.md", tmp_path / "accreditation_export" / "API.md")
    clean = _build(tmp_path / "docs", tmp_path / "html")
    assert clean.returncode == 0, clean.stderr

    page = tmp_path / "docs" / "course.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [the lost page](lost-page.md).\n", encoding="utf-8")
    broken = _build(tmp_path / "docs", tmp_path / "html-broken")
    assert broken.returncode != 0
    assert "lost-page.md" in broken.stderr


def test_make_test_builds_the_docs_with_warnings_as_errors():
    import configparser  # pylint: disable=import-outside-toplevel
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "tox.ini")
    assert "docs" in [env.strip() for env in parser["tox"]["envlist"].split(",")]
    build = parser["testenv:docs"]["commands"]
    assert "sphinx-build -W --keep-going -n" in build and " docs " in build
    assert "tests/docs" in build
    assert "requirements/docs.txt" in parser["testenv:docs"]["deps"]
