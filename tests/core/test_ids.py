"""Identifier conversions, table-driven."""

import posixpath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kbtools.ids import RelPath, concept_iri, page_url, rel_path, relative_link, relative_source, slugify, tag_iri, title_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Présentation de PyTorch", "presentation de pytorch"),
        ("TensorFlow pour l’apprentissage profond", "tensorflow pour l'apprentissage profond"),
        ("TensorFlow pour l'apprentissage profond", "tensorflow pour l'apprentissage profond"),
        ("  Rétro   propagation ", "retro propagation"),
        ("ÉCOLE", "ecole"),
        ("Straße", "strasse"),
        ("Œuvre", "œuvre"),
    ],
)
def test_title_key(text, expected):
    assert title_key(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Présentation de l'IA", "presentation-de-l-ia"),
        ("TorchDynamo et torch.compile", "torchdynamo-et-torch-compile"),
        ("C++ / CUDA", "c-plus-plus-cuda"),
        ("C#", "c-sharp"),
        ("C", "c"),
        ("Œuvre", "oeuvre"),
        ("深度学习", "shen-du-xue-xi"),
        ("Βαθιά μάθηση", "bathia-mathese"),
        ("Pre\u0301sentation", "presentation"),  # NFD
    ],
)
def test_slugify(text, expected):
    assert slugify(text) == expected


def test_slugify_of_nothing_to_transliterate_stays_distinct():
    assert slugify("!!!").startswith("x-") and slugify("???").startswith("x-")
    assert slugify("!!!") != slugify("???")


@pytest.mark.parametrize(
    ("path", "url", "iri"),
    [
        ("frameworks/pytorch.md", "frameworks/pytorch/", "https://kb.test/frameworks/pytorch/"),
        ("Présentation de JAX.md", "Pr%C3%A9sentation%20de%20JAX/", "https://kb.test/Présentation%20de%20JAX/"),
        ("Pre\u0301sentation.md", "Pr%C3%A9sentation/", "https://kb.test/Présentation/"),  # NFD file name, NFC address
        ("C# & C++ ?.md", "C%23%20%26%20C%2B%2B%20%3F/", "https://kb.test/C%23%20%26%20C%2B%2B%20%3F/"),
        ("100 % l’IA.md", "100%20%25%20l%E2%80%99IA/", "https://kb.test/100%20%25%20l%E2%80%99IA/"),
        ("dossier/index.md", "dossier/", "https://kb.test/dossier/"),
        ("Ελληνικά/深度学习.md", "%CE%95%CE%BB%CE%BB%CE%B7%CE%BD%CE%B9%CE%BA%CE%AC/%E6%B7%B1%E5%BA%A6%E5%AD%A6%E4%B9%A0/", "https://kb.test/Ελληνικά/深度学习/"),
    ],
)
def test_page_url_and_iri(path, url, iri):
    from kbtools.ids import concept_iri, iri_to_uri, page_url

    assert page_url(path) == url  # mkdocs' File.url for the NFC path
    assert concept_iri("https://kb.test", page_url(path)) == iri
    assert iri_to_uri(iri) == "https://kb.test/" + url


@pytest.mark.parametrize(
    ("path", "directory_urls", "expected"),
    [
        ("frameworks/pytorch.md", True, "frameworks/pytorch/"),
        ("frameworks/pytorch.md", False, "frameworks/pytorch.html"),
        ("index.md", True, ""),
        ("hubs/index.md", True, "hubs/"),
        ("hubs/README.md", True, "hubs/"),
        ("note.md", True, "note/"),
    ],
)
def test_page_url(path, directory_urls, expected):
    assert page_url(rel_path(path), directory_urls) == expected


@pytest.mark.parametrize(
    ("site", "url", "expected"),
    [
        ("https://kb.example/", "a/b/", "https://kb.example/a/b/"),
        ("https://kb.example", "a/b/", "https://kb.example/a/b/"),
        ("https://kb.example/sub/", "", "https://kb.example/sub/"),
    ],
)
def test_concept_iri(site, url, expected):
    assert concept_iri(site, url) == expected


def test_tag_iri_uses_slug():
    assert tag_iri("https://kb.example/", "Réseaux de neurones") == "https://kb.example/tags/reseaux-de-neurones/"


@pytest.mark.parametrize(
    ("src", "dst", "expected"),
    [
        ("a/b/", "a/c/", "../c/"),
        ("a/b/", "x/", "../../x/"),
        ("", "a/", "a/"),
        ("a/", "", "../"),
        ("a/b/", "a/b/", "./"),
    ],
)
def test_relative_link(src, dst, expected):
    assert relative_link(src, dst) == expected


def test_rel_path_normalises_windows_separators():
    assert rel_path("frameworks\\pytorch.md") == "frameworks/pytorch.md"


# Vault paths as notes have them: folders and a file name, with spaces, accents, dots.
_part = st.text(st.sampled_from("ab é.-_ "), min_size=1, max_size=4).filter(lambda p: p not in (".", "..") and p.strip() == p)
_vault_path = st.lists(_part, min_size=0, max_size=3).map(lambda folders: "/".join([*folders, "note.md"]))


@given(_vault_path, _vault_path)
def test_relative_source_is_posix_relpath_from_the_notes_folder(source: str, target: str) -> None:
    """The link an index page writes resolves, from its folder, to the target's path: the
    standard library's ``posixpath.relpath`` is the reference."""
    assert relative_source(RelPath(source), RelPath(target)) == posixpath.relpath(target, posixpath.dirname(source) or ".")


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("index.md", "concepts/tenseur.md", "concepts/tenseur.md"),
        ("tags/deep-learning.md", "concepts/tenseur.md", "../concepts/tenseur.md"),
        ("concepts/a.md", "concepts/b.md", "b.md"),
        ("a/b/c.md", "a/d.md", "../d.md"),
    ],
)
def test_relative_source_examples(source: str, target: str, expected: str) -> None:
    assert relative_source(RelPath(source), RelPath(target)) == expected
