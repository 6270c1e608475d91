"""pyproject.toml names what the portal needs; requirements.txt (the lock `make` installs) pins
exactly that: every runtime dependency and every test extra at one exact version (==), and
nothing that pyproject.toml does not name."""

import re
import tomllib

from handbook.settings import PROJECT_ROOT

NAME = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
PIN = re.compile(r"^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(\[[^\]]*\])?==([^\s;=<>!~,*]+)\s*(;.*)?$")


def canonical(name: str) -> str:
    """The name as package indexes compare names (PEP 503): case and -_. do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> dict[str, set[str]]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    groups = {"runtime": project.get("dependencies", []), "test": project.get("optional-dependencies", {}).get("test", [])}
    return {group: {canonical(NAME.match(spec).group(1)) for spec in specs} for group, specs in groups.items()}


def requirement_lines() -> list[str]:
    lines = (PROJECT_ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line.split(" #")[0].strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def pinned() -> dict[str, str]:
    return {canonical(match.group(1)): match.group(3) for line in requirement_lines() if (match := PIN.match(line))}


def test_every_line_of_the_lock_is_an_exact_pin():
    assert [line for line in requirement_lines() if not PIN.match(line)] == []


def test_every_runtime_dependency_and_test_extra_is_pinned_exactly():
    pins = pinned()
    missing = {group: sorted(names - pins.keys()) for group, names in declared().items()}
    assert missing == {"runtime": [], "test": []}


def test_the_lock_pins_only_what_pyproject_names():
    named = set().union(*declared().values())
    assert sorted(pinned().keys() - named) == []


def test_a_pin_is_read_whatever_the_spelling_of_its_name():
    assert canonical("ruamel.yaml") == canonical("Ruamel_YAML") == "ruamel-yaml"
    assert PIN.match("whoosh-reloaded==2.7.5") and PIN.match("uvicorn[standard]==0.30.1") and PIN.match('tzdata==2026.6 ; sys_platform == "win32"')
    assert not PIN.match("streamlit>=1.67") and not PIN.match("pandas") and not PIN.match("pytest==9.*,<10") and not PIN.match("pytest==9.*")
