"""The result of ``kb check`` kept on disk, for an unchanged vault.

The key is a digest of everything the result depends on: the bytes of every file of the vault, of
the project's snippets, benchmark results and ontology (SHACL shapes), the settings (site URL, keys,
exclusions, SHACL on or off), the working directory (diagnostics show paths relative to it), the
tool itself (its version and the size and modification time of each of its modules, so that editing
kbtools during development invalidates the cache too) and the versions of the libraries that make
the graph and run SHACL. The diagnostics are stored as JSON under
``.kb-cache/check/`` beside ``mkdocs.yml`` (else beside the vault), written atomically; a cache that
cannot be read or written is ignored, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

from . import __version__
from .atomic import write_atomic
from .config import VaultConfig
from .diagnostics import Diagnostic, Severity

CACHE_DIR = ".kb-cache"
_KEEP = 8  # results kept; older ones are removed


def cache_folder(config: VaultConfig) -> Path:
    base = config.project_root if config.project_root is not None else config.vault.parent
    return base / CACHE_DIR / "check"


def digest(config: VaultConfig, shacl: bool) -> str:
    """Hex digest of everything a ``kb check`` result depends on (see the module's docstring)."""
    h = hashlib.sha256()
    h.update(json.dumps([__version__, tool_stamp(), _library_versions(), os.getcwd(), shacl, str(config.vault), config.site_url,
                         sorted(config.keys.aliases.items()), sorted(config.keys.ignored), list(config.exclude),
                         config.max_note_bytes, config.use_directory_urls]).encode())
    for folder in (config.vault, config.snippets_dir, config.bench_dir, config.ontology_dir):
        if folder is not None:
            _hash_tree(h, folder)
    return h.hexdigest()


def load(config: VaultConfig, key: str) -> tuple[list[Diagnostic], int] | None:
    """The cached diagnostics and file count for ``key``, or None."""
    path = cache_folder(config) / f"{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        diags = [Diagnostic(**{**d, "severity": Severity(d["severity"]) if d.get("severity") else None}) for d in data["diagnostics"]]
        return diags, int(data["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(config: VaultConfig, key: str, diagnostics: list[Diagnostic], files: int) -> None:
    """Keep a result; never raises (a read-only project just has no cache)."""
    folder = cache_folder(config)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        data = {"files": files, "diagnostics": [asdict(d) for d in diagnostics]}
        write_atomic(folder / f"{key}.json", json.dumps(data, ensure_ascii=False).encode("utf-8"))
        old = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)[_KEEP:]
        for stale in old:
            stale.unlink(missing_ok=True)
    except OSError:
        pass


def _hash_tree(h, folder: Path) -> None:
    top = str(folder)
    skip = len(top) if top.endswith(os.sep) else len(top) + 1  # os.walk's paths start with the folder
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d != CACHE_DIR and d != "__pycache__")
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)  # strings, not Path: this runs once per file of the vault
            h.update(path[skip:].encode("utf-8", "surrogateescape"))
            try:
                with open(path, "rb") as file:
                    h.update(hashlib.sha1(file.read()).digest())
            except OSError as exc:  # an unreadable file is part of the result too
                h.update(repr(exc).encode())


def _library_versions() -> list[str]:
    """Versions of the libraries whose behaviour is part of the result: the graph and SPARQL engine
    (SHACL runs as SPARQL on it), rdflib (terms, well-formed literals) and pySHACL (the fallback)."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("pyoxigraph", "oxrdflib", "rdflib", "pyshacl"):
        try:
            found.append(version(name))
        except PackageNotFoundError:
            found.append("")
    return found


def tool_stamp() -> list:
    """kbtools itself: each module's path, size and modification time (an edit during development counts)."""
    here = Path(__file__).resolve().parent
    out = []
    for path in sorted(here.rglob("*.py")):
        st = path.stat()
        out.append((str(path.relative_to(here)), st.st_size, st.st_mtime_ns))
    return out
