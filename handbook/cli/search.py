"""python -m handbook index [--rebuild] and python -m handbook search "QUERY" [...]."""

from __future__ import annotations

import argparse
import json

from handbook.cli.arguments import Commands
from handbook.search.config import load_search_config
from handbook.search.index import SearchIndex, open_index
from handbook.search.sources import is_current, remember, sources_stamp
from handbook.settings import Paths, paths_from_env


def cmd_index(args: argparse.Namespace) -> int:
    from handbook.checklists.schema import load_checklists
    from handbook.content.library import load_library
    from handbook.search.documents import documents_for

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


def searchable_index(paths: Paths) -> SearchIndex:
    """The index, synced with the content, or opened as it is when the content files have not
    changed since the last sync (handbook.search.sources)."""
    stamp = sources_stamp([paths.guidelines_dir, paths.checklists_dir, paths.config_dir])
    if is_current(paths.index_dir, stamp):
        config, _ = load_search_config(paths.config_dir)
        return SearchIndex(paths.index_dir, config)
    from handbook.checklists.schema import load_checklists  # only when the content must be read
    from handbook.content.library import load_library

    library = load_library(paths)
    index, _, _ = open_index(paths.index_dir, paths.config_dir, library.all(), load_checklists(paths.checklists_dir, library.config).all())
    remember(paths.index_dir, stamp)
    return index


def cmd_search(args: argparse.Namespace) -> int:
    if args.query == "review":
        return cmd_review(args)
    if args.query == "lovkort":
        return cmd_law_map(args)
    if args.query == "ordformer":
        return cmd_word_forms(args)
    index = searchable_index(paths_from_env())
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
    for line in results.law_lines:
        print(line)
    if results.paragraph_note:
        print(results.paragraph_note)
    for rank, hit in enumerate(results.hits, start=1):
        print(f"{rank:2}. {hit.title} [{hit.id}] ({hit.type}, {hit.tema}, version {hit.version})")
        if hit.anchor:
            print(f"    afsnit: {hit.section} (#{hit.anchor})")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    """python -m handbook search review [--add "SØGNING=ORD"]: the synonym review."""
    from handbook.search.review import SynonymError, add_synonym, review_items
    from handbook.store.database import Store

    paths = paths_from_env()
    if args.add:
        variant, _, term = args.add.partition("=")
        try:
            print(add_synonym(paths.config_dir, variant, term))
        except SynonymError as exc:
            print(f"Fejl: {exc}")
            return 1
        return 0
    index = searchable_index(paths)
    items = review_items(Store(paths.database_path), index.handbook_terms(), limit=args.limit * 5)
    if not items:
        print("Ingen søgninger at gennemgå.")
    for item in items:
        hit = f", første hit: {item.first_hit}" if item.first_hit else ""
        print(f"»{item.query}« ({item.reason}, {item.count} gange{hit})")
        print(f"    nærmeste ord i håndbogen: {', '.join(item.nearest) or '-'}")
    if items:
        print('Tilføj et synonym: python -m handbook search review --add "SØGNING=ORD I HÅNDBOGEN"')
    return 0


def cmd_word_forms(args: argparse.Namespace) -> int:
    """python -m handbook search ordformer: generate config/wordforms.tsv from the handbook's
    words and hunspell-da's word list and affix rules, and say how many terms gain a form."""
    from handbook.search.decompound import HUNSPELL_DA, hunspell_words
    from handbook.search.wordforms import FORMS_FILE, coverage, generate, handbook_words, hunspell_verbs, load_forms, write_forms

    paths = paths_from_env()
    affixes = HUNSPELL_DA.with_suffix(".aff")
    if not HUNSPELL_DA.exists() or not affixes.exists():
        print(f"Fejl: den danske ordliste mangler ({HUNSPELL_DA}, {affixes}); installér hunspell-da.")
        return 1
    words = handbook_words([paths.guidelines_dir, paths.checklists_dir])
    rows = generate(words, hunspell_words(), hunspell_verbs(HUNSPELL_DA, affixes))
    write_forms(paths.config_dir / FORMS_FILE, rows)
    gained, total = coverage(words, load_forms(paths.config_dir / FORMS_FILE))
    print(f"{len(rows)} ordpar skrevet til config/{FORMS_FILE}; {gained} af håndbogens {total} ord (stammer) får en afledt form.")
    return 0


def cmd_law_map(args: argparse.Namespace) -> int:
    """python -m handbook search lovkort: the rows of config/paragraphs.yaml that no guideline
    cites, each with the guideline the search answers it with."""
    from handbook.content.library import load_library
    from handbook.search.paragraphs import uncovered_rows

    paths = paths_from_env()
    index = searchable_index(paths)
    rows = uncovered_rows(index.config, load_library(paths).all())
    print(f"{len(rows)} af {len(index.config.subjects)} paragraffer i lovkortet citeres ikke af nogen retningslinje:")
    for number, subject in rows:
        hits = index.search(f"barnets lov § {number}", kinds=("guideline",), limit=1).hits
        print(f"  § {number}: {subject} -> søgningen svarer med {hits[0].id if hits else 'intet'}")
    return 0


def add_index_and_search(commands: Commands) -> None:
    index = commands.add_parser("index", help="Opdatér søgeindekset (kun ændrede dokumenter).")
    index.add_argument("--rebuild", action="store_true", help="Byg indekset helt forfra.")
    index.set_defaults(func=cmd_index)

    search = commands.add_parser("search", help="Søg i håndbogen.")
    search.add_argument(
        "query",
        help="Det, du søger efter, fx \"BFU frist\" eller \"§ 50\". \"review\": synonymgennemgangen; \"lovkort\": paragraffer, ingen retningslinje citerer; \"ordformer\": lav config/wordforms.tsv.",
    )
    search.add_argument("--add", metavar="SØGNING=ORD", help="Med review: tilføj SØGNING som synonym for ORD i config/synonyms.yaml.")
    search.add_argument("--json", action="store_true", help="Skriv resultatet som JSON.")
    search.add_argument("--limit", type=int, default=10, help="Højst så mange resultater (standard 10).")
    search.add_argument("--type", action="append", help="Kun denne type (kan gentages).")
    search.add_argument("--tema", action="append", help="Kun dette tema (kan gentages).")
    search.add_argument("--audience", help="Kun retningslinjer til denne målgruppe.")
    search.set_defaults(func=cmd_search)
