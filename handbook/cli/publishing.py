"""The published versions of a guideline and Word import:

    python -m handbook history ID [--json]
    python -m handbook show ID [--as-of YYYY-MM-DD]
    python -m handbook diff ID V1 V2
    python -m handbook import FILE.docx [--id ID --tema TEMA]
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from handbook.cli.arguments import Commands, iso_date
from handbook.content.render import format_date
from handbook.identity import auth, users
from handbook.privacy.cpr import PersonalDataError
from handbook.publishing import word_import
from handbook.publishing.drafts import WorkflowError, split_text, start_new_guideline
from handbook.publishing.revisions import Revision, find_version, history, in_force, load_current, record_file_revisions, unified_diff
from handbook.settings import paths_from_env
from handbook.store.database import Store


def _store_with_files() -> Store:
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


def _unknown_version(args: argparse.Namespace, version: str, revisions: list[Revision]) -> int:
    known = ", ".join(dict.fromkeys(r.version for r in revisions if not r.retired)) or "ingen"
    print(f"Version {version} af '{args.id}' findes ikke. Kendte versioner: {known}.", file=sys.stderr)
    return 1


def cmd_diff(args: argparse.Namespace) -> int:
    revisions = history(_store_with_files(), args.id)
    old, new = find_version(revisions, args.v1), find_version(revisions, args.v2)
    if old is None:
        return _unknown_version(args, args.v1, revisions)
    if new is None:
        return _unknown_version(args, args.v2, revisions)
    sys.stdout.write(unified_diff(old, new))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """A .docx becomes a draft guideline in the portal (Redigér og offentliggør)."""
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"{args.file} kan ikke læses: {exc.strerror}.", file=sys.stderr)
        return 1
    try:  # a zip bomb or a file that is no .docx is refused before the store and content are loaded
        word_import.check_archive(data, args.file.name)
    except word_import.WordImportError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    paths = paths_from_env()
    store = _store_with_files()
    loaded = load_current(store, paths, date.today())
    known = set(loaded.revisions) | set(loaded.library.guidelines)
    actor = auth.User(users.CLI_ACTOR, "Administrator (kommandolinje)", "admin")
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


def add_revision_commands(commands: Commands) -> None:
    hist = commands.add_parser("history", help="Alle versioner af en retningslinje.")
    hist.add_argument("id")
    hist.add_argument("--json", action="store_true", help="Skriv historikken som JSON.")
    hist.set_defaults(func=cmd_history)

    show = commands.add_parser("show", help="Teksten af den version, der var gældende på en dato.")
    show.add_argument("id")
    show.add_argument("--as-of", type=iso_date, help="Datoen (ÅÅÅÅ-MM-DD); standard i dag.")
    show.set_defaults(func=cmd_show)

    diff = commands.add_parser("diff", help="Forskellen mellem to versioner (unified diff).")
    diff.add_argument("id")
    diff.add_argument("v1")
    diff.add_argument("v2")
    diff.set_defaults(func=cmd_diff)


def add_import(commands: Commands) -> None:
    word = commands.add_parser("import", help="Importér et Word-dokument (.docx) som kladde til en ny retningslinje.")
    word.add_argument("file", type=Path, help="Word-dokumentet (.docx).")
    word.add_argument("--id", help="Id for retningslinjen (standard: dannet af titlen).")
    word.add_argument("--tema", help="Tema (standard: Importeret).")
    word.add_argument("--owner", help="Ejer (standard: Afdelingsleder).")
    word.set_defaults(func=cmd_import)
