"""The layout the architecture note promises, checked from the code's own imports and sizes (via
bench/import_cycles.py): no import circle between modules or between handbook packages, thin
pages, modules small enough to read, and a core that knows nothing of Streamlit or the portal."""

import importlib.util
import sys
from pathlib import Path

import pytest

from handbook.settings import PROJECT_ROOT

PAGE_MAX, HANDBOOK_MAX, PORTAL_MAX = 150, 700, 300


def _load_script():
    spec = importlib.util.spec_from_file_location("import_cycles", PROJECT_ROOT / "bench" / "import_cycles.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_cycles"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


import_cycles = _load_script()
LAYOUT = import_cycles.layout(PROJECT_ROOT)


def sizes(prefix: str) -> dict[str, int]:
    return {m.path.relative_to(PROJECT_ROOT).as_posix(): m.lines for m in LAYOUT.modules.values() if m.name.startswith(prefix)}


def test_no_module_imports_itself_through_others():
    assert [import_cycles.example_path(LAYOUT.graph, c) for c in LAYOUT.module_circles] == []


def test_no_handbook_package_imports_itself_through_others():
    assert [import_cycles.example_path(LAYOUT.packages, c) for c in LAYOUT.handbook_package_circles] == []


def test_every_page_is_thin():
    pages = sizes("views.")
    assert pages, "no pages found"
    assert {page: lines for page, lines in pages.items() if lines > PAGE_MAX} == {}


def test_every_handbook_module_can_be_read_in_one_sitting():
    assert {path: lines for path, lines in sizes("handbook").items() if lines > HANDBOOK_MAX} == {}


def test_every_portal_module_is_small():
    assert {path: lines for path, lines in sizes("portal").items() if lines > PORTAL_MAX} == {}


def test_the_core_knows_nothing_of_streamlit_or_the_portal():
    core = [m for m in LAYOUT.modules.values() if m.name == "handbook" or m.name.startswith("handbook.")]
    wrong = {}
    for module in core:
        names = {name.split(".")[0] for name in import_cycles.imported_names(module)}
        if names & {"streamlit", "portal", "views", "app"}:
            wrong[module.name] = sorted(names & {"streamlit", "portal", "views", "app"})
    assert wrong == {}


# -- the checker itself, on a tree made for it -----------------------------------------------------


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_checker_finds_a_circle_through_a_package_init_and_the_package_circle_it_makes(tmp_path):
    root = _tree(
        tmp_path,
        {
            "handbook/__init__.py": '"""Core."""\n',
            "handbook/x/__init__.py": "from handbook.y import z\n",  # an __init__ that imports: the trap
            "handbook/x/w.py": "W = 1\n",
            "handbook/y/__init__.py": "",
            "handbook/y/z.py": "def f():\n    from handbook.x import w\n",
            "handbook/settings.py": "import json\n",
        },
    )
    found = import_cycles.layout(root)
    assert found.module_circles == [["handbook.x", "handbook.y.z"]]
    assert found.handbook_package_circles == [["handbook.x", "handbook.y"]]
    assert import_cycles.example_path(found.graph, found.module_circles[0]) == ["handbook.x", "handbook.y.z", "handbook.x"]


@pytest.mark.parametrize(
    ("importer", "line", "imported"),
    [
        ("handbook/a/b.py", "from . import c\n", "handbook.a.c"),
        ("handbook/a/b.py", "from .. import settings\n", "handbook.settings"),
        ("handbook/a/__init__.py", "from .c import thing\n", "handbook.a.c"),
        ("handbook/a/b.py", "import handbook.a.c as c\n", "handbook.a.c"),
    ],
)
def test_the_checker_reads_relative_and_aliased_imports(tmp_path, importer, line, imported):
    files = {"handbook/__init__.py": "", "handbook/a/__init__.py": "", "handbook/a/c.py": "", "handbook/settings.py": ""}
    files[importer] = line
    found = import_cycles.layout(_tree(tmp_path, files))
    name = importer.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    assert imported in found.graph[name]


def test_a_tree_without_circles_passes_and_top_level_modules_are_packages_of_their_own(tmp_path):
    root = _tree(
        tmp_path,
        {
            "handbook/__init__.py": "",
            "handbook/settings.py": "from handbook.problems import P\n",
            "handbook/problems.py": "P = 1\n",
            "portal/__init__.py": "",
            "portal/ui.py": "from handbook import settings\n",
            "views/page.py": "from portal import ui\n",
            "app.py": "import portal.ui\n",
        },
    )
    found = import_cycles.layout(root)
    assert found.module_circles == [] and found.package_circles == []
    assert found.packages["handbook.settings"] == {"handbook", "handbook.problems"}
    assert found.packages["views"] == {"portal"} and found.packages["app"] == {"portal"}
