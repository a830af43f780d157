"""The house has no circular rooms: the import graph read from the source (ast; nothing is imported or run).

* Between the top-level parts (every package at the repository root: lp_xblocks, course_content, lp_programme,
  accreditation_export and any new one) the dependencies go one way.
* Between the packages of lp_xblocks (common, data, needs_assessment, reflective_log, facilitation, workbench, any
  new one, and its top-level modules such as compat) the dependencies go one way too.

Every import counts, at module level or inside a function (a function-local import is still a dependency; it only
hides the cycle from the interpreter), relative or absolute, ``import a.b`` or ``from a import b``.

And no block module (``lp_xblocks/<package>/block*.py``) is over 450 lines: a block is a thin shell over its core.
"""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_PARTS = {"tests", "benchmarks", "tools", "docs", "build", "dist", "var", "requirements"}
MAX_BLOCK_LINES = 450


def top_level_parts(root: Path = ROOT) -> list[str]:
    """The packages at the repository root that the distribution ships (a folder with an ``__init__.py``)."""
    return sorted(path.parent.name for path in root.glob("*/__init__.py")
                  if path.parent.name not in NOT_PARTS and not path.parent.name.startswith("."))


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name: str, root: Path) -> bool:
    path = root.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports_of(path: Path, root: Path):
    """``(line, imported module)`` for every import statement in the file, at any depth, resolved to absolute names."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            for alias in node.names:
                # ``from pkg import sub`` imports the submodule when there is one, else a name of ``pkg``
                candidate = f"{module}.{alias.name}"
                yield node.lineno, candidate if is_module(candidate, root) else module


def import_graph(root: Path, parts: list[str], node_of) -> dict:
    """``{(from node, to node): [where, ...]}`` over every .py file of the given parts."""
    edges = defaultdict(list)
    for part in parts:
        for path in sorted((root / part).rglob("*.py")):
            if "migrations" in path.parts and part != "lp_xblocks":
                continue
            source = node_of(module_name(path, root))
            if source is None:
                continue
            for line, imported in imports_of(path, root):
                target = node_of(imported)
                where = f"{path.relative_to(root)}:{line}"
                if target is not None and target != source and where not in edges[(source, target)]:
                    edges[(source, target)].append(where)
    return edges


def cycles(edges: dict) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), each sorted; [] when the graph is acyclic."""
    graph = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
        graph.setdefault(target, set())
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def explain(found: list[list[str]], edges: dict) -> str:
    lines = []
    for component in found:
        lines.append("cycle between " + ", ".join(component) + ":")
        for (source, target), where in sorted(edges.items()):
            if source in component and target in component:
                lines.append(f"  {source} -> {target}: " + ", ".join(where[:5]) + (" ..." if len(where) > 5 else ""))
    return "\n".join(lines)


def part_of(parts):
    def node_of(module: str):
        first = module.split(".")[0]
        return first if first in parts else None
    return node_of


def lp_xblocks_package_of(module: str):
    """``lp_xblocks.<package or top-level module>``; None outside lp_xblocks or for the package's own __init__."""
    names = module.split(".")
    if names[0] != "lp_xblocks" or len(names) < 2:
        return None
    return "lp_xblocks." + names[1]


def test_no_cycle_between_the_top_level_parts():
    parts = top_level_parts()
    assert {"lp_xblocks", "course_content", "accreditation_export", "lp_programme"} <= set(parts), parts
    edges = import_graph(ROOT, parts, part_of(set(parts)))
    found = cycles(edges)
    assert found == [], explain(found, edges)


def test_the_top_level_parts_depend_the_documented_way():
    """The programme's shared definitions (catalogue) depend on no other part; the course does not read the exporter."""
    parts = top_level_parts()
    edges = import_graph(ROOT, parts, part_of(set(parts)))
    assert not [pair for pair in edges if pair[0] == "lp_programme"], explain([["lp_programme"]], edges)
    assert ("course_content", "accreditation_export") not in edges
    assert ("lp_xblocks", "accreditation_export") not in edges, edges.get(("lp_xblocks", "accreditation_export"))


