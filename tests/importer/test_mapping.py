"""Mapping of each original field to the vault's frontmatter, and of the rest to ``origin:``."""

from __future__ import annotations

from datetime import date

import pytest

from kbtools.importer.command import prepare
from kbtools.importer.normalise import align_tags, authors, normalise_tags
from tests.kbtest import DATA

TODAY = date(2030, 6, 15)
IMPORT = DATA / "import"


def _prepare(tmp_path, text: str, name: str = "in.md", **kw):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return prepare(path, today=TODAY, **kw)


def _cms(tmp_path, extra: str, body: str = "Le texte de l'article, dans une langue ou une autre.\n"):
    return _prepare(tmp_path, f"---\ntitle: Un titre\ncoverImage: c.png\n{extra}---\n{body}")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([[{"name": "Deep Learning", "slug": "deep-learning"}, {"slug": "pytorch"}]], ["Deep Learning", "pytorch"]),
        ([["#PyTorch", "pytorch", "PYTORCH", "Réseaux", "reseaux"]], ["PyTorch", "Réseaux"]),
        (["a, b ,#c"], ["a", "b", "c"]),
        ([["  deux   mots ", "", None, 3, "#"]], ["deux mots"]),
        ([["x"], "X", [{"name": "y"}]], ["x", "y"]),
    ],
)
def test_tags_are_strings_without_hash_each_once(values, expected):
    assert normalise_tags(values) == expected


def test_tags_take_the_vault_spelling():
    assert align_tags(["pytorch", "Neuf"], {"pytorch": "PyTorch"}) == (["PyTorch", "Neuf"], ["pytorch → PyTorch"])


def test_authors_merge_author_and_co_authors():
    assert authors(["Ada", [{"name": "Alan"}, "ada", {"slug": "x"}]]) == ["Ada", "Alan"]


def test_cms_fields_map_to_the_vault_and_the_rest_is_kept_under_origin(tmp_path):
    item = _prepare(tmp_path, (IMPORT / "billet-cms.md").read_bytes().decode("utf-8"))
    f = item.fields
    assert f["title"] == "Alpha et Bêta – un duel amical"
    assert f["type"] == "source"
    assert f["tags"] == ["Alpha", "test", "Comparatif"]
    assert f["author"] == ["Jeanne Martin", "Paul Durand"]
    assert f["url"] == "https://blog.example.org/alpha-beta-duel"
    assert f["date_published"] == "2023-05-17"
    assert f["date_creation"] == f["date_modification"] == "2030-06-15"
    assert f["description"] == "Deux cadres logiciels fictifs face à face, sans chiffres ni parti pris."
    assert f["language"] == "fr"
    assert "language detected: fr" in " ".join(item.notes)
    assert item.origin["id"] == f["url"]
    assert item.origin["format"] == "cms-export"
    assert item.origin["file"] == "in.md"
    assert item.origin["hash"].startswith("sha256:")
    assert item.origin["fields"] == {"coverImage": "https://blog.example.org/img/duel.png", "seo_title": "Alpha ou Bêta \x13 lequel choisir ?"}
    assert "subtitle, series" in " ".join(item.notes)  # empty fields are said to be dropped
    assert "author + co_authors → author" in item.mapped and "originalURL → url" in item.mapped


@pytest.mark.parametrize(
    ("extra", "key", "value"),
    [
        ('subtitle: "Un sous-titre \\x13 réparé"\nseo_desc: autre\n', "description", "Un sous-titre – réparé"),
        ("subtitle: ''\nseo_desc: 'La description\n  SEO'\n", "description", "La description SEO"),
        ("canonical_url: https://e.org/x\n", "url", "https://e.org/x"),
        ("date: '2021-02-03T04:05:06Z'\n", "date_published", "2021-02-03"),
        ("translation_date: '2024-03-02T08:15:00+00:00'\n", "date_published", "2024-03-02"),
        ("language_code: fr_FR\n", "language", "fr-FR"),
        ("authors:\n- name: Ada\n", "author", "Ada"),
        ("keywords: un, deux\n", "tags", ["un", "deux"]),
    ],
)
def test_each_original_field_lands_on_its_vault_key(tmp_path, extra, key, value):
    assert _cms(tmp_path, extra).fields[key] == value


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ("originalURL: /relative/path\n", "originalURL"),
        ("date: someday\n", "date"),
        ("language_code: Français\n", "language_code"),
    ],
)
def test_unusable_values_stay_under_origin_with_a_warning(tmp_path, extra, key):
    item = _cms(tmp_path, extra)
    assert key in item.origin["fields"]
    [diag] = [d for d in item.diagnostics if d.code == "KB505"]
    assert diag.line == 4 and not diag.is_error  # where the key stands in the input


