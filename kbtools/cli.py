"""The ``kb`` command: check, export, query, push, import, snippets.

Every command works on the vault of ``mkdocs.yml`` (its ``docs_dir``) by default, or on the
folder given as ``PATH`` / ``--vault``. A user mistake prints diagnostics and exits 1, never a
traceback. Heavy imports (rdflib, pyoxigraph) happen inside the commands that need them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .diagnostics import Diagnostic, KBError, render_json, render_text
from .schema import TYPES

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def _vault_args(p: argparse.ArgumentParser, positional: bool = True) -> None:
    if positional:
        p.add_argument("path", nargs="?", help="dossier de notes (par défaut : docs_dir de mkdocs.yml)")
    p.add_argument("--vault", help="dossier de notes (même rôle que PATH)")
    p.add_argument("--config", help="fichier mkdocs.yml à utiliser")
    p.add_argument("--site-url", help="base des IRI (par défaut : site_url de mkdocs.yml)")


def _config(args: argparse.Namespace):
    from .config import load_config

    vault = getattr(args, "path", None) or args.vault
    return load_config(vault, args.config, args.site_url)


def _kb(args: argparse.Namespace, shacl: bool = False):
    from .pipeline import build_knowledge_base

    return build_knowledge_base(_config(args), shacl=shacl)


def cmd_check(args: argparse.Namespace) -> int:
    kb = _kb(args, shacl=not args.no_shacl)
    diags = kb.diagnostics
    if args.format == "json":
        print(render_json(diags, kb.files))
    else:
        print(render_text(diags, kb.files))
    failing = [d for d in diags if d.is_error or args.strict]
    return EXIT_ERRORS if failing else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from .export import FORMATS, export, load_context, serialize

    kb = _kb(args)
    if kb.errors and not args.force:
        print(render_text(kb.errors, kb.files), file=sys.stderr)
        print("export refused: the vault has errors (fix them, or pass --force)", file=sys.stderr)
        return EXIT_ERRORS
    formats = args.format or list(FORMATS)
    context = load_context(kb.config.ontology_dir)
    if args.output == "-":
        if len(formats) != 1:
            raise KBError(Diagnostic("-", 1, 1, "KB401", "writing to standard output needs exactly one --format"))
        sys.stdout.buffer.write(serialize(kb.graph, formats[0], context))
        return EXIT_OK
    written = export(kb.graph, Path(args.output), formats, context)
    for path in written:
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    print(f"{len(kb.graph):,} triples from {len(kb.notes)} notes")
    return EXIT_OK


def _query_text(args: argparse.Namespace, named: dict) -> tuple[str, str]:
    """The query to run and the name its errors should carry."""
    if args.file:
        path = Path(args.file)
        return _read_query_file(path), str(path)
    if args.name:
        if args.name not in named:
            raise KBError(Diagnostic("<query>", 1, 1, "KB304", f"no named query '{args.name}'", "kb query --list shows them"))
        return named[args.name].text, str(named[args.name].path)
    if args.query is None:
        raise KBError(Diagnostic("<query>", 1, 1, "KB304", "no query given", "give a query, -f FILE.rq, --name NAME or --list"))
    if args.query.endswith(".rq") and Path(args.query).is_file():
        return _read_query_file(Path(args.query)), args.query
    if args.query in named:
        return named[args.query].text, str(named[args.query].path)
    return args.query, "<query>"


def _read_query_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KBError(Diagnostic(str(path), 1, 1, "KB304", f"cannot read query file: {exc}")) from None


def cmd_query(args: argparse.Namespace) -> int:
    from .config import packaged_ontology
    from .query import load_named_queries, refuse_update, render, run_local

    try:
        ontology = _config(args).ontology_dir
    except KBError:
        if not args.endpoint:
            raise
        ontology = packaged_ontology()
    named = load_named_queries(ontology / "queries")
    if args.list:
        width = max((len(n) for n in named), default=0)
        for q in named.values():
            print(f"{q.name.ljust(width)}  {q.title}")
        return EXIT_OK
    text, source = _query_text(args, named)
    if not args.allow_update:
        refuse_update(text, source)
    if args.endpoint:
        from .endpoint import remote

        result = remote(args.endpoint, text)
    else:
        result = run_local(_kb(args).graph, text, source, allow_update=args.allow_update)
    print(render(result, args.format))
    return EXIT_OK


def cmd_push(args: argparse.Namespace) -> int:
    from .endpoint import push
    from .export import serialize

    kb = _kb(args)
    if kb.errors and not args.force:
        print(render_text(kb.errors, kb.files), file=sys.stderr)
        print("push refused: the vault has errors (fix them, or pass --force)", file=sys.stderr)
        return EXIT_ERRORS
    target = push(args.endpoint, serialize(kb.graph, "nt"), args.graph)
    print(f"replaced {target} with {len(kb.graph):,} triples")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from .importer import run_import

    return run_import(
        args.sources, args.into, vault=args.vault, config_file=args.config, dry_run=args.dry_run, output=args.format, type_override=args.type
    )


def cmd_snippets(args: argparse.Namespace) -> int:
    """``kb snippets run …`` runs and records; ``kb snippets status`` says which results are stale."""
    action, rest = (args.rest[0], args.rest[1:]) if args.rest else ("", [])
    if action == "run":
        from .snippets.run_all import main as run_main

        return run_main(rest)
    if action == "status":
        from .snippets.header import scan
        from .snippets.results import status

        specs, problems = scan(Path(rest[0]) if rest else Path("snippets"))
        for problem in problems:
            print(problem.format(), file=sys.stderr)
        stale = 0
        for spec in specs:
            for variant, state in sorted(status(spec).items()):
                stale += state != "fresh"
                print(f"{state:8} {spec.rel}::{variant}")
        print(f"{len(specs)} snippets, {stale} variant(s) missing or stale")
        return EXIT_ERRORS if stale or problems else EXIT_OK
    print("usage: kb snippets run [--changed] [--update] [--jobs N] [PATH…] | kb snippets status", file=sys.stderr)
    return EXIT_USAGE


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench.command import main as bench_main

    return bench_main(args.rest)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kb", description="Base de connaissances : notes → graphe RDF → vérifications, exports, SPARQL.")
    parser.add_argument("--version", action="version", version="%(prog)s 0.1.0")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check", help="vérifier les notes (liens, dates, cycles, SHACL…)")
    _vault_args(p)
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--no-shacl", action="store_true", help="ne pas lancer la validation SHACL (plus rapide)")
    p.add_argument("--strict", action="store_true", help="les avertissements comptent comme des erreurs")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("export", help="écrire le graphe en Turtle, JSON-LD et N-Triples")
    _vault_args(p)
    p.add_argument("-o", "--output", default="build/graph", help="dossier de sortie, ou - pour la sortie standard")
    p.add_argument("--format", action="append", choices=["ttl", "jsonld", "nt"], help="répétable ; par défaut les trois")
    p.add_argument("--force", action="store_true", help="exporter même si la base a des erreurs")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("query", help="interroger le graphe en SPARQL")
    p.add_argument("query", nargs="?", help="requête SPARQL, fichier .rq ou nom d'une requête nommée")
    p.add_argument("-f", "--file", help="fichier .rq")
    p.add_argument("-n", "--name", help="requête nommée de ontology/queries/")
    p.add_argument("--list", action="store_true", help="lister les requêtes nommées")
    p.add_argument("--format", choices=["table", "csv", "tsv", "json"], default="table")
    p.add_argument("--endpoint", help="URL d'un serveur SPARQL 1.1 (au lieu du graphe local)")
    p.add_argument("--allow-update", action="store_true", help="autoriser SPARQL Update")
    _vault_args(p, positional=False)
    p.set_defaults(func=cmd_query, path=None)

    p = sub.add_parser("push", help="remplacer un graphe nommé d'un serveur SPARQL (Graph Store Protocol)")
    _vault_args(p)
    p.add_argument("--endpoint", required=True, help="URL Graph Store du serveur (Oxigraph : http://hôte:port/store)")
    p.add_argument("--graph", help="IRI du graphe nommé (par défaut : le graphe par défaut)")
    p.add_argument("--force", action="store_true", help="pousser même si la base a des erreurs")
    p.set_defaults(func=cmd_push)

    p = sub.add_parser("import", help="importer des textes (notes Obsidian, exports de blog, Markdown, texte brut) dans le coffre")
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="fichiers ou dossiers à importer")
    p.add_argument("--into", required=True, metavar="FOLDER", help="dossier du coffre où écrire les notes (ex. docs/imports)")
    p.add_argument("--vault", help="dossier de notes (par défaut : docs_dir de mkdocs.yml)")
    p.add_argument("--config", help="fichier mkdocs.yml à utiliser")
    p.add_argument("--dry-run", action="store_true", help="ne rien écrire : afficher le plan et le diff")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--type", choices=list(TYPES), help="type des notes importées (par défaut : source, ou celui de la note Obsidian)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("snippets", help="exécuter et enregistrer les extraits de code", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_snippets)

    p = sub.add_parser("bench", help="comparer les frameworks (run) et publier les résultats (report)", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KBError as exc:
        for diag in exc.diagnostics:
            print(diag.format(), file=sys.stderr)
        return EXIT_ERRORS
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `kb query … | head`
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
