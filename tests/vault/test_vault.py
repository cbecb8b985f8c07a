"""The project's own vault holds to its promises: checked, connected, complete."""

from __future__ import annotations

import pytest

from kbtools import schema
from kbtools.config import load_config
from kbtools.pipeline import build_knowledge_base
from tests.kbtest import ROOT


@pytest.fixture(scope="module")
def kb():
    return build_knowledge_base(load_config(config_file=ROOT / "mkdocs.yml"), shacl=True)


# Every system and concept the seed documents name, by a title or alias of its note.
REQUIRED = [
    "Système de développement d'IA, principaux langages de programmation et frameworks",
    "Infrastructures cloud pour l'IA", "Frameworks Python pour le Deep Learning",
    "TensorFlow pour l'apprentissage profond", "Présentation de Pytoch", "PyTorch", "Présentation de Keras",
    "fastai", "JAX", "MXNet", "La bibliothèque NumPy",
    "PyTorch Lightning", "Flax", "Trax", "Sonnet", "Hugging Face Transformers", "Flair", "Fairseq",
    "TorchVision", "TorchText", "TorchAudio", "Keras Applications", "VGG16", "ResNet50",
    "ONNX", "TensorBoard", "TorchScript", "TorchDynamo", "torch.compile", "LibTorch", "PyTorch Mobile", "ExecuTorch",
    "TensorFlow Lite", "LiteRT", "TensorFlow.js", "TFX", "XLA", "CUDA", "GPU", "TPU", "Hugging Face Hub",
    "Tenseur", "autograd", "Différentiation automatique", "Graphe de calcul statique", "Graphe de calcul dynamique",
    "Exécution eager", "Compilation JIT", "Passe avant", "Rétropropagation", "Descente de gradient", "Optimiseurs",
    "API de bas niveau", "API de haut niveau", "Entraînement distribué", "Surapprentissage", "Sous-apprentissage",
    "Compromis biais-variance", "Régularisation", "Dropout", "CNN", "RNN", "GAN", "Transformer",
    "Apprentissage par transfert", "Modèles pré-entraînés", "Taux d'apprentissage différentiels",
    "Déploiement et inférence en production", "Critères de choix d'un framework", "PyTorch vs TensorFlow",
    "Comparer rigoureusement les performances des frameworks",
]


def test_check_passes_with_no_error_and_no_warning(kb):
    assert [d.format() for d in kb.diagnostics] == []


def test_at_least_seventy_notes(kb):
    assert len(kb.notes) >= 70


@pytest.mark.parametrize("name", REQUIRED)
def test_every_seed_named_system_has_a_note(kb, name):
    assert len(kb.index.lookup(name)) == 1, f"no single note answers to {name!r}"


def _parents(kb) -> dict[str, set[str]]:
    up: dict[str, set[str]] = {n.path: set() for n in kb.notes}
    for e in kb.edges:
        if e.kind in schema.HIERARCHICAL:
            up[e.source.path].add(e.target.path)
    return up


def test_only_hubs_are_roots_and_every_note_reaches_a_hub(kb):
    up = _parents(kb)
    by_path = {n.path: n for n in kb.notes}
    roots = {p for p, parents in up.items() if not parents}
    assert roots and all(by_path[p].type == "hub" for p in roots), sorted(roots)
    for path in up:
        seen, todo = set(), [path]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            todo.extend(up[current])
        assert seen & roots, f"{path} does not reach a root hub"


def test_no_orphan(kb):
    linked = {e.source.path for e in kb.edges} | {e.target.path for e in kb.edges if e.source is not e.target}
    assert sorted(n.path for n in kb.notes if n.path not in linked) == []


def test_frameworks_relate_to_their_peers(kb):
    frameworks = [n for n in kb.notes if n.type == "framework"]
    assert len(frameworks) >= 6
    for fw in frameworks:
        kinds = {e.kind for e in kb.edges if e.source is fw and e.target.type in ("framework", "library")}
        assert {"seeAlso", "differentFrom"} <= kinds, f"{fw.title}: {kinds}"


def test_notes_cite_sources_and_sources_are_described(kb):
    for note in kb.notes:
        if note.type == "source":
            assert note.source_meta.get("author"), note.title
            assert note.source_meta.get("language"), note.title
        elif note.type != "hub":
            assert note.relations("sources"), f"{note.title} cites no source"


def test_pytorch_keeps_the_old_misspelt_title_as_alias(kb):
    (note,) = kb.index.lookup("Présentation de Pytoch")
    assert note.title != "Présentation de Pytoch"
    assert "Présentation de Pytoch" in note.aliases


def test_every_note_of_the_project_writes_its_title(kb):
    """Any vault may leave titles to file names; the project's own notes write them (slug file names)."""
    assert [str(n.path) for n in kb.notes if "title" not in n.key_pos] == []
