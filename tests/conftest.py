"""Shared fixtures: a throw-away content tree with the real portal configuration."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from handbook.settings import PROJECT_ROOT, Paths

VALID_FRONT_MATTER = """\
---
id: {id}
title: {title}
type: retningslinje
tema: Underretninger
sagsskridt: 1
audience: [modtageteam, rådgiver]
legal_refs: ["Barnets lov § 136"]
version: "2.0"
effective: 2025-01-01
review_by: 2027-01-01
owner: Afdelingsleder, Myndighed Børn og Unge
approved_by: Chef for Børn og Unge
summary: Kort resumé.
keywords: [underretning, 24 timer]
related: []
change_note: Første version.
---
"""

VALID_BODY = """
## Formål

Underretninger vurderes inden for 24 timer.

## Frister

| Frist | Hvad |
|---|---|
| 24 timer | Vurdering |
"""


def guideline_text(guideline_id: str = "underretninger", title: str = "Modtagelse af underretninger", body: str = VALID_BODY, **replace: str) -> str:
    """A valid guideline file; keyword arguments replace whole front matter lines by field name."""
    text = VALID_FRONT_MATTER.format(id=guideline_id, title=title)
    for name, line in replace.items():
        lines = text.splitlines()
        lines = [line if ln.startswith(f"{name}:") else ln for ln in lines]
        text = "\n".join(lines) + "\n"
    return text + textwrap.dedent(body)


@pytest.fixture
def content_root(tmp_path: Path) -> Path:
    """An empty content tree (guidelines/, checklists/) with the bundled config/."""
    root = tmp_path / "content"
    (root / "guidelines").mkdir(parents=True)
    (root / "checklists").mkdir()
    shutil.copytree(PROJECT_ROOT / "config", root / "config")
    return root


@pytest.fixture
def paths(content_root: Path, tmp_path: Path) -> Paths:
    return Paths(content_root=content_root, data_dir=tmp_path / "data", index_dir=tmp_path / "index")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
