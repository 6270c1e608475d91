"""A checklist's steps and deadlines for one case:

    python -m handbook checklist due ID --start YYYY-MM-DDTHH:MM [--answers akut=true,afgoerelse=2027-02-10,...] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys

from handbook.checklists.case import parse_answers, steps_with_deadlines
from handbook.checklists.schema import load_checklists
from handbook.cli.arguments import Commands, iso_datetime
from handbook.content.library import load_library
from handbook.dates.deadlines import as_copenhagen, day_flag, format_due, format_moment
from handbook.settings import paths_from_env


def cmd_checklist_due(args: argparse.Namespace) -> int:
    paths = paths_from_env()
    library = load_library(paths)
    checklists = load_checklists(paths.checklists_dir, library.config)
    checklist = checklists.get(args.id)
    if checklist is None:
        known = ", ".join(sorted(checklists.checklists)) or "ingen"
        print(f"Tjeklisten '{args.id}' findes ikke. Tjeklister: {known}.", file=sys.stderr)
        return 1
    try:
        answers = parse_answers(args.answers or "", checklist)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    try:
        steps = steps_with_deadlines(checklist, args.start, answers)
    except (OverflowError, ValueError):
        print("Fristerne kan ikke regnes ud fra det starttidspunkt (det ligger for langt ude i fremtiden).", file=sys.stderr)
        return 1
    if args.json:
        rows = [
            {"id": s.step.id, "title": s.step.title, "phase": s.step.phase, "due": s.due.isoformat() if s.due else None, "all_day": s.all_day, "flag": (day_flag(s.due) or None) if s.due else None}
            for s in steps
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(f"{checklist.title} (version {checklist.version}) – {checklist.start_label}: {format_moment(as_copenhagen(args.start))}")
    for s in steps:
        flag = f" – {day_flag(s.due)}" if s.due and day_flag(s.due) else ""
        print(f"- {s.step.title}: {format_due(s.due, s.all_day) + flag if s.due else 'ingen frist'}")
    return 0


def add_checklist(commands: Commands) -> None:
    checklist = commands.add_parser("checklist", help="Tjeklister og frister.")
    checklist_actions = checklist.add_subparsers(dest="action", required=True)
    due = checklist_actions.add_parser("due", help="Trinnene, der gælder, med frister for en sag.")
    due.add_argument("id")
    due.add_argument("--start", required=True, type=iso_datetime, help="Starttidspunkt, fx 2026-04-01T15:40 (dansk tid, hvis intet andet er angivet).")
    due.add_argument("--answers", help="Svar, fx akut=true,underretter=borger,afgoerelse=2027-02-10 (datoer som ÅÅÅÅ-MM-DD).")
    due.add_argument("--json", action="store_true", help="Skriv trinnene som JSON.")
    due.set_defaults(func=cmd_checklist_due)
