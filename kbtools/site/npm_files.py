"""The JavaScript the site ships from npm packages, vendored inside ``kbtools`` so that
``pip install kbtools[site]`` and ``plugins: [kb]`` build a full site without ``npm ci``.

The packages are pinned in ``package.json``; the files the site needs (the graph renderer,
:data:`.assets.VENDOR`; Oxigraph's browser build, :data:`.sparql.OXIGRAPH_FILES`) are copied
from ``node_modules`` into ``kbtools/site/vendor/<package>/<path>`` by::

    npm ci && python -m kbtools.site.npm_files      # (make vendor)

which also copies each package's licence and writes ``vendor/manifest.json`` (version, licence,
SHA-256 of every file). These copies are committed, so a wheel or ``pip install`` of a fresh
clone carries them; ``tests/site/test_vendor.py`` fails when they drift from ``package.json``
or from ``node_modules``. :func:`locate` looks in the package first, then in ``node_modules``
(a development checkout that has not vendored a new file yet).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

from ..diagnostics import Diagnostic

VENDOR_ROOT = Path(__file__).resolve().parent / "vendor"
MANIFEST = "manifest.json"
LICENCE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE-MIT", "LICENSE-APACHE", "COPYING")


def needed() -> dict[str, tuple[str, ...]]:
    """npm package → the files of it the site copies (paths inside the package)."""
    from .assets import VENDOR
    from .sparql import OXIGRAPH_FILES, OXIGRAPH_PACKAGE

    out: dict[str, tuple[str, ...]] = {package: (inner,) for package, inner in VENDOR.items()}
    out[OXIGRAPH_PACKAGE] = out.get(OXIGRAPH_PACKAGE, ()) + tuple(OXIGRAPH_FILES)
    return out


def locate(package: str, inner: str, node_modules: Path) -> Path | None:
    """The file ``inner`` of npm package ``package``: the copy inside kbtools, else the one in ``node_modules``."""
    for base in (VENDOR_ROOT, node_modules):
        candidate = base / package / inner
        if candidate.is_file():
            return candidate
    return None


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def vendor(node_modules: Path, target: Path = VENDOR_ROOT) -> dict:
    """Copy the needed files and licences from ``node_modules`` into ``target``; returns the manifest.

    Raises :class:`FileNotFoundError` naming the first missing file (run ``npm ci`` first).
    """
    manifest: dict[str, dict] = {}
    for package, inners in sorted(needed().items()):
        meta = json.loads((node_modules / package / "package.json").read_text(encoding="utf-8"))
        files = {}
        for inner in inners:
            source = node_modules / package / inner
            if not source.is_file():
                raise FileNotFoundError(f"{source} is missing: run `npm ci` first")
            destination = target / package / inner
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
            files[inner] = sha256(destination)
        licences = [name for name in LICENCE_NAMES if (node_modules / package / name).is_file()]
        for name in licences:
            shutil.copyfile(node_modules / package / name, target / package / name)
        manifest[package] = {"version": meta["version"], "license": meta.get("license", ""), "licence_files": licences, "files": files}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    node_modules = Path(args[0]) if args else Path("node_modules")
    try:
        manifest = vendor(node_modules)
    except (OSError, KeyError, json.JSONDecodeError) as exc:
        print(Diagnostic(str(node_modules), 1, 1, "KB140", f"cannot vendor the site's JavaScript: {exc}", "run `npm ci` first").format(), file=sys.stderr)
        return 1
    for package, entry in manifest.items():
        print(f"{package} {entry['version']}: " + ", ".join(entry["files"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
