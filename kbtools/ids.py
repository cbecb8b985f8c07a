"""Identifiers of the knowledge base, as distinct types, converted here and only here.

A note has several names: the file path inside the vault (``RelPath``), the page URL
the site gives it (``PageUrl``), the concept IRI of the graph (``ConceptIRI``), and the
keys that wikilinks resolve against (``TitleKey``). Mixing them up is the classic bug
of notes-to-site tools, so each is its own ``NewType`` and every conversion lives here.

The one rule for addresses: a note's page URL is the one mkdocs gives its file (``File.url``:
``a b.md`` → ``a%20b/``), computed on the NFC form of the path (the plugin gives NFD file names
— macOS — their NFC address); its IRI is ``site_url`` + that URL with the letters outside ASCII
kept as they are (an IRI may hold them, RFC 3987) and everything else percent-encoded as mkdocs
does, so that :func:`iri_to_uri` of the IRI is exactly ``site_url`` + the page URL.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from pathlib import PurePosixPath
from typing import NewType
from urllib.parse import quote, unquote

from slugify import slugify as _python_slugify

RelPath = NewType("RelPath", str)  # "frameworks/pytorch.md", POSIX, relative to the vault
PageUrl = NewType("PageUrl", str)  # "frameworks/pytorch/", relative to site_url
ConceptIRI = NewType("ConceptIRI", str)  # "https://…/frameworks/pytorch/"
TitleKey = NewType("TitleKey", str)  # "presentation de pytorch"
Slug = NewType("Slug", str)  # "presentation-de-pytorch"

# Apostrophes, quotes and dashes that people type interchangeably.
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'"})
_SPACES = re.compile(r"\s+")


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


# Symbols that would vanish from a slug and make « C++ », « C# » and « C » one tag.
_SLUG_REPLACEMENTS = [["++", " plus plus "], ["+", " plus "], ["#", " sharp "], ["&", " et "], ["@", " at "]]


@lru_cache(maxsize=65536)
def slugify(text: str) -> Slug:
    """ASCII slug of a title or tag, by python-slugify (Unidecode transliteration):
    « Présentation de l'IA » → ``presentation-de-l-ia``, « Œuvre » → ``oeuvre``, « 深度学习 » →
    ``shen-du-xue-xi``, « C++ » → ``c-plus-plus``, « C# » → ``c-sharp``. Text with nothing to
    transliterate gets ``x-`` and a short hash, so that two such names stay distinct."""
    text = nfc(text).translate(_APOSTROPHES)
    slug = _python_slugify(text, replacements=_SLUG_REPLACEMENTS)
    if not slug:
        slug = "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return Slug(slug)


def nfc(text: str) -> str:
    """Unicode NFC: names typed on macOS (NFD) and elsewhere compare and address alike."""
    return unicodedata.normalize("NFC", text)


def rel_path(path: str) -> RelPath:
    """Normalise a vault-relative path to POSIX form (the bytes on disk are kept: not NFC)."""
    return RelPath(PurePosixPath(path.replace("\\", "/")).as_posix())


def page_url(path: RelPath, use_directory_urls: bool = True) -> PageUrl:
    """The URL mkdocs gives the page of a Markdown file, relative to the site root, for the NFC
    form of its path, percent-encoded as mkdocs' ``File.url`` is (``urllib.parse.quote``)."""
    pure = PurePosixPath(nfc(path))
    stem_path = pure.with_suffix("") if pure.suffix.lower() == ".md" else pure
    if pure.stem in ("index", "README"):
        parent = stem_path.parent.as_posix()
        url = "" if parent == "." else parent + "/"
    elif use_directory_urls:
        url = stem_path.as_posix() + "/"
    else:
        url = stem_path.as_posix() + ".html"
    return PageUrl(quote(url))


def page_dest(path: RelPath, use_directory_urls: bool = True) -> str:
    """Where mkdocs writes the page of ``path`` (``dest_uri``), for the NFC form of the path."""
    url = unquote(page_url(path, use_directory_urls))
    if url == "" or url.endswith("/"):
        return url + "index.html"
    return url


def url_to_iri(url: str) -> str:
    """A percent-encoded URL path in IRI form: letters, marks and digits outside ASCII shown as
    they are, everything else as mkdocs encodes it (``Pr%C3%A9sentation%20de%20JAX/`` →
    ``Présentation%20de%20JAX/``)."""
    if "%" not in url:  # nothing encoded: the URL is its own IRI (the common case, ASCII slugs)
        return url
    text = nfc(unquote(url))
    return "".join(ch if ord(ch) > 127 and unicodedata.category(ch)[0] in "LMN" else quote(ch, safe="/") for ch in text)


def iri_to_uri(iri: str) -> str:
    """An IRI as the URI a browser requests (RFC 3987, section 3.1): non-ASCII as UTF-8 ``%XX``."""
    return "".join(quote(ch, safe="") if ord(ch) > 127 else ch for ch in iri)


def concept_iri(site_url: str, url: PageUrl) -> ConceptIRI:
    """The IRI of a concept is the address of its page, so that the IRI leads to it."""
    return ConceptIRI(site_base(site_url) + url_to_iri(url))


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
    """Where the site writes the local graph of the note at ``path`` (JSON, site-relative, NFC);
    pages refer to it through :func:`quote` (a name may hold ``#``, ``?`` or spaces)."""
    return "assets/kb/graph/notes/" + nfc(PurePosixPath(path).with_suffix(".json").as_posix())


def relative_source(from_path: RelPath, to_path: RelPath) -> str:
    """A Markdown link from one source file to another, as mkdocs resolves it (``../a/b.md``):
    ``posixpath.relpath`` from the first file's folder, for vault paths (relative, normalised),
    without its two calls to ``os.getcwd`` (index pages make thousands of links)."""
    return relative_link(PageUrl(from_path), PageUrl(to_path))


def snippet_url(framework: str, name: str) -> PageUrl:
    """Each snippet has its own page: ``snippets/<framework>/<name>/``."""
    return PageUrl(f"snippets/{framework}/{name}/")


def served_url(mkdocs_url: str) -> PageUrl:
    """A page URL as mkdocs' ``File.url`` gives it, relative to the site root: the home page,
    which mkdocs calls ``./``, is the empty URL here (as :func:`page_url` has it)."""
    return PageUrl(mkdocs_url.removeprefix("./"))
