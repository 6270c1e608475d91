"""Ledelsestilsyn on the command line, mirroring the portal (run with the server's own rights):

    python -m handbook tilsyn validate [PATH ...]
    python -m handbook tilsyn templates [--json]
    python -m handbook tilsyn round new --template ID --period YYYY-MM --team T [--reviewer NAME]
    python -m handbook tilsyn sample --round R --cases FILE.csv --per-caseworker N [--seed S] [--json]
    python -m handbook tilsyn import --round R FILE.csv
    python -m handbook tilsyn report --round R --json|--csv
    python -m handbook tilsyn trend --team T --json
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from handbook.cli.arguments import Commands
from handbook.content.library import load_library
from handbook.identity.auth import User
from handbook.settings import paths_from_env
from handbook.store.database import Store
from handbook.tilsyn import answers, figures, rounds, sampling
from handbook.tilsyn.rounds import TilsynError
from handbook.tilsyn.sampling import CaseListError
from handbook.validate import tilsyn_templates, validate_tilsyn

ADMIN = User("administrator (kommandolinje)", "Administrator (kommandolinje)", "admin")


def _store() -> Store:
    return Store(paths_from_env().database_path)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{path}: filen kan ikke læses som UTF-8 ({getattr(exc, 'strerror', None) or exc}).", file=sys.stderr)
        return None


def cmd_validate(args: argparse.Namespace) -> int:
    report = validate_tilsyn(paths_from_env(), args.paths)
    for problem in report.problems:
        print(problem)
    print(report.summary(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


def cmd_templates(args: argparse.Namespace) -> int:
    paths = paths_from_env()
    templates = tilsyn_templates(paths, load_library(paths))
    rows: list[dict] = [
        {"id": t.id, "title": t.title, "version": t.version, "kind": t.kind,
         "criteria": [{"id": c.id, "area": c.area, "question": c.question} for c in t.criteria]}
        for t in templates.all()
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for t in rows:
        print(f"{t['id']}: {t['title']} (version {t['version']}, {t['kind']})")
        for c in t["criteria"]:
            print(f"  - {c['id']} [{c['area']}]: {c['question']}")
    return 0


def cmd_round_new(args: argparse.Namespace) -> int:
    paths = paths_from_env()
    templates = tilsyn_templates(paths, load_library(paths))
    try:
        round_id = rounds.create_round_as_administrator(_store(), templates, args.template, args.period, args.team, args.reviewer or "")
    except TilsynError as exc:
        return _fail(str(exc))
    print(round_id)
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    text = _read(args.cases)
    if text is None:
        return 1
    try:
        drawn = sampling.sample_round(_store(), ADMIN, args.round, text, args.per_caseworker, args.seed)
    except CaseListError as exc:
        return _fail("\n".join(f"{args.cases}: {p}" for p in exc.problems) + "\nIntet er gemt.")
    except TilsynError as exc:
        return _fail(str(exc))
    found = rounds.get_round(_store(), args.round)
    if args.json:
        print(json.dumps({"round": found.id, "seed": found.seed, "per_caseworker": found.per_caseworker,
                          "drawn": [{"caseworker": c.caseworker, "case_ref": c.case_ref, "case_type": c.case_type} for c in drawn]}, ensure_ascii=False, indent=2))
        return 0
    print(f"Runde {found.id}: {len(drawn)} sager trukket (frø {found.seed}).")
    for c in drawn:
        print(f"- {c.caseworker}: {c.case_ref}" + (f" ({c.case_type})" if c.case_type else ""))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    text = _read(args.file)
    if text is None:
        return 1
    try:
        stored = answers.import_answers(_store(), args.round, text, date.today(), actor=ADMIN.name)
    except CaseListError as exc:
        return _fail("\n".join(f"{args.file}: {p}" for p in exc.problems) + "\nIntet fra filen er gemt.")
    except TilsynError as exc:
        return _fail(str(exc))
    print(f"{stored} svar importeret til runde {args.round}.")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    store = _store()
    try:
        found = rounds.get_round(store, args.round)
    except TilsynError as exc:
        return _fail(str(exc))
    result = figures.round_figures(store, found)
    if args.csv:
        sys.stdout.write(figures.report_csv(result))
    else:
        print(json.dumps({"round": found.id, "template": found.template.id, "team": found.team, "period": found.period,
                          "criteria": figures.report_rows(result)}, ensure_ascii=False, indent=2))
    return 0


def cmd_trend(args: argparse.Namespace) -> int:
    points = figures.trend(_store(), args.team)
    if not points:
        return _fail(f"Teamet '{args.team}' har ingen tilsynsrunder med svar.")
    print(json.dumps({"team": args.team, "points": figures.trend_rows(points)}, ensure_ascii=False, indent=2))
    return 0


def add_tilsyn(commands: Commands) -> None:
    tilsyn = commands.add_parser("tilsyn", help="Ledelsestilsyn: skemaer, runder, stikprøver, svar og tal.")
    actions = tilsyn.add_subparsers(dest="action", required=True)
    validate = actions.add_parser("validate", help="Kontrollér tilsynsskemaerne.")
    validate.add_argument("paths", nargs="*", type=Path, help="Filer eller mapper (standard: tilsyn/).")
    validate.set_defaults(func=cmd_validate)
    templates = actions.add_parser("templates", help="Skemaerne og deres kriterier.")
    templates.add_argument("--json", action="store_true")
    templates.set_defaults(func=cmd_templates)
    round_parser = actions.add_parser("round", help="Tilsynsrunder.")
    round_actions = round_parser.add_subparsers(dest="round_action", required=True)
    new = round_actions.add_parser("new", help="Opret en runde; skriver rundens nummer.")
    new.add_argument("--template", required=True)
    new.add_argument("--period", required=True, help="ÅÅÅÅ-MM")
    new.add_argument("--team", required=True)
    new.add_argument("--reviewer")
    new.set_defaults(func=cmd_round_new)
    sample = actions.add_parser("sample", help="Træk sager tilfældigt fra en CSV-fil (caseworker,case_ref,case_type).")
    sample.add_argument("--round", required=True, type=int)
    sample.add_argument("--cases", required=True, type=Path)
    sample.add_argument("--per-caseworker", required=True, type=int)
    sample.add_argument("--seed", type=int)
    sample.add_argument("--json", action="store_true")
    sample.set_defaults(func=cmd_sample)
    imported = actions.add_parser("import", help="Svar fra papir eller Excel (case_ref,caseworker,criterion,answer,reason,note,fix_by).")
    imported.add_argument("--round", required=True, type=int)
    imported.add_argument("file", type=Path)
    imported.set_defaults(func=cmd_import)
    report = actions.add_parser("report", help="Tal pr. kriterium for en runde.")
    report.add_argument("--round", required=True, type=int)
    form = report.add_mutually_exclusive_group(required=True)
    form.add_argument("--json", action="store_true")
    form.add_argument("--csv", action="store_true")
    report.set_defaults(func=cmd_report)
    trend = actions.add_parser("trend", help="Et teams udvikling pr. kriterium og runde.")
    trend.add_argument("--team", required=True)
    trend.add_argument("--json", action="store_true", required=True)
    trend.set_defaults(func=cmd_trend)
