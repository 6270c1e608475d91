"""Where things live and the portal's configuration (config/portal.yaml).

Paths come from environment variables with working defaults relative to the project root:
HANDBOOK_CONTENT_DIR (guidelines/, checklists/, tilsyn/ and config/ live under it),
HANDBOOK_DATA_DIR (the SQLite database) and HANDBOOK_INDEX_DIR (the search index).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from handbook.problems import ContentError, ContentProblem, yaml_problem

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    """The folders the portal reads content from and writes state to."""

    content_root: Path
    data_dir: Path
    index_dir: Path

    @property
    def guidelines_dir(self) -> Path:
        return self.content_root / "guidelines"

    @property
    def checklists_dir(self) -> Path:
        return self.content_root / "checklists"

    @property
    def tilsyn_dir(self) -> Path:
        return self.content_root / "tilsyn"

    @property
    def config_dir(self) -> Path:
        return self.content_root / "config"

    @property
    def database_path(self) -> Path:
        return self.data_dir / "handbook.db"


def paths_from_env(environ: dict[str, str] | None = None) -> Paths:
    """Resolve the portal's folders from the environment, defaulting to the project tree."""
    env = os.environ if environ is None else environ
    content_root = Path(env.get("HANDBOOK_CONTENT_DIR") or PROJECT_ROOT)
    return Paths(
        content_root=content_root,
        data_dir=Path(env.get("HANDBOOK_DATA_DIR") or PROJECT_ROOT / "data"),
        index_dir=Path(env.get("HANDBOOK_INDEX_DIR") or PROJECT_ROOT / "search_index"),
    )


@dataclass(frozen=True)
class PortalConfig:
    """The municipality's settings: names, the audiences (roles) and the A-Z case steps."""

    organisation: str = "Myndighed Børn og Unge"
    municipality: str = ""
    audiences: dict[str, str] = field(default_factory=dict)
    case_steps: dict[int, str] = field(default_factory=dict)
    retention_days: int = 180
    max_file_bytes: int = 1_000_000
    login_failure_retention_days: int = 30
    audit_retention_days: int = 730
    tilsyn_retention_months: int = 24  # case references and notes of a tilsyn round, after it closes
    review_required: bool = True
    smtp: dict[str, object] = field(default_factory=dict)

    def audience_label(self, key: str) -> str:
        return self.audiences.get(key, key)

    def case_step_label(self, step: int) -> str:
        return self.case_steps.get(step, f"Trin {step}")


def load_portal_config(path: Path) -> PortalConfig:
    """Read config/portal.yaml; raise ContentError listing every problem with file:line."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ContentError([yaml_problem(path, exc, line_offset=0)]) from exc
    except OSError as exc:
        raise ContentError([ContentProblem(path, 1, f"Konfigurationsfilen kan ikke læses: {exc.strerror}")]) from exc
    problems: list[ContentProblem] = []
    if not isinstance(raw, dict):
        raise ContentError([ContentProblem(path, 1, "Konfigurationen skal være en samling af felter (nøgle: værdi).")])
    audiences = raw.get("audiences") or {}
    if not isinstance(audiences, dict) or not all(isinstance(v, str) for v in audiences.values()):
        problems.append(ContentProblem(path, _key_line(path, "audiences"), "'audiences' skal være nøgle: betegnelse, fx 'rådgiver: Rådgiver'."))
        audiences = {}
    steps = raw.get("case_steps") or {}
    if not isinstance(steps, dict) or not all(isinstance(k, int) and isinstance(v, str) for k, v in steps.items()):
        problems.append(ContentProblem(path, _key_line(path, "case_steps"), "'case_steps' skal være nummer: navn, fx '1: Underretning'."))
        steps = {}
    retention = raw.get("retention_days", PortalConfig.retention_days)
    if isinstance(retention, bool) or not isinstance(retention, int) or retention < 1:
        problems.append(ContentProblem(path, _key_line(path, "retention_days"), "'retention_days' skal være et helt antal dage (mindst 1), fx 'retention_days: 180'."))
        retention = PortalConfig.retention_days
    limits = {name: _positive_int(raw, name, path, problems) for name in ("max_file_bytes", "login_failure_retention_days", "audit_retention_days", "tilsyn_retention_months")}
    review_required = raw.get("review_required", PortalConfig.review_required)
    if not isinstance(review_required, bool):
        problems.append(ContentProblem(path, _key_line(path, "review_required"), "'review_required' skal være true eller false."))
        review_required = PortalConfig.review_required
    smtp = raw.get("smtp") or {}
    if not isinstance(smtp, dict):
        problems.append(ContentProblem(path, _key_line(path, "smtp"), "'smtp' skal være en samling af felter (host, port, starttls, sender, portal_url)."))
        smtp = {}
    if problems:
        raise ContentError(problems)
    return PortalConfig(
        **{name: value for name, value in limits.items() if value is not None},
        review_required=review_required,
        smtp={str(k): v for k, v in smtp.items()},
        retention_days=retention,
        organisation=str(raw.get("organisation") or PortalConfig.organisation),
        municipality=str(raw.get("municipality") or ""),
        audiences={str(k): v for k, v in audiences.items()},
        case_steps=dict(sorted(steps.items())),
    )


def _positive_int(raw: dict, name: str, path: Path, problems: list[ContentProblem]) -> int | None:
    """A whole number of at least 1 from the configuration, or None when it is not set."""
    value = raw.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.append(ContentProblem(path, _key_line(path, name), f"'{name}' skal være et helt tal (mindst 1), fx '{name}: {getattr(PortalConfig, name)}'."))
        return None
    return value


def _key_line(path: Path, key: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1
