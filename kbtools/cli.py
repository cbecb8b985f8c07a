"""The ``kb`` command: check, export, query, push, import, snippets.

Every command works on the vault of ``mkdocs.yml`` (its ``docs_dir``) by default, or on the
folder given as ``PATH`` / ``--vault``. A user mistake prints diagnostics and exits 1, never a
traceback: :func:`main` is the one error boundary, where every failure that escapes a command
becomes a ``path:line:col: KBnnn`` diagnostic (the traceback only with ``kb --debug``) and Ctrl-C
exits 130. Heavy imports (rdflib, pyoxigraph) happen inside the commands that need them.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import traceback
from pathlib import Path

from .diagnostics import Diagnostic, KBError, os_error, render_json, render_text
from .schema import TYPES

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


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
    from .gcpause import paused

    # The collector stays off until the knowledge base is freed (see _build): turned back on while
    # it is alive, its first pass would walk every object of it once more, for nothing.
    with paused():
        diags, files = _check(args)
    if args.format == "json":
        print(render_json(diags, files))
    else:
        print(render_text(diags, files))
    failing = [d for d in diags if d.is_error or args.strict]
    return EXIT_ERRORS if failing else EXIT_OK


def _check(args: argparse.Namespace) -> tuple[list[Diagnostic], int]:
    """The diagnostics and the number of files checked: from the cache, else from a fresh build."""
    from . import check_cache

    config = _config(args)
    key = check_cache.digest(config, shacl=not args.no_shacl)
    cached = None if args.no_cache or args.site else check_cache.load(config, key)
    if cached is not None:  # nothing the result depends on has changed
        return cached
    from . import pipeline  # noqa: F401 - imported here, apart from _build (see there)

    if args.site:
        from . import site_check  # noqa: F401
    diags, files, site_diags = _build(config, args)
    check_cache.store(config, key, diags, files)
    if site_diags is not None:
        return sorted(diags + site_diags, key=Diagnostic.sort_key), files
    return diags, files


def _build(config, args: argparse.Namespace) -> tuple[list[Diagnostic], int, list[Diagnostic] | None]:
    """A fresh check: the notes' diagnostics, the file count, and the site's diagnostics (``--site``).

    In a frame of its own, apart from the imports: an exception that a module raises and keeps while
    it is imported holds the importing frame, which would then keep the knowledge base alive after
    the check until the collector runs; made here, it is freed as soon as this returns.
    """
    from .pipeline import build_knowledge_base

    kb = build_knowledge_base(config, shacl=not args.no_shacl)
    if args.site:  # the built site too: made by the kb plugin, and up to date with the notes
        from .site_check import check_site

        return kb.diagnostics, kb.files, check_site(Path(args.site), kb)
    return kb.diagnostics, kb.files, None


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
    out_dir = Path(args.output).resolve()  # symlinks followed: the check below sees the real place
    vault = kb.config.vault.resolve()
    if out_dir == vault or vault in out_dir.parents:
        raise KBError(Diagnostic(args.output, 1, 1, "KB604", f"the export folder is inside the vault {vault}",
                                 "mkdocs and Obsidian would take the exports for vault files; write them elsewhere, e.g. -o build/graph"))
    written = export(kb.graph, out_dir, formats, context)
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
    from .query import load_named_queries, render, run_local

    _check_positive(timeout=args.timeout, max_answer_mb=args.max_answer_mb)
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
    if args.endpoint:
        from .endpoint import remote

        result = remote(args.endpoint, text, source, allow_update=args.allow_update, timeout=args.timeout,
                        max_bytes=int(args.max_answer_mb * 2**20))
    else:
        result = run_local(_kb(args).graph, text, source, allow_update=args.allow_update, allow_service=args.allow_service, timeout=args.timeout)
    print(render(result, args.format))
    return EXIT_OK


def _check_positive(**options: float) -> None:
    """KB401 for an option that is not a finite positive number (0, -1, nan, inf)."""
    for name, value in options.items():
        if not (math.isfinite(value) and value > 0):
            raise KBError(Diagnostic("<options>", 1, 1, "KB401", f"--{name.replace('_', '-')} must be a positive number of seconds or megabytes, not {value}"))


def cmd_push(args: argparse.Namespace) -> int:
    from .endpoint import check_url, push
    from .export import serialize

    check_url(args.endpoint)
    _check_positive(timeout=args.timeout)
    kb = _kb(args)
    if kb.errors and not args.force:
        print(render_text(kb.errors, kb.files), file=sys.stderr)
        print("push refused: the vault has errors (fix them, or pass --force)", file=sys.stderr)
        return EXIT_ERRORS
    target = push(args.endpoint, serialize(kb.graph, "nt"), args.graph, timeout=args.timeout)
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
    parser.add_argument("--debug", action="store_true", help="afficher la trace Python complète d'une erreur inattendue")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check", help="vérifier les notes (liens, dates, cycles, SHACL…)")
    _vault_args(p)
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--no-shacl", action="store_true", help="ne pas lancer la validation SHACL (plus rapide)")
    p.add_argument("--strict", action="store_true", help="les avertissements comptent comme des erreurs")
    p.add_argument("--no-cache", action="store_true", help="ignorer le résultat gardé dans .kb-cache/ pour un coffre inchangé")
    p.add_argument("--site", metavar="DOSSIER", help="vérifier aussi le site construit (fait par le plugin kb, à jour, JSON-LD de chaque IRI)")
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
    p.add_argument("--allow-service", action="store_true", help="autoriser SERVICE (requêtes de cette machine vers d'autres serveurs)")
    p.add_argument("--timeout", type=float, default=30.0, metavar="SECONDES", help="durée maximale de la requête (défaut : 30)")
    p.add_argument("--max-answer-mb", type=float, default=64.0, metavar="MO", help="taille maximale de la réponse d'un serveur (défaut : 64)")
    _vault_args(p, positional=False)
    p.set_defaults(func=cmd_query, path=None)

    p = sub.add_parser("push", help="remplacer un graphe nommé d'un serveur SPARQL (Graph Store Protocol)")
    _vault_args(p)
    p.add_argument("--endpoint", required=True, help="URL Graph Store du serveur (Oxigraph : http://hôte:port/store)")
    p.add_argument("--graph", help="IRI du graphe nommé (par défaut : le graphe par défaut)")
    p.add_argument("--force", action="store_true", help="pousser même si la base a des erreurs")
    p.add_argument("--timeout", type=float, default=120.0, metavar="SECONDES", help="durée maximale de l'envoi (défaut : 120)")
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
    """Run one ``kb`` command; the CLI's one error boundary (see the module docstring). Returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KBError as exc:
        for diag in exc.diagnostics:
            print(diag.format(), file=sys.stderr)
        return EXIT_ERRORS
    except KeyboardInterrupt:
        print("kb: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `kb query … | head`: stop quietly, and keep Python from complaining at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        print(boundary_diagnostic(exc, debug=args.debug).format(), file=sys.stderr)
        return EXIT_ERRORS


def boundary_diagnostic(exc: Exception, debug: bool = False) -> Diagnostic:
    """The diagnostic for an exception no command turned into one: network failures KB303, disk full
    KB603, other file errors KB605, a file that cannot be parsed KB606 (with its line and column
    when the parser gives them), anything else KB900, an internal error (a bug to report)."""
    import http.client
    import json
    import socket
    import urllib.error

    if isinstance(exc, urllib.error.URLError | http.client.HTTPException | ConnectionError | TimeoutError | socket.gaierror):
        return Diagnostic(getattr(exc, "url", None) or "<http>", 1, 1, "KB303", f"network error: {getattr(exc, 'reason', None) or exc}")
    if isinstance(exc, OSError):
        return os_error(exc)
    place = _parse_error_place(exc)
    if place is not None:
        path, line, col = place
        message = " ".join(str(getattr(exc, "msg", None) or exc).split())[:300]
        return Diagnostic(path, line, col, "KB606", f"cannot parse: {message}")
    if isinstance(exc, UnicodeDecodeError | json.JSONDecodeError):
        return Diagnostic("<input>", 1, 1, "KB606", f"cannot parse: {exc}")
    hint = "this is a bug; the traceback is above" if debug else "this is a bug; run again with kb --debug … for the traceback, and report it"
    return Diagnostic("<kb>", 1, 1, "KB900", f"internal error: {type(exc).__name__}: {exc}", hint)


def _parse_error_place(exc: Exception) -> tuple[str, int, int] | None:
    """Where a parser (SPARQL/RDF, JSON, YAML, pyparsing) says the error is, if it says so."""
    import json

    if isinstance(exc, SyntaxError):
        return exc.filename or "<input>", exc.lineno or 1, exc.offset or 1
    if isinstance(exc, json.JSONDecodeError):
        return "<input>", exc.lineno, exc.colno
    mark = getattr(exc, "problem_mark", None)  # yaml.MarkedYAMLError
    if mark is not None:
        return mark.name or "<input>", mark.line + 1, mark.column + 1
    if type(exc).__module__.startswith("pyparsing") and hasattr(exc, "lineno"):
        return "<input>", exc.lineno, exc.col
    return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
