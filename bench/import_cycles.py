"""The layout from the code's own imports: import circles between modules and between packages,
the module count per package, and the largest modules and pages.

    .venv/bin/python bench/import_cycles.py [--largest 12] [--root .]

Reads handbook/, portal/, views/ and app.py with ast (nothing is imported or run). Every import
counts, also one inside a function: `import a.b.c` and `from a.b import c` depend on a.b.c and on
the packages a and a.b, whose __init__.py runs first; `from a.b import name` depends on a.b (and
on a.b.name when that is a module). Imports of anything outside the tree are left out.

A module-level circle is a set of modules that import each other, directly or through others
(one strongly connected component of the import graph). A package-level circle is the same
between packages: handbook.x -> handbook.y -> handbook.x through any of their modules. The
package of handbook/x/y.py is handbook.x; each top-level module of handbook/ (handbook/settings.py)
is a package of its own; portal/parts/ is portal.parts, the rest of portal/ is portal, views/ is
views, app.py is app.

Exits 1 when there is a module-level circle or a circle among handbook packages, else 0.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOTS = ("handbook", "portal", "views")
ENTRY = "app.py"
Graph = Mapping[str, set[str]]


@dataclass(frozen=True)
class Module:
    name: str  # dotted: handbook.trivsel.scale, handbook.trivsel (its __init__.py), views.trivsel, app
    path: Path
    lines: int

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"


def find_modules(root: Path) -> dict[str, Module]:
    """Every Python module of the tree, by dotted name."""
    paths = [p for top in ROOTS if (root / top).is_dir() for p in sorted((root / top).rglob("*.py"))]
    if (root / ENTRY).is_file():
        paths.append(root / ENTRY)
    found = {}
    for path in paths:
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join(parts)
        found[name] = Module(name, path, len(path.read_text(encoding="utf-8").splitlines()))
    return found


def imported_names(module: Module) -> set[str]:
    """Every absolute dotted name module imports, with its parent packages and, for
    `from a import b`, both a and a.b (b may be a module or a name in a)."""
    tree = ast.parse(module.path.read_text(encoding="utf-8"), filename=str(module.path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names |= _with_parents(alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node.module, node.level)
            if base is None:
                continue
            names |= _with_parents(base)
            names |= {f"{base}.{alias.name}" for alias in node.names}
    return names


def imports_of(module: Module, known: Mapping[str, Module]) -> set[str]:
    """The modules of the tree that module imports (see the module docstring for what counts)."""
    return {name for name in imported_names(module) if name in known and name != module.name}


def _with_parents(dotted: str) -> set[str]:
    parts = dotted.split(".")
    return {".".join(parts[: i + 1]) for i in range(len(parts))}


def _absolute(module: Module, name: str | None, level: int) -> str | None:
    """The absolute name of `from <level dots><name> import ...` written in module."""
    if level == 0:
        return name
    package = module.name.split(".") if module.is_package else module.name.split(".")[:-1]
    if level - 1 > len(package):
        return None
    base = package[: len(package) - (level - 1)]
    return ".".join(base + ([name] if name else [])) or None


def import_graph(modules: Mapping[str, Module]) -> dict[str, set[str]]:
    return {name: imports_of(module, modules) for name, module in modules.items()}


def package_of(module: Module) -> str:
    """The package a module belongs to: a package's __init__.py to the package itself;
    handbook/x/y.py to handbook.x; a top-level module of handbook/ to itself (handbook.settings);
    any other module to its folder (portal.ui to portal, views.trivsel to views); app.py to app."""
    parts = module.name.split(".")
    if module.is_package or len(parts) == 1 or (parts[0] == "handbook" and len(parts) == 2):
        return module.name
    return ".".join(parts[:2]) if parts[0] == "handbook" else ".".join(parts[:-1])


def package_graph(graph: Graph, modules: Mapping[str, Module]) -> dict[str, set[str]]:
    """Package -> the packages its modules import (itself left out)."""
    packages: dict[str, set[str]] = defaultdict(set)
    for source, targets in graph.items():
        source_package = package_of(modules[source])
        packages[source_package] |= {package_of(modules[t]) for t in targets} - {source_package}
    return dict(packages)


def circles(graph: Graph) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:  # iterative, so a deep graph cannot exhaust the recursion limit
        nonlocal counter
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
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


def example_path(graph: Graph, component: Iterable[str]) -> list[str]:
    """One closed path through a circle, from its first member back to it (breadth first)."""
    members = set(component)
    start = min(members)
    previous: dict[str, str] = {}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph.get(node, ())):
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [start] + path[::-1][1:] + [start] if len(path) > 1 else [start, start]
            if child in members and child not in previous:
                previous[child] = node
                queue.append(child)
    return sorted(members)


@dataclass(frozen=True)
class Layout:
    modules: dict[str, Module]
    graph: dict[str, set[str]]
    packages: dict[str, set[str]]
    module_circles: list[list[str]]
    package_circles: list[list[str]]

    @property
    def handbook_package_circles(self) -> list[list[str]]:
        return [c for c in self.package_circles if all(p.startswith("handbook") for p in c)]


def layout(root: Path) -> Layout:
    modules = find_modules(root)
    graph = import_graph(modules)
    packages = package_graph(graph, modules)
    return Layout(modules, graph, packages, circles(graph), circles(packages))


def report(found: Layout, largest: int) -> str:
    lines = [f"{len(found.modules)} modules (with package __init__ files)", ""]
    counts: dict[str, int] = defaultdict(int)
    for module in found.modules.values():
        counts[package_of(module)] += 1
    lines.append("Modules per package:")
    lines += [f"  {package:<28} {count:>3}" for package, count in sorted(counts.items())]
    lines += ["", f"Largest modules (handbook/ and portal/, top {largest}):"]
    core = sorted((m for m in found.modules.values() if not m.name.startswith("views.") and m.name != "app"), key=lambda m: (-m.lines, m.name))
    lines += [f"  {m.lines:>5}  {m.path.as_posix()}" for m in core[:largest]]
    lines += ["", "Pages (views/):"]
    pages = sorted((m for m in found.modules.values() if m.name.startswith("views.")), key=lambda m: (-m.lines, m.name))
    lines += [f"  {m.lines:>5}  {m.path.as_posix()}" for m in pages]
    lines += ["", f"Module-level import circles: {len(found.module_circles) or 'none'}"]
    for component in found.module_circles:
        lines.append(f"  {len(component)} modules: " + " -> ".join(example_path(found.graph, component)))
        if len(component) > 2:
            lines.append("    all of: " + ", ".join(component))
    lines += ["", f"Package-level import circles: {len(found.package_circles) or 'none'}"]
    for component in found.package_circles:
        lines.append(f"  {len(component)} packages: " + " -> ".join(example_path(found.packages, component)))
        if len(component) > 2:
            lines.append("    all of: " + ", ".join(component))
        for source in component:
            for target in sorted(found.packages[source] & set(component)):
                via = sorted(f"{a} -> {b}" for a, bs in found.graph.items() if package_of(found.modules[a]) == source for b in bs if package_of(found.modules[b]) == target)
                lines.append(f"    {source} -> {target}: " + "; ".join(via[:4]) + (f" (+{len(via) - 4} more)" if len(via) > 4 else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent, help="the project folder (default: this checkout)")
    parser.add_argument("--largest", type=int, default=12, help="how many of the largest modules to list")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    found = layout(root)
    # paths relative to the project, as the rest of the report
    found = Layout({n: Module(m.name, m.path.relative_to(root), m.lines) for n, m in found.modules.items()}, found.graph, found.packages, found.module_circles, found.package_circles)
    print(report(found, args.largest))
    return 1 if found.module_circles or found.handbook_package_circles else 0


if __name__ == "__main__":
    sys.exit(main())
