"""Plain text from a PDF: paragraphs re-flowed, bullets, section lines, a title line or the file name."""

from __future__ import annotations

from datetime import date

import pytest

from kbtools.importer.command import prepare
from tests.kbtest import DATA

EXPECTED_BODY = """Quand une équipe démarre un projet, elle hésite souvent entre deux outils aux philosophies opposées. \
Le premier mise sur la stabilité, le second sur la vitesse d'évolution ; aucun des deux n'est meilleur dans l'absolu.

## 1. Les critères

- Taille de l'équipe et habitudes de travail : une petite équipe préfère souvent l'outil le plus simple.
- Besoin de déployer sur des machines modestes.
- Disponibilité de modèles pré-entraînés dans le domaine visé.

Pour finir, le carrefour des deux mondes reste la documentation, qui doit être lue avant de trancher."""


def _prepare(tmp_path, text: str, name: str = "notes_de_cours.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return prepare(path, today=date(2030, 1, 1))


def test_the_pdf_fixture_is_reflowed_with_every_repair_counted():
    item = prepare(DATA / "import" / "expose-pdf.txt", today=date(2030, 1, 1))
    assert item.format == "plain-text"
    assert (item.title, item.title_from) == ("Choisir entre Alpha et Bêta", "first line")
    assert item.body == EXPECTED_BODY
    counts = {r.kind: r.count for r in item.repairs.items()}
    assert counts == {"trailing-spaces": 11, "hard-wrap": 5, "headings": 1, "bullets": 3, "blank-lines": 1}


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("Un titre court\n\nune phrase coupée\nen deux lignes.\n", "une phrase coupée en deux lignes."),
        ("Un titre court\n\nmodèles pré-\nentraînés\n", "modèles pré-entraînés"),
        ("Un titre court\n\nla fin de ligne -\nSuite\n", "la fin de ligne - Suite"),  # a dash before a capital is no cut word
        ("Un titre court\n\n◦ un\n▪ deux\nsuite de deux\n", "- un\n- deux suite de deux"),
        ("Un titre court\n\n2.  Méthode\n\ntexte\n", "## 2. Méthode\n\ntexte"),
        ("Un titre court\n\n1. Faire ceci.\n\ntexte\n", "1. Faire ceci.\n\ntexte"),  # a sentence, not a section
        ("Un titre court\n\na\n\n\n\nb\n", "a\n\nb"),
    ],
)
def test_reflow_rules(tmp_path, text, body):
    assert _prepare(tmp_path, text).body == body


@pytest.mark.parametrize(
    ("text", "title", "source"),
    [
        ("Un titre court\n\nle texte.\n", "Un titre court", "first line"),
        ("Une première phrase qui continue\nsur la ligne suivante.\n", "notes de cours", "file name"),
        ("Se termine par deux points :\n\nle texte.\n", "notes de cours", "file name"),
        ("1. Introduction\n\nle texte.\n", "notes de cours", "file name"),
        ("Titre : Le vrai titre\n\nle texte.\n", "Le vrai titre", "Titre"),
    ],
)
def test_title_is_a_first_meaningful_line_else_the_file_name(tmp_path, text, title, source):
    item = _prepare(tmp_path, text)
    assert (item.fields["title"], item.title_from) == (title, source)
