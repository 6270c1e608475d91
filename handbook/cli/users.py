"""Accounts from the command line:

    python -m handbook user add NAME --role ROLE [--display-name NAVN]   (password from a prompt or stdin)
    python -m handbook user role NAME ROLE
    python -m handbook user list
    python -m handbook user deactivate NAME | user activate NAME
    python -m handbook user teams NAME [TEAM ...]   (the teams a user belongs to; none: no team)
"""

from __future__ import annotations

import argparse
import getpass
import sys

from handbook.cli.arguments import Commands
from handbook.identity import auth, users
from handbook.settings import paths_from_env
from handbook.store.database import Store


def cmd_user(args: argparse.Namespace) -> int:
    paths = paths_from_env()
    store = Store(paths.database_path)
    try:
        if args.action == "add":
            if sys.stdin.isatty():
                password = getpass.getpass("Adgangskode: ")
                if getpass.getpass("Gentag adgangskoden: ") != password:
                    print("Adgangskoderne er ikke ens.", file=sys.stderr)
                    return 1
            else:
                password = sys.stdin.readline().rstrip("\n")
            user = auth.add_user(store, args.name, password, args.role, args.display_name or "", actor="administrator (kommandolinje)")
            print(f"Brugeren '{user.name}' er oprettet med rollen {user.role_label}.")
        elif args.action == "role":
            user = auth.set_role_as_administrator(store, args.name, args.role)
            print(f"'{user.name}' har nu rollen {user.role_label}.")
        elif args.action == "teams":
            teams = users.set_teams_as_administrator(store, args.name, args.teams)
            print(f"'{args.name}' er med i: {', '.join(teams) or 'ingen teams'}.")
        elif args.action in ("deactivate", "activate"):
            users.set_active_as_administrator(store, args.name, args.action == "activate")
            print(f"'{args.name}' er {'genaktiveret' if args.action == 'activate' else 'deaktiveret og logget ud'}.")
        else:
            for user in auth.all_users(store):
                print(f"{user.name:<24} {user.role_label:<14} {user.display_name}")
    except auth.AuthError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


def add_user(commands: Commands) -> None:
    user = commands.add_parser("user", help="Brugere og roller.")
    actions = user.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="Opret en lokal bruger (adgangskoden spørges om, eller læses fra stdin).")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=list(auth.ROLES))
    add.add_argument("--display-name", help="Fulde navn, som det vises i portalen.")
    role = actions.add_parser("role", help="Skift en brugers rolle.")
    role.add_argument("name")
    role.add_argument("role", choices=list(auth.ROLES))
    actions.add_parser("list", help="Vis brugerne.")
    teams = actions.add_parser("teams", help="Sæt de teams, en bruger er med i (en leder fører tilsyn med sine teams).")
    teams.add_argument("name")
    teams.add_argument("teams", nargs="*")
    for name, text in (("deactivate", "Deaktivér en bruger (logges ud; aldrig den sidste administrator)."), ("activate", "Genaktivér en bruger.")):
        actions.add_parser(name, help=text).add_argument("name")
    user.set_defaults(func=cmd_user)
