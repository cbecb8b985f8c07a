"""Identifier conversions, table-driven."""

import pytest

from kbtools.ids import concept_iri, page_url, rel_path, relative_link, slugify, tag_iri, title_key


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
        ("C++ / CUDA", "c-cuda"),
        ("!!!", "x"),
    ],
)
def test_slugify(text, expected):
    assert slugify(text) == expected


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