def test_language_is_detected_from_stop_words_and_said_so(tmp_path):
    english = "The model is trained with the data and it is evaluated on the test set, which was not seen by the network."
    item = _cms(tmp_path, "", body=english)
    assert item.fields["language"] == "en"
    assert any(n.startswith("language detected: en") for n in item.notes)
    item = _cms(tmp_path, "", body="Deux mots.")
    assert "language" not in item.fields
    assert any(n.startswith("language not detected") for n in item.notes)


def test_obsidian_notes_keep_their_type_dates_and_relations(tmp_path):
    item = _prepare(tmp_path, (IMPORT / "note-obsidian.md").read_text(encoding="utf-8"))
    f = item.fields
    assert f["type"] == "concept"
    assert (f["date_creation"], f["date_modification"]) == ("2025-02-01", "2025-02-03")
    assert f["isPartOf"] == "[[Carrefour]]"  # unquoted in the input, a scalar stays a scalar
    assert f["seeAlso"] == ["[[Alpha]]", "[[Bêta]]", "[[Delta inconnu]]"]  # a plain name becomes a wikilink
    assert f["tags"] == ["Test", "Cadre logiciel"]
    assert f["aliases"] == ["Troisième voie"]
    assert item.origin["fields"] == {"statut": "brouillon"}
    assert "language" not in f  # only sources say what language they are in


@pytest.mark.parametrize(
    ("text", "override", "expected", "warned"),
    [
        ("---\ntitle: A\ntype: framework\n---\nx", None, "framework", False),
        ("---\ntitle: A\ntype: framework\n---\nx", "tool", "tool", False),
        ("---\ntitle: A\ntype: frmwork\nseeAlso: '[[B]]'\n---\nx", None, "concept", True),
        ("---\ntitle: A\ncoverImage: c.png\n---\nx", None, "source", False),
        ("Un texte brut.\n", "guide", "guide", False),
    ],
)
def test_type(tmp_path, text, override, expected, warned):
    item = _prepare(tmp_path, text, type_override=override)
    assert item.fields["type"] == expected
    assert any(d.code == "KB505" for d in item.diagnostics) == warned


def test_identity_is_the_url_else_a_hash_of_the_normalised_content(tmp_path):
    a = _prepare(tmp_path, "# Titre\n\nUn   texte.\r\n", name="a.md")
    b = _prepare(tmp_path, "\ufeff# Titre\n\nUn texte.\n", name="b.md")
    c = _prepare(tmp_path, "# Titre\n\nUn autre texte.\n", name="c.md")
    assert a.ident == b.ident != c.ident
    assert a.ident.startswith("sha256:")
    assert a.origin["hash"] != b.origin["hash"]  # the bytes differ, the content does not


def test_plain_text_header_lines_are_metadata(tmp_path):
    text = " Thème : Apprentissage \n\nRésumé : une ligne coupée \nen deux.\nAuteur : Ada Lovelace\n\nLe corps du texte commence ici et continue.\n"
    item = _prepare(tmp_path, text, name="expose.txt")
    assert item.fields["tags"] == ["Apprentissage"]
    assert item.fields["description"] == "une ligne coupée en deux."
    assert item.fields["author"] == "Ada Lovelace"
    assert item.fields["title"] == "expose"  # no title line: the file name
    assert item.body == "Le corps du texte commence ici et continue."