def test_no_cycle_between_the_packages_of_lp_xblocks():
    edges = import_graph(ROOT, ["lp_xblocks"], lp_xblocks_package_of)
    assert {source for source, _target in edges} >= {"lp_xblocks.common", "lp_xblocks.needs_assessment",
                                                     "lp_xblocks.facilitation", "lp_xblocks.reflective_log"}
    found = cycles(edges)
    assert found == [], explain(found, edges)


def test_no_cycle_inside_the_exporter_cli():
    """``cli`` builds the command line from the MI and credentials commands; they take shared options from ``options``."""
    def node_of(module):
        return module if module.startswith("accreditation_export.") else None
    edges = import_graph(ROOT, ["accreditation_export"], node_of)
    found = cycles(edges)
    assert found == [], explain(found, edges)


BLOCK_MODULES = sorted(ROOT.glob("lp_xblocks/*/block*.py"))


@pytest.mark.parametrize("path", BLOCK_MODULES, ids=[str(path.relative_to(ROOT)) for path in BLOCK_MODULES])
def test_no_block_module_over_450_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_BLOCK_LINES, f"{path.relative_to(ROOT)} has {lines} lines (at most {MAX_BLOCK_LINES})"


def test_the_block_modules_are_found():
    names = {str(path.relative_to(ROOT)) for path in BLOCK_MODULES}
    assert {"lp_xblocks/needs_assessment/block.py", "lp_xblocks/facilitation/block.py"} <= names


# The checker itself finds what it is for: a cycle through a function-local import, a relative import, and
# ``from package import module``; and it finds nothing in a graph that only goes one way.

def _tree(tmp_path, files):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_the_checker_finds_a_cycle_through_a_function_local_import(tmp_path):
    root = _tree(tmp_path, {
        "alpha/__init__.py": "",
        "alpha/one.py": "from beta.two import thing\n",
        "beta/__init__.py": "",
        "beta/two.py": "thing = 1\n\ndef later():\n    from alpha import one\n    return one\n",
        "gamma/__init__.py": "import alpha.one\n",
    })
    parts = top_level_parts(root)
    assert parts == ["alpha", "beta", "gamma"]
    edges = import_graph(root, parts, part_of(set(parts)))
    assert cycles(edges) == [["alpha", "beta"]]
    assert edges[("beta", "alpha")] == ["beta/two.py:4"]
    assert "alpha -> beta: alpha/one.py:1" in explain(cycles(edges), edges)


def test_the_checker_resolves_relative_imports_between_packages(tmp_path):
    root = _tree(tmp_path, {
        "lp_xblocks/__init__.py": "",
        "lp_xblocks/data/__init__.py": "from ..reflective_log import rules\n",
        "lp_xblocks/reflective_log/__init__.py": "",
        "lp_xblocks/reflective_log/rules.py": "x = 1\n",
        "lp_xblocks/reflective_log/block.py": "from ..data import api\n",
        "lp_xblocks/data/api.py": "",
        "lp_xblocks/common/__init__.py": "",
        "lp_xblocks/common/http.py": "from lp_xblocks import compat\n",
        "lp_xblocks/compat.py": "",
    })
    edges = import_graph(root, ["lp_xblocks"], lp_xblocks_package_of)
    assert ("lp_xblocks.common", "lp_xblocks.compat") in edges
    assert cycles(edges) == [["lp_xblocks.data", "lp_xblocks.reflective_log"]]


def test_the_checker_passes_a_one_way_graph(tmp_path):
    root = _tree(tmp_path, {
        "alpha/__init__.py": "from beta import two\n",
        "beta/__init__.py": "",
        "beta/two.py": "import os\n",
    })
    parts = top_level_parts(root)
    assert cycles(import_graph(root, parts, part_of(set(parts)))) == []
