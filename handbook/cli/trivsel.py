"""Trivselslinealen's zones: python -m handbook trivsel zones [--json] | trivsel zone VALUE [--json]."""

from __future__ import annotations

import argparse
import json
import sys

from handbook.cli.arguments import Commands
from handbook.settings import paths_from_env
from handbook.trivsel.scale import load_scale_from


def cmd_trivsel(args: argparse.Namespace) -> int:
    scale, problems = load_scale_from(paths_from_env().config_dir)
    if scale is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    if args.action == "zones":
        if args.json:
            print(json.dumps([z.to_json() for z in scale.zones], ensure_ascii=False, indent=2))
        else:
            for zone in scale.zones:
                print(f"{zone.min}–{zone.max} {zone.name}: {zone.action}")
        return 0
    try:
        value = float(args.value.replace(",", "."))
        zone = scale.zone_for(value)
    except ValueError as exc:
        message = str(exc) if "skalaen" in str(exc) else f"'{args.value}' er ikke et tal."
        print(message, file=sys.stderr)
        return 1
    print(json.dumps(zone.to_json(), ensure_ascii=False, indent=2) if args.json else f"{args.value}: {zone.name} – {zone.action}")
    return 0


def add_trivsel(commands: Commands) -> None:
    trivsel = commands.add_parser("trivsel", help="Trivselslinealens zoner.")
    trivsel_actions = trivsel.add_subparsers(dest="action", required=True)
    zones = trivsel_actions.add_parser("zones", help="Alle zoner.")
    zones.add_argument("--json", action="store_true")
    zone = trivsel_actions.add_parser("zone", help="Zonen for en placering.")
    zone.add_argument("value", help="Placeringen, fx 3.")
    zone.add_argument("--json", action="store_true")
    trivsel.set_defaults(func=cmd_trivsel)
