"""Where the vault is and what its IRIs look like: read from ``mkdocs.yml`` or given directly."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .diagnostics import Diagnostic, KBError

DEFAULT_SITE_URL = "https://kb.invalid/"
# The concept scheme's label when no mkdocs.yml names the site (``site_name``): neutral, any vault.
DEFAULT_SITE_NAME = "Base de connaissances"


# Keys of Obsidian's legacy properties, read as their current names.
LEGACY_KEYS = {"alias": "aliases", "tag": "tags"}
MAX_NOTE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class KeyMap:
    """How a vault names its frontmatter keys, from the ``kb`` plugin's settings in ``mkdocs.yml``::

        plugins:
          - kb:
              relations: {up: isPartOf, parent: subClassOf, related: seeAlso}
              dates: {created: date_creation, updated: date_modification}
              ignore_keys: [banner, rating]

    ``canonical(key)`` gives the project's own name of a key (``up`` → ``isPartOf``).
    """

    aliases: dict[str, str] = field(default_factory=dict)  # the vault's key → the project's key
    ignored: frozenset[str] = frozenset()

    def canonical(self, key: str) -> str:
        return self.aliases.get(key, key)


@dataclass(frozen=True, slots=True)
class VaultConfig:
    vault: Path  # the folder of notes (mkdocs' docs_dir)
    site_url: str = DEFAULT_SITE_URL
    site_name: str = DEFAULT_SITE_NAME  # mkdocs' site_name: the label of the graph's concept scheme
    project_root: Path | None = None  # folder of mkdocs.yml, when there is one
    use_directory_urls: bool = True
    snippets_dir: Path | None = None  # the project's snippets, when the vault is its docs_dir
    bench_dir: Path | None = None  # the project's committed benchmark results, likewise
    keys: KeyMap = field(default_factory=KeyMap)
    exclude: tuple[str, ...] = ()  # glob patterns of vault paths that are not notes (gitignore-like)
    max_note_bytes: int = MAX_NOTE_BYTES

    @property
    def ontology_dir(self) -> Path:
        """The project's ontology folder, or the copy shipped with the package."""
        if self.project_root and (self.project_root / "ontology").is_dir():
            return self.project_root / "ontology"
        return packaged_ontology()


def packaged_ontology() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "ontology", here / "ontology"):
        if candidate.is_dir():
            return candidate
    raise KBError(Diagnostic(str(here), 1, 1, "KB401", "ontology folder not found"))


class _MkdocsLoader(yaml.SafeLoader):
    """mkdocs.yml may hold ``!!python/name:`` and ``!ENV`` tags: read them as plain values."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_MkdocsLoader.add_multi_constructor("", _any_tag)


def read_mkdocs(path: Path) -> dict:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_MkdocsLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise KBError(Diagnostic(str(path), 1, 1, "KB401", f"cannot read mkdocs config: {exc}")) from None
    return data if isinstance(data, dict) else {}


def find_mkdocs(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "mkdocs.yml"
        if candidate.is_file():
            return candidate
    return None


def load_config(vault: str | Path | None = None, config_file: str | Path | None = None, site_url: str | None = None) -> VaultConfig:
    """The vault given on the command line, else the ``docs_dir`` of the nearest ``mkdocs.yml``."""
    mkdocs_path = Path(config_file) if config_file else find_mkdocs(Path.cwd())
    settings: dict = {}
    root = None
    if mkdocs_path is not None and (config_file or vault is None or _inside(Path(vault), mkdocs_path.parent)):
        settings = read_mkdocs(mkdocs_path)
        root = mkdocs_path.parent.resolve()
    if vault is not None:
        folder = Path(vault)
    elif root is not None:
        folder = root / settings.get("docs_dir", "docs")
    else:
        raise KBError(Diagnostic(".", 1, 1, "KB401", "no vault given and no mkdocs.yml found", "run 'kb check PATH' or from the project folder"))
    if not folder.is_dir():
        raise KBError(Diagnostic(str(folder), 1, 1, "KB401", "vault folder does not exist"))
    folder = folder.resolve()
    if root is not None and not _inside(folder, root):
        root = None
    is_docs_dir = root is not None and folder == (root / settings.get("docs_dir", "docs")).resolve()
    options = plugin_options(settings) if root is not None else {}
    return VaultConfig(
        vault=folder,
        site_url=site_url or settings.get("site_url") or DEFAULT_SITE_URL,
        site_name=str(settings.get("site_name") or "").strip() or DEFAULT_SITE_NAME,
        project_root=root,
        use_directory_urls=bool(settings.get("use_directory_urls", True)),
        snippets_dir=root / "snippets" if is_docs_dir and (root / "snippets").is_dir() else None,
        bench_dir=root / "benchmarks" / "results" if is_docs_dir and (root / "benchmarks" / "results").is_dir() else None,
        keys=key_map(options, str(mkdocs_path)),
        exclude=tuple(str(p) for p in options.get("exclude") or ()),
        max_note_bytes=int(options.get("max_note_bytes") or MAX_NOTE_BYTES),
    )


def plugin_options(settings: dict) -> dict:
    """The ``kb`` plugin's settings in a parsed ``mkdocs.yml`` (``plugins: [kb]`` gives ``{}``)."""
    for entry in settings.get("plugins") or ():
        if isinstance(entry, dict) and "kb" in entry:
            return entry["kb"] if isinstance(entry["kb"], dict) else {}
    return {}


def key_map(options: dict, where: str = "mkdocs.yml") -> KeyMap:
    """The :class:`KeyMap` of the plugin settings; an unknown target key is a KB401 error."""
    from . import schema

    aliases = dict(LEGACY_KEYS)
    for section, allowed in (("relations", schema.RELATIONS), ("dates", ("date_creation", "date_modification", "date_published"))):
        table = options.get(section) or {}
        if not isinstance(table, dict):
            raise KBError(Diagnostic(where, 1, 1, "KB401", f"kb plugin setting '{section}' must map keys to names", f"e.g. {section}: {{up: isPartOf}}"))
        for key, target in table.items():
            if target not in allowed:
                raise KBError(Diagnostic(where, 1, 1, "KB401", f"kb plugin setting {section}.{key}: unknown name {target!r}", "one of " + ", ".join(allowed)))
            aliases[str(key)] = str(target)
    ignored = options.get("ignore_keys") or []
    if not isinstance(ignored, list):
        raise KBError(Diagnostic(where, 1, 1, "KB401", "kb plugin setting 'ignore_keys' must be a list"))
    return KeyMap(aliases, frozenset(map(str, ignored)))


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False
