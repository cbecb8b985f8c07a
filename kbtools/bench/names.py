"""Where the protocol meets the vault: the framework notes results are about, the pages they go to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ids import RelPath


@dataclass(frozen=True, slots=True)
class FrameworkNote:
    name: str  # displayed in tables and written as kb:framework
    title: str  # title of its note, for wikilinks
    path: RelPath  # path of its note in the vault, for its IRI


FRAMEWORKS: dict[str, FrameworkNote] = {
    "pytorch": FrameworkNote("PyTorch", "Présentation de PyTorch", RelPath("frameworks/pytorch.md")),
    "tensorflow": FrameworkNote("TensorFlow", "TensorFlow pour l'apprentissage profond", RelPath("frameworks/tensorflow.md")),
    "keras": FrameworkNote("Keras", "Présentation de Keras", RelPath("frameworks/keras.md")),
    "jax": FrameworkNote("JAX", "JAX", RelPath("frameworks/jax.md")),
    "numpy": FrameworkNote("NumPy", "La bibliothèque NumPy", RelPath("frameworks/numpy.md")),
}

PAGES_DIR = "benchmarks"  # inside the vault
INDEX_TITLE = "Protocole de comparaison des performances"
PARENT_TITLE = "Comparer rigoureusement les performances des frameworks"
KIND_NAMES = {"cpu": "CPU", "gpu": "GPU"}


def device_page_path(slug: str) -> RelPath:
    return RelPath(f"{PAGES_DIR}/{slug}.md")


def short_device_name(name: str) -> str:
    """« Intel(R) Xeon(R) Processor » → « Intel Xeon Processor »."""
    return re.sub(r"\s+", " ", re.sub(r"\((R|TM|tm|r)\)", "", name)).strip()


def device_page_title(device: dict) -> str:
    return f"Résultats des benchmarks sur {KIND_NAMES[device['kind']]} : {short_device_name(device['name'])}"
