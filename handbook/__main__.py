"""Command line for editors and administrators.

    python -m handbook validate [PATH ...]
    python -m handbook index [--rebuild]
    python -m handbook search "QUERY" [--json] [--limit N] [--type T] [--tema T] [--audience A]
    python -m handbook history ID [--json]
    python -m handbook show ID [--as-of YYYY-MM-DD]
    python -m handbook diff ID V1 V2
    python -m handbook user add NAME --role ROLE [--display-name NAVN]   (password from a prompt or stdin)
    python -m handbook user role NAME ROLE
    python -m handbook user list
    python -m handbook user deactivate NAME | user activate NAME
    python -m handbook import FILE.docx [--id ID --tema TEMA]
    python -m handbook trivsel zones [--json]
    python -m handbook trivsel zone VALUE [--json]
    python -m handbook checklist due ID --start YYYY-MM-DDTHH:MM [--answers akut=true,afgoerelse=2027-02-10,...] [--json]
    python -m handbook purge        (delete what is past its retention; for cron)
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import date, datetime
from pathlib import Path

from handbook.identity import auth, users
from handbook.publishing import word_import
from handbook.privacy.cpr import PersonalDataError
from handbook.checklists.case import parse_answers, steps_with_deadlines
from handbook.checklists.schema import load_checklists
from handbook.dates.deadlines import as_copenhagen, day_flag, format_due, format_moment
from handbook.publishing.drafts import WorkflowError, split_text, start_new_guideline
from handbook.publishing.revisions import find_version, history, in_force, load_current, record_file_revisions, unified_diff
from handbook.content.render import format_date
from handbook.store.database import Store
from handbook.trivsel.scale import load_scale_from

from handbook.content.library import load_config, load_library
from handbook.retention import purge
from handbook.search.engine import SearchIndex, documents_for, open_index
from handbook.search.config import load_search_config
from handbook.settings import paths_from_env
from handbook.validate import validate_bundled, validate_paths


def cmd_validate(args: argparse.Namespace) -> int:
    paths = paths_from_env()
    report = validate_paths(args.paths, paths) if args.paths else validate_bundled(paths)
    for problem in report.problems:
        print(problem)
    print(report.summary(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


def cmd_index(args: argparse.Namespace) -> int:
    paths = paths_from_env()
    library = load_library(paths)
    config, _ = load_search_config(paths.config_dir)
    index = SearchIndex(paths.index_dir, config)
    documents = documents_for(library.all(), config, load_checklists(paths.checklists_dir, library.config).all())
    report = index.rebuild(documents) if args.rebuild else index.sync(documents)
    seconds = f"{report.seconds:.2f}".replace(".", ",")
    if report.rebuilt:
        reason = f" ({', '.join(report.reasons)})" if report.reasons else ""
        print(f"Indekset er bygget forfra{reason}: {report.added} dokumenter på {seconds} s.")
    elif report.changed:
        print(f"Indekset er opdateret: {report.added} nye, {report.updated} ændrede, {report.removed} fjernede på {seconds} s.")
    else:
        print(f"Indekset er ajour ({len(documents)} dokumenter); intet at gøre.")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    paths = paths_from_env()
    library = load_library(paths)
    index, _, _ = open_index(paths.index_dir, paths.config_dir, library.all(), load_checklists(paths.checklists_dir, library.config).all())
    results = index.search(
        args.query,
        types=tuple(args.type or ()),
        temas=tuple(args.tema or ()),
        audience=args.audience,
        limit=args.limit,
    )
    if args.json:
        print(json.dumps(results.to_json(), ensure_ascii=False, indent=2))
        return 0
    if results.notice:
        print(results.notice)
    if results.suggestion:
        print(f"Mente du: {results.suggestion}?")
    if not results.hits:
        print("Ingen resultater.")
    if results.paragraph_note:
        print(results.paragraph_note)
    for rank, hit in enumerate(results.hits, start=1):
        print(f"{rank:2}. {hit.title} [{hit.id}] ({hit.type}, {hit.tema}, version {hit.version})")
        if hit.anchor:
            print(f"    afsnit: {hit.section} (#{hit.anchor})")
    return 0


def _store_with_files():
    """The store, after recording any guideline file edited since content was last loaded."""
    paths = paths_from_env()
    store = Store(paths.database_path)
    record_file_revisions(store, paths)
    return store


def cmd_history(args: argparse.Namespace) -> int:
    revisions = history(_store_with_files(), args.id)
    if not revisions:
        print(f"Retningslinjen '{args.id}' findes ikke.", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps([r.to_json() for r in revisions], ensure_ascii=False, indent=2))
        return 0
    current = in_force(revisions, date.today())
    for r in revisions:
        mark = "*" if current and r.id == current.id else " "
        state = "arkiveret" if r.retired else f"version {r.version}"
        print(f"{mark} {state:<14} gælder fra {format_date(r.effective):<18} offentliggjort {r.published_at:%Y-%m-%d %H:%M} af {r.author_label}: {r.change_note}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    revisions = history(_store_with_files(), args.id)
    if not revisions:
        print(f"Retningslinjen '{args.id}' findes ikke.", file=sys.stderr)
        return 1
    day = args.as_of or date.today()
    revision = in_force(revisions, day)
    if revision is None:
        print(f"Ingen version af '{args.id}' var gældende den {format_date(day)}.", file=sys.stderr)
        return 1
    _, body = split_text(revision.text)
    print(body)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    revisions = history(_store_with_files(), args.id)
    old, new = find_version(revisions, args.v1), find_version(revisions, args.v2)
    for version, revision in ((args.v1, old), (args.v2, new)):
        if revision is None:
            known = ", ".join(dict.fromkeys(r.version for r in revisions if not r.retired)) or "ingen"
            print(f"Version {version} af '{args.id}' findes ikke. Kendte versioner: {known}.", file=sys.stderr)
            return 1
    sys.stdout.write(unified_diff(old, new))
    return 0


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


def cmd_purge(args: argparse.Namespace) -> int:
    paths = paths_from_env()
    config, problems = load_config(paths)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("Konfigurationen har fejl; intet er slettet.", file=sys.stderr)
        return 1
    print(purge(Store(paths.database_path), config).text())
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """A .docx becomes a draft guideline in the portal (Redigér og offentliggør)."""
    paths = paths_from_env()
    store = _store_with_files()
    loaded = load_current(store, paths, date.today())
    known = set(loaded.revisions) | set(loaded.library.guidelines)
    actor = auth.User(users.CLI_ACTOR, "Administrator (kommandolinje)", "admin")
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"{args.file} kan ikke læses: {exc.strerror}.", file=sys.stderr)
        return 1
    try:
        imported = word_import.convert(data, args.file.name, loaded.library.config, known, date.today(), args.owner or "Afdelingsleder", args.id, args.tema)
        draft_id = start_new_guideline(store, actor, imported.text, known)
    except (word_import.WordImportError, PersonalDataError, WorkflowError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"»{imported.title}« er importeret som kladde nr. {draft_id} (id '{imported.guideline_id}'). Åbn den under Redigér og offentliggør.")
    if imported.legal_refs:
        print(f"Lovhenvisninger: {', '.join(imported.legal_refs)}")
    if imported.images_left_out:
        print(f"{imported.images_left_out} billede(r) er udeladt; der står en note i teksten.")
    for problem in imported.problems:
        print(f"kladde:{problem.line}: {problem.message}")
    return 0


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


def _iso_datetime(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' er ikke et tidspunkt på formen ÅÅÅÅ-MM-DDTTT:MM.") from None


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' er ikke en dato på formen ÅÅÅÅ-MM-DD.") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m handbook", description="Håndbogen: værktøjer til redaktører og administratorer.")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="Kontrollér retningslinjer og konfiguration.")
    validate.add_argument("paths", nargs="*", type=Path, help="Filer eller mapper (standard: det medfølgende indhold).")
    validate.set_defaults(func=cmd_validate)

    index = commands.add_parser("index", help="Opdatér søgeindekset (kun ændrede dokumenter).")
    index.add_argument("--rebuild", action="store_true", help="Byg indekset helt forfra.")
    index.set_defaults(func=cmd_index)

    search = commands.add_parser("search", help="Søg i håndbogen.")
    search.add_argument("query", help="Det, du søger efter, fx \"BFU frist\" eller \"§ 50\".")
    search.add_argument("--json", action="store_true", help="Skriv resultatet som JSON.")
    search.add_argument("--limit", type=int, default=10, help="Højst så mange resultater (standard 10).")
    search.add_argument("--type", action="append", help="Kun denne type (kan gentages).")
    search.add_argument("--tema", action="append", help="Kun dette tema (kan gentages).")
    search.add_argument("--audience", help="Kun retningslinjer til denne målgruppe.")
    search.set_defaults(func=cmd_search)

    hist = commands.add_parser("history", help="Alle versioner af en retningslinje.")
    hist.add_argument("id")
    hist.add_argument("--json", action="store_true", help="Skriv historikken som JSON.")
    hist.set_defaults(func=cmd_history)

    show = commands.add_parser("show", help="Teksten af den version, der var gældende på en dato.")
    show.add_argument("id")
    show.add_argument("--as-of", type=_iso_date, help="Datoen (ÅÅÅÅ-MM-DD); standard i dag.")
    show.set_defaults(func=cmd_show)

    diff = commands.add_parser("diff", help="Forskellen mellem to versioner (unified diff).")
    diff.add_argument("id")
    diff.add_argument("v1")
    diff.add_argument("v2")
    diff.set_defaults(func=cmd_diff)

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
    for name, text in (("deactivate", "Deaktivér en bruger (logges ud; aldrig den sidste administrator)."), ("activate", "Genaktivér en bruger.")):
        actions.add_parser(name, help=text).add_argument("name")
    user.set_defaults(func=cmd_user)

    word = commands.add_parser("import", help="Importér et Word-dokument (.docx) som kladde til en ny retningslinje.")
    word.add_argument("file", type=Path, help="Word-dokumentet (.docx).")
    word.add_argument("--id", help="Id for retningslinjen (standard: dannet af titlen).")
    word.add_argument("--tema", help="Tema (standard: Importeret).")
    word.add_argument("--owner", help="Ejer (standard: Afdelingsleder).")
    word.set_defaults(func=cmd_import)

    trivsel = commands.add_parser("trivsel", help="Trivselslinealens zoner.")
    trivsel_actions = trivsel.add_subparsers(dest="action", required=True)
    zones = trivsel_actions.add_parser("zones", help="Alle zoner.")
    zones.add_argument("--json", action="store_true")
    zone = trivsel_actions.add_parser("zone", help="Zonen for en placering.")
    zone.add_argument("value", help="Placeringen, fx 3.")
    zone.add_argument("--json", action="store_true")
    trivsel.set_defaults(func=cmd_trivsel)

    checklist = commands.add_parser("checklist", help="Tjeklister og frister.")
    checklist_actions = checklist.add_subparsers(dest="action", required=True)
    due = checklist_actions.add_parser("due", help="Trinnene, der gælder, med frister for en sag.")
    due.add_argument("id")
    due.add_argument("--start", required=True, type=_iso_datetime, help="Starttidspunkt, fx 2026-04-01T15:40 (dansk tid, hvis intet andet er angivet).")
    due.add_argument("--answers", help="Svar, fx akut=true,underretter=borger,afgoerelse=2027-02-10 (datoer som ÅÅÅÅ-MM-DD).")
    due.add_argument("--json", action="store_true", help="Skriv trinnene som JSON.")
    due.set_defaults(func=cmd_checklist_due)

    purge_command = commands.add_parser("purge", help="Slet det, der er ældre end opbevaringsperioden (til cron).")
    purge_command.set_defaults(func=cmd_purge)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
