"""Identifiers of the knowledge base, as distinct types, converted here and only here.

A note has several names: the file path inside the vault (``RelPath``), the page URL
the site gives it (``PageUrl``), the concept IRI of the graph (``ConceptIRI``), and the
keys that wikilinks resolve against (``TitleKey``). Mixing them up is the classic bug
of notes-to-site tools, so each is its own ``NewType`` and every conversion lives here.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from functools import lru_cache
from pathlib import PurePosixPath
from typing import NewType

RelPath = NewType("RelPath", str)  # "frameworks/pytorch.md", POSIX, relative to the vault
PageUrl = NewType("PageUrl", str)  # "frameworks/pytorch/", relative to site_url
ConceptIRI = NewType("ConceptIRI", str)  # "https://…/frameworks/pytorch/"
TitleKey = NewType("TitleKey", str)  # "presentation de pytorch"
Slug = NewType("Slug", str)  # "presentation-de-pytorch"

# Apostrophes, quotes and dashes that people type interchangeably.
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'"})
_SPACES = re.compile(r"\s+")
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def strip_accents(text: str) -> str:
    """Remove combining marks: « Rétropropagation » → « Retropropagation »."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def title_key(text: str) -> TitleKey:
    """The key a wikilink target resolves by: case, accents, apostrophe style and runs of
    spaces do not matter."""
    text = strip_accents(text.translate(_APOSTROPHES)).casefold()
    return TitleKey(_SPACES.sub(" ", text).strip())


def slugify(text: str) -> Slug:
    """ASCII slug of a title or tag: « Présentation de l'IA » → ``presentation-de-l-ia``."""
    return Slug(_NON_SLUG.sub("-", title_key(text)).strip("-") or "x")


def rel_path(path: str) -> RelPath:
    """Normalise a vault-relative path to POSIX form."""
    return RelPath(PurePosixPath(path.replace("\\", "/")).as_posix())


def page_url(path: RelPath, use_directory_urls: bool = True) -> PageUrl:
    """The URL mkdocs gives the page of a Markdown file, relative to the site root."""
    pure = PurePosixPath(path)
    stem_path = pure.with_suffix("")
    if pure.stem in ("index", "README"):
        parent = stem_path.parent.as_posix()
        return PageUrl("" if parent == "." else parent + "/")
    if use_directory_urls:
        return PageUrl(stem_path.as_posix() + "/")
    return PageUrl(stem_path.as_posix() + ".html")


def concept_iri(site_url: str, url: PageUrl) -> ConceptIRI:
    """The IRI of a concept is the address of its page, so that the IRI leads to it."""
    return ConceptIRI(site_base(site_url) + url)


def site_base(site_url: str) -> str:
    """``site_url`` with exactly one trailing slash."""
    return site_url.rstrip("/") + "/"


def tag_iri(site_url: str, tag: str) -> ConceptIRI:
    """Tags are concepts of their own scheme, one page each under ``tags/``."""
    return ConceptIRI(f"{site_base(site_url)}tags/{slugify(tag)}/")


def relative_link(from_url: PageUrl, to_url: PageUrl) -> str:
    """A relative href from one page URL to another (directory URLs)."""
    src = [p for p in from_url.split("/")[:-1] if p]
    dst = to_url.split("/")
    common = 0
    while common < len(src) and common < len(dst) - 1 and src[common] == dst[common]:
        common += 1
    ups = len(src) - common
    rest = "/".join(dst[common:])
    return ("../" * ups + rest) or "./"


def tag_page_path(tag: str) -> RelPath:
    """Source path of the generated page of a tag: its URL is the tag's IRI (see :func:`tag_iri`)."""
    return RelPath(f"tags/{slugify(tag)}.md")


def graph_data_path(path: RelPath) -> str:
    """Where the site writes the local graph of the note at ``path`` (JSON, site-relative)."""
    return "assets/kb/graph/notes/" + PurePosixPath(path).with_suffix(".json").as_posix()


def relative_source(from_path: RelPath, to_path: RelPath) -> str:
    """A Markdown link from one source file to another, as mkdocs resolves it (``../a/b.md``)."""
    start = PurePosixPath(from_path).parent.as_posix()
    return posixpath.relpath(to_path, start=start)


def snippet_url(framework: str, name: str) -> PageUrl:
    """Each snippet has its own page: ``snippets/<framework>/<name>/``."""
    return PageUrl(f"snippets/{framework}/{name}/")


def served_url(mkdocs_url: str) -> PageUrl:
    """A page URL as mkdocs' ``File.url`` gives it, relative to the site root: the home page,
    which mkdocs calls ``./``, is the empty URL here (as :func:`page_url` has it)."""
    return PageUrl(mkdocs_url.removeprefix("./"))
